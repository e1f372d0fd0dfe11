"""compat.md says what a reviewer needs and nothing twice; cassette text cannot inject markup."""

from __future__ import annotations

from typing import Any, Dict, List

from edgequake_harness.judge.outcomes import CaseResult, Outcome
from edgequake_harness.report import compat as reports

ENTRY = {"case": "openai/*", "path": "response.usage.cost", "reason": "no cost map in edgequake"}
HOSTILE = '<img src=x onerror="alert(1)">'


def _result(case_id: str, mode: str, outcome: Outcome, **extra: Any) -> CaseResult:
    provider, feature, name = case_id.split("/")
    return CaseResult(
        case_id, provider, feature, name, f"{name}.yaml", outcome, labels=[feature], mode=mode, **extra
    )


def _report(results: List[CaseResult]) -> Dict[str, Any]:
    return reports.build(
        results, {"reference": {"module": "r"}, "candidate": {"module": "c"}}, [], {"paths": []}
    )


def test_registered_divergences_are_listed_with_their_reasons_and_cases() -> None:
    registered = [{"diff": {"path": "response.usage.cost"}, "entry": ENTRY}]
    text = reports.markdown(
        _report(
            [
                _result("openai/chat/a", m, Outcome.REGISTERED, registered=registered)
                for m in ("sync", "async")
            ]
        )
    )
    assert "## Registered divergences" in text
    assert "`openai/*` at `response.usage.cost`: no cost map in edgequake" in text
    assert "covers 2 result(s): `openai/chat/a [sync]`, `openai/chat/a [async]`" in text


def test_a_case_judged_alike_in_both_modes_is_one_line() -> None:
    results = [_result("openai/chat/b", m, Outcome.CANDIDATE_ERROR, reason="boom") for m in ("sync", "async")]
    text = reports.markdown(_report(results))
    assert text.count("openai/chat/b") == 1
    assert "- **candidate_error** `openai/chat/b` [sync, async]: boom" in text


def test_delegated_cases_are_one_line_per_provider_and_reason() -> None:
    reason = "completion: provider 'anthropic' is not native"
    results = [
        _result(f"anthropic/chat/c{i}", m, Outcome.DELEGATED, reason=reason)
        for i in range(3)
        for m in ("sync", "async")
    ]
    text = reports.markdown(_report(results))
    assert f"- **anthropic**: 3 case(s), 6 result(s): {reason}" in text
    assert "anthropic/chat/c0" not in text


def test_delegated_cases_do_not_count_as_covered() -> None:
    report = _report([_result("anthropic/chat/d", "sync", Outcome.DELEGATED)])
    assert report["coverage"]["providers"]["anthropic"]["chat"]["passing"] == 0


def test_cassette_text_is_escaped_in_the_summary_and_the_readme_table() -> None:
    hostile_provider = CaseResult(
        "x/chat/e",
        HOSTILE,
        "chat",
        "e`",
        "e.yaml",
        Outcome.SKIPPED,
        reason=f"bad file {HOSTILE} | cell",
        labels=["chat"],
    )
    report = _report([hostile_provider])
    for rendered in (reports.markdown(report), "\n".join(reports.table(report))):
        assert HOSTILE not in rendered
        assert "&lt;img" in rendered
    summary = reports.markdown(report)
    assert "\\| cell" in summary  # a pipe cannot split a table cell or a list line's meaning
