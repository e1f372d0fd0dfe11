"""Ollama replies and NDJSON lines shaped as Ollama sends them, for the provider tests."""

from __future__ import annotations

import json
from typing import Any, Dict, List

USER = [{"role": "user", "content": "Say hello in one word."}]
NDJSON = {"content-type": "application/x-ndjson"}


def chat_reply(content: str = "Hello", **extra: Any) -> Dict[str, Any]:
    body = {
        "model": "llama3.1",
        "created_at": "2025-01-01T00:00:00Z",
        "message": {"role": "assistant", "content": content},
        "done": True,
        "done_reason": "stop",
        "prompt_eval_count": 14,
        "eval_count": 5,
    }
    body.update(extra)
    return body


def chat_lines(*texts: str, done: bool = True) -> List[bytes]:
    lines = [
        {"model": "llama3.1", "message": {"role": "assistant", "content": t}, "done": False} for t in texts
    ]
    if done:
        lines.append(chat_reply(""))
    return [(json.dumps(line) + "\n").encode() for line in lines]


def generate_lines(*texts: str) -> List[bytes]:
    lines: List[Dict[str, Any]] = [{"model": "llama3", "response": t, "done": False} for t in texts]
    lines.append({"model": "llama3", "response": "", "done": True, "prompt_eval_count": 3, "eval_count": 2})
    return [(json.dumps(line) + "\n").encode() for line in lines]


def _text(chunks: list) -> str:
    return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
