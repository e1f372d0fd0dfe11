"""A zero-latency HTTP/1.1 keep-alive server for the benchmarks: OpenAI, Anthropic, Gemini, Ollama.

It answers with fixed bodies (``bench.bodies``: built once, sized ones on first request, then cached)
the same reply text and the same stream pieces on every route, so every client's answer is checked
against the same expected values. A body saying ``a stream of <n> chunks`` gets an ``n``-chunk stream
(``bench.bodies.stream_request``); any other gets the 5-chunk one.

- ``POST .../chat/completions``: a ``chat.completion`` JSON body, or, when the request body has
  ``"stream": true``, an SSE stream (role chunk, the pieces, finish chunk) then ``data: [DONE]``,
  sent with ``Transfer-Encoding: chunked`` so the connection stays open. With
  ``stream_options.include_usage`` a usage-only chunk is added, as OpenAI does.
- ``POST .../embeddings``: one 1,536-float vector per input (base64 of float32 when
  ``encoding_format`` is ``base64``, which is what the openai SDK asks for by default).
- ``POST .../v1/messages`` (Anthropic Messages API): a ``message`` object, or with ``"stream": true``
  the SSE event sequence Anthropic sends (message_start, content_block_start, one content_block_delta
  per piece, content_block_stop, message_delta with the usage, message_stop).
- ``POST .../models/<m>:generateContent`` (Gemini): a GenerateContentResponse (``candidates``,
  ``usageMetadata``); ``:streamGenerateContent?alt=sse``: one ``data: {...}`` chunk per piece, the last
  with ``finishReason``, separated by ``\\r\\n\\r\\n`` as Google's servers do.
- ``POST /api/chat`` (Ollama): one message object, or with ``"stream": true`` (Ollama's default) NDJSON
  lines, one per piece, then a ``done: true`` line with the counters.
- ``GET /_stats``: request and connection counters as JSON, so the runner can check that every call
  reached the server exactly once and see how many connections each client opened.

Run standalone with ``python bench/server.py --port 8000``; the runner starts it with ``--port 0`` and
reads the ``LISTENING <port>`` line. HTTP itself (parsing, pipelining, chunked request bodies,
keep-alive) is the harness's shared loopback server, ``edgequake_harness.replay.loopback``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Dict, List, Optional, Tuple

if __package__ in (None, ""):  # run as `python bench/server.py`: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bodies import (
    EMBEDDING_DIMS,
    MAX_EMBEDDING_INPUTS,
    MODEL,
    REPLY_TEXT,
    STREAM_CHUNKS,
    STREAM_PIECES,
    anthropic_body,
    anthropic_stream,
    chat_body,
    dumps,
    embedding_body,
    gemini_chunk,
    gemini_stream,
    ollama_body,
    ollama_stream,
    openai_stream,
    requested_chunks,
    response,
)
from edgequake_harness.replay.loopback import Connection, HTTPServer, Request

__all__ = ["EMBEDDING_DIMS", "MODEL", "REPLY_TEXT", "STREAM_CHUNKS", "STREAM_PIECES", "Bench"]

CHAT = response("200 OK", chat_body())
ANTHROPIC = response("200 OK", anthropic_body())
GEMINI = response("200 OK", dumps(gemini_chunk(REPLY_TEXT, True, 9)))
OLLAMA = response("200 OK", ollama_body())


def _error(status: str, message: str) -> bytes:
    return response(status, dumps({"error": {"message": message, "type": "invalid_request_error"}}))


class Bench:
    """The routes, and the counters ``GET /_stats`` serves (connections are the shared server's)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.counts: Dict[str, int] = {
            "chat": 0,
            "chat_stream": 0,
            "embeddings": 0,
            "anthropic": 0,
            "anthropic_stream": 0,
            "gemini": 0,
            "gemini_stream": 0,
            "ollama": 0,
            "ollama_stream": 0,
            "other": 0,
        }
        # (wire, chunks, usage) -> a whole prebuilt stream response; (inputs, base64) -> embeddings
        self._streams: Dict[Tuple[str, int, bool], bytes] = {}
        self._embeddings: Dict[Tuple[int, bool], bytes] = {}
        # 10,000 clients connect at once in the async scenario: a deep accept queue (the kernel caps it)
        self.http = HTTPServer(self.route, host, port, backlog=16384)

    def as_json(self) -> bytes:
        return dumps(
            {
                "requests": sum(self.counts.values()),
                "by_kind": self.counts,
                "connections": self.http.connections,
                "open_connections": self.http.open_connections,
            }
        )

    def route(self, request: Request, conn: Connection) -> None:
        """Answers at once with prebuilt bytes: no Task, no per-request encoding."""
        conn.send(self._reply(request.method, request.path.rstrip("/"), request.body))

    def _stream(self, wire: str, body: bytes, usage: bool = False) -> bytes:
        key = (wire, requested_chunks(body), usage)
        cached = self._streams.get(key)
        if cached is None:
            chunks = key[1]
            if wire == "openai":
                cached = openai_stream(chunks, usage)
            elif wire == "anthropic":
                cached = anthropic_stream(chunks)
            elif wire == "gemini":
                cached = gemini_stream(chunks)
            else:
                cached = ollama_stream(chunks)
            self._streams[key] = cached
        return cached

    def _embedding(self, payload: Dict[str, object]) -> bytes:
        inputs = payload.get("input")
        count = len(inputs) if isinstance(inputs, list) else 1
        key = (max(1, min(count, MAX_EMBEDDING_INPUTS)), payload.get("encoding_format") == "base64")
        cached = self._embeddings.get(key)
        if cached is None:
            cached = self._embeddings[key] = response("200 OK", embedding_body(*key))
        return cached

    def _reply(self, method: str, path: str, body: bytes) -> bytes:
        counts = self.counts
        if method == "GET" and path == "/_stats":
            return response("200 OK", self.as_json())
        if method != "POST":
            counts["other"] += 1
            return _error("404 Not Found", f"no route for {method} {path}")
        try:
            payload = json.loads(body) if body else {}
        except ValueError:
            counts["other"] += 1
            return _error("400 Bad Request", "body is not JSON")
        if not isinstance(payload, dict):
            payload = {}
        if path.endswith("/chat/completions"):
            if payload.get("stream") is True:
                counts["chat_stream"] += 1
                options = payload.get("stream_options")
                with_usage = isinstance(options, dict) and options.get("include_usage") is True
                return self._stream("openai", body, with_usage)
            counts["chat"] += 1
            return CHAT
        if path.endswith("/v1/messages"):
            if payload.get("stream") is True:
                counts["anthropic_stream"] += 1
                return self._stream("anthropic", body)
            counts["anthropic"] += 1
            return ANTHROPIC
        # Gemini says stream in the URL (the method, and alt=sse), not in the body.
        if path.endswith(":streamGenerateContent"):
            counts["gemini_stream"] += 1
            return self._stream("gemini", body)
        if path.endswith(":generateContent"):
            counts["gemini"] += 1
            return GEMINI
        if path.endswith("/api/chat"):
            if payload.get("stream", True) is not False:  # Ollama streams unless told not to
                counts["ollama_stream"] += 1
                return self._stream("ollama", body)
            counts["ollama"] += 1
            return OLLAMA
        if path.endswith("/embeddings"):
            counts["embeddings"] += 1
            return self._embedding(payload)
        counts["other"] += 1
        return _error("404 Not Found", f"no route for POST {path}")


async def serve(host: str, port: int, exit_on_stdin_eof: bool) -> None:
    loop = asyncio.get_running_loop()
    bench = Bench(host, port)
    stop: asyncio.Future[None] = loop.create_future()

    def _stop() -> None:
        if not stop.done():
            stop.set_result(None)

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, _stop)
    if exit_on_stdin_eof:
        # The runner holds our stdin open; when it exits (even if killed) we see EOF and stop.
        def _watch() -> None:
            sys.stdin.buffer.read()
            loop.call_soon_threadsafe(_stop)

        threading.Thread(target=_watch, name="stdin-watch", daemon=True).start()
    async with bench.http:
        print(f"LISTENING {bench.http.port}", flush=True)
        await stop


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port (printed on stdout)")
    parser.add_argument("--cpu", type=int, default=None, help="pin this process to one CPU")
    parser.add_argument("--exit-on-stdin-eof", action="store_true", help="stop when stdin closes")
    args = parser.parse_args(argv)
    if args.cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.host, args.port, args.exit_on_stdin_eof))
    return 0


if __name__ == "__main__":
    sys.exit(main())
