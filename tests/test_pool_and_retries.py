"""Bounded resources and the openai SDK's retry rules (issue 12, items 2 and 5).

* Connections: at most ``EDGEQUAKE_MAX_CONNECTIONS`` requests on the wire at once (default: the
  openai SDK's 1,000, fewer when the process's file limit would not hold them); calls beyond it queue
  instead of failing, so thousands of concurrent calls under a small ``ulimit -n`` all succeed and the
  process can still open files afterwards.
* Retries: a whole body cut mid-way is a failed attempt and is retried (the SDK reads it inside the
  attempt); a ``retry-after`` over two minutes is not waited for and not retried.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

import edgequake
from edgequake_harness.replay.loopback import Connection, Request
from tests import payloads
from tests.figures import record
from tests.loopback import LoopbackServer, Reply

ROOT = Path(__file__).resolve().parents[1]
KW = {"model": "openai/gpt-4o-mini", "messages": payloads.USER, "api_key": "k"}


def _cut_body() -> Reply:
    # Chunked, then the connection closes in the middle of the JSON: no complete body arrives.
    return Reply(
        raw_events=[b'{"id": "chatcmpl-1", "choi'], headers={"content-type": "application/json"}, cut=True
    )


def test_a_body_cut_mid_way_is_retried_like_the_sdk(server: LoopbackServer) -> None:
    server.enqueue(_cut_body(), _cut_body(), Reply(body=payloads.chat("after two cuts")))
    response = edgequake.completion(**KW, api_base=server.url + "/v1")  # openai's default: 2 retries
    assert response.choices[0].message.content == "after two cuts"
    assert len(server.seen) == 3


def test_a_cut_body_with_retries_off_is_one_attempt(server: LoopbackServer) -> None:
    server.enqueue(_cut_body())
    # litellm 1.110.2 raises the SDK's "Connection error." as a 500 InternalServerError (measured)
    with pytest.raises(edgequake.InternalServerError, match=r"OpenAIException - Connection error\."):
        edgequake.completion(**KW, api_base=server.url + "/v1", max_retries=0)
    assert len(server.seen) == 1


@pytest.mark.parametrize("header", [("retry-after", "3600"), ("retry-after-ms", "600000")])
def test_a_wait_over_two_minutes_is_not_retried(server: LoopbackServer, header: Any) -> None:
    server.enqueue(Reply(status=429, body={"error": {"message": "slow down"}}, headers=dict([header])))
    started = time.monotonic()
    with pytest.raises(edgequake.RateLimitError):
        edgequake.completion(**KW, api_base=server.url + "/v1")
    assert len(server.seen) == 1
    assert time.monotonic() - started < 5


def test_a_short_retry_after_is_waited_for(server: LoopbackServer) -> None:
    server.enqueue(
        Reply(status=429, body={"error": {"message": "slow down"}}, headers={"retry-after-ms": "300"}),
        Reply(body=payloads.chat("ok")),
    )
    started = time.monotonic()
    assert edgequake.completion(**KW, api_base=server.url + "/v1").choices[0].message.content == "ok"
    assert len(server.seen) == 2 and time.monotonic() - started >= 0.3


# --- the connection bound --------------------------------------------------------------------


class CountingServer(LoopbackServer):
    """Answers every request with a chat body after a short wait, counting requests in flight."""

    def __init__(self, wait: float) -> None:
        super().__init__()
        self.wait = wait
        self.in_flight = 0
        self.most_in_flight = 0
        self.served = 0

    async def _serve(self, request: Request, conn: Connection) -> None:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.wait)
            conn.respond(
                200, "OK", [("content-type", "application/json")], json.dumps(payloads.chat("hi")).encode()
            )
            self.served += 1
        finally:
            self.in_flight -= 1


@pytest.fixture
def counting() -> Iterator[CountingServer]:
    server = CountingServer(wait=0.05).start()
    yield server
    server.stop()


def _child(script: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        env={**os.environ, **env},
    )


CONCURRENT_CALLS = """
    import asyncio, resource, sys
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    {setlimit}
    import edgequake

    async def main(n):
        calls = [
            edgequake.acompletion(model="openai/gpt-4o-mini", messages=[{{"role": "user", "content": "hi"}}],
                                  api_key="k", api_base="{base}")
            for _ in range(n)
        ]
        return await asyncio.gather(*calls, return_exceptions=True)

    results = asyncio.run(main({n}))
    failed = [repr(r) for r in results if isinstance(r, BaseException)]
    print("failed", len(failed), failed[:3])
    handles = [open(__file__ if "__file__" in globals() else "/dev/null") for _ in range(32)]
    print("opened", len(handles))
"""


def test_concurrent_calls_beyond_the_bound_queue(counting: CountingServer) -> None:
    script = CONCURRENT_CALLS.format(setlimit="", base=counting.url + "/v1", n=40)
    out = _child(script, EDGEQUAKE_MAX_CONNECTIONS="4")
    assert out.returncode == 0, out.stderr
    assert "failed 0 []" in out.stdout, out.stdout
    assert counting.served == 40
    assert counting.most_in_flight <= 4, counting.most_in_flight


@pytest.mark.slow
@pytest.mark.parametrize(("limit", "calls"), [(256, 3000), (1024, 10_000)], ids=["macos-256", "linux-1024"])
def test_thousands_of_calls_under_a_small_file_limit_all_succeed(
    counting: CountingServer, limit: int, calls: int
) -> None:
    """`ulimit -n 256` (macOS's default) or 1024 (Linux's) in the child: thousands of concurrent calls
    queue for connections instead of running out of file descriptors, and the process can still open
    files afterwards."""
    hard = "resource.getrlimit(resource.RLIMIT_NOFILE)[1]"
    setlimit = f"resource.setrlimit(resource.RLIMIT_NOFILE, ({limit}, {hard}))"
    script = CONCURRENT_CALLS.format(setlimit=setlimit, base=counting.url + "/v1", n=calls)
    started = time.monotonic()
    env = {k: v for k, v in os.environ.items() if k != "EDGEQUAKE_MAX_CONNECTIONS"}
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        env=env,
    )
    record(
        "file_limit",
        ulimit=limit,
        calls=calls,
        failed=out.stdout.split("failed ", 1)[-1].split(" ", 1)[0] if "failed " in out.stdout else "?",
        opened_files_after="opened 32" in out.stdout,
        most_in_flight=counting.most_in_flight,
        seconds=round(time.monotonic() - started, 1),
    )
    assert out.returncode == 0, out.stderr
    assert "failed 0 []" in out.stdout, out.stdout
    assert "opened 32" in out.stdout
    assert counting.served == calls
    assert counting.most_in_flight <= (limit - 64) // 2
