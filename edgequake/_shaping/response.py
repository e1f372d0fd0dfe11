"""OpenAI-shaped JSON (from the Rust core) -> litellm-shaped response objects.

Everything here reproduces what litellm 1.110.2 does on its OpenAI-wire routes, as measured by
``tests/fixtures/litellm/record.py``. Two route families exist inside litellm and they differ in
small but visible ways (key sets, hidden params):

* ``sdk``: openai, azure, cerebras go through the openai SDK (typed chunk objects, so every delta
  carries ``refusal`` and chunks carry ``moderation``/``obfuscation``);
* ``httpx``: mistral, xai, openrouter, groq, deepseek, together_ai, fireworks_ai, huggingface go
  through litellm's own HTTP handler (dict chunks: only the keys the provider sent).

``response_cost`` (and a stream usage chunk's ``usage.cost``) come from litellm's bundled price map,
which edgequake ships too (``edgequake._cost``): the shapers leave ``response_cost=None`` and the call
path prices the finished response (``edgequake._cost.stamp``); the harness compares both values.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Dict, Optional

from edgequake._shaping.message import build_choice
from edgequake._shaping.routes import (
    DIRECT_CHOICES,
    NO_PROVIDER_KEYS,
    OVERHEAD_KEY,
    PREFIX_MODEL,
    RAW_HEADERS_KEY,
    additional_headers,
    azure_o_series,
    call_record,
    map_finish_reason,
)
from edgequake._shaping.stream import StreamShaper
from edgequake._shaping.usage import build_usage, new_usage, usage_fields, xai_usage
from edgequake._shaping.validate import check_chat_body
from edgequake.types import Embedding, EmbeddingResponse, ModelResponse, Usage, _new

__all__ = [
    "StreamShaper",
    "embedding_response_from_openai",
    "map_finish_reason",
    "model_response_from_openai",
    "usage_fields",
]

_RESPONSE_FIELDS = frozenset({"id", "created", "model", "object", "system_fingerprint", "choices", "usage"})


def _created(value: Any) -> int:
    if isinstance(value, bool) or value is None:
        return int(time.time())
    if isinstance(value, int):
        return value
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return int(time.time())


def model_response_from_openai(
    body: Dict[str, Any],
    *,
    provider: str,
    requested_model: str,
    response_headers: Dict[str, str],
    api_base: str,
    response_ms: float,
) -> ModelResponse:
    """Build litellm's ``ModelResponse`` for an OpenAI-format chat completion body.

    ``api_base`` is stored as given in ``_hidden_params["api_base"]``: pass the string litellm shows
    for the route. ``_hidden_params["response_cost"]`` is None here; the call path prices it from
    the price table as litellm does (``edgequake._cost.stamp``). A body litellm
    cannot read raises its exception instead (``edgequake._shaping.validate``).
    """
    check_chat_body(body, provider)  # raises where litellm cannot read the body
    choices = [build_choice(i, c, provider) for i, c in enumerate(body["choices"])]
    model = body.get("model")
    if provider in PREFIX_MODEL and model is not None:
        model = f"{provider}/{model}"
    elif provider == "azure" and azure_o_series(requested_model):
        # litellm sends Azure's o-series through its OpenAI handler with custom_llm_provider="azure",
        # which names the response "azure/<model>" (the requested name when the body has none)
        model = f"azure/{model if model is not None else requested_model}"
    fields: Dict[str, Any] = {
        "id": body.get("id") or f"chatcmpl-{uuid.uuid4()}",
        "created": _created(body.get("created")),
        "model": model,
        "object": "chat.completion",
        "choices": choices,
    }
    if "system_fingerprint" in body:
        fields["system_fingerprint"] = body["system_fingerprint"]
    usage = body.get("usage")
    extra: Dict[str, Any] = {}
    if isinstance(usage, dict) and provider == "xai":
        usage = xai_usage(usage)  # reasoning tokens folded into completion_tokens, as litellm does
    if usage is not None:
        extra["usage"] = build_usage(usage)
    elif provider not in DIRECT_CHOICES:  # the converter routes default to an all-zero Usage
        extra["usage"] = new_usage({k: Usage._defaults[k] for k in Usage.model_fields})
    for k, v in body.items():
        if k not in _RESPONSE_FIELDS:
            extra[k] = v
    if body.get("system_fingerprint") == "fp_ollama" and provider not in DIRECT_CHOICES:
        _ollama_ids(fields, extra)
    if (
        provider == "groq"
        and "service_tier" in extra
        and extra["service_tier"] not in ("auto", "default", "flex")
    ):
        # litellm's groq transformation maps Groq's own tiers (null, "on_demand", ...) to OpenAI's "auto"
        extra["service_tier"] = "auto"
    hidden = _hidden_nonstream(provider, requested_model, response_headers, api_base, response_ms, model)
    # groq and fireworks_ai build the response without passing headers along: litellm leaves None
    kept_headers = None if provider in DIRECT_CHOICES else dict(response_headers)
    private = {"_hidden_params": hidden, "_response_headers": kept_headers, "_response_ms": response_ms}
    return _new(ModelResponse, fields, extra, private)


def _ollama_ids(fields: Dict[str, Any], extra: Dict[str, Any]) -> None:
    """Ollama's OpenAI-compatible endpoint (``system_fingerprint: "fp_ollama"``) numbers its ids per
    server process (``chatcmpl-674``), so they repeat across restarts and servers. litellm's response
    converter swaps in a fresh ``chatcmpl-<uuid4>`` and keeps Ollama's id as
    ``provider_specific_fields["original_response_id"]`` (unless one is already there)."""
    psf = extra.get("provider_specific_fields")
    psf = dict(psf) if isinstance(psf, dict) else {}
    original = psf.get("original_response_id")
    if isinstance(original, str):
        return_id = fields["id"]
    else:
        original = fields["id"]
        return_id = f"chatcmpl-{uuid.uuid4()}"
    fields["id"] = return_id
    psf["original_response_id"] = original
    extra["provider_specific_fields"] = psf


def _hidden_nonstream(
    provider: str,
    requested_model: str,
    headers: Dict[str, str],
    api_base: str,
    response_ms: float,
    model: Optional[str],
) -> Dict[str, Any]:
    h: Dict[str, Any] = {}
    if provider not in NO_PROVIDER_KEYS:
        h["custom_llm_provider"] = provider
        h["region_name"] = None
    if provider in RAW_HEADERS_KEY:
        h["headers"] = dict(headers)
    h["additional_headers"] = additional_headers(headers, stream=False, provider=provider)
    h["_response_ms"] = response_ms
    if provider in OVERHEAD_KEY:
        h["litellm_overhead_time_ms"] = None  # litellm's own overhead; timing, volatile
    h.update(call_record(api_base))
    h["litellm_model_name"] = f"{provider}/{requested_model}"
    h["provider_response_model"] = model
    return h


def embedding_response_from_openai(
    body: Dict[str, Any],
    *,
    provider: str,
    requested_model: str,
    response_headers: Dict[str, str],
    api_base: str,
    response_ms: float,
) -> EmbeddingResponse:
    """litellm's ``EmbeddingResponse``: data items become ``Embedding`` objects (dumped in full),
    usage keeps only the three counters (completion_tokens=0, details None)."""
    data = [
        _new(
            Embedding,
            {
                "embedding": d.get("embedding", []),
                "index": d.get("index", i),
                "object": d.get("object", "embedding"),
            },
        )
        for i, d in enumerate(body.get("data") or [])
    ]
    u = body.get("usage") or {}
    usage = _new(
        Usage,
        {
            "prompt_tokens": u.get("prompt_tokens", 0) or 0,
            "completion_tokens": u.get("completion_tokens", 0) or 0,
            "total_tokens": u.get("total_tokens", 0) or 0,
            "completion_tokens_details": None,
            "prompt_tokens_details": None,
        },
    )
    hidden: Dict[str, Any] = {
        "additional_headers": additional_headers(response_headers, stream=False, provider=provider),
        "custom_llm_provider": provider,
        "_response_ms": response_ms,
    }
    if (
        provider in OVERHEAD_KEY or provider == "mistral"
    ):  # measured: mistral embeddings time the overhead too
        hidden["litellm_overhead_time_ms"] = None
    hidden.update(call_record(api_base))
    hidden.update(
        litellm_model_name=f"{provider}/{requested_model}",
        provider_response_model=None,
    )
    private = {
        "_hidden_params": hidden,
        "_response_headers": dict(response_headers),
        "_response_ms": response_ms,
    }
    return _new(
        EmbeddingResponse,
        {"model": body.get("model"), "data": data, "object": "list", "usage": usage},
        None,
        private,
    )
