"""Merge shard reports (`run --shard i/n`, `pytest --compat --compat-shard i/n`) into one report.

The merged report equals the report of the same run unsharded: the same cases in the same order
(`compat.sort_key`), the same summary, coverage and stale divergences. Only what describes one
particular run may differ (`RUN_SPECIFIC`): when it started and how long it took, each case's
`duration_s`, the sandbox's refused-connection counts in `run.warnings` (a library's background
thread dials at whatever time it likes), `run.shard` (absent once merged) and `run.merged`.

What is recomputed rather than copied, and why:
- summary: counts over all results (`compat.summarise`).
- coverage: from all cases; the stated reasons for empty Core cells are those the shards listed
  (a cell empty in the merged report is empty in every shard, so each shard states its reason).
- stale divergences: a shard only sees its own cases, so an entry that covers differences in one
  shard looks stale in another. An entry is stale in the merged report when some shard found it
  stale and no merged result used it; its cases are the union of the shards'.

Refused: reports of different reference/candidate modules or versions, of different selections
(paths, filters, modes, policy, registry), a result (case and mode) in two reports, and, unless
`allow_partial`, a missing shard (named) or a shard set that does not cover the whole selection.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

from edgequake_harness.report import compat as reports
from edgequake_harness.report import coverage as coverage_
from edgequake_harness.run.shard import Shard, from_report

RUN_SPECIFIC = (
    "run.started",
    "run.duration_s",
    "run.warnings",
    "run.refused",
    "run.shard",
    "run.merged",
    "cases[].duration_s",
)
# What every merged report must agree on, besides the targets: the selection that was sharded.
SAME_SELECTION = ("paths", "filters", "modes", "policy", "registry", "harness")


class MergeError(ValueError):
    """Reports that cannot be merged into one run's report; the message says which and why."""


def merge(loaded: Sequence[Tuple[str, Dict[str, Any]]], allow_partial: bool = False) -> Dict[str, Any]:
    """One report from (name, report) pairs; `name` (a path) is only used in messages."""
    if not loaded:
        raise MergeError("nothing to merge: give at least one compat.json")
    _check_same_targets(loaded)
    _check_same_selection(loaded)
    shards = _check_shards(loaded, allow_partial)
    cases = _check_disjoint(loaded)
    if not allow_partial:
        _check_whole(loaded, cases)
    first = loaded[0][1]
    run = _merged_run([report for _, report in loaded], shards)
    results = reports.results({"cases": cases})
    return {
        "schema": reports.SCHEMA,
        "schema_version": reports.SCHEMA_VERSION,
        "run": run,
        "targets": first["targets"],
        "summary": reports.summarise(results),
        "coverage": coverage_.matrix(reports.worst_per_case(cases), _stated_gaps(loaded)),
        "stale_divergences": reports.ordered_stale(_stale(loaded, cases)),
        "cases": cases,
    }


def _describe(target: Dict[str, Any]) -> str:
    return f"{target.get('module')} {target.get('version') or '(not loaded)'}"


def _check_same_targets(loaded: Sequence[Tuple[str, Dict[str, Any]]]) -> None:
    name0, first = loaded[0]
    for role in ("reference", "candidate"):
        want = _describe(first["targets"].get(role, {}))
        for name, report in loaded[1:]:
            got = _describe(report["targets"].get(role, {}))
            if got != want:
                raise MergeError(f"different {role}s: {name0} has {want}, {name} has {got}")


def _check_same_selection(loaded: Sequence[Tuple[str, Dict[str, Any]]]) -> None:
    name0, first = loaded[0]
    for field in SAME_SELECTION:
        for name, report in loaded[1:]:
            if report["run"].get(field) != first["run"].get(field):
                raise MergeError(
                    f"different selections: run.{field} is {first['run'].get(field)!r} in {name0}, "
                    f"{report['run'].get(field)!r} in {name}"
                )


def _check_shards(loaded: Sequence[Tuple[str, Dict[str, Any]]], allow_partial: bool) -> List[Shard]:
    """The shards given, each once, all of the same count, none missing (unless `allow_partial`)."""
    seen: Dict[Shard, str] = {}
    for name, report in loaded:
        shard = from_report(report["run"]) or Shard(1, 1)
        if shard in seen:
            raise MergeError(f"shard {shard} given twice: {seen[shard]} and {name}")
        seen[shard] = name
    counts = sorted({shard.count for shard in seen})
    if len(counts) > 1 and not allow_partial:
        raise MergeError(f"reports from different shardings (of {' and '.join(map(str, counts))} shards)")
    if not allow_partial:
        count = counts[0]
        missing = [f"{i}/{count}" for i in range(1, count + 1) if Shard(i, count) not in seen]
        if missing:
            raise MergeError(f"missing shard(s) {', '.join(missing)} (--allow-partial to merge without)")
    return sorted(seen, key=lambda s: (s.count, s.index))


def _check_disjoint(loaded: Sequence[Tuple[str, Dict[str, Any]]]) -> List[Dict[str, Any]]:
    """Every result once; overlapping reports (a case and mode in two of them) are refused."""
    owner: Dict[Tuple[str, str], str] = {}
    cases: List[Dict[str, Any]] = []
    twice: List[str] = []
    for name, report in loaded:
        for case in report["cases"]:
            key = (case["id"], case.get("mode") or "sync")
            if key in owner:
                twice.append(f"{key[0]} [{key[1]}] ({owner[key]} and {name})")
                continue
            owner[key] = name
            cases.append(case)
    if twice:
        more = f", ... {len(twice) - 5} more" if len(twice) > 5 else ""
        raise MergeError(f"overlapping reports: {len(twice)} result(s) twice: {', '.join(twice[:5])}{more}")
    return sorted(cases, key=reports.sort_key)


def _check_whole(loaded: Sequence[Tuple[str, Dict[str, Any]]], cases: Sequence[Dict[str, Any]]) -> None:
    """Where the shards say how many cases the whole selection has, the merge must have them all."""
    stated = {report["run"]["shard"].get("cases") for _, report in loaded if report["run"].get("shard")}
    stated.discard(None)
    if len(stated) > 1:
        raise MergeError(f"the shards disagree on the selection's size: {sorted(stated)} cases")
    have = len({case["id"] for case in cases})
    if stated and have != next(iter(stated)):
        raise MergeError(f"the shards hold {have} of the selection's {next(iter(stated))} case(s)")


def _stated_gaps(loaded: Sequence[Tuple[str, Dict[str, Any]]]) -> List[Dict[str, str]]:
    gaps: Dict[Tuple[str, str], str] = {}
    for _, report in loaded:
        for gap in (report.get("coverage") or {}).get("empty_core") or []:
            if gap.get("reason"):
                gaps.setdefault((gap["provider"], gap["feature"]), gap["reason"])
    return [{"provider": p, "feature": f, "reason": r} for (p, f), r in gaps.items()]


def _entry(stale: Dict[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in stale.items() if k != "cases"}


def _stale(
    loaded: Sequence[Tuple[str, Dict[str, Any]]], cases: Sequence[Dict[str, Any]]
) -> List[Dict[str, Any]]:
    used = [pair.get("entry") for case in cases for pair in case.get("registered") or []]
    found: List[Dict[str, Any]] = []
    for _, report in loaded:
        for stale in report.get("stale_divergences") or []:
            entry = _entry(stale)
            if entry in used:
                continue  # it covered a difference in another shard: not stale in the whole run
            known = next((f for f in found if _entry(f) == entry), None)
            if known is None:
                found.append({**stale, "cases": list(stale.get("cases") or [])})
            else:
                known["cases"] += [c for c in stale.get("cases") or [] if c not in known["cases"]]
    return found


def _merged_run(shard_reports: Sequence[Dict[str, Any]], shards: Sequence[Shard]) -> Dict[str, Any]:
    from edgequake_harness.run.runner import run_warnings

    first = shard_reports[0]["run"]
    run = {k: v for k, v in first.items() if k != "shard"}
    starts = [r["run"].get("started") for r in shard_reports if r["run"].get("started")]
    run["started"] = min(starts) if starts else None
    durations = [r["run"].get("duration_s") for r in shard_reports]
    # The shards' total time judging (they ran side by side: the wall time was about the longest).
    run["duration_s"] = round(sum(durations), 3) if None not in durations else None
    refused = _refused(shard_reports)
    if refused is not None:
        run["refused"] = refused
        run["warnings"] = run_warnings(shard_reports[0]["targets"], refused)
    else:  # reports from before `run.refused`: keep each warning once
        run["warnings"] = list(dict.fromkeys(w for r in shard_reports for w in r["run"].get("warnings", [])))
    run["platform"] = _one_or_all([r["run"].get("platform") for r in shard_reports])
    run["merged"] = {"shards": [str(s) for s in shards], "reports": len(shard_reports)}
    return run


def _refused(shard_reports: Sequence[Dict[str, Any]]) -> Optional[Dict[str, int]]:
    if any("refused" not in r["run"] for r in shard_reports):
        return None
    total: Dict[str, int] = {}
    for report in shard_reports:
        for what, count in report["run"]["refused"].items():
            total[what] = total.get(what, 0) + int(count)
    return dict(sorted(total.items()))


def _one_or_all(values: Sequence[Any]) -> Any:
    distinct = list(dict.fromkeys(values))
    return distinct[0] if len(distinct) == 1 else "; ".join(map(str, distinct))
