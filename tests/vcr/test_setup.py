"""The plugin beside pytest-recording, its import cost, the divert's loopback-only rule, scrubbing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from edgequake_harness.vcr import scrub
from tests.vcr.conftest import QUIET, cassette, completion_body, write_cassettes

pytest_plugins = ["pytester"]

# A stand-in for pytest-recording with its public names: its own --record-mode, marker and `vcr`
# fixture (the vcrpy Cassette). With it installed, edgequake's plugin must add only the bridge.
FAKE_RECORDING = """
import os
import pytest
import vcr as vcrpy

def pytest_addoption(parser):
    parser.getgroup("recording").addoption("--record-mode", default="none", choices=("once", "none"))

def pytest_configure(config):
    config.addinivalue_line("markers", "vcr: fake pytest-recording")

@pytest.fixture(autouse=True)
def vcr(request):
    if request.node.get_closest_marker("vcr") is None:
        yield None
        return
    folder = os.path.join(os.path.dirname(str(request.node.path)), "cassettes", request.module.__name__)
    recorder = vcrpy.VCR(cassette_library_dir=folder, record_mode=request.config.getoption("--record-mode"))
    with recorder.use_cassette(request.node.name + ".yaml") as cassette:
        yield cassette
"""


def test_beside_pytest_recording_only_the_bridge_is_added(user_project: pytest.Pytester) -> None:
    package = user_project.mkpydir("pytest_recording")
    (package / "plugin.py").write_text(FAKE_RECORDING)
    user_project.syspathinsert()
    user_project.makepyfile(
        test_user="""
import pytest, edgequake

@pytest.mark.vcr
def test_chat(vcr):
    response = edgequake.completion(model="openai/gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
    assert response.choices[0].message.content == "via pytest-recording"
    assert type(vcr).__module__ == "vcr.cassette" and vcr.play_count == 1
"""
    )
    chat = cassette(json.dumps(completion_body("via pytest-recording")))
    write_cassettes(user_project.path, "test_user", ["test_chat"], chat)
    # One --record-mode, pytest-recording's (two would stop pytest with a conflict), and its cassette.
    result = user_project.runpytest(*QUIET, "-p", "pytest_recording.plugin", "--record-mode=none")
    result.assert_outcomes(passed=1)


def test_importing_the_plugin_imports_nothing_heavy() -> None:
    code = (
        "import sys, edgequake_harness.vcr.plugin\n"
        "heavy = [m for m in ('litellm', 'vcr', 'yaml', 'openai', 'httpx', 'httpcore', 'edgequake._core')"
        " if m in sys.modules]\n"
        "print(heavy)\n"
    )
    repo = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "origin",
    ["http://10.1.2.3:8080", "https://127.0.0.1:8080", "http://api.openai.com:80", "http://127.0.0.1", "x"],
)
def test_the_divert_takes_loopback_origins_only(origin: str) -> None:
    from edgequake import _core

    with pytest.raises(ValueError, match="refused"):
        _core.divert(origin)
    assert _core.diverted() is None


def test_body_credentials_are_replaced_and_other_bodies_kept_byte_for_byte() -> None:
    body = json.dumps({"model": "m", "api_key": "sk-1", "nested": [{"client_secret": "s", "key": "data"}]})
    out = json.loads(scrub.scrub_body(body.encode()))
    assert out == {
        "model": "m",
        "api_key": "REDACTED",
        "nested": [{"client_secret": "REDACTED", "key": "data"}],
    }
    untouched = b'{"model":  "m", "max_tokens": 5}'
    assert scrub.scrub_body(untouched) is untouched
    assert scrub.scrub_body("grant_type=x&client_secret=s&token=t") == (
        "grant_type=x&client_secret=REDACTED&token=REDACTED"
    )


def test_response_cookies_go_and_user_filters_are_kept() -> None:
    response = {"headers": {"Set-Cookie": ["a=b"], "content-type": ["x"]}, "body": {"string": b"{}"}}
    assert scrub.scrub_response(response)["headers"] == {"content-type": ["x"]}
    config = scrub.config_with_scrubbing({"filter_headers": [("Authorization", "Bearer XXX")]})
    assert config["filter_headers"][0] == ("Authorization", "Bearer XXX")
    assert (
        "authorization" not in config["filter_headers"][1:] and "x-goog-api-key" in config["filter_headers"]
    )
    assert "key" in config["filter_query_parameters"]
    assert config["before_record_request"] == [scrub.scrub_request]


def test_the_bridge_refuses_a_request_that_was_not_diverted() -> None:
    import httpx

    from edgequake_harness.vcr.bridge import CassetteBridge

    with CassetteBridge(cassette=None) as bridge:
        reply = httpx.post(bridge.url + "/v1/chat/completions", content=b"{}")
    assert reply.status_code == 400 and "without its original URL" in reply.json()["error"]["message"]
