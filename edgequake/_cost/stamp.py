"""The cost the call path records, as litellm does: ``_hidden_params["response_cost"]`` on every
response, and ``usage.cost`` on a stream's closing usage chunk when the bill is positive (litellm's
``_stamp_usage_cost``). Pricing never fails a call: a model the table does not price costs None, as
litellm logs and moves on.
"""

from __future__ import annotations

from typing import Any, Optional

__all__ = ["response_cost", "responses_cost", "set_response_cost", "stamp_usage"]


def response_cost(response: Any, model: Optional[str], provider: Optional[str]) -> Optional[float]:
    from edgequake._cost.calculator import completion_cost

    kind = type(response).__name__
    call_type = {"EmbeddingResponse": "embedding", "RerankResponse": "rerank"}.get(kind, "completion")
    try:
        return completion_cost(
            completion_response=response, model=model, custom_llm_provider=provider, call_type=call_type
        )
    except Exception:  # litellm: an unpriced model leaves response_cost None
        return None


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

    try:
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


def chat_usage(usage: Any) -> Optional[dict]:
    """A Responses API usage (``input_tokens``, ``output_tokens``, their details) in chat terms, as
    litellm converts it before pricing (``_transform_response_api_usage_to_chat_usage``)."""
    data = usage.model_dump() if hasattr(usage, "model_dump") else usage
    if not isinstance(data, dict):
        return None
    prompt, completion = int(data.get("input_tokens") or 0), int(data.get("output_tokens") or 0)
    out: dict = {
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
        out["cost"] = data["cost"]  # a bill the upstream states (OpenRouter) is litellm's bill
    return out


def responses_cost(response: Any, model: Optional[str], provider: Optional[str]) -> Optional[float]:
    """litellm's bill for a ``ResponsesAPIResponse``: its usage in chat terms at the model's rates."""
    from edgequake._cost.calculator import completion_cost

    usage = chat_usage(getattr(response, "usage", None))
    if usage is None:
        return None
    tier = getattr(response, "service_tier", None)  # the tier that served it ("flex" halves the bill)
    if not isinstance(tier, str) or tier.lower() in ("default", "auto", "standard", "on_demand"):
        tier = None
    try:
        return completion_cost(
            completion_response={"usage": usage, "model": getattr(response, "model", None)},
            model=model,
            custom_llm_provider=provider,
            service_tier=tier.lower() if tier else None,
        )
    except Exception:  # an unpriced model: None, as litellm leaves it
        return None
