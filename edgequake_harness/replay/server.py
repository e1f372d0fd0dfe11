"""The replay server: plain HTTP/1.1 on 127.0.0.1, serving a cassette's recorded responses.

Why a real socket rather than vcrpy's patching: the candidate's HTTP stack may live in Rust
(reqwest) where no Python patch reaches; a loopback server exercises every target's real HTTP and
streaming code with the same bytes.

Serving rules (each one fixes a failure seen replaying the corpus, see replay-notes.md):
- recorded framing headers are dropped and the body is re-framed: recorded `content-length` values
  are often wrong, and `content-length` plus `transfer-encoding` together make aiohttp reject it;
- bodies are served decoded (the loader removed gzip), so every target sees identical bytes;
- `text/event-stream` and NDJSON bodies go out with chunked encoding, one event per chunk, flushed
  one at a time, so a target that buffers the whole stream is exercised like a real upstream;
- every request is recorded, matched or not; an unmatched one gets status 599 and a JSON body
  naming the closest recorded request, so the failure explains itself in any target's exception.

HTTP itself (parsing, framing, the daemon-thread event loop synchronous targets block on) is the
shared loopback server's (`loopback.py`); this module only decides what to answer.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from typing import Iterable, List, Optional, Sequence, Tuple

from edgequake_harness.cassettes.formats import Headers, Interaction, RecordedResponse
from edgequake_harness.replay.loopback import Connection, HTTPServer, Request
from edgequake_harness.replay.matching import Matcher, Miss

MISS_STATUS = 599
# Framing and connection management belong to this server, never to the recording.
_DROPPED_HEADERS = frozenset(
    {"content-length", "transfer-encoding", "connection", "keep-alive", "content-encoding"}
)
_EVENT_SPLIT = re.compile(rb"(?<=\r\n\r\n)|(?<=\n\n)")


@dataclass
class ReceivedRequest:
    method: str
    target: str  # the request-target as sent: path plus query
    headers: Headers = field(default_factory=dict)
    body: bytes = b""
    matched: Optional[int] = None
    miss: Optional[str] = None

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]


def split_events(body: bytes, content_type: str) -> List[bytes]:
    """Split a streamed body into the pieces to send one by one (SSE events or NDJSON lines)."""
    if "ndjson" in content_type or "jsonl" in content_type:
        return [line for line in body.splitlines(keepends=True) if line]
    return [piece for piece in _EVENT_SPLIT.split(body) if piece]


class ReplayServer(HTTPServer):
    """A loopback HTTP server replaying one set of interactions at a time (see `load`). Running it
    (`start`/`stop`, `with`, `.url`, `.port`) is the shared server's."""

    def __init__(self, interactions: Sequence[Interaction] = ()) -> None:
        super().__init__(self._handle)
        self._lock = threading.Lock()
        self.load(interactions)

    # --- state --------------------------------------------------------------------------------

    def load(self, interactions: Sequence[Interaction]) -> None:
        """Start over with these interactions and an empty request log (a fresh replay)."""
        with self._lock:
            self._matcher = Matcher(interactions)
            self._requests: List[ReceivedRequest] = []

    @property
    def requests(self) -> List[ReceivedRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def misses(self) -> List[ReceivedRequest]:
        return [r for r in self.requests if r.miss is not None]

    # --- HTTP ---------------------------------------------------------------------------------

    async def _write(self, conn: Connection, response: RecordedResponse) -> None:
        """Writes one recorded response; subclasses change how a body is cut into HTTP chunks."""
        await write_response(conn, response)

    async def _handle(self, request: Request, conn: Connection) -> None:
        received = ReceivedRequest(request.method, request.target, request.fields, request.body)
        with self._lock:
            index, miss = self._matcher.take(received.method, received.target)
            received.matched = index
            received.miss = miss.describe() if miss else None
            self._requests.append(received)
            response = self._matcher.interaction(index).response if index is not None else None
        if response is None:
            assert miss is not None
            _write_miss(conn, miss)
        else:
            await self._write(conn, response)


def is_streamed(content_type: str) -> bool:
    """Whether a body of this (lowercase) content type is sent chunked, piece by piece."""
    return "event-stream" in content_type or "ndjson" in content_type


def served_headers(headers: Headers) -> List[Tuple[str, str]]:
    """The recorded headers this server sends: all but framing and connection management."""
    return [
        (name, value) for name, values in headers.items() if name not in _DROPPED_HEADERS for value in values
    ]


async def write_streamed(conn: Connection, response: RecordedResponse, pieces: Iterable[bytes]) -> None:
    """A chunked response, one piece per HTTP chunk, each flushed before the next."""
    conn.head(response.status, response.reason or "Recorded", served_headers(response.headers))
    for piece in pieces:
        conn.chunk(piece)
        await conn.drain()
    conn.end()


async def write_response(conn: Connection, response: RecordedResponse) -> None:
    """One recorded response by the serving rules above: streamed bodies event by event, the rest whole."""
    content_type = (response.header("content-type") or "").lower()
    if is_streamed(content_type):
        await write_streamed(conn, response, split_events(response.body, content_type))
    else:
        conn.respond(
            response.status, response.reason or "Recorded", served_headers(response.headers), response.body
        )


def _write_miss(conn: Connection, miss: Miss) -> None:
    message = f"edgequake-harness replay server: {miss.describe()}"
    body = json.dumps(
        {
            "error": {
                "message": message,
                "type": "replay_miss",
                "code": "replay_miss",
                "closest": miss.closest_key,
            }
        }
    ).encode()
    conn.respond(MISS_STATUS, "Replay Miss", [("content-type", "application/json")], body)
