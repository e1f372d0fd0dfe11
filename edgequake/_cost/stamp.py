"""The cost the call path records, as litellm does: ``_hidden_params["response_cost"]`` on every
response, and ``usage.cost`` on a stream's closing usage chunk when the bill is positive (litellm's
``_stamp_usage_cost``). Pricing never fails a call: a model the table does not price costs None, as
litellm logs and moves on.
"""

from __future__ import annotations

from typing import Any, Optional

__all__ = ["response_cost", "set_response_cost", "stamp_usage"]


def response_cost(response: Any, model: Optional[str], provider: Optional[str]) -> Optional[float]:
    from edgequake._cost.calculator import completion_cost
    from edgequake._cost.lookup import quietly

    kind = type(response).__name__
    call_type = {"EmbeddingResponse": "embedding", "RerankResponse": "rerank"}.get(kind, "completion")
    try:
        with quietly():  # any failure is None here: never build litellm's exceptions for it
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

