"""CLI run/report/gate, the report schema and renderings, with the fast fake targets."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

from edgequake_harness.cli import main
from edgequake_harness.report import compat as reports
from edgequake_harness.report.gate import regressions


def cli(*argv: str) -> Tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def run(cases: Path, report_dir: Path, candidate: str = "fake_llm", *extra: str) -> Tuple[int, str]:
    code, out, _ = cli(
        "run",
        str(cases),
        "--reference",
        "fake_llm",
        "--candidate",
        candidate,
        "--report-dir",
        str(report_dir),
        "--no-progress",
        *extra,
    )
    return code, out


def test_run_writes_versioned_json_markdown_and_terminal_summary(openai_cases: Path, tmp_path: Path) -> None:
    code, out = run(openai_cases, tmp_path / "reports")
    assert code == 0
    report = reports.load(tmp_path / "reports" / "compat.json")
    assert (report["schema"], report["schema_version"]) == ("edgequake-harness/compat", 1)
    assert report["targets"]["reference"] == {"module": "fake_llm", "version": "0.0.1", "error": None}
    assert report["summary"]["by_provider"]["openai"]["features"]["stream"]["conformant"] == 1
    assert report["summary"]["outcomes"]["conformant"] == 3
    assert {c["id"] for c in report["cases"]} == {
        "openai/chat/chat",
        "openai/stream/stream",
        "openai/error/missing",
    }
    assert "openai" in out and "3 ok" in out
    markdown = (tmp_path / "reports" / "compat.md").read_text()
    assert "| openai | 3 | 3 |" in markdown


def test_filters_and_keyword(openai_cases: Path, tmp_path: Path) -> None:
    run(
        openai_cases, tmp_path / "r", "fake_llm", "--feature", "stream", "--feature", "chat", "-k", "not chat"
    )
    assert [c["id"] for c in reports.load(tmp_path / "r" / "compat.json")["cases"]] == [
        "openai/stream/stream"
    ]


def test_drift_fails_run_and_gate_lists_each_worse_case(
    openai_cases: Path, tmp_path: Path, fake_drift: Any
) -> None:
    assert run(openai_cases, tmp_path / "base")[0] == 0
    baseline = tmp_path / "base" / "compat.json"
    code, out, _ = cli("gate", "--baseline", str(baseline), "--report", str(baseline))
    assert (code, out.strip()) == (0, f"gate: passed against {baseline}")

    fake_drift.MUTATE_RESPONSE = lambda body: {**body, "model": "seeded-regression"}
    code, out = run(openai_cases, tmp_path / "now", "fake_drift")
    assert code == 1 and "diverged: openai/chat/chat" in out
    code, out, _ = cli("gate", "--baseline", str(baseline), "--report", str(tmp_path / "now" / "compat.json"))
    assert code == 1
    assert "openai/chat/chat: conformant -> diverged" in out
    assert "response.model" in out


def test_gate_rules() -> None:
    def report(*cases: Tuple[str, str, List[str]], stale: Any = ()) -> Dict[str, Any]:
        return {
            "cases": [
                {"id": i, "outcome": o, "reason": None, "diffs": [{"path": p} for p in paths]}
                for i, o, paths in cases
            ],
            "stale_divergences": list(stale),
        }

    baseline = report(
        ("a", "diverged", ["x"]), ("b", "skipped", []), ("c", "conformant", []), ("d", "diverged", ["y"])
    )
    current = report(
        ("a", "diverged", ["x", "z"]),  # new difference
        ("b", "conformant", []),  # better: fine
        ("d", "candidate_error", []),  # worse
        stale=[{"case": "e/*", "path": "response.id", "reason": "r"}],
    )
    assert [r.describe() for r in regressions(current, baseline)] == [
        "a: new differences at z",
        "c: missing from this run (was conformant)",
        "d: diverged -> candidate_error",
        "e/*: stale registered divergence at response.id: r",
    ]


def test_report_rerenders_from_json(openai_cases: Path, tmp_path: Path) -> None:
    run(openai_cases, tmp_path / "r")
    (tmp_path / "r" / "compat.md").unlink()
    code, out, _ = cli("report", "--from", str(tmp_path / "r" / "compat.json"))
    assert code == 0 and (tmp_path / "r" / "compat.md").exists() and "all" in out


def test_report_rewrites_the_readme_table(openai_cases: Path, tmp_path: Path) -> None:
    run(openai_cases, tmp_path / "r")
    readme = tmp_path / "README.md"
    readme.write_text("intro\n<!-- compat-table:start -->\nhand-typed\n<!-- compat-table:end -->\noutro\n")
    code, _, _ = cli("report", "--from", str(tmp_path / "r" / "compat.json"), "--readme", str(readme))
    text = readme.read_text()
    assert code == 0 and "hand-typed" not in text and "| openai | 3 | 3 |" in text
    assert text.startswith("intro\n") and text.endswith("<!-- compat-table:end -->\noutro\n")
    readme.write_text("no markers")
    assert cli("report", "--from", str(tmp_path / "r" / "compat.json"), "--readme", str(readme))[0] == 2


def test_bad_inputs_exit_2_with_a_message(tmp_path: Path) -> None:
    code, _, err = cli("run", str(tmp_path / "nope"), "--no-progress")
    assert code == 2 and "no such cassette path" in err
    bogus = tmp_path / "bogus.json"
    bogus.write_text(json.dumps({"schema": "other", "schema_version": 9}))
    code, _, err = cli("gate", "--baseline", str(bogus), "--report", str(bogus))
    assert code == 2 and "not a edgequake-harness/compat v1 report" in err


def test_python_dash_m_edgequake_harness_help() -> None:
    repo = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-m", "edgequake_harness", "--help"], cwd=repo, capture_output=True, text=True
    )
    assert done.returncode == 0 and "run" in done.stdout and "gate" in done.stdout


def test_a_default_run_writes_where_the_checkout_stays_clean(
    openai_cases: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    # The default report dir is relative to where the harness runs; in the checkout it is git-ignored.
    repo = Path(__file__).resolve().parents[2]
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli(
        "run", str(openai_cases), "--reference", "fake_llm", "--candidate", "fake_llm", "--no-progress"
    )
    assert code == 0 and (tmp_path / "reports" / "latest" / "compat.json").is_file(), out
    if not (repo / ".git").exists():
        return  # an unpacked sdist: nothing to keep clean
    ignored = subprocess.run(
        ["git", "check-ignore", "reports/latest/compat.json", "reports/latest/compat.md"],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert len(ignored.stdout.split()) == 2, "reports/latest/ must be git-ignored"
