"""Blocking calls run on a borrowed current-thread runtime (core/src/local.rs): connections are
reused across calls and threads, concurrent threads each get one, and idle ones are closed. A
blocking stream keeps its runtime until it ends (core/src/python/stream.rs)."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Iterator, List

import pytest

import edgequake
from tests import payloads
from tests.loopback import LoopbackServer, Reply, sse

KW = {"model": "openai/gpt-4o-mini", "messages": payloads.USER, "api_key": "k"}


def _call(server: LoopbackServer) -> str:
    response: Any = edgequake.completion(**KW, api_base=server.url + "/v1")
    return str(response.choices[0].message.content)


@pytest.fixture
def own_server() -> Iterator[LoopbackServer]:
    # Its own server: nothing left running by another test can connect to it meanwhile.
    server = LoopbackServer().start()
    try:
        yield server
    finally:
        server.stop()


def test_a_thread_per_call_keeps_one_warm_connection(own_server: LoopbackServer) -> None:
    answers: List[str] = []
    for i in range(5):
        own_server.enqueue(Reply(body=payloads.chat(f"answer {i}")))
        worker = threading.Thread(target=lambda: answers.append(_call(own_server)))
        worker.start()
        worker.join()
    assert answers == [f"answer {i}" for i in range(5)]
    assert own_server.connections == 1  # every new thread reused the same connection


def test_concurrent_threads_each_get_a_runtime_and_all_answer(server: LoopbackServer) -> None:
    server.enqueue(*(Reply(body=payloads.chat("ok"), delay=0.05) for _ in range(16)))
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda i: _call(server), range(16)))
    assert answers == ["ok"] * 16


def test_idle_connections_of_borrowed_runtimes_are_closed(own_server: LoopbackServer) -> None:
    own_server.enqueue(Reply(body=payloads.chat("once")))
    assert _call(own_server) == "once"
    deadline = time.monotonic() + 15  # idle timeout (5 s) plus the reaper's period (2.5 s), with room
    while own_server.open_connections and time.monotonic() < deadline:
        time.sleep(0.2)
    assert own_server.open_connections == 0


def _stream_reply(*pieces: str) -> Reply:
    events = [payloads.chunk({"role": "assistant", "content": ""})]
    events += [payloads.chunk({"content": p}) for p in pieces]
    return Reply(events=sse(*events, payloads.chunk({}, finish_reason="stop")))


def _text(chunks: Any) -> str:
    return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)


def test_a_stream_read_to_its_end_gives_its_connection_to_the_next_call(own_server: LoopbackServer) -> None:
    for i in range(3):
        own_server.enqueue(_stream_reply("a", "b", str(i)))
        own_server.enqueue(Reply(body=payloads.chat(f"after {i}")))
    for i in range(3):
        stream = edgequake.completion(**KW, api_base=own_server.url + "/v1", stream=True)
        assert _text(stream) == f"ab{i}"
        assert _call(own_server) == f"after {i}"
    assert own_server.connections == 1


def test_a_stream_closed_early_closes_its_connection_and_calls_go_on(own_server: LoopbackServer) -> None:
    reply = _stream_reply("a", "b", "c")
    reply.hold_after = 2
    own_server.enqueue(reply, Reply(body=payloads.chat("next")))
    stream = edgequake.completion(**KW, api_base=own_server.url + "/v1", stream=True)
    assert next(stream).choices[0].delta.content in ("", "a")
    stream.close()
    deadline = time.monotonic() + 5
    while own_server.open_connections and time.monotonic() < deadline:
        time.sleep(0.01)
    assert own_server.open_connections == 0
    assert _call(own_server) == "next"


def test_a_blocking_stream_can_be_read_with_async_for_and_read_across_threads(server: LoopbackServer) -> None:
    server.enqueue(_stream_reply("x", "y", "z"), _stream_reply("p", "q"))
    stream = edgequake.completion(**KW, api_base=server.url + "/v1", stream=True)

    async def drain() -> str:
        return _text([c async for c in stream])

    assert asyncio.run(drain()) == "xyz"
    other = edgequake.completion(**KW, api_base=server.url + "/v1", stream=True)
    first: List[Any] = [next(other)]
    worker = threading.Thread(target=lambda: first.extend(other))
    worker.start()
    worker.join()
    assert _text(first) == "pq"
