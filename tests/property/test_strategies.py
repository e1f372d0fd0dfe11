"""The strategies and helpers themselves, without any target: fast, and run first."""

from __future__ import annotations

import http.client
import json
from pathlib import Path

import pytest

pytest.importorskip("hypothesis")

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edgequake_harness.fuzz.cassette import read_regression, to_case, write_regression
from edgequake_harness.fuzz.runner import KINDS, PROVIDERS, problem, scenarios
from edgequake_harness.fuzz.server import SplitReplayServer, cut
from edgequake_harness.fuzz.strategies import Scenario, openai_wire_scenarios, stream_scenarios
from edgequake_harness.judge.outcomes import CaseResult, Outcome

FAST = settings(
    max_examples=30,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def sse_payloads(body: bytes) -> list:
    text = body.decode("utf-8").replace("\r\n", "\n")
    out = []
    for event in text.split("\n\n"):
        for line in event.split("\n"):
            if line.startswith("data:"):
                out.append(line[5:].strip())
    return out


@FAST
@given(st.sampled_from(PROVIDERS).flatmap(lambda p: scenarios(None, p)))
def test_every_scenario_derives_to_a_call_for_its_provider(scenario: Scenario) -> None:
    case = to_case(scenario)
    assert case.call is not None and case.skip is None
    assert case.provider == scenario.provider
    assert case.call.stream == scenario.stream
    assert case.feature == ("error" if scenario.status >= 400 else case.feature)


@FAST
@given(stream_scenarios())
def test_streams_are_valid_sse_of_valid_json(scenario: Scenario) -> None:
    payloads = sse_payloads(scenario.body)
    assert payloads[-1] == "[DONE]"
    chunks = [json.loads(p) for p in payloads[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    finishes = [ch["index"] for c in chunks for ch in c["choices"] if ch["finish_reason"]]
    assert sorted(finishes) == list(range(scenario.request.get("n", 1)))
    for choice in range(scenario.request.get("n", 1)):  # streamed arguments reassemble to JSON
        arguments: dict = {}
        for c in chunks:
            for ch in c["choices"]:
                for call in (ch["delta"].get("tool_calls") or []) if ch["index"] == choice else []:
                    arguments[call["index"]] = (
                        arguments.get(call["index"], "") + call["function"]["arguments"]
                    )
        for text in arguments.values():
            json.loads(text)


@FAST
@given(st.binary(max_size=64), st.lists(st.integers(-2, 70), max_size=8))
def test_cut_pieces_reassemble(body: bytes, splits: list) -> None:
    assert b"".join(cut(body, sorted(set(splits)))) == body


@settings(FAST, max_examples=8)
@given(stream_scenarios().filter(lambda s: s.splits is not None))
def test_split_server_serves_the_same_bytes(scenario: Scenario) -> None:
    case = to_case(scenario)
    assert case.cassette is not None
    with SplitReplayServer(case.cassette.interactions) as server:
        server.cut_at(scenario.splits)
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        path = scenario.uri.split("://", 1)[1].split("/", 1)[1]
        connection.request("POST", "/" + path, body=b"{}", headers={"content-type": "application/json"})
        response = connection.getresponse()
        assert response.getheader("transfer-encoding") == "chunked"
        assert response.read() == scenario.body
        connection.close()


@settings(FAST, max_examples=10)
@given(openai_wire_scenarios())
def test_regression_cassettes_round_trip(
    tmp_path_factory: pytest.TempPathFactory, scenario: Scenario
) -> None:
    directory = tmp_path_factory.mktemp("regressions")
    case = to_case(scenario)
    result = CaseResult(case.id, case.provider, case.feature, case.name, "", Outcome.DIVERGED, "why")
    path = write_regression(scenario, result, directory)
    loaded, splits = read_regression(path)
    assert splits == scenario.splits
    assert loaded.call == case.call and loaded.id == case.id
    assert loaded.cassette is not None and loaded.cassette.interactions[0].response.body == scenario.body
    assert "authored (hypothesis shrink)" in (directory / "README.md").read_text(encoding="utf-8")


def test_outcomes_that_break_the_property() -> None:
    def result(outcome: Outcome) -> CaseResult:
        return CaseResult("p/f/n", "p", "f", "n", "", outcome, "because")

    assert problem(result(Outcome.CONFORMANT)) is None
    assert problem(result(Outcome.REGISTERED)) is None
    assert problem(result(Outcome.DELEGATED)) is None
    for outcome in (Outcome.DIVERGED, Outcome.CANDIDATE_ERROR, Outcome.REFERENCE_ERROR, Outcome.SKIPPED):
        assert problem(result(outcome)) is not None


def test_unknown_names_are_usage_errors() -> None:
    with pytest.raises(ValueError):
        scenarios("chat", "no-such-provider")
    with pytest.raises(ValueError):
        scenarios("nope", None)
    assert set(KINDS) == {"chat", "stream", "error"}


def test_the_cli_knows_fuzz(tmp_path: Path) -> None:
    from edgequake_harness.cli import parser

    args = parser().parse_args(["fuzz", "--examples", "3", "--provider", "groq", "--kind", "stream"])
    assert (args.command, args.examples, args.provider, args.kind) == ("fuzz", 3, ["groq"], ["stream"])
