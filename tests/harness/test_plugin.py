"""The pytest plugin, driven with pytester: inert without --compat, items, failures, reports, gate."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from inner_pytest import plugin_args, preimport

pytest_plugins = ["pytester"]


@pytest.fixture(scope="module", autouse=True)
def _preimported() -> None:
    import fake_drift  # noqa: F401

    preimport()


@pytest.fixture
def compat(pytester: pytest.Pytester, openai_cases: Path):
    def run(*args: str, candidate: str = "fake_llm", variants: bool = False) -> pytest.RunResult:
        return pytester.runpytest(
            *plugin_args(),
            "--compat",
            f"--compat-dir={openai_cases}",
            "--compat-reference=fake_llm",
            f"--compat-candidate={candidate}",
            f"--compat-report-dir={pytester.path / 'reports'}",
            *(() if variants else ("--compat-no-variants",)),
            *args,
        )

    return run


def test_inert_without_the_option(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_plain():\n    assert True\n")
    result = pytester.runpytest(*plugin_args())
    result.assert_outcomes(passed=1)
    assert "edgequake conformance" not in result.stdout.str()


def test_importing_the_plugin_imports_nothing_heavy() -> None:
    code = (
        "import sys, edgequake_harness.pytest_plugin\n"
        "heavy = [m for m in ('litellm', 'vcr', 'yaml', 'openai', 'httpx') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    repo = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_cases_are_items_per_mode_with_provider_feature_name_ids(compat, pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_unrelated():\n    raise AssertionError('must not run under --compat')\n")
    result = compat("-v")
    result.assert_outcomes(passed=6)
    result.stdout.fnmatch_lines(
        [
            "*compat::openai/chat/chat[[]sync] PASSED*",
            "*compat::openai/chat/chat[[]async] PASSED*",
            "*compat::openai/stream/stream[[]sync] PASSED*",
            "*compat::openai/stream/stream[[]async] PASSED*",
        ]
    )
    result.stdout.fnmatch_lines(["*edgequake conformance*", "*openai*3 cases  sync: 3 ok; async: 3 ok*"])
    report = json.loads((pytester.path / "reports" / "compat.json").read_text())
    assert report["schema_version"] == 2 and report["summary"]["outcomes"]["conformant"] == 6
    assert [(c["id"], c["mode"]) for c in report["cases"]][:2] == [
        ("openai/chat/chat", "sync"),
        ("openai/chat/chat", "async"),
    ]
    assert report["targets"]["candidate"]["module"] == "fake_llm"


def test_missing_cassette_dir_is_a_usage_error(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest(*plugin_args(), "--compat", "--compat-dir=nowhere")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--compat: no such cassette path: nowhere*"])


def test_call_variants_are_items_of_their_own_by_default(compat, pytester: pytest.Pytester) -> None:
    result = compat("-v", "-k", "chat/chat", variants=True)
    result.assert_outcomes(passed=5, deselected=10)
    result.stdout.fnmatch_lines_random(
        [
            f"*compat::openai/chat/chat[[]{mode}] PASSED*"
            for mode in ("sync/globals", "sync/env", "sync/library-args")
        ]
    )


def test_keyword_mode_and_filters_select_items(compat, pytester: pytest.Pytester) -> None:
    compat("-k", "stream").assert_outcomes(passed=2, deselected=4)
    compat("--compat-feature=error").assert_outcomes(passed=2)
    compat("-k", "async").assert_outcomes(passed=3, deselected=3)
    result = compat("--compat-mode=sync", "-v")
    result.assert_outcomes(passed=3)
    assert "[async]" not in result.stdout.str()
    report = json.loads((pytester.path / "reports" / "compat.json").read_text())
    assert report["summary"]["modes"] == ["sync"] and report["run"]["modes"] == ["sync"]


def test_failure_shows_the_diff(compat, fake_drift: Any) -> None:
    fake_drift.MUTATE_RESPONSE = lambda body: {**body, "model": "drifted"}
    result = compat(candidate="fake_drift")
    result.assert_outcomes(passed=4, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*diverged [[]sync]: 1 difference(s); first at response.model*",
            "*response.model: values_changed*drifted*",
        ]
    )
    result.stdout.fnmatch_lines(["*diverged [[]async]: 1 difference(s); first at response.model*"])


def test_unjudgeable_cases_are_skipped_with_the_reason(compat, write_cassette, interaction) -> None:
    write_cassette(
        interaction("https://api.anthropic.com/v1/messages/count_tokens", request={}), provider="anthropic"
    )
    result = compat("-rs")
    result.assert_outcomes(passed=6, skipped=2)
    result.stdout.fnmatch_lines(
        ["*skipped: endpoint POST /v1/messages/count_tokens has no litellm call derivation*"]
    )


def test_baseline_gate_fails_the_session_on_a_seeded_regression(compat, pytester, fake_drift: Any) -> None:
    compat().assert_outcomes(passed=6)
    baseline = pytester.path / "baseline.json"
    (pytester.path / "reports" / "compat.json").rename(baseline)
    compat(f"--compat-baseline={baseline}").stdout.fnmatch_lines(["*gate: passed against*"])
    fake_drift.MUTATE_BODY = lambda body: {**body, "seed": 1}
    result = compat(f"--compat-baseline={baseline}", candidate="fake_drift")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*gate: 6 regression(s)*",
            "*openai/chat/chat [[]sync]: conformant -> diverged*",
            "*openai/chat/chat [[]async]: conformant -> diverged*",
        ]
    )


def test_stale_registered_divergence_fails_the_session(compat, pytester, tmp_path: Path) -> None:
    registry = tmp_path / "divergences.yaml"
    registry.write_text(
        "divergences:\n  - {case: 'openai/chat/*', path: response.id, reason: once differed}\n"
    )
    result = compat(f"--compat-registry={registry}")
    result.assert_outcomes(passed=6)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*stale divergence: openai/chat/* response.id (once differed)*"])


def test_results_survive_a_round_trip_through_test_reports(compat, pytester) -> None:
    # Under xdist the controller only sees TestReports; everything must ride on user_properties.
    pytester.makeconftest(
        "def pytest_runtest_logreport(report):\n"
        "    import json\n"
        "    for name, value in report.user_properties:\n"
        "        json.loads(value)\n"
    )
    compat().assert_outcomes(passed=6)


def test_under_xdist(compat, pytester) -> None:
    pytest.importorskip("xdist")
    # Workers are fresh interpreters: a conftest (loaded by every worker) makes the fakes importable.
    fakes = Path(__file__).resolve().parent / "fakes"
    pytester.makeconftest(f"import sys\nsys.path.insert(0, {str(fakes)!r})\n")
    result = compat("-n", "2")
    result.assert_outcomes(passed=6)
    report = json.loads((pytester.path / "reports" / "compat.json").read_text())
    assert report["summary"]["total"] == 6
    assert {(c["id"], c["mode"]) for c in report["cases"]} == {
        (case_id, mode)
        for case_id in ("openai/chat/chat", "openai/error/missing", "openai/stream/stream")
        for mode in ("sync", "async")
    }


def test_an_empty_selection_says_so_and_fails_unless_allowed(compat) -> None:
    result = compat("-k", "no-such-case")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    result.stdout.fnmatch_lines(["*no conformance case selected from *-k/-m 'no-such-case'*"])
    allowed = compat("-k", "no-such-case", "--compat-allow-empty")
    assert allowed.ret == pytest.ExitCode.OK
    allowed.stdout.fnmatch_lines(["*no conformance case selected*not a failure*"])


def test_a_compat_session_leaves_no_unraisable_exception(
    pytester: pytest.Pytester, openai_cases: Path
) -> None:
    # In a fresh process every unraisable exception (an unclosed socket, a coroutine never awaited,
    # a loop closed under a task) is the plugin's own; in-process runs cannot tell (inner_pytest).
    fakes = Path(__file__).resolve().parent / "fakes"
    pytester.makeconftest(f"import sys\nsys.path[:0] = [{str(fakes)!r}]\n")
    result = pytester.runpytest_subprocess(
        *plugin_args(in_process=False),
        "-W",
        "error::pytest.PytestUnraisableExceptionWarning",
        "-W",
        "error::ResourceWarning",
        "--compat",
        f"--compat-dir={openai_cases}",
        "--compat-reference=fake_llm",
        "--compat-candidate=fake_llm",
        f"--compat-report-dir={pytester.path / 'reports'}",
    )
    result.assert_outcomes(passed=15)
    assert "Unraisable" not in result.stdout.str() + result.stderr.str()
