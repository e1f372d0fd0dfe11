"""A small compat.json with every outcome and hostile cassette text, for the dashboard's tests.

The hostile strings are what a recording could carry in model output, an error message, a provider
name or a case id; the page must show them as text and never run them. Each sets a global the tests
look for (`window.__pwned`), so "did not run" is observable, not inferred.
"""

from __future__ import annotations

from typing import Any, Dict, List

from edgequake_harness.judge.compare import Diff
from edgequake_harness.judge.outcomes import CaseResult, Outcome
from edgequake_harness.report import compat as reports

SCRIPT = "<script>window.__pwned = 'script';</script>"
IMG = '"><img src=x onerror="window.__pwned=\'img\'">'
CLOSE = "</script><script>window.__pwned='json'</script>"
HOSTILE = (SCRIPT, IMG, CLOSE)


def _side(content: str) -> Dict[str, Any]:
    return {
        "response": {"choices": [{"message": {"content": content, "role": "assistant"}}]},
        "chunks": [{"choices": [{"delta": {"content": part}}]} for part in ("Hel", "lo", content)],
        "chunk_count": 3,
        "requests": [{"method": "POST", "path": "/v1/chat/completions", "json": {"model": "m"}, "auth": []}],
    }


def results() -> List[CaseResult]:
    """One result per outcome (and mode), hostile text in ids, reasons, output and diffs."""
    out = []
    for n, outcome in enumerate(Outcome):
        provider = "openai" if n % 2 == 0 else "anthropic"
        feature = "chat" if n < 4 else "stream"
        evidence: Dict[str, Any] = {"both": _side("Hello")}
        diffs: List[Diff] = []
        registered: List[Dict[str, Any]] = []
        if outcome is Outcome.DIVERGED:
            evidence = {"reference": _side("Hello " + SCRIPT), "candidate": _side("Hello " + IMG)}
            diffs = [Diff("values_changed", "response.choices[0].message.content", SCRIPT, IMG)]
        if outcome is Outcome.REGISTERED:
            diff = Diff("values_changed", "response.usage.cost", 1.0, 2.0).to_json()
            entry = {"case": "openai/chat/*", "path": "response.usage.cost", "reason": "litellm bug " + IMG}
            registered = [{"diff": diff, "entry": entry}]
        out.append(
            CaseResult(
                id=f"{provider}/{feature}/{outcome.value}-{SCRIPT if outcome is Outcome.DIVERGED else 'x'}",
                provider=provider,
                feature=feature,
                name=outcome.value,
                cassette=f"cassettes/{provider}/{feature}/{outcome.value}.yaml",
                outcome=outcome,
                reason=None if outcome is Outcome.CONFORMANT else f"because {IMG}",
                diffs=diffs,
                registered=registered,
                call=f"completion(model='gpt-4o', stream=False) [{'async' if n % 3 == 0 else 'sync'}]",
                mode="async" if n % 3 == 0 else "sync",
                evidence=None if outcome is Outcome.SKIPPED else evidence,
            )
        )
    # The conformant case again in sync, seeing the same: the report carries its evidence once.
    twin = out[0]
    out.append(
        CaseResult(**{**twin.__dict__, "mode": "sync", "call": twin.call.replace("[async]", "[sync]")})
    )
    # A provider whose very name would close a script element if the JSON block were not escaped.
    out.append(
        CaseResult(
            id="evil/chat/closing",
            provider="evil" + CLOSE,
            feature="chat",
            name="closing",
            cassette="cassettes/evil/chat/closing.yaml",
            outcome=Outcome.CONFORMANT,
            mode="sync/env",
            evidence={"both": _side(CLOSE)},
        )
    )
    return out


def report(started: str = "2026-12-01T10:00:00+00:00") -> Dict[str, Any]:
    targets = {
        "reference": {"module": "litellm", "version": "1.110.2", "error": None},
        "candidate": {"module": "edgequake", "version": "0.1.0", "error": None},
    }
    stale = [{"case": "old/*", "path": "response.id", "reason": "fixed " + SCRIPT, "cases": []}]
    run = {"started": started, "duration_s": 1.5, "harness": "test", "python": "3.11", "paths": []}
    run["warnings"] = ["a warning " + SCRIPT]
    return reports.build(results(), targets, stale, run)
