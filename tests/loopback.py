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

from edgequake_harness.replay.loopback import Connection, HTTPServer, Request

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


class LoopbackServer(HTTPServer):
    """The fake provider. HTTP is the shared loopback server's; this decides what each request gets."""

    def __init__(self) -> None:
        super().__init__(self._serve)
        self.replies: Deque[Reply] = deque()
        self.seen: List[Seen] = []
        self.client_hangups = 0  # clients that went away while a delayed reply was pending
        self._answering: List[Reply] = []  # replies being answered: released on stop, as queued ones are

    # -- control from the test thread ---------------------------------------------------------
    def stop(self) -> None:
        # A reply waiting for `release` would keep an executor thread blocked after the loop closes.
        for reply in [*self.replies, *self._answering]:
            reply.release.set()
        super().stop()

    def enqueue(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def reset(self) -> None:
        self.replies.clear()
        self.seen.clear()

    # -- server --------------------------------------------------------------------------------
    async def _serve(self, request: Request, conn: Connection) -> None:
        headers = {name: values[-1] for name, values in request.fields.items()}
        self.seen.append(Seen(request.method, request.target, headers, request.body))
        reply = self.replies.popleft() if self.replies else _unqueued(request.method, request.target)
        self._answering.append(reply)
        try:
            await self._answer(reply, conn)
        finally:
            self._answering.remove(reply)

    async def _answer(self, reply: Reply, conn: Connection) -> None:
        # Wait watching the socket: a client that cancels its request closes it.
        if reply.delay and await conn.client_gone(reply.delay):
            self.client_hangups += 1
            return
        headers = {k.lower(): v for k, v in reply.headers.items()}
        if reply.events is None and reply.raw_events is None:
            if isinstance(reply.body, (dict, list)):
                headers.setdefault("content-type", "application/json")
            conn.respond(reply.status, "X", headers.items(), _encode(reply.body))
            return
        headers.setdefault("content-type", "text/event-stream")
        conn.head(reply.status, "X", headers.items())
        chunks = (
            reply.raw_events
            if reply.raw_events is not None
            else [f"data: {e}\n\n".encode() for e in (reply.events or [])]
        )
        for i, chunk in enumerate(chunks):
            if reply.hold_after is not None and i == reply.hold_after:
                await asyncio.get_running_loop().run_in_executor(None, reply.release.wait, 10)
            conn.chunk(chunk)
            await conn.drain()
        if reply.cut:
            conn.cut()
        else:
            conn.end()


def _encode(body: Body) -> bytes:
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    return json.dumps(body).encode()


def _unqueued(method: str, target: str) -> Reply:
    return Reply(status=599, body={"error": {"message": f"loopback: no reply queued for {method} {target}"}})
