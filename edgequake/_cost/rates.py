"""Usage times rates: litellm 1.110.2's generic per-token pricing (``generic_cost_per_token``),
re-implemented for what chat and embedding responses carry.

Prompt side: uncached text at the input rate, cache hits at the cache-read rate, cache writes at the
cache-creation rate (per lifetime when the usage says 5m/1h), audio/image tokens at their modality
rate (else the input rate); all at the above-``N``k rate once the prompt passes a threshold the entry
prices. Completion side: text at the output rate, reasoning at the reasoning rate (else output), audio
and image tokens at theirs. Rates missing from the entry bill cached tokens as ordinary input.
Off-peak windows apply as litellm applies them (``offpeak``); regional uplifts, ``tiered_pricing``
tables and batch rates are not modelled (no native route reports them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Dict, Optional, Tuple

from edgequake._cost import offpeak

__all__ = ["token_cost", "usage_view"]

_TIER_SUFFIX = {"flex": "flex", "priority": "priority", "balanced": "balanced", "ultrafast": "ultrafast"}
_THRESHOLD = re.compile(r"_above_(\d+k?)_tokens")
_TTL_KEYS = {
    "1hr": "cache_creation_input_token_cost_above_1hr",
    "12hr": "cache_creation_input_token_cost_above_12hr",
}
_TTL_FIELDS = {
    "5m": "ephemeral_5m_input_tokens",
    "30m": "ephemeral_30m_input_tokens",
    "1hr": "ephemeral_1h_input_tokens",
    "12hr": "ephemeral_12h_input_tokens",
}
_PREFIXES = (
    "input_cost_per_token",
    "output_cost_per_token",
    "cache_read_input_token_cost",
    "cache_creation_input_token_cost",
)
_ABOVE = tuple(p + "_above_" for p in _PREFIXES)  # built once: _base_rates scans every key


def _num(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def plain_dump(model: Any) -> Dict[str, Any]:
    """``model.model_dump()`` for edgequake's own response types, read straight from the instance:
    the types build their pydantic serializers on first use (``defer_build``), and pricing every
    response must not be what builds them (about 10 ms on a first call). Declared fields, then
    extras, nested models as dicts, as ``model_dump`` orders them; any other model dumps itself."""
    if not type(model).__module__.startswith("edgequake."):
        return model.model_dump()  # type: ignore[no-any-return]
    out = {k: _plain(v) for k, v in model.__dict__.items()}
    for k, v in (model.__pydantic_extra__ or {}).items():
        out[k] = _plain(v)
    return out


def _plain(value: Any) -> Any:
    if hasattr(value, "__pydantic_extra__") and hasattr(value, "model_dump"):
        return plain_dump(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def usage_view(usage: Any) -> Dict[str, Any]:
    """A usage object (pydantic or dict) as a plain dict, details as dicts; a Responses API usage in
    chat terms (see :func:`_chat_terms`)."""
    if usage is None:
        return {}
    if hasattr(usage, "model_dump"):
        data: Dict[str, Any] = plain_dump(usage)
        for extra in ("cache_read_input_tokens", "cache_creation_input_tokens"):
            if extra not in data and getattr(usage, extra, None) is not None:
                data[extra] = getattr(usage, extra)
    else:
        data = dict(usage) if isinstance(usage, Mapping) else {}
    if "output_tokens" in data and "prompt_tokens" not in data:
        return _chat_terms(data)
    return data


def _chat_terms(data: Dict[str, Any]) -> Dict[str, Any]:
    """A Responses API usage (``input_tokens``, ``output_tokens``, their details) as litellm prices it,
    converted to chat usage first (``_transform_response_api_usage_to_chat_usage``); a bill the
    upstream states (OpenRouter's ``cost``) is kept."""
    prompt, completion = int(data.get("input_tokens") or 0), int(data.get("output_tokens") or 0)
    out: Dict[str, Any] = {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": int(data.get("total_tokens") or prompt + completion),
    }
    cached = (data.get("input_tokens_details") or {}).get("cached_tokens")
    reasoning = (data.get("output_tokens_details") or {}).get("reasoning_tokens")
    if cached is not None:
        out["prompt_tokens_details"] = {"cached_tokens": cached}
    if reasoning is not None:
        out["completion_tokens_details"] = {"reasoning_tokens": reasoning}
    if isinstance(data.get("cost"), (int, float)):
        out["cost"] = data["cost"]
    return out


def _rate(info: Mapping[str, Any], key: str, default: Optional[float] = 0.0) -> Optional[float]:
    value = info.get(key)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return default
    if value is None:
        for suffix in _TIER_SUFFIX.values():  # a tier rate the entry lacks falls back to the standard
            if key.endswith("_" + suffix) or f"_{suffix}_" in key:
                base = info.get(key.replace("_" + suffix, ""))
                if isinstance(base, (int, float)) and not isinstance(base, bool):
                    return float(base)
                break
    return default


def _tier_key(base: str, tier: Optional[str]) -> str:
    suffix = _TIER_SUFFIX.get(tier.lower()) if tier else None
    return f"{base}_{suffix}" if suffix else base


def _threshold(text: str) -> float:
    return float(text.replace("k", "")) * (1000 if "k" in text else 1)


def _base_rates(
    info: Mapping[str, Any], prompt_tokens: int, tier: Optional[str], inclusive: bool
) -> Dict[str, Any]:
    rates: Dict[str, Any] = {
        "input": _rate(info, _tier_key("input_cost_per_token", tier)),
        "output": _rate(info, _tier_key("output_cost_per_token", tier)),
        "cache_read": _rate(info, _tier_key("cache_read_input_token_cost", tier), None),
        "cache_creation": _rate(info, _tier_key("cache_creation_input_token_cost", tier), None),
        "ttl_keys": {ttl: _tier_key(key, tier) for ttl, key in _TTL_KEYS.items()},
    }
    if rates["output"] == 0.0:  # image models price their output as image tokens
        image = _rate(info, "output_cost_per_image_token", None)
        if image is not None:
            rates["output"] = image
    found = []
    for key in info:
        if "_above_" in key and key.startswith(_ABOVE) and "_tokens" in key:
            if key.endswith("_batches"):
                continue
            m = _THRESHOLD.search(key)
            if m and info.get(key) is not None:
                found.append((_threshold(m.group(1)), m.group(1)))
    for value, text in sorted(set(found)):
        if prompt_tokens > value or (inclusive and prompt_tokens == value):
            suffix = f"_above_{text}_tokens"
            rates["input"] = _rate(info, _tier_key("input_cost_per_token" + suffix, tier), rates["input"])
            rates["output"] = _rate(info, _tier_key("output_cost_per_token" + suffix, tier), rates["output"])
            rates["cache_creation"] = _rate(
                info, _tier_key("cache_creation_input_token_cost" + suffix, tier), rates["cache_creation"]
            )
            rates["cache_read"] = _rate(
                info, _tier_key("cache_read_input_token_cost" + suffix, tier), rates["cache_read"]
            )
            rates["ttl_keys"] = {
                ttl: (_tier_key(k + suffix, tier) if info.get(_tier_key(k + suffix, tier)) is not None else k)
                for ttl, k in rates["ttl_keys"].items()
            }
    block = offpeak.open_block(info)
    missing = offpeak.rate(block, "input_cost_per_token", rates["input"])  # for unpriced cache rates
    if rates["cache_read"] is None:
        rates["cache_read"] = missing
    if rates["cache_creation"] is None:
        rates["cache_creation"] = missing
    if block is not None:
        for name, key in (
            ("input", "input_cost_per_token"),
            ("output", "output_cost_per_token"),
            ("cache_read", "cache_read_input_token_cost"),
            ("cache_creation", "cache_creation_input_token_cost"),
        ):
            rates[name] = offpeak.rate(block, key, rates[name])
    rates["ttl"] = {
        ttl: (r if (r := _rate(info, key, None)) is not None else rates["cache_creation"])
        for ttl, key in rates["ttl_keys"].items()
    }
    return rates


def _modality(info: Mapping[str, Any], key: str, tokens: int, base: float, tier: Optional[str]) -> float:
    tiered = _tier_key(key, tier)
    if info.get(tiered) is None and info.get(key) is None:
        return tokens * base
    return tokens * (_rate(info, tiered) or 0.0)


def token_cost(
    info: Mapping[str, Any],
    usage: Mapping[str, Any],
    *,
    service_tier: Optional[str] = None,
    inclusive_thresholds: bool = False,
) -> Tuple[float, float]:
    """(prompt cost, completion cost) in USD for ``usage`` (a plain dict) under ``info``'s rates."""
    prompt_tokens = _num(usage.get("prompt_tokens"))
    completion_tokens = _num(usage.get("completion_tokens"))
    ptd = usage.get("prompt_tokens_details") or {}
    cached = _num(ptd.get("cached_tokens"))
    creation = _num(ptd.get("cache_write_tokens")) or _num(ptd.get("cache_creation_tokens"))
    ttl_details = ptd.get("cache_creation_token_details") or None
    text = _num(ptd.get("text_tokens")) if ptd else prompt_tokens
    audio = _num(ptd.get("audio_tokens"))
    image = _num(ptd.get("image_tokens"))
    video = _num(ptd.get("video_tokens"))
    if ptd:
        total = text + cached + audio + creation + image + video
        if (cached or creation) and total > prompt_tokens:
            budget = max(prompt_tokens - cached - creation, 0)
            audio = min(audio, budget)
            image = min(image, budget - audio)
            video = min(video, budget - audio - image)
            text = budget - audio - image - video
        elif text == 0:
            text = max(prompt_tokens - cached - audio - creation - image - video, 0)
    rates = _base_rates(info, prompt_tokens, service_tier, inclusive_thresholds)
    prompt = text * rates["input"] + cached * rates["cache_read"]
    if audio:
        prompt += _modality(info, "input_cost_per_audio_token", audio, rates["input"], service_tier)
    if image:
        prompt += _modality(info, "input_cost_per_image_token", image, rates["input"], service_tier)
    if video:
        prompt += _modality(info, "input_cost_per_video_token", video, rates["input"], service_tier)
    if creation or ttl_details is not None:
        prompt += _cache_writes(creation, ttl_details, rates)
    return prompt, _completion(info, usage, completion_tokens, rates, service_tier)


def _cache_writes(creation: int, details: Any, rates: Dict[str, Any]) -> float:
    if not isinstance(details, Mapping):
        return creation * rates["cache_creation"]
    by_ttl = {ttl: _num(details.get(field)) for ttl, field in _TTL_FIELDS.items()}
    rest = max(creation - sum(by_ttl.values()), 0)
    return rest * rates["cache_creation"] + sum(
        n * rates["ttl"].get(ttl, rates["cache_creation"]) for ttl, n in by_ttl.items()
    )


def _completion(
    info: Mapping[str, Any], usage: Mapping[str, Any], tokens: int, rates: Dict[str, Any], tier: Optional[str]
) -> float:
    ctd = usage.get("completion_tokens_details") or {}
    audio = _num(ctd.get("audio_tokens"))
    reasoning = _num(ctd.get("reasoning_tokens"))
    image = _num(ctd.get("image_tokens"))
    video = _num(ctd.get("video_tokens"))
    reported_text = _num(ctd.get("text_tokens"))
    other = audio + image + video
    # a provider that counts reasoning inside text_tokens: litellm takes the overlap out once
    reported_text -= min(reasoning, reported_text, max(reported_text + reasoning + other - tokens, 0))
    text = reported_text
    breakdown = bool(audio or reasoning or image or video)
    if text == 0:
        text = max(0, tokens - reasoning - other) if breakdown else tokens
    out = rates["output"]
    cost = text * out
    if not breakdown and reported_text == 0:
        return cost
    if audio:
        rate = _rate(info, "output_cost_per_audio_token", None)
        cost += audio * (out if rate is None else rate)
    if reasoning:
        cost += reasoning * _reasoning_rate(info, tier, out)
    if image:
        rate = _rate(info, _tier_key("output_cost_per_image_token", tier), None)
        cost += image * (out if rate is None else rate)
    if video:
        rate = _rate(info, "output_cost_per_video_token", None)
        cost += video * (out if rate is None else rate)
    return cost


def _reasoning_rate(info: Mapping[str, Any], tier: Optional[str], out: float) -> float:
    night = offpeak.rate(offpeak.open_block(info), "output_cost_per_reasoning_token", None)
    if night is not None:
        return night
    tiered = _tier_key("output_cost_per_reasoning_token", tier)
    if info.get(tiered) is not None:
        rate = _rate(info, tiered, None)
        if rate is not None:
            return rate
    if tiered != "output_cost_per_reasoning_token" and info.get(_tier_key("output_cost_per_token", tier)):
        return out
    standard = _rate(info, "output_cost_per_reasoning_token", None)
    return out if standard is None else standard
