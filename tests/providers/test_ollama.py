"""Ollama through the native core (``ollama/`` -> /api/generate, ``ollama_chat/`` -> /api/chat,
embeddings -> /api/embed): requests in Ollama's shape, replies and NDJSON streams in litellm's,
errors as litellm maps them; streams are incremental and closing one closes its connection; the
calls never import litellm."""

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

USER = [{"role": "user", "content": "Say hello in one word."}]
NDJSON = {"content-type": "application/x-ndjson"}


def chat_reply(content: str = "Hello", **extra: Any) -> Dict[str, Any]:
    body = {
        "model": "llama3.1",
        "created_at": "2025-01-01T00:00:00Z",
        "message": {"role": "assistant", "content": content},
        "done": True,
        "done_reason": "stop",
        "prompt_eval_count": 14,
        "eval_count": 5,
    }
    body.update(extra)
    return body


def chat_lines(*texts: str, done: bool = True) -> List[bytes]:
    lines = [
        {"model": "llama3.1", "message": {"role": "assistant", "content": t}, "done": False} for t in texts
    ]
    if done:
        lines.append(chat_reply(""))
    return [(json.dumps(line) + "\n").encode() for line in lines]


def generate_lines(*texts: str) -> List[bytes]:
    lines: List[Dict[str, Any]] = [{"model": "llama3", "response": t, "done": False} for t in texts]
    lines.append({"model": "llama3", "response": "", "done": True, "prompt_eval_count": 3, "eval_count": 2})
    return [(json.dumps(line) + "\n").encode() for line in lines]


def _text(chunks: list) -> str:
    return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)


def test_chat_sync_request_and_response(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=chat_reply("<think>hmm</think>Hello")))
    resp = edgequake.completion(
        model="ollama_chat/llama3.1",
        messages=USER,
        api_base=server.url,
        max_tokens=7,
        temperature=0.2,
        frequency_penalty=0.5,
        num_ctx=4096,
        keep_alive="5m",
        response_format={"type": "json_object"},
    )
    seen = server.seen[-1]
    assert seen.path == "/api/chat"
    assert seen.json() == {
        "model": "llama3.1",
        "messages": [{"role": "user", "content": "Say hello in one word.", "images": []}],
        "options": {"num_predict": 7, "temperature": 0.2, "repeat_penalty": 0.5, "num_ctx": 4096},
        "stream": False,
        "format": "json",
        "keep_alive": "5m",
    }
    assert resp.model == "ollama_chat/llama3.1"
    assert resp.id.startswith("chatcmpl-")
    assert resp.choices[0].message.content == "Hello"
    assert resp.choices[0].message.reasoning_content == "hmm"
    assert resp.choices[0].finish_reason == "stop"
    assert (resp.usage.prompt_tokens, resp.usage.completion_tokens, resp.usage.total_tokens) == (14, 5, 19)


def test_chat_async_with_tool_call_and_key(server: LoopbackServer) -> None:
    call = {"function": {"name": "get_weather", "arguments": {"city": "Paris"}}}
    server.enqueue(
        Reply(body=chat_reply("", message={"role": "assistant", "content": "", "tool_calls": [call]}))
    )

    async def main() -> Any:
        return await edgequake.acompletion(
            model="ollama_chat/llama3.1", messages=USER, api_base=server.url, api_key="sk-o"
        )

    resp = asyncio.run(main())
    assert server.seen[-1].headers.get("authorization") == "Bearer sk-o"
    tool = resp.choices[0].message.tool_calls[0]
    assert (tool.function.name, tool.function.arguments) == ("get_weather", '{"city": "Paris"}')
    assert tool.id and resp.choices[0].finish_reason == "tool_calls"


def test_generate_renders_litellm_prompt(server: LoopbackServer) -> None:
    server.enqueue(
        Reply(
            body={"model": "llama3", "response": "Hi", "done": True, "prompt_eval_count": 3, "eval_count": 1}
        )
    )
    messages = [{"role": "system", "content": "Be brief."}, *USER]
    resp = edgequake.completion(model="ollama/llama3", messages=messages, api_base=server.url)
    body = server.seen[-1].json()
    assert server.seen[-1].path == "/api/generate"
    assert body["prompt"] == "### System:\nBe brief.\n\n### User:\nSay hello in one word.\n\n"
    assert body["images"] == [] and body["stream"] is False
    assert resp.model == "ollama/llama3" and resp.choices[0].message.content == "Hi"


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


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (401, "AuthenticationError"),
        (403, "PermissionDeniedError"),
        (404, "NotFoundError"),
        (429, "RateLimitError"),
        (500, "InternalServerError"),
        (503, "ServiceUnavailableError"),
        (529, "APIError"),
    ],
)
def test_error_status_maps_as_litellm(server: LoopbackServer, status: int, cls: str) -> None:
    server.enqueue(Reply(status=status, body={"error": "nope"}))
    with pytest.raises(getattr(edgequake.exceptions, cls)) as info:
        edgequake.completion(model="ollama_chat/llama3.1", messages=USER, api_base=server.url)
    assert info.value.status_code == status
    assert str(info.value).startswith(f'litellm.{cls}: Ollama_chatException - {{"error": "nope"}}')
    assert info.value.llm_provider == "ollama_chat"


def test_unparseable_body_is_an_api_connection_error(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=b'{"model": "llama3.1", "message": {"content": "cut'))
    with pytest.raises(edgequake.APIConnectionError) as info:
        edgequake.completion(model="ollama_chat/llama3.1", messages=USER, api_base=server.url)
    assert str(info.value).startswith("litellm.APIConnectionError: Unterminated string starting at")


def test_embedding_sync_and_async(server: LoopbackServer) -> None:
    reply = {"model": "nomic", "embeddings": [[0.1, 0.2]], "prompt_eval_count": 4}
    server.enqueue(Reply(body=reply), Reply(body=reply))
    resp = edgequake.embedding(model="ollama/nomic", input="hi", api_base=server.url, dimensions=2)
    assert server.seen[-1].path == "/api/embed"
    assert server.seen[-1].json() == {"model": "nomic", "input": ["hi"], "dimensions": 2}
    assert resp.model == "ollama/nomic" and resp.data[0]["embedding"] == [0.1, 0.2]
    assert (resp.usage.prompt_tokens, resp.usage.total_tokens) == (4, 4)

    async def main() -> Any:
        return await edgequake.aembedding(model="ollama/nomic", input=["hi"], api_base=server.url)

    assert asyncio.run(main()).usage.prompt_tokens == 4


def test_module_api_base_wins_over_the_call(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(edgequake, "api_base", server.url)
    server.enqueue(Reply(body=chat_reply()))
    edgequake.completion(model="ollama_chat/llama3.1", messages=USER, api_base="http://127.0.0.1:9")
    assert server.seen[-1].path == "/api/chat"


def test_unsupported_param_raises_unless_dropped(server: LoopbackServer) -> None:
    with pytest.raises(edgequake.exceptions.UnsupportedParamsError):
        edgequake.completion(
            model="ollama_chat/llama3.1", messages=USER, api_base=server.url, presence_penalty=1
        )
    server.enqueue(Reply(body=chat_reply()))
    edgequake.completion(
        model="ollama_chat/llama3.1", messages=USER, api_base=server.url, presence_penalty=1, drop_params=True
    )
    assert "presence_penalty" not in json.dumps(server.seen[-1].json())


def test_calls_do_not_import_litellm(server: LoopbackServer) -> None:
    server.enqueue(
        Reply(body=chat_reply()),
        Reply(body=chat_reply()),
        Reply(raw_events=chat_lines("a", "b"), headers=NDJSON),
    )
    script = textwrap.dedent(
        """
        import asyncio, sys
        import edgequake
        base = sys.argv[1]
        kw = dict(model="ollama_chat/llama3.1", messages=[{"role": "user", "content": "hi"}], api_base=base)
        assert edgequake.completion(**kw).choices[0].message.content == "Hello"
        assert asyncio.run(edgequake.acompletion(**kw)).choices[0].message.content == "Hello"
        streamed = edgequake.completion(**kw, stream=True)
        assert "".join(c.choices[0].delta.content or "" for c in streamed) == "ab"
        print("litellm" in sys.modules)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script, server.url], capture_output=True, text=True, timeout=120, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_timeout_is_litellms_ollama_timeout(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=chat_reply(), delay=3))
    with pytest.raises(edgequake.Timeout) as info:
        edgequake.completion(model="ollama_chat/llama3.1", messages=USER, api_base=server.url, timeout=0.5)
    assert str(info.value).startswith("litellm.Timeout: OllamaException: litellm.Timeout: Read timed out.")
    assert info.value.llm_provider == "ollama"  # litellm's Ollama mapper names it so on both routes


def test_refused_connection_is_an_api_connection_error() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(edgequake.APIConnectionError) as info:
        edgequake.completion(model="ollama/llama3", messages=USER, api_base=f"http://127.0.0.1:{port}")
    assert "OllamaException - [Errno 111] Connection refused" in str(info.value)


def test_pydantic_response_format_becomes_the_schema(server: LoopbackServer) -> None:
    import pydantic

    class Pet(pydantic.BaseModel):
        name: str

    server.enqueue(Reply(body=chat_reply("{}")))
    edgequake.completion(
        model="ollama_chat/llama3.1", messages=USER, api_base=server.url, response_format=Pet
    )
    fmt = server.seen[-1].json()["format"]
    assert fmt["required"] == ["name"] and fmt["additionalProperties"] is False


def test_tools_on_generate_go_in_litellms_function_prompt(server: LoopbackServer) -> None:
    reply = {"model": "llama3", "response": '{"name": "f", "arguments": {"q": 1}}', "done": True}
    server.enqueue(Reply(body={**reply, "prompt_eval_count": 3, "eval_count": 2}))
    tools = [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]
    resp = edgequake.completion(
        model="ollama/llama3", messages=USER, api_base=server.url, tools=tools, tool_choice="auto"
    )
    body = server.seen[-1].json()
    assert body["format"] == "json"
    assert "### System:\nTo call a function, reply with JSON ONLY" in body["prompt"]
    assert (
        "{'function': {'name': 'f', 'parameters': {'type': 'object'}}, 'type': 'function'}" in body["prompt"]
    )
    call = resp.choices[0].message.tool_calls[0]
    assert call.id.startswith("call_") and call.function.arguments == '{"q": 1}'
    assert resp.choices[0].finish_reason == "tool_calls"


def test_env_base_and_keys_as_litellm_reads_them(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OLLAMA_API_BASE", server.url)
    monkeypatch.setenv("OLLAMA_API_KEY", "envk")
    monkeypatch.setattr(edgequake, "api_key", "global", raising=False)
    server.enqueue(Reply(body=chat_reply()), Reply(body={"model": "m", "response": "x", "done": True}))
    edgequake.completion(model="ollama_chat/llama3.1", messages=USER)
    edgequake.completion(model="ollama/llama3", messages=USER)
    # OLLAMA_API_KEY before litellm.api_key on both routes
    assert [s.headers.get("authorization") for s in server.seen] == ["Bearer envk", "Bearer envk"]
    monkeypatch.delenv("OLLAMA_API_KEY")
    server.enqueue(Reply(body=chat_reply()), Reply(body={"model": "m", "response": "x", "done": True}))
    edgequake.completion(model="ollama_chat/llama3.1", messages=USER)
    edgequake.completion(model="ollama/llama3", messages=USER)
    # litellm.api_key reaches ollama_chat/ only
    assert [s.headers.get("authorization") for s in server.seen[2:]] == ["Bearer global", None]


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


def test_generate_images_other_than_png_or_jpeg_need_pillow(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "PIL", None)  # as without Pillow installed
    gif = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
    content = [{"type": "text", "text": "x"}, {"type": "image_url", "image_url": {"url": gif}}]
    with pytest.raises(edgequake.APIConnectionError) as info:
        edgequake.completion(
            model="ollama/llama3", messages=[{"role": "user", "content": content}], api_base=server.url
        )
    assert (
        str(info.value)
        == "litellm.APIConnectionError: ollama image conversion failed please run `pip install Pillow`"
    )
    assert server.seen == []
