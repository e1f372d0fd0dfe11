"""Reports: `compat.json` (versioned schema), a Markdown summary and a terminal summary.

The JSON report is the single source: the Markdown file, the terminal summary, the gate and the
README's conformance table are all rendered from it, never typed by hand.

Schema (version 1):
    schema, schema_version
    run:      started, duration_s, harness, python, platform, paths, filters, policy, registry, warnings
    targets:  {reference|candidate: {module, version, error}}
    summary:  total, outcomes {outcome: n},
              by_provider {provider: {total, outcomes, features {feature: {outcome: n}}}}
    stale_divergences: [{case, path, reason, cases}]
    cases:    [{id, provider, feature, name, cassette, outcome, reason, diffs, registered, call, duration_s,
                labels}]
    coverage: {features, core, providers {provider: {feature: {cases, passing, outcomes}}},
               empty_core [{provider, feature, reason}]}   (report/coverage.py; added in v1, optional)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Sequence

from edgequake_harness.judge.outcomes import FAILING, CaseResult, Outcome
from edgequake_harness.report import coverage as coverage_

SCHEMA = "edgequake-harness/compat"
SCHEMA_VERSION = 1
JSON_NAME = "compat.json"
MARKDOWN_NAME = "compat.md"
COLUMNS = [o.value for o in Outcome]


def build(
    results: Sequence[CaseResult],
    targets: Dict[str, Dict[str, Any]],
    stale: Sequence[Dict[str, Any]],
    run: Dict[str, Any],
) -> Dict[str, Any]:
    cases = [r.to_json() for r in sorted(results, key=lambda r: r.id)]
    gaps = coverage_.load_gaps(run.get("paths") or [])
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "run": run,
        "targets": targets,
        "summary": summarise(results),
        "coverage": coverage_.matrix(cases, gaps),
        "stale_divergences": list(stale),
        "cases": cases,
    }


def summarise(results: Sequence[CaseResult]) -> Dict[str, Any]:
    def zero() -> Dict[str, int]:
        return {column: 0 for column in COLUMNS}

    outcomes = zero()
    by_provider: Dict[str, Dict[str, Any]] = {}
    for result in results:
        outcome = result.outcome.value
        outcomes[outcome] += 1
        row = by_provider.setdefault(result.provider, {"total": 0, "outcomes": zero(), "features": {}})
        row["total"] += 1
        row["outcomes"][outcome] += 1
        feature = row["features"].setdefault(result.feature, zero())
        feature[outcome] += 1
    return {"total": len(results), "outcomes": outcomes, "by_provider": dict(sorted(by_provider.items()))}


def write(report: Dict[str, Any], directory: Path) -> List[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    json_path, md_path = directory / JSON_NAME, directory / MARKDOWN_NAME
    json_path.write_text(
        json.dumps(report, indent=2, ensure_ascii=False, default=repr) + "\n", encoding="utf-8"
    )
    md_path.write_text(markdown(report), encoding="utf-8")
    return [json_path, md_path]


def load(path: Path) -> Dict[str, Any]:
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read report ({exc})") from exc
    if report.get("schema") != SCHEMA or report.get("schema_version") != SCHEMA_VERSION:
        raise ValueError(
            f"{path}: not a {SCHEMA} v{SCHEMA_VERSION} report "
            f"(schema={report.get('schema')!r}, version={report.get('schema_version')!r})"
        )
    return report


def results(report: Dict[str, Any]) -> List[CaseResult]:
    return [CaseResult.from_json(case) for case in report["cases"]]


def _targets_line(report: Dict[str, Any]) -> str:
    parts = []
    for role in ("reference", "candidate"):
        target = report["targets"].get(role, {})
        version = target.get("version") or "not loaded"
        parts.append(f"{role} `{target.get('module')}` {version}")
    return ", ".join(parts)


README_START, README_END = "<!-- compat-table:start -->", "<!-- compat-table:end -->"


def table(report: Dict[str, Any]) -> List[str]:
    """The provider x outcome table (Markdown lines): the README's conformance table."""
    summary = report["summary"]
    lines = [
        "| provider | cases | " + " | ".join(c.replace("_", " ") for c in COLUMNS) + " |",
        "|---|---:|" + "---:|" * len(COLUMNS),
    ]
    for provider, row in summary["by_provider"].items():
        counts = " | ".join(str(row["outcomes"][c]) for c in COLUMNS)
        lines.append(f"| {provider} | {row['total']} | {counts} |")
    totals = " | ".join(str(summary["outcomes"][c]) for c in COLUMNS)
    lines.append(f"| **all** | {summary['total']} | {totals} |")
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


def markdown(report: Dict[str, Any], max_diffs: int = 5) -> str:
    summary = report["summary"]
    lines = [
        "# Conformance report",
        "",
        f"{_targets_line(report)}; {summary['total']} cases; run {report['run'].get('started', '?')}.",
        "",
        *table(report),
    ]
    for warning in report["run"].get("warnings", []):
        lines += ["", f"> warning: {warning}"]
    coverage_lines = coverage_.markdown(report.get("coverage"))
    if coverage_lines:
        lines += ["", *coverage_lines]
    if report["stale_divergences"]:
        lines += ["", "## Stale registered divergences (no longer differ)", ""]
        lines += [f"- `{s['case']}` at `{s['path']}`: {s['reason']}" for s in report["stale_divergences"]]
    attention = [c for c in report["cases"] if c["outcome"] not in ("conformant", "registered_divergence")]
    if attention:
        lines += ["", "## Cases that are not conformant", ""]
        for case in attention:
            lines.append(f"- **{case['outcome']}** `{case['id']}`: {case.get('reason') or ''}".rstrip())
            for diff in case["diffs"][:max_diffs]:
                change = f"{_value(diff['reference'])} → {_value(diff['candidate'])}"
                lines.append(f"  - `{diff['path']}` {diff['kind']}: {change}")
            if len(case["diffs"]) > max_diffs:
                lines.append(f"  - … {len(case['diffs']) - max_diffs} more in compat.json")
    return "\n".join(lines) + "\n"


def _value(value: Any, width: int = 80) -> str:
    text = json.dumps(value, ensure_ascii=False, default=repr)
    text = text if len(text) <= width else text[: width - 1] + "…"
    return "`" + text.replace("`", "'") + "`"


def terminal(report: Dict[str, Any], max_cases: int = 20) -> str:
    """A readable plain-text summary with counts per provider; prints nothing itself."""
    summary = report["summary"]
    short = {
        "conformant": "ok",
        "registered_divergence": "registered",
        "delegated": "delegated",
        "skipped": "skipped",
        "reference_error": "ref-error",
        "diverged": "diverged",
        "candidate_error": "cand-error",
    }
    lines = [f"conformance: {_targets_line(report).replace('`', '')}"]
    width = max([len(p) for p in summary["by_provider"]] + [8])
    for provider, row in summary["by_provider"].items():
        counts = ", ".join(f"{row['outcomes'][c]} {short[c]}" for c in COLUMNS if row["outcomes"][c])
        lines.append(f"  {provider:<{width}} {row['total']:>4} cases: {counts}")
    totals = ", ".join(f"{summary['outcomes'][c]} {short[c]}" for c in COLUMNS if summary["outcomes"][c])
    lines.append(f"  {'all':<{width}} {summary['total']:>4} cases: {totals or 'none'}")
    failing = [c for c in report["cases"] if Outcome(c["outcome"]) in FAILING]
    for case in failing[:max_cases]:
        lines.append(f"  {short[case['outcome']]}: {case['id']}: {case.get('reason') or ''}")
    if len(failing) > max_cases:
        lines.append(f"  ... and {len(failing) - max_cases} more (see compat.md)")
    for stale in report["stale_divergences"]:
        lines.append(f"  stale divergence: {stale['case']} {stale['path']} ({stale['reason']})")
    lines.extend(f"  warning: {w}" for w in report["run"].get("warnings", []))
    return "\n".join(lines)
