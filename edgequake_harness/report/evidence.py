"""What each side did with a case, kept in the report at a bounded size for the dashboard's drill-down.

A diff says where two observations differ; a reviewer also wants to see the two answers side by
side, the stream chunks and the requests each target sent. Those are stored per result under
`evidence`: `{reference: {...}, candidate: {...}}`, or `{both: {...}}` when the two are the same as
compared, or `{same_as: <mode>}` when another mode of the case saw exactly this. Each side is in the
form the diff compared it (normalised by the case's policy, so volatile values read `<volatile>`;
clock stamps read `<clock>`, so a re-run or a merge of shards gives the same bytes), cut to a
fixed budget: long strings end in a marker saying how much was cut, long lists keep their first
items and a marker with the count.
Every bundled case in every mode adds about 2 MB to compat.json, not the full traffic.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from edgequake_harness.judge.compare import unclocked, view
from edgequake_harness.judge.normalise import Normaliser

# The parts of an observation the drill-down shows (compare.SECTIONS minus the bookkeeping ones).
SECTIONS = ("response", "exception", "chunks", "assembled", "requests")
# Said as is (not normalised): why the target did what it did.
NOTES = ("phase", "delegated", "misses", "sandbox")
MAX_STRING = 400
MAX_ITEMS = 10
MAX_DEPTH = 10
# Query parameters that carry a key (Gemini's `key=`); the replay server only ever sees the run's
# fake keys, but a report is shared, so their values are never written.
SECRET_QUERY = frozenset({"key", "api_key", "api-key", "access_token"})
REDACTED = "<redacted>"
SAME_AS = "same_as"


def bound(value: Any, depth: int = 0) -> Any:
    """`value` cut to the budget: strings to MAX_STRING characters, lists to MAX_ITEMS items."""
    if isinstance(value, str):
        if len(value) <= MAX_STRING:
            return value
        return value[:MAX_STRING] + f"… [{len(value) - MAX_STRING} more characters]"
    if depth >= MAX_DEPTH and isinstance(value, (dict, list)):
        return "… [nested too deep to keep]"
    if isinstance(value, dict):
        return {str(k): bound(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        kept = [bound(v, depth + 1) for v in value[:MAX_ITEMS]]
        if len(value) > MAX_ITEMS:
            kept.append(f"… [{len(value) - MAX_ITEMS} more items]")
        return kept
    return value


def _scrub(request: Any) -> Any:
    if not isinstance(request, dict) or not isinstance(request.get("query"), dict):
        return request
    query = {k: ([REDACTED] if k.lower() in SECRET_QUERY else v) for k, v in request["query"].items()}
    return {**request, "query": query}


def side(observation: Dict[str, Any], normaliser: Optional[Normaliser]) -> Dict[str, Any]:
    """One target's observation (`Observation.to_json()`) as the drill-down shows it."""
    shown = view(observation, SECTIONS)
    if normaliser is not None:
        shown = normaliser.apply(shown)
    shown = unclocked(shown)
    out: Dict[str, Any] = {}
    for section in SECTIONS:
        data = shown.get(section)
        if data in (None, [], {}):
            continue
        if section == "requests":
            data = [_scrub(r) for r in data]
        if section == "chunks" and isinstance(data, list):
            out["chunk_count"] = len(data)
        out[section] = bound(data)
    for note in NOTES:
        if observation.get(note):
            out[note] = bound(observation[note])
    return out


def of(
    reference: Dict[str, Any], candidate: Dict[str, Any], normaliser: Optional[Normaliser] = None
) -> Dict[str, Dict[str, Any]]:
    """Both sides of one result, each bounded; one `both` side when they are the same as compared
    (most results: a conformant report need not carry every answer twice)."""
    left, right = side(reference, normaliser), side(candidate, normaliser)
    if left == right:
        return {"both": left}
    return {"reference": left, "candidate": right}


def shared(cases: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Report cases (sorted by id, then mode) with each repeat of a case's evidence in a later mode
    written as `{same_as: <mode>}`: the call variants and async usually see exactly what sync saw,
    and a report need not carry it five times. Idempotent, so a merge of shard reports that runs
    this again gives the single run's bytes."""
    first: Dict[str, List[Tuple[str, Any]]] = {}
    out = []
    for case in cases:
        seen = case.get("evidence")
        if not seen or SAME_AS in seen:
            out.append(case)
            continue
        earlier = first.setdefault(case["id"], [])
        match = next((mode for mode, known in earlier if known == seen), None)
        if match is None:
            earlier.append((str(case.get("mode") or "sync"), seen))
            out.append(case)
        else:
            out.append({**case, "evidence": {SAME_AS: match}})
    return out
