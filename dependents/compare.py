"""Judging one program's two runs (real litellm, edgequake as ``litellm``): what each returned, and the
request bodies the fake provider received from each.

What is ignored, and why (everything else must be equal):
- UUIDs anywhere in a value (``chatcmpl-<uuid4>``, tool-call ids litellm invents, dspy/crewai run ids):
  generated per process, so they differ between any two runs of the same program; each becomes
  ``<uuid>``.
- Keys named in ``VOLATILE_KEYS`` (``created``, timings, call ids): clock readings or per-call ids,
  different on every run of the same implementation.
- A step's ``where`` (the frame that raised): it names litellm's or edgequake's source by design; shown
  in the report, not judged. The error itself (class and message) is judged.
- ``_litellm_is``: which module answered to ``litellm`` (``litellm`` vs ``edgequake``); checked by the
  runner instead (an edgequake run that imported the real litellm is a broken swap, not a result).
- Request headers: ``user-agent``, ``x-stainless-*`` differ by design; only bodies, methods and paths
  are judged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

UUID = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")
VOLATILE_KEYS = frozenset(
    {
        "created",
        "created_at",
        "timestamp",
        "_response_ms",
        "response_ms",
        "litellm_call_id",
        "litellm_overhead_time_ms",
        "start_time",
        "end_time",
        "duration",
        "elapsed",
    }
)
UNJUDGED_KEYS = frozenset({"where", "_litellm_is"})


def normalise(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: ("<volatile>" if k in VOLATILE_KEYS else normalise(v))
            for k, v in sorted(value.items())
            if k not in UNJUDGED_KEYS
        }
    if isinstance(value, (list, tuple)):
        return [normalise(v) for v in value]
    if isinstance(value, str):
        return UUID.sub("<uuid>", value)
    return value


def first_difference(a: Any, b: Any, path: str = "") -> Optional[Tuple[str, Any, Any]]:
    """The first place (depth first, keys in order) where two normalised values differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return (f"{path}.{key}", a.get(key, "<missing>"), b.get(key, "<missing>"))
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        if len(a) != len(b):
            return (f"{path}.length", len(a), len(b))
        return None
    return None if a == b else (path or ".", a, b)


@dataclass
class Verdict:
    library: str
    program: str
    same_result: bool
    same_bodies: bool
    first_difference: str
    reference_errors: Dict[str, str] = field(default_factory=dict)
    candidate_errors: Dict[str, str] = field(default_factory=dict)
    requests: Tuple[int, int] = (0, 0)
    swap_ok: bool = True

    @property
    def ok(self) -> bool:
        return self.same_result and self.same_bodies and self.swap_ok and not self.candidate_errors


def _errors(results: Dict[str, Any]) -> Dict[str, str]:
    out = {}
    for name, value in results.items():
        if isinstance(value, dict) and "error" in value:
            where = value.get("where")
            out[name] = value["error"] + (f" (at {where})" if where else "")
    return out


def _show(value: Any, limit: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def judge(
    library: str,
    program: str,
    reference: Dict[str, Any],
    candidate: Dict[str, Any],
    reference_requests: List[Dict[str, Any]],
    candidate_requests: List[Dict[str, Any]],
) -> Verdict:
    """Compares the two runs of one program; the first difference names the step or request."""
    ref, cand = normalise(reference), normalise(candidate)
    result_diff = first_difference(ref, cand)
    bodies_diff = first_difference(normalise(reference_requests), normalise(candidate_requests))
    described = ""
    if result_diff:
        where, x, y = result_diff
        described = f"result {where}: litellm {_show(x)} / edgequake {_show(y)}"
    elif bodies_diff:
        where, x, y = bodies_diff
        described = (
            f"requests{where}{_section(where, reference_requests)}: litellm {_show(x)} / edgequake {_show(y)}"
        )
    return Verdict(
        library=library,
        program=program,
        same_result=result_diff is None,
        same_bodies=bodies_diff is None,
        first_difference=described,
        reference_errors=_errors(reference),
        candidate_errors=_errors(candidate),
        requests=(len(reference_requests), len(candidate_requests)),
        swap_ok=candidate.get("_litellm_is") != "litellm",
    )


def _section(where: str, requests: List[Dict[str, Any]]) -> str:
    match = re.match(r"\[(\d+)\]", where)
    if match and int(match.group(1)) < len(requests):
        return f" (section {requests[int(match.group(1))].get('section')!r})"
    return ""
