"""Case outcomes, how one is decided from two observations, and how they rank for the gate."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Dict, List, Optional, Tuple

from edgequake_harness.judge.compare import Diff


class Outcome(str, Enum):
    CONFORMANT = "conformant"
    REGISTERED = "registered_divergence"  # every difference is a reviewed, justified divergence
    DELEGATED = "delegated"  # the candidate handed the call to another library (e.g. litellm)
    SKIPPED = "skipped"  # the case cannot run; always with a reason
    REFERENCE_ERROR = "reference_error"  # the reference itself failed: the case cannot judge
    DIVERGED = "diverged"
    CANDIDATE_ERROR = "candidate_error"  # the candidate crashed, hung or could not be loaded
    SANDBOX = "sandbox_violation"  # the candidate dialled an outside host or sent the environment's key


# Higher is worse. The gate fails when a case's rank rises against the baseline. Skips and
# reference errors rank above delegation so that a case cannot "improve" by becoming unjudgeable.
RANK: Dict[Outcome, int] = {
    Outcome.CONFORMANT: 0,
    Outcome.REGISTERED: 0,
    Outcome.DELEGATED: 1,
    Outcome.SKIPPED: 2,
    Outcome.REFERENCE_ERROR: 2,
    Outcome.DIVERGED: 3,
    Outcome.CANDIDATE_ERROR: 4,
    Outcome.SANDBOX: 5,
}
PASSING = frozenset({Outcome.CONFORMANT, Outcome.REGISTERED, Outcome.DELEGATED})
FAILING = frozenset({Outcome.DIVERGED, Outcome.CANDIDATE_ERROR, Outcome.SANDBOX})
# Outcomes where both sides ran and were diffed (the registry's staleness is judged on these).
COMPARED = frozenset({Outcome.CONFORMANT, Outcome.REGISTERED, Outcome.DIVERGED})


@dataclass
class CaseResult:
    id: str
    provider: str
    feature: str
    name: str
    cassette: str
    outcome: Outcome
    reason: Optional[str] = None
    diffs: List[Diff] = field(default_factory=list)
    registered: List[Dict[str, Any]] = field(default_factory=list)  # {diff, entry} pairs
    call: Optional[str] = None
    duration_s: float = 0.0
    labels: List[str] = field(default_factory=list)  # features exercised (report/coverage.py)
    # cassettes.case.MODES: `completion()` and `for`, or `acompletion()` and `async for`. Every case
    # is judged in each mode; a result is one case in one mode.
    mode: str = "sync"
    # both sides as compared, bounded (report/evidence.py), for the dashboard's drill-down; None
    # when the case did not run both targets
    evidence: Optional[Dict[str, Any]] = None

    @property
    def key(self) -> Tuple[str, str]:
        """What identifies a result in a report: the case id and the mode."""
        return self.id, self.mode

    @property
    def label(self) -> str:
        return f"{self.id} [{self.mode}]"

    def to_json(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {
            "id": self.id,
            "mode": self.mode,
            "provider": self.provider,
            "feature": self.feature,
            "name": self.name,
            "cassette": self.cassette,
            "outcome": self.outcome.value,
            "reason": self.reason,
            "diffs": [d.to_json() for d in self.diffs],
            "registered": self.registered,
            "call": self.call,
            "duration_s": self.duration_s,
            "labels": list(self.labels),
        }
        if self.evidence is not None:
            out["evidence"] = self.evidence
        return out

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> CaseResult:
        return cls(
            id=data["id"],
            provider=data["provider"],
            feature=data["feature"],
            name=data["name"],
            cassette=data.get("cassette", ""),
            outcome=Outcome(data["outcome"]),
            reason=data.get("reason"),
            diffs=[Diff(**d) for d in data.get("diffs", [])],
            registered=list(data.get("registered", [])),
            call=data.get("call"),
            duration_s=float(data.get("duration_s", 0.0)),
            labels=list(data.get("labels", [])),
            mode=str(data.get("mode") or "sync"),
            evidence=data.get("evidence"),
        )


def _crash(observation: Dict[str, Any]) -> Optional[str]:
    """Why an observation is a crash rather than an API behaviour, or None.

    litellm's exceptions all subclass openai's; anything else (TypeError, ValueError, a harness
    timeout) is a failure of the target itself, not a mapped provider error.
    """
    exc = observation.get("exception")
    if exc is None:
        return None
    where = observation.get("phase") or "call"
    if exc.get("openai_base") is None:
        return f"{exc.get('class')} during {where}: {exc.get('message', '')[:300]}"
    return None


def _what_it_did(observation: Dict[str, Any]) -> str:
    exc = observation.get("exception")
    if exc:
        return f"raised {exc.get('class')}({exc.get('status_code')})"
    return "answered"


def judge(
    reference: Dict[str, Any], candidate: Dict[str, Any], diffs: List[Diff], unregistered: List[Diff]
) -> Tuple[Outcome, Optional[str]]:
    """The outcome and its reason, from two observations and their (registry-filtered) diffs."""
    if reference.get("misses"):
        return Outcome.REFERENCE_ERROR, f"reference request not in the cassette: {reference['misses'][0]}"
    crash = _crash(reference)
    if crash:
        # The reference cannot judge, but the candidate is still held to what a user needs: a
        # litellm-family exception or an answer. A bare Python error is its failure, not the case's.
        own = _crash(candidate)
        if own:
            return Outcome.CANDIDATE_ERROR, f"candidate raised {own} (the reference raised {crash})"
        return Outcome.REFERENCE_ERROR, f"reference raised {crash}; candidate {_what_it_did(candidate)}"
    breaches = candidate.get("sandbox") or []
    if breaches:  # whatever else it did: a candidate must never reach outside or spend real keys
        return Outcome.SANDBOX, f"candidate {breaches[0]}" + (
            f" (+{len(breaches) - 1} more)" if len(breaches) > 1 else ""
        )
    crash = _crash(candidate)
    if candidate.get("delegated"):
        # Handing the call on is reported as such, but what the user gets is still judged: a crash,
        # or another library's objects where the candidate's own belong (judge.identity).
        if crash:
            return Outcome.CANDIDATE_ERROR, f"candidate (delegating) raised {crash}"
        foreign = [d for d in unregistered if d.path.split(".")[0].split("[")[0] == "identity"]
        if foreign:
            return Outcome.DIVERGED, f"delegated, and not the candidate's own object at {foreign[0].path}"
        return Outcome.DELEGATED, str(candidate["delegated"])
    if crash:
        return Outcome.CANDIDATE_ERROR, f"candidate raised {crash}"
    if not diffs:
        return Outcome.CONFORMANT, None
    if not unregistered:
        return Outcome.REGISTERED, f"{len(diffs)} difference(s), all registered"
    first = unregistered[0]
    return Outcome.DIVERGED, f"{len(unregistered)} difference(s); first at {first.path} ({first.kind})"
