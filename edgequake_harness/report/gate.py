"""The release gate: a report must be no worse than the committed baseline, case by case and mode by mode.

Results are matched by (case id, mode): a case is judged in sync and in async consumption, and each
mode is gated on its own. A result is worse when its outcome ranks lower (outcomes.RANK), when it
disappeared from the run, or when it was diverged before and now differs at paths it did not differ
at. A mode the baseline has and the run did not judge at all is one regression, not one per case.
Stale registered divergences fail the gate too: the registry must describe reality.

A version-1 baseline (one mode per case) is read as its cases in the mode each ran in
(`report.compat.load`), so a run that judges both modes passes against it when no case got worse;
`required_modes` (the CLI's `gate --require-mode`) turns a baseline without a mode into a failure,
so that CI gates every mode, not only those an older baseline happens to hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Sequence, Tuple

from edgequake_harness.judge.outcomes import RANK, Outcome


@dataclass(frozen=True)
class Regression:
    case: str
    detail: str

    def describe(self) -> str:
        return f"{self.case}: {self.detail}"


def _key(case: Dict[str, Any]) -> Tuple[str, str]:
    return case["id"], case.get("mode") or "sync"


def _label(key: Tuple[str, str]) -> str:
    return f"{key[0]} [{key[1]}]"


def regressions(
    current: Dict[str, Any], baseline: Dict[str, Any], required_modes: Sequence[str] = ()
) -> List[Regression]:
    """Each way `current` is worse than `baseline`; `required_modes` must have results in both."""
    now = {_key(case): case for case in current["cases"]}
    judged_modes = {mode for _, mode in now}
    found = []
    unjudged: Dict[str, int] = {}
    for before in baseline["cases"]:
        key = _key(before)
        after = now.get(key)
        if after is None:
            if key[1] not in judged_modes:
                unjudged[key[1]] = unjudged.get(key[1], 0) + 1
                continue
            found.append(Regression(_label(key), f"missing from this run (was {before['outcome']})"))
            continue
        old, new = Outcome(before["outcome"]), Outcome(after["outcome"])
        if RANK[new] > RANK[old]:
            reason = f" ({after['reason']})" if after.get("reason") else ""
            found.append(Regression(_label(key), f"{old.value} -> {new.value}{reason}"))
        elif old is Outcome.DIVERGED and new is Outcome.DIVERGED:
            added = sorted({d["path"] for d in after["diffs"]} - {d["path"] for d in before["diffs"]})
            if added:
                found.append(Regression(_label(key), f"new differences at {', '.join(added[:5])}"))
    baseline_modes = {_key(case)[1] for case in baseline["cases"]}
    for mode in required_modes:  # a mode judged in the baseline but not in this run is `unjudged`
        if mode not in baseline_modes:
            found.append(Regression(f"[{mode}]", "mode not in the baseline: accept a run that judges it"))
    for mode, count in unjudged.items():
        detail = f"mode not judged in this run ({count} case(s) in the baseline)"
        found.append(Regression(f"[{mode}]", detail))
    for stale in current.get("stale_divergences", []):
        found.append(
            Regression(stale["case"], f"stale registered divergence at {stale['path']}: {stale['reason']}")
        )
    return found
