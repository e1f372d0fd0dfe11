"""Coverage labels, the provider x feature matrix with stated gaps, and its place in the reports."""

from __future__ import annotations

import io
import json
from pathlib import Path

from edgequake_harness.cassettes.case import load_case
from edgequake_harness.cli import main
from edgequake_harness.report import compat as reports
from edgequake_harness.report import coverage

REQUEST = {"model": "gpt-x", "messages": [{"role": "user", "content": "hi"}]}


def _sse(*contents: str) -> str:
    chunks = [
        {"id": "c", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": c}}]}
        for c in contents
    ]
    return "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"


def test_labels_are_multi_feature(write_cassette, interaction) -> None:
    _interaction = interaction
    tool = {"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}
    path = write_cassette(
        _interaction(
            request={**REQUEST, "stream": True, "tools": [tool], "reasoning_effort": "low"},
            body=_sse("a"),
            headers={"content-type": ["text/event-stream"]},
        ),
        name="s",
    )
    assert coverage.labels(load_case(path)) == ["stream", "tools", "reasoning"]


def test_labels_errors_from_status_and_from_an_error_event_in_a_stream(write_cassette, interaction) -> None:
    _interaction = interaction
    err = write_cassette(
        _interaction(request=REQUEST, status=429, body={"error": {"message": "slow"}}), name="e"
    )
    assert coverage.labels(load_case(err)) == ["errors"]
    midstream = write_cassette(
        _interaction(
            request={**REQUEST, "stream": True},
            body=_sse("a") + 'data: {"error": {"message": "boom"}}\n\n',
            headers={"content-type": ["text/event-stream"]},
        ),
        name="m",
    )
    assert coverage.labels(load_case(midstream)) == ["stream", "errors"]


def test_labels_reasoning_from_the_response_body(write_cassette, interaction) -> None:
    _interaction = interaction
    body = {
        "id": "x",
        "object": "chat.completion",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": "4", "reasoning_content": "2+2"}}
        ],
    }
    path = write_cassette(_interaction(request=REQUEST, body=body), name="r")
    assert coverage.labels(load_case(path)) == ["chat", "reasoning"]


def test_matrix_shows_every_core_provider_and_empty_cells_with_reasons() -> None:
    cases = [
        {"provider": "openai", "labels": ["chat", "tools"], "outcome": "conformant"},
        {"provider": "openai", "labels": ["chat"], "outcome": "diverged"},
        {"provider": "groq", "labels": ["stream"], "outcome": "delegated"},
        {"provider": "xai", "labels": ["chat"], "outcome": "skipped"},  # skipped covers nothing
    ]
    gaps = [{"provider": "openai", "feature": "vision", "reason": "none recorded"}]
    table = coverage.matrix(cases, gaps, core=("openai", "xai"))
    assert table["providers"]["openai"]["chat"] == {
        "cases": 2,
        "passing": 1,
        "outcomes": {"conformant": 1, "diverged": 1},
    }
    assert list(table["providers"]) == ["openai", "xai", "groq"]
    assert table["providers"]["xai"] == {}
    empty = {(g["provider"], g["feature"]): g["reason"] for g in table["empty_core"]}
    assert empty[("openai", "vision")] == "none recorded"
    assert empty[("xai", "chat")] is None
    text = "\n".join(coverage.markdown(table))
    assert "| **openai** | 1/2 | · | 1/1 |" in text
    assert "- openai x vision: none recorded" in text
    assert "- xai x chat: **no case and no stated reason**" in text


def test_gaps_file_is_found_beside_or_above_the_run_paths(tmp_path: Path) -> None:
    (tmp_path / "openai").mkdir()
    (tmp_path / coverage.GAPS_NAME).write_text(
        "gaps:\n  - {provider: xai, feature: embedding, reason: no embeddings API}\n  - {provider: bad}\n"
    )
    expected = [{"provider": "xai", "feature": "embedding", "reason": "no embeddings API"}]
    assert coverage.load_gaps([str(tmp_path / "openai")]) == expected
    assert coverage.load_gaps([str(tmp_path)]) == expected


def test_reports_carry_labels_and_the_coverage_table(openai_cases: Path, tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    argv = ["run", str(openai_cases), "--reference", "fake_llm", "--candidate", "fake_llm"]
    code = main([*argv, "--report-dir", str(tmp_path / "r"), "--no-progress"], out=out, err=err)
    assert code == 0
    report = json.loads((tmp_path / "r" / "compat.json").read_text())
    labels = {c["id"]: c["labels"] for c in report["cases"]}
    assert labels["openai/stream/stream"] == ["stream"]
    assert labels["openai/error/missing"] == ["errors"]
    assert report["coverage"]["providers"]["openai"]["chat"]["cases"] == 1
    assert "## Coverage: cases per provider x feature" in (tmp_path / "r" / "compat.md").read_text()
    # a report round-trips through CaseResult with its labels
    assert reports.results(report)[0].labels == report["cases"][0]["labels"]
