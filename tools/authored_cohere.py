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
    A, R = authored, response
    out: List[Any] = []
    errors = [
        (
            401,
            "invalid api token",
            "invalid api token: litellm's Cohere mapper raises AuthenticationError itself",
        ),
        (
            429,
            "You are using a Trial key, which is limited to 10 API calls / minute. You can continue to use the Trial key for free or upgrade to a Production key with higher rate limits at 'https://dashboard.cohere.com/api-keys'. Contact us on 'https://discord.gg/XW44jPfYJu' or email us at support@cohere.com with any questions",
            "trial-key rate limit: no Cohere rule, litellm's status mapping (Cohere_chatException)",
        ),
        (
            500,
            "internal server error, this has been reported to our developers. id 1f4c",
            "the mapper's 'internal server error' phrase",
        ),
        (503, "service unavailable", "no Cohere rule for 503: litellm's status mapping"),
    ]
    for status, message, why in errors:
        headers = {"retry-after": "1"} if status == 429 else {}
        out.append(
            A(
                "cohere",
                f"error_{status}",
                "error",
                f"authored: HTTP {status} from Cohere v2 chat, body {{id, message}} shaped on the corpus 404 (cohere/pydantic-ai__TestCohere.test_embed_error.yaml); {why}",
                _chat_req(),
                [R(status, _error(message, f"b4d1c7e2-authored-err{status}"), headers=headers)],
                _chat_call(),
            )
        )
    out.append(
        A(
            "cohere",
            "context_window_exceeded",
            "error",
            "authored: HTTP 400 from Cohere v2 chat, 'too many tokens' (docs.cohere.com/reference/errors, 400 examples); litellm's mapper raises ContextWindowExceededError",
            _chat_req(),
            [
                R(
                    400,
                    _error(
                        "too many tokens: total number of tokens in the prompt cannot exceed 128000 - received 131072. Try using a shorter prompt, or enabling prompt truncating. See https://docs.cohere.com/reference/chat for more info",
                        "b4d1c7e2-authored-err400",
                    ),
                )
            ],
            _chat_call(model="cohere/command-r-plus"),
        )
    )
    out.append(
        A(
            "cohere",
            "error_401_stream",
            "error",
            "authored: HTTP 401 to a streamed Cohere v2 chat, body {id, message} ('no api key supplied', docs.cohere.com/reference/errors): no Cohere rule matches, litellm's status mapping raises before any chunk",
            _chat_req(stream=True),
            [R(401, _error("no api key supplied", "b4d1c7e2-authored-err401s"))],
            _chat_call(stream=True),
        )
    )
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
    texts = ["What is the capital of France?", "Paris is the capital of France.", "Berlin is in Germany."]
    out.append(
        A(
            "cohere",
            "embed_types_dimensions",
            "embedding",
            "authored: Cohere v2 embed of three texts with input_type search_query, encoding_format [float, int8] and dimensions (sent as embedding_types, output_dimension); reply shaped on cohere/openllmetry__test_cohere_v2_embed_legacy.yaml",
            (
                "POST",
                EMBED_URI,
                {
                    "model": "embed-v4.0",
                    "texts": texts,
                    "input_type": "search_query",
                    "embedding_types": ["float", "int8"],
                    "output_dimension": 8,
                },
            ),
            [
                R(
                    200,
                    _embed_reply(
                        texts,
                        {
                            "float": [_vector(i) for i in range(3)],
                            "int8": [[int(x * 1000) for x in _vector(i)] for i in range(3)],
                        },
                        {"input_tokens": 21},
                        "b4d1c7e2-authored-emb1",
                    ),
                )
            ],
            _embed_call(
                "embed-v4.0",
                input=texts,
                input_type="search_query",
                encoding_format=["float", "int8"],
                dimensions=8,
            ),
        )
    )
    out.append(
        A(
            "cohere",
            "embed_unbilled",
            "embedding",
            "authored: Cohere v2 embed reply without meta.billed_units (litellm then counts the input with its default tokenizer); shaped on cohere/openllmetry__test_cohere_v2_embed_legacy.yaml",
            (
                "POST",
                EMBED_URI,
                {"model": "embed-english-v3.0", "texts": texts[:2], "input_type": "search_document"},
            ),
            [
                R(
                    200,
                    _embed_reply(
                        texts[:2],
                        {"float": [_vector(i + 5) for i in range(2)]},
                        None,
                        "b4d1c7e2-authored-emb2",
                    ),
                )
            ],
            _embed_call("embed-english-v3.0", input=texts[:2]),
        )
    )
    out.append(
        A(
            "cohere",
            "embed_error_429",
            "error",
            "authored: HTTP 429 from Cohere v2 embed, body {id, message} shaped on the corpus 404 (cohere/pydantic-ai__TestCohere.test_embed_error.yaml); litellm's status mapping, CohereException on the embed route",
            (
                "POST",
                EMBED_URI,
                {"model": "embed-english-v3.0", "texts": ["hello"], "input_type": "search_document"},
            ),
            [
                R(
                    429,
                    _error(
                        "You are using a Trial key, which is limited to 100 API calls / minute.",
                        "b4d1c7e2-authored-emb429",
                    ),
                    headers={"retry-after": "1"},
                )
            ],
            _embed_call("embed-english-v3.0", input=["hello"]),
        )
    )
    more_errors = [
        (
            400,
            "invalid request: message must be at least 1 token long or tool results must be specified.",
            "a plain 400: the mapper's BadRequestError",
            _chat_call(),
        ),
        (
            404,
            "model 'command-r-nope' not found, make sure the correct model ID was used and that you have access to the model.",
            "no Cohere rule for 404: litellm's status mapping (Cohere_chatException)",
            _chat_call(model="cohere_chat/command-r-nope"),
        ),
        (
            404,
            "model 'command-a-03-2025' not found, make sure the correct model ID was used and that you have access to the model.",
            "a cohere/ model litellm moves to cohere_chat: its status mapping names cohere_chat",
            _chat_call(model="cohere/command-a-03-2025"),
        ),
        (
            422,
            "invalid type: parameter messages is of type object but should be of type array",
            "the mapper's 'invalid type: parameter' phrase",
            _chat_call(model="cohere/command-r"),
        ),
        (498, "invalid request: blocked input", "Cohere's 498: the mapper's BadRequestError", _chat_call()),
    ]
    for status, message, why, call in more_errors:
        name = f"error_{status}" if status != 404 or "nope" in message else "error_404_cohere_prefix"
        out.append(
            A(
                "cohere",
                name,
                "error",
                f"authored: HTTP {status} from Cohere v2 chat, body {{id, message}} shaped on the corpus 404 (cohere/pydantic-ai__TestCohere.test_embed_error.yaml); {why}",
                _chat_req(),
                [R(status, _error(message, f"b4d1c7e2-authored-err{status}"))],
                call,
            )
        )
    out.append(
        A(
            "cohere",
            "error_502",
            "error",
            "authored: HTTP 502 with a Cloudflare-style HTML page from Cohere v2 chat; litellm's status mapping quotes the page",
            _chat_req(),
            [
                R(
                    502,
                    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n",
                    "text/html",
                )
            ],
            _chat_call(),
        )
    )
    out.append(
        A(
            "cohere",
            "error_500_stream",
            "error",
            "authored: HTTP 500 to a streamed Cohere v2 chat, body {id, message} (docs.cohere.com/reference/errors): raised at the call",
            _chat_req(stream=True),
            [
                R(
                    500,
                    _error(
                        "internal server error, this has been reported to our developers. id 9e1a",
                        "b4d1c7e2-authored-err500s",
                    ),
                )
            ],
            _chat_call(stream=True),
        )
    )
    out.append(
        A(
            "cohere",
            "body_not_json",
            "error",
            "authored: HTTP 200 from Cohere v2 chat whose body is not JSON (a proxy's text page): litellm raises APIConnectionError quoting it",
            _chat_req(),
            [R(200, "upstream connect error or disconnect/reset before headers", "text/plain")],
            _chat_call(),
        )
    )
    out.append(
        A(
            "cohere",
            "body_without_message",
            "error",
            "authored: HTTP 200 from Cohere v2 chat, JSON without `message` (an id and usage only): litellm fails reading it (KeyError 'message', re-raised as APIConnectionError)",
            _chat_req(),
            [R(200, _j({"id": "b4d1c7e2-authored-0009", "finish_reason": "COMPLETE", "usage": USAGE}))],
            _chat_call(),
        )
    )
    out.append(
        A(
            "cohere",
            "chat_cohere_prefix",
            "chat",
            "authored: a cohere/ model litellm keeps on the cohere route (command-r), text reply shaped on cohere/pydantic-ai__test_request_simple_success_with_vcr.yaml",
            _chat_req(model="command-r"),
            [R(200, _reply({"role": "assistant", "content": [{"type": "text", "text": "Hi!"}]}))],
            _chat_call(model="cohere/command-r"),
        )
    )
    rerank_docs = [
        "Carson City is the capital city of the American state of Nevada.",
        "Washington, D.C. is the capital of the United States.",
        "Capital punishment has existed in the United States since before it was a country.",
    ]
    rerank_uri = "https://api.cohere.com/v2/rerank"
    rerank_query = "What is the capital of the United States?"
    out.append(
        A(
            "cohere",
            "rerank_top_n",
            "other",
            "authored: Cohere v2 rerank with top_n 2; reply {id, results[{index, relevance_score}], meta{api_version, billed_units.search_units}} shaped on cohere/openllmetry__test_cohere_v2_rerank_legacy.yaml",
            (
                "POST",
                rerank_uri,
                {
                    "model": "rerank-v3.5",
                    "query": rerank_query,
                    "top_n": 2,
                    "documents": rerank_docs,
                    "return_documents": True,
                },
            ),
            [
                R(
                    200,
                    _j(
                        {
                            "id": "b4d1c7e2-authored-rr1",
                            "results": [
                                {"index": 1, "relevance_score": 0.9871},
                                {"index": 2, "relevance_score": 0.1043},
                            ],
                            "meta": {"api_version": {"version": "2"}, "billed_units": {"search_units": 1}},
                        }
                    ),
                )
            ],
            {
                "function": "rerank",
                "model": "cohere/rerank-v3.5",
                "kwargs": {"query": rerank_query, "documents": rerank_docs, "top_n": 2},
                "base_path": "",
            },
        )
    )
    out.append(
        A(
            "cohere",
            "rerank_error_429",
            "error",
            "authored: HTTP 429 from Cohere v2 rerank, body {id, message} shaped on the corpus 404 (cohere/pydantic-ai__TestCohere.test_embed_error.yaml); litellm's status mapping on the rerank route",
            (
                "POST",
                rerank_uri,
                {
                    "model": "rerank-v3.5",
                    "query": rerank_query,
                    "documents": rerank_docs,
                    "return_documents": True,
                },
            ),
            [
                R(
                    429,
                    _error(
                        "You are using a Trial key, which is limited to 10 API calls / minute.",
                        "b4d1c7e2-authored-rr429",
                    ),
                    headers={"retry-after": "1"},
                )
            ],
            {
                "function": "rerank",
                "model": "cohere/rerank-v3.5",
                "kwargs": {"query": rerank_query, "documents": rerank_docs},
                "base_path": "",
            },
        )
    )
    return out
