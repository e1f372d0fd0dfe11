"""The cost the call path records, as litellm does: ``_hidden_params["response_cost"]`` on every
response, and ``usage.cost`` on a stream's closing usage chunk when the bill is positive (litellm's
``_stamp_usage_cost``). Pricing never fails a call: a model the table does not price costs None, as
litellm logs and moves on.
"""

from __future__ import annotations

from typing import Any, Dict, Hashable, List, Optional, Tuple

from edgequake._cost import offpeak

__all__ = ["response_cost", "set_response_cost", "stamp_usage"]

# Pricing a response is a pure function of a few of its fields and the price table, and an
# application prices the same (model, usage) shapes over and over: the call path remembers the
# answers (about a tenth of a warm call's Python time otherwise). Bounded; cleared when full.
_MEMO: Dict[Tuple[Hashable, ...], Optional[float]] = {}
_MEMO_SIZE = 4096


def response_cost(response: Any, model: Optional[str], provider: Optional[str]) -> Optional[float]:
    kind = type(response).__name__
    call_type = {"EmbeddingResponse": "embedding", "RerankResponse": "rerank"}.get(kind, "completion")
    key = _memo_key(response, model, provider, call_type)
    if key is not None and key in _MEMO:
        return _MEMO[key]
    with offpeak.watch() as clock:
        cost = _priced(response, model, provider, call_type)
    if key is not None and not clock.read:  # an off-peak price depends on the time: never kept
        if len(_MEMO) >= _MEMO_SIZE:
            _MEMO.clear()
        _MEMO[key] = cost
    return cost


def _priced(response: Any, model: Optional[str], provider: Optional[str], call_type: str) -> Optional[float]:
    from edgequake._cost.calculator import completion_cost
    from edgequake._cost.lookup import quietly

    try:
        with quietly():  # any failure is None here: never build litellm's exceptions for it
            return completion_cost(
                completion_response=response, model=model, custom_llm_provider=provider, call_type=call_type
            )
    except Exception:  # litellm: an unpriced model leaves response_cost None
        return None


def _memo_key(
    response: Any, model: Optional[str], provider: Optional[str], call_type: str
) -> Optional[Tuple[Hashable, ...]]:
    """Everything `completion_cost` reads from a chat or embedding response (calculator, naming,
    rates), with the table's generation; None when some part cannot be a key."""
    if call_type == "rerank":
        return None
    from edgequake._cost import table

    hidden = getattr(response, "_hidden_params", None)
    hidden = hidden if isinstance(hidden, dict) else {}
    try:
        usage = _frozen(getattr(response, "usage", None))
        key = (
            table.generation(),
            call_type,
            type(response).__name__,
            model,
            provider,
            getattr(response, "model", None),
            hidden.get("provider_response_model"),
            hidden.get("litellm_model_name"),
            hidden.get("custom_llm_provider"),
            getattr(response, "service_tier", None),
            usage,
        )
        hash(key)
    except TypeError:
        return None
    return key


_SCALARS = (int, float, str, bool)


def _frozen(value: Any) -> Hashable:
    """A value as part of a price key: a pydantic model read straight from the instance (its fields
    keep their declared order, then its extras: all `rates.usage_view` can see), dicts sorted, lists
    as tuples. Anything else is no key (TypeError)."""
    if value is None or type(value) in _SCALARS:
        return value
    fields = getattr(value, "__dict__", None)
    if fields is not None and hasattr(value, "__pydantic_extra__"):
        parts: List[Hashable] = [type(value).__name__, *((k, _frozen(v)) for k, v in fields.items())]
        if value.__pydantic_extra__:
            parts.append(("<extra>", _frozen(value.__pydantic_extra__)))
        return tuple(parts)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, _SCALARS):
        return value
    raise TypeError(f"not part of a price key: {type(value).__name__}")


def set_response_cost(response: Any, model: Optional[str], provider: Optional[str]) -> Any:
    hidden = getattr(response, "_hidden_params", None)
    if isinstance(hidden, dict) and "response_cost" in hidden:
        hidden["response_cost"] = response_cost(response, model, provider)
    return response


def stamp_usage(usage: Any, model: Optional[str], provider: Optional[str]) -> Any:
    """Put litellm's bill for ``usage`` in ``usage.cost`` (a positive bill, or over a cost the
    upstream stated)."""
    if usage is None:
        return usage
    from edgequake._cost.calculator import completion_cost
    from edgequake._cost.lookup import quietly

    try:
        with quietly():
            bill = completion_cost(
                completion_response={"usage": usage}, model=model, custom_llm_provider=provider
            )
    except Exception:
        return usage
    if bill <= 0 and not isinstance(getattr(usage, "cost", None), (int, float)):
        return usage
    extra = usage.__pydantic_extra__
    if extra is not None:
        extra["cost"] = float(bill)
        usage.__pydantic_fields_set__.add("cost")
    return usage
