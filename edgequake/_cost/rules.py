"""litellm's "fallback generalizations": regex rules in the price file that describe models it does
not list yet (``claude-<family>-<n>`` and the like).

A rule whose ``model_info`` is only ``litellm_provider`` routes a bare name (edgequake's router has
its own copy of those); every other rule is a capability rule: for a model no candidate name finds in
the table, the ``model_info`` of all matching rules, unioned in file order, is its info. Rules flagged
``fill_missing_for_providers`` also fill keys a listed chat/responses entry of that provider lacks.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Dict, List, Optional, Tuple

from edgequake._cost import table

__all__ = ["capabilities", "fill_missing"]

_Rule = Tuple[Any, Dict[str, Any], frozenset]
_compiled: Optional[List[_Rule]] = None


def _rules() -> List[_Rule]:
    global _compiled
    if _compiled is None:
        out: List[_Rule] = []
        for rule in table.generalization_rules():
            pattern, info = rule.get("pattern"), rule.get("model_info")
            if not isinstance(pattern, str) or not isinstance(info, dict) or "extends" in rule:
                continue
            if "litellm_provider" in info:
                continue  # a routing rule (or the old mixed format litellm skips)
            fill = rule.get("fill_missing_for_providers", [])
            if not isinstance(fill, list):
                continue
            out.append((pattern, info, frozenset(fill)))
        _compiled = out
    return _compiled


@cache
def _regex(pattern: str) -> Optional[re.Pattern[str]]:
    """Compiled when first needed (pricing an openai call needs one of the rules, not all 14);
    a pattern Python cannot compile never matches, as litellm skips it."""
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error:
        return None


def _matches(pattern: str, text: str) -> bool:
    compiled = _regex(pattern)
    return compiled is not None and compiled.search(text) is not None


def capabilities(model: str) -> Optional[Dict[str, Any]]:
    if not model:
        return None
    matched = [info for pattern, info, _ in _rules() if _matches(pattern, model)]
    return {k: v for info in matched for k, v in info.items()} if matched else None


def fill_missing(key: str, entry: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    mode = entry.get("mode", "chat")
    provider = entry.get("litellm_provider", "")
    if mode not in ("chat", "responses") or not isinstance(provider, str) or not provider:
        return None
    matched = [info for pattern, info, fill in _rules() if provider in fill and _matches(pattern, key)]
    merged = {k: v for info in matched for k, v in info.items()}
    return merged or None
