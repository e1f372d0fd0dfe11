"""When the reference crashes on valid traffic the case cannot judge, but the candidate is still
held to a litellm-family exception or an answer: its own bare Python error is its failure (issue 9)."""

from __future__ import annotations

from typing import Any, Dict

from edgequake_harness.judge.outcomes import Outcome, judge

CRASH = {"exception": {"class": "ValueError", "openai_base": None, "message": "bad"}, "phase": "stream"}
MAPPED = {
    "exception": {
        "class": "InternalServerError",
        "openai_base": "openai.InternalServerError",
        "status_code": 500,
    }
}


def _judge(reference: Dict[str, Any], candidate: Dict[str, Any]) -> Any:
    return judge(reference, candidate, [], [])


def test_a_candidate_crash_is_its_own_failure_even_when_the_reference_crashed() -> None:
    outcome, reason = _judge(CRASH, CRASH)
    assert outcome is Outcome.CANDIDATE_ERROR
    assert reason and "the reference raised ValueError" in reason


def test_a_mapped_exception_or_an_answer_leaves_the_case_to_the_reference() -> None:
    outcome, reason = _judge(CRASH, MAPPED)
    assert outcome is Outcome.REFERENCE_ERROR and "candidate raised InternalServerError(500)" in (
        reason or ""
    )
    outcome, reason = _judge(CRASH, {"response": {"choices": []}})
    assert outcome is Outcome.REFERENCE_ERROR and "candidate answered" in (reason or "")
