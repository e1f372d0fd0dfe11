"""A zero-latency HTTP/1.1 keep-alive server for the benchmarks: OpenAI, Anthropic and Gemini wires.

It answers, with fixed bodies built once at start-up, the same reply text and the same three stream
pieces on every route, so every client's answer is checked against the same expected values:

- ``POST .../chat/completions``: a ``chat.completion`` JSON body, or, when the request body has
  ``"stream": true``, a 5-chunk SSE stream (role, three content pieces, finish) then ``data: [DONE]``,
  sent with ``Transfer-Encoding: chunked`` so the connection stays open. With
  ``stream_options.include_usage`` a sixth, usage-only chunk is added, as OpenAI does.
- ``POST .../embeddings``: a one-vector ``list`` body (base64 when ``encoding_format`` is ``base64``,
  which is what the openai SDK asks for by default).
- ``POST .../v1/messages`` (Anthropic Messages API): a ``message`` object, or with ``"stream": true``
  the SSE event sequence Anthropic sends (message_start, content_block_start, one content_block_delta
  per piece, content_block_stop, message_delta with the usage, message_stop).
- ``POST .../models/<m>:generateContent`` (Gemini): a GenerateContentResponse (``candidates``,
  ``usageMetadata``); ``:streamGenerateContent?alt=sse``: one ``data: {...}`` chunk per piece, the last
  with ``finishReason``, separated by ``\\r\\n\\r\\n`` as Google's servers do.
- ``GET /_stats``: request and connection counters as JSON, so the runner can check that every call
  reached the server exactly once and see how many connections each client opened.

Run standalone with ``python bench/server.py --port 8000``; the runner starts it with ``--port 0`` and
reads the ``LISTENING <port>`` line. This file must stay importable on its own (no ``bench`` imports):
``bench.targets`` imports the reply constants from it. HTTP itself (parsing, pipelining, chunked
request bodies, keep-alive) is the harness's shared loopback server, ``edgequake_harness.replay.loopback``.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import signal
import struct
import sys
import threading
from typing import Dict, List, Optional, Tuple

from edgequake_harness.replay.loopback import Connection, HTTPServer, Request

MODEL = "gpt-4o-mini-2024-07-18"
REPLY_TEXT = "Hello! How can I help you today?"
# The three content pieces of the stream; with the role chunk and the finish chunk that makes 5.
STREAM_PIECES: Tuple[str, ...] = ("Hello! ", "How can I help", " you today?")
STREAM_CHUNKS = 2 + len(STREAM_PIECES)
EMBEDDING: Tuple[float, ...] = (0.125, -0.25, 0.5, -0.0625, 0.75, -0.375, 0.1875, 0.875)
_ID = "chatcmpl-bench000000000000000000000001"
_CREATED = 1_700_000_000
_FINGERPRINT = "fp_bench"
_USAGE = {"prompt_tokens": 9, "completion_tokens": 9, "total_tokens": 18}


def _dumps(obj: object) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()


def _response(status: str, body: bytes, content_type: str = "application/json") -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\n"
        f"content-type: {content_type}\r\n"
        f"content-length: {len(body)}\r\n"
        "x-request-id: req_bench\r\n"
        "\r\n"
    )
    return head.encode() + body


def _chat_body() -> bytes:
    return _dumps(
        {
            "id": _ID,
            "object": "chat.completion",
            "created": _CREATED,
            "model": MODEL,
            "system_fingerprint": _FINGERPRINT,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": REPLY_TEXT, "refusal": None},
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": _USAGE,
        }
    )


def _chunk(delta: Dict[str, object], finish_reason: Optional[str]) -> Dict[str, object]:
    return {
        "id": _ID,
        "object": "chat.completion.chunk",
        "created": _CREATED,
        "model": MODEL,
        "system_fingerprint": _FINGERPRINT,
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}],
    }


def _stream_response(include_usage: bool) -> bytes:
    events: List[Dict[str, object]] = [_chunk({"role": "assistant", "content": "", "refusal": None}, None)]
    events += [_chunk({"content": piece}, None) for piece in STREAM_PIECES]
    events.append(_chunk({}, "stop"))
    if include_usage:
        usage_chunk = _chunk({}, None)
        usage_chunk["choices"] = []
        usage_chunk["usage"] = _USAGE
        events.append(usage_chunk)
    frames = [b"data: " + _dumps(event) + b"\n\n" for event in events] + [b"data: [DONE]\n\n"]
    return _sse_response(frames)


def _sse_response(frames: List[bytes], content_type: bytes = b"text/event-stream; charset=utf-8") -> bytes:
    """One HTTP chunk per SSE frame, as the providers flush them, so clients parse the same
    framing they meet in production (and the connection stays reusable: chunked, not close)."""
    head = (
        b"HTTP/1.1 200 OK\r\n"
        b"content-type: " + content_type + b"\r\n"
        b"cache-control: no-cache\r\n"
        b"transfer-encoding: chunked\r\n"
        b"x-request-id: req_bench\r\n"
        b"\r\n"
    )
    body = b"".join(b"%x\r\n%s\r\n" % (len(frame), frame) for frame in frames)
    return head + body + b"0\r\n\r\n"


# --- Anthropic Messages API -------------------------------------------------------------------
# Shapes from cassettes/anthropic/ (mirascope claude-sonnet-4-5 recordings): usage with the cache
# fields and service_tier, as the real API sends them, so clients do their usual amount of parsing.

ANTHROPIC_MODEL = "claude-sonnet-4-5-20250929"
_ANTHROPIC_ID = "msg_bench0000000000000000001"
_ANTHROPIC_USAGE: Dict[str, object] = {
    "input_tokens": 9,
    "cache_creation_input_tokens": 0,
    "cache_read_input_tokens": 0,
    "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0},
    "output_tokens": 9,
    "service_tier": "standard",
}


def _anthropic_body() -> bytes:
    return _dumps(
        {
            "model": ANTHROPIC_MODEL,
            "id": _ANTHROPIC_ID,
            "type": "message",
            "role": "assistant",
            "content": [{"type": "text", "text": REPLY_TEXT}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": _ANTHROPIC_USAGE,
        }
    )


def _anthropic_stream() -> bytes:
    start_usage = {**_ANTHROPIC_USAGE, "output_tokens": 1}
    message: Dict[str, object] = {
        "model": ANTHROPIC_MODEL,
        "id": _ANTHROPIC_ID,
        "type": "message",
        "role": "assistant",
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": start_usage,
    }
    events: List[Dict[str, object]] = [
        {"type": "message_start", "message": message},
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
    ]
    events += [
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": piece}}
        for piece in STREAM_PIECES
    ]
    events += [
        {"type": "content_block_stop", "index": 0},
        {
            "type": "message_delta",
            "delta": {"stop_reason": "end_turn", "stop_sequence": None},
            "usage": {
                "input_tokens": 9,
                "cache_creation_input_tokens": 0,
                "cache_read_input_tokens": 0,
                "output_tokens": 9,
            },
        },
        {"type": "message_stop"},
    ]
    frames = [b"event: %s\ndata: %s\n\n" % (str(e["type"]).encode(), _dumps(e)) for e in events]
    return _sse_response(frames)


# --- Gemini (AI Studio) ---------------------------------------------------------------------------
# Shapes from cassettes/gemini/ (mirascope gemini-2.5-flash recordings): every stream chunk carries
# usageMetadata, modelVersion and responseId; frames end in CRLF CRLF; content-type has no charset.

GEMINI_MODEL = "gemini-2.5-flash"
_GEMINI_ID = "benchGeminiResponse0001"


def _gemini_usage(candidates_tokens: int) -> Dict[str, object]:
    return {
        "promptTokenCount": 9,
        "candidatesTokenCount": candidates_tokens,
        "totalTokenCount": 9 + candidates_tokens,
        "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 9}],
    }


def _gemini_chunk(text: str, finish: bool, candidates_tokens: int) -> Dict[str, object]:
    candidate: Dict[str, object] = {"content": {"parts": [{"text": text}], "role": "model"}}
    if finish:
        candidate["finishReason"] = "STOP"
    candidate["index"] = 0
    return {
        "candidates": [candidate],
        "usageMetadata": _gemini_usage(candidates_tokens),
        "modelVersion": GEMINI_MODEL,
        "responseId": _GEMINI_ID,
    }


def _gemini_stream() -> bytes:
    last = len(STREAM_PIECES) - 1
    frames = [
        b"data: " + _dumps(_gemini_chunk(piece, i == last, 3 * (i + 1))) + b"\r\n\r\n"
        for i, piece in enumerate(STREAM_PIECES)
    ]
    return _sse_response(frames, content_type=b"text/event-stream")


def _embedding_body(as_base64: bool) -> bytes:
    vector: object = list(EMBEDDING)
    if as_base64:
        vector = base64.b64encode(struct.pack(f"<{len(EMBEDDING)}f", *EMBEDDING)).decode()
    return _dumps(
        {
            "object": "list",
            "data": [{"object": "embedding", "index": 0, "embedding": vector}],
            "model": "text-embedding-3-small",
            "usage": {"prompt_tokens": 2, "total_tokens": 2},
        }
    )


CHAT = _response("200 OK", _chat_body())
STREAM = _stream_response(include_usage=False)
STREAM_WITH_USAGE = _stream_response(include_usage=True)
EMBEDDINGS = _response("200 OK", _embedding_body(as_base64=False))
EMBEDDINGS_B64 = _response("200 OK", _embedding_body(as_base64=True))
ANTHROPIC = _response("200 OK", _anthropic_body())
ANTHROPIC_STREAM = _anthropic_stream()
GEMINI = _response("200 OK", _dumps(_gemini_chunk(REPLY_TEXT, True, 9)))
GEMINI_STREAM = _gemini_stream()


def _error(status: str, message: str) -> bytes:
    return _response(status, _dumps({"error": {"message": message, "type": "invalid_request_error"}}))


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
            "other": 0,
        }
        self.http = HTTPServer(self.route, host, port)

    def as_json(self) -> bytes:
        return _dumps(
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

    def _reply(self, method: str, path: str, body: bytes) -> bytes:
        counts = self.counts
        if method == "GET" and path == "/_stats":
            return _response("200 OK", self.as_json())
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
                return STREAM_WITH_USAGE if with_usage else STREAM
            counts["chat"] += 1
            return CHAT
        if path.endswith("/v1/messages"):
            if payload.get("stream") is True:
                counts["anthropic_stream"] += 1
                return ANTHROPIC_STREAM
            counts["anthropic"] += 1
            return ANTHROPIC
        # Gemini says stream in the URL (the method, and alt=sse), not in the body.
        if path.endswith(":streamGenerateContent"):
            counts["gemini_stream"] += 1
            return GEMINI_STREAM
        if path.endswith(":generateContent"):
            counts["gemini"] += 1
            return GEMINI
        if path.endswith("/embeddings"):
            counts["embeddings"] += 1
            return EMBEDDINGS_B64 if payload.get("encoding_format") == "base64" else EMBEDDINGS
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
