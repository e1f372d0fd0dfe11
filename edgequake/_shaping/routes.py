"""Per-route facts of litellm's OpenAI-wire routes: finish-reason mapping, which route family a
provider takes, and the ``additional_headers`` litellm derives from the upstream response headers.

All measured against litellm 1.110.2 (``tests/fixtures/litellm/record.py``); see
``edgequake._shaping.response`` for the two route families.
"""

from __future__ import annotations

import os
import time
from typing import Any, Dict, Optional

from edgequake import _core

__all__ = [
    "DIRECT_CHOICES",
    "NO_PROVIDER_KEYS",
    "OVERHEAD_KEY",
    "PREFIX_MODEL",
    "RAW_HEADERS_KEY",
    "SDK_ROUTES",
    "additional_headers",
    "azure_o_series",
    "call_record",
    "family",
    "map_finish_reason",
]

_FINISH_REASON_MAP: Dict[str, str] = {
    "stop_sequence": "stop",
    "end_turn": "stop",
    "max_tokens": "length",
    "tool_use": "tool_calls",
    "refusal": "content_filter",
    "compaction": "length",
    "pause_turn": "length",
    "model_context_window_exceeded": "length",
    "COMPLETE": "stop",
    "STOP_SEQUENCE": "stop",
    "TOOL_CALL": "tool_calls",
    "ERROR_TOXIC": "content_filter",
    "ERROR": "stop",
    "eos_token": "stop",
    "eos": "stop",
    "STOP": "stop",
    "MAX_TOKENS": "length",
    "CONTINUATION": "length",
    "SAFETY": "content_filter",
    "RECITATION": "content_filter",
    "FINISH_REASON_UNSPECIFIED": "stop",
    "MALFORMED_FUNCTION_CALL": "stop",
    "LANGUAGE": "content_filter",
    "OTHER": "content_filter",
    "BLOCKLIST": "content_filter",
    "PROHIBITED_CONTENT": "content_filter",
    "SPII": "content_filter",
    "IMAGE_SAFETY": "content_filter",
    "IMAGE_PROHIBITED_CONTENT": "content_filter",
    "TOO_MANY_TOOL_CALLS": "stop",
    "MALFORMED_RESPONSE": "stop",
    "NO_IMAGE": "content_filter",
    "IMAGE_RECITATION": "content_filter",
    "IMAGE_OTHER": "content_filter",
    "ESCALATION": "content_filter",
    "UNEXPECTED_TOOL_CALL": "stop",
    "MISSING_THOUGHT_SIGNATURE": "stop",
    "network_error": "stop",
    "sensitive": "content_filter",
    "guardrail_intervened": "content_filter",
    "stop": "stop",
    "length": "length",
    "tool_calls": "tool_calls",
    "function_call": "function_call",
    "content_filter": "content_filter",
    "content_filtered": "content_filter",
    "error": "stop",
}


def map_finish_reason(finish_reason: str) -> str:
    """litellm's map_finish_reason: provider values to OpenAI's; unknown values become "stop"."""
    return _FINISH_REASON_MAP.get(finish_reason, "stop")


SDK_ROUTES = frozenset({"openai", "azure", "cerebras"})
# routes whose non-stream body goes through ModelResponse(**body) rather than litellm's converter:
# no choice-level provider_specific_fields/logprobs unless set (groq, fireworks_ai)
DIRECT_CHOICES = frozenset({"groq", "fireworks_ai"})
# routes that prefix the response model with the provider name
PREFIX_MODEL = frozenset({"cerebras", "fireworks_ai"})
# routes whose hidden params carry the raw headers under "headers"
RAW_HEADERS_KEY = frozenset(
    {"mistral", "xai", "openrouter", "groq", "deepseek", "together_ai", "huggingface"}
)
OVERHEAD_KEY = frozenset({"openai", "cerebras"})
NO_PROVIDER_KEYS = frozenset({"groq", "fireworks_ai"})  # no custom_llm_provider / region_name


def azure_o_series(model: str) -> bool:
    """litellm's test for Azure's o-series route (``AzureOpenAIO1Config.is_o_series_model``): a
    substring match on the deployment name, so ``my-o3-deploy`` counts and ``gpt-4o`` does not."""
    return any(tag in model for tag in ("o1", "o3", "o4", "o_series/"))


def family(provider: str) -> str:
    return "sdk" if provider in SDK_ROUTES else "httpx"


_RATELIMIT4 = (
    "x-ratelimit-limit-requests",
    "x-ratelimit-remaining-requests",
    "x-ratelimit-limit-tokens",
    "x-ratelimit-remaining-tokens",
)
_OPENAI_RESPONSE_HEADERS = frozenset((*_RATELIMIT4, "x-ratelimit-reset-requests", "x-ratelimit-reset-tokens"))
_REQUEST_ID_HEADERS = ("request-id", "x-request-id", "llm_provider-request-id", "llm_provider-x-request-id")


def _request_id(headers: Dict[str, str]) -> Optional[str]:
    low = {k.lower(): v for k, v in headers.items()}
    return next((low[n] for n in _REQUEST_ID_HEADERS if low.get(n)), None)


def additional_headers(headers: Dict[str, str], *, stream: bool, provider: str) -> Dict[str, str]:
    """litellm's ``additional_headers``: normalised x-ratelimit-* first, every raw header again as
    ``llm_provider-<name>``, then ``request-id``. The non-stream converter runs two passes, which
    is why it adds ``llm_provider-request-id`` and keeps only four ratelimit keys up front."""
    out: Dict[str, str] = {}
    two_pass = not stream
    if two_pass and provider != "groq":
        for k in _RATELIMIT4:
            if k in headers:
                out[k] = headers[k]
    else:
        for k, v in headers.items():
            if k in _OPENAI_RESPONSE_HEADERS:
                out[k] = v
    for k, v in headers.items():
        out[k if k.startswith("llm_provider-") else "llm_provider-" + k] = v
    rid = _request_id(headers)
    if rid is not None:
        if two_pass:
            out["llm_provider-request-id"] = rid
        out["request-id"] = rid
    return out


def uuid4_str() -> str:
    """``str(uuid.uuid4())`` in half the time (every call and every chunk without an id needs one):
    the same 122 random bits from ``os.urandom``, version and variant bits set as RFC 4122 says."""
    n = int.from_bytes(os.urandom(16), "big")
    n = (n & ~(0xF000 << 64) & ~(0xC000 << 48)) | (0x4000 << 64) | (0x8000 << 48)
    h = f"{n:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def stream_hidden_tail(api_base: str, response_headers: Dict[str, str], provider: str) -> Dict[str, Any]:
    """What litellm's stream wrapper puts last in every chunk's ``_hidden_params``: one dict per
    stream, spread into each chunk's, so (as in litellm) all chunks share one ``additional_headers``."""
    return {
        "model_id": None,
        "api_base": api_base,
        "additional_headers": additional_headers(response_headers, stream=True, provider=provider),
        "response_cost": None,
    }


def chunk_hidden(provider: str, served_model: Optional[str], tail: Dict[str, Any]) -> Dict[str, Any]:
    """A stream chunk's ``_hidden_params``, in litellm's order (``tail`` from ``stream_hidden_tail``)."""
    if served_model is not None:
        return {
            "provider_response_model": served_model,
            "custom_llm_provider": provider,
            "created_at": time.time(),
            **tail,
        }
    return {"custom_llm_provider": provider, "created_at": time.time(), **tail}


def call_record(api_base: str) -> Dict[str, Any]:
    """The per-call bookkeeping litellm puts in every response's ``_hidden_params``, in its order: no
    callbacks ran, a fresh call id, the endpoint shown, no model id, and the cost slot the call path
    fills once the response is built (``edgequake._cost.stamp``, litellm's price from its table).

    The endpoint is litellm's, but without URL userinfo or credential query values (litellm keeps
    them raw; issue 12: a response a user logs must not carry the key)."""
    return {
        "callback_duration_ms": 0.0,
        "litellm_call_id": uuid4_str(),
        "api_base": _core.redact_url(api_base) if ("@" in api_base or "=" in api_base) else api_base,
        "model_id": None,
        "response_cost": None,
    }
