"""The one loopback HTTP/1.1 server: under the replay server, the API tests' fake provider and the
benchmark's zero-latency server.

Why hand-written on asyncio: the benchmark server is the other party in every latency number, so it
must cost less than the client it measures (with edgequake as the client: ~46 us of server CPU per
sync completion here, 86-100 us for aiohttp's servers, whose median latency was 15-25% higher). And
aiohttp always adds `Date`, `Server` and a default `Content-Type`, which a replay server must not add
to recordings lacking them: nothing here adds a header but the framing, which is the server's.

HTTP syntax (parsing a head, taking a body, building a head) is `http1.py`; this is connections.
Each complete request goes, in order per connection, to `handler(request, connection)`. A handler
that answers at once (`send` prebuilt bytes, or `respond`) returns None and costs no Task: the
benchmark's path. One that must wait (streaming with flow control, holding, delaying) returns an
awaitable, run as a Task; the connection's next pipelined request waits for it.
"""

from __future__ import annotations

import asyncio
import functools
import json
import socket
import struct
import threading
from typing import Awaitable, Callable, Iterable, Optional, Set, Tuple, TypeVar

from edgequake_harness.replay.http1 import Request, parse_head, response_head, take_body

__all__ = ["MAX_HEAD", "Connection", "HTTPServer", "Handler", "Request"]

MAX_HEAD = 64 * 1024
_READ_SIZE = 64 * 1024
Handler = Callable[[Request, "Connection"], Optional[Awaitable[None]]]
_Server = TypeVar("_Server", bound="HTTPServer")


class Connection(asyncio.BufferedProtocol):
    """One client connection: parses pipelined requests and is what handlers answer through.

    Buffered: a plain Protocol gets a new 256 KiB bytes object per read, which glibc can serve with an
    mmap, mremap and munmap per request (seen under strace); reading into one buffer costs less CPU."""

    def __init__(self, server: HTTPServer) -> None:
        self._server = server
        self._handler = server.handler
        self._buf = bytearray()  # received, not yet parsed
        self._read = memoryview(bytearray(_READ_SIZE))
        self._request: Optional[Request] = None  # head parsed, body still arriving
        self._transport: Optional[asyncio.Transport] = None  # None once closed: writes are dropped
        self._raw: Optional[asyncio.Transport] = None  # kept until connection_lost, for shutdown
        self._task: Optional[asyncio.Future[None]] = None
        self._done = True  # whether the current response has been completed
        self._gone: Optional[asyncio.Future[None]] = None
        self._writable: Optional[asyncio.Future[None]] = None

    # --- asyncio callbacks --------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = self._raw = transport
        self._server.connections += 1
        self._server._conns.add(self)

    def connection_lost(self, exc: Optional[Exception]) -> None:
        self._transport = self._raw = None
        self._server._conns.discard(self)
        _wake(self._gone)
        _wake(self._writable)

    def pause_writing(self) -> None:
        self._writable = asyncio.get_running_loop().create_future()

    def resume_writing(self) -> None:
        _wake(self._writable)
        self._writable = None

    def get_buffer(self, sizehint: int) -> memoryview:
        return self._read

    def buffer_updated(self, nbytes: int) -> None:
        self._buf += self._read[:nbytes]
        if self._task is None:
            self._serve()

    # --- requests -----------------------------------------------------------------------------

    def _serve(self) -> None:
        while self._transport is not None and self._task is None:
            try:
                request = self._next()
            except ValueError:
                self._reject(400, "Bad Request", "malformed request")
                return
            if request is None:
                return
            self._done = False
            try:
                pending = self._handler(request, self)
            except Exception as exc:
                self._failed(exc)
                return
            if pending is not None:
                self._task = task = asyncio.ensure_future(pending)
                self._server._tasks.add(task)
                task.add_done_callback(functools.partial(self._handled, request))
                return
            if not self._done or not request.keep_alive:  # unfinished: only closing ends it for the client
                self._close()

    def _next(self) -> Optional[Request]:
        request, fresh = self._request, False
        if request is None:
            while self._buf.startswith(b"\r\n"):
                del self._buf[:2]  # stray line ends between requests are allowed (RFC 9112 2.2)
            end = self._buf.find(b"\r\n\r\n")
            if end < 0 or end > MAX_HEAD:
                if end > MAX_HEAD or len(self._buf) > MAX_HEAD:
                    self._reject(431, "Request Header Fields Too Large", "request head too large")
                return None
            request = parse_head(bytes(self._buf[:end]))
            del self._buf[: end + 4]
            if request is None:
                raise ValueError("malformed request head")
            self._request, fresh = request, True
        body = take_body(self._buf, request)
        if body is None:
            if fresh and self._transport is not None and request.header("expect").lower() == "100-continue":
                self._transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            return None
        request.body, self._request = body, None
        return request

    def _handled(self, request: Request, task: asyncio.Future[None]) -> None:
        self._server._tasks.discard(task)
        self._task = None
        if task.cancelled():
            self.abort()
            return
        exc = task.exception()
        if exc is not None and not isinstance(exc, ConnectionError):
            self._failed(exc)
            return
        if not self._done or not request.keep_alive:
            self._close()
        self._serve()  # the next pipelined request, if it has arrived

    def _reject(self, status: int, reason: str, message: str) -> None:
        body = json.dumps({"error": {"message": message, "type": "invalid_request_error"}}).encode()
        self.respond(status, reason, [("content-type", "application/json"), ("connection", "close")], body)
        self._close()

    def _failed(self, exc: BaseException) -> None:
        asyncio.get_running_loop().call_exception_handler(
            {"message": "loopback HTTP handler failed", "exception": exc, "protocol": self}
        )
        self.abort()

    def _close(self) -> None:
        transport, self._transport = self._transport, None
        if transport is not None:
            transport.close()  # after what is buffered has been sent

    # --- what handlers answer with ------------------------------------------------------------

    def send(self, raw: bytes) -> None:
        """A whole prebuilt response, head and framed body: the fast path."""
        self._done = True
        if self._transport is not None:
            self._transport.write(raw)

    def respond(self, status: int, reason: str, headers: Iterable[Tuple[str, str]], body: bytes) -> None:
        """A whole response with a `content-length` body, in one write."""
        self.send(response_head(status, reason, headers, b"content-length: %d" % len(body)) + body)

    def head(self, status: int, reason: str, headers: Iterable[Tuple[str, str]]) -> None:
        """Starts a chunked response: then `chunk` (and `await drain()`) per piece, and `end` or `cut`."""
        if self._transport is not None:
            self._transport.write(response_head(status, reason, headers, b"transfer-encoding: chunked"))

    def chunk(self, piece: bytes) -> None:
        """One HTTP chunk (an empty piece is skipped: as a chunk it would end the body)."""
        if piece and self._transport is not None:
            self._transport.write(b"%x\r\n%s\r\n" % (len(piece), piece))

    async def drain(self) -> None:
        """Waits while the transport's buffer is full; ConnectionResetError once the client is gone."""
        if self._writable is not None:
            await self._writable
        if self._transport is None:
            raise ConnectionResetError("the client closed the connection")

    def end(self) -> None:
        """Ends a chunked body."""
        self._done = True
        if self._transport is not None:
            self._transport.write(b"0\r\n\r\n")

    def cut(self) -> None:
        """Closes the connection without ending the body, as a dropped upstream would."""
        self._close()

    def abort(self) -> None:
        """Drops the connection at once, unsent data included."""
        raw, self._transport = self._raw, None
        if raw is not None:
            raw.abort()

    def reset(self) -> None:
        """Drops the connection with a TCP reset (SO_LINGER 0), as a crashed upstream or a middlebox
        does: the client's next read fails with ECONNRESET rather than seeing a clean end."""
        raw = self._raw
        sock = raw.get_extra_info("socket") if raw is not None else None
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.abort()

    async def client_gone(self, timeout: Optional[float] = None) -> bool:
        """Waits up to `timeout` s for the client to close the connection; whether it did."""
        if self._raw is None:
            return True
        if self._gone is None:
            self._gone = asyncio.get_running_loop().create_future()
        await asyncio.wait((self._gone,), timeout=timeout)
        return self._gone.done()


def _wake(waiter: Optional[asyncio.Future[None]]) -> None:
    if waiter is not None and not waiter.done():
        waiter.set_result(None)


class HTTPServer:
    """Listens on `host:port` (port 0: a free one, then in `.port`) and serves `handler`.

    Run it in a daemon thread with its own loop (`start`/`stop`, or `with`), so synchronous code can
    block on calls to it, or in the running loop (`async with`), as the benchmark process does. The
    replay server and the tests' fake subclass it, passing their own method as the handler."""

    def __init__(self, handler: Handler, host: str = "127.0.0.1", port: int = 0, backlog: int = 1024) -> None:
        self.handler = handler
        self.host, self.port, self.backlog = host, port, backlog
        self.connections = 0  # accepted so far
        self._conns: Set[Connection] = set()
        self._tasks: Set[asyncio.Future[None]] = set()
        self._server: Optional[asyncio.AbstractServer] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None

    @property
    def open_connections(self) -> int:
        return len(self._conns)

    @property
    def closed_connections(self) -> int:
        return self.connections - len(self._conns)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # --- in the running loop ------------------------------------------------------------------

    async def open(self) -> None:
        create = asyncio.get_running_loop().create_server
        self._server = await create(lambda: Connection(self), self.host, self.port, backlog=self.backlog)
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        """Stops listening, cancels waiting handlers, drops every connection: a Task or transport
        outliving its loop would warn, and the tests make warnings errors."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for conn in list(self._conns):
            conn.abort()
        for _ in range(100):  # connection_lost runs on the loop's next turn
            if not self._conns:
                break
            await asyncio.sleep(0)
        if server is not None:
            await server.wait_closed()

    async def __aenter__(self: _Server) -> _Server:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # --- in a thread of its own ---------------------------------------------------------------

    def start(self: _Server) -> _Server:
        loop = self._loop = asyncio.new_event_loop()
        opened = asyncio.run_coroutine_threadsafe(self.open(), loop)  # runs once the loop does
        self._thread = threading.Thread(target=_run, args=(loop,), name="loopback-http", daemon=True)
        self._thread.start()
        try:
            opened.result(10)
        except BaseException:
            loop.call_soon_threadsafe(loop.stop)
            self._loop = self._thread = None
            raise
        return self

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        self._loop = self._thread = None
        asyncio.run_coroutine_threadsafe(self.close(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)

    def __enter__(self: _Server) -> _Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _run(loop: asyncio.AbstractEventLoop) -> None:
    asyncio.set_event_loop(loop)
    try:
        loop.run_forever()
    finally:
        loop.close()
