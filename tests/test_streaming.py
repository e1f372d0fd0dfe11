"""Streams through the real core: chunks arrive as the server sends them, tool-call deltas and usage
chunks survive, closing closes the connection, a broken stream raises instead of ending quietly."""

from __future__ import annotations

import asyncio
import threading
import time

import openai
import pytest

import edgequake
from tests import payloads
from tests.loopback import LoopbackServer, Reply, sse

KW = {"model": "openai/gpt-4o-mini", "messages": payloads.USER, "api_key": "k"}


def _contents(chunks: list) -> str:
    return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)


def test_sync_stream_yields_litellm_chunks(server: LoopbackServer) -> None:
    server.enqueue(Reply(events=sse(*payloads.text_stream("Hel", "lo"))))
    stream = edgequake.completion(**KW, api_base=server.url + "/v1", stream=True)
    assert isinstance(stream, edgequake.CustomStreamWrapper)
    chunks = list(stream)
    assert _contents(chunks) == "Hello"
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert all(c.object == "chat.completion.chunk" and c.id == "chatcmpl-STREAM1" for c in chunks)
    assert len({c.created for c in chunks}) == 1
    assert server.seen[-1].json()["stream"] is True


def test_async_stream(server: LoopbackServer) -> None:
    server.enqueue(Reply(events=sse(*payloads.text_stream("a", "b", "c"))))

    async def main() -> list:
        stream = await edgequake.acompletion(**KW, api_base=server.url + "/v1", stream=True)
        return [c async for c in stream]

    assert _contents(asyncio.run(main())) == "abc"


def test_include_usage_adds_a_usage_chunk(server: LoopbackServer) -> None:
    server.enqueue(Reply(events=sse(*payloads.text_stream("hi"), payloads.usage_chunk())))
    chunks = list(
        edgequake.completion(
            **KW, api_base=server.url + "/v1", stream=True, stream_options={"include_usage": True}
        )
    )
    assert chunks[-1].choices == []
    assert chunks[-1].usage.total_tokens == 14
    assert server.seen[-1].json()["stream_options"] == {"include_usage": True}


def test_tool_call_deltas_and_stream_chunk_builder(server: LoopbackServer) -> None:
    server.enqueue(Reply(events=sse(*payloads.tool_call_stream())))
    chunks = list(edgequake.completion(**KW, api_base=server.url + "/v1", stream=True))
    fragments = [
        tc.function.arguments
        for c in chunks
        if c.choices and c.choices[0].delta.tool_calls
        for tc in c.choices[0].delta.tool_calls
    ]
    assert "".join(fragments) == '{"city": "Paris"}'
    built = edgequake.stream_chunk_builder(chunks, messages=payloads.USER)
    call = built.choices[0].message.tool_calls[0]
    assert (call.id, call.function.name, call.function.arguments) == (
        "call_abc",
        "get_weather",
        '{"city": "Paris"}',
    )
    assert built.choices[0].finish_reason == "tool_calls"


def test_first_chunk_arrives_while_the_server_holds_back(server: LoopbackServer) -> None:
    reply = Reply(events=sse(*payloads.text_stream("first", "second")), hold_after=2)
    server.enqueue(reply)
    stream = edgequake.completion(**KW, api_base=server.url + "/v1", stream=True)
    first = next(stream)
    second = next(stream)
    assert _contents([first, second]) == "first"
    assert not reply.release.is_set(), "the later events are still held by the server"
    reply.release.set()
    assert _contents(list(stream)) == "second"


def test_async_first_chunk_arrives_while_the_server_holds_back(server: LoopbackServer) -> None:
    reply = Reply(events=sse(*payloads.text_stream("first", "second")), hold_after=2)
    server.enqueue(reply)

    async def main() -> str:
        stream = await edgequake.acompletion(**KW, api_base=server.url + "/v1", stream=True)
        got = [await stream.__anext__(), await stream.__anext__()]
        assert not reply.release.is_set()
        reply.release.set()
        return _contents(got) + "|" + _contents([c async for c in stream])

    assert asyncio.run(main()) == "first|second"


def test_close_closes_the_connection(server: LoopbackServer) -> None:
    reply = Reply(events=sse(*payloads.text_stream("a", "b")), hold_after=2)
    server.enqueue(reply)
    closed_before = server.closed_connections
    stream = edgequake.completion(**KW, api_base=server.url + "/v1", stream=True)
    next(stream)
    stream.close()
    reply.release.set()  # the server's next write then meets the closed socket
    deadline = time.monotonic() + 5
    while server.closed_connections == closed_before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.closed_connections > closed_before
    assert list(stream) == []


def test_context_manager_closes(server: LoopbackServer) -> None:
    server.enqueue(Reply(events=sse(*payloads.text_stream("a"))))
    with edgequake.completion(**KW, api_base=server.url + "/v1", stream=True) as stream:
        next(stream)
    assert list(stream) == []


def test_stream_cut_midway_raises(server: LoopbackServer) -> None:
    events = sse(*payloads.text_stream("partial", "never")[:2], done=False)
    server.enqueue(Reply(events=events, cut=True))
    stream = edgequake.completion(**KW, api_base=server.url + "/v1", stream=True)
    got = []
    with pytest.raises(edgequake.exceptions.MidStreamFallbackError) as info:
        for c in stream:
            got.append(c)
    assert _contents(got) == "partial"
    assert info.value.generated_content == "partial"
    assert isinstance(info.value.original_exception, openai.APIError)
    assert info.value.status_code >= 500


def test_stream_ending_without_finish_reason_raises_midstream_fallback(server: LoopbackServer) -> None:
    server.enqueue(Reply(events=sse(*payloads.text_stream("partial")[:2], done=False)))
    with pytest.raises(edgequake.exceptions.MidStreamFallbackError):
        list(edgequake.completion(**KW, api_base=server.url + "/v1", stream=True))


def test_error_status_on_a_stream_raises_at_the_call(server: LoopbackServer) -> None:
    server.enqueue(Reply(status=401, body=payloads.error("Incorrect API key provided")))
    with pytest.raises(edgequake.exceptions.AuthenticationError):
        edgequake.completion(**KW, api_base=server.url + "/v1", stream=True)


def test_in_band_error_event_raises(server: LoopbackServer) -> None:
    events = [
        *sse(payloads.text_stream("x")[0], done=False),
        'event: error\ndata: {"error": {"message": "boom"}}',
    ]
    raw = [e.encode() + b"\n\n" if e.startswith("event:") else f"data: {e}\n\n".encode() for e in events]
    server.enqueue(Reply(raw_events=raw))
    # litellm itself lets a bare ValueError escape here (a registered divergence); edgequake raises
    # litellm's mid-stream exception carrying the provider's error body.
    with pytest.raises(edgequake.exceptions.MidStreamFallbackError, match="boom"):
        list(
            edgequake.completion(
                model="groq/llama",
                messages=payloads.USER,
                api_key="k",
                api_base=server.url + "/openai/v1",
                stream=True,
            )
        )


def test_sse_split_at_odd_byte_boundaries(server: LoopbackServer) -> None:
    text = "".join(f"data: {e}\r\n\r\n" for e in sse(*payloads.text_stream("héllo ", "wörld 🌍")))
    data = text.encode()
    server.enqueue(Reply(raw_events=[data[i : i + 7] for i in range(0, len(data), 7)]))
    chunks = list(edgequake.completion(**KW, api_base=server.url + "/v1", stream=True))
    assert _contents(chunks) == "héllo wörld 🌍"


def test_stream_consumed_from_another_thread(server: LoopbackServer) -> None:
    server.enqueue(Reply(events=sse(*payloads.text_stream("x", "y"))))
    stream = edgequake.completion(**KW, api_base=server.url + "/v1", stream=True)
    out: list = []
    worker = threading.Thread(target=lambda: out.extend(stream))
    worker.start()
    worker.join(10)
    assert _contents(out) == "xy"


def test_a_stream_that_called_tools_finishes_with_tool_calls(server: LoopbackServer) -> None:
    """litellm reports `tool_calls` when a provider ends a tool-calling stream with "stop"."""
    events = payloads.tool_call_stream()
    events[-1]["choices"][0]["finish_reason"] = "stop"
    server.enqueue(Reply(events=sse(*events)))
    chunks = list(edgequake.completion(**KW, api_base=server.url + "/v1", stream=True))
    assert chunks[-1].choices[0].finish_reason == "tool_calls"
