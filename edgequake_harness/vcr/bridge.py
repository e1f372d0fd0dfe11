"""The cassette bridge: a loopback server answering the requests edgequake's core diverts to it
(`edgequake._core.divert`) from a vcrpy Cassette, as vcrpy's own stubs answer Python clients.

Each diverted request carries the URL it was meant for (`ORIGINAL_URL_HEADER`); the bridge
rebuilds the request vcrpy would have seen and then, exactly in vcrpy's order:
- the cassette can play a response for it: that response is served (streams event by event, the
  replay server's serving rules, `edgequake_harness.replay.server.write_response`);
- the cassette is write-protected (record mode `none`, or `once` with the file present): vcrpy's
  own CannotOverwriteExistingCassetteException is built, whose message names the closest recorded
  requests and the matchers that differed; it is served as a 599 whose JSON error message is that
  text, and kept in `misses` so the test fails with it even if the caller swallowed the error;
- otherwise (recording): forwarded to the real upstream with httpcore, which vcrpy does not patch
  (so the forward is not recorded twice), appended to the cassette scrubbed, then served.
"""

from __future__ import annotations

import asyncio
import json
import threading
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, Optional, Tuple

from edgequake_harness.cassettes.formats import RecordedResponse
from edgequake_harness.replay.loopback import Connection, HTTPServer, Request
from edgequake_harness.replay.server import MISS_STATUS, write_response
from edgequake_harness.vcr.scrub import scrub_request, scrub_response

ORIGINAL_URL_HEADER = "x-edgequake-divert-url"
# The client's connection to the bridge, not part of the request the provider would see.
_NOT_FORWARDED = frozenset({"host", ORIGINAL_URL_HEADER, "content-length", "transfer-encoding", "connection"})
FORWARD_TIMEOUT = 600.0


class CassetteBridge(HTTPServer):
    """Serves one vcrpy Cassette to diverted requests; `with CassetteBridge(c):` runs it in a thread."""

    def __init__(self, cassette: Any) -> None:
        super().__init__(self._handle)
        self.cassette = cassette
        self.misses: List[Exception] = []
        self._lock = threading.Lock()  # vcrpy's Cassette is not thread-safe; the test thread uses it too
        self._pool: Any = None

    def _handle(self, request: Request, conn: Connection) -> Any:
        return self._answer(request, conn)

    async def _answer(self, request: Request, conn: Connection) -> None:
        from vcr.errors import CannotOverwriteExistingCassetteException
        from vcr.request import Request as VcrRequest

        url = request.header(ORIGINAL_URL_HEADER)
        if not url:
            _error(conn, 400, "a request reached the cassette bridge without its original URL")
            return
        headers = [(k, v) for k, v in request.headers if k.lower() not in _NOT_FORWARDED]
        live = VcrRequest(request.method, url, request.body, dict(headers))
        cassette = self.cassette
        with self._lock:
            if cassette.can_play_response_for(live):
                played: Optional[Dict[str, Any]] = cassette.play_response(live)
            elif cassette.write_protected and cassette.filter_request(live):
                miss = CannotOverwriteExistingCassetteException(cassette=cassette, failed_request=live)
                self.misses.append(miss)
                _error(conn, MISS_STATUS, str(miss), kind="cassette_miss")
                return
            else:
                played = None
        if played is None:
            loop = asyncio.get_running_loop()
            try:
                played = await loop.run_in_executor(
                    None, self._forward, request.method, url, headers, request.body
                )
            except Exception as exc:  # a dead upstream is the client's connection error, said plainly
                _error(conn, 502, f"cassette bridge: forwarding to the upstream failed: {type(exc).__name__}")
                return
            with self._lock:
                cassette.append(scrub_request(live), scrub_response(_copy(played)))
        await write_response(conn, _recorded(played))

    def _forward(self, method: str, url: str, headers: List[Tuple[str, str]], body: bytes) -> Dict[str, Any]:
        """The real upstream's answer as a vcrpy response dict, body as sent (still encoded)."""
        import httpcore

        if self._pool is None:
            self._pool = httpcore.ConnectionPool()
        timeouts = {
            "connect": FORWARD_TIMEOUT,
            "read": FORWARD_TIMEOUT,
            "write": FORWARD_TIMEOUT,
            "pool": FORWARD_TIMEOUT,
        }
        reply = self._pool.request(
            method, url, headers=headers, content=body, extensions={"timeout": timeouts}
        )
        recorded: Dict[str, List[str]] = {}
        for name, value in reply.headers:
            recorded.setdefault(name.decode("latin-1").lower(), []).append(value.decode("latin-1"))
        reason = reply.extensions.get("reason_phrase", b"")
        return {
            "status": {"code": reply.status, "message": reason.decode("latin-1") if reason else ""},
            "headers": recorded,
            "body": {"string": reply.content},
        }

    def stop(self) -> None:
        super().stop()
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()


def _copy(response: Dict[str, Any]) -> Dict[str, Any]:
    import copy

    return copy.deepcopy(response)


def _recorded(response: Dict[str, Any]) -> RecordedResponse:
    """A vcrpy response dict as the replay server serves it: decompressed (the served headers drop
    content-encoding, and every client then sees the same bytes), header names lowercase."""
    from vcr.filters import decode_response

    decoded = decode_response(response)
    body = decoded.get("body", {}).get("string", b"")
    if isinstance(body, str):
        body = body.encode("utf-8")
    headers: Dict[str, List[str]] = {}
    for name, values in (decoded.get("headers") or {}).items():
        headers.setdefault(name.lower(), []).extend(values if isinstance(values, list) else [values])
    status = decoded.get("status") or {}
    return RecordedResponse(int(status.get("code", 200)), status.get("message") or "", headers, body or b"")


def _error(conn: Connection, status: int, message: str, kind: str = "cassette_bridge") -> None:
    body = json.dumps({"error": {"message": message, "type": kind, "code": kind}}).encode()
    conn.respond(
        status,
        "Cassette Miss" if status == MISS_STATUS else "Bridge Error",
        [("content-type", "application/json")],
        body,
    )


@contextmanager
def diverted(cassette: Any) -> Iterator[CassetteBridge]:
    """Runs a bridge for `cassette` and diverts edgequake's core to it for the block's duration."""
    from edgequake import _core

    previous = _core.diverted()
    with CassetteBridge(cassette) as bridge:
        _core.divert(bridge.url)
        try:
            yield bridge
        finally:
            _core.divert(previous)
