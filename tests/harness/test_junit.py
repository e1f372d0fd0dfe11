"""JUnit XML: valid against the schema pytest validates its own xunit2 output against, with the same
structure as `pytest --compat --junitxml` for the same run; `--compat-shard` under xdist merges."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Dict, List

import pytest
from inner_pytest import plugin_args
from scale_support import SCHEMA, drift, junit_shape, library, without_run_specific

from edgequake_harness.cli import main
from edgequake_harness.report import compat as reports
from edgequake_harness.report import junit

pytest_plugins = ["pytester"]
xmlschema = pytest.importorskip("xmlschema")


@pytest.fixture(scope="module")
def schema() -> Any:
    return xmlschema.XMLSchema(str(SCHEMA))


def _case(name: str, outcome: str, mode: str = "sync", **more: Any) -> Dict[str, Any]:
    return {
        "id": f"openai/chat/{name}",
        "mode": mode,
        "provider": "openai",
        "feature": "chat",
        "name": name,
        "cassette": f"cassettes/openai/{name}.yaml",
        "outcome": outcome,
        "reason": more.pop("reason", f"why {outcome}"),
        "diffs": more.pop("diffs", []),
        "registered": [],
        "call": "completion(model='openai/gpt-x', stream=False) [sync]",
        "duration_s": 0.25,
        "labels": ["chat"],
        **more,
    }


def _report(cases: List[Dict[str, Any]]) -> Dict[str, Any]:
    results = reports.results({"cases": cases})
    targets = {
        "reference": {"module": "litellm", "version": "1.110.2", "error": None},
        "candidate": {"module": "edgequake", "version": "0.1.0", "error": None},
    }
    return reports.build(results, targets, [], {"started": "2026-12-01T00:00:00+00:00", "duration_s": 1.5})


EVERY_OUTCOME = [
    _case("a", "conformant", reason=None),
    _case("b", "registered_divergence"),
    _case("c", "delegated", reason="served by litellm"),
    _case("d", "skipped"),
    _case("e", "reference_error"),
    _case(
        "f",
        "diverged",
        mode="async",
        diffs=[
            {"path": "response.model", "kind": "values_changed", "reference": "x", "candidate": "<script>"},
            {"path": "response.id", "kind": "values_changed", "reference": "1", "candidate": "2"},
        ],
    ),
    _case("g", "candidate_error", reason="candidate raised TypeError\x00 during call"),
    _case("h", "sandbox_violation"),
]


def test_every_outcome_maps_to_pass_failure_or_skip_and_validates(schema: Any, tmp_path: Path) -> None:
    path = junit.write(_report(EVERY_OUTCOME), tmp_path / "junit.xml")
    schema.validate(str(path))
    suite = ET.parse(path).getroot().find("testsuite")
    assert suite is not None
    assert {k: suite.get(k) for k in ("tests", "failures", "skipped", "errors")} == {
        "tests": "8",
        "failures": "3",
        "skipped": "3",
        "errors": "0",
    }
    properties = {p.get("name"): p.get("value") for p in suite.find("properties") or []}
    assert properties["reference"] == "litellm 1.110.2" and properties["candidate"] == "edgequake 0.1.0"
    assert properties["outcome.diverged"] == "1" and properties["outcome.conformant"] == "1"
    by_name = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(by_name) == {f"{n}[sync]" for n in "abcdegh"} | {"f[async]"}
    assert {case.get("classname") for case in by_name.values()} == {"openai.chat"}
    children = {name: [(c.tag, c.get("type")) for c in case] for name, case in by_name.items()}
    assert children == {
        "a[sync]": [],
        "b[sync]": [],
        "c[sync]": [("skipped", "edgequake.delegated")],
        "d[sync]": [("skipped", "edgequake.skipped")],
        "e[sync]": [("skipped", "edgequake.reference_error")],
        "f[async]": [("failure", "edgequake.diverged")],
        "g[sync]": [("failure", "edgequake.candidate_error")],
        "h[sync]": [("failure", "edgequake.sandbox_violation")],
    }
    failure = by_name["f[async]"][0]
    # The first difference is the message; all of them are the text. Recorded text stays inert.
    assert failure.get("message") == (
        'diverged [async]: why diverged; first difference: response.model values_changed: "x" -> "<script>"'
    )
    assert "response.id values_changed" in (failure.text or "")
    assert by_name["c[sync]"][0].get("message") == "delegated: served by litellm"
    crash = "candidate_error [sync]: candidate raised TypeError#x00 during call"  # NUL: not XML
    assert by_name["g[sync]"][0].get("message") == crash
    assert "<script>" not in path.read_text()  # escaped as &lt;script&gt;


def test_xunit1_adds_testcase_properties_which_xunit2_does_not_allow(schema: Any, tmp_path: Path) -> None:
    path = junit.write(_report(EVERY_OUTCOME), tmp_path / "junit1.xml", family="xunit1")
    case = ET.parse(path).getroot().find("testsuite/testcase")
    assert case is not None and case.get("file") == "cassettes/openai/a.yaml"
    assert {p.get("name"): p.get("value") for p in case.find("properties") or []} == {
        "outcome": "conformant",
        "mode": "sync",
        "cassette": "cassettes/openai/a.yaml",
    }
    # The schema pytest checks xunit2 against rejects per-testcase properties: that is why the
    # default family carries the outcome in the failure/skip type instead.
    assert not schema.is_valid(str(path))
    with pytest.raises(ValueError, match="unknown JUnit family"):
        junit.render(_report(EVERY_OUTCOME), family="xunit3")


def test_pytest_junitxml_and_ours_match_and_shards_merge_under_xdist(
    pytester: pytest.Pytester, write_cassette: Any, interaction: Any, fake_drift: Any, schema: Any
) -> None:
    pytest.importorskip("xdist")
    fake_drift.MUTATE_RESPONSE = drift
    cases = library(write_cassette, interaction)
    fakes = Path(__file__).resolve().parent / "fakes"
    # xdist workers are fresh interpreters: the conftest makes the fakes importable and drifting there.
    pytester.makeconftest(
        f"import sys\nsys.path[:0] = [{str(fakes)!r}, {str(Path(__file__).parent)!r}]\n"
        "import fake_drift, scale_support\nfake_drift.MUTATE_RESPONSE = scale_support.drift\n"
    )

    def compat(name: str, *extra: str) -> pytest.RunResult:
        return pytester.runpytest(
            *plugin_args(),
            "--compat",
            f"--compat-dir={cases}",
            "--compat-reference=fake_llm",
            "--compat-candidate=fake_drift",
            "--compat-no-variants",
            f"--compat-report-dir={pytester.path / name}",
            f"--junitxml={pytester.path / name / 'pytest.xml'}",
            *extra,
        )

    whole = compat("whole")
    whole.assert_outcomes(passed=10, failed=2, skipped=2)  # chat_b diverged in both modes
    first = compat("shard1", "--compat-shard=1/2", "-n", "2")
    second = compat("shard2", "--compat-shard=2/2")
    first.stdout.fnmatch_lines(["2 workers [[]8 items[]]"])  # 4 of the 7 cases, both modes
    second.stdout.fnmatch_lines(["*8 deselected*"])  # the other 3 cases here; xdist does not say
    shard_outcomes = [first.parseoutcomes(), second.parseoutcomes()]
    for outcome, count in (("passed", 10), ("failed", 2), ("skipped", 2)):
        assert sum(o.get(outcome, 0) for o in shard_outcomes) == count
    first.stdout.fnmatch_lines(["*shard 1/2: stale divergences are decided when the shards are merged*"])

    merged_dir = pytester.path / "merged"
    shard_reports = [str(pytester.path / n / "compat.json") for n in ("shard1", "shard2")]
    out = io.StringIO()
    argv = ["merge", *shard_reports, "--report-dir", str(merged_dir)]
    argv += ["--junit-xml", str(merged_dir / "o.xml")]
    assert main(argv, out=out, err=io.StringIO()) == 1  # chat_b diverged, an entry is stale
    expected = json.loads((pytester.path / "whole" / "compat.json").read_text())
    merged = json.loads((merged_dir / "compat.json").read_text())
    assert without_run_specific(merged) == without_run_specific(expected)

    # pytest's own --junitxml for the run and ours for the same results: both valid, same structure.
    pytest_xml, ours = pytester.path / "whole" / "pytest.xml", merged_dir / "o.xml"
    schema.validate(str(pytest_xml))  # valid: the plugin keeps its result transport out of it
    schema.validate(str(ours))
    (our_counts, our_rows), (their_counts, their_rows) = junit_shape(ours), junit_shape(pytest_xml)
    assert our_counts == their_counts  # tests, failures, skipped, errors
    assert [row[:2] for row in our_rows] == [row[:2] for row in their_rows]  # each result: pass/fail/skip
    for mine, theirs in zip(our_rows, their_rows):  # pytest's attributes, plus the outcome as `type`
        assert set(mine[2]) >= set(theirs[2]) and ("type" in mine[2] or not mine[2])
    for name in ("shard1", "shard2"):
        schema.validate(str(pytester.path / name / "pytest.xml"))
    assert "compat_result" not in pytest_xml.read_text()


def test_bad_compat_shard_is_a_usage_error(pytester: pytest.Pytester) -> None:
    for bad in ("0/3", "4/3", "a/b"):
        result = pytester.runpytest(*plugin_args(), "--compat", f"--compat-shard={bad}", "--compat-dir=.")
        assert result.ret == pytest.ExitCode.USAGE_ERROR
        result.stderr.fnmatch_lines([f"*--compat-shard: shard '{bad}'*"])


def test_an_empty_pytest_shard_passes_and_still_writes_its_report(
    pytester: pytest.Pytester, write_cassette: Any, interaction: Any
) -> None:
    cases = library(write_cassette, interaction)  # 7 cases: shard 9 of 9 holds none
    result = pytester.runpytest(
        *plugin_args(),
        "--compat",
        f"--compat-dir={cases}",
        "--compat-reference=fake_llm",
        "--compat-candidate=fake_llm",
        "--compat-no-variants",
        f"--compat-report-dir={pytester.path / 'r'}",
        "--compat-shard=9/9",
    )
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*no conformance case selected*shard 9/9*"])
    report = json.loads((pytester.path / "r" / "compat.json").read_text())
    assert report["cases"] == [] and report["run"]["shard"] == {"index": 9, "count": 9}
    assert report["targets"]["candidate"]["version"] == "0.0.1"  # so that `merge` can compare versions
