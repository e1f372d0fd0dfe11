"""The native Anthropic route (``anthropic/<model>`` and litellm's bare ``claude-*`` names) against the
loopback fake: the request the core sends, whole replies, streams (incremental, closable), errors.
Expected values are what litellm 1.110.2 produces for the same replies (the harness checks the full
objects on recorded traffic; these tests pin the behaviour that must not regress).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
import time
from typing import Any, Dict, List

import pytest

import edgequake
from tests.loopback import LoopbackServer, Reply

KW: Dict[str, Any] = {
    "model": "anthropic/claude-sonnet-4-5",
    "messages": [{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi"}],
    "api_key": "sk-ant-test",
}


def _message(**over: Any) -> Dict[str, Any]:
    body = {
        "id": "msg_01",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5-20250929",
        "content": [{"type": "text", "text": "Hello there!"}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {
            "input_tokens": 10,
            "output_tokens": 5,
            "cache_creation_input_tokens": 3,
            "cache_read_input_tokens": 4,
            "service_tier": "standard",
        },
    }
    body.update(over)
    return body


def _events(*texts: str, tool: bool = False) -> List[str]:
    start = {
        "type": "message_start",
        "message": {
            **_message(content=[], stop_reason=None),
            "usage": {"input_tokens": 9, "output_tokens": 1},
        },
    }
    out: List[Any] = [
        start,
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
    ]
    out.append({"type": "ping"})
    for t in texts:
        out.append({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": t}})
    out.append({"type": "content_block_stop", "index": 0})
    stop = "end_turn"
    if tool:
        out.append(
            {
                "type": "content_block_start",
                "index": 1,
                "content_block": {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {}},
            }
        )
        for part in ('{"city": ', '"Paris"}'):
            out.append(
                {
                    "type": "content_block_delta",
                    "index": 1,
                    "delta": {"type": "input_json_delta", "partial_json": part},
                }
            )
        out.append({"type": "content_block_stop", "index": 1})
        stop = "tool_use"
    out.append({"type": "message_delta", "delta": {"stop_reason": stop}, "usage": {"output_tokens": 7}})
    out.append({"type": "message_stop"})
    return [json.dumps(e) for e in out]


def _text(chunks: list) -> str:
    return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)


def test_request_is_anthropic_messages(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=_message()))
    edgequake.completion(
        **KW,
        api_base=server.url,
        tools=[{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}],
        tool_choice="required",
        stop="END",
        top_k=3,
    )
    seen = server.seen[-1]
    assert seen.path == "/v1/messages"
    assert seen.headers["x-api-key"] == "sk-ant-test"
    assert seen.headers["anthropic-version"] == "2023-06-01"
    assert "authorization" not in seen.headers
    body = seen.json()
    assert body["system"] == [{"type": "text", "text": "be brief"}]
    assert body["messages"] == [{"role": "user", "content": [{"type": "text", "text": "hi"}]}]
    assert body["max_tokens"] == 64000  # litellm's default for the model: its max output tokens
    assert body["tools"] == [
        {"name": "f", "input_schema": {"type": "object", "properties": {}}, "type": "custom"}
    ]
    assert body["tool_choice"] == {"type": "any"}
    assert body["stop_sequences"] == ["END"]
    assert body["top_k"] == 3


def test_thinking_budget_sets_max_tokens_and_effort_maps(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=_message()), Reply(body=_message()))
    edgequake.completion(**KW, api_base=server.url, thinking={"type": "enabled", "budget_tokens": 2000})
    assert server.seen[-1].json()["max_tokens"] == 6096
    edgequake.completion(**KW, api_base=server.url, reasoning_effort="low")
    body = server.seen[-1].json()
    assert body["thinking"] == {"type": "enabled", "budget_tokens": 1024}
    assert body["max_tokens"] == 5120


def test_unsupported_param_raises_unless_dropped(server: LoopbackServer) -> None:
    with pytest.raises(edgequake.UnsupportedParamsError):
        edgequake.completion(**KW, api_base=server.url, presence_penalty=0.5)
    server.enqueue(Reply(body=_message()))
    edgequake.completion(**KW, api_base=server.url, presence_penalty=0.5, drop_params=True)
    assert "presence_penalty" not in server.seen[-1].json()


def test_bare_claude_name_routes_to_anthropic(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=_message()))
    edgequake.completion(**{**KW, "model": "claude-sonnet-4-5"}, api_base=server.url)
    assert server.seen[-1].path == "/v1/messages"
    with pytest.raises(edgequake.BadRequestError):  # litellm routes only the names its map lists
        edgequake.completion(**{**KW, "model": "claude-3-5-haiku-20241022"}, api_base=server.url)


def test_whole_reply_usage_counts_cache_tokens(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=_message()))
    resp = edgequake.completion(**KW, api_base=server.url)
    assert resp.choices[0].message.content == "Hello there!"
    assert resp.choices[0].finish_reason == "stop"
    assert resp.id.startswith("chatcmpl-") and resp.model == "claude-sonnet-4-5-20250929"
    assert resp.choices[0].message.provider_specific_fields == {"citations": None, "thinking_blocks": None}
    u = resp.usage
    assert (u.prompt_tokens, u.completion_tokens, u.total_tokens) == (17, 5, 22)
    assert u.prompt_tokens_details.cached_tokens == 4
    assert u.prompt_tokens_details.text_tokens == 10
    assert u.cache_creation_input_tokens == 3


def test_whole_reply_tool_calls_and_thinking(server: LoopbackServer) -> None:
    content = [
        {"type": "thinking", "thinking": "hmm", "signature": "sig"},
        {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {"a": "é"}},
    ]
    server.enqueue(Reply(body=_message(content=content, stop_reason="tool_use")))
    resp = edgequake.completion(**KW, api_base=server.url)
    msg = resp.choices[0].message
    assert resp.choices[0].finish_reason == "tool_calls"
    assert msg.content is None
    assert msg.tool_calls[0].function.arguments == '{"a": "\\u00e9"}'  # Python's json.dumps
    assert msg.tool_calls[0].id == "toolu_1"
    assert msg.reasoning_content == "hmm"
    assert msg.thinking_blocks == [{"type": "thinking", "thinking": "hmm", "signature": "sig"}]


def test_async_whole_reply(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=_message()))

    async def main() -> Any:
        return await edgequake.acompletion(**KW, api_base=server.url)

    assert asyncio.run(main()).choices[0].message.content == "Hello there!"


def test_sync_stream(server: LoopbackServer) -> None:
    server.enqueue(Reply(events=_events("Hel", "lo")))
    chunks = list(edgequake.completion(**KW, api_base=server.url, stream=True))
    assert _text(chunks) == "Hello"
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert len({c.id for c in chunks}) == 1 and chunks[0].id.startswith("chatcmpl-")
    assert server.seen[-1].json()["stream"] is True


def test_stream_tool_call_and_usage_chunk(server: LoopbackServer) -> None:
    server.enqueue(Reply(events=_events("ok", tool=True)))
    chunks = list(
        edgequake.completion(**KW, api_base=server.url, stream=True, stream_options={"include_usage": True})
    )
    deltas = [c.choices[0].delta for c in chunks if c.choices]
    args = "".join(tc.function.arguments for d in deltas for tc in d.tool_calls or [])
    assert args == '{"city": "Paris"}'
    assert chunks[-2].choices[0].finish_reason == "tool_calls"
    assert chunks[-1].choices == [] and chunks[-1].usage.completion_tokens == 7
    assert "stream_options" not in server.seen[-1].json()
    built = edgequake.stream_chunk_builder(chunks)
    assert built.choices[0].message.tool_calls[0].function.name == "get_weather"


def test_async_stream(server: LoopbackServer) -> None:
    server.enqueue(Reply(events=_events("a", "b")))

    async def main() -> list:
        stream = await edgequake.acompletion(**KW, api_base=server.url, stream=True)
        return [c async for c in stream]

    assert _text(asyncio.run(main())) == "ab"


def test_stream_is_incremental(server: LoopbackServer) -> None:
    reply = Reply(events=_events("first", "second"), hold_after=4)  # start, block start, ping, "first"
    server.enqueue(reply)
    stream = edgequake.completion(**KW, api_base=server.url, stream=True)
    first = next(stream)
    assert first.choices[0].delta.content == "first"
    assert not reply.release.is_set(), "the later events are still held by the server"
    reply.release.set()
    assert _text(list(stream)) == "second"


def test_async_stream_is_incremental(server: LoopbackServer) -> None:
    reply = Reply(events=_events("first", "second"), hold_after=4)
    server.enqueue(reply)

    async def main() -> str:
        stream = await edgequake.acompletion(**KW, api_base=server.url, stream=True)
        got = await stream.__anext__()
        assert not reply.release.is_set()
        reply.release.set()
        return (got.choices[0].delta.content or "") + "|" + _text([c async for c in stream])

    assert asyncio.run(main()) == "first|second"


def test_closing_a_stream_closes_the_connection(server: LoopbackServer) -> None:
    reply = Reply(events=_events("a", "b"), hold_after=4)
    server.enqueue(reply)
    closed_before = server.closed_connections
    stream = edgequake.completion(**KW, api_base=server.url, stream=True)
    next(stream)
    stream.close()
    reply.release.set()
    deadline = time.monotonic() + 5
    while server.closed_connections == closed_before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.closed_connections > closed_before
    assert list(stream) == []


def test_error_event_mid_stream_raises_midstream_fallback(server: LoopbackServer) -> None:
    error = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    events = [*_events("Hel")[:4], json.dumps(error)]
    server.enqueue(Reply(events=events))
    stream = edgequake.completion(**KW, api_base=server.url, stream=True)
    assert next(stream).choices[0].delta.content == "Hel"
    with pytest.raises(edgequake.MidStreamFallbackError) as info:
        next(stream)
    assert "AnthropicError - Overloaded" in str(info.value)


def test_truncated_stream_raises(server: LoopbackServer) -> None:
    server.enqueue(Reply(events=_events("partial")[:4]))
    with pytest.raises(edgequake.MidStreamFallbackError) as info:
        list(edgequake.completion(**KW, api_base=server.url, stream=True))
    assert "AnthropicException - Stream ended before a finish_reason was received" in str(info.value)


def _error(kind: str, message: str) -> Dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": message}}


@pytest.mark.parametrize(
    "status,kind,text,cls,code",
    [
        (401, "authentication_error", "invalid x-api-key", "AuthenticationError", 401),
        (400, "invalid_request_error", "prompt is too long: 9 > 8", "ContextWindowExceededError", 400),
        (404, "not_found_error", "model: x", "NotFoundError", 404),
        (413, "request_too_large", "too big", "BadRequestError", 400),
        (429, "rate_limit_error", "slow down", "RateLimitError", 429),
        (500, "api_error", "Internal server error", "InternalServerError", 500),
        (529, "overloaded_error", "Overloaded", "InternalServerError", 500),
    ],
)
def test_error_replies(
    server: LoopbackServer, status: int, kind: str, text: str, cls: str, code: int
) -> None:
    server.enqueue(Reply(status=status, body=_error(kind, text), headers={"retry-after": "3"}))
    with pytest.raises(getattr(edgequake, cls)) as info:
        edgequake.completion(**KW, api_base=server.url)
    exc = info.value
    assert type(exc).__name__ == cls
    assert exc.status_code == code and exc.llm_provider == "anthropic"
    assert "sk-ant-test" not in str(exc)
    assert len(server.seen) == 1  # the anthropic route makes one attempt


def test_calls_do_not_import_litellm(server: LoopbackServer) -> None:
    """A sync, an async and a streamed call on the native route, in a fresh interpreter."""
    server.enqueue(Reply(body=_message()), Reply(body=_message()), Reply(events=_events("x")))
    code = textwrap.dedent(
        f"""
        import asyncio, sys
        import edgequake
        kw = dict(model="anthropic/claude-sonnet-4-5", messages=[{{"role": "user", "content": "hi"}}],
                  api_key="k", api_base={server.url!r})
        assert edgequake.completion(**kw).choices[0].message.content == "Hello there!"
        async def main():
            return await edgequake.acompletion(**kw)
        assert asyncio.run(main()).choices[0].message.content == "Hello there!"
        chunks = list(edgequake.completion(**kw, stream=True))
        assert "".join(c.choices[0].delta.content or "" for c in chunks) == "x"
        assert "litellm" not in sys.modules, "the native route must not import litellm"
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC")}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=120)


def test_response_format_on_a_model_without_structured_outputs(server: LoopbackServer) -> None:
    """litellm sends the schema as a forced ``json_tool_call`` tool and answers with its arguments."""
    call = {"type": "tool_use", "id": "toolu_1", "name": "json_tool_call", "input": {"a": "é"}}
    server.enqueue(Reply(body=_message(content=[call], stop_reason="tool_use")))
    schema = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
    resp = edgequake.completion(
        **{**KW, "model": "anthropic/claude-3-5-haiku-20241022"},
        api_base=server.url,
        response_format={"type": "json_schema", "json_schema": {"name": "o", "schema": schema}},
    )
    body = server.seen[-1].json()
    assert body["tools"] == [{"name": "json_tool_call", "input_schema": schema}]
    assert body["tool_choice"] == {"name": "json_tool_call", "type": "tool"}
    msg = resp.choices[0].message
    assert msg.content == '{"a": "é"}' and msg.tool_calls is None
    assert resp.choices[0].finish_reason == "stop"


def test_native_structured_output_schema_is_closed(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=_message()))
    schema = {"type": "object", "properties": {"n": {"type": "string", "minLength": 3}}}
    edgequake.completion(
        **KW, api_base=server.url, response_format={"type": "json_schema", "json_schema": {"schema": schema}}
    )
    out = server.seen[-1].json()["output_format"]
    assert out["schema"]["additionalProperties"] is False
    assert out["schema"]["properties"]["n"] == {"description": "Note: minimum length: 3.", "type": "string"}


def test_empty_assistant_turn_gets_litellm_placeholder(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=_message()))
    messages = [
        {"role": "user", "content": "a"},
        {"role": "assistant", "content": ""},
        {"role": "user", "content": "b"},
    ]
    edgequake.completion(**{**KW, "messages": messages}, api_base=server.url, user="u-1")
    body = server.seen[-1].json()
    assert body["messages"][1]["content"] == [
        {"type": "text", "text": "[System: Empty message content sanitised to satisfy protocol]"}
    ]
    assert body["metadata"] == {"user_id": "u-1"}


def test_refused_connection_is_litellm_internal_server_error() -> None:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with pytest.raises(edgequake.InternalServerError) as info:
        edgequake.completion(**KW, api_base=f"http://127.0.0.1:{port}")
    assert "AnthropicException - [Errno 111] Connection refused" in str(info.value)


def test_beta_headers_follow_the_body(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=_message()), Reply(body=_message()))
    schema = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
    rf = {"type": "json_schema", "json_schema": {"name": "o", "schema": schema}}
    edgequake.completion(**KW, api_base=server.url, response_format=rf)
    assert server.seen[-1].headers["anthropic-beta"] == "structured-outputs-2025-11-13"
    edgequake.completion(**KW, api_base=server.url)
    assert "anthropic-beta" not in server.seen[-1].headers


def test_stream_citations_and_refusal_as_litellm_reports_them(server: LoopbackServer) -> None:
    start = json.loads(_events()[0])
    citation = {"type": "char_location", "cited_text": "c"}
    events = [
        start,
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        {
            "type": "content_block_delta",
            "index": 0,
            "delta": {"type": "citations_delta", "citation": citation},
        },
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "A"}},
        {"type": "content_block_stop", "index": 0},
        {
            "type": "message_delta",
            "delta": {"stop_reason": "refusal", "stop_details": {"explanation": "no"}},
            "usage": {"output_tokens": 2},
        },
        {"type": "message_stop"},
    ]
    server.enqueue(Reply(events=[json.dumps(e) for e in events]))
    chunks = list(edgequake.completion(**KW, api_base=server.url, stream=True))
    assert chunks[0].choices[0].delta.provider_specific_fields == {"citation": citation}
    assert chunks[-2].choices[0].delta.refusal == "no"
    assert chunks[-1].choices[0].finish_reason == "content_filter"
    built = edgequake.stream_chunk_builder(chunks)
    psf = built.choices[0].message.provider_specific_fields
    assert psf["citations"] == [[citation]] and "citation" not in psf


def test_missing_key_fails_before_any_request(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    kw = {k: v for k, v in KW.items() if k != "api_key"}
    with pytest.raises(edgequake.AuthenticationError, match="Missing Anthropic API Key") as info:
        edgequake.completion(**kw, api_base=server.url)
    assert info.value.model == "claude-sonnet-4-5"
    assert server.seen == []


def test_stream_json_mode_through_the_response_format_tool(server: LoopbackServer) -> None:
    start = json.loads(_events()[0])
    events: List[Any] = [
        start,
        {
            "type": "content_block_start",
            "index": 0,
            "content_block": {"type": "tool_use", "id": "t1", "name": "json_tool_call", "input": {}},
        },
    ]
    for part in ('{"a": "x', 'y"}'):
        delta = {"type": "input_json_delta", "partial_json": part}
        events.append({"type": "content_block_delta", "index": 0, "delta": delta})
    events += [
        {"type": "content_block_stop", "index": 0},
        {"type": "message_delta", "delta": {"stop_reason": "tool_use"}, "usage": {"output_tokens": 3}},
        {"type": "message_stop"},
    ]
    server.enqueue(Reply(events=[json.dumps(e) for e in events]))
    schema = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
    chunks = list(
        edgequake.completion(
            **{**KW, "model": "anthropic/claude-3-5-haiku-20241022"},
            api_base=server.url,
            stream=True,
            response_format={"type": "json_schema", "json_schema": {"name": "o", "schema": schema}},
        )
    )
    # as litellm streams it: the arguments as content, the closing brace held back to the end
    assert [c.choices[0].delta.content for c in chunks] == ['{"a": "x', 'y"', "}", None]
    assert all(c.choices[0].delta.tool_calls is None for c in chunks)
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_bearer_auth_for_oauth_tokens_and_auth_token(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.enqueue(Reply(body=_message()), Reply(body=_message()))
    edgequake.completion(**{**KW, "api_key": "sk-ant-oat01-abc"}, api_base=server.url)
    seen = server.seen[-1].headers
    assert seen["authorization"] == "Bearer sk-ant-oat01-abc" and "x-api-key" not in seen
    assert seen["anthropic-beta"] == "oauth-2025-04-20"
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.setenv("ANTHROPIC_AUTH_TOKEN", "tok-1")
    kw = {k: v for k, v in KW.items() if k != "api_key"}
    edgequake.completion(**kw, api_base=server.url)
    assert server.seen[-1].headers["authorization"] == "Bearer tok-1"
