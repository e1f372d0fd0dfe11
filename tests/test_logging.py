"""Logging as litellm does it (``edgequake._logging``): the ``LiteLLM`` logger names, its handler and
format, ``LITELLM_LOG``, ``_turn_on_debug()``, ``set_verbose``; and no API key in any line, whether
the key came per call, from the environment or from a module global.

Each scenario runs in a fresh interpreter (logging configuration is process-wide) and its stdout
and stderr are read whole.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from typing import Dict

import pytest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
CALL_KEY = "sk-percall-SECRET-abcdef123456"
ENV_KEY = "sk-env-SECRET-abcdef1234567"
GLOBAL_KEY = "sk-global-SECRET-abcdef12345"

SCRIPT = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    import edgequake as lt
    from tests import payloads
    from tests.loopback import LoopbackServer, Reply
    mode, key_source = sys.argv[1], sys.argv[2]
    if mode == "verbose":
        lt.set_verbose = True
    if mode == "debug":
        lt._turn_on_debug()
    if key_source == "global":
        lt.openai_key = {global_key!r}
    server = LoopbackServer().start()
    server.enqueue(Reply(body=payloads.chat("hello")))
    extra = {{"api_key": {call_key!r}}} if key_source == "call" else {{}}
    lt.completion(model="openai/gpt-4o-mini", messages=payloads.USER, api_base=server.url + "/v1",
                  max_retries=0, **extra)
    server.enqueue(Reply(status=401, body={{"error": {{"message": "bad"}}}}), Reply(body=payloads.chat("x")))
    lt.completion(model="openai/a", fallbacks=["openai/b"], messages=payloads.USER,
                  api_base=server.url + "/v1", max_retries=0, **extra)
    time.sleep(0.2)
    server.stop()
    """
)


def _run(mode: str, key_source: str, env: Dict[str, str]) -> subprocess.CompletedProcess:
    script = SCRIPT.format(root=ROOT, call_key=CALL_KEY, global_key=GLOBAL_KEY)
    full_env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True", **env}
    full_env.pop("OPENAI_API_KEY", None)
    if key_source == "env":
        full_env["OPENAI_API_KEY"] = ENV_KEY
    elif key_source != "call":
        full_env["OPENAI_API_KEY"] = "sk-placeholder-not-secret"
    return subprocess.run(
        [sys.executable, "-c", script, mode, key_source],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=60,
    )


@pytest.mark.parametrize("key_source", ["call", "env", "global"])
@pytest.mark.parametrize("mode", ["debug", "verbose", "env_debug"])
def test_no_key_in_any_log_line(mode: str, key_source: str) -> None:
    env = {"LITELLM_LOG": "DEBUG"} if mode == "env_debug" else {}
    done = _run("debug" if mode == "env_debug" else mode, key_source, env)
    assert done.returncode == 0, done.stderr
    output = done.stdout + done.stderr
    assert output.strip(), "debug logging printed something"
    for secret in (CALL_KEY, ENV_KEY, GLOBAL_KEY):
        assert secret not in output
    assert "SECRET" not in output


def test_debug_lines_use_litellms_format_and_streams() -> None:
    done = _run("debug", "call", {})
    assert "LiteLLM:DEBUG" in done.stdout and "Request to litellm:" in done.stdout
    assert (
        "LiteLLM:INFO" in done.stdout
        and "LiteLLM completion() model= gpt-4o-mini; provider = openai" in done.stdout
    )
    assert "api_key=REDACTED" in done.stdout
    # WARNING and above go to stderr, as litellm routes them
    assert "LiteLLM:ERROR" in done.stderr and "Fallback attempt failed for model openai/a" in done.stderr


def test_litellm_log_alone_shows_no_debug_lines() -> None:
    """LITELLM_LOG sets the handler's level, not the logger's: litellm 1.110.2 shows no DEBUG line
    for LITELLM_LOG=DEBUG unless the logger is turned on too (measured)."""
    done = _run("none", "call", {"LITELLM_LOG": "DEBUG"})
    assert "LiteLLM:DEBUG" not in done.stdout
    assert "Fallback attempt failed" in done.stderr  # ERROR passes the default WARNING level


def test_set_verbose_prints_and_warns() -> None:
    done = _run("verbose", "call", {})
    assert "Final returned optional params" in done.stdout
    assert "`litellm.set_verbose` is deprecated" in done.stderr


def test_logger_names_and_helpers() -> None:
    import logging

    import edgequake
    from edgequake import _logging

    assert _logging.verbose_logger is logging.getLogger("LiteLLM")
    assert _logging.verbose_router_logger is logging.getLogger("LiteLLM Router")
    assert _logging.verbose_proxy_logger is logging.getLogger("LiteLLM Proxy")
    assert edgequake.verbose_logger is _logging.verbose_logger
    assert callable(edgequake._turn_on_debug)
    assert _logging.redact(f"key {CALL_KEY} and Bearer abcdefghijkl") == "key REDACTED and Bearer REDACTED"
