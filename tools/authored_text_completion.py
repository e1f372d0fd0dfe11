"""Authored text_completion() cases for tools/author_cases.py (which writes them, their `.case.yaml`
and their PROVENANCE rows): legacy completions (`/v1/completions`) no public recording covers.

Bodies follow OpenAI's documented completion object and its SSE chunks
(platform.openai.com/docs/api-reference/completions/object): `{id, object: "text_completion",
created, model, choices[{text, index, logprobs, finish_reason}], usage}`, a stream being one such
object per `data:` line (text per chunk, the last with a finish_reason) and `data: [DONE]`; errors are
the OpenAI error object (platform.openai.com/docs/guides/error-codes). Azure's deployment endpoint
answers the same object plus `content_filter_results` (learn.microsoft.com/azure/ai-services/openai/
reference#completions). On Anthropic litellm bridges text_completion() to chat completion, so that
case records a Messages API exchange (docs.anthropic.com/en/api/messages) and states its call.
"""

# ruff: noqa: E501  (provider messages and case notes are data, kept on one line each)
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Tuple

Json = Dict[str, Any]

OPENAI_URI = "https://api.openai.com/v1/completions"
AZURE_DEPLOYMENT = "gpt-35-turbo-instruct"
AZURE_URI = f"https://edgequake-authored.openai.azure.com/openai/deployments/{AZURE_DEPLOYMENT}/completions?api-version=2024-10-21"
CREATED = 1765962162
INSTRUCT = "gpt-3.5-turbo-instruct"
TEST_PROMPT = "Say this is a test"
ONCE = {"model": "davinci-002", "prompt": "Once upon a time"}
COMPLETIONS_OBJECT = "platform.openai.com/docs/api-reference/completions/object"


def _completions_req(body: Json) -> Tuple[str, str, Json]:
    return "POST", OPENAI_URI, body


def _text_chunk(id_: str, text: str, finish: Optional[str] = None, usage: bool = True) -> Json:
    chunk: Json = {
        "id": id_,
        "object": "text_completion",
        "created": CREATED,
        "choices": [{"text": text, "index": 0, "logprobs": None, "finish_reason": finish}],
        "model": INSTRUCT,
    }
    if usage:
        chunk["usage"] = None
    return chunk


def _choice(index: int, tokens: List[str], logprobs: List[float]) -> Json:
    offsets, at = [], 0
    for token in tokens:
        offsets.append(at)
        at += len(token)
    return {
        "text": "".join(tokens),
        "index": index,
        "logprobs": {
            "tokens": tokens,
            "token_logprobs": [None, *logprobs],
            "top_logprobs": [None, *({t: p} for t, p in zip(tokens[1:], logprobs))],
            "text_offset": offsets,
        },
        "finish_reason": "length",
    }


def text_completion_cases(authored: Callable[..., Any], response: Callable[..., Any]) -> List[Any]:
    """The cases, built with author_cases' `Authored` and `Response` (passed in to avoid a cycle)."""
    from author_cases import SSE, _j, _sse, openai_error  # beside this file: pure helpers

    A, R = authored, response
    out: List[Any] = []
    stream_id = "cmpl-authored0000000000000001"
    out.append(
        A(
            "openai",
            "text_completion_stream",
            "stream",
            f"authored: text_completion() streamed on /v1/completions, shaped on OpenAI text_completion SSE chunks ({COMPLETIONS_OBJECT})",
            _completions_req({"model": INSTRUCT, "prompt": TEST_PROMPT, "max_tokens": 7, "stream": True}),
            [
                R(
                    200,
                    _sse(
                        [
                            _text_chunk(stream_id, "\n\n"),
                            _text_chunk(stream_id, "This is"),
                            _text_chunk(stream_id, " a test", "length"),
                        ]
                    ),
                    SSE,
                )
            ],
        )
    )
    out.append(
        A(
            "openai",
            "text_completion_error_401",
            "error",
            "authored: text_completion() on /v1/completions answered 401 with the OpenAI error object (platform.openai.com/docs/guides/error-codes)",
            _completions_req(dict(ONCE)),
            [
                R(
                    401,
                    openai_error(
                        "Incorrect API key provided: sk-edgeq*****play. You can find your API key at https://platform.openai.com/account/api-keys.",
                        "invalid_request_error",
                        "invalid_api_key",
                    ),
                )
            ],
        )
    )
    listed = {
        "id": "cmpl-authored0000000000000002",
        "object": "text_completion",
        "created": CREATED,
        "model": "davinci-002",
        "choices": [
            _choice(0, ["The", " sky", " is", " blue"], [-6.1, -0.9, -1.2]),
            _choice(1, ["Gr", "ass", " is", " green"], [-2.3, -1.1, -0.4]),
        ],
        "usage": {"prompt_tokens": 6, "completion_tokens": 2, "total_tokens": 8},
    }
    out.append(
        A(
            "openai",
            "text_completion_prompt_list",
            "chat",
            f"authored: text_completion() of a prompt list with echo and logprobs: one choice per prompt, logprobs as four lists ({COMPLETIONS_OBJECT})",
            _completions_req(
                {
                    "model": "davinci-002",
                    "prompt": ["The sky is", "Grass is"],
                    "max_tokens": 1,
                    "echo": True,
                    "logprobs": 1,
                    "temperature": 0,
                }
            ),
            [R(200, _j(listed), headers={"x-request-id": "req_authored0002"})],
        )
    )
    # A 200 whose body is an error object (as proxies and OpenAI-compatible servers send): litellm
    # 1.110.2 makes it a successful response, edgequake raises (cassettes/divergences.yaml).
    out.append(
        A(
            "openai",
            "text_completion_error_body_200",
            "error",
            "authored: text_completion() on /v1/completions answered 200 with an OpenAI error object as the body",
            _completions_req(dict(ONCE)),
            [
                R(
                    200,
                    openai_error(
                        "The server had an error while processing your request. Sorry about that!",
                        "server_error",
                        None,
                    ),
                )
            ],
            # the body has no `created`: litellm stamps its local clock, which two calls can read in
            # different seconds (a litellm-against-itself run differed there once in a few runs)
            volatile=["response.created"],
        )
    )
    # A dropped connection: litellm 1.110.2 reports it finished, edgequake raises
    # MidStreamFallbackError (cassettes/divergences.yaml).
    out.append(
        A(
            "openai",
            "text_completion_stream_truncated",
            "stream",
            "authored: text_completion() stream on /v1/completions that ends after one text chunk: no finish_reason, no [DONE]",
            _completions_req({"model": INSTRUCT, "prompt": TEST_PROMPT, "stream": True}),
            [
                R(
                    200,
                    _sse([_text_chunk("cmpl-authored0000000000000003", "This is", usage=False)], done=False),
                    SSE,
                )
            ],
        )
    )
    # litellm sends text_completion() on anthropic through chat completion (/v1/messages, the prompt
    # as a user message) and converts the chat response into a TextCompletionResponse; the recorded
    # request is that chat call, so the case states the text_completion() that made it.
    prompt = "Write one word."
    out.append(
        A(
            "anthropic",
            "text_completion_bridged",
            "chat",
            "authored: text_completion() bridged to chat completion on anthropic (litellm converts the chat response into a TextCompletionResponse); Messages API reply shaped on docs.anthropic.com/en/api/messages",
            (
                "POST",
                "https://api.anthropic.com/v1/messages",
                {
                    "model": "claude-3-5-haiku-20241022",
                    "messages": [{"role": "user", "content": [{"type": "text", "text": prompt}]}],
                    "max_tokens": 16,
                },
            ),
            [
                R(
                    200,
                    _j(
                        {
                            "id": "msg_authored0000000000000001",
                            "type": "message",
                            "role": "assistant",
                            "model": "claude-3-5-haiku-20241022",
                            "content": [{"type": "text", "text": "Hello."}],
                            "stop_reason": "end_turn",
                            "stop_sequence": None,
                            "usage": {"input_tokens": 11, "output_tokens": 3},
                        }
                    ),
                )
            ],
            {
                "function": "text_completion",
                "model": "anthropic/claude-3-5-haiku-20241022",
                "kwargs": {"prompt": prompt, "max_tokens": 16},
                "base_path": "",
            },
        )
    )
    # litellm's azure_text route turns the reply into a chat response and back, and that chat
    # response's `created` is litellm's local clock (the reply's own is dropped): volatile.
    azure = {
        "id": "cmpl-authored0000000000000004",
        "object": "text_completion",
        "created": CREATED,
        "model": AZURE_DEPLOYMENT,
        "choices": [
            {
                "text": "\n\nThis is a test",
                "index": 0,
                "finish_reason": "stop",
                "logprobs": None,
                "content_filter_results": {"hate": {"filtered": False, "severity": "safe"}},
            }
        ],
        "usage": {"completion_tokens": 5, "prompt_tokens": 5, "total_tokens": 10},
    }
    out.append(
        A(
            "azure",
            "text_completion",
            "chat",
            "authored: text_completion() on an Azure deployment (azure_text/, /openai/deployments/<dep>/completions), shaped on Azure OpenAI completions reference (learn.microsoft.com/azure/ai-services/openai/reference#completions)",
            ("POST", AZURE_URI, {"model": AZURE_DEPLOYMENT, "prompt": TEST_PROMPT, "max_tokens": 7}),
            [R(200, _j(azure), headers={"apim-request-id": "authored-0004"})],
            volatile=["response.created"],
        )
    )
    return out
