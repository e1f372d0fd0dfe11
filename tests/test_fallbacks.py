"""``fallbacks=`` and ``context_window_fallback_dict=``: the same calls through litellm and edgequake
against the loopback server (``tools/measure_fallbacks.py``): which models were asked, in which
order, which one answered, the attempted-fallbacks header, and the error when every attempt fails."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from typing import Any, Dict, List

import pytest

import edgequake
from tests import payloads
from tests.loopback import LoopbackServer, Reply, sse
from tools.measure_fallbacks import CASES, measure

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


@pytest.fixture(scope="module")
def reference() -> Dict[str, Any]:
    pytest.importorskip("litellm")
    done = subprocess.run(
        [sys.executable, os.path.join(ROOT, "tools", "measure_fallbacks.py"), "litellm"],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def candidate() -> Dict[str, Any]:
    return measure("edgequake")


@pytest.mark.parametrize("case", sorted(CASES))
def test_fallbacks_as_litellm(reference: Dict[str, Any], candidate: Dict[str, Any], case: str) -> None:
    assert candidate[case] == reference[case]


def _bad() -> Reply:
    return Reply(status=401, body={"error": {"message": "bad key", "type": "invalid_request_error"}})


def _ok(model: str) -> Reply:
    return Reply(body=payloads.chat("hello", model=model))


def test_fallback_stream_works(server: LoopbackServer) -> None:
    """litellm's sync completion runs fallbacks through acompletion on a private loop, so a sync
    stream cannot be iterated there (MidStreamFallbackError); edgequake returns a working stream."""
    server.enqueue(_bad(), Reply(events=sse(*payloads.text_stream("a", "b"))))
    stream = edgequake.completion(model="openai/first", fallbacks=["openai/second"], stream=True,
                                  messages=payloads.USER, api_base=server.url + "/v1", api_key="k",
                                  max_retries=0)  # fmt: skip
    assert "".join(c.choices[0].delta.content or "" for c in stream) == "ab"
    assert [s.json()["model"] for s in server.seen] == ["first", "second"]


def test_each_failed_attempt_is_logged_and_fires_failure_callbacks(
    server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    failures: List[str] = []

    def on_failure(kwargs: Any, response: Any, start: Any, end: Any) -> None:
        failures.append(kwargs["model"])

    server.enqueue(_bad(), _ok("second"))
    with caplog.at_level(logging.ERROR, logger="LiteLLM"):
        resp = edgequake.completion(model="openai/first", fallbacks=["openai/second"], messages=payloads.USER,
                                    api_base=server.url + "/v1", api_key="k", max_retries=0,
                                    failure_callback=[on_failure])  # fmt: skip
    assert resp.model == "second"
    assert failures == ["first"]
    assert any("Fallback attempt failed for model openai/first" in r.getMessage() for r in caplog.records)


def test_module_model_fallbacks(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(edgequake, "model_fallbacks", ["openai/second"])
    server.enqueue(_bad(), _ok("second"))
    resp = edgequake.completion(model="openai/first", messages=payloads.USER, api_base=server.url + "/v1",
                                api_key="k", max_retries=0)  # fmt: skip
    assert resp.model == "second"
