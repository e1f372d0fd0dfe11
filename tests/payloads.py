"""OpenAI-wire bodies for the API tests, shaped like real provider responses."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

USER = [{"role": "user", "content": "hi"}]


def chat(
    content: Optional[str] = "Hello there!",
    *,
    tool_calls: Optional[List[Dict[str, Any]]] = None,
    finish_reason: str = "stop",
    **extra: Any,
) -> Dict[str, Any]:
    message: Dict[str, Any] = {"role": "assistant", "content": content, "refusal": None, "annotations": []}
    if tool_calls:
        message["tool_calls"] = tool_calls
    body: Dict[str, Any] = {
        "id": "chatcmpl-SERVER0001",
        "object": "chat.completion",
        "created": 1700000000,
        "model": "gpt-4o-mini-2024-07-18",
        "system_fingerprint": "fp_server",
        "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish_reason}],
        "usage": {
            "prompt_tokens": 9,
            "completion_tokens": 3,
            "total_tokens": 12,
            "prompt_tokens_details": {"cached_tokens": 2, "audio_tokens": 0},
            "completion_tokens_details": {
                "reasoning_tokens": 0,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        },
        "service_tier": "default",
    }
    body.update(extra)
    return body


def chunk(delta: Dict[str, Any], finish_reason: Optional[str] = None, **extra: Any) -> Dict[str, Any]:
    out: Dict[str, Any] = {
        "id": "chatcmpl-STREAM1",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "gpt-4o-mini-2024-07-18",
        "system_fingerprint": "fp_server",
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}],
    }
    out.update(extra)
    return out


def text_stream(*pieces: str) -> List[Dict[str, Any]]:
    return [
        chunk({"role": "assistant", "content": "", "refusal": None}),
        *[chunk({"content": p}) for p in pieces],
        chunk({}, "stop"),
    ]


def usage_chunk() -> Dict[str, Any]:
    out = chunk({})
    out["choices"] = []
    out["usage"] = {
        "prompt_tokens": 9,
        "completion_tokens": 5,
        "total_tokens": 14,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }
    return out


def tool_call_stream() -> List[Dict[str, Any]]:
    """A get_weather call whose JSON arguments arrive in fragments, as OpenAI streams them."""
    first = {
        "index": 0,
        "id": "call_abc",
        "type": "function",
        "function": {"name": "get_weather", "arguments": ""},
    }
    frags = ['{"ci', 'ty": "Par', 'is"}']
    return [
        chunk({"role": "assistant", "content": None, "tool_calls": [first], "refusal": None}),
        *[chunk({"tool_calls": [{"index": 0, "function": {"arguments": f}}]}) for f in frags],
        chunk({}, "tool_calls"),
    ]


def error(message: str, type_: str = "invalid_request_error", code: Optional[str] = None) -> Dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": None, "code": code}}


def embedding(n: int = 2) -> Dict[str, Any]:
    return {
        "object": "list",
        "data": [{"object": "embedding", "index": i, "embedding": [0.1 * i, -0.5, 0.25]} for i in range(n)],
        "model": "text-embedding-3-small",
        "usage": {"prompt_tokens": 4, "total_tokens": 4},
    }
