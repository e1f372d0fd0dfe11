"""A user's vcrpy cassette test, replayed: edgequake and litellm, sync, async and streaming, with
the network unreachable; a miss names the closest recorded request; bad record modes are refused."""

from __future__ import annotations

import json

import pytest

from tests.vcr.conftest import QUIET, cassette, completion_body, stream_body, write_cassettes

pytest_plugins = ["pytester"]

USER_TESTS = """
import asyncio
import pytest
import edgequake, litellm

MESSAGES = [{"role": "user", "content": "hi"}]
LIBS = pytest.mark.parametrize("lib", [edgequake, litellm], ids=["edgequake", "litellm"])

@pytest.mark.vcr
@LIBS
def test_chat(lib, vcr):
    response = lib.completion(model="openai/gpt-4o-mini", messages=MESSAGES)
    assert response.choices[0].message.content == "Hello from the cassette"
    assert vcr.play_count == 1

@pytest.mark.vcr
@LIBS
def test_chat_async(lib, vcr):
    response = asyncio.run(lib.acompletion(model="openai/gpt-4o-mini", messages=MESSAGES))
    assert response.choices[0].message.content == "Hello from the cassette"
    assert vcr.play_count == 1

@pytest.mark.vcr
@LIBS
def test_stream(lib, vcr):
    chunks = lib.completion(model="openai/gpt-4o-mini", messages=MESSAGES, stream=True)
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "Hello, streamed"
    assert vcr.play_count == 1

@pytest.mark.vcr
@LIBS
def test_stream_async(lib, vcr):
    async def run():
        chunks = await lib.acompletion(model="openai/gpt-4o-mini", messages=MESSAGES, stream=True)
        return "".join([c.choices[0].delta.content or "" async for c in chunks])
    assert asyncio.run(run()) == "Hello, streamed"
    assert vcr.play_count == 1
"""

IDS = ("edgequake", "litellm")


def _project(user_project: pytest.Pytester) -> pytest.Pytester:
    user_project.makepyfile(test_user=USER_TESTS)
    chat = cassette(json.dumps(completion_body("Hello from the cassette")))
    stream = cassette(stream_body("Hello", ", ", "streamed"), content_type="text/event-stream")
    root = user_project.path
    write_cassettes(root, "test_user", [f"test_chat[{i}]" for i in IDS], chat)
    write_cassettes(root, "test_user", [f"test_chat_async[{i}]" for i in IDS], chat)
    write_cassettes(root, "test_user", [f"test_stream[{i}]" for i in IDS], stream)
    write_cassettes(root, "test_user", [f"test_stream_async[{i}]" for i in IDS], stream)
    return user_project


def test_a_users_cassette_replays_for_edgequake_and_litellm(user_project: pytest.Pytester) -> None:
    project = _project(user_project)
    before = {p: p.read_bytes() for p in (project.path / "cassettes").rglob("*.yaml")}
    result = project.runpytest(*QUIET, "-v")
    result.assert_outcomes(passed=8)
    for name in ("test_chat", "test_chat_async", "test_stream", "test_stream_async"):
        result.stdout.fnmatch_lines([f"*{name}[[]edgequake] PASSED*"])
    # Replay only: record mode none never rewrites a committed cassette.
    assert {p: p.read_bytes() for p in (project.path / "cassettes").rglob("*.yaml")} == before


def test_without_the_bridge_edgequake_fails_as_the_issue_says(user_project: pytest.Pytester) -> None:
    # The bridge fixture is what serves edgequake: with it overridden away, edgequake's request
    # goes to the real provider URL (unreachable here) while litellm still replays through vcrpy.
    project = _project(user_project)
    project.makeconftest(
        (project.path / "conftest.py").read_text()
        + "\n@pytest.fixture\ndef _edgequake_cassette_bridge():\n    yield None\n"
    )
    result = project.runpytest(*QUIET, "-k", "test_chat and not async")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*FAILED*test_chat[[]edgequake]*"])


def test_a_miss_names_the_closest_request_and_the_matcher_that_differed(
    user_project: pytest.Pytester,
) -> None:
    user_project.makepyfile(
        test_miss="""
import pytest, edgequake, litellm

@pytest.mark.vcr
@pytest.mark.parametrize("lib", [edgequake, litellm], ids=["edgequake", "litellm"])
def test_embed(lib):
    lib.embedding(model="openai/text-embedding-3-small", input=["x"])

@pytest.mark.vcr
def test_swallowed():
    try:
        edgequake.embedding(model="openai/text-embedding-3-small", input=["x"])
    except Exception:
        pass  # the user's code hides the error: the miss must still fail the test
"""
    )
    chat = cassette(json.dumps(completion_body("unused")))
    write_cassettes(
        user_project.path,
        "test_miss",
        ["test_embed[edgequake]", "test_embed[litellm]", "test_swallowed"],
        chat,
    )
    result = user_project.runpytest(*QUIET)
    result.assert_outcomes(passed=1, failed=2, errors=1)  # test_swallowed: its call passed, its teardown not
    out = result.stdout.str()
    # vcrpy's own report, for both libraries: the request, the closest recording, the matcher.
    assert out.count("path differs: /v1/embeddings != /v1/chat/completions") >= 3
    assert "POST https://api.openai.com/v1/embeddings" in out
    result.stdout.fnmatch_lines(
        ["*ERROR at teardown of test_swallowed*", "edgequake sent a request the cassette cannot answer:"]
    )


def test_match_on_is_honoured(user_project: pytest.Pytester) -> None:
    # Recorded against another host: the default matchers refuse it, match_on=[method, path] plays it.
    user_project.makepyfile(
        test_match="""
import pytest, edgequake

@pytest.fixture(scope="module")
def vcr_config():
    return {"match_on": ["method", "path"]}

@pytest.mark.vcr
def test_loose(vcr):
    response = edgequake.completion(model="openai/gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
    assert response.choices[0].message.content == "elsewhere"

@pytest.mark.vcr(match_on=["method", "scheme", "host", "port", "path", "query"])
def test_strict():
    edgequake.completion(model="openai/gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
"""
    )
    other = cassette(
        json.dumps(completion_body("elsewhere")), uri="https://proxy.example.com/v1/chat/completions"
    )
    write_cassettes(user_project.path, "test_match", ["test_loose", "test_strict"], other)
    result = user_project.runpytest(*QUIET)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*host differs: api.openai.com != proxy.example.com*"])


@pytest.mark.parametrize("args", [["--record-mode=sometimes"], ["--record-mode", "rewrite"]])
def test_a_bad_record_mode_option_is_refused(user_project: pytest.Pytester, args: list) -> None:
    user_project.makepyfile("def test_nothing():\n    pass\n")
    result = user_project.runpytest(*QUIET, *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--record-mode: invalid choice*none*once*new_episodes*all*"])


def test_a_bad_record_mode_in_vcr_config_is_refused(user_project: pytest.Pytester) -> None:
    user_project.makepyfile(
        test_cfg="""
import pytest

@pytest.fixture(scope="module")
def vcr_config():
    return {"record_mode": "rewrite"}

@pytest.mark.vcr
def test_it():
    pass
"""
    )
    result = user_project.runpytest(*QUIET)
    assert result.ret != 0
    result.stdout.fnmatch_lines(
        ["*invalid record_mode 'rewrite' in vcr_config: use one of none, once, new_episodes, all*"]
    )
