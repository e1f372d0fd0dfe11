"""Case selection: provider and feature filters, a pytest-style `-k` expression, and the check that
a run selects something (`check_selection`)."""

from __future__ import annotations

import re
from pathlib import Path
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


class SelectionError(ValueError):
    """A run that would judge nothing, or a named file that yields no case; the message says why."""


def check_selection(
    paths: Sequence[str],
    collected: Sequence[Case],
    selected: Sequence[Case],
    providers: Sequence[str] = (),
    features: Sequence[str] = (),
    keyword: Optional[str] = None,
    allow_empty: bool = False,
) -> None:
    """Raise SelectionError when a file named in `paths` cannot run, or when nothing is selected.

    A file named explicitly is meant to run: one that is not a cassette, does not load or yields no
    call fails the run with its reason (a stated `skip:` in its metadata is a case, and is reported).
    An empty selection fails unless `allow_empty`.
    """
    named = {Path(p) for p in paths if Path(p).is_file()}
    unusable = [c for c in collected if c.path in named and c.call is None]
    if unusable:
        raise SelectionError("; ".join(f"{c.path} yields no case: {c.skip}" for c in unusable))
    if selected or allow_empty:
        return
    where = ", ".join(str(p) for p in paths)
    if not collected:
        raise SelectionError(f"no cases selected: no files under {where} (--allow-empty to accept)")
    filters = [f"--provider {p}" for p in providers] + [f"--feature {f}" for f in features]
    filters += [f"-k {keyword!r}"] if keyword else []
    raise SelectionError(
        f"no cases selected: {len(collected)} case(s) under {where}, none match "
        f"{' '.join(filters) or 'the selection'} (--allow-empty to accept)"
    )
