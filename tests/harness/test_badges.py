"""Badges: an SVG per provider and for the run, drawn offline from a report; the README badge line."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Dict, List

from edgequake_harness.cli import main
from edgequake_harness.report import badges
from edgequake_harness.report import compat as reports

SVG = "{http://www.w3.org/2000/svg}"


def _report(outcomes: Dict[str, List[str]]) -> Dict[str, Any]:
    blank = {"feature": "chat", "cassette": "x.yaml", "reason": None, "diffs": [], "registered": []}
    cases = [
        {**blank, "id": f"{provider}/chat/c{i}", "mode": "sync", "provider": provider, "name": f"c{i}",
         "outcome": outcome, "call": None, "duration_s": 0.0, "labels": ["chat"]}
        for provider, listed in outcomes.items()
        for i, outcome in enumerate(listed)
    ]  # fmt: skip
    targets = {"reference": {"module": "litellm", "version": "1.110.2"}, "candidate": {"module": "edgequake"}}
    return reports.build(reports.results({"cases": cases}), targets, [], {"started": "now"})


REPORT = _report(
    {
        "openai": ["conformant"] * 9 + ["registered_divergence"],  # 100%
        "groq": ["conformant"] * 8 + ["diverged", "skipped", "reference_error"],  # 8/9 judged
        "cohere": ["conformant", "delegated"],  # delegated counts against
        "empty<x>": ["skipped"],  # nothing judged; a hostile directory name stays text
    }
)


def _texts(path: Path) -> List[str]:
    root = ET.parse(path).getroot()
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_a_badge_per_provider_and_one_for_the_run(tmp_path: Path) -> None:
    written = badges.write(REPORT, tmp_path / "badges")
    names = ["cohere.svg", "empty_x_.svg", "groq.svg", "openai.svg", "conformance.svg"]
    assert [p.name for p in written] == names
    expected = {
        "openai.svg": ("openai", "100% (10/10)", "#4c1"),
        "groq.svg": ("groq", "88.9% (8/9)", "#a4a61d"),
        "cohere.svg": ("cohere", "50% (1/2)", "#e05d44"),
        "empty_x_.svg": ("empty<x>", "no results", "#9f9f9f"),
        "conformance.svg": ("conformance", "90.5% (19/21)", "#a4a61d"),
    }
    for path in written:
        label, value, fill = expected[path.name]
        texts = _texts(path)  # each text twice: the shadow and the text
        assert texts == [label, label, value, value]
        root = ET.parse(path).getroot()
        assert root.get("aria-label") == f"{label}: {value}"
        fills = [r.get("fill") for r in root.iter(f"{SVG}rect")]
        assert fills[1:3] == ["#555", fill]
        assert "http" not in path.read_text().replace("http://www.w3.org/2000/svg", "")  # offline
    # Wider text makes a wider badge.
    widths = {p.name: int(ET.parse(p).getroot().get("width", "0")) for p in written}
    assert widths["conformance.svg"] > widths["openai.svg"]


def test_readme_badge_line_between_markers_and_the_cli(tmp_path: Path) -> None:
    report_path = tmp_path / "compat.json"
    reports.write(REPORT, tmp_path)
    readme = tmp_path / "README.md"
    readme.write_text(
        "# x\n\n<!-- compat-badges:start -->\nold\n<!-- compat-badges:end -->\n\n"
        "<!-- compat-table:start -->\n<!-- compat-table:end -->\n"
    )
    out = io.StringIO()
    argv = ["report", "--from", str(report_path), "--readme", str(readme), "--badges", str(tmp_path / "b")]
    assert main(argv, out=out, err=io.StringIO()) == 0
    text = readme.read_text()
    assert "old" not in text
    line = text.split("<!-- compat-badges:start -->\n")[1].split("\n")[1]
    assert line == (
        "![conformance](b/conformance.svg) ![cohere](b/cohere.svg) ![emptyx](b/empty_x_.svg) "
        "![groq](b/groq.svg) ![openai](b/openai.svg)"
    )
    assert "| openai | sync | 10 |" in text  # the table is regenerated in the same command
    assert (tmp_path / "b" / "openai.svg").is_file()
    assert "badges: 5 in" in out.getvalue() and "readme badges:" in out.getvalue()
    # A README without the badge markers keeps its table generation working and is left as is there.
    plain = tmp_path / "PLAIN.md"
    plain.write_text("<!-- compat-table:start -->\n<!-- compat-table:end -->\n")
    argv = ["report", "--from", str(report_path), "--readme", str(plain), "--badges", str(tmp_path / "b")]
    assert main(argv, out=io.StringIO(), err=io.StringIO()) == 0
    assert "compat-badges" not in plain.read_text()


def test_the_repository_readme_has_the_badge_markers() -> None:
    readme = Path(__file__).resolve().parents[2] / "README.md"
    assert badges.has_markers(readme.read_text(encoding="utf-8"))
