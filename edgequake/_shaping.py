"""OpenAI-shaped JSON (from the Rust core) -> litellm-shaped response objects.

Everything here reproduces what litellm 1.110.2 does on its OpenAI-wire routes, as measured by
``tests/fixtures/litellm/record.py``. Two route families exist inside litellm and they differ in
small but visible ways (key sets, hidden params):

* ``sdk``: openai, azure, cerebras go through the openai SDK (typed chunk objects, so every delta
  carries ``refusal`` and chunks carry ``moderation``/``obfuscation``);
* ``httpx``: mistral, xai, openrouter, groq, deepseek, together_ai, fireworks_ai, huggingface go
  through litellm's own HTTP handler (dict chunks: only the keys the provider sent).

``response_cost`` (and a stream usage chunk's ``usage.cost``) come from litellm's bundled price map,
which edgequake does not ship: we set ``response_cost=None`` and never add ``usage.cost``. Both are on
the harness's volatile list.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Dict, List, Optional, Tuple

from edgequake.types import (
    ChatCompletionAudioResponse,
    ChatCompletionDeltaToolCall,
    ChatCompletionMessageToolCall,
    Choices,
    CompletionTokensDetailsWrapper,
    Delta,
    Embedding,
    EmbeddingResponse,
    Function,
    FunctionCall,
    Message,
    ModelResponse,
    ModelResponseStream,
    PromptTokensDetailsWrapper,
    StreamingChoices,
    Usage,
    _new,
)

__all__ = [
    "StreamShaper",
    "embedding_response_from_openai",
    "map_finish_reason",
    "model_response_from_openai",
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


# ---------------------------------------------------------------------------------------------
# Per-route profile (measured; see module docstring)

_SDK = frozenset({"openai", "azure", "cerebras"})
# routes whose non-stream body goes through ModelResponse(**body) rather than litellm's converter:
# no choice-level provider_specific_fields/logprobs unless set (groq, fireworks_ai)
_DIRECT_CHOICES = frozenset({"groq", "fireworks_ai"})
# routes that prefix the response model with the provider name
_PREFIX_MODEL = frozenset({"cerebras", "fireworks_ai"})
# routes whose hidden params carry the raw headers under "headers"
_RAW_HEADERS_KEY = frozenset(
    {"mistral", "xai", "openrouter", "groq", "deepseek", "together_ai", "huggingface"}
)
_OVERHEAD_KEY = frozenset({"openai", "cerebras"})
_NO_PROVIDER_KEYS = frozenset({"groq", "fireworks_ai"})  # no custom_llm_provider / region_name


def _family(provider: str) -> str:
    return "sdk" if provider in _SDK else "httpx"


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


# ---------------------------------------------------------------------------------------------
# Usage


def usage_fields(u: Dict[str, Any], *, full_details: bool = False) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """(declared fields, extras) for a litellm ``Usage`` built from a provider usage dict.

    ``full_details`` marks every details field as set: that is how litellm's stream usage chunk
    dumps (it rebuilds Usage from a full model_dump of the SDK object).
    """
    ctd_in = u.get("completion_tokens_details")
    ptd_in = u.get("prompt_tokens_details")
    ctd = None
    if isinstance(ctd_in, CompletionTokensDetailsWrapper):
        ctd = ctd_in
    elif ctd_in:
        ctd = _details(CompletionTokensDetailsWrapper, ctd_in, full_details)
    reasoning = u.get("reasoning_tokens")
    if reasoning:
        if ctd is None:
            ctd = _new(CompletionTokensDetailsWrapper, {})
        if ctd.reasoning_tokens is None:
            _set(ctd, "reasoning_tokens", reasoning)
        completion = u.get("completion_tokens")
        if ctd.text_tokens is None and completion is not None:
            text = completion - reasoning - (ctd.image_tokens or 0) - (ctd.audio_tokens or 0)
            _set(ctd, "text_tokens", max(0, text))
    ptd = None
    if isinstance(ptd_in, PromptTokensDetailsWrapper):
        ptd = ptd_in
    elif ptd_in:
        ptd = _details(PromptTokensDetailsWrapper, ptd_in, full_details)
    for key in ("prompt_cache_hit_tokens", "cache_read_input_tokens"):  # DeepSeek, Anthropic
        v = u.get(key)
        if isinstance(v, int) and not isinstance(v, bool):
            if ptd is None:
                ptd = _new(PromptTokensDetailsWrapper, {"cached_tokens": v})
            else:
                _set(ptd, "cached_tokens", v)
    ccit = u.get("cache_creation_input_tokens")
    if isinstance(ccit, int) and not isinstance(ccit, bool):
        if ptd is None:
            ptd = _new(PromptTokensDetailsWrapper, {})
        ptd.__pydantic_extra__["cache_write_tokens"] = ccit
        ptd.__pydantic_extra__["cache_creation_tokens"] = ccit
        ptd.__pydantic_fields_set__.update(("cache_write_tokens", "cache_creation_tokens"))
    if full_details:
        for det in (ctd, ptd):
            if det is not None:
                det.__pydantic_fields_set__.update(type(det).model_fields)
    fields = {
        "prompt_tokens": u.get("prompt_tokens") or 0,
        "completion_tokens": u.get("completion_tokens") or 0,
        "total_tokens": u.get("total_tokens") or 0,
        "completion_tokens_details": ctd,
        "prompt_tokens_details": ptd,
    }
    extra: Dict[str, Any] = {}
    for k, v in u.items():
        if k in fields or k == "reasoning_tokens":
            continue
        if k in ("server_tool_use", "cost") and v is None:
            continue
        extra[k] = v
    return fields, extra


def _set(obj: Any, key: str, value: Any) -> None:
    obj.__dict__[key] = value
    obj.__pydantic_fields_set__.add(key)


_PTD_DROP_IF_NONE = frozenset(
    {
        "character_count",
        "image_count",
        "video_length_seconds",
        "audio_length_seconds",
        "query_count",
        "web_search_requests",
        "google_maps_grounding_requests",
        "tool_use_tokens",
        "cache_write_tokens",
        "cache_creation_tokens",
        "cache_creation_token_details",
        "cached_tokens_details",
        "cache_type",
    }
)


def _details(cls: Any, d: Dict[str, Any], full: bool) -> Any:
    declared = cls.model_fields
    fields = {k: v for k, v in d.items() if k in declared}
    extra = {k: v for k, v in d.items() if k not in declared}
    if cls is PromptTokensDetailsWrapper:
        extra = {k: v for k, v in extra.items() if not (k in _PTD_DROP_IF_NONE and v is None)}
        cw = extra.get("cache_write_tokens", extra.get("cache_creation_tokens"))
        if cw is None and isinstance(extra.get("cache_creation_input_tokens"), int):
            cw = extra["cache_creation_input_tokens"]
        if cw is not None:
            extra["cache_write_tokens"] = extra["cache_creation_tokens"] = cw
    if full:
        fields = {k: fields.get(k) for k in declared}
    return _new(cls, fields, extra)


def _usage(u: Dict[str, Any], *, full_details: bool = False) -> Usage:
    fields, extra = usage_fields(u, full_details=full_details)
    return _new(Usage, fields, extra)


# ---------------------------------------------------------------------------------------------
# Non-stream

_MESSAGE_FIELDS = frozenset(
    {
        "content",
        "role",
        "refusal",
        "tool_calls",
        "function_call",
        "audio",
        "images",
        "reasoning_content",
        "thinking_blocks",
        "reasoning_items",
        "provider_specific_fields",
        "annotations",
    }
)
_CHOICES_FIELDS = frozenset({"finish_reason", "index", "message", "logprobs", "provider_specific_fields"})
_RESPONSE_FIELDS = frozenset({"id", "created", "model", "object", "system_fingerprint", "choices", "usage"})
_VLLM_CHOICE_FIELDS = ("stop_reason", "token_ids")


def _tool_call(tc: Dict[str, Any]) -> ChatCompletionMessageToolCall:
    fn = tc.get("function") or {}
    args = fn.get("arguments")
    if isinstance(args, dict):
        import json

        args = json.dumps(args)
    extra = {k: v for k, v in tc.items() if k not in ("function", "id", "type")}
    return _new(
        ChatCompletionMessageToolCall,
        {
            "function": _new(
                Function, {"arguments": args if args is not None else "", "name": fn.get("name")}
            ),
            "id": tc["id"] if tc.get("id") is not None else str(uuid.uuid4()),  # litellm: bare uuid4
            "type": tc.get("type") or "function",
        },
        extra,
    )


def _split_reasoning(msg: Dict[str, Any]) -> Tuple[Optional[str], Optional[str]]:
    content = msg.get("content")
    if "reasoning_content" in msg:
        return msg["reasoning_content"], content
    if "reasoning" in msg:
        return msg["reasoning"], content
    if isinstance(content, str) and content:
        # litellm splits a leading <think>...</think> block out of the content
        import re

        m = re.match(
            r"<(?:think|thinking|budget:thinking)>(.*?)</(?:think|thinking|budget:thinking)>(.*)",
            content,
            re.DOTALL,
        )
        if m:
            return m.group(1), m.group(2)
    return None, content


def _message(msg: Dict[str, Any], provider: str) -> Message:
    psf: Dict[str, Any] = dict(msg.get("provider_specific_fields") or {})
    for k in msg:
        if k not in _MESSAGE_FIELDS:
            psf[k] = msg[k]
    annotations = msg.get("annotations")
    if isinstance(annotations, list):
        others = [
            a for a in annotations if isinstance(a, dict) and "type" in a and a["type"] != "url_citation"
        ]
        if others:
            annotations = [a for a in annotations if a not in others] or None
            psf["annotations"] = others
    reasoning, content = _split_reasoning(msg)
    if provider == "mistral" and content == "":
        content = None  # litellm's mistral transformation turns "" into None
    raw_tools = msg.get("tool_calls")
    tool_calls = [_tool_call(t) for t in raw_tools] if raw_tools else None
    fc = msg.get("function_call")
    fields: Dict[str, Any] = {
        "content": content,
        "role": msg.get("role") or "assistant",
        "tool_calls": tool_calls,
        "function_call": _new(FunctionCall, {"arguments": fc.get("arguments", ""), "name": fc.get("name")})
        if isinstance(fc, dict)
        else None,
    }
    extra: Dict[str, Any] = {}
    audio = msg.get("audio")
    if audio is not None:
        extra["audio"] = _new(
            ChatCompletionAudioResponse, {**audio, "id": audio.get("id") or str(uuid.uuid4())}
        )
    if reasoning is not None:
        extra["reasoning_content"] = reasoning
    if "thinking_blocks" in msg:
        psf["thinking_blocks"] = msg["thinking_blocks"]
        if msg["thinking_blocks"] is not None:
            extra["thinking_blocks"] = msg["thinking_blocks"]
    if msg.get("reasoning_items") is not None:
        extra["reasoning_items"] = msg["reasoning_items"]
    if annotations is not None:
        extra["annotations"] = annotations
    images = msg.get("images")
    if images is not None:
        extra["images"] = [
            dict(img, index=i) if isinstance(img, dict) and "index" not in img else img
            for i, img in enumerate(images)
        ]
    if psf:
        fields["provider_specific_fields"] = psf
    if "refusal" in msg:
        extra["refusal"] = msg["refusal"]
    return _new(Message, fields, extra)


def _message_direct(msg: Dict[str, Any]) -> Message:
    """groq/fireworks_ai: litellm builds ``Message(**message)``, so unknown keys (e.g. ``reasoning``)
    stay as they are instead of being folded into provider_specific_fields."""
    raw_tools = msg.get("tool_calls")
    fc = msg.get("function_call")
    fields: Dict[str, Any] = {
        "content": msg.get("content"),
        "role": msg.get("role") or "assistant",
        "tool_calls": [_tool_call(t) for t in raw_tools] if raw_tools else None,
        "function_call": _new(FunctionCall, {"arguments": fc.get("arguments", ""), "name": fc.get("name")})
        if isinstance(fc, dict)
        else None,
    }
    if msg.get("provider_specific_fields"):
        fields["provider_specific_fields"] = msg["provider_specific_fields"]
    extra: Dict[str, Any] = {}
    for k, v in msg.items():
        if k in fields or k == "provider_specific_fields":
            continue
        if (
            k in ("audio", "images", "reasoning_content", "thinking_blocks", "reasoning_items", "annotations")
            and v is None
        ):
            continue
        if k == "audio":
            v = _new(ChatCompletionAudioResponse, {**v, "id": v.get("id") or str(uuid.uuid4())})
        extra[k] = v
    return _new(Message, fields, extra)


def _choice(idx: int, choice: Dict[str, Any], provider: str) -> Choices:
    raw_msg = choice.get("message") or {}
    message = _message_direct(raw_msg) if provider in _DIRECT_CHOICES else _message(raw_msg, provider)
    finish = choice.get("finish_reason") or choice.get("finish_details") or "stop"
    if finish == "stop" and message.tool_calls:
        finish = "tool_calls"
    mapped = map_finish_reason(finish)
    extra: Dict[str, Any] = {}
    if provider in _DIRECT_CHOICES:
        psf: Optional[Dict[str, Any]] = None
        for k in choice:
            if k not in _CHOICES_FIELDS:
                extra[k] = choice[k]
        if choice.get("logprobs") is not None:
            extra["logprobs"] = choice["logprobs"]
    else:
        psf = {k: choice[k] for k in choice if k not in _CHOICES_FIELDS}
        for k in _VLLM_CHOICE_FIELDS:
            if k in choice:
                extra[k] = choice[k]
        if "logprobs" in choice:
            extra["logprobs"] = choice["logprobs"]
    if mapped != finish:
        psf = dict(psf or {})
        psf["native_finish_reason"] = finish
    if psf is not None:
        extra["provider_specific_fields"] = psf
    return _new(Choices, {"finish_reason": mapped, "index": idx, "message": message}, extra)


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
    for the route. ``_hidden_params["response_cost"]`` is always None: litellm prices the call from
    its bundled cost map, which edgequake does not ship (volatile in the harness).
    """
    choices = [_choice(i, c, provider) for i, c in enumerate(body.get("choices") or [])]
    model = body.get("model")
    if provider in _PREFIX_MODEL and model is not None:
        model = f"{provider}/{model}"
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
    if usage is not None:
        extra["usage"] = _usage(usage)
    elif provider not in _DIRECT_CHOICES:  # the converter routes default to an all-zero Usage
        extra["usage"] = _new(Usage, {k: Usage._defaults[k] for k in Usage.model_fields})
    for k, v in body.items():
        if k not in _RESPONSE_FIELDS:
            extra[k] = v
    if provider == "groq" and extra.get("service_tier", "") is None:
        extra["service_tier"] = "auto"  # litellm's groq transformation fills a null service_tier
    hidden = _hidden_nonstream(provider, requested_model, response_headers, api_base, response_ms, model)
    # groq and fireworks_ai build the response without passing headers along: litellm leaves None
    kept_headers = None if provider in _DIRECT_CHOICES else dict(response_headers)
    private = {"_hidden_params": hidden, "_response_headers": kept_headers, "_response_ms": response_ms}
    return _new(ModelResponse, fields, extra, private)


def _hidden_nonstream(
    provider: str,
    requested_model: str,
    headers: Dict[str, str],
    api_base: str,
    response_ms: float,
    model: Optional[str],
) -> Dict[str, Any]:
    h: Dict[str, Any] = {}
    if provider not in _NO_PROVIDER_KEYS:
        h["custom_llm_provider"] = provider
        h["region_name"] = None
    if provider in _RAW_HEADERS_KEY:
        h["headers"] = dict(headers)
    h["additional_headers"] = additional_headers(headers, stream=False, provider=provider)
    h["_response_ms"] = response_ms
    if provider in _OVERHEAD_KEY:
        h["litellm_overhead_time_ms"] = None  # litellm's own overhead; timing, volatile
    h["callback_duration_ms"] = 0.0
    h["litellm_call_id"] = str(uuid.uuid4())
    h["api_base"] = api_base
    h["model_id"] = None
    h["response_cost"] = None
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
        provider in _OVERHEAD_KEY or provider == "mistral"
    ):  # measured: mistral embeddings time the overhead too
        hidden["litellm_overhead_time_ms"] = None
    hidden.update(
        callback_duration_ms=0.0,
        litellm_call_id=str(uuid.uuid4()),
        api_base=api_base,
        model_id=None,
        response_cost=None,
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


# ---------------------------------------------------------------------------------------------
# Streams

# chunk keys litellm handles itself; every other upstream key is copied onto the chunk
# (litellm's preserve_upstream_non_openai_attributes)
_CHUNK_OWN_KEYS = frozenset(
    {
        "id",
        "created",
        "model",
        "object",
        "system_fingerprint",
        "choices",
        "usage",
        "provider_specific_fields",
        "citations",
    }
)
# typed fields of the openai SDK's ChatCompletionChunk beyond litellm's own: always present on the
# sdk route because the SDK object declares them
_SDK_CHUNK_FIELDS = ("moderation", "obfuscation", "service_tier")
_CHOICE_OWN_KEYS = frozenset({"index", "delta", "finish_reason", "logprobs"})
_PROVIDER_EXCEPTION_NAMES = {
    "openai": "OpenAIException",
    "azure": "AzureException",
    "cerebras": "OpenAIException",
}


class StreamShaper:
    """Turns upstream OpenAI-format stream chunks into the chunks litellm's CustomStreamWrapper yields.

    ``feed`` is called once per upstream ``data:`` event (already JSON-decoded) and returns 0..n
    chunks; ``finish`` is called at end of stream and returns what litellm emits at the end, or raises
    ``MidStreamFallbackError`` where litellm does (the stream ended without a finish_reason).

    Reproduced litellm behaviour (measured, including what looks like bugs):

    * ``created`` is local and fixed for the stream; ``model`` is the requested model (azure and
      openrouter: the provider's); ``id`` is the upstream id, or a fresh ``chatcmpl-<uuid4>`` *per
      chunk* when the provider sends none.
    * only ``choices[0]`` of each upstream chunk is looked at; the first emitted chunk carries
      ``role="assistant"``; chunks without content/tool calls/reasoning are dropped (this includes
      refusal-only deltas and a second choice's role chunk); once a finish_reason was seen every
      later choice chunk is dropped (so with n>1 only the first finish is reported).
    * a finish_reason on a chunk that also carries content is held back and emitted as a separate
      finish chunk by ``finish()``.
    * chunks without choices (Azure's prompt_filter_results, OpenAI's usage chunk) are emitted with
      ``choices: []`` only when ``include_usage`` is on.
    """

    def __init__(
        self,
        *,
        provider: str,
        requested_model: str,
        include_usage: bool,
        api_base: str,
        response_headers: Dict[str, str],
    ) -> None:
        self.provider = provider
        self.requested_model = requested_model
        self.include_usage = include_usage
        self.api_base = api_base
        self.family = _family(provider)
        self.created = int(time.time())
        self._headers = additional_headers(response_headers, stream=True, provider=provider)
        self._sent_first = False
        self._finish_reason: Optional[str] = None
        self._finish_held = False
        self._emitted = 0
        self._saw_choices = False
        self._last: Dict[str, Any] = {}
        self._provider_model: Optional[str] = None
        self.usage: Optional[Dict[str, Any]] = None  # the provider's usage, when it sent one

    # -- helpers ---------------------------------------------------------------------------
    def _model(self, raw: Dict[str, Any]) -> Any:
        if self.provider in ("azure", "openrouter") and "model" in raw:
            return raw["model"]
        if self.provider in ("azure", "openrouter") and self._provider_model is not None:
            return self._provider_model
        return self.requested_model

    def _hidden(self, raw: Optional[Dict[str, Any]], *, usage_chunk: bool = False) -> Dict[str, Any]:
        h: Dict[str, Any] = {}
        if not usage_chunk and self._provider_model is not None:
            h["provider_response_model"] = self._provider_model
        h.update(
            custom_llm_provider=self.provider,
            created_at=time.time(),
            model_id=None,
            api_base=self.api_base,
            additional_headers=dict(self._headers),
            response_cost=None,
        )
        rid = raw.get("id") if raw else None
        if not usage_chunk and isinstance(rid, str) and rid.strip():
            h["received_model_id"] = rid
        return h

    def _chunk(
        self,
        raw: Optional[Dict[str, Any]],
        fields: Dict[str, Any],
        extra: Dict[str, Any],
        *,
        usage_chunk: bool = False,
    ) -> ModelResponseStream:
        self._emitted += 1
        private = {
            "_hidden_params": self._hidden(raw, usage_chunk=usage_chunk),
            "_response_headers": None,
            "_response_ms": None,
        }
        return _new(ModelResponseStream, fields, extra, private)

    def _base(self, raw: Dict[str, Any], *, fingerprint: bool = True) -> Dict[str, Any]:
        rid = raw.get("id")
        f: Dict[str, Any] = {
            "id": rid if rid is not None else f"chatcmpl-{uuid.uuid4()}",
            "created": self.created,
            "model": self._model(raw),
            "object": "chat.completion.chunk",
        }
        if fingerprint:
            f["system_fingerprint"] = raw.get("system_fingerprint")
        return f

    def _preserved(self, raw: Dict[str, Any]) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        if self.family == "sdk":
            for k in _SDK_CHUNK_FIELDS:
                out[k] = raw.get(k)
        for k, v in raw.items():
            if k not in _CHUNK_OWN_KEYS:
                out[k] = v
        return out

    @staticmethod
    def _empty_delta() -> Delta:
        return _new(
            Delta,
            {},
            {"content": None, "role": None, "function_call": None, "tool_calls": None, "audio": None},
        )

    def _finish_choice(self, finish: str) -> StreamingChoices:
        return _new(
            StreamingChoices,
            {},
            {
                "finish_reason": map_finish_reason(finish),
                "index": 0,
                "delta": self._empty_delta(),
                "logprobs": None,
            },
        )

    def _delta(self, d: Dict[str, Any]) -> Delta:
        first = not self._sent_first
        fields: Dict[str, Any] = {}
        extra: Dict[str, Any] = {}
        reasoning = d.get("reasoning_content")
        if reasoning is None:
            reasoning = d.get("reasoning")
        if reasoning is not None:
            extra["reasoning_content"] = reasoning
        if self.family == "httpx" or not first:
            fields["provider_specific_fields"] = d.get("provider_specific_fields")
        if self.family == "sdk" or "refusal" in d:
            extra["refusal"] = d.get("refusal")
        raw_tools = d.get("tool_calls")
        tools = None
        if raw_tools:
            tools = []
            for i, t in enumerate(raw_tools):
                fn = t.get("function") or {}
                tools.append(
                    _new(
                        ChatCompletionDeltaToolCall,
                        {
                            "id": t.get("id"),
                            "function": _new(
                                Function, {"arguments": fn.get("arguments") or "", "name": fn.get("name")}
                            ),
                            "type": t.get("type") or "function",
                            "index": t.get("index", i) if t.get("index") is not None else i,
                        },
                    )
                )
        fc = d.get("function_call")
        extra.update(
            content=d.get("content"),
            role="assistant" if first else None,
            function_call=_new(FunctionCall, {"arguments": fc.get("arguments") or "", "name": fc.get("name")})
            if isinstance(fc, dict)
            else None,
            tool_calls=tools,
            audio=d.get("audio"),
        )
        for k in ("thinking_blocks", "annotations"):
            if d.get(k) is not None:
                extra[k] = d[k]
        self._sent_first = True
        return _new(Delta, fields, extra)

    def _non_empty(self, d: Dict[str, Any]) -> bool:
        content = d.get("content")
        return bool(
            (isinstance(content, str) and content)
            or d.get("tool_calls")
            or d.get("function_call") is not None
            or d.get("reasoning_content") is not None
            or d.get("reasoning") is not None
            or d.get("provider_specific_fields") is not None
            or d.get("annotations") is not None
            or (not self._sent_first and d.get("role") is not None)
            or d.get("thinking_blocks")
            or d.get("audio") is not None
        )

    # -- API -------------------------------------------------------------------------------
    def feed(self, raw_chunk: Dict[str, Any]) -> List[ModelResponseStream]:
        # litellm emits a held-back finish chunk as soon as the next upstream chunk arrives
        held = self._flush_held() if self._finish_held else []
        return held + self._feed(raw_chunk)

    def _flush_held(self) -> List[ModelResponseStream]:
        self._finish_held = False
        fields = self._base(self._last)
        fields["choices"] = [self._finish_choice(self._finish_reason or "stop")]
        fields["provider_specific_fields"] = None
        extra = (
            {"service_tier": self._last["service_tier"]} if self._last.get("service_tier") is not None else {}
        )
        return [self._chunk(self._last, fields, extra)]

    def _feed(self, raw_chunk: Dict[str, Any]) -> List[ModelResponseStream]:
        raw = raw_chunk
        if raw.get("model"):
            self._provider_model = raw["model"]
        if "service_tier" in raw:
            self._last["service_tier"] = raw["service_tier"]
        if raw.get("system_fingerprint") is not None or "system_fingerprint" not in self._last:
            self._last["system_fingerprint"] = raw.get("system_fingerprint")
        self._last["id"] = raw.get("id")
        self._last["model"] = raw.get("model")
        choices = raw.get("choices")
        if not choices:
            usage = raw.get("usage")
            if usage is not None:
                self.usage = usage
            if not self.include_usage:
                return []
            fields = self._base(raw)
            fields["choices"] = []
            fields["provider_specific_fields"] = None
            extra: Dict[str, Any] = {}
            if usage is not None:
                extra["usage"] = _usage(usage, full_details=True)
                if self._last.get("service_tier") is not None:
                    extra["service_tier"] = self._last["service_tier"]
            return [self._chunk(raw, fields, extra, usage_chunk=usage is not None)]
        self._saw_choices = True
        if self._finish_reason is not None:
            return []  # litellm drops every choice chunk after the first finish_reason
        c0 = choices[0]
        d = c0.get("delta") or {}
        finish = c0.get("finish_reason")
        if self._non_empty(d):
            if finish:
                self._finish_reason = finish
                self._finish_held = True
            choice_extra = {k: v for k, v in c0.items() if k not in _CHOICE_OWN_KEYS}
            choice_extra.update(
                finish_reason=None,
                index=c0.get("index", 0),
                delta=self._delta(d),
                logprobs=c0.get("logprobs"),
            )
            fields = self._base(raw)
            fields["choices"] = [_new(StreamingChoices, {}, choice_extra)]
            fields["provider_specific_fields"] = raw.get("provider_specific_fields")
            extra = {"citations": raw.get("citations")}
            extra.update(self._preserved(raw))
            return [self._chunk(raw, fields, extra)]
        if finish:
            self._finish_reason = finish
            fields = self._base(raw)
            fields["choices"] = [self._finish_choice(finish)]
            fields["provider_specific_fields"] = None
            return [self._chunk(raw, fields, self._preserved(raw))]
        return []

    def finish(self) -> List[ModelResponseStream]:
        if self._finish_reason is None:
            if self._emitted == 0 and not self._saw_choices:
                # litellm: a 200 stream with no data events (or a non-SSE body) yields one finish
                # chunk, or with include_usage one chunk with no choices (and no usage)
                choices = [] if self.include_usage else [self._finish_choice("stop")]
                fields = {
                    "id": f"chatcmpl-{uuid.uuid4()}",
                    "created": self.created,
                    "model": self.requested_model,
                    "object": "chat.completion.chunk",
                    "choices": choices,
                    "provider_specific_fields": None,
                }
                return [self._chunk(None, fields, {})]
            self._raise_truncated()
        if self._finish_held:
            return self._flush_held()
        return []

    def _raise_truncated(self) -> None:
        from edgequake import exceptions  # lazy: exceptions import openai

        name = (
            _PROVIDER_EXCEPTION_NAMES.get(self.provider)
            or "".join(p.capitalize() for p in self.provider.split("_")) + "Exception"
        )
        text = f"APIConnectionError: {name} - Stream ended before a finish_reason was received"
        original = exceptions.APIConnectionError(
            message=text, llm_provider=self.provider, model=self.requested_model
        )
        raise exceptions.MidStreamFallbackError(
            message=str(original),
            model=self.requested_model,
            llm_provider=self.provider,
            original_exception=original,
        )
