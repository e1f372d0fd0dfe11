"""``get_supported_openai_params``: the OpenAI parameter names litellm accepts for a model, in
litellm's order, from ``supported.json`` (generated from the pinned litellm by
``tools/gen_supported_params.py``; never edited by hand).

This is litellm's *reported* list (what libraries such as dspy and crewai read to decide whether to
send ``response_format`` or ``tools``); the body rules edgequake applies live in ``_params.models``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from edgequake._params.tables import table


def _table() -> Dict[str, Any]:
    return table("supported.json")


def known_provider(provider: str) -> bool:
    return provider in _table()["default"]


def supported_params(provider: str, model: str, request_type: str = "chat_completion") -> Optional[List[str]]:
    """litellm's answer for ``model`` (as the caller wrote it) on ``provider``; None where it has none.
    A fresh list each call: callers may change it, as they may litellm's."""
    data = _table()
    if provider not in data["default"]:
        return None
    if request_type != "embeddings":  # litellm answers any other request type with the chat list
        request_type = "chat_completion"
    index = data["models"][provider][request_type].get(model, data["default"][provider][request_type])
    answer = data["lists"][index]
    return list(answer) if answer is not None else None
