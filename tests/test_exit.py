"""Interpreter exit never aborts, whatever the core is doing: each scenario runs as many fresh child
processes while busy neighbour processes compete for the CPU (the load under which exit used to abort
one run in ten: a core thread re-entering Python while the interpreter finalised).

EDGEQUAKE_EXIT_RUNS sets the runs per scenario (default 20; 200 for the long profile) and
EDGEQUAKE_EXIT_NEIGHBOURS the number of busy-loop neighbours (default 2; 0 for an idle machine).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections import Counter
from typing import Callable, Iterator, List, Sequence

import pytest

from tests import payloads
from tests.figures import record
from tests.loopback import LoopbackServer, Reply, sse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = int(os.environ.get("EDGEQUAKE_EXIT_RUNS", "20"))
NEIGHBOURS = int(os.environ.get("EDGEQUAKE_EXIT_NEIGHBOURS", "2"))
# A run that takes this long hangs at exit: that is a failure too, not a pass.
CHILD_TIMEOUT = 20.0

_PRELUDE = """
import asyncio, random, sys, threading, time
import edgequake
KW = dict(model="openai/gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], api_key="k",
          api_base="BASE", max_retries=0)
RUN = int(sys.argv[1])
"""


@pytest.fixture
def exit_server() -> Iterator[LoopbackServer]:
    """A server of this test's own: children that exit early leave replies unrequested, on purpose."""
    server = LoopbackServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def neighbours() -> Iterator[None]:
    """Busy loops on every core, so the exit's threads are preempted at arbitrary points."""
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(NEIGHBOURS)]
    try:
        yield
    finally:
        for proc in procs:
            proc.kill()
        for proc in procs:
            proc.wait()


def _run_children(server: LoopbackServer, code: str, replies: Callable[[], Sequence[Reply]]) -> None:
    """Runs `code` in RUNS fresh children, each with `replies()` queued for it (fresh objects: a held
    reply is released once its child has gone)."""
    script = (_PRELUDE + textwrap.dedent(code)).replace("BASE", server.url + "/v1")
    failures: List[str] = []
    codes: Counter = Counter()  # exit codes of the failed runs: -6 abort, -11 segfault, 0 a message
    started = time.monotonic()
    slowest = 0.0  # a run near 5 s would mean the exit hook waited out its bound for a re-entry
    for run in range(RUNS):
        run_started = time.monotonic()
        queued = replies()
        server.enqueue(*queued)
        child = subprocess.Popen(
            [sys.executable, "-c", script, str(run)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        hung = False
        try:
            out, err = child.communicate(timeout=CHILD_TIMEOUT)
        except subprocess.TimeoutExpired:
            hung = True
            child.kill()
            out, err = child.communicate()
        finally:
            for release in (r.release for r in queued):
                release.set()  # held streams: the child is gone, let the server's waits end now
        slowest = max(slowest, time.monotonic() - run_started)
        if (
            hung
            or child.returncode != 0
            or "Fatal Python error" in err
            or "panicked" in err
            or "ok" not in out
        ):
            codes["hung" if hung else child.returncode] += 1
            failures.append(f"run {run}: exit code {child.returncode}\n{err[-2000:]}")
    took = time.monotonic() - started
    scenario = os.environ.get("PYTEST_CURRENT_TEST", "?").split("::")[-1].split(" ")[0]
    abnormal = len(failures)
    seconds = round(took, 1)
    record("exit", scenario=scenario, runs=RUNS, neighbours=NEIGHBOURS, abnormal=abnormal, seconds=seconds)
    print(
        f"{len(failures)} of {RUNS} runs failed {dict(codes)}"
        f" ({NEIGHBOURS} neighbours, {took:.1f} s, slowest run {slowest:.2f} s)"
    )
    assert not failures, f"{len(failures)} of {RUNS} runs failed:\n" + "\n".join(failures[:3])


def test_exit_while_async_calls_finish(exit_server: LoopbackServer, neighbours: None) -> None:
    # Replies spread over 0.25 s: at exit some calls are done, some finishing, some still waiting.
    def replies() -> List[Reply]:
        return [Reply(body=payloads.chat(), delay=(i % 26) / 100) for i in range(100)]

    _run_children(
        exit_server,
        """
        async def main():
            tasks = [asyncio.ensure_future(edgequake.acompletion(**KW)) for _ in range(100)]
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            await asyncio.sleep(random.uniform(0, 0.1))
            print("ok")
        if RUN % 2:
            asyncio.run(main())  # cancels the calls still in flight, then closes the loop
        else:
            # The loop is left open with its calls running: they finish while the interpreter exits.
            asyncio.new_event_loop().run_until_complete(main())
        """,
        replies,
    )


def test_exit_with_async_streams_open(exit_server: LoopbackServer, neighbours: None) -> None:
    # Half the streams hold after their first chunk, half keep coming while the child exits.
    def replies() -> List[Reply]:
        held = [Reply(events=sse(*payloads.text_stream("a", "b")), hold_after=1) for _ in range(8)]
        flowing = [Reply(events=sse(*payloads.text_stream(*["x"] * 300))) for _ in range(8)]
        return [r for pair in zip(held, flowing) for r in pair]

    _run_children(
        exit_server,
        """
        async def drain(stream):
            async for _ in stream:
                pass
        async def main():
            streams = await asyncio.gather(*[edgequake.acompletion(**KW, stream=True) for _ in range(16)])
            for stream in streams:
                await stream.__anext__()
            readers = [asyncio.ensure_future(drain(s)) for s in streams]
            await asyncio.sleep(random.uniform(0, 0.05))
            print("ok")
        if RUN % 2:
            asyncio.run(main())
        else:
            asyncio.new_event_loop().run_until_complete(main())
        """,
        replies,
    )


def test_exit_with_daemon_threads_blocked_in_completion(
    exit_server: LoopbackServer, neighbours: None
) -> None:
    def replies() -> List[Reply]:
        return [Reply(body=payloads.chat(), delay=30) for _ in range(32)]

    _run_children(
        exit_server,
        """
        def call():
            try:
                edgequake.completion(**KW)
            except Exception:
                pass
        for _ in range(32):
            threading.Thread(target=call, daemon=True).start()
        time.sleep(random.uniform(0.1, 0.3))  # they wake every 100 ms to check for Ctrl-C
        print("ok")
        """,
        replies,
    )


def test_atexit_hook_registered_before_import_can_still_call(exit_server: LoopbackServer) -> None:
    # atexit runs hooks last-registered first, so this one runs after edgequake's: the gate is closed
    # by then, but the thread that closed it (the one finalising) may still make blocking calls.
    exit_server.enqueue(Reply(body=payloads.chat("late")))
    script = textwrap.dedent(
        """
        import atexit
        def late():
            import edgequake
            r = edgequake.completion(model="openai/gpt-4o-mini", messages=[{"role": "user", "content": "hi"}],
                                     api_key="k", api_base="BASE", max_retries=0)
            print("late:", r.choices[0].message.content)
        atexit.register(late)
        import edgequake
        """
    ).replace("BASE", exit_server.url + "/v1")
    child = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=30
    )
    assert child.returncode == 0, child.stderr
    assert "late: late" in child.stdout
