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

The event loop runs in a daemon thread so that synchronous targets can block on it.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

from edgequake_harness.cassettes.formats import Headers, Interaction, RecordedResponse
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


class ReplayServer:
    """A loopback HTTP server replaying one set of interactions at a time (see `load`)."""

    def __init__(self, interactions: Sequence[Interaction] = ()) -> None:
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._server: Optional[asyncio.AbstractServer] = None
        self._thread: Optional[threading.Thread] = None
        self._lock = threading.Lock()
        self.port = 0
        self.load(interactions)

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> ReplayServer:
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()

        def run() -> None:
            assert self._loop is not None
            asyncio.set_event_loop(self._loop)
            self._server = self._loop.run_until_complete(
                asyncio.start_server(self._handle, host="127.0.0.1", port=0)
            )
            self.port = self._server.sockets[0].getsockname()[1]
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, name="harness-replay", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("replay server did not start within 10 s")
        return self

    def stop(self) -> None:
        loop, server = self._loop, self._server
        if loop is None or server is None:
            return

        async def shutdown() -> None:
            server.close()
            current = asyncio.current_task()
            pending = [task for task in asyncio.all_tasks() if task is not current]
            for task in pending:
                task.cancel()
            # Let the handlers see their cancellation before the loop stops, so none is left pending.
            await asyncio.gather(*pending, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(shutdown(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(5)
        loop.close()
        self._loop = self._server = None

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

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

    async def _write(self, writer: asyncio.StreamWriter, response: RecordedResponse) -> None:
        """Writes one recorded response; subclasses change how a body is cut into HTTP chunks."""
        await _write_response(writer, response)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                request = await _read_request(reader)
                if request is None:
                    break
                with self._lock:
                    index, miss = self._matcher.take(request.method, request.target)
                    request.matched = index
                    request.miss = miss.describe() if miss else None
                    self._requests.append(request)
                    response = self._matcher.interaction(index).response if index is not None else None
                if response is None:
                    assert miss is not None
                    await _write_miss(writer, miss)
                else:
                    await self._write(writer, response)
                if "close" in ",".join(request.headers.get("connection", [])).lower():
                    break
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass  # the client went away mid-request or mid-stream: its own business
        except asyncio.CancelledError:
            pass  # server shutdown with a kept-alive connection still open: nothing to report
        finally:
            writer.close()


async def _read_request(reader: asyncio.StreamReader) -> Optional[ReceivedRequest]:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None  # clean close between requests
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = ([*lines[0].split(" ", 2), "", ""])[:3]
    headers: Dict[str, List[str]] = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers.setdefault(name.strip().lower(), []).append(value.strip())
    if "chunked" in ",".join(headers.get("transfer-encoding", [])).lower():
        body = await _read_chunked(reader)
    else:
        body = await reader.readexactly(int((headers.get("content-length") or ["0"])[0]))
    return ReceivedRequest(method.upper(), target, headers, body)


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    body = bytearray()
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":
                pass  # trailers
            return bytes(body)
        body += await reader.readexactly(size)
        await reader.readexactly(2)


def _head(status: int, reason: str, headers: Headers, framing: Dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} {reason or 'Recorded'}"]
    for name, values in headers.items():
        if name not in _DROPPED_HEADERS:
            lines.extend(f"{name}: {value}" for value in values)
    lines.extend(f"{name}: {value}" for name, value in framing.items())
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")


async def _write_response(writer: asyncio.StreamWriter, response: RecordedResponse) -> None:
    content_type = (response.header("content-type") or "").lower()
    streamed = "event-stream" in content_type or "ndjson" in content_type
    if not streamed:
        framing = {"content-length": str(len(response.body))}
        writer.write(_head(response.status, response.reason, response.headers, framing) + response.body)
        await writer.drain()
        return
    writer.write(_head(response.status, response.reason, response.headers, {"transfer-encoding": "chunked"}))
    for piece in split_events(response.body, content_type):
        writer.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        await writer.drain()
    writer.write(b"0\r\n\r\n")
    await writer.drain()


async def _write_miss(writer: asyncio.StreamWriter, miss: Miss) -> None:
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
    headers = {"content-type": ["application/json"]}
    writer.write(_head(MISS_STATUS, "Replay Miss", headers, {"content-length": str(len(body))}) + body)
    await writer.drain()
