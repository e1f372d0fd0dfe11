"""Ollama NDJSON streams through the native core: chunks in litellm's shape, incremental delivery
(the first chunk arrives while the server holds back the rest), closing closes the connection,
mid-stream errors and truncation as litellm raises them."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

import edgequake
from tests.loopback import LoopbackServer, Reply
from tests.providers.ollama_payloads import NDJSON, USER, _text, chat_lines, chat_reply, generate_lines


def test_chat_stream_sync_and_builder(server: LoopbackServer) -> None:
    server.enqueue(Reply(raw_events=chat_lines("Hel", "lo"), headers=NDJSON))
    stream = edgequake.completion(
        model="ollama_chat/llama3.1", messages=USER, api_base=server.url, stream=True
    )
    chunks = list(stream)
    assert _text(chunks) == "Hello"
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    built = edgequake.stream_chunk_builder(chunks, messages=USER)
    assert (built.usage.prompt_tokens, built.usage.completion_tokens) == (14, 5)


def test_generate_stream_async_with_usage_chunk(server: LoopbackServer) -> None:
    server.enqueue(Reply(raw_events=generate_lines("A", " joke"), headers=NDJSON))

    async def main() -> list:
        stream = await edgequake.acompletion(
            model="ollama/llama3",
            messages=USER,
            api_base=server.url,
            stream=True,
            stream_options={"include_usage": True},
        )
        return [c async for c in stream]

    chunks = asyncio.run(main())
    assert _text(chunks) == "A joke"
    assert chunks[-1].choices == [] and chunks[-1].usage.total_tokens == 5
    assert "stream_options" not in server.seen[-1].json()


def test_stream_is_incremental(server: LoopbackServer) -> None:
    reply = Reply(raw_events=chat_lines("first", "second"), headers=NDJSON, hold_after=1)
    server.enqueue(reply)
    stream = edgequake.completion(
        model="ollama_chat/llama3.1", messages=USER, api_base=server.url, stream=True
    )
    first = next(stream)
    assert _text([first]) == "first"
    assert not reply.release.is_set(), "the server still holds back the rest"
    reply.release.set()
    assert _text(list(stream)) == "second"


def test_async_stream_is_incremental(server: LoopbackServer) -> None:
    reply = Reply(raw_events=generate_lines("first", "second"), headers=NDJSON, hold_after=1)
    server.enqueue(reply)

    async def main() -> str:
        stream = await edgequake.acompletion(
            model="ollama/llama3", messages=USER, api_base=server.url, stream=True
        )
        got = [await stream.__anext__()]
        assert not reply.release.is_set()
        reply.release.set()
        return _text(got) + "|" + _text([c async for c in stream])

    assert asyncio.run(main()) == "first|second"


def test_closing_a_stream_closes_the_connection(server: LoopbackServer) -> None:
    reply = Reply(raw_events=chat_lines("a", "b"), headers=NDJSON, hold_after=1)
    server.enqueue(reply)
    closed_before = server.closed_connections
    stream = edgequake.completion(
        model="ollama_chat/llama3.1", messages=USER, api_base=server.url, stream=True
    )
    next(stream)
    stream.close()
    reply.release.set()
    deadline = time.monotonic() + 5
    while server.closed_connections == closed_before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.closed_connections > closed_before
    assert list(stream) == []


def test_error_line_mid_stream_is_litellms_bad_request(server: LoopbackServer) -> None:
    lines = [*chat_lines("Hel", done=False), b'{"error": "unexpected EOF"}\n']
    server.enqueue(Reply(raw_events=lines, headers=NDJSON))
    stream = edgequake.completion(
        model="ollama_chat/llama3.1", messages=USER, api_base=server.url, stream=True
    )
    assert _text([next(stream)]) == "Hel"
    with pytest.raises(edgequake.BadRequestError) as info:
        next(stream)
    assert "KeyError: 'message', Got unexpected response from Ollama: {'error': 'unexpected EOF'}" in str(
        info.value
    )


def test_truncated_stream_raises_midstream_fallback(server: LoopbackServer) -> None:
    server.enqueue(Reply(raw_events=chat_lines("Hel", done=False), headers=NDJSON))
    stream = edgequake.completion(
        model="ollama_chat/llama3.1", messages=USER, api_base=server.url, stream=True
    )
    with pytest.raises(edgequake.exceptions.MidStreamFallbackError) as info:
        list(stream)
    assert "Ollama_chatException - Stream ended before a finish_reason was received" in str(info.value)


def test_stream_thinking_and_tool_calls(server: LoopbackServer) -> None:
    call = {"function": {"name": "get_weather", "arguments": {"city": "Paris"}}}
    lines = [
        {"model": "m", "message": {"role": "assistant", "content": "", "thinking": "Hmm"}, "done": False},
        {"model": "m", "message": {"role": "assistant", "content": "", "tool_calls": [call]}, "done": False},
        chat_reply(""),
    ]
    server.enqueue(Reply(raw_events=[(json.dumps(x) + "\n").encode() for x in lines], headers=NDJSON))
    chunks = list(
        edgequake.completion(model="ollama_chat/llama3.1", messages=USER, api_base=server.url, stream=True)
    )
    assert chunks[0].choices[0].delta.reasoning_content == "Hmm"
    tool = chunks[1].choices[0].delta.tool_calls[0]
    assert tool.function.arguments == '{"city": "Paris"}' and len(tool.id) == 36  # a bare uuid4
    assert chunks[-1].choices[0].finish_reason == "tool_calls"


def test_generate_stream_holds_a_json_reply_to_the_end(server: LoopbackServer) -> None:
    server.enqueue(Reply(raw_events=generate_lines('{"a"', ": 1}"), headers=NDJSON))
    chunks = list(
        edgequake.completion(model="ollama/llama3", messages=USER, api_base=server.url, stream=True)
    )
    assert [c.choices[0].delta.content for c in chunks if c.choices] == ['{"a": 1}', None]
    assert chunks[-1].choices[0].finish_reason == "stop"
