"""``Usage`` is an ``openai.types.CompletionUsage`` once openai is loaded, as litellm's is, and costs
nothing before (docs/adr/0010-usage-as-openai-completion-usage.md). instructor adds up the usage of
its retries only for ``CompletionUsage`` objects."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
    import json, pickle, sys
    sys.path.insert(0, {root!r})
    from tests.loopback import LoopbackServer, Reply
    from tests import payloads
    import edgequake

    server = LoopbackServer().start()
    def call():
        server.enqueue(Reply(body=payloads.chat("hi")))
        return edgequake.completion(model="openai/gpt-4o", messages=payloads.USER, api_key="k",
                                    api_base=server.url + "/v1")

    before = call().usage
    assert "openai" not in sys.modules, "building a response imported openai"
    from openai.types import CompletionUsage
    after = call().usage
    built = edgequake.Usage(prompt_tokens=3, completion_tokens=4, total_tokens=7)
    # instructor's update_total_usage, in short: totals only accumulate for CompletionUsage objects
    total = edgequake.Usage(prompt_tokens=0, completion_tokens=0, total_tokens=0)
    for usage in (after, built):
        if isinstance(usage, CompletionUsage) and isinstance(total, CompletionUsage):
            total.completion_tokens += usage.completion_tokens
            total.prompt_tokens += usage.prompt_tokens
            total.total_tokens += usage.total_tokens
    round_trip = pickle.loads(pickle.dumps(after))
    server.stop()
    print(json.dumps({{
        "before_is_openai": isinstance(before, CompletionUsage),
        "after_is_openai": isinstance(after, CompletionUsage),
        "built_is_openai": isinstance(built, CompletionUsage),
        "all_edgequake": all(isinstance(u, edgequake.Usage) for u in (before, after, built, round_trip)),
        "same_dump": before.model_dump() == after.model_dump() == round_trip.model_dump(),
        "class_name": type(after).__name__,
        "total": total.total_tokens,
    }}))
"""


def test_usage_becomes_an_openai_completion_usage_once_openai_is_loaded() -> None:
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT.format(root=str(ROOT)))],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    import json

    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {
        "before_is_openai": False,
        "after_is_openai": True,
        "built_is_openai": True,
        "all_edgequake": True,
        "same_dump": True,
        "class_name": "Usage",
        "total": 19,
    }
