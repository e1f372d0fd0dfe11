"""Honesty of the harness against the real reference: litellm agrees with itself on every bundled
case, and a litellm that is wrong in exactly one place is caught, with that place named.

These are the only litellm-backed tests in the harness suite (litellm takes seconds to import).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterator, List

import pytest

from edgequake_harness.cassettes.case import Case, collect
from edgequake_harness.judge.outcomes import Outcome
from edgequake_harness.run.runner import RunConfig, Runner

pytest.importorskip("litellm")
BUNDLED = Path(__file__).resolve().parents[2] / "cassettes"


@pytest.fixture(scope="module")
def runner() -> Iterator[Runner]:
    import litellm_drift

    with Runner(RunConfig(paths=[str(BUNDLED)], reference="litellm", candidate="litellm_drift")) as running:
        yield running
    litellm_drift.DRIFT = "none"


@pytest.fixture(scope="module")
def cases() -> List[Case]:
    return collect([BUNDLED])


def case_named(cases: List[Case], fragment: str) -> Case:
    (case,) = [c for c in cases if fragment in c.id]
    return case


def drift(kind: str) -> None:
    import litellm_drift

    litellm_drift.DRIFT = kind


def test_litellm_against_itself_is_fully_conformant(cases: List[Case]) -> None:
    with Runner(RunConfig(paths=[str(BUNDLED)], reference="litellm", candidate="litellm")) as itself:
        results = [itself.run_case(case) for case in cases]
    # A case where litellm itself crashes on real traffic (a bare ValueError on Groq's in-stream
    # error, say) cannot judge anything, against itself included (its candidate side, crashing too,
    # is a candidate error naming the reference's crash); a replay miss still fails here.
    crashed = [
        r
        for r in results
        if r.outcome in (Outcome.REFERENCE_ERROR, Outcome.CANDIDATE_ERROR)
        and "reference raised" in (r.reason or "")
    ]
    assert [
        (r.id, r.outcome.value, r.reason)
        for r in results
        if r.outcome is not Outcome.CONFORMANT and r not in crashed
    ] == []
    assert len(results) == len(cases) >= 10


def test_one_wrong_field(runner: Runner, cases: List[Case]) -> None:
    drift("field")
    result = runner.run_case(case_named(cases, "openai/chat/pydantic-ai__test_valid_response"))
    assert result.outcome is Outcome.DIVERGED
    assert [(d.path, d.reference, d.candidate) for d in result.diffs] == [
        ("response.choices[0].message.content", "The capital of France is Paris.", "Lyon")
    ]


def test_one_wrong_chunk(runner: Runner, cases: List[Case]) -> None:
    drift("chunk")
    result = runner.run_case(case_named(cases, "openai/stream/crewai__test_llm_emits_event_with_lite_agent"))
    assert result.outcome is Outcome.DIVERGED
    chunk_diffs = [d for d in result.diffs if d.path.startswith("chunks")]
    assert [(d.path, d.candidate) for d in chunk_diffs] == [("chunks[1].choices[0].delta.content", "drifted")]
    assert any(d.path == "assembled.choices[0].message.content" for d in result.diffs)


def test_one_wrong_exception_class(runner: Runner, cases: List[Case]) -> None:
    drift("exception")
    result = runner.run_case(case_named(cases, "openai/error/crewai__test_llm_call_with_error"))
    assert result.outcome is Outcome.DIVERGED
    assert [(d.path, d.reference, d.candidate) for d in result.diffs] == [
        ("exception.class", "NotFoundError", "ModelGoneError")
    ]


def test_one_wrong_request_parameter(runner: Runner, cases: List[Case]) -> None:
    drift("request")
    result = runner.run_case(case_named(cases, "openai/chat/pydantic-ai__test_valid_response"))
    assert result.outcome is Outcome.DIVERGED
    assert [(d.path, d.kind, d.candidate) for d in result.diffs] == [
        ("requests[0].json.temperature", "dictionary_item_added", 0.5)
    ]


@pytest.mark.parametrize("variant", ["sync/globals", "sync/env", "sync/library-args"])
def test_call_variants_of_a_faithful_candidate_are_conformant(
    runner: Runner, cases: List[Case], variant: str
) -> None:
    drift("none")
    result = runner.run_case(case_named(cases, "openai/chat/pydantic-ai__test_valid_response"), variant)
    assert (result.mode, result.outcome, result.diffs) == (variant, Outcome.CONFORMANT, [])


def test_a_candidate_ignoring_module_globals_is_caught(runner: Runner, cases: List[Case]) -> None:
    drift("globals")
    case = case_named(cases, "openai/chat/pydantic-ai__test_valid_response")
    assert runner.run_case(case, "sync").outcome is Outcome.CONFORMANT  # per-call arguments: fine
    result = runner.run_case(case, "sync/globals")
    assert result.outcome is Outcome.DIVERGED
    # it went to api.openai.com instead (refused by the sandbox): nothing reached the replay server
    assert {d.path for d in result.diffs} >= {"response", "exception", "requests[0]"}


def test_a_candidate_leaking_a_litellm_only_argument_is_caught(runner: Runner, cases: List[Case]) -> None:
    drift("leak")
    case = case_named(cases, "openai/chat/pydantic-ai__test_valid_response")
    assert runner.run_case(case, "sync").outcome is Outcome.CONFORMANT  # no such argument per call
    result = runner.run_case(case, "sync/library-args")
    assert result.outcome is Outcome.DIVERGED
    assert [(d.path, d.kind, d.candidate) for d in result.diffs] == [
        ("requests[0].json.retry_strategy", "dictionary_item_added", "exponential_backoff_retry")
    ]


def test_every_case_gets_the_variants_that_apply_to_it(cases: List[Case]) -> None:
    config = RunConfig(paths=[str(BUNDLED)])
    openai = config.modes_for(case_named(cases, "openai/chat/pydantic-ai__test_valid_response"))
    assert openai == ("sync", "async", "sync/globals", "sync/env", "sync/library-args")
    groq = next(c for c in cases if c.id.startswith("groq/chat/") and not c.skip)
    assert config.modes_for(groq) == (
        "sync",
        "async",
        "sync/env",
        "sync/library-args",
    )  # litellm ignores globals there
    assert RunConfig(paths=[str(BUNDLED)], call_variants=False).modes_for(groq) == ("sync", "async")


# litellm's atext_completion streams leave their transports to the garbage collector (its leak,
# not the harness's), whose ResourceWarnings would otherwise fail this test at a random point.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_async_mode_litellm_against_itself(cases: List[Case]) -> None:
    config = RunConfig(paths=[str(BUNDLED)], reference="litellm", candidate="litellm", mode="async")
    chosen = [c for c in cases if c.feature in ("stream", "error")]
    with Runner(config) as itself:
        results = [itself.run_case(case) for case in chosen]
    # A case where litellm itself crashes on real traffic (a bare ValueError on Groq's in-stream
    # error, say) cannot judge anything, against itself included; a replay miss still fails here.
    crashed = [
        r
        for r in results
        if r.outcome in (Outcome.REFERENCE_ERROR, Outcome.CANDIDATE_ERROR)
        and "reference raised" in (r.reason or "")
    ]
    assert [
        (r.id, r.outcome.value, r.reason)
        for r in results
        if r.outcome is not Outcome.CONFORMANT and r not in crashed
    ] == []
    assert len(results) >= 4


# --- identity: the candidate's own classes and types ------------------------------------------


@pytest.fixture
def foreign() -> Iterator[Runner]:
    import litellm_foreign

    with Runner(RunConfig(paths=[str(BUNDLED)], reference="litellm", candidate="litellm_foreign")) as running:
        yield running
    litellm_foreign.DELEGATE = False


@pytest.mark.parametrize(
    ("fragment", "foreign_paths"),
    [
        ("openai/chat/pydantic-ai__test_valid_response", ["identity.response"]),
        ("openai/stream/mirascope__stream__openai_completions__streams-text-response", ["identity.chunks"]),
        ("openai/error/authored__error_404", ["identity.exception"]),
    ],
)
def test_another_librarys_objects_are_not_the_candidates_own(
    foreign: Runner, cases: List[Case], fragment: str, foreign_paths: List[str]
) -> None:
    case = next(c for c in cases if fragment in c.id)
    result = foreign.run_case(case)
    assert result.outcome is Outcome.DIVERGED, (result.outcome, result.reason)
    # the path names the foreign thing, or (where the normaliser dropped the reference's empty
    # section) the candidate's value does
    named = [d for d in result.diffs if d.path.startswith("identity")]
    assert named, result.diffs
    for path in foreign_paths:
        thing = path.split(".")[1]
        assert any(thing in d.path or thing in str(d.candidate) for d in named), named


def test_a_delegated_case_is_still_judged_on_identity(foreign: Runner, cases: List[Case]) -> None:
    import litellm_foreign

    litellm_foreign.DELEGATE = True
    result = foreign.run_case(case_named(cases, "openai/chat/pydantic-ai__test_valid_response"))
    assert result.outcome is Outcome.DIVERGED
    assert "delegated, and not the candidate's own object at identity.response" in (result.reason or "")


# --- the sandbox: canary keys, no outside host -------------------------------------------------


@pytest.fixture
def leaky(monkeypatch: pytest.MonkeyPatch) -> Iterator[Runner]:
    import litellm_leaky

    monkeypatch.setenv("OPENAI_API_KEY", "sk-the-users-real-key")
    with Runner(RunConfig(paths=[str(BUNDLED)], reference="litellm", candidate="litellm_leaky")) as running:
        assert os.environ["OPENAI_API_KEY"] != "sk-the-users-real-key", "replaced by a canary for the run"
        yield running
    litellm_leaky.LEAK = "none"
    assert os.environ["OPENAI_API_KEY"] == "sk-the-users-real-key", "put back after the run"


def test_a_candidate_sending_the_environments_key_is_a_sandbox_violation(
    leaky: Runner, cases: List[Case]
) -> None:
    import litellm_leaky

    case = case_named(cases, "openai/chat/pydantic-ai__test_valid_response")
    assert leaky.run_case(case).outcome is Outcome.CONFORMANT
    litellm_leaky.LEAK = "env-key"
    result = leaky.run_case(case)
    assert result.outcome is Outcome.SANDBOX
    assert "OPENAI_API_KEY" in (result.reason or "")
    assert "sk-the-users-real-key" not in json.dumps(result.to_json())


def test_a_candidate_calling_the_real_host_never_leaves_the_machine(leaky: Runner, cases: List[Case]) -> None:
    import litellm_leaky

    litellm_leaky.LEAK = "real-host"
    result = leaky.run_case(case_named(cases, "openai/chat/pydantic-ai__test_valid_response"))
    assert result.outcome is not Outcome.CONFORMANT
    assert any("api.openai.com" in what for what in leaky.refused), leaky.refused
