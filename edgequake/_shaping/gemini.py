"""The core's OpenAI-shaped Gemini replies (``core/src/wire/gemini``) -> litellm's objects, as litellm
1.110.2's ``VertexGeminiConfig`` builds them for the ``gemini/`` route: every message carries
``images`` and ``thinking_blocks`` (empty lists when there are none), each choice its
``native_finish_reason``, the response the ``vertex_ai_*`` metadata lists, ``created`` is local time
and ``id`` the ``responseId`` (a fresh ``chatcmpl-<uuid4>`` without one). Streams go through the shared
``StreamShaper``; embeddings count their input locally when Gemini reports no usage, as litellm does.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Dict, List

from edgequake._shaping.message import _tool_call
from edgequake._shaping.routes import additional_headers, call_record
from edgequake._shaping.usage import build_usage
from edgequake.types import (
    Choices,
    Embedding,
    EmbeddingResponse,
    Message,
    ModelResponse,
    Usage,
    _new,
)

__all__ = ["carried_grounding", "embedding_response_from_gemini", "model_response_from_gemini"]

_GROUNDING_COUNTERS = ("web_search_requests", "google_maps_grounding_requests")


def carried_grounding(previous: Any, usage: Dict[str, Any]) -> Dict[str, Any]:
    """A stream's usage with the grounding counters an earlier chunk reported: litellm's builder
    keeps the last one any chunk's usage carried."""
    before = (previous or {}).get("prompt_tokens_details") if isinstance(previous, dict) else None
    details = usage.get("prompt_tokens_details")
    if not isinstance(before, dict) or not isinstance(details, dict):
        return usage
    carried = {k: before[k] for k in _GROUNDING_COUNTERS if k in before and details.get(k) is None}
    if not carried:
        return usage
    return {**usage, "prompt_tokens_details": {**details, **carried}}

_OWN_KEYS = frozenset({"id", "created", "model", "object", "choices", "usage", "flagged"})


def _message(msg: Dict[str, Any], flagged: bool) -> Message:
    raw_tools = msg.get("tool_calls")
    fields: Dict[str, Any] = {
        "content": msg.get("content"),
        "role": msg.get("role") or "assistant",
        "tool_calls": [_tool_call(t) for t in raw_tools] if raw_tools else None,
        "function_call": None,
    }
    extra: Dict[str, Any] = {}
    if not flagged:  # a flagged answer is litellm's own bare message
        extra["images"] = msg.get("images") or []
        if msg.get("reasoning_content") is not None:
            extra["reasoning_content"] = msg["reasoning_content"]
        extra["thinking_blocks"] = msg.get("thinking_blocks") or []
        if msg.get("annotations"):
            extra["annotations"] = msg["annotations"]
    if msg.get("provider_specific_fields"):
        fields["provider_specific_fields"] = msg["provider_specific_fields"]
    return _new(Message, fields, extra)  # type: ignore[no-any-return]


def _choice(index: int, choice: Dict[str, Any], flagged: bool) -> Choices:
    extra: Dict[str, Any] = {}
    if choice.get("logprobs") is not None:
        extra["logprobs"] = choice["logprobs"]
    if choice.get("provider_specific_fields") is not None:
        extra["provider_specific_fields"] = choice["provider_specific_fields"]
    fields = {
        "finish_reason": choice.get("finish_reason") or "stop",
        "index": choice.get("index", index),
        "message": _message(choice.get("message") or {}, flagged),
    }
    return _new(Choices, fields, extra)  # type: ignore[no-any-return]


def _hidden(
    provider: str, requested_model: str, headers: Dict[str, str], api_base: str, ms: float
) -> Dict[str, Any]:
    return {
        "custom_llm_provider": provider,
        "region_name": None,
        "additional_headers": additional_headers(headers, stream=False, provider=provider),
        "_response_ms": ms,
        **call_record(api_base),
        "litellm_model_name": f"{provider}/{requested_model}",
    }


def model_response_from_gemini(
    body: Dict[str, Any],
    *,
    provider: str,
    requested_model: str,
    response_headers: Dict[str, str],
    api_base: str,
    response_ms: float,
) -> ModelResponse:
    flagged = bool(body.get("flagged"))
    choices = [_choice(i, c, flagged) for i, c in enumerate(body.get("choices") or [])]
    fields: Dict[str, Any] = {
        "id": body.get("id") or f"chatcmpl-{uuid.uuid4()}",
        "created": int(time.time()),
        "model": body.get("model") or requested_model,
        "object": "chat.completion",
        "choices": choices,
    }
    extra: Dict[str, Any] = {}
    usage = body.get("usage")
    if isinstance(usage, dict):
        extra["usage"] = build_usage(usage)
    for key, value in body.items():
        if key not in _OWN_KEYS:
            extra[key] = value
    hidden = _hidden(provider, requested_model, response_headers, api_base, response_ms)
    private = {
        "_hidden_params": hidden,
        "_response_headers": dict(response_headers),
        "_response_ms": response_ms,
    }
    return _new(ModelResponse, fields, extra, private)  # type: ignore[no-any-return]


def _counted(model: str, input: Any) -> int:
    """litellm's ``token_counter(model=..., text=...)`` over the embedding inputs (cl100k_base)."""
    from edgequake._shaping.tokens import count_tokens as _count
    from edgequake._shaping.tokens import encoder as _encoder

    texts: List[str] = [input] if isinstance(input, str) else [t for t in (input or []) if isinstance(t, str)]
    enc = _encoder()
    return sum(_count(enc, t) for t in texts)


def embedding_response_from_gemini(
    body: Dict[str, Any],
    *,
    provider: str,
    requested_model: str,
    response_headers: Dict[str, str],
    api_base: str,
    response_ms: float,
    input: Any = None,
) -> EmbeddingResponse:
    data = [
        _new(
            Embedding,
            {"embedding": d.get("embedding", []), "index": d.get("index", i), "object": "embedding"},
        )
        for i, d in enumerate(body.get("data") or [])
    ]
    u = body.get("usage")
    if isinstance(u, dict):
        prompt, total = int(u.get("prompt_tokens") or 0), int(u.get("total_tokens") or 0)
    else:
        prompt = total = _counted(requested_model, input)
    usage = _new(
        Usage,
        {
            "prompt_tokens": prompt,
            "completion_tokens": 0,
            "total_tokens": total,
            "completion_tokens_details": None,
            "prompt_tokens_details": None,
        },
    )
    hidden = _hidden(provider, requested_model, response_headers, api_base, response_ms)
    private = {
        "_hidden_params": hidden,
        "_response_headers": dict(response_headers),
        "_response_ms": response_ms,
    }
    return _new(  # type: ignore[no-any-return]
        EmbeddingResponse,
        {"model": requested_model, "data": data, "object": "list", "usage": usage},
        None,
        private,
    )
