"""The sandbox around a run (edgequake_harness.run.sandbox): credentials become canaries, every
outside connection is refused and recorded, also from the Rust core, and everything is put back."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from edgequake_harness.run.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]


def test_credentials_become_canaries_and_come_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-real")
    monkeypatch.setenv("HF_TOKEN", "hf-real")
    monkeypatch.setenv("EDGEQUAKE_SETTING", "kept")
    with Sandbox() as sandbox:
        assert os.environ["ANTHROPIC_API_KEY"].startswith("canary-")
        assert os.environ["HF_TOKEN"].startswith("canary-")
        assert os.environ["EDGEQUAKE_SETTING"] == "kept"
        assert sandbox.leaked(f"x-api-key: {os.environ['ANTHROPIC_API_KEY']}") == ["ANTHROPIC_API_KEY"]
        assert sandbox.leaked("x-api-key: sk-bench") == []
    assert os.environ["ANTHROPIC_API_KEY"] == "sk-ant-real" and os.environ["HF_TOKEN"] == "hf-real"


def test_names_outside_loopback_do_not_resolve() -> None:
    with Sandbox() as sandbox:
        with pytest.raises(socket.gaierror):
            socket.getaddrinfo("api.openai.com", 443)
        assert socket.getaddrinfo("127.0.0.1", 80)
        assert sandbox.take_outside() == ["resolve api.openai.com"]
    assert socket.getaddrinfo is not None


CORE_CALL = """
    import sys
    sys.path.insert(0, {root!r})
    from edgequake_harness.run.sandbox import Sandbox
    with Sandbox() as sandbox:
        import edgequake  # the core's client is built inside the sandbox, as in a harness run
        try:
            edgequake.completion(model="openai/gpt-4o", messages=[{{"role": "user", "content": "hi"}}],
                                 api_key="k", max_retries=0)
        except Exception as exc:
            print("raised", type(exc).__name__)
        print("outside", sandbox.take_outside())
"""


def test_the_rust_core_goes_through_the_refusing_proxy() -> None:
    """No api_base: the core would call api.openai.com; the sandbox's proxy refuses it."""
    env = {k: v for k, v in os.environ.items() if "PROXY" not in k.upper()}
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CORE_CALL.format(root=str(ROOT)))],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert out.returncode == 0, out.stderr
    assert "raised" in out.stdout
    assert "CONNECT api.openai.com:443" in out.stdout, out.stdout
