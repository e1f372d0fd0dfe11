"""Targets, normalisation, compare, outcomes and the registry, end to end with the fake target."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

from edgequake_harness.cassettes.case import collect
from edgequake_harness.cassettes.select import keyword_matches, select
from edgequake_harness.judge.compare import Diff, compare
from edgequake_harness.judge.normalise import VOLATILE, Policy, load_policy, path_regex
from edgequake_harness.judge.outcomes import Outcome
from edgequake_harness.run.runner import RunConfig, Runner
from edgequake_harness.run.targets import Target, TargetError


def run(paths: List[Path], candidate: str = "fake_llm", registry: Optional[Path] = None, **kw: Any):
    """The run's result and its results by `name[mode]` (every case is judged in each mode; the call
    variants only where a test asks for them)."""
    kw.setdefault("call_variants", False)
    config = RunConfig(
        paths=[str(p) for p in paths], reference="fake_llm", candidate=candidate, registry=registry, **kw
    )
    with Runner(config) as runner:
        result = runner.run(collect(config.paths))
    return result, {f"{r.name}[{r.mode}]": r for r in result.results}


def test_fake_against_itself_is_conformant_in_both_modes(openai_cases: Path) -> None:
    result, by_name = run([openai_cases])
    assert {name: r.outcome for name, r in by_name.items()} == {
        f"{name}[{mode}]": Outcome.CONFORMANT
        for name in ("chat", "missing", "stream")
        for mode in ("sync", "async")
    }
    assert [(r.id, r.mode) for r in result.results][:2] == [
        ("openai/chat/chat", "sync"),
        ("openai/chat/chat", "async"),
    ], "each case in each mode, in case order"
    assert by_name["stream[async]"].call.endswith("[async]")
    assert by_name["stream[sync]"].call.endswith("[sync]")
    assert result.targets["candidate"] == {"module": "fake_llm", "version": "0.0.1", "error": None}


def test_call_variants_are_modes_of_their_own(openai_cases: Path) -> None:
    result, by_name = run([openai_cases], call_variants=True)
    variants = ("sync/globals", "sync/env", "sync/library-args")
    assert {k: r.outcome for k, r in by_name.items() if "/" in r.mode} == {
        f"{name}[{mode}]": Outcome.CONFORMANT for name in ("chat", "missing", "stream") for mode in variants
    }
    assert result.config.modes_for(collect([str(openai_cases)])[0])[2:] == variants


def test_a_wrong_field_is_named(openai_cases: Path, fake_drift: Any) -> None:
    def wrong(body: Dict[str, Any]) -> Dict[str, Any]:
        body["choices"][0]["message"]["content"] = "Lyon"
        return body

    fake_drift.MUTATE_RESPONSE = wrong
    _, by_name = run([openai_cases], candidate="fake_drift")
    for mode in ("sync", "async"):
        chat = by_name[f"chat[{mode}]"]
        assert chat.outcome is Outcome.DIVERGED
        assert [(d.path, d.kind, d.reference, d.candidate) for d in chat.diffs] == [
            ("response.choices[0].message.content", "values_changed", "Paris", "Lyon")
        ]


def test_a_wrong_request_parameter_is_named(openai_cases: Path, fake_drift: Any) -> None:
    fake_drift.MUTATE_BODY = lambda body: {**body, "temperature": 0}
    _, by_name = run([openai_cases], candidate="fake_drift")
    for mode in ("sync", "async"):
        assert {d.path for d in by_name[f"chat[{mode}]"].diffs} == {"requests[0].json.temperature"}


def test_a_difference_in_one_mode_only_fails_that_mode(openai_cases: Path, fake_drift: Any) -> None:
    import fake_llm

    async def async_drift(**kwargs: Any) -> Any:
        return await fake_llm.acompletion(_mutate_response=lambda b: {**b, "model": "async-only"}, **kwargs)

    fake_drift.acompletion, original = async_drift, fake_drift.acompletion
    try:
        _, by_name = run([openai_cases], candidate="fake_drift")
    finally:
        fake_drift.acompletion = original
    assert by_name["chat[sync]"].outcome is Outcome.CONFORMANT
    assert by_name["chat[async]"].outcome is Outcome.DIVERGED
    assert [d.path for d in by_name["chat[async]"].diffs] == ["response.model"]


def test_unimportable_candidate_is_a_candidate_error_per_case(openai_cases: Path) -> None:
    result, by_name = run([openai_cases], candidate="no_such_module_xyz")
    assert {r.outcome for r in by_name.values()} == {Outcome.CANDIDATE_ERROR}
    assert "cannot import target 'no_such_module_xyz'" in by_name["chat[sync]"].reason
    assert result.targets["candidate"]["error"]


def test_skipped_cases_keep_their_reason(write_cassette, interaction) -> None:
    path = write_cassette(
        interaction("https://api.anthropic.com/v1/messages/count_tokens", request={}), provider="anthropic"
    )
    _, by_name = run([path])
    assert set(by_name) == {"case[sync]", "case[async]"}, "a skipped case counts in each mode"
    for result in by_name.values():
        assert result.outcome is Outcome.SKIPPED and "count_tokens" in result.reason


def test_reference_miss_is_a_reference_error(write_cassette, interaction) -> None:
    # Recorded under a path the derived api_base cannot reach: the reference gets a 599.
    path = write_cassette(
        interaction("https://api.openai.com/v1/chat/completions", request={"model": "m", "messages": []})
    )
    text = path.read_text().replace("/v1/chat/completions", "/v2/chat/completions")
    path.with_name("case.case.yaml").write_text(
        "call: {function: completion, model: openai/m, base_path: /v9, kwargs: {messages: []}}\n"
    )
    path.write_text(text)
    _, by_name = run([path], mode="sync")
    assert by_name["case[sync]"].outcome is Outcome.REFERENCE_ERROR
    assert "closest recorded request: POST /v2/chat/completions" in by_name["case[sync]"].reason


def test_registry_registers_and_reports_stale(openai_cases: Path, fake_drift: Any, tmp_path: Path) -> None:
    fake_drift.MUTATE_RESPONSE = lambda body: {**body, "id": "other"}
    registry = tmp_path / "divergences.yaml"
    registry.write_text(
        "version: 1\ndivergences:\n"
        "  - {case: 'openai/chat/chat', path: response.id, reason: ids differ on purpose}\n"
        "  - {case: 'openai/*', path: response.model, reason: no longer differs}\n"
    )
    result, by_name = run([openai_cases], candidate="fake_drift", registry=registry)
    for mode in ("sync", "async"):
        assert by_name[f"chat[{mode}]"].outcome is Outcome.REGISTERED
        assert by_name[f"chat[{mode}]"].registered[0]["entry"]["reason"] == "ids differ on purpose"
    assert [s["path"] for s in result.stale] == ["response.model"]
    assert "openai/chat/chat [async]" in result.stale[0]["cases"]


def test_registry_entry_for_one_mode(openai_cases: Path, fake_drift: Any, tmp_path: Path) -> None:
    fake_drift.MUTATE_RESPONSE = lambda body: {**body, "id": "other"}
    registry = tmp_path / "divergences.yaml"
    registry.write_text(
        "divergences:\n"
        "  - {case: 'openai/chat/chat', path: response.id, reason: async only, mode: async}\n"
        "  - {case: 'openai/*', path: response.model, reason: stale in sync, mode: sync}\n"
    )
    result, by_name = run([openai_cases], candidate="fake_drift", registry=registry)
    assert by_name["chat[async]"].outcome is Outcome.REGISTERED
    assert by_name["chat[sync]"].outcome is Outcome.DIVERGED, "the entry does not cover the sync result"
    assert [(s["path"], s["mode"]) for s in result.stale] == [("response.model", "sync")]
    assert all(label.endswith("[sync]") for label in result.stale[0]["cases"])
    registry.write_text("divergences: [{case: '*', path: response, reason: r, mode: threads}]\n")
    from edgequake_harness.judge.registry import Registry

    with pytest.raises(ValueError, match="mode must be one of sync, async"):
        Registry.load(registry)


def test_registry_entry_needs_a_reason(tmp_path: Path) -> None:
    from edgequake_harness.judge.registry import Registry

    registry = tmp_path / "d.yaml"
    registry.write_text("divergences: [{case: '*', path: response, reason: ''}]\n")
    with pytest.raises(ValueError, match="non-empty reason"):
        Registry.load(registry)


def test_hanging_target_is_abandoned(openai_cases: Path, fake_drift: Any) -> None:
    import threading

    gate = threading.Event()
    fake_drift.MUTATE_BODY = lambda body: gate.wait(5) and body
    config = RunConfig(
        paths=[str(openai_cases)], reference="fake_llm", candidate="fake_drift", deadline_s=0.2
    )
    with Runner(config) as runner:
        (case,) = [c for c in collect(config.paths) if c.name == "chat"]
        observation = runner.observe("candidate", case)
    gate.set()
    assert observation.exception["class"] == "HarnessTimeout" and observation.phase == "harness"


def test_target_load_refuses_non_litellm_modules() -> None:
    with pytest.raises(TargetError, match="no completion"):
        Target.load("json")


# --- normalisation and compare, on plain data ----------------------------------------------------


def test_path_patterns() -> None:
    assert path_regex("chunks[*].created").match("chunks[12].created")
    assert not path_regex("chunks[*].created").match("chunks[1].usage.created")
    assert path_regex("response.*.id").match("response.usage.id")
    assert path_regex("**").match("anything[0].at.all")


def test_policy_volatile_missing_none_rewrites_and_floats() -> None:
    normaliser = load_policy().for_case("anthropic", extra_volatile=["response.system_fingerprint"])
    left = {
        "response": {"id": "msg_1", "created": 5, "system_fingerprint": "a", "refusal": None, "x": 0.1 + 0.2},
        "exception": {"message": "at 127.0.0.1:4242 id 123e4567-e89b-12d3-a456-426614174000"},
    }
    right = {
        "response": {"id": "msg_2", "created": 6, "system_fingerprint": "b", "x": 0.3},
        "exception": {"message": "at 127.0.0.1:9999 id 00000000-0000-0000-0000-000000000000"},
    }
    assert compare(left, right, normaliser) == []
    assert normaliser.apply(left)["response"]["id"] == VOLATILE


def test_volatile_still_compares_presence() -> None:
    normaliser = load_policy().for_case("anthropic")
    diffs = compare({"response": {"id": "a"}}, {"response": {}}, normaliser)
    assert [(d.path, d.kind) for d in diffs] == [("response.id", "dictionary_item_removed")]


def test_uuid_shape_is_kept() -> None:
    normaliser = Policy(rewrites=load_policy().rewrites).for_case("openai")
    left = {"response": {"id": "chatcmpl-123e4567-e89b-12d3-a456-426614174000"}}
    right = {"response": {"id": "123e4567-e89b-12d3-a456-426614174000"}}
    assert [d.path for d in compare(left, right, normaliser)] == ["response.id"]


def test_each_section_is_compared() -> None:
    normaliser = Policy().for_case("openai")
    left = {
        "chunks": [{"a": 1}, {"a": 2}],
        "exception": {"class": "NotFoundError"},
        "requests": [{"auth": ["api-key"]}],
    }
    right = {
        "chunks": [{"a": 1}, {"a": 3}],
        "exception": {"class": "BadRequestError"},
        "requests": [{"auth": []}],
    }
    assert [d.path for d in compare(left, right, normaliser)] == [
        "chunks[1].a",
        "exception.class",
        "requests[0].auth[0]",
    ]


def test_diff_describe_is_short() -> None:
    text = Diff("values_changed", "response.x", "a" * 500, "b").describe(width=40)
    assert len(text) < 120 and "..." in text


def test_keyword_selection(openai_cases: Path) -> None:
    cases = collect([openai_cases])
    assert keyword_matches("chat or stream", "openai/chat/chat")
    assert not keyword_matches("not (chat or stream)", "openai/stream/stream")
    assert [c.name for c in select(cases, keyword="stream")] == ["stream"]
    assert [c.name for c in select(cases, features=["error"])] == ["missing"]
    assert select(cases, providers=["groq"]) == []
    with pytest.raises(ValueError):
        keyword_matches("chat and", "x")


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_run_mode_restricts_the_run_to_that_mode(openai_cases: Path, mode: str) -> None:
    result, by_name = run([openai_cases], mode=mode)
    assert {name: r.outcome for name, r in by_name.items()} == {
        f"{name}[{mode}]": Outcome.CONFORMANT for name in ("chat", "stream", "missing")
    }
    assert all(r.call.endswith(f"[{mode}]") for r in result.results)


def test_async_mode_reports_a_missing_async_twin(
    openai_cases: Path, fake_drift: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(fake_drift, "acompletion")
    _, by_name = run([openai_cases], candidate="fake_drift")
    assert by_name["chat[sync]"].outcome is Outcome.CONFORMANT
    assert by_name["chat[async]"].outcome is Outcome.CANDIDATE_ERROR
    assert "fake_drift.acompletion" in by_name["chat[async]"].reason


def test_case_metadata_states_the_mode(write_cassette, interaction) -> None:
    from edgequake_harness.cassettes.case import load_case

    path = write_cassette(interaction(request={"model": "m", "messages": []}), name="m")
    path.with_name("m.case.yaml").write_text("mode: async\n")
    assert load_case(path).call.mode == "async"
    assert RunConfig().modes_for(load_case(path)) == ("async",), "a stated mode is the only one"
    assert RunConfig(mode="sync").modes_for(load_case(path)) == ("sync",), "the run's mode wins"
    path.with_name("m.case.yaml").write_text("mode: threads\n")
    assert "'mode' must be one of sync, async" in load_case(path).skip


def test_a_reported_value_holding_a_clock_reads_the_same_on_every_run() -> None:
    # litellm stamps `created` on a response edgequake does not return: the whole response is the
    # difference's value, and its clock must not make two runs (or two shards) report different bytes.
    from edgequake_harness.judge.compare import CLOCK

    response = {"id": "x", "created": 1796154592, "choices": []}
    whole = Diff("dictionary_item_removed", "response", response, "<not present>")
    assert whole.to_json()["reference"] == {"id": "x", "created": CLOCK, "choices": []}
    # A difference *of* clocks stays visible: it is a scalar at its own path.
    scalar = Diff("values_changed", "response.created", 1796154592, 1796154593)
    assert scalar.to_json()["reference"] == 1796154592
    # Small numbers named `created` are not clocks (a count, an index).
    assert Diff("x", "response", {"created": 3}, None).to_json()["reference"] == {"created": 3}
