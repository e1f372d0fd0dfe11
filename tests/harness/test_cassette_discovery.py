"""Discovery accounts for every file: a case, or a skip with the reason; nothing disappears.

Also: JSON response-only fixtures, recordings made against any host with the provider stated in
metadata, and runs that select nothing (or name a file that yields nothing) failing loudly.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Tuple

import pytest
import yaml

from edgequake_harness.cassettes.case import collect, discover, is_library_file, load_case
from edgequake_harness.cassettes.fixtures import PLACEHOLDER
from edgequake_harness.cli import main
from edgequake_harness.report import compat as reports
from tests.harness.conftest import CHAT_BODY as CHAT

BUNDLED = Path(__file__).resolve().parents[2] / "cassettes"
HELLO = {"model": "m-1", "messages": [{"role": "user", "content": "hi"}]}


def cli(*argv: str) -> Tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def fake_run(*argv: str) -> Tuple[int, str, str]:
    return cli("run", *argv, "--reference", "fake_llm", "--candidate", "fake_llm", "--no-progress")


def write(path: Path, content: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = content if isinstance(content, str) else json.dumps(content)
    path.write_text(text)
    return path


# --- every file is accounted for -----------------------------------------------------------------


def test_every_bundled_file_is_a_case_or_a_known_library_file() -> None:
    """The acceptance check: walk cassettes/ and find each file in collect() or among the library's own."""
    by_path = {case.path: case for case in collect([BUNDLED])}
    for path in sorted(p for p in BUNDLED.rglob("*") if p.is_file()):
        if is_library_file(path):
            continue
        assert path in by_path, f"{path} is neither a case nor a known library file"
        case = by_path[path]
        assert case.call is not None or case.skip, f"{path}: no call and no reason"
    assert set(by_path) == set(discover([BUNDLED]))


def test_a_json_fixture_in_a_cassette_dir_is_a_case(tmp_path: Path) -> None:
    path = write(tmp_path / "openai" / "chat.json", {"status": 200, "headers": {}, "body": CHAT})
    (case,) = collect([tmp_path])
    assert case.path == path and case.skip is None
    assert (case.id, case.call.function, case.call.model, case.call.base_path) == (
        "openai/chat/chat",
        "completion",
        "openai/gpt-x",
        "/v1",
    )
    assert case.call.kwargs["messages"] == [{"role": "user", "content": PLACEHOLDER}]
    (served,) = case.cassette.interactions
    assert (served.request.method, served.request.path) == ("POST", "/v1/chat/completions")
    assert served.response.json() == CHAT and served.response.header("content-type") == "application/json"


def test_a_json_fixture_that_names_no_call_is_a_skip_with_the_reason(tmp_path: Path) -> None:
    error = {"status": 404, "body": {"error": {"message": "nope"}}}
    path = write(tmp_path / "openai" / "missing.json", error)
    (case,) = collect([tmp_path])
    assert case.call is None and "response-only fixture (HTTP 404)" in case.skip and "call:" in case.skip
    # ... and loads once the metadata states the call
    write(path.with_name("missing.case.yaml"), "call: {function: completion, model: openai/gpt-x}\n")
    case = load_case(path)
    assert case.skip is None and case.feature == "error"
    assert case.cassette.interactions[0].request.path == "/v1/chat/completions"


def test_a_json_file_that_is_not_a_cassette_is_listed_with_the_reason(tmp_path: Path) -> None:
    write(tmp_path / "openai" / "package.json", {"name": "x", "version": "1.0.0"})
    (case,) = collect([tmp_path])
    assert case.call is None and "JSON, but not a cassette" in case.skip and "package.json" in case.skip


def test_response_only_fixture_sequence_streams_and_other_wires(tmp_path: Path) -> None:
    sse = 'data: {"object": "chat.completion.chunk", "model": "gpt-x", "choices": []}\n\ndata: [DONE]\n\n'
    write(
        tmp_path / "groq" / "retry.json",
        [{"status": 429, "body": {"error": {}}}, {"status": 200, "body": sse}],
    )
    message = {"type": "message", "model": "claude-x", "role": "assistant", "content": []}
    write(tmp_path / "x" / "claude.json", {"status": 200, "body": message})
    gemini = {"candidates": [], "modelVersion": "gemini-y"}
    write(
        tmp_path / "x" / "gem.json",
        {"status": 200, "headers": [{"name": "X-A", "value": "1"}], "body": gemini},
    )
    cases = {c.name: c for c in collect([tmp_path])}
    retry = cases["retry"]
    assert (retry.call.model, retry.call.stream, retry.provider, retry.feature) == (
        "groq/gpt-x",
        True,
        "groq",
        "error",
    )
    assert [i.request.path for i in retry.cassette.interactions] == ["/v1/chat/completions"] * 2
    assert retry.cassette.interactions[1].response.header("content-type") == "text/event-stream"
    claude = cases["claude"]
    assert (claude.call.model, claude.cassette.interactions[0].request.path) == (
        "anthropic/claude-x",
        "/v1/messages",
    )
    gem = cases["gem"]
    assert (gem.call.model, gem.call.base_path) == ("gemini/gemini-y", "/v1beta")
    assert gem.cassette.interactions[0].request.path == "/v1beta/models/gemini-y:generateContent"


def test_unknown_files_are_listed_and_library_files_are_not(
    tmp_path: Path, write_cassette, interaction
) -> None:
    cassette = write_cassette(interaction(request=HELLO), name="chat")
    root = cassette.parent.parent
    write(cassette.with_name("chat.case.yaml"), "feature: chat\n")
    write(root / "divergences.yaml", "divergences: []\n")
    write(root / "README.md", "# my cassettes\n")
    notes = write(root / "openai" / "notes.txt", "todo\n")
    keep = write(root / "openai" / ".gitkeep", "")
    orphan = write(root / "openai" / "gone.case.yaml", "feature: chat\n")
    licence = write(root / "LICENSE", "MIT\n")
    assert discover([root]) == sorted([cassette, notes, keep, orphan, licence])
    skips = {c.path: c.skip for c in collect([root]) if c.skip}
    assert "not a cassette ('.txt'" in skips[notes]
    assert "not a cassette ('.gitkeep'" in skips[keep] or "no suffix" in skips[keep]
    assert "no suffix" in skips[licence]
    assert "case metadata with no cassette beside it" in skips[orphan]
    assert cassette not in skips


def test_a_run_reports_every_file(tmp_path: Path, write_cassette, interaction) -> None:
    cassette = write_cassette(interaction(request=HELLO, body=CHAT), name="chat")
    root = cassette.parent.parent
    write(root / "openai" / "fixture.json", {"status": 200, "body": CHAT})
    write(root / "openai" / "notes.txt", "todo\n")
    code, _, _ = fake_run(str(root), "--report-dir", str(tmp_path / "r"))
    assert code == 0
    report = reports.load(tmp_path / "r" / "compat.json")
    outcomes = {Path(c["cassette"]).name: (c["outcome"], c["reason"]) for c in report["cases"]}
    assert outcomes["chat.yaml"][0] == outcomes["fixture.json"][0] == "conformant"
    assert outcomes["notes.txt"][0] == "skipped" and "not a cassette" in outcomes["notes.txt"][1]


# --- named files and empty selections fail loudly ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("bad.json", {"status": "ok"}, "'status' must be an integer"),
        ("notes.txt", "hello", "not a cassette"),
        ("divergences.yaml", "divergences: []\n", "the divergence registry, not a cassette"),
        ("broken.yaml", "interactions: [", "invalid YAML"),
    ],
)
def test_naming_a_file_that_yields_nothing_says_why_and_fails(
    tmp_path: Path, name: str, content: object, reason: str
) -> None:
    path = write(tmp_path / "openai" / name, content)
    code, out, err = fake_run(str(path), "--report-dir", str(tmp_path / "r"))
    assert code == 2 and out == ""
    assert f"{path} yields no case" in err and reason in err
    assert not (tmp_path / "r").exists()


def test_an_empty_selection_fails_unless_allowed(tmp_path: Path, openai_cases: Path) -> None:
    code, _, err = fake_run(str(openai_cases), "--provider", "nope", "--report-dir", str(tmp_path / "r"))
    assert code == 2 and "no cases selected: 3 case(s)" in err and "--provider nope" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = fake_run(str(empty), "--report-dir", str(tmp_path / "r"))
    assert code == 2 and f"no files under {empty}" in err
    code, _, _ = fake_run(str(empty), "--allow-empty", "--report-dir", str(tmp_path / "r"))
    assert code == 0 and reports.load(tmp_path / "r" / "compat.json")["cases"] == []


# --- recordings made against any host -----------------------------------------------------------


def test_a_127_0_0_1_recording_loads_when_metadata_names_the_provider(write_cassette, interaction) -> None:
    path = write_cassette(
        interaction("http://127.0.0.1:8000/v1/chat/completions", request=HELLO), name="local"
    )
    skipped = load_case(path)
    assert skipped.call is None and "no request to a known provider host" in skipped.skip
    assert "provider:" in skipped.skip  # the reason says how to fix it
    path.with_name("local.case.yaml").write_text(yaml.safe_dump({"provider": "vllm", "route": "hosted_vllm"}))
    case = load_case(path)
    assert (case.id, case.call.model, case.call.base_path) == ("vllm/chat/local", "hosted_vllm/m-1", "/v1")
    path.with_name("local.case.yaml").write_text("provider: openai\n")
    assert load_case(path).call.model == "openai/m-1"
    path.with_name("local.case.yaml").write_text("provider: my-gateway\n")  # unknown: OpenAI wire, openai/
    assert (load_case(path).provider, load_case(path).call.model) == ("my-gateway", "openai/m-1")


def test_a_private_host_recording_in_a_native_format(write_cassette, interaction) -> None:
    body = {"model": "claude-x", "max_tokens": 8, "messages": [{"role": "user", "content": "hi"}]}
    path = write_cassette(
        interaction("https://llm.internal.corp/anthropic/v1/messages", request=body), name="a"
    )
    path.with_name("a.case.yaml").write_text("provider: anthropic\n")
    case = load_case(path)
    assert (case.call.model, case.call.base_path, case.provider) == (
        "anthropic/claude-x",
        "/anthropic",
        "anthropic",
    )
