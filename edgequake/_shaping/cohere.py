"""Cohere v2 replies (OpenAI-shaped by ``core/src/wire/cohere``) -> litellm 1.110.2's objects, as its
Cohere route builds them (measured).

litellm fills a fresh ``ModelResponse`` in place: a local ``chatcmpl-<uuid4>`` id, local ``created``,
the requested model, one choice whose message has ``content``/``role``/``tool_calls``/``function_call``
(and ``annotations`` when Cohere cited documents), tool calls with their ``index``, and a plain
``Usage``; ``_response_headers`` stays None and ``additional_headers`` empty. Embeddings keep
Cohere's billed units (``prompt_tokens_details`` with the text tokens) or, when Cohere billed none,
count the input with litellm's default tokenizer. Streams go through the shared ``StreamShaper``; a
Cohere stream has one local id for all its chunks.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Dict, List, Optional

from edgequake._shaping.message import _tool_call
from edgequake._shaping.routes import call_record
from edgequake._shaping.stream import StreamShaper
from edgequake.types import (
    Choices,
    Embedding,
    EmbeddingResponse,
    Message,
    ModelResponse,
    PromptTokensDetailsWrapper,
    Usage,
    _new,
)

__all__ = ["CohereStreamShaper", "embedding_response", "model_response"]

_DETAILS = (
    "audio_tokens",
    "cached_tokens",
    "text_tokens",
    "image_tokens",
    "video_tokens",
    "initial_prompt_tokens",
)


def _usage(u: Any, details: Optional[PromptTokensDetailsWrapper] = None) -> Usage:
    u = u if isinstance(u, dict) else {}
    return _new(  # type: ignore[no-any-return]
        Usage,
        {
            "prompt_tokens": u.get("prompt_tokens") or 0,
            "completion_tokens": u.get("completion_tokens") or 0,
            "total_tokens": u.get("total_tokens") or 0,
            "completion_tokens_details": None,
            "prompt_tokens_details": details,
        },
    )


def _message(msg: Dict[str, Any]) -> Message:
    raw_tools = msg.get("tool_calls")
    fields: Dict[str, Any] = {
        "content": msg.get("content"),
        "role": "assistant",
        "tool_calls": [_tool_call(t) for t in raw_tools] if raw_tools else None,
        "function_call": None,
    }
    extra: Dict[str, Any] = {}
    if msg.get("annotations"):
        extra["annotations"] = msg["annotations"]
    return _new(Message, fields, extra)  # type: ignore[no-any-return]


def _hidden(
    provider: str, caller_model: str, api_base: str, response_ms: float, model: str
) -> Dict[str, Any]:
    return {
        "custom_llm_provider": provider,
        "region_name": None,
        "_response_ms": response_ms,
        **call_record(api_base),
        "additional_headers": {},
        "litellm_model_name": caller_model,
        "provider_response_model": model,
    }


def litellm_model_name(provider: str, model: str, caller_model: Optional[str]) -> str:
    """litellm's ``litellm_model_name``: the model as the caller prefixed it (a ``cohere/`` call that
    litellm moves to ``cohere_chat`` keeps its ``cohere/``), else ``<provider>/<model>``."""
    if caller_model and "/" in caller_model:
        return caller_model
    return f"{provider}/{model}"


def model_response(
    body: Dict[str, Any],
    *,
    provider: str,
    requested_model: str,
    response_headers: Dict[str, str],
    api_base: str,
    response_ms: float,
    caller_model: Optional[str] = None,
) -> ModelResponse:
    choices = body.get("choices") or [{}]
    choice = choices[0] if isinstance(choices[0], dict) else {}
    message = _message(choice.get("message") or {})
    built = _new(
        Choices,
        {"finish_reason": choice.get("finish_reason") or "stop", "index": 0, "message": message},
    )
    fields = {
        "id": f"chatcmpl-{uuid.uuid4()}",
        "created": int(time.time()),
        "model": requested_model,
        "object": "chat.completion",
        "choices": [built],
    }
    hidden = _hidden(
        provider,
        litellm_model_name(provider, requested_model, caller_model),
        api_base,
        response_ms,
        requested_model,
    )
    private = {"_hidden_params": hidden, "_response_headers": None, "_response_ms": response_ms}
    return _new(ModelResponse, fields, {"usage": _usage(body.get("usage"))}, private)  # type: ignore[no-any-return]


def _counted_usage(inputs: List[Any]) -> Usage:
    """litellm's usage when Cohere billed nothing: the texts counted with its default tokenizer."""
    from edgequake._shaping.tokens import count_tokens as _count
    from edgequake._shaping.tokens import encoder as _encoder

    enc = _encoder("cl100k_base")
    n = sum(_count(enc, text) for text in inputs if isinstance(text, str))
    return _usage({"prompt_tokens": n, "total_tokens": n})


def _billed_usage(u: Dict[str, Any]) -> Usage:
    raw = u.get("prompt_tokens_details") or {}
    image_count = raw.get("image_count")
    details = _new(
        PromptTokensDetailsWrapper,
        {k: raw.get(k) for k in _DETAILS},
        {"image_count": image_count} if image_count is not None else None,
    )
    return _usage(u, details)


def embedding_response(
    body: Dict[str, Any],
    *,
    provider: str,
    requested_model: str,
    response_headers: Dict[str, str],
    api_base: str,
    response_ms: float,
    caller_model: Optional[str] = None,
    inputs: Optional[List[Any]] = None,
) -> EmbeddingResponse:
    data = [
        _new(Embedding, {"embedding": d.get("embedding"), "index": d.get("index", i), "object": "embedding"})
        for i, d in enumerate(body.get("data") or [])
        if isinstance(d, dict)
    ]
    billed = body.get("usage")
    usage = _billed_usage(billed) if isinstance(billed, dict) else _counted_usage(inputs or [])
    hidden = _hidden(
        provider,
        litellm_model_name(provider, requested_model, caller_model),
        api_base,
        response_ms,
        requested_model,
    )
    del hidden["region_name"]  # the embedding route sets no region
    hidden["provider_response_model"] = None
    private = {"_hidden_params": hidden, "_response_headers": None, "_response_ms": response_ms}
    return _new(  # type: ignore[no-any-return]
        EmbeddingResponse,
        {"model": requested_model, "data": data, "object": "list", "usage": usage},
        None,
        private,
    )


class CohereStreamShaper(StreamShaper):
    """The shared stream shaping, with one local ``chatcmpl-<uuid4>`` for every chunk of a stream
    (litellm gives its Cohere chunks the id of the response object it fills)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._stream_id = f"chatcmpl-{uuid.uuid4()}"

    def feed(self, raw_chunk: Dict[str, Any]) -> List[Any]:
        return super().feed({**raw_chunk, "id": self._stream_id})
