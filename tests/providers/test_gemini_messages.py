"""Message histories sent through litellm and through edgequake to the loopback server: the
``generateContent`` bodies must be the same (the conversion is the Rust wire's, the reference
litellm's ``gemini_convert_messages_with_history``)."""

from __future__ import annotations

import copy
from typing import Any, Dict, List

import pytest

import edgequake
from tests.loopback import LoopbackServer, Reply

_OK = {
    "candidates": [{"content": {"parts": [{"text": "ok"}], "role": "model"}, "finishReason": "STOP"}],
    "usageMetadata": {"promptTokenCount": 1, "candidatesTokenCount": 1, "totalTokenCount": 2},
}
_PNG = "data:image/png;base64,iVBORw0KGgo="
_CALL = {"id": "call_abc", "type": "function", "function": {"name": "add", "arguments": '{"a": 1, "b": "x"}'}}
_SIGNED = {**_CALL, "id": "call_abc__thought__U0lH"}

HISTORIES: Dict[str, List[Dict[str, Any]]] = {
    "system-and-parts": [
        {"role": "system", "content": "one"},
        {"role": "system", "content": [{"type": "text", "text": "two"}, {"type": "text", "text": "three"}]},
        {
            "role": "user",
            "content": [{"type": "text", "text": "look"}, {"type": "image_url", "image_url": _PNG}],
        },
    ],
    "only-media": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": _PNG}}]}],
    "files": [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "read"},
                {"type": "file", "file": {"file_data": "data:application/pdf;base64,JVBERi0="}},
                {"type": "image_url", "image_url": {"url": "gs://bucket/cat.jpg"}},
                {
                    "type": "file",
                    "file": {"file_id": "https://generativelanguage.googleapis.com/v1beta/files/abc"},
                },
            ],
        }
    ],
    "tool-round-trip": [
        {"role": "user", "content": "add"},
        {"role": "assistant", "content": None, "tool_calls": [_CALL]},
        {"role": "tool", "tool_call_id": "call_abc", "content": '{"sum": 2}'},
        {"role": "tool", "tool_call_id": "call_abc", "content": "plain"},
        {"role": "user", "content": "thanks"},
    ],
    "signed-call-and-text": [
        {"role": "user", "content": "add"},
        {"role": "assistant", "content": "sure", "tool_calls": [_SIGNED]},
        {"role": "tool", "tool_call_id": "call_abc__thought__U0lH", "content": "2"},
    ],
    "assistant-turns": [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "hello", "reasoning_content": "thinking"},
        {"role": "assistant", "content": [{"type": "text", "text": "more"}]},
        {"role": "user", "content": "bye"},
    ],
    "system-only": [{"role": "system", "content": "alone"}],
    "parallel-calls": [
        {"role": "user", "content": "two"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                _CALL,
                {"id": "call_def", "type": "function", "function": {"name": "sub", "arguments": ""}},
            ],
        },
        {"role": "tool", "tool_call_id": "call_abc", "content": [{"type": "text", "text": "[1, 2]"}]},
        {"role": "tool", "tool_call_id": "call_def", "content": '  {"ok": true}'},
        {"role": "user", "content": "done?"},
    ],
    "legacy-function-call": [
        {"role": "user", "content": "add"},
        {"role": "assistant", "content": None, "function_call": {"name": "add", "arguments": "{}"}},
        {"role": "function", "name": "add", "content": "3"},
    ],
}


def _sent(module: Any, server: LoopbackServer, model: str, messages: List[Dict[str, Any]]) -> Any:
    server.enqueue(Reply(body=_OK))
    module.completion(
        model=model,
        messages=copy.deepcopy(messages),
        api_key="k",
        api_base=server.url + "/v1beta",
        max_retries=0,
    )
    return server.seen[-1].json()


@pytest.mark.parametrize(
    "model", ["gemini/gemini-2.5-flash", "gemini/gemini-2.0-flash", "gemini/gemini-3-flash-preview"]
)
@pytest.mark.parametrize("name", sorted(HISTORIES))
def test_history_converts_as_litellm_converts_it(server: LoopbackServer, name: str, model: str) -> None:
    litellm = pytest.importorskip("litellm")
    reference = _sent(litellm, server, model, HISTORIES[name])
    assert _sent(edgequake, server, model, HISTORIES[name]) == reference


EMBED_KWARGS: Dict[str, Dict[str, Any]] = {
    "float-format": {"encoding_format": "float", "dimensions": 8},
    "task-and-title": {"task_type": "RETRIEVAL_DOCUMENT", "title": "t", "foo": 1},
    "input-type": {"input_type": "RETRIEVAL_QUERY"},
    "user": {"user": "u"},
    "base64": {"encoding_format": "base64"},
    "one-string": {"input": "single"},
}


def _embedded(module: Any, server: LoopbackServer, kwargs: Dict[str, Any]) -> Any:
    server.enqueue(Reply(body={"embeddings": [{"values": [0.25, -1.0]}]}))
    call = {"model": "gemini/gemini-embedding-001", "input": ["a b c"], "api_key": "k", **kwargs}
    try:
        resp = module.embedding(api_base=server.url + "/v1beta", **call)
    except Exception as exc:  # the exception is the observation
        server.reset()
        return type(exc).__name__, getattr(exc, "status_code", None), str(exc)
    return (
        server.seen[-1].json(),
        resp.model_dump()["usage"],
        [d["embedding"] for d in resp.model_dump()["data"]],
    )


@pytest.mark.parametrize("name", sorted(EMBED_KWARGS))
def test_embedding_params_as_litellm_takes_them(server: LoopbackServer, name: str) -> None:
    litellm = pytest.importorskip("litellm")
    reference = _embedded(litellm, server, EMBED_KWARGS[name])
    assert _embedded(edgequake, server, EMBED_KWARGS[name]) == reference
