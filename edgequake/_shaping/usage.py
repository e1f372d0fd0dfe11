"""Provider usage dicts -> litellm ``Usage`` (with its details wrappers), as litellm builds them."""

from __future__ import annotations

from typing import Any, Dict, Tuple

from edgequake.types import CompletionTokensDetailsWrapper, PromptTokensDetailsWrapper, Usage, _new
from edgequake.types._openai_bases import usage_class

__all__ = ["build_usage", "usage_fields", "xai_usage"]


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


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def xai_usage(u: Dict[str, Any]) -> Dict[str, Any]:
    """xAI's usage as litellm's xai route restates it (a new dict; ``u`` is left alone).

    xAI counts ``completion_tokens_details.reasoning_tokens`` outside ``completion_tokens`` but inside
    ``total_tokens``; litellm folds them into ``completion_tokens`` (OpenAI's accounting) when the
    numbers say so (total == prompt + completion + reasoning), then raises a ``total_tokens`` below
    prompt + completion to that sum. Same rule for stream usage chunks and non-stream bodies.
    """
    out = dict(u)
    details = out.get("completion_tokens_details")
    if isinstance(details, dict):
        reasoning = _int(details.get("reasoning_tokens"))
    else:
        reasoning = _int(getattr(details, "reasoning_tokens", 0))
    prompt = _int(out.get("prompt_tokens"))
    completion = _int(out.get("completion_tokens"))
    total = _int(out.get("total_tokens"))
    if reasoning > 0 and total != prompt + completion and total == prompt + completion + reasoning:
        completion += reasoning
        out["completion_tokens"] = completion
    if total < prompt + completion:
        out["total_tokens"] = prompt + completion
    return out


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


def build_usage(u: Dict[str, Any], *, full_details: bool = False) -> Usage:
    fields, extra = usage_fields(u, full_details=full_details)
    return new_usage(fields, extra)


def new_usage(fields: Dict[str, Any], extra: Any = None) -> Usage:
    """Every ``Usage`` edgequake builds comes through here: once openai is imported it is built as
    ``OpenAIUsage``, an openai ``CompletionUsage`` too (``edgequake.types._openai_bases``)."""
    return _new(usage_class(Usage), fields, extra)
