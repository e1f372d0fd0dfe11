"""Authored Cohere v2 cases other than chat replies and streams: error replies (chat, stream, embed,
rerank), 200 bodies litellm cannot read, embeddings and rerank. Formats and sources as described in
tools/authored_cohere.py, whose helpers these use.
"""

# ruff: noqa: E501  (provider messages and case notes are data, kept on one line each)
from __future__ import annotations

from typing import Any, Callable, List

from authored_cohere import (
    EMBED_URI,
    USAGE,
    _chat_call,
    _chat_req,
    _embed_call,
    _embed_reply,
    _error,
    _j,
    _reply,
    _vector,
)


def other_cases(authored: Callable[..., Any], response: Callable[..., Any]) -> List[Any]:
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
