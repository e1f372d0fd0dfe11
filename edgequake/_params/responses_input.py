"""The Responses API ``input`` and ``tools`` as litellm 1.110.2 sends them on its native routes.

* an item given as a pydantic object (a previous response's ``output`` replayed) goes as its
  ``model_dump(exclude_none=True)``; a reasoning item given as a dict loses its null fields (OpenAI
  rejects ``status: null`` there);
* a null ``created_by`` is dropped from every item (OpenAI rejects it in input), a set one too under
  ``drop_params``;
* on Azure, the fields its Responses API rejects (``status`` on message and reasoning items) go;
* Anthropic-only ``cache_control`` marks are removed from input items and tools (the caller's objects
  are copied, never changed). Where litellm turns them into OpenAI prompt-cache breakpoints instead
  (OpenAI's API for gpt-5.6 and newer, or with ``prompt_cache_options``), the call is litellm's:
  :func:`keeps_cache_marks` says so before anything is sent.
"""

from __future__ import annotations

import copy
from typing import Any, Dict, List, Optional

__all__ = ["has_cache_marks", "keeps_cache_marks", "wire_input", "wire_tools"]


def has_cache_marks(value: Any) -> bool:
    if isinstance(value, dict):
        return "cache_control" in value or any(has_cache_marks(v) for v in value.values())
    if isinstance(value, list):
        return any(has_cache_marks(v) for v in value)
    return False


def keeps_cache_marks(provider: str, input: Any, tools: Any) -> bool:
    """Whether litellm would rewrite ``cache_control`` marks rather than drop them (left to litellm)."""
    # Which OpenAI models read breakpoints is litellm's own deployment table: any marks there are its call.
    return provider == "openai" and (has_cache_marks(input) or has_cache_marks(tools))


def _without_cache_control(value: Any) -> Any:
    if not has_cache_marks(value):
        return value
    copied = copy.deepcopy(value)
    _strip(copied)
    return copied


def _strip(value: Any) -> None:
    if isinstance(value, dict):
        value.pop("cache_control", None)
        for inner in value.values():
            _strip(inner)
    elif isinstance(value, list):
        for inner in value:
            _strip(inner)


# Fields Azure's Responses API rejects in input items, by item type (litellm drops them; a reasoning
# item's content too under drop_params).
_AZURE_REJECTS = {"message": frozenset({"status"}), "reasoning": frozenset({"status"})}
_AZURE_REJECTS_DROPPING = {**_AZURE_REJECTS, "reasoning": frozenset({"status", "content"})}


def _item(item: Any, drop_params: bool, provider: str) -> Any:
    dump = getattr(item, "model_dump", None)
    if callable(dump) and not isinstance(item, dict):
        item = dump(exclude_none=True)
    if not isinstance(item, dict):
        return item
    kind = item.get("type")
    rejected = (_AZURE_REJECTS_DROPPING if drop_params else _AZURE_REJECTS) if provider == "azure" else {}
    out = {}
    for key, value in item.items():
        if key in rejected.get(str(kind), ()):
            continue
        if key == "created_by" and (value is None or drop_params):
            continue
        if value is None and kind == "reasoning":
            continue
        out[key] = value
    return _without_cache_control(out)


def wire_input(input: Any, provider: str, drop_params: bool = False) -> Any:
    """``input`` as it goes on the wire (a string as it is)."""
    if not isinstance(input, list):
        return input
    return [_item(item, drop_params, provider) for item in input]


def wire_tools(tools: Any) -> Any:
    if not isinstance(tools, list):
        return tools
    out: List[Any] = [_without_cache_control(tool) for tool in tools]
    return out


def wire_metadata(metadata: Any) -> Optional[Dict[str, str]]:
    """litellm's ``add_openai_metadata`` for the Responses body: OpenAI's ``metadata`` takes string
    values only, so only those are sent (never litellm's ``hidden_params``), at most the first 16; a
    value that is not a dict is not sent at all (None)."""
    if not isinstance(metadata, dict):
        return None
    visible = {str(k): v for k, v in metadata.items() if k != "hidden_params" and isinstance(v, str)}
    return dict(list(visible.items())[:16])
