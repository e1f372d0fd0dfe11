"""Success replies and streams as each provider sends them, built from a list of text pieces, so a
fault can send a whole reply, a part of one, a stream without its terminator or a very long one."""

from __future__ import annotations

import json
from typing import Any, Dict, List

from tests import payloads

PROVIDERS = ("openai", "anthropic", "gemini", "ollama")
TEXT = ["Hello", " there", "!"]


def body(provider: str, text: str) -> bytes:
    """A whole non-streamed reply carrying `text` as the assistant's content."""
    if provider == "openai":
        out: Dict[str, Any] = payloads.chat(text)
    elif provider == "anthropic":
        out = {
            "id": "msg_01",
            "type": "message",
            "role": "assistant",
            "model": "claude-sonnet-4-5-20250929",
            "content": [{"type": "text", "text": text}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": 10, "output_tokens": 5},
        }
    elif provider == "gemini":
        out = {
            "candidates": [{"content": {"parts": [{"text": text}], "role": "model"}, "finishReason": "STOP"}],
            "usageMetadata": {"promptTokenCount": 4, "candidatesTokenCount": 2, "totalTokenCount": 6},
            "modelVersion": "gemini-2.5-flash",
            "responseId": "resp-1",
        }
    else:
        out = {
            "model": "llama3.1",
            "created_at": "2025-01-01T00:00:00Z",
            "message": {"role": "assistant", "content": text},
            "done": True,
            "done_reason": "stop",
            "prompt_eval_count": 14,
            "eval_count": 5,
        }
    return json.dumps(out).encode()


def content_type(provider: str, stream: bool) -> str:
    if not stream:
        return "application/json"
    return "application/x-ndjson" if provider == "ollama" else "text/event-stream"


def stream(provider: str, pieces: List[str], terminated: bool = True) -> List[bytes]:
    """The stream's writes, one event each. Without `terminated`, the provider's end marker (and, where
    the end is a final event, that event) is left off: a stream cut short that closes cleanly."""
    if provider == "openai":
        events = [json.dumps(e) for e in payloads.text_stream(*pieces)]
        if terminated:
            events.append("[DONE]")
        return [f"data: {e}\n\n".encode() for e in events]
    if provider == "anthropic":
        return _anthropic(pieces, terminated)
    if provider == "gemini":
        out = []
        for i, piece in enumerate(pieces):
            cand: Dict[str, Any] = {"content": {"parts": [{"text": piece}], "role": "model"}, "index": 0}
            if terminated and i == len(pieces) - 1:
                cand["finishReason"] = "STOP"
            event = {"candidates": [cand], "modelVersion": "gemini-2.5-flash", "responseId": "s-1"}
            out.append(f"data: {json.dumps(event)}\r\n\r\n".encode())
        return out
    lines: List[Dict[str, Any]] = [
        {"model": "llama3.1", "message": {"role": "assistant", "content": p}, "done": False} for p in pieces
    ]
    if terminated:
        lines.append(json.loads(body("ollama", "")))
    return [(json.dumps(line) + "\n").encode() for line in lines]


def _anthropic(pieces: List[str], terminated: bool) -> List[bytes]:
    start = {
        "type": "message_start",
        "message": {
            "id": "msg_01",
            "type": "message",
            "role": "assistant",
            "model": "claude-sonnet-4-5-20250929",
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": 9, "output_tokens": 1},
        },
    }
    events: List[Dict[str, Any]] = [
        start,
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
    ]
    for p in pieces:
        events.append({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}})
    if terminated:
        events.append({"type": "content_block_stop", "index": 0})
        events.append(
            {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 7}}
        )
        events.append({"type": "message_stop"})
    return [f"event: {e['type']}\ndata: {json.dumps(e)}\n\n".encode() for e in events]


def bad_event(provider: str, payload: bytes) -> bytes:
    """One stream write whose payload is `payload` (malformed JSON, invalid UTF-8), framed as the
    provider frames its events."""
    if provider == "ollama":
        return payload + b"\n"
    if provider == "anthropic":
        return b"event: content_block_delta\ndata: " + payload + b"\n\n"
    end = b"\r\n\r\n" if provider == "gemini" else b"\n\n"
    return b"data: " + payload + end
