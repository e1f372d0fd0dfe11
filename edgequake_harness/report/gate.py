"""The release gate: a report must be no worse than the committed baseline, case by case.

A case is worse when its outcome ranks lower (outcomes.RANK), when it disappeared from the run,
or when it was diverged before and now differs at paths it did not differ at. Stale registered
divergences fail the gate too: the registry must describe reality.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List

from edgequake_harness.judge.outcomes import RANK, Outcome


@dataclass(frozen=True)
class Regression:
    case: str
    detail: str

    def describe(self) -> str:
        return f"{self.case}: {self.detail}"


def regressions(current: Dict[str, Any], baseline: Dict[str, Any]) -> List[Regression]:
    now = {case["id"]: case for case in current["cases"]}
    found = []
    for before in baseline["cases"]:
        case_id = before["id"]
        after = now.get(case_id)
        if after is None:
            found.append(Regression(case_id, f"missing from this run (was {before['outcome']})"))
            continue
        old, new = Outcome(before["outcome"]), Outcome(after["outcome"])
        if RANK[new] > RANK[old]:
            reason = f" ({after['reason']})" if after.get("reason") else ""
            found.append(Regression(case_id, f"{old.value} -> {new.value}{reason}"))
        elif old is Outcome.DIVERGED and new is Outcome.DIVERGED:
            added = sorted({d["path"] for d in after["diffs"]} - {d["path"] for d in before["diffs"]})
            if added:
                found.append(Regression(case_id, f"new differences at {', '.join(added[:5])}"))
    for stale in current.get("stale_divergences", []):
        found.append(
            Regression(stale["case"], f"stale registered divergence at {stale['path']}: {stale['reason']}")
        )
    return found
