"""``get_supported_openai_params``: the OpenAI parameter names litellm accepts for a model, in
litellm's order, from ``supported.json`` (generated from the pinned litellm by
``tools/gen_supported_params.py``; never edited by hand).

This is litellm's *reported* list (what libraries such as dspy and crewai read to decide whether to
send ``response_format`` or ``tools``); the body rules edgequake applies live in ``_params.models``.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, List, Optional

_TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "supported.json")
_data: Optional[Dict[str, Any]] = None

REQUEST_TYPES = ("chat_completion", "embeddings")


def _table() -> Dict[str, Any]:
    global _data
    if _data is None:
        with open(_TABLE, encoding="utf-8") as file:
            _data = json.load(file)
    return _data


def known_provider(provider: str) -> bool:
    return provider in _table()["default"]


def supported_params(provider: str, model: str, request_type: str = "chat_completion") -> Optional[List[str]]:
    """litellm's answer for ``model`` (as the caller wrote it) on ``provider``; None where it has none.
    A fresh list each call: callers may change it, as they may litellm's."""
    table = _table()
    if provider not in table["default"]:
        return None
    if request_type != "embeddings":  # litellm answers any other request type with the chat list
        request_type = "chat_completion"
    index = table["models"][provider][request_type].get(model, table["default"][provider][request_type])
    answer = table["lists"][index]
    return list(answer) if answer is not None else None
