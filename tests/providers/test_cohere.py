"""Cohere v2, native: requests as litellm 1.110.2 sends them, replies shaped as it shapes them,
streams read incrementally from real Cohere SSE (which litellm itself cannot parse), errors mapped
as its Cohere mapper maps them. Against the loopback server; no network."""

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
from tests.loopback import LoopbackServer, Reply
from tests.providers.test_cohere_embed_rerank import EMBED, RERANK

USER = [{"role": "user", "content": "hi"}]
USAGE = {
    "billed_units": {"input_tokens": 1, "output_tokens": 9},
    "tokens": {"input_tokens": 496, "output_tokens": 11},
}
TEXT_REPLY = {
    "id": "f17a5f6c",
    "message": {"role": "assistant", "content": [{"type": "text", "text": "Hello!"}]},
    "finish_reason": "COMPLETE",
    "usage": USAGE,
}
TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "d",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}


def _chat(server: LoopbackServer, **kw: Any) -> Any:
    args: Dict[str, Any] = {"model": "cohere_chat/command-r", "messages": USER, "api_key": "sk-co"}
    args.update(kw)
    return edgequake.completion(api_base=server.url + "/v2/chat", **args)


def _event(kind: str, **fields: Any) -> bytes:
    return f"event: {kind}\ndata: {json.dumps({'type': kind, **fields})}\n\n".encode()


def _text_events(*texts: str, finish: str = "COMPLETE") -> List[bytes]:
    out = [_event("message-start", id="s1", delta={"message": {"role": "assistant"}})]
    out.append(_event("content-start", index=0, delta={"message": {"content": {"type": "text", "text": ""}}}))
    out += [_event("content-delta", index=0, delta={"message": {"content": {"text": t}}}) for t in texts]
    out.append(_event("content-end", index=0))
    out.append(_event("message-end", delta={"finish_reason": finish, "usage": USAGE}))
    out.append(b"data: [DONE]\n\n")
    return out


def _contents(chunks: List[Any]) -> str:
    return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)


# --- requests ---------------------------------------------------------------------------------------


def test_request_url_headers_and_cohere_param_names(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=TEXT_REPLY))
    _chat(
        server,
        temperature=0.2,
        top_p=0.5,
        stop="x",
        n=1,
        seed=3,
        max_tokens=5,
        max_completion_tokens=7,
        tools=[TOOL],
        tool_choice="required",
        user="u",
        k=4,
    )
    seen = server.seen[-1]
    assert seen.path == "/v2/chat"
    assert seen.headers["authorization"] == "Bearer sk-co"
    assert seen.headers["request-source"] == "unspecified:litellm"
    assert seen.json() == {
        "model": "command-r",
        "messages": USER,
        "temperature": 0.2,
        "p": 0.5,
        "stop_sequences": ["x"],
        "num_generations": 1,
        "seed": 3,
        "max_tokens": 7,
        "tools": [TOOL],
        "k": 4,
    }


def test_unsupported_params_raise_or_drop(server: LoopbackServer) -> None:
    with pytest.raises(
        edgequake.UnsupportedParamsError,
        match=r"cohere_chat does not support parameters: \['response_format'",
    ):
        _chat(server, response_format={"type": "json_object"})
    server.enqueue(Reply(body=TEXT_REPLY))
    _chat(server, response_format={"type": "json_object"}, drop_params=True)
    assert "response_format" not in server.seen[-1].json()


def test_cohere_prefix_takes_the_chat_route_for_listed_models(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=TEXT_REPLY))
    resp = _chat(server, model="cohere/command-r7b-12-2024")
    assert resp._hidden_params["custom_llm_provider"] == "cohere_chat"
    assert resp._hidden_params["litellm_model_name"] == "cohere/command-r7b-12-2024"
    server.enqueue(Reply(body=TEXT_REPLY))
    assert _chat(server, model="cohere/command-r")._hidden_params["custom_llm_provider"] == "cohere"


# --- whole replies ----------------------------------------------------------------------------------


def test_sync_reply_is_shaped_like_litellm(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=TEXT_REPLY, headers={"x-debug-trace-id": "t"}))
    resp = _chat(server)
    assert resp.id.startswith("chatcmpl-") and resp.model == "command-r"
    assert resp.model_dump()["choices"] == [
        {
            "finish_reason": "stop",
            "index": 0,
            "message": {"content": "Hello!", "role": "assistant", "tool_calls": None, "function_call": None},
        }
    ]
    assert resp.usage.model_dump() == {
        "completion_tokens": 11,
        "prompt_tokens": 496,
        "total_tokens": 507,
        "completion_tokens_details": None,
        "prompt_tokens_details": None,
    }
    assert resp._response_headers is None and resp._hidden_params["additional_headers"] == {}


def test_async_reply_with_tool_calls(server: LoopbackServer) -> None:
    body = {
        "id": "x",
        "finish_reason": "TOOL_CALL",
        "message": {
            "role": "assistant",
            "tool_plan": "I will",
            "tool_calls": [
                {
                    "id": "get_weather_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                }
            ],
        },
        "usage": USAGE,
    }
    server.enqueue(Reply(body=body))

    async def main() -> Any:
        return await edgequake.acompletion(
            model="cohere_chat/command-r",
            messages=USER,
            tools=[TOOL],
            api_key="k",
            api_base=server.url + "/v2/chat",
        )

    resp = asyncio.run(main())
    choice = resp.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content is None
    call = choice.message.tool_calls[0]
    assert (call.id, call.function.name, call.function.arguments, call.index) == (
        "get_weather_1",
        "get_weather",
        '{"city":"Paris"}',
        0,
    )


def test_document_citations_become_annotations(server: LoopbackServer) -> None:
    body = dict(
        TEXT_REPLY,
        message={
            "role": "assistant",
            "content": [{"type": "text", "text": "Penguins."}],
            "citations": [
                {
                    "start": 0,
                    "end": 8,
                    "sources": [{"type": "document", "id": "doc_0", "document": {"title": "T"}}],
                }
            ],
        },
    )
    server.enqueue(Reply(body=body))
    resp = _chat(server, documents=[{"id": "doc_0", "data": {"title": "T"}}])
    assert server.seen[-1].json()["documents"] == [{"id": "doc_0", "data": {"title": "T"}}]
    assert resp.choices[0].message.annotations == [
        {
            "type": "url_citation",
            "url_citation": {"start_index": 0, "end_index": 8, "title": "T", "url": "source:doc_0"},
        }
    ]


# --- streams ----------------------------------------------------------------------------------------


def test_sync_stream_reads_cohere_sse(server: LoopbackServer) -> None:
    server.enqueue(Reply(raw_events=_text_events("Hel", "lo")))
    chunks = list(_chat(server, stream=True, stream_options={"include_usage": True}))
    assert _contents(chunks) == "Hello"
    assert chunks[0].choices[0].delta.role == "assistant"
    assert len({c.id for c in chunks}) == 1 and chunks[0].id.startswith("chatcmpl-")
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].choices == [] and chunks[-1].usage.total_tokens == 507
    assert "stream_options" not in server.seen[-1].json()


def test_async_stream_with_tool_calls(server: LoopbackServer) -> None:
    events = [
        _event("message-start", id="s", delta={"message": {"role": "assistant"}}),
        _event("tool-plan-delta", delta={"message": {"tool_plan": "I will"}}),
        _event(
            "tool-call-start",
            index=0,
            delta={
                "message": {
                    "tool_calls": {
                        "id": "t1",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": ""},
                    }
                }
            },
        ),
        _event(
            "tool-call-delta",
            index=0,
            delta={"message": {"tool_calls": {"function": {"arguments": '{"city"'}}}},
        ),
        _event(
            "tool-call-delta",
            index=0,
            delta={"message": {"tool_calls": {"function": {"arguments": ': "Paris"}'}}}},
        ),
        _event("tool-call-end", index=0),
        _event(
            "tool-call-start",
            index=1,
            delta={
                "message": {
                    "tool_calls": {
                        "id": "t2",
                        "type": "function",
                        "function": {"name": "now", "arguments": ""},
                    }
                }
            },
        ),
        _event("tool-call-end", index=1),
        _event("message-end", delta={"finish_reason": "TOOL_CALL"}),
    ]
    server.enqueue(Reply(raw_events=events))

    async def main() -> List[Any]:
        stream = await edgequake.acompletion(
            model="cohere_chat/command-r",
            messages=USER,
            tools=[TOOL],
            stream=True,
            api_key="k",
            api_base=server.url + "/v2/chat",
        )
        return [c async for c in stream]

    chunks = asyncio.run(main())
    built = edgequake.stream_chunk_builder(chunks, messages=USER)
    calls = built.choices[0].message.tool_calls
    assert [(c.id, c.function.name, c.function.arguments) for c in calls] == [
        ("t1", "get_weather", '{"city": "Paris"}'),
        ("t2", "now", "{}"),  # a call without arguments is closed with {}
    ]
    assert built.choices[0].finish_reason == "tool_calls"


def test_first_chunk_arrives_while_the_server_holds_back(server: LoopbackServer) -> None:
    reply = Reply(raw_events=_text_events("first", "second"), hold_after=3)
    server.enqueue(reply)
    stream = _chat(server, stream=True)
    first = next(stream)
    assert _contents([first]) == "first"
    assert not reply.release.is_set(), "the later events are still held by the server"
    reply.release.set()
    assert _contents(list(stream)) == "second"


def test_async_first_chunk_arrives_while_the_server_holds_back(server: LoopbackServer) -> None:
    reply = Reply(raw_events=_text_events("first", "second"), hold_after=3)
    server.enqueue(reply)

    async def main() -> str:
        stream = await edgequake.acompletion(
            model="cohere_chat/command-r",
            messages=USER,
            stream=True,
            api_key="k",
            api_base=server.url + "/v2/chat",
        )
        got = await stream.__anext__()
        assert not reply.release.is_set()
        reply.release.set()
        return _contents([got]) + "|" + _contents([c async for c in stream])

    assert asyncio.run(main()) == "first|second"


def test_close_closes_the_connection(server: LoopbackServer) -> None:
    reply = Reply(raw_events=_text_events("a", "b"), hold_after=3)
    server.enqueue(reply)
    closed_before = server.closed_connections
    stream = _chat(server, stream=True)
    next(stream)
    stream.close()
    reply.release.set()
    deadline = time.monotonic() + 5
    while server.closed_connections == closed_before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.closed_connections > closed_before
    assert list(stream) == []


def test_stream_without_message_end_raises(server: LoopbackServer) -> None:
    server.enqueue(Reply(raw_events=_text_events("a")[:3]))
    stream = _chat(server, stream=True)
    with pytest.raises(edgequake.MidStreamFallbackError):
        list(stream)


# --- no litellm -------------------------------------------------------------------------------------


def test_calls_do_not_import_litellm(server: LoopbackServer) -> None:
    server.enqueue(
        Reply(body=TEXT_REPLY),
        Reply(body=TEXT_REPLY),
        Reply(raw_events=_text_events("a", "b")),
        Reply(body=EMBED),
        Reply(body=RERANK),
    )
    code = textwrap.dedent(
        f"""
        import asyncio, sys
        import edgequake
        base = {server.url!r}
        kw = dict(model="cohere_chat/command-r", messages=[{{"role": "user", "content": "hi"}}], api_key="k",
                  api_base=base + "/v2/chat")
        assert edgequake.completion(**kw).choices[0].message.content == "Hello!"
        async def main():
            return await edgequake.acompletion(**kw)
        assert asyncio.run(main()).choices[0].message.content == "Hello!"
        chunks = edgequake.completion(**kw, stream=True)
        assert "".join(c.choices[0].delta.content or "" for c in chunks) == "ab"
        edgequake.embedding(model="cohere/embed-english-v3.0", input=["a"], api_key="k",
                            api_base=base + "/v2/embed")
        edgequake.rerank(model="cohere/rerank-english-v3.0", query="q", documents=["a"], api_key="k",
                         api_base=base)
        assert "litellm" not in sys.modules, "a Cohere call imported litellm"
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
