"""Authored Cohere v2 cases for tools/author_cases.py (which writes them, their `.case.yaml` and their
PROVENANCE rows): error replies, streams and embeddings the few public Cohere recordings do not cover.

Bodies follow Cohere's v2 formats as the corpus records them: errors are `{id, message}`
(cohere/pydantic-ai__TestCohere.test_embed_error.yaml), chat replies `{id, message, finish_reason,
usage{billed_units, tokens}}` (cohere/pydantic-ai__test_request_simple_success_with_vcr.yaml), streams
`event: <type>` + `data: {"type": <type>, ...}` from `message-start` to `message-end` and a final
`data: [DONE]` (cohere/openllmetry__test_cohere_v2_chat_legacy_with_tool_calls_and_streaming.yaml),
embeddings `{id, texts, embeddings{<type>: [...]}, meta{api_version, billed_units}, response_type}`
(cohere/openllmetry__test_cohere_v2_embed_legacy.yaml). Message texts are Cohere's documented ones
(docs.cohere.com/reference/errors) where one exists.

Cohere calls need stated calls: litellm takes the full endpoint URL as api_base (`base_path`).
"""

# ruff: noqa: E501  (provider messages and case notes are data, kept on one line each)
from __future__ import annotations

import json
from typing import Any, Callable, Dict, List, Optional, Tuple

Json = Dict[str, Any]

CHAT_URI = "https://api.cohere.com/v2/chat"
EMBED_URI = "https://api.cohere.com/v2/embed"
CHAT_MODEL = "command-r7b-12-2024"
HELLO = [{"role": "user", "content": "Say hello in one word."}]
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather for a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}
SSE = "text/event-stream"
USAGE = {
    "billed_units": {"input_tokens": 7, "output_tokens": 3},
    "tokens": {"input_tokens": 502, "output_tokens": 5},
}


def _j(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _error(message: str, id_: str) -> str:
    return _j({"id": id_, "message": message})


def _named_sse(events: List[Tuple[str, Json]]) -> str:
    return "".join(f"event: {name}\ndata: {_j(data)}\n\n" for name, data in events) + "data: [DONE]\n\n"


def _ev(kind: str, **fields: Any) -> Tuple[str, Json]:
    return kind, {"type": kind, **fields}


def _chat_req(stream: bool = False, **params: Any) -> Tuple[str, str, Json]:
    body: Json = {
        "model": params.pop("model", CHAT_MODEL),
        "messages": params.pop("messages", HELLO),
        **params,
    }
    if stream:
        body["stream"] = True
    return "POST", CHAT_URI, body


def _chat_call(model: str = f"cohere_chat/{CHAT_MODEL}", **kwargs: Any) -> Json:
    return {
        "function": "completion",
        "model": model,
        "kwargs": {"messages": kwargs.pop("messages", HELLO), **kwargs},
        "base_path": "/v2/chat",
    }


def _embed_call(model: str, **kwargs: Any) -> Json:
    return {"function": "embedding", "model": f"cohere/{model}", "kwargs": kwargs, "base_path": "/v2/embed"}


def _text_stream(texts: List[str], finish: str = "COMPLETE") -> str:
    events = [
        _ev(
            "message-start",
            id="b4d1c7e2-authored-stream-0001",
            delta={
                "message": {
                    "role": "assistant",
                    "content": [],
                    "tool_plan": "",
                    "tool_calls": [],
                    "citations": [],
                }
            },
        ),
        _ev("content-start", index=0, delta={"message": {"content": {"type": "text", "text": ""}}}),
    ]
    events += [_ev("content-delta", index=0, delta={"message": {"content": {"text": t}}}) for t in texts]
    events += [
        _ev("content-end", index=0),
        _ev("message-end", delta={"finish_reason": finish, "usage": USAGE}),
    ]
    return _named_sse(events)


def _tool_stream() -> str:
    args = ['{\n    "', "city", '":', ' "', "Paris", '"', "\n", "}"]
    events = [
        _ev(
            "message-start",
            id="b4d1c7e2-authored-stream-0002",
            delta={
                "message": {
                    "role": "assistant",
                    "content": [],
                    "tool_plan": "",
                    "tool_calls": [],
                    "citations": [],
                }
            },
        ),
    ]
    events += [
        _ev("tool-plan-delta", delta={"message": {"tool_plan": t}})
        for t in ("I will", " check", " the weather.")
    ]
    events.append(
        _ev(
            "tool-call-start",
            index=0,
            delta={
                "message": {
                    "tool_calls": {
                        "id": "get_weather_authored01",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": ""},
                    }
                }
            },
        )
    )
    events += [
        _ev("tool-call-delta", index=0, delta={"message": {"tool_calls": {"function": {"arguments": a}}}})
        for a in args
    ]
    events += [
        _ev("tool-call-end", index=0),
        _ev(
            "message-end",
            delta={
                "finish_reason": "TOOL_CALL",
                "usage": {
                    "billed_units": {"input_tokens": 33, "output_tokens": 21},
                    "tokens": {"input_tokens": 1452, "output_tokens": 33},
                },
            },
        ),
    ]
    return _named_sse(events)


def _reply(
    message: Json, finish: str = "COMPLETE", usage: Optional[Json] = None, id_: str = "b4d1c7e2-authored-0001"
) -> str:
    return _j({"id": id_, "message": message, "finish_reason": finish, "usage": usage or USAGE})


def _embed_reply(texts: List[str], by_type: Json, billed: Optional[Json], id_: str) -> str:
    body: Json = {"id": id_, "texts": texts, "embeddings": by_type}
    if billed is not None:
        body["meta"] = {"api_version": {"version": "2"}, "billed_units": billed}
    body["response_type"] = "embeddings_by_type"
    return _j(body)


def _vector(seed: int, n: int = 8) -> List[float]:
    return [round(((seed * 7919 + i * 104729) % 2001 - 1000) / 10000.0, 4) for i in range(n)]


DOCS = [
    {"id": "doc_0", "data": {"title": "Tall penguins", "snippet": "Emperor penguins are the tallest."}},
    {
        "id": "doc_1",
        "data": {"title": "Penguin habitats", "snippet": "Emperor penguins only live in Antarctica."},
    },
]


def cohere_cases(authored: Callable[..., Any], response: Callable[..., Any]) -> List[Any]:
    """The cases, built with author_cases' `Authored` and `Response` (passed in to avoid a cycle)."""
    from authored_cohere_other import other_cases  # beside this file

    A, R = authored, response
    out: List[Any] = other_cases(authored, response)
    out.append(
        A(
            "cohere",
            "stream_text",
            "stream",
            "authored: 200 Cohere v2 SSE text stream (message-start, content-start, content-delta x3, content-end, message-end with usage, [DONE]), event shapes as in cohere/openllmetry__test_cohere_v2_chat_legacy_with_tool_calls_and_streaming.yaml",
            _chat_req(stream=True),
            [R(200, _text_stream(["Hello", "!", " How can I help?"]), SSE)],
            _chat_call(stream=True),
        )
    )
    out.append(
        A(
            "cohere",
            "stream_max_tokens_usage",
            "stream",
            "authored: 200 Cohere v2 SSE text stream ending with finish_reason MAX_TOKENS, called with stream_options include_usage (litellm does not send it to Cohere); event shapes as in the recorded tool stream",
            _chat_req(stream=True, max_tokens=3),
            [R(200, _text_stream(["Hel", "lo"], finish="MAX_TOKENS"), SSE)],
            _chat_call(stream=True, max_tokens=3, stream_options={"include_usage": True}),
        )
    )
    out.append(
        A(
            "cohere",
            "stream_tool_calls",
            "stream",
            "authored: 200 Cohere v2 SSE stream with tool-plan-delta, one tool call streamed in tool-call-start/-delta/-end and message-end TOOL_CALL; shaped on cohere/openllmetry__test_cohere_v2_chat_legacy_with_tool_calls_and_streaming.yaml",
            _chat_req(stream=True, tools=[WEATHER_TOOL]),
            [R(200, _tool_stream(), SSE)],
            _chat_call(stream=True, tools=[WEATHER_TOOL], tool_choice="auto"),
        )
    )
    out.append(
        A(
            "cohere",
            "chat_params_max_tokens",
            "chat",
            "authored: Cohere v2 chat with temperature, top_p, stop, n, seed, max_completion_tokens and penalties (sent as p, stop_sequences, num_generations, max_tokens), reply cut at MAX_TOKENS; reply shaped on cohere/pydantic-ai__test_request_simple_success_with_vcr.yaml",
            _chat_req(
                temperature=0.3,
                p=0.9,
                stop_sequences=["\n\n"],
                num_generations=1,
                seed=7,
                max_tokens=4,
                frequency_penalty=0.1,
                presence_penalty=0.2,
            ),
            [
                R(
                    200,
                    _reply(
                        {"role": "assistant", "content": [{"type": "text", "text": "Hello there, friend"}]},
                        finish="MAX_TOKENS",
                    ),
                )
            ],
            _chat_call(
                temperature=0.3,
                top_p=0.9,
                stop="\n\n",
                n=1,
                seed=7,
                max_tokens=10,
                max_completion_tokens=4,
                frequency_penalty=0.1,
                presence_penalty=0.2,
            ),
        )
    )
    cited = {
        "role": "assistant",
        "content": [
            {
                "type": "text",
                "text": "The tallest penguins are emperor penguins, which only live in Antarctica.",
            }
        ],
        "citations": [
            {
                "start": 29,
                "end": 45,
                "text": "emperor penguins",
                "sources": [
                    {
                        "type": "document",
                        "id": "doc_0",
                        "document": {
                            "id": "doc_0",
                            "snippet": "Emperor penguins are the tallest.",
                            "title": "Tall penguins",
                        },
                    }
                ],
                "type": "TEXT_CONTENT",
            },
            {
                "start": 53,
                "end": 73,
                "text": "only live in Antarctica",
                "sources": [
                    {
                        "type": "document",
                        "id": "doc_1",
                        "document": {
                            "id": "doc_1",
                            "snippet": "Emperor penguins only live in Antarctica.",
                            "title": "Penguin habitats",
                        },
                    }
                ],
                "type": "TEXT_CONTENT",
            },
        ],
    }
    question = [{"role": "user", "content": "Where do the tallest penguins live?"}]
    out.append(
        A(
            "cohere",
            "chat_document_citations",
            "chat",
            "authored: Cohere v2 chat with `documents` (a provider param litellm passes through) and a reply citing them (message.citations with document sources, docs.cohere.com/docs/retrieval-augmented-generation-rag); litellm turns each document source into a url_citation annotation",
            _chat_req(messages=question, documents=DOCS),
            [
                R(
                    200,
                    _reply(
                        cited,
                        usage={
                            "billed_units": {"input_tokens": 41, "output_tokens": 17},
                            "tokens": {"input_tokens": 1203, "output_tokens": 58},
                        },
                    ),
                )
            ],
            _chat_call(messages=question, documents=DOCS),
        )
    )
    return out
