"""Where each native route takes its base URL and key from, compared with litellm by measurement:
the module globals (``api_base``, ``api_key``, ``<provider>_key``) and each environment variable,
one at a time, against a loopback server. A source litellm ignores must be ignored by edgequake too
(on several OpenAI-compatible routes litellm fills in the provider's host, or skips the global key,
before the globals are read): a call configured that way goes where litellm's goes."""

from __future__ import annotations

import contextlib
import json
from typing import Any, Dict, Iterator

import pytest

from edgequake._call.routing import NATIVE
from tests import payloads
from tests.loopback import LoopbackServer, Reply

litellm = pytest.importorskip("litellm")
import edgequake  # noqa: E402

MODELS = {
    "openai": "openai/gpt-4o-mini",
    "mistral": "mistral/mistral-small",
    "xai": "xai/grok-3",
    "openrouter": "openrouter/openai/gpt-4o",
    "groq": "groq/llama-3.1-8b-instant",
    "deepseek": "deepseek/deepseek-chat",
    "together_ai": "together_ai/meta-llama/x",
    "fireworks_ai": "fireworks_ai/accounts/fireworks/models/x",
    "huggingface": "huggingface/together/meta-llama/x",
    "cerebras": "cerebras/llama3.1-8b",
    "anthropic": "anthropic/claude-3-5-haiku-latest",
    "gemini": "gemini/gemini-2.0-flash",
    "cohere_chat": "cohere_chat/command-r",
    "azure": "azure/dep",
}
TARGETS = {"litellm": litellm, "edgequake": edgequake}


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackServer]:
    srv = LoopbackServer().start()
    yield srv
    srv.stop()


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    # A call that ignores the loopback base goes to the provider's host: refused at once, locally.
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    for config in NATIVE.values():
        for name in (*config.key_env, *config.base_env):
            monkeypatch.delenv(name, raising=False)
    for module in TARGETS.values():
        monkeypatch.setattr(module, "suppress_debug_info", True, raising=False)


def _call(module: Any, provider: str, **kwargs: Any) -> None:
    extra = {"api_version": "2024-10-21"} if provider == "azure" else {}
    with contextlib.suppress(Exception):  # where the call went is measured, not how it ended
        module.completion(model=MODELS[provider], messages=payloads.USER, max_retries=0, **extra, **kwargs)


def _sources(
    module: Any, provider: str, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> Dict[str, bool]:
    config = NATIVE[provider]
    base = server.url + "/v1"
    seen: Dict[str, bool] = {}
    for source in ("global api_base", *config.base_env):
        server.reset()
        server.enqueue(*[Reply(body=payloads.chat()) for _ in range(3)])
        with monkeypatch.context() as patch:
            if source == "global api_base":
                patch.setattr(module, "api_base", base)
            else:
                patch.setenv(source, base)
            _call(module, provider, api_key="k")
        seen[f"base from {source}"] = bool(server.seen)
    for source in ("api_key", *config.key_globals, *config.key_env):
        server.reset()
        server.enqueue(*[Reply(body=payloads.chat()) for _ in range(3)])
        secret = f"secret-from-{source}"
        with monkeypatch.context() as patch:
            if source in ("api_key", *config.key_globals):
                patch.setattr(module, source, secret, raising=False)
            else:
                patch.setenv(source, secret)
            _call(module, provider, api_base=base)
        seen[f"key from {source}"] = any(secret in json.dumps(s.headers) + s.path for s in server.seen)
    return seen


@pytest.mark.parametrize("provider", sorted(MODELS))
def test_base_and_key_sources_are_litellms(
    provider: str, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = _sources(litellm, provider, server, monkeypatch)
    candidate = _sources(edgequake, provider, server, monkeypatch)
    assert candidate == reference
    assert any(reference.values())  # the measurement can see a source being read at all
