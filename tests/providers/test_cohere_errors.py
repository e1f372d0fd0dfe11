"""Cohere v2 chat errors, native: error replies, timeouts and refused connections raise what litellm
1.110.2's Cohere mapper (or its status mapping) raises. Against the loopback server; no network."""

from __future__ import annotations

import json
import re

import pytest

import edgequake
from tests.loopback import LoopbackServer, Reply
from tests.providers.test_cohere import TEXT_REPLY, USER, _chat, _text_events

# --- errors -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "message", "cls", "final", "provider", "label"),
    [
        (401, "invalid api token", "AuthenticationError", 401, "cohere", "CohereException"),
        (401, "no api key supplied", "AuthenticationError", 401, "cohere_chat", "Cohere_chatException"),
        (400, "too many tokens: total", "ContextWindowExceededError", 400, "cohere", "CohereException"),
        (422, "invalid type: parameter texts", "BadRequestError", 422, "cohere", "CohereException"),
        (404, "model 'x' not found", "NotFoundError", 404, "cohere_chat", "Cohere_chatException"),
        (429, "trial key", "RateLimitError", 429, "cohere_chat", "Cohere_chatException"),
        (498, "blocked", "BadRequestError", 498, "cohere", "CohereException"),
        (500, "boom", "InternalServerError", 500, "cohere", "CohereException"),
        (503, "unavailable", "ServiceUnavailableError", 503, "cohere_chat", "Cohere_chatException"),
    ],
)
def test_error_mapping(
    server: LoopbackServer, status: int, message: str, cls: str, final: int, provider: str, label: str
) -> None:
    body = {"id": "x", "message": message}
    server.enqueue(Reply(status=status, body=body))
    with pytest.raises(getattr(edgequake, cls)) as info:
        _chat(server)
    exc = info.value
    assert type(exc).__name__ == cls
    assert (exc.status_code, exc.llm_provider, exc.model) == (final, provider, "command-r")
    assert exc.message.endswith(f"{label} - {json.dumps(body)}")
    # litellm's Cohere mapper attaches no debug info; its status fallback does.
    assert (exc.litellm_debug_info is None) == (provider == "cohere")


def test_error_before_a_stream_raises_at_the_call(server: LoopbackServer) -> None:
    server.enqueue(Reply(status=401, body={"id": "x", "message": "invalid api token"}))
    with pytest.raises(edgequake.AuthenticationError):
        _chat(server, stream=True)


def test_unreadable_reply_is_an_error_not_a_success(server: LoopbackServer) -> None:
    server.enqueue(Reply(body={"id": "x", "usage": {}}))
    with pytest.raises(edgequake.APIConnectionError, match="'message'"):
        _chat(server)
    server.enqueue(Reply(body=[1, 2]))
    with pytest.raises(edgequake.BadRequestError) as info:
        _chat(server)
    assert info.value.status_code == 422


def test_connection_refused() -> None:
    with pytest.raises(edgequake.InternalServerError, match=r"CohereException - \[Errno 111\]"):
        edgequake.completion(
            model="cohere_chat/command-r", messages=USER, api_key="k", api_base="http://127.0.0.1:9/v2/chat"
        )


def test_a_stalled_reply_times_out_as_litellm_words_it(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=TEXT_REPLY, delay=2))
    with pytest.raises(edgequake.Timeout) as info:
        _chat(server, timeout=0.3)
    assert re.fullmatch(
        r"litellm\.Timeout: CohereException - litellm\.Timeout: Read timed out\. "
        r"Timeout passed=0\.3, time taken=[\d.]+ seconds",
        info.value.message,
    )
    assert info.value.llm_provider == "cohere"


def test_a_stream_cut_midway_raises(server: LoopbackServer) -> None:
    server.enqueue(Reply(raw_events=_text_events("a", "b")[:3], cut=True))
    stream = _chat(server, stream=True)
    with pytest.raises(edgequake.MidStreamFallbackError):
        list(stream)
