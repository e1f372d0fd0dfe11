"""The README's example runs as written, against the loopback server standing in for the providers."""

from __future__ import annotations

import contextlib
import io
import os
import re

import pytest

from tests import payloads
from tests.loopback import LoopbackServer, Reply, sse

README = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "README.md")


def _python_blocks() -> list:
    with open(README, encoding="utf-8") as f:
        return re.findall(r"```python\n(.*?)```", f.read(), flags=re.S)


def test_readme_example_runs(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = _python_blocks()
    assert blocks, "the README shows a python example"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-readme")
    monkeypatch.setenv("OPENAI_BASE_URL", server.url + "/v1")
    monkeypatch.setenv("GROQ_API_KEY", "gsk-readme")
    monkeypatch.setenv("GROQ_API_BASE", server.url + "/openai/v1")
    server.enqueue(
        Reply(body=payloads.chat("Hi!")), Reply(events=sse(*payloads.text_stream("1, ", "2, ", "3")))
    )
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(blocks[0], README, "exec"), {})
    assert out.getvalue() == "Hi!\n1, 2, 3"
    assert [s.path for s in server.seen] == ["/v1/chat/completions", "/openai/v1/chat/completions"]


@pytest.mark.slow
def test_readme_example_passes_mypy_strict(tmp_path: os.PathLike[str]) -> None:
    """As it does with litellm: the quickstart type-checks under `mypy --strict` (issue 10)."""
    import subprocess
    import sys

    pytest.importorskip("mypy")
    script = os.path.join(str(tmp_path), "quickstart.py")
    with open(script, "w", encoding="utf-8") as f:
        f.write(_python_blocks()[0])
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", script],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=str(tmp_path),
    )
    assert out.returncode == 0, out.stdout + out.stderr
