"""litellm's cost entry points: ``cost_per_token``, ``completion_cost`` and
``response_cost_calculator``, over ``lookup`` (which entry) and ``rates`` (how much).

Provider rules kept from litellm 1.110.2: Anthropic's prompt excludes its cache reads and writes
(``cache_read_input_tokens``/``cache_creation_input_tokens``) so they are added back; xAI bills
reasoning inside completion tokens; an upstream that states its own ``usage.cost`` (OpenRouter) is
billed that figure; xAI's thresholds are inclusive.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Dict, List, Optional, Tuple

from edgequake._cost import lookup, naming, rates

__all__ = ["completion_cost", "cost_per_token", "rerank_cost", "response_cost_calculator"]

_INCLUSIVE = frozenset({"xai"})
_OWN_USAGE_FIELDS = frozenset({"xai", "perplexity", "opencode_go"})  # never billed from usage.cost


def _custom_rates(
    prompt: float,
    completion: int,
    cached: float,
    creation: float,
    per_token: Optional[Mapping[str, Any]],
    per_second: Optional[float],
    response_time_ms: Optional[float],
) -> Optional[Tuple[float, float]]:
    if per_second is not None:
        return 0.0, per_second * (response_time_ms or 0.0) / 1000  # litellm bills time as output
    if per_token is None:
        return None
    input_rate = float(per_token.get("input_cost_per_token") or 0.0)
    output_rate = float(per_token.get("output_cost_per_token") or 0.0)
    read = per_token.get("cache_read_input_token_cost")
    write = per_token.get("cache_creation_input_token_cost")
    read_rate = input_rate if read is None else float(read)
    write_rate = input_rate if write is None else float(write)
    uncached = max(prompt - cached - creation, 0.0)
    return uncached * input_rate + cached * read_rate + creation * write_rate, completion * output_rate


def _anthropic_style(usage: Mapping[str, Any]) -> Tuple[bool, float, float]:
    ptd = usage.get("prompt_tokens_details") or {}
    cached = float(ptd.get("cached_tokens") or 0)
    creation = float(ptd.get("cache_write_tokens") or ptd.get("cache_creation_tokens") or 0)
    read, create = usage.get("cache_read_input_tokens"), usage.get("cache_creation_input_tokens")
    anthropic = read is not None or create is not None
    if read is not None:
        cached = float(read)
    if create is not None:
        creation = float(create)
    return anthropic, cached, creation


def cost_per_token(
    model: str = "",
    prompt_tokens: int = 0,
    completion_tokens: int = 0,
    response_time_ms: Optional[float] = 0.0,
    custom_llm_provider: Optional[str] = None,
    region_name: Any = None,
    prompt_characters: Optional[int] = None,
    completion_characters: Optional[int] = None,
    cache_creation_input_tokens: Optional[int] = 0,
    cache_read_input_tokens: Optional[int] = 0,
    custom_cost_per_token: Optional[Mapping[str, Any]] = None,
    custom_cost_per_second: Optional[float] = None,
    usage_object: Any = None,
    call_type: str = "completion",
    service_tier: Optional[str] = None,
    **_: Any,
) -> Tuple[float, float]:
    """litellm.cost_per_token: (prompt cost, completion cost) in USD. Raises litellm's "model isn't
    mapped" error for a model the table does not price."""
    if model is None:
        raise Exception("Invalid arg. Model cannot be none.")
    if usage_object is not None:
        usage = rates.usage_view(usage_object)
    else:
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        }
        if cache_read_input_tokens or cache_creation_input_tokens:
            usage["prompt_tokens_details"] = {
                "cached_tokens": cache_read_input_tokens or 0,
                "cache_creation_tokens": cache_creation_input_tokens or 0,
            }
            usage["cache_read_input_tokens"] = cache_read_input_tokens
            usage["cache_creation_input_tokens"] = cache_creation_input_tokens
    anthropic, cached, creation = _anthropic_style(usage) if usage_object is not None else (False, 0.0, 0.0)
    if not cached and cache_read_input_tokens:
        cached, anthropic = float(cache_read_input_tokens), True
    if not creation and cache_creation_input_tokens:
        creation, anthropic = float(cache_creation_input_tokens), True
    prompt_total = float(prompt_tokens) + (cached + creation if anthropic else 0.0)
    custom = _custom_rates(
        prompt_total,
        completion_tokens,
        cached,
        creation,
        custom_cost_per_token,
        custom_cost_per_second,
        response_time_ms,
    )
    if custom is not None:
        return custom
    provider = custom_llm_provider
    if provider is not None:
        prefix = provider + "/"
        while model.startswith(prefix + prefix):
            model = model[len(prefix) :]
    else:
        provider = _route(model)
    if provider == "huggingface":
        return 0.0, 0.0  # litellm's model info for any Hugging Face model prices it at 0
    if provider == "xai":
        stated = _reported_cost(usage, None)  # xAI's own usage.cost is its bill, split by our rates
        usage = _xai_usage(usage)
        if stated is not None:
            try:
                priced = _priced(model, provider, usage, call_type, service_tier)
            except Exception:
                return 0.0, stated
            total = priced[0] + priced[1]
            if total <= 0:
                return 0.0, stated
            share = stated * priced[0] / total
            return share, stated - share
    if provider == "together_ai":
        model = naming.together_category(model, provider)
    return _priced(model, provider, usage, call_type, service_tier)


def _priced(
    model: str, provider: Optional[str], usage: Dict[str, Any], call_type: str, tier: Optional[str]
) -> Tuple[float, float]:
    _, info, _ = lookup.entry(model, provider)
    if call_type in ("embedding", "aembedding") or info.get("mode") == "embedding":
        usage = {**usage, "completion_tokens_details": None}
    return rates.token_cost(info, usage, service_tier=tier, inclusive_thresholds=provider in _INCLUSIVE)


def _route(model: str) -> str:
    """The provider litellm's get_llm_provider names for ``model`` (its BadRequestError for a name it
    cannot route); a name register_model added routes to its entry's provider, as litellm adds
    registered names to its provider model lists."""
    from edgequake._call.provider_info import get_llm_provider
    from edgequake._cost import table

    try:
        return get_llm_provider(model)[1]
    except Exception:
        registered = table.model_cost().get(model)
        provider = registered.get("litellm_provider") if isinstance(registered, dict) else None
        if isinstance(provider, str):
            return provider
        raise


def _xai_usage(usage: Dict[str, Any]) -> Dict[str, Any]:
    # xAI bills reasoning as completion: fold it in unless the usage already did (total adds up)
    prompt, completion = int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)
    reasoning = int((usage.get("completion_tokens_details") or {}).get("reasoning_tokens") or 0)
    folded = int(usage.get("total_tokens") or 0) == prompt + completion
    return {
        **usage,
        "completion_tokens": completion if folded else completion + reasoning,
        "completion_tokens_details": None,
    }


def _reported_cost(usage: Mapping[str, Any], provider: Optional[str]) -> Optional[float]:
    if provider in _OWN_USAGE_FIELDS:
        return None
    cost = usage.get("cost")
    if isinstance(cost, Mapping):
        cost = cost.get("total_cost")
    if isinstance(cost, bool) or not isinstance(cost, (int, float)):
        return None
    return float(cost) if math.isfinite(cost) and cost >= 0 else None


def completion_cost(
    completion_response: Any = None,
    model: Optional[str] = None,
    prompt: str = "",
    messages: Optional[List[Any]] = None,
    completion: str = "",
    total_time: Optional[float] = 0.0,
    call_type: Optional[str] = None,
    custom_llm_provider: Optional[str] = None,
    region_name: Any = None,
    custom_cost_per_token: Optional[Mapping[str, Any]] = None,
    custom_cost_per_second: Optional[float] = None,
    optional_params: Optional[Dict[str, Any]] = None,
    service_tier: Optional[str] = None,
    **_: Any,
) -> float:
    """litellm.completion_cost: the USD cost of a response (ModelResponse, EmbeddingResponse, an
    assembled stream), or of ``model`` + ``messages``/``prompt`` + ``completion`` counted here."""
    from edgequake._cost.counting import token_counter

    caller_set = custom_cost_per_token is not None or custom_cost_per_second is not None
    if call_type in ("rerank", "arerank") or type(completion_response).__name__ == "RerankResponse":
        return rerank_cost(completion_response, model, custom_llm_provider)
    response_model = getattr(completion_response, "model", None) if completion_response is not None else None
    if isinstance(completion_response, Mapping):
        response_model = completion_response.get("model")
    hidden = getattr(completion_response, "_hidden_params", None) or {}
    selected = naming.select_model(model, response_model, hidden, custom_llm_provider, caller_set)
    names = [n for n in (selected, response_model, model) if isinstance(n, str) and n]
    if not names:
        raise ValueError(
            "Model is None and does not exist in passed completion_response. Passed "
            f"completion_response={completion_response}, model={model}"
        )
    provider = custom_llm_provider
    if completion_response is not None:
        raw_usage = (
            completion_response.get("usage")
            if isinstance(completion_response, Mapping)
            else getattr(completion_response, "usage", None)
        )
        usage = rates.usage_view(raw_usage)
        provider = hidden.get("custom_llm_provider", provider) if isinstance(hidden, Mapping) else provider
        if call_type is None and type(completion_response).__name__ == "EmbeddingResponse":
            call_type = "embedding"
    if service_tier is None:
        service_tier = _served_tier(completion_response, optional_params)
    error: Optional[Exception] = None
    for index, name in enumerate(dict.fromkeys(names)):
        try:
            if completion_response is None:
                prompt_tokens = (
                    token_counter(model=name, messages=messages)
                    if messages
                    else token_counter(model=name, text=prompt)
                    if prompt
                    else 0
                )
                usage = {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": token_counter(model=name, text=completion),
                }
                usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
            candidate_provider = provider
            if candidate_provider is None:
                _, candidate_provider = lookup.provider_of(name)
            if not caller_set and (reported := _reported_cost(usage, candidate_provider)) is not None:
                return reported
            prompt_cost, completion_part = cost_per_token(
                model=name,
                prompt_tokens=int(usage.get("prompt_tokens") or 0),
                completion_tokens=int(usage.get("completion_tokens") or 0),
                custom_llm_provider=candidate_provider,
                custom_cost_per_token=custom_cost_per_token,
                custom_cost_per_second=custom_cost_per_second,
                response_time_ms=total_time,
                usage_object=usage if completion_response is not None else None,
                call_type=call_type or "completion",
                service_tier=service_tier,
            )
            return prompt_cost + completion_part
        except Exception as err:  # litellm tries the next candidate name, then raises the last error
            error = err
            if index == len(dict.fromkeys(names)) - 1:
                raise
    raise error or Exception("Unable to calculate cost")


def rerank_cost(response: Any, model: Optional[str], custom_llm_provider: Optional[str]) -> float:
    """litellm's rerank price: the model's ``input_cost_per_query`` times the search units the
    response's ``meta.billed_units`` reports; 0.0 when either is missing."""
    from edgequake._call.provider_info import get_llm_provider

    name = model or ""
    provider = get_llm_provider(name, custom_llm_provider)[1]
    try:
        info = lookup.model_info_base(name, provider)
    except Exception:
        return 0.0
    meta = getattr(response, "meta", None) if not isinstance(response, Mapping) else response.get("meta")
    billed = (meta or {}).get("billed_units") if isinstance(meta, Mapping) else None
    units = billed.get("search_units") if isinstance(billed, Mapping) else None
    per_query = info.get("input_cost_per_query")
    if per_query is None or units is None:
        return 0.0
    return float(per_query * units)


def _served_tier(response: Any, optional_params: Optional[Mapping[str, Any]]) -> Optional[str]:
    requested = (optional_params or {}).get("service_tier")
    served = getattr(response, "service_tier", None) if response is not None else None
    tier = served if isinstance(served, str) else requested if isinstance(requested, str) else None
    if tier is None or tier.lower() in ("default", "auto", "standard", "on_demand"):
        return None
    return tier.lower()


def response_cost_calculator(
    response_object: Any,
    model: str,
    custom_llm_provider: Optional[str],
    call_type: str,
    optional_params: Optional[Dict[str, Any]] = None,
    cache_hit: Optional[bool] = None,
    custom_cost_per_token: Optional[Mapping[str, Any]] = None,
    custom_cost_per_second: Optional[float] = None,
    **_: Any,
) -> float:
    """litellm.response_cost_calculator: completion_cost for a call's response (0.0 for a cache hit)."""
    if cache_hit:
        return 0.0
    return completion_cost(
        completion_response=response_object,
        model=model,
        call_type=call_type,
        custom_llm_provider=custom_llm_provider,
        optional_params=optional_params,
        custom_cost_per_token=custom_cost_per_token,
        custom_cost_per_second=custom_cost_per_second,
    )
