"""The runtime contract: one pool per process that survives fork(), Ctrl-C interrupts a blocking call,
cancelling an async call cancels its request, no abort at interpreter exit, and acompletion under
uvloop, anyio, FastAPI and an already running loop; trio gets a clear way out."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
import warnings

import pytest

import edgequake
from tests import payloads
from tests.loopback import LoopbackServer, Reply

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _kw(server: LoopbackServer) -> dict:
    return {
        "model": "openai/gpt-4o-mini",
        "messages": payloads.USER,
        "api_key": "k",
        "api_base": server.url + "/v1",
        "max_retries": 0,
    }


def _wait_for(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)


# A runner started in the background (`nohup make test &`, some CI shells) hands its children SIGINT
# as ignored, and Python keeps an inherited SIG_IGN instead of installing its KeyboardInterrupt
# handler. Each child installs the handler a terminal would have given it, so the Ctrl-C tests do
# not depend on how pytest itself was started.
_CHILD_PRELUDE = "import signal\nsignal.signal(signal.SIGINT, signal.default_int_handler)\n"


def _child(code: str, server: LoopbackServer) -> subprocess.Popen:
    script = _CHILD_PRELUDE + textwrap.dedent(code).replace("BASE", server.url + "/v1")
    return subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_calls_work_in_a_forked_child(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=payloads.chat("parent")), Reply(body=payloads.chat("child")))
    assert edgequake.completion(**_kw(server)).choices[0].message.content == "parent"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork() with threads: we rebuild, not reuse
        pid = os.fork()
    if pid == 0:  # child: the inherited runtime's threads are gone; a new one must be built
        code = 1
        try:
            code = 0 if edgequake.completion(**_kw(server)).choices[0].message.content == "child" else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def test_ctrl_c_interrupts_a_blocking_call(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=payloads.chat(), delay=30))
    hangups = server.client_hangups
    child = _child(
        """
        import edgequake, time
        t = time.monotonic()
        try:
            edgequake.completion(model="openai/gpt-4o-mini", messages=[{"role": "user", "content": "hi"}],
                                 api_key="k", api_base="BASE", max_retries=0)
        except KeyboardInterrupt:
            print("interrupted after", round(time.monotonic() - t, 1))
    """,
        server,
    )
    try:
        _wait_for(lambda: len(server.seen) == 1)
    except AssertionError:
        child.kill()
        raise AssertionError(f"child never sent its request: {child.communicate()[1]}") from None
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=10)
    assert "interrupted" in out, err
    _wait_for(lambda: server.client_hangups > hangups)


def test_cancelling_acompletion_cancels_the_request(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=payloads.chat(), delay=30))
    hangups = server.client_hangups

    async def main() -> float:
        task = asyncio.ensure_future(edgequake.acompletion(**_kw(server)))
        while not server.seen:
            await asyncio.sleep(0.01)
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return time.monotonic() - started

    assert asyncio.run(main()) < 1.0
    _wait_for(lambda: server.client_hangups > hangups)


def test_timeout_via_asyncio_wait_for_cancels(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=payloads.chat(), delay=30))
    hangups = server.client_hangups

    async def main() -> None:
        await asyncio.wait_for(edgequake.acompletion(**_kw(server)), 0.2)

    with pytest.raises(asyncio.TimeoutError):
        asyncio.run(main())
    _wait_for(lambda: server.client_hangups > hangups)


def test_no_abort_at_exit_with_calls_in_flight(server: LoopbackServer) -> None:
    server.enqueue(*[Reply(body=payloads.chat()) for _ in range(40)])
    server.enqueue(*[Reply(body=payloads.chat(), delay=0.3) for _ in range(20)])
    hangups = server.client_hangups
    child = _child(
        """
        import asyncio, edgequake
        KW = dict(model="openai/gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], api_key="k",
                  api_base="BASE", max_retries=0)
        async def main():
            done = await asyncio.gather(*[edgequake.acompletion(**KW) for _ in range(40)])
            print("done", len(done))
            for _ in range(20):  # left running when the loop and then the interpreter shut down
                asyncio.ensure_future(edgequake.acompletion(**KW))
            await asyncio.sleep(0.05)
        asyncio.run(main())
    """,
        server,
    )
    out, err = child.communicate(timeout=30)
    assert child.returncode == 0, err
    assert "done 40" in out
    assert "Fatal Python error" not in err and "panicked" not in err
    _wait_for(lambda: len(server.seen) >= 60 or server.client_hangups > hangups, timeout=5)
    server.replies.clear()


def test_acompletion_under_uvloop(server: LoopbackServer) -> None:
    uvloop = pytest.importorskip("uvloop")
    server.enqueue(Reply(body=payloads.chat("uv")))

    async def main() -> str:
        return (await edgequake.acompletion(**_kw(server))).choices[0].message.content

    loop = uvloop.new_event_loop()
    try:
        assert loop.run_until_complete(main()) == "uv"
    finally:
        loop.close()


def test_acompletion_under_anyio_asyncio_backend(server: LoopbackServer) -> None:
    anyio = pytest.importorskip("anyio")
    server.enqueue(Reply(body=payloads.chat("anyio")))

    async def main() -> str:
        return (await edgequake.acompletion(**_kw(server))).choices[0].message.content

    assert anyio.run(main, backend="asyncio") == "anyio"


def test_blocking_call_inside_a_running_loop(server: LoopbackServer) -> None:
    """A notebook cell calling the sync API while its loop runs: the call blocks, nothing deadlocks."""
    server.enqueue(Reply(body=payloads.chat("sync")), Reply(body=payloads.chat("async")))

    async def main() -> list:
        sync = edgequake.completion(**_kw(server)).choices[0].message.content
        asynced = (await edgequake.acompletion(**_kw(server))).choices[0].message.content
        return [sync, asynced]

    assert asyncio.run(main()) == ["sync", "async"]


def test_acompletion_in_a_fastapi_handler(server: LoopbackServer) -> None:
    fastapi = pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    app = fastapi.FastAPI()

    @app.get("/ask")
    async def ask() -> dict:
        resp = await edgequake.acompletion(**_kw(server))
        stream = await edgequake.acompletion(**_kw(server), stream=True)
        pieces = [c.choices[0].delta.content or "" async for c in stream if c.choices]
        return {"answer": resp.choices[0].message.content, "streamed": "".join(pieces)}

    from tests.loopback import sse

    server.enqueue(Reply(body=payloads.chat("api")), Reply(events=sse(*payloads.text_stream("s", "t"))))
    with TestClient(app) as client:
        assert client.get("/ask").json() == {"answer": "api", "streamed": "st"}


def test_trio_gets_a_clear_error_and_the_thread_path_works(server: LoopbackServer) -> None:
    trio = pytest.importorskip("trio")
    import functools

    server.enqueue(Reply(body=payloads.chat("trio")))

    async def wrong() -> None:
        await edgequake.acompletion(**_kw(server))

    with pytest.raises(RuntimeError, match=r"trio\.to_thread\.run_sync"):
        trio.run(wrong)

    async def right() -> str:
        resp = await trio.to_thread.run_sync(functools.partial(edgequake.completion, **_kw(server)))
        return resp.choices[0].message.content

    assert trio.run(right) == "trio"


def test_import_is_light() -> None:
    """`import edgequake` loads neither openai, pydantic, httpx nor asyncio (they load on first use)."""
    heavy = "('openai', 'pydantic', 'httpx', 'asyncio', 'litellm')"
    code = f"import sys, edgequake; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
