"""What a program needs from the suite: the fake provider's address, reply builders, and a record of
each step's outcome. Standard library only: importing it must not import litellm (the swap to
edgequake happens before the program runs, and nothing may hold the real litellm first).

A step that raises is recorded as ``{"error": "<Class>: <message>"}`` and the program goes on, so one
missing name does not hide what the other steps would have shown.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import traceback
import urllib.request
from typing import Any, Dict, Iterator, List, Optional

BASE = os.environ.get("DEPENDENTS_FAKE_URL", "http://127.0.0.1:9")
OPENAI_BASE = BASE + "/v1"  # the OpenAI route appends /chat/completions to a base ending in /v1
ANTHROPIC_BASE = BASE  # litellm's Anthropic route appends /v1/messages
KEY = "sk-fake-dependents"
CREATED = 1700000000

_results: Dict[str, Any] = {}


def script(section: str, *replies: Dict[str, Any]) -> None:
    """Tells the fake provider what to answer next (in order) and names the requests that follow."""
    data = json.dumps({"section": section, "replies": list(replies)}).encode()
    request = urllib.request.Request(BASE + "/__fake__/script", data=data, method="POST")
    with urllib.request.urlopen(request, timeout=10):
        pass


def record(name: str, value: Any) -> None:
    _results[name] = value


@contextlib.contextmanager
def step(name: str) -> Iterator[Dict[str, Any]]:
    """``with step("predict") as out: out["answer"] = ...``: the dict is recorded, or the error."""
    out: Dict[str, Any] = {}
    try:
        yield out
    except Exception as exc:
        out.clear()
        out["error"] = f"{type(exc).__name__}: {exc}"[:600]
        out["where"] = _where(exc)
    _results[name] = out


def _where(exc: BaseException) -> str:
    """The innermost frame of the library (or litellm/edgequake) that raised: where to look first."""
    frames = traceback.extract_tb(exc.__traceback__)
    for frame in reversed(frames):
        if "/programs/" not in frame.filename:
            return f"{_short(frame.filename)}:{frame.lineno} in {frame.name}"
    return ""


def _short(path: str) -> str:
    marker = "site-packages/"
    return path.split(marker, 1)[1] if marker in path else path.rsplit("/", 3)[-1]


def finish() -> None:
    """Writes the results where the runner reads them (its DEPENDENTS_OUT), sorted for stable diffs."""
    litellm = sys.modules.get("litellm")
    _results["_litellm_is"] = getattr(litellm, "__name__", None) if litellm is not None else None
    out = os.environ.get("DEPENDENTS_OUT")
    text = json.dumps(_results, indent=2, sort_keys=True, default=repr)
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        print(text)


# -- reply builders: OpenAI chat completions -----------------------------------------------------------


def usage(prompt: int = 11, completion: int = 7) -> Dict[str, int]:
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def chat(
    content: Optional[str] = None,
    tool_calls: Optional[List[Dict[str, Any]]] = None,
    n: int = 1,
    model: str = "gpt-4o-mini-2024-07-18",
    prompt_tokens: int = 11,
    completion_tokens: int = 7,
) -> Dict[str, Any]:
    """A whole chat.completion reply."""
    message: Dict[str, Any] = {"role": "assistant", "content": content}
    if tool_calls:
        message["tool_calls"] = tool_calls
    finish = "tool_calls" if tool_calls else "stop"
    return {
        "status": 200,
        "json": {
            "id": "chatcmpl-fake0001",
            "object": "chat.completion",
            "created": CREATED,
            "model": model,
            "system_fingerprint": "fp_fake",
            "choices": [
                {"index": i, "message": message, "logprobs": None, "finish_reason": finish} for i in range(n)
            ],
            "usage": usage(prompt_tokens, completion_tokens),
        },
    }


def tool_call(name: str, arguments: Dict[str, Any], call_id: str = "call_fake_1") -> Dict[str, Any]:
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}


def chat_stream(
    pieces: List[str], model: str = "gpt-4o-mini-2024-07-18", with_usage: bool = True
) -> Dict[str, Any]:
    """An SSE chat.completion.chunk stream of the text pieces, a finish chunk, a usage chunk, [DONE]."""

    def chunk(delta: Dict[str, Any], finish: Optional[str] = None) -> Dict[str, Any]:
        return {
            "id": "chatcmpl-fakestream",
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": model,
            "system_fingerprint": "fp_fake",
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }

    events: List[Dict[str, Any]] = [{"data": chunk({"role": "assistant", "content": ""})}]
    events += [{"data": chunk({"content": p})} for p in pieces]
    events.append({"data": chunk({}, "stop")})
    if with_usage:
        events.append(
            {
                "data": {
                    "id": "chatcmpl-fakestream",
                    "object": "chat.completion.chunk",
                    "created": CREATED,
                    "model": model,
                    "choices": [],
                    "usage": usage(),
                }
            }
        )
    events.append({"data": "[DONE]"})
    return {"status": 200, "sse": events}


# -- reply builders: Anthropic Messages ----------------------------------------------------------------


def anthropic(
    text: Optional[str] = None,
    tool_use: Optional[Dict[str, Any]] = None,
    model: str = "claude-sonnet-4-5-20250929",
) -> Dict[str, Any]:
    content: List[Dict[str, Any]] = []
    if text is not None:
        content.append({"type": "text", "text": text})
    if tool_use is not None:
        content.append({"type": "tool_use", "id": "toolu_fake_1", **tool_use})
    return {
        "status": 200,
        "json": {
            "id": "msg_fake0001",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": content,
            "stop_reason": "tool_use" if tool_use else "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": 13, "output_tokens": 9},
        },
    }


def anthropic_stream(pieces: List[str], model: str = "claude-sonnet-4-5-20250929") -> Dict[str, Any]:
    start = {
        "type": "message_start",
        "message": {
            "id": "msg_fakestream",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": 13, "output_tokens": 1},
        },
    }
    events = [
        {"event": "message_start", "data": start},
        {
            "event": "content_block_start",
            "data": {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
        },
    ]
    for piece in pieces:
        delta = {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": piece}}
        events.append({"event": "content_block_delta", "data": delta})
    events += [
        {"event": "content_block_stop", "data": {"type": "content_block_stop", "index": 0}},
        {
            "event": "message_delta",
            "data": {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": 9},
            },
        },
        {"event": "message_stop", "data": {"type": "message_stop"}},
    ]
    return {"status": 200, "sse": events}
