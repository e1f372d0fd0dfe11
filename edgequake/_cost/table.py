"""The price table: litellm 1.110.2's ``model_prices_and_context_window_backup.json`` (MIT, see
``PROVENANCE.md``), parsed once on first use and shared as ``edgequake.model_cost``.

It is never downloaded: litellm fetches a newer map from GitHub at import unless told not to, which
makes its prices depend on the day; edgequake's depend only on the installed version.
"""

from __future__ import annotations

import json
import os
import threading
from typing import Any, Dict, List, Optional

__all__ = ["generalization_rules", "lowercase_keys", "model_cost", "touch"]

_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "model_prices.json")
_LOCK = threading.Lock()
_cost: Optional[Dict[str, Any]] = None
_lower: Optional[Dict[str, str]] = None
_rules: List[Dict[str, Any]] = []
_generation = 0  # bumped when register_model changes the table: derived caches compare it


def model_cost() -> Dict[str, Any]:
    """The table (a plain dict users may read and edit, as ``litellm.model_cost``)."""
    global _cost
    if _cost is None:
        with _LOCK:
            if _cost is None:
                with open(_PATH, encoding="utf-8") as file:
                    _cost = _finalise(json.load(file))
    return _cost


def generalization_rules() -> List[Dict[str, Any]]:
    """The file's ``fallback_generalizations`` rules (litellm takes them out of the table on load)."""
    model_cost()
    return _rules


def _finalise(raw: Dict[str, Any]) -> Dict[str, Any]:
    """What litellm does to the file when it loads it: the generalisation rules come out of the
    table, and alias rows (``alias_of``) and ``aliases`` lists become names for their owner's entry
    (the same dict object under every name, without the alias keys)."""
    global _rules
    block = raw.pop("fallback_generalizations", None)
    rules = block.get("rules") if isinstance(block, dict) else None
    _rules = [r for r in rules if isinstance(r, dict)] if isinstance(rules, list) else []
    pointers = {name: t for name, info in raw.items() if isinstance(t := info.get("alias_of"), str)}
    owners: Dict[str, str] = {}
    listing: List[str] = []
    for name, info in raw.items():
        aliases = info.get("aliases")
        if aliases is None or name in pointers:
            continue
        listing.append(name)
        if not isinstance(aliases, list):
            continue
        for alias in aliases:
            if (alias in raw and alias not in pointers) or alias in owners:
                continue  # litellm warns and skips an alias that collides
            owners[alias] = name
    for alias, target in pointers.items():
        if target in raw and target not in pointers and alias not in owners:
            owners[alias] = target
    for name in listing:
        raw[name].pop("aliases", None)
    for alias in pointers.keys() - owners.keys():
        raw.pop(alias)
    for alias, owner in owners.items():
        raw[alias] = raw[owner]
    return raw


def touch() -> None:
    """The table changed (register_model): rebuild derived lookups on next use."""
    global _lower, _generation
    _lower = None
    _generation += 1


def generation() -> int:
    return _generation


def lowercase_keys() -> Dict[str, str]:
    """lower-cased key -> key, for litellm's case-insensitive fallback lookup."""
    global _lower
    table = model_cost()
    lower = _lower
    if lower is None or len(lower) != len(table):
        lower = {k.lower(): k for k in table}
        _lower = lower
    return lower
