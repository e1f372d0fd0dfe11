"""The fault server: one loopback listener (and a second one, another origin, for cross-origin
redirects) whose every reply is a fault. A cell's `api_base` carries its fault and its own id
(`/c/<fault>/<cell>/...`), so all cells can run at once against one server, each with its own attempt
count, and the provider and streaming are read from the request as each provider sends them."""

from __future__ import annotations

import asyncio
import functools
import json
import socket
from collections import Counter
from typing import Awaitable, Dict, List, Optional, Tuple

from edgequake_harness.replay.loopback import Connection, HTTPServer, Request
from tests.faults import bodies

STALL = 2.0  # seconds a stalled reply waits: twice the cells' timeout
DRIP_GAP = 0.3  # seconds between the pieces of a slow drip: under the timeout, their sum over it
DRIP_PIECES = 5
BIG = 50 * 1024 * 1024
MANY = 100_000
CREDENTIAL_HEADERS = ("authorization", "x-api-key", "x-goog-api-key", "api-key")
ERROR_JSON = b'{"error": {"message": "fault: overloaded", "type": "server_error"}}'
HTML = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"


def provider_of(rest: str) -> str:
    if rest.endswith("/chat/completions"):
        return "openai"
    if rest.endswith("/messages"):
        return "anthropic"
    if ":generateContent" in rest or ":streamGenerateContent" in rest:
        return "gemini"
    return "ollama"


def _is_stream(request: Request, rest: str) -> bool:
    if ":streamGenerateContent" in rest:
        return True
    try:
        return bool(json.loads(request.body or b"{}").get("stream"))
    except (ValueError, AttributeError):
        return False


@functools.cache
def _big(provider: str, stream: bool) -> Tuple[bytes, ...]:
    if not stream:
        return (bodies.body(provider, "x" * BIG),)
    # Alternating pieces: 100 identical ones in a row would trip litellm's loop guard (a test of
    # its own: tests/test_stream_repetition.py), and this fault is about size.
    pieces = ["x" * 65536 if i % 2 else "y" * 65536 for i in range(BIG // 65536)]
    return _joined(bodies.stream(provider, pieces))


@functools.cache
def _many(provider: str) -> Tuple[bytes, ...]:
    return _joined(bodies.stream(provider, ["a"] * MANY))


def _joined(events: List[bytes], size: int = 256 * 1024) -> Tuple[bytes, ...]:
    # Events grouped into writes of about `size` bytes: the framing the client sees is the same, the
    # server's cost per event is not (100,000 writes would make the server the bottleneck).
    out: List[bytes] = []
    buf = bytearray()
    for event in events:
        buf += event
        if len(buf) >= size:
            out.append(bytes(buf))
            buf.clear()
    if buf:
        out.append(bytes(buf))
    return tuple(out)


class FaultServer:
    """Both listeners and what they saw: `attempts[cell]` requests to the faulty reply, and whether a
    credential header reached the redirect target (`forwarded[cell]`)."""

    def __init__(self) -> None:
        self.main = HTTPServer(self._serve)
        self.other = HTTPServer(self._serve)  # another port: another origin
        self.attempts: Counter[str] = Counter()
        self.forwarded: Dict[str, bool] = {}

    def start(self) -> FaultServer:
        self.main.start()
        self.other.start()
        return self

    def stop(self) -> None:
        self.main.stop()
        self.other.stop()

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @staticmethod
    def prepare(fault: str, provider: str) -> None:
        """Builds a heavy fault's payload now: built on first request, inside the server's loop, it
        would stall that loop for over a second and time the cell out."""
        if fault == "big_body":
            _big(provider, False)
            _big(provider, True)
        elif fault == "many_events":
            _many(provider)

    def base(self, fault: str, cell: str) -> str:
        if fault == "refused":
            return f"http://127.0.0.1:{_closed_port()}"
        return f"{self.main.url}/c/{fault}/{cell}"

    # --- serving ------------------------------------------------------------------------------

    def _serve(self, request: Request, conn: Connection) -> Optional[Awaitable[None]]:
        parts = request.target.split("/", 4)  # '', 'c', fault, cell, rest
        if len(parts) < 5 or parts[1] != "c":
            conn.respond(404, "Not Found", [("content-type", "application/json")], b'{"error": "no cell"}')
            return None
        fault, cell, rest = parts[2], parts[3], "/" + parts[4]
        provider, stream = provider_of(rest.split("?")[0]), _is_stream(request, rest)
        if rest.startswith("/after/"):  # a redirect's target: record what came, answer normally
            self.forwarded[cell] = any(request.header(h) for h in CREDENTIAL_HEADERS)
            self._ok(conn, provider, stream)
            return None
        self.attempts[cell] += 1
        return self._fault(fault, cell, rest, provider, stream, conn)

    def _ok(self, conn: Connection, provider: str, stream: bool) -> None:
        ctype = [("content-type", bodies.content_type(provider, stream))]
        if stream:
            conn.head(200, "OK", ctype)
            conn.chunk(b"".join(bodies.stream(provider, bodies.TEXT)))
            conn.end()
        else:
            conn.respond(200, "OK", ctype, bodies.body(provider, "".join(bodies.TEXT)))

    async def _fault(
        self, fault: str, cell: str, rest: str, provider: str, stream: bool, conn: Connection
    ) -> None:
        ctype = [("content-type", bodies.content_type(provider, stream))]
        whole = bodies.body(provider, "".join(bodies.TEXT))
        events = bodies.stream(provider, bodies.TEXT)
        if fault == "ok":  # the warm-up: a plain reply
            self._ok(conn, provider, stream)
        elif fault == "reset_before_headers":
            conn.reset()
        elif fault == "reset_mid_body":  # a length promised, half of it sent, then a reset
            conn.send(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n"
                % len(whole)
            )
            conn.send(whole[: len(whole) // 2])
            await conn.drain()
            await asyncio.sleep(0.05)
            conn.reset()
        elif fault == "reset_mid_stream":
            conn.head(200, "OK", ctype)
            for event in events[:2]:
                conn.chunk(event)
            await conn.drain()
            await asyncio.sleep(0.05)
            conn.reset()
        elif fault == "truncated":  # streams: no end marker, a clean end; bodies: short, then FIN
            if stream:
                conn.head(200, "OK", ctype)
                conn.chunk(b"".join(bodies.stream(provider, bodies.TEXT, terminated=False)))
                conn.end()
            else:
                head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n"
                conn.send(head % len(whole) + whole[: len(whole) // 2])
                await conn.drain()
                conn.cut()
        elif fault == "stall_before_headers":
            await conn.client_gone(STALL)
            if not await conn.client_gone(0):
                self._ok(conn, provider, stream)
        elif fault == "stall_mid":  # a first part, then nothing for twice the timeout
            conn.head(200, "OK", ctype)
            conn.chunk(events[0] if stream else whole[: len(whole) // 2])
            await conn.drain()
            if not await conn.client_gone(STALL):
                conn.chunk(b"".join(events[1:]) if stream else whole[len(whole) // 2 :])
                conn.end()
        elif fault == "slow_drip":  # every gap under the timeout, the whole over it
            conn.head(200, "OK", ctype)
            step = -(-len(whole) // DRIP_PIECES)
            pieces = events if stream else [whole[i : i + step] for i in range(0, len(whole), step)]
            for piece in pieces:
                conn.chunk(piece)
                await conn.drain()
                await asyncio.sleep(DRIP_GAP)
            conn.end()
        elif fault == "html_5xx":
            conn.respond(502, "Bad Gateway", [("content-type", "text/html")], HTML)
        elif fault == "malformed_json":
            bad = b'{"id": "x", "choices": [{"index": 0, "message": '
            if stream:
                conn.head(200, "OK", ctype)
                conn.chunk(events[0] + bodies.bad_event(provider, bad))
                conn.end()
            else:
                conn.respond(200, "OK", ctype, bad)
        elif fault == "invalid_utf8":
            bad = whole.replace(b"Hello", b"He\xff\xfelo")
            if stream:
                conn.head(200, "OK", ctype)
                conn.chunk(b"".join(events).replace(b"Hello", b"He\xff\xfelo"))
                conn.end()
            else:
                conn.respond(200, "OK", ctype, bad)
        elif fault == "wrong_content_type":  # a valid reply labelled as HTML
            html = [("content-type", "text/html; charset=utf-8")]
            if stream:
                conn.head(200, "OK", html)
                conn.chunk(b"".join(events))
                conn.end()
            else:
                conn.respond(200, "OK", html, whole)
        elif fault in ("redirect_same", "redirect_cross"):
            origin = self.main.url if fault == "redirect_same" else self.other.url
            location = f"{origin}/c/{fault}/{cell}/after{rest}"
            conn.respond(307, "Temporary Redirect", [("location", location)], b"")
        elif fault == "big_body":
            conn.head(200, "OK", ctype)
            for piece in _big(provider, stream):
                conn.chunk(piece)
                await conn.drain()
            conn.end()
        elif fault == "many_events":
            conn.head(200, "OK", ctype)
            for piece in _many(provider) if stream else (whole,):
                conn.chunk(piece)
                await conn.drain()
            conn.end()
        elif fault == "429_short":  # once, with a wait of a second; then the reply
            if self.attempts[cell] == 1:
                conn.respond(
                    429,
                    "Too Many Requests",
                    [("content-type", "application/json"), ("retry-after", "1")],
                    ERROR_JSON,
                )
            else:
                self._ok(conn, provider, stream)
        elif fault == "429_huge":
            conn.respond(
                429,
                "Too Many Requests",
                [("content-type", "application/json"), ("retry-after", "3600")],
                ERROR_JSON,
            )
        elif fault == "repeated_503":
            conn.respond(503, "Service Unavailable", [("content-type", "application/json")], ERROR_JSON)
        else:
            conn.respond(
                404, "Not Found", [("content-type", "application/json")], b'{"error": "no such fault"}'
            )


def _closed_port() -> int:
    # A port that was just free: nothing listens there, so connecting is refused at once.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
