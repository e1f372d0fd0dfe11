"""Shared helpers for the litellm reference fixtures (tests/fixtures/litellm/cases/*.json).

The fixtures hold what litellm 1.110.2 returned for canned upstream bytes (see record.py there);
these helpers rebuild the edgequake inputs from them and normalise the fields both sides generate
locally (uuids, local ``created``, timings), so comparisons are exact everywhere else.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

CASES_DIR = Path(__file__).parent / "fixtures" / "litellm" / "cases"
_UUID_ID = re.compile(r"^chatcmpl-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
VOLATILE_HIDDEN = (
    "litellm_call_id",
    "_response_ms",
    "litellm_overhead_time_ms",
    "callback_duration_ms",
    "created_at",
    "response_cost",
    "usage",
)


def load(provider: str) -> Dict[str, Any]:
    return json.loads((CASES_DIR / f"{provider}.json").read_text())


def providers() -> List[str]:
    return sorted(p.stem for p in CASES_DIR.glob("*.json"))


def iter_cases(kind: str) -> Iterator[Tuple[str, str, Dict[str, Any]]]:
    for provider in providers():
        for name, case in load(provider)[kind].items():
            yield provider, name, case


def normalise(x: Any, *, created: bool) -> Any:
    """Replace locally generated values with placeholders; drop ``usage.cost`` (cost map)."""
    if isinstance(x, dict):
        out = {}
        for k, v in x.items():
            if created and k == "created" and isinstance(v, int):
                out[k] = "<created>"
            else:
                out[k] = normalise(v, created=created)
        return out
    if isinstance(x, list):
        return [normalise(v, created=created) for v in x]
    if isinstance(x, str):
        if _UUID_ID.match(x):
            return "<chatcmpl-uuid>"
        if _UUID.match(x):
            return "<uuid>"
    return x


def normalise_hidden(h: Dict[str, Any]) -> Dict[str, Any]:
    return {k: ("<volatile>" if k in VOLATILE_HIDDEN else normalise(v, created=False)) for k, v in h.items()}


def raw_headers_from(additional: Dict[str, str]) -> Dict[str, str]:
    """The upstream headers litellm saw, recovered from its ``llm_provider-*`` copies."""
    p = "llm_provider-"
    return {k[len(p) :]: v for k, v in additional.items() if k.startswith(p) and k != p + "request-id"}


def params(test_name: str, cases: List[Tuple[str, str, Dict[str, Any]]]) -> List[Any]:
    """pytest params for ``cases``, with the known gaps for ``test_name`` marked xfail(strict)."""
    import pytest

    gaps = set(json.loads((CASES_DIR.parent / "known_gaps.json").read_text()).get(test_name, []))
    out = []
    for provider, name, case in cases:
        cid = f"{provider}-{name}"
        marks = (
            [pytest.mark.xfail(strict=True, reason="known gap vs litellm (known_gaps.json)")]
            if cid in gaps
            else []
        )
        out.append(pytest.param(provider, name, case, id=cid, marks=marks))
    return out


def answer(function: Any, *args: Any, **kwargs: Any) -> Any:
    """What a call gives, as comparable data: its result, or the class name of what it raised (both
    libraries raising the same class is agreement)."""
    try:
        return function(*args, **kwargs)
    except Exception as exc:
        return type(exc).__name__
