"""Reports: `compat.json` (versioned schema), a Markdown summary and a terminal summary.

The JSON report is the single source: the Markdown file, the terminal summary, the gate and the
README's conformance table are all rendered from it, never typed by hand.

Schema (version 2): one result per case and consumption mode (sync: `completion()` and `for`; async:
`acompletion()` and `async for`); a result is identified by (`id`, `mode`).
    schema, schema_version
    run:      started, duration_s, harness, python, platform, paths, filters, modes, policy, registry,
              warnings, refused {what: n}, [shard {index, count, [cases]}] (a `--shard` run),
              [merged {shards, reports}] (a `merge` of shard reports: report/merge.py)
    targets:  {reference|candidate: {module, version, error}}
    summary:  total, outcomes {outcome: n}            (every result, all modes together)
              modes [mode, ...]                       (the modes with results, in MODES order)
              by_mode {mode: {total, outcomes, by_provider {provider: {total, outcomes,
                                                                      features {feature: {outcome: n}}}}}}
    stale_divergences: [{case, path, reason, [mode], cases ["<id> [<mode>]", ...]}]
    cases:    [{id, mode, provider, feature, name, cassette, outcome, reason, diffs, registered, call,
                duration_s, labels, [evidence]}]      (sorted by id, then mode; evidence: what each
                                                       side did, bounded, report/evidence.py)
    coverage: {features, core, providers {provider: {feature: {cases, passing, outcomes}}},
               empty_core [{provider, feature, reason}]}   (report/coverage.py; a case counts once,
                                                             with its worst outcome over the modes)

Version 1 (before modes were judged side by side: one result per case, `run.mode`, summary
`by_provider` at the top) still loads: `load()` upgrades it in memory, each case in the mode it ran
(`[async]` at the end of its `call`, else sync), so `report` and `gate` read an old baseline as is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from edgequake_harness.cassettes.case import MODES
from edgequake_harness.judge.outcomes import FAILING, RANK, CaseResult, Outcome
from edgequake_harness.modes import SEPARATOR
from edgequake_harness.report import coverage as coverage_
from edgequake_harness.report import evidence as evidence_
from edgequake_harness.report import markdown as markdown_

SCHEMA = "edgequake-harness/compat"
SCHEMA_VERSION = 2
READABLE_VERSIONS = (1, 2)
JSON_NAME = "compat.json"
MARKDOWN_NAME = "compat.md"
COLUMNS = [o.value for o in Outcome]


def sort_key(case: Dict[str, Any]) -> Tuple[str, int]:
    mode = case.get("mode") or MODES[0]
    return case["id"], MODES.index(mode) if mode in MODES else len(MODES)


def build(
    results: Sequence[CaseResult],
    targets: Dict[str, Dict[str, Any]],
    stale: Sequence[Dict[str, Any]],
    run: Dict[str, Any],
) -> Dict[str, Any]:
    cases = evidence_.shared(sorted((r.to_json() for r in results), key=sort_key))
    gaps = coverage_.load_gaps(run.get("paths") or [])
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "run": run,
        "targets": targets,
        "summary": summarise(results),
        "coverage": coverage_.matrix(worst_per_case(cases), gaps),
        "stale_divergences": ordered_stale(stale),
        "cases": cases,
    }


def ordered_stale(stale: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Stale entries in one order whatever order the results came in (run order, xdist workers,
    merged shards): by entry, each entry's cases by case id and mode."""

    def label_key(label: str) -> Tuple[str, int]:
        case_id, _, mode = str(label).rpartition(" [")
        return sort_key({"id": case_id, "mode": mode.rstrip("]")})

    out = [{**s, "cases": sorted(s.get("cases") or [], key=label_key)} for s in stale]
    return sorted(out, key=lambda s: (s["case"], s["path"], s.get("mode") or "", s["reason"]))


def _zero() -> Dict[str, int]:
    return {column: 0 for column in COLUMNS}


def summarise(results: Sequence[CaseResult]) -> Dict[str, Any]:
    outcomes = _zero()
    by_mode: Dict[str, Dict[str, Any]] = {}
    for result in results:
        outcome = result.outcome.value
        outcomes[outcome] += 1
        mode = by_mode.setdefault(result.mode, {"total": 0, "outcomes": _zero(), "by_provider": {}})
        mode["total"] += 1
        mode["outcomes"][outcome] += 1
        blank = {"total": 0, "outcomes": _zero(), "features": {}}
        row = mode["by_provider"].setdefault(result.provider, blank)
        row["total"] += 1
        row["outcomes"][outcome] += 1
        row["features"].setdefault(result.feature, _zero())[outcome] += 1
    modes = [m for m in MODES if m in by_mode] + sorted(set(by_mode) - set(MODES))
    for mode in by_mode.values():
        mode["by_provider"] = dict(sorted(mode["by_provider"].items()))
    return {
        "total": len(results),
        "outcomes": outcomes,
        "modes": modes,
        "by_mode": {m: by_mode[m] for m in modes},
    }


def worst_per_case(cases: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """One entry per case id, carrying the worst outcome over its modes (for coverage)."""
    worst: Dict[str, Dict[str, Any]] = {}
    for case in cases:
        known = worst.get(case["id"])
        if known is None or RANK[Outcome(case["outcome"])] > RANK[Outcome(known["outcome"])]:
            worst[case["id"]] = case
    return list(worst.values())


def write(report: Dict[str, Any], directory: Path, history: Optional[Path] = None) -> List[Path]:
    """compat.json, compat.md and, when jinja2 is installed (the `compat` extra), compat.html with a
    trend over the reports under `history`."""
    from edgequake_harness.report import html as html_

    directory.mkdir(parents=True, exist_ok=True)
    json_path, md_path = directory / JSON_NAME, directory / MARKDOWN_NAME
    json_path.write_text(
        json.dumps(report, indent=2, ensure_ascii=False, default=repr) + "\n", encoding="utf-8"
    )
    md_path.write_text(markdown(report), encoding="utf-8")
    written = [json_path, md_path]
    if html_.available():
        written.append(html_.write(report, directory, history))
    return written


def load(path: Path) -> Dict[str, Any]:
    """A report of any readable version, in the current shape (a v1 report is upgraded in memory)."""
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read report ({exc})") from exc
    if report.get("schema") != SCHEMA or report.get("schema_version") not in READABLE_VERSIONS:
        raise ValueError(
            f"{path}: not a {SCHEMA} v{' or v'.join(map(str, READABLE_VERSIONS))} report "
            f"(schema={report.get('schema')!r}, version={report.get('schema_version')!r})"
        )
    return upgrade(report) if report["schema_version"] == 1 else report


def upgrade(report: Dict[str, Any]) -> Dict[str, Any]:
    """A v1 report in the v2 shape: each case gets the mode it ran in; the summary is recounted."""
    out = dict(report)
    cases = []
    for case in report["cases"]:
        mode = "async" if str(case.get("call") or "").endswith("[async]") else "sync"
        cases.append({"id": case["id"], "mode": mode, **{k: v for k, v in case.items() if k != "id"}})
    run = {k: v for k, v in report.get("run", {}).items() if k != "mode"}
    out.update(
        schema_version=SCHEMA_VERSION,
        upgraded_from=1,
        run={**run, "modes": sorted({c["mode"] for c in cases}, key=MODES.index) or ["sync"]},
        cases=sorted(cases, key=sort_key),
    )
    out["summary"] = summarise(results(out))
    return out


def results(report: Dict[str, Any]) -> List[CaseResult]:
    return [CaseResult.from_json(case) for case in report["cases"]]


def _targets_line(report: Dict[str, Any]) -> str:
    parts = []
    for role in ("reference", "candidate"):
        target = report["targets"].get(role, {})
        version = target.get("version") or "not loaded"
        parts.append(f"{role} `{target.get('module')}` {version}")
    return ", ".join(parts)


def _label(case: Dict[str, Any]) -> str:
    return f"{case['id']} [{case.get('mode') or 'sync'}]"


README_START, README_END = "<!-- compat-table:start -->", "<!-- compat-table:end -->"


def table(report: Dict[str, Any]) -> List[str]:
    """The provider x mode x outcome table (Markdown lines): the README's conformance table."""
    summary = report["summary"]
    lines = [
        "| provider | mode | cases | " + " | ".join(c.replace("_", " ") for c in COLUMNS) + " |",
        "|---|---|---:|" + "---:|" * len(COLUMNS),
    ]
    modes = [m for m in summary["modes"] if SEPARATOR not in m]
    variant_modes = [m for m in summary["modes"] if SEPARATOR in m]
    providers = sorted({p for m in summary["modes"] for p in summary["by_mode"][m]["by_provider"]})

    def row_line(name: str, mode: str, rows: List[Dict[str, Any]]) -> str:
        total = sum(r["total"] for r in rows)
        counts = " | ".join(str(sum(r["outcomes"][c] for r in rows)) for c in COLUMNS)
        return f"| {name} | {mode} | {total} | {counts} |"

    # The call variants (sync/globals, sync/env, sync/library-args) share one row per provider.
    variants_label = "call variants" if variant_modes else ""
    for provider in providers:
        for mode in modes:
            row = summary["by_mode"][mode]["by_provider"].get(provider)
            if row is not None:
                lines.append(row_line(markdown_.text(provider), mode, [row]))
        rows = [r for r in (summary["by_mode"][m]["by_provider"].get(provider) for m in variant_modes) if r]
        if rows:
            lines.append(row_line(markdown_.text(provider), variants_label, rows))
    for mode in modes:
        lines.append(row_line("**all**", mode, [summary["by_mode"][mode]]))
    if variant_modes:
        lines.append(row_line("**all**", variants_label, [summary["by_mode"][m] for m in variant_modes]))
    return lines


def update_readme(text: str, report: Dict[str, Any]) -> str:
    """Replace what lies between the compat-table markers with the generated table."""
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"README has no {README_START} ... {README_END} markers")
    generated = "\n".join(
        [
            README_START,
            f"<!-- generated by `python -m edgequake_harness report --readme`; {_targets_line(report)} -->",
            *table(report),
            README_END,
        ]
    )
    return text[:start] + generated + text[end + len(README_END) :]


def _modes_phrase(report: Dict[str, Any]) -> str:
    summary = report["summary"]
    per_mode = ", ".join(f"{summary['by_mode'][m]['total']} {m}" for m in summary["modes"])
    return f"{summary['total']} results ({per_mode})" if per_mode else "no results"


def markdown(report: Dict[str, Any], max_diffs: int = 5) -> str:
    header = [
        "# Conformance report",
        "",
        f"{_targets_line(report)}; {_modes_phrase(report)}; run {report['run'].get('started', '?')}.",
        "Each case is judged in each consumption mode: sync (`completion()`, a stream read with `for`)",
        "and async (`acompletion()`, a stream read with `async for`), then in the call variants that",
        "apply to it (sync): key and base URL from module globals (`sync/globals`), from the environment",
        "(`sync/env`), and with the litellm-only arguments libraries pass (`sync/library-args`).",
        "",
        *table(report),
    ]
    return markdown_.render(report, header, coverage_.markdown(report.get("coverage")), max_diffs)


SHORT = {
    "conformant": "ok",
    "registered_divergence": "registered",
    "delegated": "delegated",
    "skipped": "skipped",
    "reference_error": "ref-error",
    "diverged": "diverged",
    "candidate_error": "cand-error",
    "sandbox_violation": "sandbox",
}


def _counts(outcomes: Dict[str, int]) -> str:
    return ", ".join(f"{outcomes[c]} {SHORT[c]}" for c in COLUMNS if outcomes[c]) or "none"


def terminal(report: Dict[str, Any], max_cases: int = 20) -> str:
    """A readable plain-text summary with counts per provider and mode; prints nothing itself."""
    summary = report["summary"]
    modes = summary["modes"]
    lines = [f"conformance: {_targets_line(report).replace('`', '')}; modes: {', '.join(modes) or 'none'}"]
    providers = sorted({p for m in modes for p in summary["by_mode"][m]["by_provider"]})
    width = max([len(p) for p in providers] + [8])
    for provider in providers:
        rows = [(m, summary["by_mode"][m]["by_provider"].get(provider)) for m in modes]
        total = max(row["total"] for _, row in rows if row)
        counts = "; ".join(f"{m}: {_counts(row['outcomes'])}" for m, row in rows if row)
        lines.append(f"  {provider:<{width}} {total:>4} cases  {counts}")
    if modes:
        total = max(summary["by_mode"][m]["total"] for m in modes)
        counts = "; ".join(f"{m}: {_counts(summary['by_mode'][m]['outcomes'])}" for m in modes)
        lines.append(f"  {'all':<{width}} {total:>4} cases  {counts}")
    else:
        lines.append(f"  {'all':<{width}}    0 cases")
    lines.extend(notes(report, max_cases))
    return "\n".join(lines)


def notes(report: Dict[str, Any], max_cases: int = 20) -> List[str]:
    """The summary's lines after the counts: failing results, stale entries, run warnings."""
    lines = []
    failing = [c for c in report["cases"] if Outcome(c["outcome"]) in FAILING]
    for case in failing[:max_cases]:
        lines.append(f"  {SHORT[case['outcome']]}: {_label(case)}: {case.get('reason') or ''}")
    if len(failing) > max_cases:
        lines.append(f"  ... and {len(failing) - max_cases} more (see compat.md)")
    for stale in report["stale_divergences"]:
        lines.append(f"  stale divergence: {stale['case']} {stale['path']} ({stale['reason']})")
    lines.extend(f"  warning: {w}" for w in report["run"].get("warnings", []))
    return lines
