"""With litellm not installed, Anthropic, Gemini and Ollama calls still work (issue 8).

One fresh interpreter, litellm made unimportable as when it is not installed
(``sys.modules["litellm"] = None``: ``import litellm`` raises ``ImportError``), makes a sync, an async
and a streamed call on each native route against the loopback server. The per-provider tests check
separately that those calls never import litellm when it is installed.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.loopback import LoopbackServer, Reply
from tests.providers.ollama_payloads import NDJSON, chat_lines, chat_reply
from tests.providers.test_anthropic import _events, _message
from tests.providers.test_gemini import _event, _reply, _sse

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
    import asyncio, sys
    sys.modules["litellm"] = None  # as if litellm were not installed
    import edgequake

    base = sys.argv[1]
    user = [{"role": "user", "content": "hi"}]
    routes = [
        (dict(model="anthropic/claude-sonnet-4-5", api_key="k", api_base=base), "Hello there!", "x"),
        (dict(model="gemini/gemini-2.5-flash", api_key="k", api_base=base + "/v1beta"), "Hello", "x"),
        (dict(model="ollama_chat/llama3.1", api_base=base), "Hello", "ab"),
    ]
    for kw, text, streamed in routes:
        assert edgequake.completion(messages=user, **kw).choices[0].message.content == text, kw
        got = asyncio.run(edgequake.acompletion(messages=user, **kw))
        assert got.choices[0].message.content == text, kw
        chunks = list(edgequake.completion(messages=user, stream=True, **kw))
        assert "".join(c.choices[0].delta.content or "" for c in chunks) == streamed, kw
    try:
        edgequake.completion(model="bedrock/anthropic.claude-3", messages=user)
    except edgequake.UnsupportedProviderError as exc:
        print("unsupported:", exc.provider)
    print("ok")
"""


def test_native_routes_work_with_litellm_not_installed(server: LoopbackServer) -> None:
    server.enqueue(
        Reply(body=_message()),
        Reply(body=_message()),
        Reply(events=_events("x")),
        Reply(body=_reply()),
        Reply(body=_reply()),
        Reply(raw_events=_sse(_event("x", "STOP"))),
        Reply(body=chat_reply()),
        Reply(body=chat_reply()),
        Reply(raw_events=chat_lines("a", "b"), headers=NDJSON),
    )
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT), server.url],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["unsupported:", "bedrock", "ok"]
