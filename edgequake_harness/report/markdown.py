"""The Markdown summary of a compat.json: what a reviewer reads, so every line must say something.

- A case judged the same way in both modes is one line (`[sync, async]`), not two.
- Delegated cases are one line per provider and reason: the list of ids would only repeat it.
- Registered divergences are listed with their reasons and the cases each entry covers, so the
  deliberate differences are reviewable in the report itself, not only in divergences.yaml.
- Text that comes from cassettes (ids, providers, reasons, values) is escaped: a file name or a skip
  reason must not become HTML or break out of a code span or a table cell.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from typing import Any, Callable, Dict, List, Sequence, Tuple

Case = Dict[str, Any]


def text(value: Any) -> str:
    """Cassette text as Markdown prose or a table cell: no HTML, no cell breaks."""
    return html.escape(str(value), quote=False).replace("|", "\\|")


def code(value: Any) -> str:
    """Cassette text in a code span (where HTML is not interpreted, but a backtick would end it)."""
    return "`" + str(value).replace("`", "'").replace("\n", " ") + "`"


def value(data: Any, width: int = 80) -> str:
    rendered = json.dumps(data, ensure_ascii=False, default=repr)
    return code(rendered if len(rendered) <= width else rendered[: width - 1] + "…")


def _modes(cases: Sequence[Case]) -> str:
    return ", ".join(case.get("mode") or "sync" for case in cases)


def _same_judgement(cases: Sequence[Case]) -> List[List[Case]]:
    """Results grouped by case id when outcome, reason and diffs agree across modes."""
    groups: Dict[Tuple[str, str, str, str], List[Case]] = defaultdict(list)
    for case in cases:
        key = (case["id"], case["outcome"], case.get("reason") or "", json.dumps(case["diffs"], default=repr))
        groups[key].append(case)
    return list(groups.values())


def registered(cases: Sequence[Case]) -> List[str]:
    """Each registry entry that applied, its reason, and the cases (and modes) it covered."""
    covered: Dict[Tuple[str, str, str], List[str]] = defaultdict(list)
    for case in cases:
        for item in case.get("registered") or []:
            entry = item.get("entry") or {}
            key = (str(entry.get("case", "?")), str(entry.get("path", "?")), str(entry.get("reason", "")))
            label = f"{case['id']} [{case.get('mode') or 'sync'}]"
            if label not in covered[key]:
                covered[key].append(label)
    if not covered:
        return []
    lines = ["## Registered divergences", "", "Known, justified differences (`divergences.yaml`):", ""]
    for (pattern, path, reason), labels in sorted(covered.items()):
        lines.append(f"- {code(pattern)} at {code(path)}: {text(reason)}")
        lines.append(f"  - covers {len(labels)} result(s): " + ", ".join(code(label) for label in labels[:6]))
        if len(labels) > 6:
            lines[-1] += f", … {len(labels) - 6} more"
    return lines


def delegated(cases: Sequence[Case]) -> List[str]:
    by_reason: Dict[Tuple[str, str], List[Case]] = defaultdict(list)
    for case in cases:
        by_reason[(case["provider"], case.get("reason") or "")].append(case)
    lines = ["## Delegated (served by the reference implementation, not by the candidate)", ""]
    for (provider, reason), group in sorted(by_reason.items()):
        ids = {case["id"] for case in group}
        lines.append(f"- **{text(provider)}**: {len(ids)} case(s), {len(group)} result(s): {text(reason)}")
    return lines


def attention(cases: Sequence[Case], max_diffs: int) -> List[str]:
    """Every result that is neither conformant, registered nor delegated, with its first diffs."""
    lines = ["## Cases that need attention", ""]
    for group in _same_judgement(cases):
        first = group[0]
        reason = text(first.get("reason") or "")
        lines.append(f"- **{first['outcome']}** {code(first['id'])} [{_modes(group)}]: {reason}")
        for diff in first["diffs"][:max_diffs]:
            change = f"{value(diff['reference'])} → {value(diff['candidate'])}"
            lines.append(f"  - {code(diff['path'])} {text(diff['kind'])}: {change}")
        if len(first["diffs"]) > max_diffs:
            lines.append(f"  - … {len(first['diffs']) - max_diffs} more in compat.json")
    return lines


def render(
    report: Dict[str, Any],
    header: List[str],
    coverage: List[str],
    max_diffs: int = 5,
) -> str:
    """The whole summary: header and table, coverage, stale entries, the registry, what needs a look."""
    lines = list(header)
    for warning in report["run"].get("warnings", []):
        lines += ["", f"> warning: {text(warning)}"]
    if coverage:
        lines += ["", *coverage]
    if report["stale_divergences"]:
        lines += ["", "## Stale registered divergences (no longer differ)", ""]
        lines += [
            f"- {code(s['case'])} at {code(s['path'])}: {text(s['reason'])}"
            for s in report["stale_divergences"]
        ]
    cases: List[Case] = report["cases"]
    sections: List[Tuple[Callable[[Sequence[Case]], List[str]], Sequence[Case]]] = [
        (registered, [c for c in cases if c["outcome"] == "registered_divergence"]),
        (delegated, [c for c in cases if c["outcome"] == "delegated"]),
    ]
    for section, selected in sections:
        if selected:
            lines += ["", *section(selected)]
    rest = [c for c in cases if c["outcome"] not in ("conformant", "registered_divergence", "delegated")]
    if rest:
        lines += ["", *attention(rest, max_diffs)]
    return "\n".join(lines) + "\n"
