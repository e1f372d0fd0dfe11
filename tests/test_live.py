"""Against the real providers. Each test is skipped unless its provider's key was in the environment
(for example `OPENAI_API_KEY=... pytest -m live`); CI has no keys, so CI skips them all."""

from __future__ import annotations

import asyncio

import pytest

import edgequake
from tests.conftest import LIVE_ENV

pytestmark = pytest.mark.live

LIVE = [
    ("openai/gpt-4o-mini", "OPENAI_API_KEY"),
    ("groq/llama-3.1-8b-instant", "GROQ_API_KEY"),
    ("mistral/mistral-small-latest", "MISTRAL_API_KEY"),
    ("xai/grok-3-mini", "XAI_API_KEY"),
    ("openrouter/openai/gpt-4o-mini", "OPENROUTER_API_KEY"),
    ("deepseek/deepseek-chat", "DEEPSEEK_API_KEY"),
    ("together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", "TOGETHERAI_API_KEY"),
    ("fireworks_ai/accounts/fireworks/models/llama-v3p1-8b-instruct", "FIREWORKS_API_KEY"),
    ("cerebras/llama3.1-8b", "CEREBRAS_API_KEY"),
]
MESSAGES = [{"role": "user", "content": "Reply with the single word: pong"}]


def _key(env: str) -> str:
    key = LIVE_ENV.get(env)
    if not key:
        pytest.skip(f"{env} is not set: live test against the real provider skipped")
    return key


@pytest.mark.parametrize(("model", "env"), LIVE, ids=[m.split("/")[0] for m, _ in LIVE])
def test_live_completion_and_stream(model: str, env: str) -> None:
    key = _key(env)
    resp = edgequake.completion(model=model, messages=MESSAGES, api_key=key, max_tokens=10)
    assert "pong" in (resp.choices[0].message.content or "").lower()
    assert resp.usage.total_tokens > 0
    chunks = list(
        edgequake.completion(model=model, messages=MESSAGES, api_key=key, max_tokens=10, stream=True)
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert "pong" in text.lower()


def test_live_async_and_auth_error() -> None:
    key = _key("OPENAI_API_KEY")

    async def main() -> str:
        resp = await edgequake.acompletion(model="gpt-4o-mini", messages=MESSAGES, api_key=key, max_tokens=10)
        return resp.choices[0].message.content or ""

    assert "pong" in asyncio.run(main()).lower()
    with pytest.raises(edgequake.exceptions.AuthenticationError):
        edgequake.completion(model="gpt-4o-mini", messages=MESSAGES, api_key="sk-invalid", max_retries=0)


def test_live_embedding() -> None:
    key = _key("OPENAI_API_KEY")
    resp = edgequake.embedding(model="text-embedding-3-small", input=["hello"], api_key=key)
    assert len(resp.data[0]["embedding"]) > 100
