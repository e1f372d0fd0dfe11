"""The benchmark server's fixed replies, per wire, built once (sized streams and embeddings on first
request, then cached), so the server spends no time encoding while a client is being timed.

Every wire answers the same reply text, and a stream of ``n`` chunks carries the same ``n - 2`` text
pieces on every wire (on the OpenAI wire: a role chunk, the pieces, a finish chunk, as OpenAI sends
them). The 5-chunk stream's pieces are the three of ``STREAM_PIECES``; a client asks for another
size by saying ``a stream of <n> chunks`` in its message (``stream_request``), which every client can
send unchanged on every wire. Kept free of ``bench`` imports: the server runs as a script.
"""

from __future__ import annotations

import base64
import json
import re
import struct
from typing import Dict, List, Optional, Tuple

MODEL = "gpt-4o-mini-2024-07-18"
REPLY_TEXT = "Hello! How can I help you today?"
# The three content pieces of the stream; with the role chunk and the finish chunk that makes 5.
STREAM_PIECES: Tuple[str, ...] = ("Hello! ", "How can I help", " you today?")
STREAM_CHUNKS = 2 + len(STREAM_PIECES)
MAX_STREAM_CHUNKS = 100_000
EMBEDDING_DIMS = 1536
MAX_EMBEDDING_INPUTS = 2048
_SIZE = re.compile(rb"a stream of (\d+) chunks")
_ID = "chatcmpl-bench000000000000000000000001"
_CREATED = 1_700_000_000
_FINGERPRINT = "fp_bench"
_USAGE = {"prompt_tokens": 9, "completion_tokens": 9, "total_tokens": 18}


def stream_request(chunks: int) -> str:
    """The message text that asks the server for a stream of ``chunks`` chunks."""
    return "Say hello." if chunks == STREAM_CHUNKS else f"Say hello as a stream of {chunks} chunks."


def stream_pieces(chunks: int) -> Tuple[str, ...]:
    """The text pieces a ``chunks``-chunk stream carries (what every client must read back)."""
    if chunks == STREAM_CHUNKS:
        return STREAM_PIECES
    return tuple(f"w{i} " for i in range(max(chunks - 2, 1)))


def requested_chunks(body: bytes) -> int:
    found = _SIZE.search(body)
    if found is None:
        return STREAM_CHUNKS
    return max(3, min(int(found.group(1)), MAX_STREAM_CHUNKS))


def embedding_vector(i: int) -> List[float]:
    """Input ``i``'s vector: exact in float32 (multiples of 1/1024), so float and base64 agree."""
    return [((i * 7 + j * 13) % 2048 - 1024) / 1024.0 for j in range(EMBEDDING_DIMS)]


def dumps(obj: object) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()


def response(status: str, body: bytes, content_type: str = "application/json") -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\n"
        f"content-type: {content_type}\r\n"
        f"content-length: {len(body)}\r\n"
        "x-request-id: req_bench\r\n"
        "\r\n"
    )
    return head.encode() + body


def chunked_response(frames: List[bytes], content_type: bytes = b"text/event-stream; charset=utf-8") -> bytes:
    """One HTTP chunk per frame, as the providers flush them, so clients parse the same framing they
    meet in production (and the connection stays reusable: chunked, not close)."""
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


# --- OpenAI chat completions ----------------------------------------------------------------------


def chat_body() -> bytes:
    return dumps(
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


def openai_stream(chunks: int, include_usage: bool) -> bytes:
    events: List[Dict[str, object]] = [_chunk({"role": "assistant", "content": "", "refusal": None}, None)]
    events += [_chunk({"content": piece}, None) for piece in stream_pieces(chunks)]
    events.append(_chunk({}, "stop"))
    if include_usage:
        usage_chunk = _chunk({}, None)
        usage_chunk["choices"] = []
        usage_chunk["usage"] = _USAGE
        events.append(usage_chunk)
    frames = [b"data: " + dumps(event) + b"\n\n" for event in events] + [b"data: [DONE]\n\n"]
    return chunked_response(frames)


# --- Anthropic Messages API -----------------------------------------------------------------------
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


def anthropic_body() -> bytes:
    return dumps(
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


def anthropic_stream(chunks: int) -> bytes:
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
        for piece in stream_pieces(chunks)
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
    frames = [b"event: %s\ndata: %s\n\n" % (str(e["type"]).encode(), dumps(e)) for e in events]
    return chunked_response(frames)


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


def gemini_chunk(text: str, finish: bool, candidates_tokens: int) -> Dict[str, object]:
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


def gemini_stream(chunks: int) -> bytes:
    pieces = stream_pieces(chunks)
    last = len(pieces) - 1
    frames = [
        b"data: " + dumps(gemini_chunk(piece, i == last, 3 * (i + 1))) + b"\r\n\r\n"
        for i, piece in enumerate(pieces)
    ]
    return chunked_response(frames, content_type=b"text/event-stream")


# --- Ollama /api/chat -----------------------------------------------------------------------------
# Shapes from cassettes/ollama/ (openllmetry streaming chat, authored /api/chat cases): NDJSON, one
# message per line, the last with done: true, done_reason and the counters.

OLLAMA_MODEL = "llama3.1"
_OLLAMA_CREATED = "2025-01-01T00:00:00.000000Z"
_OLLAMA_COUNTS = {
    "total_duration": 1000000,
    "load_duration": 100,
    "prompt_eval_count": 9,
    "prompt_eval_duration": 100,
    "eval_count": 9,
    "eval_duration": 100,
}


def _ollama_message(content: str, done: bool) -> Dict[str, object]:
    line: Dict[str, object] = {
        "model": OLLAMA_MODEL,
        "created_at": _OLLAMA_CREATED,
        "message": {"role": "assistant", "content": content},
        "done": done,
    }
    if done:
        line.update(done_reason="stop", **_OLLAMA_COUNTS)
    return line


def ollama_body() -> bytes:
    return dumps(_ollama_message(REPLY_TEXT, True))


def ollama_stream(chunks: int) -> bytes:
    lines = [_ollama_message(piece, False) for piece in stream_pieces(chunks)]
    lines.append(_ollama_message("", True))
    return chunked_response([dumps(line) + b"\n" for line in lines], content_type=b"application/x-ndjson")


# --- OpenAI embeddings ----------------------------------------------------------------------------


def embedding_body(inputs: int, as_base64: bool) -> bytes:
    data = []
    for i in range(inputs):
        vector: object = embedding_vector(i)
        if as_base64:
            vector = base64.b64encode(struct.pack(f"<{EMBEDDING_DIMS}f", *embedding_vector(i))).decode()
        data.append({"object": "embedding", "index": i, "embedding": vector})
    usage = {"prompt_tokens": 2 * inputs, "total_tokens": 2 * inputs}
    return dumps({"object": "list", "data": data, "model": "text-embedding-3-small", "usage": usage})
