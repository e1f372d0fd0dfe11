"""Ollama through the native core (``ollama/`` -> /api/generate, ``ollama_chat/`` -> /api/chat,
embeddings -> /api/embed): requests in Ollama's shape, replies in litellm's, errors as litellm maps
them, keys and bases as litellm reads them; the calls never import litellm. Streams:
``test_ollama_stream.py``."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
from typing import Any

import pytest

import edgequake
from tests.loopback import LoopbackServer, Reply
from tests.providers.ollama_payloads import NDJSON, USER, chat_lines, chat_reply


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
