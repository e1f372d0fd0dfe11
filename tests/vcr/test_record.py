"""Record mode: the bridge forwards to an upstream (a local fake here, never the network) and the
cassette written holds no secret; `once` then replays it with the upstream gone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.loopback import LoopbackServer, Reply, sse
from tests.vcr.conftest import QUIET, SECRET, completion_body

pytest_plugins = ["pytester"]

USER_TESTS = """
import asyncio, os
import pytest
import edgequake, litellm

BASE = os.environ["FAKE_UPSTREAM"] + "/v1"
MESSAGES = [{"role": "user", "content": "hi"}]
MODEL = "openai/gpt-4o-mini"

@pytest.mark.vcr
@pytest.mark.parametrize("lib", [edgequake, litellm], ids=["edgequake", "litellm"])
def test_record(lib):
    # A key in the body too (some gateways take one there): it must not reach the cassette either.
    key = {"api_key": os.environ["OPENAI_API_KEY"]}
    response = lib.completion(model=MODEL, messages=MESSAGES, api_base=BASE, extra_body=key)
    assert response.choices[0].message.content == "recorded"

@pytest.mark.vcr
def test_record_stream():
    async def run():
        chunks = await edgequake.acompletion(model=MODEL, messages=MESSAGES, api_base=BASE, stream=True)
        return "".join([c.choices[0].delta.content or "" async for c in chunks])
    assert asyncio.run(run()) == "recorded, streamed"
"""


def _stream_reply() -> Reply:
    chunk = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o-mini"}
    return Reply(
        events=sse(
            {**chunk, "choices": [{"index": 0, "delta": {"content": "recorded, "}, "finish_reason": None}]},
            {**chunk, "choices": [{"index": 0, "delta": {"content": "streamed"}, "finish_reason": None}]},
            {**chunk, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
        ),
        headers={"content-type": "text/event-stream"},
    )


def _replies() -> list:
    headers = {"content-type": "application/json", "set-cookie": f"session={SECRET}; Path=/"}
    return [
        Reply(body=completion_body("recorded"), headers=headers),
        Reply(body=completion_body("recorded"), headers=headers),
        _stream_reply(),
    ]


def test_once_records_from_a_fake_upstream_with_no_secret_on_disk(
    user_project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_project.makepyfile(test_user=USER_TESTS)
    with LoopbackServer() as upstream:
        upstream.enqueue(*_replies())
        monkeypatch.setenv("FAKE_UPSTREAM", upstream.url)
        result = user_project.runpytest(*QUIET, "--record-mode=once", "-p", "no:randomly")
        result.assert_outcomes(passed=3)
        seen = list(upstream.seen)
    # The upstream got the real requests, key included (it is the provider).
    assert len(seen) == 3 and all(s.headers.get("authorization") == f"Bearer {SECRET}" for s in seen)
    folder = Path(user_project.path) / "cassettes" / "test_user"
    files = sorted(p.name for p in folder.iterdir())
    assert files == ["test_record[edgequake].yaml", "test_record[litellm].yaml", "test_record_stream.yaml"]
    for path in folder.iterdir():
        text = path.read_text()
        assert SECRET not in text, path.name
        data = yaml.safe_load(text)
        (interaction,) = data["interactions"]
        request = interaction["request"]
        assert request["uri"] == f"{upstream.url}/v1/chat/completions"
        assert "authorization" not in {k.lower() for k in request["headers"]}
        assert "set-cookie" not in {k.lower() for k in interaction["response"]["headers"]}
        assert "x-edgequake-divert-url" not in {k.lower() for k in request["headers"]}
        if "stream" not in path.name:
            assert json.loads(request["body"])["api_key"] == "REDACTED"
    stream = yaml.safe_load((folder / "test_record_stream.yaml").read_text())["interactions"][0]["response"]
    assert (
        b"recorded, " in stream["body"]["string"]
        if isinstance(stream["body"]["string"], bytes)
        else "recorded, " in stream["body"]["string"]
    )

    # The upstream is gone: `once` with the cassettes present replays them and records nothing.
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    again = user_project.runpytest(*QUIET, "--record-mode=once")
    again.assert_outcomes(passed=3)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_new_episodes_records_only_what_is_missing(
    user_project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_project.makepyfile(
        test_user="""
import os, pytest, edgequake
BASE = os.environ["FAKE_UPSTREAM"] + "/v1"

@pytest.mark.vcr
def test_two():
    for text in ("first", "second"):
        messages = [{"role": "user", "content": text}]
        r = edgequake.completion(model="openai/gpt-4o-mini", messages=messages, api_base=BASE)
        assert r.choices[0].message.content == "recorded"
"""
    )
    with LoopbackServer() as upstream:
        monkeypatch.setenv("FAKE_UPSTREAM", upstream.url)
        upstream.enqueue(Reply(body=completion_body("recorded")), Reply(body=completion_body("recorded")))
        user_project.runpytest(*QUIET, "--record-mode=once").assert_outcomes(passed=1)
        assert len(upstream.seen) == 2
        # The cassette exists: `none` and `once` replay both; `new_episodes` replays them too, and
        # `all` goes to the upstream again for both.
        user_project.runpytest(*QUIET).assert_outcomes(passed=1)
        user_project.runpytest(*QUIET, "--record-mode=new_episodes").assert_outcomes(passed=1)
        assert len(upstream.seen) == 2
        upstream.enqueue(Reply(body=completion_body("recorded")), Reply(body=completion_body("recorded")))
        user_project.runpytest(*QUIET, "--record-mode=all").assert_outcomes(passed=1)
        assert len(upstream.seen) == 4
    cassette = yaml.safe_load((user_project.path / "cassettes" / "test_user" / "test_two.yaml").read_text())
    assert len(cassette["interactions"]) == 2


PROVIDER_TESTS = """
import os, pytest, edgequake

BASE = os.environ["FAKE_UPSTREAM"]
MESSAGES = [{"role": "user", "content": "hi"}]

@pytest.mark.vcr
def test_anthropic():
    r = edgequake.completion(model="anthropic/claude-3-5-haiku-20241022", messages=MESSAGES, api_base=BASE)
    assert r.choices[0].message.content == "recorded"

@pytest.mark.vcr
def test_gemini():
    r = edgequake.completion(model="gemini/gemini-2.0-flash", messages=MESSAGES, api_base=BASE)
    assert r.choices[0].message.content == "recorded"
"""


def test_provider_key_headers_and_key_query_parameters_stay_off_disk(
    user_project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Anthropic sends its key as x-api-key, Gemini as `key=` in the query (or x-goog-api-key).
    monkeypatch.setenv("ANTHROPIC_API_KEY", SECRET)
    monkeypatch.setenv("GEMINI_API_KEY", SECRET)
    user_project.makepyfile(test_providers=PROVIDER_TESTS)
    anthropic = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "claude-3-5-haiku-20241022",
        "content": [{"type": "text", "text": "recorded"}],
        "stop_reason": "end_turn",
        "usage": {"input_tokens": 3, "output_tokens": 1},
    }
    gemini = {
        "candidates": [
            {
                "content": {"role": "model", "parts": [{"text": "recorded"}]},
                "finishReason": "STOP",
                "index": 0,
            }
        ],
        "usageMetadata": {"promptTokenCount": 3, "candidatesTokenCount": 1, "totalTokenCount": 4},
    }
    with LoopbackServer() as upstream:
        monkeypatch.setenv("FAKE_UPSTREAM", upstream.url)
        upstream.enqueue(Reply(body=anthropic), Reply(body=gemini))
        user_project.runpytest(*QUIET, "--record-mode=once").assert_outcomes(passed=2)
        sent = " ".join(f"{s.path} {s.headers}" for s in upstream.seen)
    assert sent.count(SECRET) >= 2  # the upstream (the provider) did get the key
    folder = user_project.path / "cassettes" / "test_providers"
    for name in ("test_anthropic.yaml", "test_gemini.yaml"):
        assert SECRET not in (folder / name).read_text(), name
    # Replay matches the scrubbed recording (the live request is scrubbed the same way first).
    user_project.runpytest(*QUIET).assert_outcomes(passed=2)
