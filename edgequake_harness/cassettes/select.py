"""Case selection: provider and feature filters and a pytest-style `-k` expression."""

from __future__ import annotations

import re
from typing import Iterable, List, Optional, Sequence

from edgequake_harness.cassettes.case import Case

_TOKEN = re.compile(r"\(|\)|[^\s()]+")


def keyword_matches(expression: str, case_id: str) -> bool:
    """`-k` semantics: words are case-insensitive substrings of the id, joined by and/or/not."""
    parts: List[str] = []
    for token in _TOKEN.findall(expression):
        if token in ("(", ")", "and", "or", "not"):
            parts.append(token)
        else:
            parts.append(str(token.lower() in case_id.lower()))
    try:
        # Only True/False, and/or/not and parentheses reach eval: nothing user-controlled runs.
        return bool(eval(" ".join(parts) or "True", {"__builtins__": {}}, {}))
    except SyntaxError as exc:
        raise ValueError(f"invalid -k expression {expression!r}") from exc


def select(
    cases: Iterable[Case],
    providers: Sequence[str] = (),
    features: Sequence[str] = (),
    keyword: Optional[str] = None,
) -> List[Case]:
    chosen = []
    for case in cases:
        if providers and case.provider not in providers:
            continue
        if features and case.feature not in features:
            continue
        if keyword and not keyword_matches(keyword, case.id):
            continue
        chosen.append(case)
    return chosen
