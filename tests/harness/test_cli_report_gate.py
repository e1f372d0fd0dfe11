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
        "--no-call-variants",  # the variants have tests of their own (test_runner, test_honesty)
        *extra,
    )
    return code, out


def test_run_writes_versioned_json_markdown_and_terminal_summary(openai_cases: Path, tmp_path: Path) -> None:
    code, out = run(openai_cases, tmp_path / "reports")
    assert code == 0
    report = reports.load(tmp_path / "reports" / "compat.json")
    assert (report["schema"], report["schema_version"]) == ("edgequake-harness/compat", 2)
    assert report["targets"]["reference"] == {"module": "fake_llm", "version": "0.0.1", "error": None}
    assert report["run"]["modes"] == ["sync", "async"]
    summary = report["summary"]
    assert (summary["total"], summary["outcomes"]["conformant"], summary["modes"]) == (
        6,
        6,
        ["sync", "async"],
    )
    for mode in ("sync", "async"):
        by_mode = summary["by_mode"][mode]
        assert (by_mode["total"], by_mode["outcomes"]["conformant"]) == (3, 3)
        assert by_mode["by_provider"]["openai"]["features"]["stream"]["conformant"] == 1
    assert [(c["id"], c["mode"]) for c in report["cases"]] == [
        (case_id, mode)
        for case_id in ("openai/chat/chat", "openai/error/missing", "openai/stream/stream")
        for mode in ("sync", "async")
    ]
    # A case counts once in coverage, whatever the number of modes.
    assert report["coverage"]["providers"]["openai"]["stream"] == {
        "cases": 1,
        "passing": 1,
        "outcomes": {"conformant": 1},
    }
    assert "openai" in out and "sync: 3 ok; async: 3 ok" in out
    markdown = (tmp_path / "reports" / "compat.md").read_text()
    assert "| openai | sync | 3 | 3 |" in markdown and "| openai | async | 3 | 3 |" in markdown
    assert "| **all** | async | 3 | 3 |" in markdown


def test_mode_restricts_the_report_to_that_mode(openai_cases: Path, tmp_path: Path) -> None:
    run(openai_cases, tmp_path / "r", "fake_llm", "--mode", "async")
    report = reports.load(tmp_path / "r" / "compat.json")
    assert report["summary"]["modes"] == ["async"] and report["run"]["modes"] == ["async"]
    assert {c["mode"] for c in report["cases"]} == {"async"}
    assert "| openai | sync |" not in (tmp_path / "r" / "compat.md").read_text()


def test_filters_and_keyword(openai_cases: Path, tmp_path: Path) -> None:
    run(
        openai_cases, tmp_path / "r", "fake_llm", "--feature", "stream", "--feature", "chat", "-k", "not chat"
    )
    assert [(c["id"], c["mode"]) for c in reports.load(tmp_path / "r" / "compat.json")["cases"]] == [
        ("openai/stream/stream", "sync"),
        ("openai/stream/stream", "async"),
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
    assert code == 1 and "diverged: openai/chat/chat [sync]" in out
    assert "diverged: openai/chat/chat [async]" in out
    code, out, _ = cli("gate", "--baseline", str(baseline), "--report", str(tmp_path / "now" / "compat.json"))
    assert code == 1
    assert "openai/chat/chat [sync]: conformant -> diverged" in out
    assert "openai/chat/chat [async]: conformant -> diverged" in out
    assert "response.model" in out


def test_gate_gates_each_mode(openai_cases: Path, tmp_path: Path, fake_drift: Any) -> None:
    assert run(openai_cases, tmp_path / "base")[0] == 0
    baseline = str(tmp_path / "base" / "compat.json")

    # A run of one mode only: the other mode was not judged, one regression for it.
    run(openai_cases, tmp_path / "sync", "fake_llm", "--mode", "sync")
    code, out, _ = cli("gate", "--baseline", baseline, "--report", str(tmp_path / "sync" / "compat.json"))
    assert code == 1
    assert out.splitlines()[1:] == ["  [async]: mode not judged in this run (3 case(s) in the baseline)"]

    # Worse in async only: only the async results are regressions.
    import fake_llm

    async def async_drift(**kwargs: Any) -> Any:
        return await fake_llm.acompletion(_mutate_response=lambda b: {**b, "model": "x"}, **kwargs)

    fake_drift.acompletion, original = async_drift, fake_drift.acompletion
    try:
        run(openai_cases, tmp_path / "now", "fake_drift")
    finally:
        fake_drift.acompletion = original
    code, out, _ = cli("gate", "--baseline", baseline, "--report", str(tmp_path / "now" / "compat.json"))
    assert code == 1
    assert out.splitlines()[1:] == [
        "  openai/chat/chat [async]: conformant -> diverged (1 difference(s); "
        "first at response.model (values_changed))"
    ]


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
        "a [sync]: new differences at z",
        "c [sync]: missing from this run (was conformant)",
        "d [sync]: diverged -> candidate_error",
        "e/*: stale registered divergence at response.id: r",
    ]
    # Results are matched by case and mode: an async result never stands in for a sync one.
    both = report(("a", "conformant", []))
    both["cases"].append({"id": "a", "mode": "async", "outcome": "conformant", "reason": None, "diffs": []})
    only_async = {"cases": [both["cases"][1]], "stale_divergences": []}
    only_async["cases"].append({"id": "b", "mode": "sync", "outcome": "conformant", "diffs": []})
    assert [r.describe() for r in regressions(only_async, both)] == [
        "a [sync]: missing from this run (was conformant)"
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
    assert code == 0 and "hand-typed" not in text and "| openai | sync | 3 | 3 |" in text
    assert "| provider | mode | cases |" in text and "| openai | async | 3 | 3 |" in text
    assert text.startswith("intro\n") and text.endswith("<!-- compat-table:end -->\noutro\n")
    readme.write_text("no markers")
    assert cli("report", "--from", str(tmp_path / "r" / "compat.json"), "--readme", str(readme))[0] == 2


def test_bad_inputs_exit_2_with_a_message(tmp_path: Path) -> None:
    code, _, err = cli("run", str(tmp_path / "nope"), "--no-progress")
    assert code == 2 and "no such cassette path" in err
    bogus = tmp_path / "bogus.json"
    bogus.write_text(json.dumps({"schema": "other", "schema_version": 9}))
    code, _, err = cli("gate", "--baseline", str(bogus), "--report", str(bogus))
    assert code == 2 and "not a edgequake-harness/compat v1 or v2 report" in err


def _as_version_1(report: Dict[str, Any]) -> Dict[str, Any]:
    """A single-mode report the way schema version 1 wrote it (no modes, summary by_provider)."""
    cases = [{k: v for k, v in c.items() if k != "mode"} for c in report["cases"]]
    (mode,) = report["summary"]["modes"]
    summary = report["summary"]["by_mode"][mode]
    run = {k: v for k, v in report["run"].items() if k != "modes"}
    return {
        **report,
        "schema_version": 1,
        "run": {**run, "mode": "per case"},
        "summary": {
            "total": summary["total"],
            "outcomes": summary["outcomes"],
            "by_provider": summary["by_provider"],
        },
        "cases": cases,
    }


def test_a_version_1_baseline_is_read_rendered_and_gated(
    openai_cases: Path, tmp_path: Path, fake_drift: Any
) -> None:
    run(openai_cases, tmp_path / "old", "fake_llm", "--mode", "sync")
    old = _as_version_1(json.loads((tmp_path / "old" / "compat.json").read_text()))
    v1 = tmp_path / "baseline-v1.json"
    v1.write_text(json.dumps(old))
    loaded = reports.load(v1)
    assert (loaded["schema_version"], loaded["upgraded_from"], loaded["summary"]["modes"]) == (2, 1, ["sync"])
    assert {c["mode"] for c in loaded["cases"]} == {"sync"}

    code, out, _ = cli("report", "--from", str(v1), "--markdown", str(tmp_path / "v1.md"))
    assert code == 0 and "| openai | sync | 3 | 3 |" in (tmp_path / "v1.md").read_text()

    # Both modes judged now: the v1 baseline gates the sync results, async ones are new.
    run(openai_cases, tmp_path / "now")
    now = str(tmp_path / "now" / "compat.json")
    assert cli("gate", "--baseline", str(v1), "--report", now)[:2] == (0, f"gate: passed against {v1}\n")
    fake_drift.MUTATE_BODY = lambda body: {**body, "seed": 1}
    run(openai_cases, tmp_path / "drift", "fake_drift")
    code, out, _ = cli("gate", "--baseline", str(v1), "--report", str(tmp_path / "drift" / "compat.json"))
    assert code == 1 and "openai/chat/chat [sync]: conformant -> diverged" in out and "[async]" not in out

    # CI requires both modes: a sync-only baseline does not gate async, so it fails the gate.
    code, out, _ = cli("gate", "--baseline", str(v1), "--report", now, "--require-mode", "async")
    assert code == 1 and "[async]: mode not in the baseline" in out
    both = str(tmp_path / "now" / "compat.json")
    required = ("--require-mode", "sync", "--require-mode", "async")
    assert cli("gate", "--baseline", both, "--report", both, *required)[0] == 0


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


def test_report_counts_each_mode_and_coverage_takes_the_worst_mode() -> None:
    from edgequake_harness.judge.outcomes import CaseResult, Outcome

    def result(mode: str, outcome: Outcome) -> CaseResult:
        return CaseResult(
            "openai/chat/x", "openai", "chat", "x", "x.yaml", outcome, labels=["chat"], mode=mode
        )

    built = reports.build(
        [result("async", Outcome.DIVERGED), result("sync", Outcome.CONFORMANT)],
        {"reference": {"module": "r"}, "candidate": {"module": "c"}},
        [],
        {"paths": []},
    )
    assert [(c["id"], c["mode"]) for c in built["cases"]] == [
        ("openai/chat/x", "sync"),
        ("openai/chat/x", "async"),
    ]
    by_mode = built["summary"]["by_mode"]
    assert (by_mode["sync"]["outcomes"]["conformant"], by_mode["async"]["outcomes"]["diverged"]) == (1, 1)
    assert built["coverage"]["providers"]["openai"]["chat"] == {
        "cases": 1,
        "passing": 0,
        "outcomes": {"diverged": 1},
    }
    text = reports.terminal(built)
    assert "openai      1 cases  sync: 1 ok; async: 1 diverged" in text
    assert "diverged: openai/chat/x [async]" in text
    assert "**diverged** `openai/chat/x` [async]" in reports.markdown(built)
