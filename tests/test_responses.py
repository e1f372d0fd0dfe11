"""``responses``/``aresponses`` (the OpenAI Responses API) through the real core against the loopback
server: the request litellm sends, the objects it returns, streams read incrementally, and failures as
litellm raises them; compared with litellm itself where the value is litellm's."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
from typing import Any, Dict, List

import pytest

import edgequake
from tests.loopback import LoopbackServer, Reply

litellm = pytest.importorskip("litellm")

BODY: Dict[str, Any] = {
    "id": "resp_67e5",
    "object": "response",
    "created_at": 1743075639,
    "status": "completed",
    "model": "gpt-4o-2024-08-06",
    "output": [
        {
            "type": "message",
            "id": "msg_1",
            "status": "completed",
            "role": "assistant",
            "content": [{"type": "output_text", "text": "Paris.", "annotations": []}],
        }
    ],
    "parallel_tool_calls": True,
    "tool_choice": "auto",
    "tools": [],
    "text": {"format": {"type": "text"}},
    "usage": {
        "input_tokens": 12,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": 3,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": 15,
    },
    "background": False,
}


def _events() -> List[bytes]:
    response = {**BODY, "status": "in_progress", "output": [], "usage": None}
    events = [
        ("response.created", {"type": "response.created", "response": response, "sequence_number": 0}),
        (
            "response.output_text.delta",
            {
                "type": "response.output_text.delta",
                "item_id": "msg_1",
                "output_index": 0,
                "content_index": 0,
                "delta": "Par",
                "sequence_number": 1,
            },
        ),
        (
            "response.output_text.delta",
            {
                "type": "response.output_text.delta",
                "item_id": "msg_1",
                "output_index": 0,
                "content_index": 0,
                "delta": "is.",
                "sequence_number": 2,
            },
        ),
        ("response.completed", {"type": "response.completed", "response": BODY, "sequence_number": 3}),
    ]
    return [f"event: {name}\ndata: {json.dumps(data)}\n\n".encode() for name, data in events]


def _without_cost(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """litellm prices a response's usage from its bundled cost map, which edgequake does not ship."""
    for event in events:
        usage = (event.get("response") or {}).get("usage")
        if isinstance(usage, dict):
            usage["cost"] = None
    return events


def _call(module: Any, server: LoopbackServer, **kwargs: Any) -> Any:
    args: Dict[str, Any] = {
        "model": "openai/gpt-4o",
        "input": "What is the capital of France?",
        "api_base": server.url + "/v1",
        "api_key": "k",
        **kwargs,
    }
    return module.responses(**args)


def test_sync_response_matches_litellm(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=BODY), Reply(body=BODY))
    ours = _call(edgequake, server, instructions="Be brief.", max_retries=0)
    theirs = _call(litellm, server, instructions="Be brief.", max_retries=0)
    assert isinstance(ours, edgequake.types.llms.openai.ResponsesAPIResponse)
    assert ours.output_text == "Paris."
    assert ours.model_dump() == theirs.model_dump()
    ours_sent, theirs_sent = server.seen[0], server.seen[1]
    assert ours_sent.path == theirs_sent.path == "/v1/responses"
    assert ours_sent.json() == theirs_sent.json()
    assert ours_sent.headers["authorization"] == "Bearer k"
    hidden = ours._hidden_params
    assert hidden["custom_llm_provider"] == "openai"
    assert hidden["litellm_model_name"] == "openai/gpt-4o"
    assert set(hidden) == set(theirs._hidden_params)


def test_async_response(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=BODY))
    result = asyncio.run(
        edgequake.aresponses(
            model="openai/gpt-4o", input="hi", api_base=server.url + "/v1", api_key="k", temperature=0.2
        )
    )
    assert result.output_text == "Paris."
    assert server.seen[-1].json() == {"model": "gpt-4o", "input": "hi", "temperature": 0.2}


def test_litellm_only_kwargs_stay_out_of_the_body(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=BODY))
    _call(
        edgequake,
        server,
        metadata={"k": "v"},
        litellm_call_id="abc",
        num_retries=0,
        provider={"only": ["openai"]},  # OpenRouter's routing key: not a Responses parameter
        extra_body={"prompt_cache_key": "p"},
        extra_headers={"x-extra": "1"},
        max_retries=0,
    )
    seen = server.seen[-1]
    assert seen.json() == {
        "model": "gpt-4o",
        "input": "What is the capital of France?",
        "metadata": {"k": "v"},
        "prompt_cache_key": "p",
    }
    assert seen.headers["x-extra"] == "1"


def test_azure_url_api_version_and_key(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=BODY))
    edgequake.responses(
        model="azure/my-deploy",
        input="hi",
        api_base=server.url,
        api_key="k",
        api_version="2025-03-01-preview",
    )
    seen = server.seen[-1]
    assert seen.path == "/openai/responses?api-version=2025-03-01-preview"
    assert seen.headers["api-key"] == "k"
    assert seen.json()["model"] == "my-deploy"


def test_stream_sync_is_incremental_and_typed(server: LoopbackServer) -> None:
    reply = Reply(raw_events=_events(), hold_after=2)
    server.enqueue(reply)
    stream = _call(edgequake, server, stream=True)
    first = next(stream)
    assert type(first).__name__ == "ResponseCreatedEvent"
    assert first.response.id.startswith("resp_") and first.response.id != "resp_67e5"
    delta = next(stream)
    assert type(delta).__name__ == "OutputTextDeltaEvent" and delta.delta == "Par"
    assert not reply.release.is_set()  # the rest is still held by the server: nothing was buffered
    reply.release.set()
    rest = list(stream)
    assert [type(e).__name__ for e in rest] == ["OutputTextDeltaEvent", "ResponseCompletedEvent"]
    assert rest[-1].response.output_text == "Paris."
    assert server.seen[-1].json()["stream"] is True


def test_stream_async_matches_litellm(server: LoopbackServer) -> None:
    async def read(module: Any) -> List[Dict[str, Any]]:
        stream = await module.aresponses(
            model="openai/gpt-4o", input="hi", stream=True, api_base=server.url + "/v1", api_key="k"
        )
        return [e.model_dump() for e in [e async for e in stream]]

    server.enqueue(Reply(raw_events=_events()), Reply(raw_events=_events()))
    ours = asyncio.run(read(edgequake))
    theirs = asyncio.run(read(litellm))
    assert len(ours) == 4
    assert _without_cost(ours) == _without_cost(theirs)


def test_faked_stream_for_a_model_not_known_to_stream(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=BODY), Reply(body=BODY))
    ours = [e.model_dump() for e in _call(edgequake, server, model="openai/my-model", stream=True)]
    theirs = [e.model_dump() for e in _call(litellm, server, model="openai/my-model", stream=True)]
    assert "stream" not in server.seen[0].json()
    assert [e["type"] for e in ours][:2] == ["response.created", "response.in_progress"]
    assert _without_cost(ours) == _without_cost(theirs)


def test_error_reply_quotes_the_body_as_litellm_does(server: LoopbackServer) -> None:
    error = {"error": {"message": "The requested model 'x' does not exist.", "code": "model_not_found"}}
    error["error"]["type"] = "invalid_request_error"
    caught = []
    for module in (edgequake, litellm):
        server.enqueue(Reply(status=404, body=error))
        with pytest.raises(Exception) as info:
            _call(module, server, model="openai/x", max_retries=0)
        caught.append(info.value)
    ours, theirs = caught
    assert isinstance(ours, edgequake.NotFoundError)
    assert type(ours).__name__ == type(theirs).__name__ == "NotFoundError"
    assert str(ours) == str(theirs)
    assert ours.status_code == 404


def test_a_200_whose_body_is_an_error_raises(server: LoopbackServer) -> None:
    caught = []
    for module in (edgequake, litellm):
        server.enqueue(Reply(body={"error": {"message": "quota exhausted", "code": "insufficient_quota"}}))
        with pytest.raises(Exception) as info:
            _call(module, server, max_retries=0)
        caught.append(info.value)
    ours, theirs = caught
    assert isinstance(ours, edgequake.APIError)
    assert type(ours).__name__ == type(theirs).__name__ == "APIError"
    assert (str(ours), ours.status_code) == (str(theirs), theirs.status_code) == (str(theirs), 200)


def test_a_body_that_is_not_json_is_an_api_error(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=b"<html>oops</html>", headers={"content-type": "text/html"}))
    with pytest.raises(edgequake.APIError) as info:
        _call(edgequake, server, max_retries=0)
    assert "<html>oops</html>" in str(info.value)


def test_exported() -> None:
    assert "responses" in edgequake.__all__ and "aresponses" in edgequake.__all__
    assert "responses" in dir(edgequake)
    from edgequake.types.llms.openai import ResponsesAPIResponse

    assert edgequake.ResponsesAPIResponse is ResponsesAPIResponse  # litellm's package-level name too
    assert edgequake.ResponsesAPIStreamEvents.OUTPUT_TEXT_DELTA == "response.output_text.delta"


def test_native_path_does_not_import_litellm(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=BODY))
    code = f"""
        import sys
        sys.modules["litellm"] = None  # an import of litellm would fail
        import edgequake
        r = edgequake.responses(model="openai/gpt-4o", input="hi", api_base="{server.url}/v1", api_key="k")
        print(r.output_text, type(r).__module__)
    """
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "Paris. edgequake.types.responses"


_CREATED = {
    "type": "response.created",
    "response": {"id": "r1", "object": "response", "created_at": 1, "status": "in_progress", "output": []},
    "sequence_number": 0,
}
_FAILED = {
    "type": "response.failed",
    "response": {
        "id": "r1",
        "object": "response",
        "created_at": 1,
        "status": "failed",
        "output": [],
        "error": {"code": "server_error", "message": "The model failed"},
    },
    "sequence_number": 1,
}
_ERROR = {"type": "error", "code": "server_error", "message": "boom", "param": None, "sequence_number": 1}


@pytest.mark.parametrize(
    "tail",
    [[_ERROR], [_FAILED], ["{not json"], []],
    ids=["error-event", "response-failed", "bad-json-then-end", "no-terminal-event"],
)
def test_mid_stream_failures_as_litellm_raises_them(server: LoopbackServer, tail: List[Any]) -> None:
    raw = [
        f"event: x\ndata: {e if isinstance(e, str) else json.dumps(e)}\n\n".encode()
        for e in [_CREATED, *tail]
    ]
    seen = []
    for module in (edgequake, litellm):
        server.enqueue(Reply(raw_events=raw))
        got: List[str] = []
        with pytest.raises(Exception) as info:
            for event in _call(module, server, stream=True, max_retries=0):
                got.append(type(event).__name__)
        seen.append((got, type(info.value).__name__, str(info.value), info.value.status_code))
        if module is edgequake:
            assert isinstance(info.value, edgequake.MidStreamFallbackError)
    assert seen[0] == seen[1]
    assert seen[0][1] == "MidStreamFallbackError"
    assert seen[0][0] == ["ResponseCreatedEvent"]


def test_a_bridged_route_is_delegated_with_edgequake_types(server: LoopbackServer) -> None:
    """groq has no Responses API in litellm: it bridges the call to /chat/completions; edgequake hands
    such a call to litellm and returns its result in edgequake's own type."""
    from tests import payloads

    server.enqueue(Reply(body=payloads.chat()))
    result = edgequake.responses(
        model="groq/llama-3.1-8b-instant", input="hi", api_base=server.url, api_key="k"
    )
    assert server.seen[-1].path.endswith("/chat/completions")
    assert type(result) is edgequake.types.responses.ResponsesAPIResponse
    assert result.output_text == "Hello there!"
    reason = edgequake.__compat_delegates__("responses", "groq/llama-3.1-8b-instant")
    assert reason is not None and "delegated" in reason
    assert edgequake.__compat_delegates__("responses", "openai/gpt-4o") is None


def test_replayed_output_items_and_cache_marks_go_as_litellm_sends_them(server: LoopbackServer) -> None:
    """A previous response's output replayed as input (pydantic items), a reasoning item with nulls, and
    Anthropic-only cache_control marks (stripped off OpenAI's API on azure): the body as litellm's."""
    server.enqueue(Reply(body=BODY))
    previous = _call(edgequake, server).output
    sent = []
    for module in (edgequake, litellm):
        history = [
            {
                "role": "user",
                "content": [{"type": "input_text", "text": "hi", "cache_control": {"type": "x"}}],
            },
            *previous,
            {"type": "reasoning", "id": "rs_1", "summary": [], "status": None, "encrypted_content": None},
            {"role": "user", "content": "and Germany?"},
        ]
        server.enqueue(Reply(body=BODY))
        module.responses(
            model="azure/dep", input=history, api_base=server.url, api_key="k", api_version="preview"
        )
        sent.append(server.seen[-1].json())
    assert sent[0] == sent[1]
    assert "cache_control" not in json.dumps(sent[0])


def test_azure_and_xai_bodies_as_litellm_builds_them(server: LoopbackServer) -> None:
    tools = [{"type": "function", "function": {"name": "f", "parameters": {}}}]
    calls = [
        {"model": "azure/dep", "api_version": "preview", "tools": tools},
        {
            "model": "xai/grok-4",
            "metadata": {"k": "v"},
            "tools": [{"type": "code_interpreter", "container": "c"}],
        },
    ]
    for extra in calls:
        sent = []
        for module in (edgequake, litellm):
            server.enqueue(Reply(body=BODY))
            module.responses(input="hi", api_base=server.url, api_key="k", **extra)
            sent.append((server.seen[-1].path, server.seen[-1].json()))
        assert sent[0] == sent[1]


def test_azure_unsupported_context_management(server: LoopbackServer) -> None:
    caught = []
    for module in (edgequake, litellm):
        with pytest.raises(Exception) as info:
            module.responses(
                model="azure/dep",
                input="x",
                context_management=[{"type": "compaction"}],
                api_base=server.url,
                api_key="k",
                api_version="preview",
            )
        caught.append(info.value)
    assert isinstance(caught[0], edgequake.UnsupportedParamsError)
    assert (str(caught[0]), caught[0].status_code) == (str(caught[1]), caught[1].status_code)
    assert not server.seen


def test_timeout_and_refused_connection_as_litellm_words_them(server: LoopbackServer) -> None:
    import re

    def seen(module: Any, **kwargs: Any) -> Any:
        with pytest.raises(Exception) as info:
            module.responses(model="openai/gpt-4o", input="hi", api_key="k", max_retries=0, **kwargs)
        text = re.sub(r"time taken=[0-9.]+", "time taken=T", str(info.value))
        return type(info.value).__name__, info.value.status_code, text

    server.enqueue(Reply(body=BODY, delay=2), Reply(body=BODY, delay=2))
    slow = [seen(m, api_base=server.url, timeout=0.3) for m in (edgequake, litellm)]
    assert slow[0] == slow[1] and slow[0][0] == "Timeout"
    refused = [seen(m, api_base="http://127.0.0.1:9") for m in (edgequake, litellm)]
    assert refused[0] == refused[1] and refused[0][0] == "InternalServerError"
