"""The shared loopback HTTP/1.1 server itself: parsing, ordering, framing, keep-alive, cuts, hang-ups
and shutdown. Raw sockets, so the tests see the bytes a client library would hide."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from typing import Callable, Iterator, List

import pytest

from edgequake_harness.replay.http1 import parse_head
from edgequake_harness.replay.loopback import Connection, HTTPServer, Request

OK = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"


def _recv_all(sock: socket.socket) -> bytes:
    """Everything until the server closes the connection."""
    sock.settimeout(5)
    raw = b""
    while chunk := sock.recv(65536):
        raw += chunk
    return raw


def _exchange(server: HTTPServer, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(data)
        return _recv_all(sock)


def _wait_for(condition: Callable[[], bool], timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


@pytest.fixture
def echo() -> Iterator[HTTPServer]:
    """Answers every request with its method, target and body, after a delay the request names: a
    later request answered first would show up out of order."""

    async def handle(request: Request, conn: Connection) -> None:
        await asyncio.sleep(float(request.header("x-delay") or 0))
        conn.respond(200, "OK", [("x-target", request.target)], request.method.encode() + b" " + request.body)

    with HTTPServer(handle) as server:
        yield server


def test_binds_loopback_on_a_free_port(echo: HTTPServer) -> None:
    assert echo.url == f"http://127.0.0.1:{echo.port}" and echo.port > 0


def test_pipelined_requests_are_answered_in_order(echo: HTTPServer) -> None:
    requests = (
        b"POST /a?q=1 HTTP/1.1\r\nX-Delay: 0.2\r\nContent-Length: 1\r\n\r\n1"
        b"POST /b HTTP/1.1\r\nContent-Length: 1\r\n\r\n2"
        b"GET /c HTTP/1.1\r\nConnection: close\r\n\r\n"
    )
    raw = _exchange(echo, requests)
    assert raw == (
        b"HTTP/1.1 200 OK\r\nx-target: /a?q=1\r\ncontent-length: 6\r\n\r\nPOST 1"
        b"HTTP/1.1 200 OK\r\nx-target: /b\r\ncontent-length: 6\r\n\r\nPOST 2"
        b"HTTP/1.1 200 OK\r\nx-target: /c\r\ncontent-length: 4\r\n\r\nGET "
    )


def test_chunked_request_body_with_trailers(echo: HTTPServer) -> None:
    raw = _exchange(
        echo,
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        b"3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n",
    )
    assert raw.endswith(b"\r\n\r\nPOST abcde")


def test_request_sent_a_byte_at_a_time(echo: HTTPServer) -> None:
    with socket.create_connection(("127.0.0.1", echo.port)) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for byte in b"POST / HTTP/1.1\r\nContent-Length: 3\r\nConnection: close\r\n\r\nxyz":
            sock.sendall(bytes([byte]))
        assert _recv_all(sock).endswith(b"POST xyz")


def test_expect_100_continue_gets_an_interim_response(echo: HTTPServer) -> None:
    with socket.create_connection(("127.0.0.1", echo.port)) as sock:
        sock.sendall(
            b"POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\nConnection: close\r\n\r\n"
        )
        assert sock.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(b"hi")
        assert _recv_all(sock).startswith(b"HTTP/1.1 200 OK")


@pytest.mark.parametrize(
    "head",
    [b"GARBAGE\r\n\r\n", b"GET / HTTP/1.1\r\nno colon here\r\n\r\n", b"GET / SPDY/3\r\n\r\n"],
)
def test_malformed_head_gets_400_and_a_close(echo: HTTPServer, head: bytes) -> None:
    raw = _exchange(echo, head)
    assert raw.startswith(b"HTTP/1.1 400 Bad Request\r\n") and b"connection: close" in raw


def test_bad_content_length_and_bad_chunk_size_get_400(echo: HTTPServer) -> None:
    assert _exchange(echo, b"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n").startswith(b"HTTP/1.1 400 ")
    bad_chunk = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
    assert _exchange(echo, bad_chunk).startswith(b"HTTP/1.1 400 ")


def test_oversized_head_gets_431(echo: HTTPServer) -> None:
    raw = _exchange(echo, b"GET / HTTP/1.1\r\nX-Big: " + b"a" * (70 * 1024))
    assert raw.startswith(b"HTTP/1.1 431 ")


def test_keep_alive_versus_connection_close(echo: HTTPServer) -> None:
    before = echo.connections
    with socket.create_connection(("127.0.0.1", echo.port)) as sock:
        sock.settimeout(5)
        for _ in range(2):  # HTTP/1.1 keeps the connection open by default
            sock.sendall(b"GET /k HTTP/1.1\r\n\r\n")
            assert sock.recv(65536).endswith(b"GET ")
        sock.sendall(b"GET /k HTTP/1.1\r\nConnection: keep-alive, close\r\n\r\n")
        assert _recv_all(sock).endswith(b"GET ")  # and then the server closed it
    assert echo.connections == before + 1
    assert _exchange(echo, b"GET / HTTP/1.0\r\n\r\n").endswith(b"GET ")  # 1.0: closed by default
    _wait_for(lambda: echo.open_connections == 0)
    assert echo.closed_connections == echo.connections


def test_request_keeps_header_order_duplicates_and_case() -> None:
    request = parse_head(b"get /x?a=1 HTTP/1.1\r\nX-A: 1\r\nHost: h\r\nx-a:  2 ")
    assert request is not None
    assert (request.method, request.target, request.path) == ("GET", "/x?a=1", "/x")
    assert request.headers == [("X-A", "1"), ("Host", "h"), ("x-a", "2")]
    assert request.fields == {"x-a": ["1", "2"], "host": ["h"]}
    assert request.header("x-a") == "1, 2" and request.header("missing") == ""


def test_streamed_response_chunks_then_cut() -> None:
    async def handle(request: Request, conn: Connection) -> None:
        conn.head(200, "OK", [("content-type", "text/event-stream"), ("content-length", "99")])
        for piece in (b"data: 1\n\n", b"", b"data: 2\n\n"):
            conn.chunk(piece)
            await conn.drain()
        if request.path == "/cut":
            conn.cut()
        else:
            conn.end()

    with HTTPServer(handle) as server:
        ended = _exchange(server, b"GET /end HTTP/1.1\r\nConnection: close\r\n\r\n")
        cut = _exchange(server, b"GET /cut HTTP/1.1\r\n\r\n")
    head, _, body = ended.partition(b"\r\n\r\n")
    # The caller's framing header is replaced by the one the server actually uses.
    assert head == b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked"
    assert body == b"9\r\ndata: 1\n\n\r\n9\r\ndata: 2\n\n\r\n0\r\n\r\n"
    assert cut.endswith(b"9\r\ndata: 2\n\n\r\n")  # no last chunk: the body never ends


def test_waiting_handler_sees_the_client_hang_up() -> None:
    outcome: List[bool] = []
    done = threading.Event()

    async def handle(request: Request, conn: Connection) -> None:
        outcome.append(await conn.client_gone(10))
        done.set()

    with HTTPServer(handle) as server:
        with socket.create_connection(("127.0.0.1", server.port)) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\n\r\n")
            time.sleep(0.05)
        started = time.monotonic()
        assert done.wait(5)
    assert outcome == [True] and time.monotonic() - started < 2


def test_client_gone_times_out_while_the_client_stays() -> None:
    async def handle(request: Request, conn: Connection) -> None:
        gone = await conn.client_gone(0.05)
        conn.send(b"HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\n" + (b"y" if gone else b"n"))

    with HTTPServer(handle) as server:
        assert _exchange(server, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n").endswith(b"n")


def test_stop_cancels_a_waiting_handler_cleanly(caplog: pytest.LogCaptureFixture) -> None:
    waiting, cancelled = threading.Event(), threading.Event()

    async def handle(request: Request, conn: Connection) -> None:
        waiting.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.set()
            raise

    server = HTTPServer(handle).start()
    sock = socket.create_connection(("127.0.0.1", server.port))
    try:
        sock.sendall(b"GET / HTTP/1.1\r\n\r\n")
        assert waiting.wait(5)
        with caplog.at_level(logging.DEBUG, logger="asyncio"):
            started = time.monotonic()
            server.stop()
        assert time.monotonic() - started < 2
        assert cancelled.is_set() and server.open_connections == 0
        assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert _recv_all(sock) == b""  # the connection was dropped, not left hanging
    finally:
        sock.close()


def test_failing_handler_closes_its_connection_and_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    def handle(request: Request, conn: Connection) -> None:
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR, logger="asyncio"), HTTPServer(handle) as server:
        assert _exchange(server, b"GET / HTTP/1.1\r\n\r\n") == b""
    assert any("handler failed" in r.getMessage() for r in caplog.records)


def test_sync_handler_that_does_not_answer_gets_the_connection_closed() -> None:
    with HTTPServer(lambda request, conn: None) as server:
        assert _exchange(server, b"GET / HTTP/1.1\r\n\r\n") == b""


def test_serves_in_the_running_loop() -> None:
    async def main() -> bytes:
        async with HTTPServer(lambda request, conn: conn.send(OK)) as server:
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            writer.write(b"GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\nConnection: close\r\n\r\n")
            raw = await reader.read()
            writer.close()
            await writer.wait_closed()
            assert server.connections == 1
            return raw

    assert asyncio.run(main()) == OK * 2
