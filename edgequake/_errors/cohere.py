"""What litellm 1.110.2's Cohere routes attach to their exceptions besides class and message
(measured; the class and message come from ``core/src/wire/cohere/errors.rs``).

* Its Cohere mapper (``_map_cohere_exception``) names ``llm_provider="cohere"`` whatever the route and
  attaches no ``litellm_debug_info``; the core says when it raised (``info["own_mapper"]``). A reply
  it cannot read is re-raised unmapped, naming neither provider nor model (``own_mapper == ""``), as
  is a non-JSON embedding reply.
* Its generic status mapping names the route (``cohere_chat``) with debug info; on the embedding and
  rerank routes that info has no API base and shows ``Messages: `None```.
* ``APIConnectionError`` never carries debug info there.
"""

from __future__ import annotations

from typing import Any, Optional, Tuple


def own_mapper(info: dict) -> Optional[str]:
    """The provider name litellm's own mapper raised with, or None for its status mapping."""
    if info.get("kind") == "decode" and info.get("route") == "embedding":
        return ""
    own = info.get("own_mapper")
    return own if isinstance(own, str) else None


def names(info: dict, model: str, llm_provider: str) -> Tuple[str, str]:
    """``(model, llm_provider)`` as litellm's Cohere route reports them."""
    own = own_mapper(info)
    if own is None:
        return model, llm_provider
    return (model if own else ""), own


def debug_info(info: dict, model: str, default: Any) -> Any:
    """litellm's ``litellm_debug_info`` on a Cohere exception (``default`` is the generic one)."""
    if own_mapper(info) is not None or info.get("class") == "APIConnectionError":
        return None
    if info.get("route") in ("embedding", "rerank"):
        return f"\nModel: {model}\nMessages: `None`"
    return default
