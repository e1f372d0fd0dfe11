"""The native gemini route against the loopback server: the request litellm sends (URL, key header,
body), replies and streams shaped as litellm shapes them, errors classified as litellm classifies
them, streams read incrementally and closed with their connection, and no litellm import."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
import time
from typing import Any, Dict, List

import pytest

import edgequake
from edgequake import exceptions
from tests.loopback import LoopbackServer, Reply

MODEL = "gemini/gemini-2.5-flash"
USER = [{"role": "user", "content": "Say hello"}]


def _reply(text: str = "Hello", finish: str = "STOP", **usage: int) -> Dict[str, Any]:
    meta = {"promptTokenCount": 4, "candidatesTokenCount": 2, "totalTokenCount": 6, **usage}
    return {
        "candidates": [{"content": {"parts": [{"text": text}], "role": "model"}, "finishReason": finish}],
        "usageMetadata": meta,
        "modelVersion": "gemini-2.5-flash",
        "responseId": "resp-1",
    }


def _event(text: str, finish: str = "") -> str:
    cand: Dict[str, Any] = {"content": {"parts": [{"text": text}], "role": "model"}, "index": 0}
    if finish:
        cand["finishReason"] = finish
    return json.dumps({"candidates": [cand], "modelVersion": "gemini-2.5-flash", "responseId": "s-1"})


def _sse(*events: str) -> List[bytes]:
    # Gemini delimits its events with \r\n\r\n and sends no [DONE]
    return [f"data: {e}\r\n\r\n".encode() for e in events]


def _kw(server: LoopbackServer, **more: Any) -> Dict[str, Any]:
    return {
        "model": MODEL,
        "messages": USER,
        "api_key": "gk-secret",
        "api_base": server.url + "/v1beta",
        **more,
    }


def test_sync_completion_request_and_response(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=_reply(thoughtsTokenCount=3, totalTokenCount=9)))
    resp = edgequake.completion(**_kw(server), max_tokens=20, stop="END", temperature=0.2)
    seen = server.seen[-1]
    assert seen.path == "/v1beta/models/gemini-2.5-flash:generateContent"
    assert seen.headers.get("x-goog-api-key") == "gk-secret"
    assert "gk-secret" not in seen.path
    assert seen.json() == {
        "contents": [{"role": "user", "parts": [{"text": "Say hello"}]}],
        "generationConfig": {"max_output_tokens": 20, "stop_sequences": ["END"], "temperature": 0.2},
    }
    assert resp.id == "resp-1"
    assert resp.model == "gemini-2.5-flash"
    assert resp.choices[0].message.content == "Hello"
    assert resp.choices[0].finish_reason == "stop"
    assert resp.choices[0].provider_specific_fields == {"native_finish_reason": "STOP"}
    assert resp.usage.completion_tokens == 5  # thoughts are outside candidatesTokenCount here
    assert resp.usage.completion_tokens_details.reasoning_tokens == 3
    assert resp.model_dump()["vertex_ai_safety_results"] == []


def test_async_completion_with_system_tools_and_json(server: LoopbackServer) -> None:
    call = {"functionCall": {"name": "add", "args": {"a": 1}}, "thoughtSignature": "SIG"}
    body = {
        "candidates": [{"content": {"parts": [call], "role": "model"}, "finishReason": "STOP"}],
        "usageMetadata": {"promptTokenCount": 4, "candidatesTokenCount": 2, "totalTokenCount": 6},
    }
    server.enqueue(Reply(body=body))
    tools = [{"type": "function", "function": {"name": "add", "parameters": {"type": "object"}}}]
    messages = [{"role": "system", "content": "Be exact."}, *USER]

    async def main() -> Any:
        return await edgequake.acompletion(
            **{**_kw(server), "messages": messages},
            tools=tools,
            tool_choice="required",
            response_format={"type": "json_object"},
        )

    resp = asyncio.run(main())
    sent = server.seen[-1].json()
    assert sent["system_instruction"] == {"parts": [{"text": "Be exact."}]}
    assert sent["tools"] == [{"function_declarations": [{"name": "add", "parameters": {"type": "object"}}]}]
    assert sent["toolConfig"] == {"functionCallingConfig": {"mode": "ANY"}}
    assert sent["generationConfig"] == {"response_mime_type": "application/json"}
    tc = resp.choices[0].message.tool_calls[0]
    assert resp.choices[0].finish_reason == "tool_calls"
    assert tc.function.name == "add" and json.loads(tc.function.arguments) == {"a": 1}
    assert tc.id.startswith("call_") and tc.id.endswith("__thought__SIG")
    assert resp.id.startswith("chatcmpl-")  # no responseId: litellm's own id


def test_stream_is_incremental_and_shaped(server: LoopbackServer) -> None:
    reply = Reply(raw_events=_sse(_event("Hel"), _event("lo", "STOP")), hold_after=1)
    server.enqueue(reply)
    stream = edgequake.completion(**_kw(server), stream=True)
    first = next(stream)
    assert first.choices[0].delta.content == "Hel"
    assert not reply.release.is_set(), "the rest is still held by the server"
    reply.release.set()
    rest = list(stream)
    assert server.seen[-1].path == "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
    assert "".join(c.choices[0].delta.content or "" for c in rest) == "lo"
    assert rest[-1].choices[0].finish_reason == "stop"
    assert {c.id for c in [first, *rest]} == {"s-1"}


def test_async_stream_and_truncation_ends_as_stop(server: LoopbackServer) -> None:
    server.enqueue(Reply(raw_events=_sse(_event("a"), _event("b"))))

    async def main() -> List[Any]:
        stream = await edgequake.acompletion(**_kw(server), stream=True)
        return [c async for c in stream]

    chunks = asyncio.run(main())
    assert [c.choices[0].delta.content for c in chunks[:2]] == ["a", "b"]
    assert chunks[-1].choices[0].finish_reason == "stop"  # litellm: no end marker, no error


def test_close_closes_the_connection(server: LoopbackServer) -> None:
    reply = Reply(raw_events=_sse(_event("a"), _event("b", "STOP")), hold_after=1)
    server.enqueue(reply)
    before = server.closed_connections
    stream = edgequake.completion(**_kw(server), stream=True)
    next(stream)
    stream.close()
    reply.release.set()
    deadline = time.monotonic() + 5
    while server.closed_connections == before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.closed_connections > before
    assert list(stream) == []


def test_errors_as_litellm_classifies_them(server: LoopbackServer) -> None:
    bad_key = {"error": {"code": 400, "message": "API key not valid. Please pass a valid API key."}}
    server.enqueue(Reply(status=400, body=bad_key))
    with pytest.raises(exceptions.AuthenticationError) as info:
        edgequake.completion(**_kw(server))
    assert info.value.llm_provider == "gemini"
    assert "gk-secret" not in str(info.value)
    overloaded = {"error": {"code": 503, "message": "The model is overloaded. Please try again later."}}
    server.enqueue(Reply(status=503, body=overloaded))
    with pytest.raises(exceptions.InternalServerError) as err:
        edgequake.completion(**_kw(server))
    assert err.value.status_code == 500
    assert "geminiException" in err.value.message


def test_a_refused_stream_raises_on_first_read(server: LoopbackServer) -> None:
    bad_key = {"error": {"code": 400, "message": "API key not valid. Please pass a valid API key."}}
    server.enqueue(Reply(status=400, body=bad_key))
    stream = edgequake.completion(**_kw(server), stream=True)  # litellm opens Gemini streams lazily
    with pytest.raises(exceptions.AuthenticationError) as info:
        next(stream)
    assert info.value.llm_provider == "vertex_ai_beta"
    assert info.value.message.startswith("litellm.AuthenticationError: Vertex_ai_betaException - b'")


def test_a_mid_stream_error_event(server: LoopbackServer) -> None:
    error = json.dumps(
        {"error": {"code": 503, "message": "The model is overloaded.", "status": "UNAVAILABLE"}}
    )
    server.enqueue(Reply(raw_events=_sse(_event("Hel"), error)))
    stream = edgequake.completion(**_kw(server), stream=True)
    assert next(stream).choices[0].delta.content == "Hel"
    with pytest.raises(exceptions.MidStreamFallbackError) as info:
        next(stream)
    assert "vertex_ai_betaException - UNAVAILABLE - The model is overloaded." in info.value.message


def test_embedding(server: LoopbackServer) -> None:
    server.enqueue(Reply(body={"embeddings": [{"values": [0.5, -1.0]}, {"values": [1.0, 0.0]}]}))
    resp = edgequake.embedding(
        model="gemini/gemini-embedding-001",
        input=["a", "b"],
        dimensions=2,
        api_key="gk",
        api_base=server.url + "/v1beta",
    )
    seen = server.seen[-1]
    assert seen.path == "/v1beta/models/gemini-embedding-001:batchEmbedContents"
    assert seen.json()["requests"][0] == {
        "model": "models/gemini-embedding-001",
        "content": {"parts": [{"text": "a"}]},
        "outputDimensionality": 2,
    }
    assert [d["embedding"] for d in resp.model_dump()["data"]] == [[0.5, -1.0], [1.0, 0.0]]


def test_unsupported_param_raises_as_litellm(server: LoopbackServer) -> None:
    with pytest.raises(exceptions.UnsupportedParamsError):
        edgequake.completion(**_kw(server), logit_bias={"1": 1})


def test_calls_never_import_litellm(server: LoopbackServer) -> None:
    server.enqueue(
        Reply(body=_reply()),
        Reply(body=_reply()),
        Reply(raw_events=_sse(_event("x", "STOP"))),
    )
    code = textwrap.dedent(
        f"""
        import asyncio, sys
        import edgequake
        kw = dict(model={MODEL!r}, messages={USER!r}, api_key="k", api_base={server.url + "/v1beta"!r})
        assert edgequake.completion(**kw).choices[0].message.content == "Hello"
        assert asyncio.run(edgequake.acompletion(**kw)).choices[0].message.content == "Hello"
        assert [c.choices[0].delta.content for c in edgequake.completion(stream=True, **kw)][0] == "x"
        assert "litellm" not in sys.modules, "a gemini call imported litellm"
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_a_missing_key_raises_before_any_request(server: LoopbackServer) -> None:
    kw = _kw(server)
    del kw["api_key"]
    with pytest.raises(exceptions.APIConnectionError, match="Missing Gemini API key"):
        edgequake.completion(**kw)
    with pytest.raises(exceptions.UnsupportedParamsError):  # litellm checks the params first
        edgequake.completion(**kw, logit_bias={"1": 1})
    assert server.seen == []


def test_the_environment_key_wins_over_the_global(server: LoopbackServer, monkeypatch: Any) -> None:
    monkeypatch.setenv("GEMINI_API_KEY", "from-env")
    monkeypatch.setattr(edgequake, "api_key", "from-global", raising=False)
    server.enqueue(Reply(body=_reply()))
    kw = _kw(server)
    del kw["api_key"]
    edgequake.completion(**kw)
    assert server.seen[-1].headers.get("x-goog-api-key") == "from-env"
