"""The numbers the HTML dashboard shows, computed from a compat.json (no HTML here; report/html.py
renders them with a template).

- The matrix: provider x feature for each mode. A cell's percentage is the share of its *judged*
  results (both sides ran and were compared or the candidate failed: skipped, delegated and
  reference-error results are not judgements of the candidate) that are conformant or registered.
  A cell with nothing judged has no percentage, and says what it holds instead.
- The trend: one point per past report in a history directory (plus the current one), per mode.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from edgequake_harness.report import evidence
from edgequake_harness.report.compat import COLUMNS, load, sort_key

Report = Dict[str, Any]

LABELS = {
    "conformant": "conformant",
    "registered_divergence": "registered",
    "delegated": "delegated",
    "skipped": "skipped",
    "reference_error": "reference error",
    "diverged": "diverged",
    "candidate_error": "candidate error",
    "sandbox_violation": "sandbox violation",
}
GOOD = ("conformant", "registered_divergence")
UNJUDGED = ("delegated", "skipped", "reference_error")
MAX_DIFFS = 60  # per result in the drill-down; the rest are counted
TREND_SIZE = (720, 220, 44)  # width, height, margin of the trend chart (SVG user units)
# One colour per mode line of the trend chart (cycled when a report has more modes).
LINE_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")


def band(pct: Optional[float]) -> str:
    """The colour class of a percentage (CSS in the template)."""
    if pct is None:
        return "na"
    if pct >= 99.95:
        return "p100"
    if pct >= 90:
        return "p90"
    if pct >= 70:
        return "p70"
    if pct >= 40:
        return "p40"
    return "p0"


def percent(outcomes: Dict[str, int]) -> Optional[float]:
    judged = sum(n for o, n in outcomes.items() if o not in UNJUDGED)
    if not judged:
        return None
    return round(100.0 * sum(outcomes.get(o, 0) for o in GOOD) / judged, 1)


@dataclass
class Cell:
    total: int
    outcomes: Dict[str, int]
    pct: Optional[float] = None
    css: str = "na"
    note: str = ""  # what a cell without a percentage holds

    @classmethod
    def of(cls, outcomes: Dict[str, int]) -> Cell:
        counts = {o: int(outcomes.get(o, 0)) for o in COLUMNS}
        pct = percent(counts)
        note = ""
        if pct is None:
            note = ", ".join(f"{n} {LABELS[o]}" for o, n in counts.items() if n) or "empty"
        return cls(sum(counts.values()), counts, pct, band(pct), note)

    @property
    def title(self) -> str:
        return "; ".join(f"{LABELS[o]}: {n}" for o, n in self.outcomes.items() if n) or "no results"


@dataclass
class Matrix:
    mode: str
    features: List[str]
    rows: List[Tuple[str, Dict[str, Cell], Cell]]  # provider, cells by feature, provider total
    columns: Dict[str, Cell]  # feature totals
    total: Cell


def _add(into: Dict[str, int], outcomes: Dict[str, int]) -> None:
    for outcome, n in outcomes.items():
        into[outcome] = into.get(outcome, 0) + int(n)


def matrices(report: Report) -> List[Matrix]:
    summary = report["summary"]
    out = []
    for mode in summary["modes"]:
        by_provider = summary["by_mode"][mode]["by_provider"]
        features = sorted({f for row in by_provider.values() for f in row["features"]})
        rows = []
        columns: Dict[str, Dict[str, int]] = {f: {} for f in features}
        for provider, row in by_provider.items():
            cells = {f: Cell.of(counts) for f, counts in row["features"].items()}
            for f, counts in row["features"].items():
                _add(columns[f], counts)
            rows.append((provider, cells, Cell.of(row["outcomes"])))
        column_cells = {f: Cell.of(c) for f, c in columns.items()}
        out.append(Matrix(mode, features, rows, column_cells, Cell.of(summary["by_mode"][mode]["outcomes"])))
    return out


def pretty(data: Any) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=False, default=repr)


@dataclass
class CaseView:
    index: int
    data: Dict[str, Any]
    diffs: List[Dict[str, Any]]
    more_diffs: int
    registered: List[Dict[str, Any]]
    sides: List[Tuple[str, List[Tuple[str, str]]]] = field(default_factory=list)  # role, (section, JSON)
    same_as: Optional[str] = None  # the mode whose evidence this result shares (not repeated in
    same_index: Optional[int] = None  # the page: the script copies that result's nodes on opening)


def _grouped(registered: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """A case's registered differences by registry entry: a reason is read once, not per path."""
    groups: Dict[Tuple[str, str], Dict[str, Any]] = {}
    for item in registered:
        group = groups.setdefault(
            (item["pattern"], item["reason"]),
            {"pattern": item["pattern"], "reason": item["reason"], "diffs": []},
        )
        group["diffs"].append(item)
    return list(groups.values())


def _sections(observed: Dict[str, Any]) -> List[Tuple[str, str]]:
    """(title, JSON text) per section of one side; the chunk count goes in the chunks' title."""
    out = []
    for name, value in observed.items():
        if name == "chunk_count":
            continue
        title = name
        if name == "chunks" and isinstance(value, list):
            count = observed.get("chunk_count", len(value))
            title = f"chunks ({count})" if len(value) >= count else f"chunks ({count}, the first kept)"
        out.append((title, pretty(value)))
    return out


def cases(report: Report) -> List[CaseView]:
    out = []
    ordered = sorted(report["cases"], key=sort_key)
    where = {(c["id"], str(c.get("mode") or "sync")): i for i, c in enumerate(ordered)}
    for index, case in enumerate(ordered):
        diffs = [
            {**d, "reference": pretty(d.get("reference")), "candidate": pretty(d.get("candidate"))}
            for d in case.get("diffs", [])[:MAX_DIFFS]
        ]
        registered = []
        for item in case.get("registered") or []:
            entry, diff = item.get("entry") or {}, item.get("diff") or {}
            registered.append(
                {
                    "path": diff.get("path") or entry.get("path"),
                    "kind": diff.get("kind", ""),
                    "reference": pretty(diff.get("reference")),
                    "candidate": pretty(diff.get("candidate")),
                    "reason": entry.get("reason", ""),
                    "pattern": entry.get("case", ""),
                }
            )
        sides = []
        same_as = (case.get("evidence") or {}).get(evidence.SAME_AS)
        same_index = where.get((case["id"], str(same_as))) if same_as else None
        if same_index is None:
            for role, observed in (case.get("evidence") or {}).items():
                if role != evidence.SAME_AS:
                    sides.append((str(role), _sections(observed)))
        more = max(0, len(case.get("diffs", [])) - MAX_DIFFS)
        out.append(CaseView(index, case, diffs, more, _grouped(registered), sides, same_as, same_index))
    return out


def registry(report: Report) -> List[Dict[str, Any]]:
    """Each registry entry that applied: pattern, path, reason, and the results it covered."""
    covered: Dict[Tuple[str, str, str], List[str]] = {}
    for case in report["cases"]:
        for item in case.get("registered") or []:
            entry = item.get("entry") or {}
            key = (str(entry.get("case", "?")), str(entry.get("path", "?")), str(entry.get("reason", "")))
            label = f"{case['id']} [{case.get('mode') or 'sync'}]"
            labels = covered.setdefault(key, [])
            if label not in labels:
                labels.append(label)
    return [
        {"pattern": p, "path": path, "reason": reason, "results": labels}
        for (p, path, reason), labels in sorted(covered.items())
    ]


def facets(report: Report) -> Dict[str, List[str]]:
    """The values each filter offers (given to the page's script as JSON)."""
    found = report["cases"]
    return {
        "provider": sorted({str(c["provider"]) for c in found}),
        "feature": sorted({str(c["feature"]) for c in found}),
        "mode": [m for m in report["summary"]["modes"]],
        "outcome": list(COLUMNS),
    }


@dataclass
class TrendPoint:
    started: str
    source: str
    pct: Dict[str, Optional[float]]  # by mode
    total: int


def trend_point(report: Report, source: str) -> TrendPoint:
    by_mode = report["summary"]["by_mode"]
    return TrendPoint(
        str(report["run"].get("started") or "?"),
        source,
        {m: percent(by_mode[m]["outcomes"]) for m in report["summary"]["modes"]},
        int(report["summary"]["total"]),
    )


def history(directory: Optional[Path]) -> Tuple[List[TrendPoint], List[str]]:
    """Trend points from every readable report under `directory`, and why any file was passed over."""
    if directory is None:
        return [], []
    if not directory.is_dir():
        raise ValueError(f"--history {directory}: not a directory")
    points, problems = [], []
    for path in sorted(directory.rglob("*.json")):
        try:
            points.append(trend_point(load(path), str(path.relative_to(directory))))
        except (ValueError, KeyError, TypeError) as exc:
            problems.append(f"{path.name}: {str(exc)[:200]}")
    return points, problems


@dataclass
class Trend:
    width: int
    height: int
    lines: List[Dict[str, Any]]  # {mode, colour, points: "x,y x,y", dots: [{x, y, title}]}
    ticks: List[Dict[str, Any]]  # y axis: {y, label}
    labels: List[Dict[str, Any]]  # x axis: {x, label}


def trend(points: Sequence[TrendPoint], current: TrendPoint) -> Optional[Trend]:
    """The chart's geometry, runs in time order with the current report last; None below two runs."""
    runs = sorted(points, key=lambda p: p.started)
    if not any(p.started == current.started and p.pct == current.pct for p in runs):
        runs.append(current)
    if len(runs) < 2:
        return None
    width, height, margin = TREND_SIZE
    step = (width - 2 * margin) / (len(runs) - 1)

    def y(pct: float) -> float:
        return round(height - margin - (height - 2 * margin) * pct / 100.0, 1)

    modes = list(dict.fromkeys(m for p in runs for m in p.pct))
    lines = []
    for n, mode in enumerate(modes):
        dots = []
        for i, run in enumerate(runs):
            pct = run.pct.get(mode)
            if pct is not None:
                title = f"{run.started} {mode}: {pct}% ({run.total} results, {run.source})"
                dots.append({"x": round(margin + i * step, 1), "y": y(pct), "title": title})
        points_attr = " ".join(f"{d['x']},{d['y']}" for d in dots)
        lines.append(
            {"mode": mode, "colour": LINE_COLOURS[n % len(LINE_COLOURS)], "points": points_attr, "dots": dots}
        )
    ticks = [{"y": y(v), "label": f"{v}%"} for v in (0, 25, 50, 75, 100)]
    every = max(1, len(runs) // 6)
    labels = [
        {"x": round(margin + i * step, 1), "label": run.started[:16].replace("T", " ")}
        for i, run in enumerate(runs)
        if i % every == 0 or i == len(runs) - 1
    ]
    return Trend(width, height, lines, ticks, labels)
