"""A programmable HTTP/1.1 server on 127.0.0.1 for the API tests: queue replies, make calls, then read
back every request the server saw. Replies can stream SSE events one by one, hold later events until
the test releases them, stall (for timeouts) or cut the connection mid-stream.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Deque, Dict, List, Optional, Union

Body = Union[bytes, str, Dict[str, Any], List[Any]]


@dataclass
class Reply:
    status: int = 200
    body: Body = b""
    headers: Dict[str, str] = field(default_factory=dict)
    events: Optional[List[str]] = None  # SSE payloads: each is sent as "data: <payload>\n\n"
    raw_events: Optional[List[bytes]] = None  # or exact bytes per write
    delay: float = 0.0  # seconds before the status line
    hold_after: Optional[int] = None  # send this many events, then wait for `release`
    release: threading.Event = field(default_factory=threading.Event)
    cut: bool = False  # close the connection after the events, without ending the body


@dataclass
class Seen:
    method: str
    path: str
    headers: Dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def sse(*payloads: Any, done: bool = True) -> List[str]:
    """SSE payloads for `Reply(events=...)`: dicts are JSON-encoded; `[DONE]` appended by default."""
    out = [p if isinstance(p, str) else json.dumps(p) for p in payloads]
    return [*out, "[DONE]"] if done else out


class LoopbackServer:
    def __init__(self) -> None:
        self.replies: Deque[Reply] = deque()
        self.seen: List[Seen] = []
        self.connections = 0
        self.closed_connections = 0
        self.client_hangups = 0  # clients that went away while a delayed reply was pending
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="loopback-server", daemon=True)
        self._server: Optional[asyncio.AbstractServer] = None
        self.port = 0

    # -- control from the test thread ---------------------------------------------------------
    def start(self) -> LoopbackServer:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("loopback server did not start")
        return self

    def stop(self) -> None:
        for reply in self.replies:
            reply.release.set()
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        current = asyncio.current_task()
        tasks = [t for t in asyncio.all_tasks() if t is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def enqueue(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def reset(self) -> None:
        self.replies.clear()
        self.seen.clear()

    # -- server --------------------------------------------------------------------------------
    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                request_line = await reader.readline()
                if not request_line:
                    break
                method, target, _ = request_line.decode("latin-1").split(" ", 2)
                headers: Dict[str, str] = {}
                while True:
                    line = await reader.readline()
                    if line in (b"\r\n", b"\n", b""):
                        break
                    name, _, value = line.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0") or 0))
                self.seen.append(Seen(method, target, headers, body))
                reply = self.replies.popleft() if self.replies else _unqueued(method, target)
                if not await self._answer(reply, reader, writer):
                    break
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            self.closed_connections += 1
            writer.close()

    async def _answer(self, reply: Reply, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Writes one reply; False when the connection must close afterwards."""
        if reply.delay:
            # Wait by reading: a client that cancels its request closes the socket, seen here as EOF.
            try:
                if await asyncio.wait_for(reader.read(1), reply.delay) == b"":
                    self.client_hangups += 1
                    return False
            except asyncio.TimeoutError:
                pass
        head = [f"HTTP/1.1 {reply.status} X"]
        streaming = reply.events is not None or reply.raw_events is not None
        headers = {k.lower(): v for k, v in reply.headers.items()}
        if streaming:
            headers.setdefault("content-type", "text/event-stream")
            headers["transfer-encoding"] = "chunked"
        else:
            payload = _encode(reply.body)
            if isinstance(reply.body, (dict, list)):
                headers.setdefault("content-type", "application/json")
            headers["content-length"] = str(len(payload))
        head += [f"{k}: {v}" for k, v in headers.items()]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
        if not streaming:
            writer.write(payload)
            await writer.drain()
            return True
        chunks = (
            reply.raw_events
            if reply.raw_events is not None
            else [f"data: {e}\n\n".encode() for e in (reply.events or [])]
        )
        for i, chunk in enumerate(chunks):
            if reply.hold_after is not None and i == reply.hold_after:
                await asyncio.get_running_loop().run_in_executor(None, reply.release.wait, 10)
            writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            await writer.drain()
        if reply.cut:
            return False
        writer.write(b"0\r\n\r\n")
        await writer.drain()
        return True


def _encode(body: Body) -> bytes:
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    return json.dumps(body).encode()


def _unqueued(method: str, target: str) -> Reply:
    return Reply(status=599, body={"error": {"message": f"loopback: no reply queued for {method} {target}"}})
