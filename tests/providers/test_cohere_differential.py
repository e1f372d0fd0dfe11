"""Differential property for the Cohere wire: generated Cohere v2 error replies and chat replies are
served to litellm 1.110.2 (the reference) and to edgequake, which must raise the same exception
(class, status, provider, model, message) or return the same response (ids and clocks aside).

The harness judges the recorded and authored Cohere cases the same way; this covers the mapping
rules' combinations (phrases x statuses x routes) and reply shapes no cassette enumerates.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from typing import Any, Dict, Optional, Tuple

import pytest

hypothesis = pytest.importorskip("hypothesis")
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # read when litellm is imported
litellm = pytest.importorskip("litellm")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import edgequake  # noqa: E402
from tests.loopback import LoopbackServer, Reply  # noqa: E402

litellm.suppress_debug_info = True
PROPERTY = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
USER = [{"role": "user", "content": "hi"}]

# The texts litellm's rules look for, beside ordinary messages.
PHRASES = (
    "invalid api token",
    "No API key provided.",
    "no api key supplied",
    "invalid type: parameter texts is of type string",
    "too many tokens: total number of tokens in the prompt cannot exceed 4081",
    "internal server error, this has been reported to our developers",
    "Internal Server Error",
    "Request timed out",
    "You are using a Trial key, which is limited to 10 API calls / minute.",
    "model 'x' not found",
    "invalid request: message must be at least 1 token long",
)
STATUSES = (400, 401, 402, 403, 404, 408, 409, 413, 422, 429, 498, 499, 500, 502, 503, 504, 529)
ROUTES = (
    ("completion", "cohere_chat/command-r", "/v2/chat"),
    ("completion", "cohere/command-r", "/v2/chat"),
    ("completion", "cohere/command-r7b-12-2024", "/v2/chat"),
    ("embedding", "cohere/embed-english-v3.0", "/v2/embed"),
    ("rerank", "cohere/rerank-v3.5", ""),
    ("stream", "cohere_chat/command-r", "/v2/chat"),
)
# Every route again through the async twins (`acompletion`, `aembedding`, `arerank`).
ROUTES_BOTH = ROUTES + tuple((f"async {f}", m, p) for f, m, p in ROUTES)


def _acall(module: Any, function: str, model: str, base: str) -> Any:
    """The same call through litellm's async twins (a stream is opened and read with `async for`)."""

    async def main() -> Any:
        if function == "completion":
            return await module.acompletion(model=model, messages=USER, api_key="k", api_base=base)
        if function == "stream":
            stream = await module.acompletion(
                model=model, messages=USER, api_key="k", api_base=base, stream=True
            )
            return [c async for c in stream]
        if function == "embedding":
            return await module.aembedding(model=model, input=["a"], api_key="k", api_base=base)
        return await module.arerank(model=model, query="q", documents=["a"], api_key="k", api_base=base)

    return asyncio.run(main())


def _call(module: Any, function: str, model: str, base: str) -> Any:
    if function.startswith("async "):
        return _acall(module, function[len("async ") :], model, base)
    if function == "completion":
        return module.completion(model=model, messages=USER, api_key="k", api_base=base)
    if function == "stream":  # an error status raises at the call, before any chunk
        return list(module.completion(model=model, messages=USER, api_key="k", api_base=base, stream=True))
    if function == "embedding":
        return module.embedding(model=model, input=["a"], api_key="k", api_base=base)
    return module.rerank(model=model, query="q", documents=["a"], api_key="k", api_base=base)


def _text(message: str) -> str:
    """A message without run-dependent parts (the server's port, a traceback)."""
    message = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:<port>", message)
    return re.sub(r"\nTraceback \(most recent call last\):[\s\S]*$", "", message)


def _outcome(
    module: Any, server: LoopbackServer, reply: Reply, route: Tuple[str, str, str]
) -> Dict[str, Any]:
    function, model, path = route
    server.reset()
    server.enqueue(reply)
    try:
        result = _call(module, function, model, server.url + path)
    except Exception as exc:  # both targets' exceptions are compared as data
        return {
            "class": type(exc).__name__,
            "status_code": getattr(exc, "status_code", None),
            "llm_provider": getattr(exc, "llm_provider", None),
            "model": getattr(exc, "model", None),
            "message": _text(str(getattr(exc, "message", exc))),
        }
    return {"result": _normalised(result.model_dump())}


def _normalised(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: "<local>" if k in ("id", "created") else _normalised(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalised(v) for v in value]
    return value


@st.composite
def error_replies(draw: Any) -> Tuple[Reply, Tuple[str, str, str]]:
    status = draw(st.sampled_from(STATUSES))
    message = draw(st.one_of(st.sampled_from(PHRASES), st.text(min_size=1, max_size=40)))
    if draw(st.booleans()):
        body: Any = json.dumps({"id": "err-1", "message": message})
    else:
        body = message
    return Reply(status=status, body=body), draw(st.sampled_from(ROUTES_BOTH))


@PROPERTY
@given(case=error_replies())
def test_error_replies_raise_what_litellm_raises(server: LoopbackServer, case: Tuple[Reply, Any]) -> None:
    reply, route = case
    expected = _outcome(litellm, server, reply, route)
    got = _outcome(edgequake, server, Reply(status=reply.status, body=reply.body), route)
    assert got == expected


_FINISH = ("COMPLETE", "STOP_SEQUENCE", "MAX_TOKENS", "TOOL_CALL", "ERROR", "ERROR_TOXIC", "TIMEOUT")


@st.composite
def chat_replies(draw: Any) -> Reply:
    texts = draw(st.lists(st.text(max_size=20), max_size=3))
    message: Dict[str, Any] = {"role": "assistant"}
    if draw(st.booleans()):
        message["content"] = [{"type": "text", "text": t} for t in texts]
    if draw(st.booleans()):
        message["tool_calls"] = [
            {
                "id": f"get_weather_{i}",
                "type": "function",
                "function": {
                    "name": "get_weather",
                    "arguments": json.dumps({"city": draw(st.text(max_size=8))}),
                },
            }
            for i in range(draw(st.integers(1, 2)))
        ]
    if draw(st.booleans()):
        message["citations"] = [
            {
                "start": 0,
                "end": 3,
                "text": "abc",
                "sources": [
                    {"type": "document", "id": "doc_0", "document": {"title": draw(st.text(max_size=8))}},
                    {"type": "tool", "id": "t:0", "tool_output": {"content": "x"}},
                ],
            }
        ]
    tokens: Optional[Dict[str, int]] = None
    if draw(st.booleans()):
        tokens = {"input_tokens": draw(st.integers(0, 5000)), "output_tokens": draw(st.integers(0, 5000))}
    body: Dict[str, Any] = {"id": "r-1", "message": message, "usage": {"tokens": tokens} if tokens else {}}
    finish = draw(st.one_of(st.none(), st.sampled_from(_FINISH)))
    if finish is not None:
        body["finish_reason"] = finish
    return Reply(body=body)


@PROPERTY
@given(reply=chat_replies(), route=st.sampled_from(ROUTES[:3]))  # the non-stream chat routes
def test_chat_replies_shape_as_litellm_shapes_them(server: LoopbackServer, reply: Reply, route: Any) -> None:
    expected = _outcome(litellm, server, reply, route)
    got = _outcome(edgequake, server, Reply(body=reply.body), route)
    assert got == expected


_VECTOR = st.lists(st.floats(-1, 1, allow_nan=False, width=32), min_size=1, max_size=4)


@st.composite
def embed_replies(draw: Any) -> Tuple[Reply, Any]:
    texts = draw(st.lists(st.text(max_size=30), min_size=1, max_size=3))
    n = len(texts)
    if draw(st.booleans()):
        kinds = draw(
            st.lists(
                st.sampled_from(["float", "int8", "uint8", "binary"]), min_size=1, max_size=3, unique=True
            )
        )
        embeddings: Any = {k: [draw(_VECTOR) for _ in range(n)] for k in kinds}
    else:
        embeddings = [draw(_VECTOR) for _ in range(n)]
    body: Dict[str, Any] = {"id": "e-1", "texts": texts, "embeddings": embeddings}
    if draw(st.booleans()):
        billed = draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "input_tokens": st.integers(0, 999),
                    "image_tokens": st.integers(0, 999),
                    "images": st.integers(0, 9),
                },
            )
        )
        body["meta"] = {"api_version": {"version": "2"}, "billed_units": billed}
    return Reply(body=body), texts


@PROPERTY
@given(case=embed_replies())
def test_embed_replies_shape_as_litellm_shapes_them(server: LoopbackServer, case: Tuple[Reply, Any]) -> None:
    reply, texts = case

    def outcome(module: Any) -> Dict[str, Any]:
        server.reset()
        server.enqueue(Reply(body=reply.body))
        result = module.embedding(
            model="cohere/embed-english-v3.0", input=texts, api_key="k", api_base=server.url + "/v2/embed"
        )
        return {"result": result.model_dump(), "sent": server.seen[-1].json()}

    assert outcome(edgequake) == outcome(litellm)


_OK = {
    "id": "r-1",
    "message": {"role": "assistant", "content": [{"type": "text", "text": "ok"}]},
    "finish_reason": "COMPLETE",
    "usage": {"tokens": {"input_tokens": 1, "output_tokens": 1}},
}
_TOOL = {
    "type": "function",
    "function": {"name": "f", "parameters": {"type": "object", "properties": {"a": {"type": "string"}}}},
}
_KWARGS = {
    "temperature": st.floats(0, 2, allow_nan=False),
    "top_p": st.floats(0, 1, allow_nan=False),
    "n": st.integers(1, 3),
    "stop": st.one_of(st.text(min_size=1, max_size=5), st.lists(st.text(min_size=1, max_size=5), max_size=2)),
    "max_tokens": st.integers(1, 500),
    "max_completion_tokens": st.integers(1, 500),
    "seed": st.integers(0, 99),
    "presence_penalty": st.floats(0, 1, allow_nan=False),
    "frequency_penalty": st.floats(0, 1, allow_nan=False),
    "tools": st.just([_TOOL]),
    "tool_choice": st.sampled_from(["auto", "required", "none"]),
    "user": st.just("u-1"),
    "stream_options": st.just({"include_usage": True}),
    "response_format": st.just({"type": "json_object"}),
    "logprobs": st.booleans(),
    "parallel_tool_calls": st.booleans(),
    "k": st.integers(0, 50),
    "documents": st.just([{"id": "d", "data": {"text": "t"}}]),
    "drop_params": st.booleans(),
    "extra_headers": st.just({"x-trace": "1"}),
}


@PROPERTY
@given(
    kwargs=st.fixed_dictionaries({}, optional=_KWARGS),
    model=st.sampled_from(["cohere_chat/command-r", "cohere/command-r", "cohere/command-a-03-2025"]),
    messages=st.sampled_from(
        [
            USER,
            [
                {"role": "system", "content": "be brief"},
                {"role": "user", "content": [{"type": "text", "text": "hi"}]},
            ],
            [
                {"role": "user", "content": "w?"},
                {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
                    ],
                },
                {"role": "tool", "tool_call_id": "c1", "content": "sunny"},
            ],
        ]
    ),
)
def test_chat_requests_are_what_litellm_sends(
    server: LoopbackServer, kwargs: Dict[str, Any], model: str, messages: Any
) -> None:
    def outcome(module: Any) -> Dict[str, Any]:
        server.reset()
        server.enqueue(Reply(body=_OK))
        try:
            module.completion(
                model=model, messages=messages, api_key="k", api_base=server.url + "/v2/chat", **kwargs
            )
        except Exception as exc:
            server.reset()
            return {"class": type(exc).__name__, "message": str(getattr(exc, "message", exc))}
        seen = server.seen[-1]
        wanted = ("authorization", "request-source", "accept", "content-type", "x-trace")
        return {"body": seen.json(), "headers": {k: seen.headers.get(k) for k in wanted}}

    assert outcome(edgequake) == outcome(litellm)
