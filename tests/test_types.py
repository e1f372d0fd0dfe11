"""edgequake.types: litellm's object behaviour (dict access, unset-key semantics, private attrs)."""

from __future__ import annotations

import subprocess
import sys
import timeit

import pytest

from edgequake._shaping.response import StreamShaper, model_response_from_openai
from edgequake.types import (
    ChatCompletionMessageToolCall,
    Choices,
    Delta,
    EmbeddingResponse,
    Message,
    ModelResponse,
    ModelResponseStream,
    Usage,
)

BODY = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1700000000,
    "model": "gpt-4o-mini-2024-07-18",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "Hello", "refusal": None, "annotations": []},
            "logprobs": None,
            "finish_reason": "stop",
        }
    ],
    "usage": {
        "prompt_tokens": 9,
        "completion_tokens": 3,
        "total_tokens": 12,
        "prompt_tokens_details": {"cached_tokens": 2, "audio_tokens": 0},
    },
    "service_tier": "default",
    "system_fingerprint": "fp",
}


def _resp() -> ModelResponse:
    return model_response_from_openai(
        BODY,
        provider="openai",
        requested_model="gpt-4o-mini",
        response_headers={"x-request-id": "r"},
        api_base="http://h/v1",
        response_ms=1.0,
    )


def test_dict_and_attribute_access() -> None:
    r = _resp()
    assert r["choices"][0]["message"]["content"] == "Hello"
    assert r.choices[0].message.content == "Hello"
    assert r.get("nope", "dflt") == "dflt"
    assert r.service_tier == "default"  # provider extra at the top level
    assert "choices" in r
    assert isinstance(r, ModelResponse) and isinstance(r.choices[0], Choices) and isinstance(r.usage, Usage)


def test_unset_optional_fields_behave_like_litellm() -> None:
    msg = _resp().choices[0].message
    with pytest.raises(AttributeError):
        _ = msg.reasoning_content  # litellm deletes it when absent
    assert msg.get("audio") is None
    assert msg.refusal is None  # sent by the provider (as null): kept
    dump = _resp().model_dump()
    assert "usage" in dump and "completion_tokens_details" in dump["usage"]
    assert dump["usage"]["prompt_tokens_details"] == {"cached_tokens": 2, "audio_tokens": 0}


def test_model_dump_defaults() -> None:
    r = _resp()
    assert r.json() == r.model_dump()
    assert "system_fingerprint" in r.model_dump(exclude_none=True)
    e = EmbeddingResponse(model="m", data=[{"embedding": [0.1], "index": 0, "object": "embedding"}])
    assert e.model_dump()["usage"] == {
        "completion_tokens": 0,
        "prompt_tokens": 0,
        "total_tokens": 0,
        "completion_tokens_details": None,
        "prompt_tokens_details": None,
    }


def test_private_attributes() -> None:
    r = _resp()
    assert r._hidden_params["custom_llm_provider"] == "openai"
    assert r.hidden_params is r._hidden_params
    assert r._response_ms == 1.0
    assert r._response_headers == {"x-request-id": "r"}
    assert "_hidden_params" not in r.model_dump()


def test_public_constructors_follow_litellm() -> None:
    m = Message(content="hi")
    assert m.model_dump() == {
        "content": "hi",
        "role": "assistant",
        "tool_calls": None,
        "function_call": None,
        "provider_specific_fields": None,
    }
    tc = ChatCompletionMessageToolCall(function={"name": "f", "arguments": {"a": 1}})
    assert tc.type == "function" and len(tc.id) == 36 and tc.function.arguments == '{"a": 1}'
    c = Choices(finish_reason="end_turn", message={"content": "x"})
    assert c.finish_reason == "stop" and c.provider_specific_fields == {"native_finish_reason": "end_turn"}
    d = Delta(content="x")
    assert d.model_dump() == {
        "provider_specific_fields": None,
        "content": "x",
        "role": None,
        "function_call": None,
        "tool_calls": None,
        "audio": None,
    }
    s = ModelResponseStream(choices=[{"delta": {"content": "x"}}])
    assert s.object == "chat.completion.chunk" and s.model_dump()["choices"][0]["delta"]["content"] == "x"
    r = ModelResponse(model="m", usage={"prompt_tokens": 1})
    assert r.usage.total_tokens == 0 and r.model_dump()["object"] == "chat.completion"


def test_construction_cost() -> None:
    """Report (and bound, loosely) the per-object construction cost; the call budget is ~100 us."""
    n = 2000
    ns = timeit.timeit(_resp, number=n) / n * 1e6
    chunk = {
        "id": "c",
        "model": "m",
        "system_fingerprint": "fp",
        "choices": [{"index": 0, "delta": {"content": "Hi"}, "finish_reason": None}],
    }
    shaper = StreamShaper(
        provider="openai", requested_model="m", include_usage=False, api_base="b", response_headers={}
    )
    shaper.feed({**chunk, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]})
    st = timeit.timeit(lambda: shaper.feed(chunk), number=n) / n * 1e6
    print(f"\nModelResponse from body: {ns:.1f} us; stream chunk: {st:.1f} us")
    assert ns < 500 and st < 300  # loose: CI machines vary; the printed numbers are what matters


def test_import_is_light() -> None:
    code = (
        "import sys, edgequake.types, edgequake._shaping.response; "
        "assert 'openai' not in sys.modules and 'litellm' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
