"""Per-route response/request quirks measured against litellm 1.110.2 (xAI usage, Azure o-series
model name, Mistral reasoning, Ollama ids); the conformance cassettes cover them end to end."""

from __future__ import annotations

from typing import Any, Dict

import pytest

from edgequake._params.body import chat_body
from edgequake._shaping.response import model_response_from_openai
from edgequake._shaping.usage import xai_usage


def _body(**over: Any) -> Dict[str, Any]:
    body: Dict[str, Any] = {
        "id": "chatcmpl-674",
        "object": "chat.completion",
        "created": 1765962162,
        "model": "m",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi"}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 14, "completion_tokens": 2, "total_tokens": 16},
    }
    body.update(over)
    return body


def _shape(body: Dict[str, Any], provider: str, model: str = "m") -> Any:
    return model_response_from_openai(
        body, provider=provider, requested_model=model, response_headers={}, api_base="", response_ms=0.0
    )


def test_xai_usage_folds_reasoning_when_total_says_so() -> None:
    u = {"prompt_tokens": 14, "completion_tokens": 2, "total_tokens": 136,
         "completion_tokens_details": {"reasoning_tokens": 120}}  # fmt: skip
    assert xai_usage(u)["completion_tokens"] == 122
    assert u["completion_tokens"] == 2  # input left alone
    already = dict(u, completion_tokens=122)
    assert xai_usage(already)["completion_tokens"] == 122  # idempotent
    odd = dict(u, total_tokens=200)  # neither accounting: left as sent
    assert xai_usage(odd)["completion_tokens"] == 2
    low_total = {"prompt_tokens": 5, "completion_tokens": 5, "total_tokens": 3}
    assert xai_usage(low_total)["total_tokens"] == 10


def test_xai_response_usage_folded() -> None:
    usage = {"prompt_tokens": 14, "completion_tokens": 2, "total_tokens": 136,
             "completion_tokens_details": {"reasoning_tokens": 120}}  # fmt: skip
    assert _shape(_body(usage=usage), "xai").usage.completion_tokens == 122
    assert _shape(_body(usage=usage), "deepseek").usage.completion_tokens == 2


@pytest.mark.parametrize(
    ("requested", "expected"),
    [("o4-mini", "azure/o4-mini-2025-04-16"), ("my-o3-deploy", "azure/o4-mini-2025-04-16"),
     ("gpt-4o", "o4-mini-2025-04-16")],
)  # fmt: skip
def test_azure_o_series_model_prefixed(requested: str, expected: str) -> None:
    assert _shape(_body(model="o4-mini-2025-04-16"), "azure", requested).model == expected


def test_ollama_ids_replaced_and_kept() -> None:
    r = _shape(_body(system_fingerprint="fp_ollama"), "openai")
    assert r.provider_specific_fields == {"original_response_id": "chatcmpl-674"}
    assert r.id != "chatcmpl-674" and r.id.startswith("chatcmpl-")
    plain = _shape(_body(system_fingerprint="fp_x"), "openai")
    assert plain.id == "chatcmpl-674" and "provider_specific_fields" not in plain.model_dump()


def test_mistral_thinking_content_list() -> None:
    parts = [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]
    content = [{"type": "thinking", "thinking": parts}, {"type": "text", "text": "Hello"}]
    choice = {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
    msg = _shape(_body(choices=[choice]), "mistral").choices[0].message
    assert msg.content == "Hello"
    assert msg.reasoning_content == "a\nb"


@pytest.mark.parametrize(
    ("model", "effort", "sent"),
    [("mistral-small-latest", "none", "none"), ("mistral-small-latest", "low", "high"),
     ("zai-glm-5", "medium", "high"), ("zai-glm-5", "minimal", "low"),
     ("deepseek-v4-1-flash-1017", "low", "low"), ("mistral-small-latest", {"effort": "low"}, "high")],
)  # fmt: skip
def test_mistral_reasoning_effort_sent(model: str, effort: Any, sent: str) -> None:
    body = chat_body("mistral", model, [{"role": "user", "content": "x"}], {"reasoning_effort": effort},
                     drop_params=False, additional_drop_params=None)  # fmt: skip
    assert body["reasoning_effort"] == sent


def test_mistral_reasoning_summary_refused_or_dropped() -> None:
    from edgequake.exceptions import UnsupportedParamsError

    params = {"reasoning_effort": {"effort": "low", "summary": "auto"}}
    msgs = [{"role": "user", "content": "x"}]
    model = "mistral-small-latest"
    with pytest.raises(UnsupportedParamsError):
        chat_body("mistral", model, msgs, params, drop_params=False, additional_drop_params=None)
    body = chat_body("mistral", model, msgs, params, drop_params=True, additional_drop_params=None)
    assert body["reasoning_effort"] == "high"
