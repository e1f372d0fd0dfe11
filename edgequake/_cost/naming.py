"""Which model name prices a call, as litellm 1.110.2 chooses it: the model that served the call (the
response's ``model``) over the one asked for, unless only the requested one has rates; a caller's
own prices keep the requested name; a Together chat model the table lacks is priced by its size
class (``70b`` -> ``together-ai-41.1b-80b``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Optional

from edgequake._cost import lookup

__all__ = ["select_model", "together_category"]


_TOGETHER_SIZES = ((4, "up-to-4b"), (8, "4.1b-8b"), (21, "8.1b-21b"), (41, "21.1b-41b"), (80, "41.1b-80b"))


def together_category(model: str, provider: str) -> str:
    """litellm prices a Together chat model its table lacks by parameter count (``70b`` ->
    ``together-ai-41.1b-80b``)."""
    try:
        lookup.entry(model, provider)
        return model
    except Exception:  # ModelNotMappedError: price it by size below
        pass
    found = re.search(r"(\d+b)", model.lower())
    if found is None:
        return model
    billions = float(found.group(1)[:-1])
    for limit, name in (*_TOGETHER_SIZES, (110, "81.1b-110b")):
        if billions <= limit:
            return f"together-ai-{name}"
    return model


def _prices_anything(model: str, provider: Optional[str]) -> bool:
    try:
        _, info, _ = lookup.entry(model, provider)
    except Exception:
        return False
    return any(v is not None and "cost_per" in k and "token" in k for k, v in info.items())


def _priced_name(model: str, provider: Optional[str]) -> str:
    if provider is None or model.split("/", 1)[0] in _known_providers():
        return model
    return f"{provider}/{model}"


def _known_providers() -> frozenset:
    from edgequake._call.provider_names import LITELLM_PROVIDERS

    return LITELLM_PROVIDERS


def select_model(
    model: Optional[str], response_model: Any, hidden: Any, provider: Optional[str], custom: bool
) -> Optional[str]:
    """litellm prices the model that served the call (the response's model) over the one asked
    for, unless only the requested one has rates; a caller's own prices keep the requested name."""
    if custom and model:
        return model
    if provider is None and model:
        try:
            from edgequake._call.provider_info import get_llm_provider

            provider = get_llm_provider(model)[1]
        except Exception:
            provider = None
    served = hidden.get("provider_response_model") if isinstance(hidden, Mapping) else None
    if not isinstance(served, str):
        served = response_model if isinstance(response_model, str) else None
    requested = model or (hidden.get("litellm_model_name") if isinstance(hidden, Mapping) else None)
    if served is None:
        return _priced_name(model, provider) if model else None
    served_name = _priced_name(served, provider)
    if not isinstance(requested, str):
        return served_name
    requested_name = _priced_name(requested, provider)
    if served_name in (requested_name, requested_name.partition("/")[2]):
        return served_name
    if _prices_anything(served_name, provider):
        return served_name
    return requested_name if _prices_anything(requested_name, provider) else served_name
