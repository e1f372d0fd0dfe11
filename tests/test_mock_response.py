"""`mock_response=` never touches the network and answers like litellm's mock."""

from __future__ import annotations

import asyncio
import json
import os

import pytest

import edgequake
from tests import payloads

DUMPS = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "reference", "litellm-dumps")


def _dump(name: str) -> dict:
    path = os.path.join(DUMPS, name)
    if not os.path.exists(path):
        pytest.skip(f"reference dump {name} is not present beside the project")
    with open(path) as f:
        return json.load(f)


def test_mock_text_matches_litellm_shape() -> None:
    resp = edgequake.completion(model="gpt-4o-mini", messages=payloads.USER, mock_response="canned!")
    expected = _dump("mock_response_nonstream.json")["model_dump()"]
    got = resp.model_dump()
    for volatile in ("id", "created"):
        assert got.pop(volatile) and expected.pop(volatile)
    assert got["choices"][0]["message"]["content"] == "canned!"
    assert got["usage"]["total_tokens"] == 30
    assert got["model"] == expected["model"]


def test_mock_stream_in_three_character_pieces() -> None:
    chunks = list(
        edgequake.completion(
            model="gpt-4o-mini", messages=payloads.USER, mock_response="canned reply", stream=True
        )
    )
    expected = _dump("mock_response_stream.json")["chunks_model_dump()"]
    assert [c.choices[0].delta.content for c in chunks] == [
        c["choices"][0]["delta"]["content"] for c in expected
    ]
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_mock_exception_goes_through_litellms_mapping() -> None:
    err = ValueError("mocked")
    with pytest.raises(edgequake.InternalServerError) as raised:
        edgequake.completion(model="gpt-4o-mini", messages=payloads.USER, mock_response=err)
    assert str(raised.value) == (
        "litellm.InternalServerError: InternalServerError: OpenAIException - litellm.MockException: mocked"
    )
    limited = edgequake.RateLimitError(message="mocked", llm_provider="openai", model="gpt-4o-mini")
    with pytest.raises(edgequake.RateLimitError) as again:
        edgequake.completion(model="gpt-4o-mini", messages=payloads.USER, mock_response=limited)
    assert again.value is limited, "a litellm (openai.APIError) exception is raised as it is"


def test_mock_errors_match_litellm() -> None:
    pytest.importorskip("litellm")
    from tools.measure_mock_errors import measure

    assert measure("edgequake") == measure("litellm")


@pytest.mark.parametrize(
    "model",
    ["gpt-4o-mini", "anthropic/c", "gemini/g", "groq/g", "mistral/m", "azure/d", "ollama/l", "deepseek/d",
     "xai/x", "openrouter/o", "cohere/c", "huggingface/h", "together_ai/t", "fireworks_ai/f", "cerebras/c"],
)  # fmt: skip
def test_mock_exception_wording_per_provider_matches_litellm(model: str) -> None:
    litellm = pytest.importorskip("litellm")

    class Limited(Exception):
        status_code = 429

    def outcome(lt: object, mock: object) -> tuple:
        try:
            lt.completion(model=model, messages=payloads.USER, mock_response=mock)  # type: ignore[attr-defined]
        except Exception as exc:
            status, provider = getattr(exc, "status_code", None), getattr(exc, "llm_provider", None)
            return type(exc).__name__, str(exc), status, provider
        return ("no error",)

    for mock in (ValueError("mocked"), "Exception: content_filter_policy x", Limited("rl")):
        assert outcome(edgequake, mock) == outcome(litellm, mock), mock


def test_async_mock() -> None:
    async def main() -> str:
        resp = await edgequake.acompletion(
            model="openai/gpt-4o-mini", messages=payloads.USER, mock_response="hi"
        )
        stream = await edgequake.acompletion(
            model="openai/gpt-4o-mini", messages=payloads.USER, mock_response="hello", stream=True
        )
        return (
            resp.choices[0].message.content
            + "|"
            + "".join([c.choices[0].delta.content or "" async for c in stream])
        )

    assert asyncio.run(main()) == "hi|hello"
