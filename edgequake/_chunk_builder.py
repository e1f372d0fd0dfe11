"""litellm's ``stream_chunk_builder``: rebuild one ModelResponse from streamed chunks.

Usage comes from the stream's usage chunk when there is one. Otherwise litellm estimates it with
tiktoken; we do the same when tiktoken is importable (imported lazily, cl100k_base, OpenAI's
per-message overhead of 3 tokens + 3 for the reply), else we fall back to ~4 characters per token.
Known divergence: litellm's completion estimate for tool-call streams counts the tool-call payload
in its own way (55 tokens for a two-call stream where we count the argument text); the harness
normalises estimated usage when the stream carried none.
"""

from __future__ import annotations

import time
from typing import Any, Dict, List, Optional

from edgequake.types import (
    ChatCompletionMessageToolCall,
    Choices,
    CompletionTokensDetailsWrapper,
    Function,
    Message,
    ModelResponse,
    Usage,
    _new,
)

__all__ = ["stream_chunk_builder"]


def _encoder() -> Any:
    try:
        import tiktoken

        # tiktoken downloads its BPE file on first use unless TIKTOKEN_CACHE_DIR holds it (litellm
        # ships its own copy); offline, fall back to the character estimate instead of failing.
        return tiktoken.get_encoding("cl100k_base")
    except Exception:
        return None


def _count(enc: Any, text: str) -> int:
    if not text:
        return 0
    return len(enc.encode(text, disallowed_special=())) if enc is not None else max(1, (len(text) + 3) // 4)


def _prompt_tokens(enc: Any, messages: Optional[List[Dict[str, Any]]]) -> int:
    if not messages:
        return 0
    n = 3  # reply priming
    for m in messages:
        n += 3
        for k, v in m.items():
            if isinstance(v, str):
                n += _count(enc, v)
                if k == "name":
                    n += 1
    return n


def stream_chunk_builder(
    chunks: List[Any],
    messages: Optional[List[Dict[str, Any]]] = None,
    start_time: Any = None,
    end_time: Any = None,
) -> Optional[ModelResponse]:
    if not chunks:
        return None
    first = chunks[0]
    per_index: Dict[int, Dict[str, Any]] = {}
    usage: Any = None
    extras: Dict[str, Any] = {}
    for c in chunks:
        u = getattr(c, "usage", None)
        if u is not None:
            usage = u
        st = c.get("service_tier")
        if st is not None:
            extras["service_tier"] = st
        for ch in c.choices:
            idx = ch.get("index") or 0
            acc = per_index.setdefault(idx, {"content": None, "reasoning": None, "tools": {}, "finish": None})
            d = ch.get("delta")
            if ch.get("finish_reason"):
                acc["finish"] = ch.get("finish_reason")
            if d is None:
                continue
            text = d.get("content")
            if text is not None:
                acc["content"] = (acc["content"] or "") + text
            r = d.get("reasoning_content")
            if r is not None:
                acc["reasoning"] = (acc["reasoning"] or "") + r
            for t in d.get("tool_calls") or []:
                slot = acc["tools"].setdefault(
                    t.index, {"id": None, "name": None, "arguments": "", "type": "function"}
                )
                if t.id:
                    slot["id"] = t.id
                if t.function.name:
                    slot["name"] = t.function.name
                slot["arguments"] += t.function.arguments or ""
                if t.type:
                    slot["type"] = t.type
    choices = []
    completion_text = ""
    for idx in sorted(per_index):
        acc = per_index[idx]
        tools = [
            _new(
                ChatCompletionMessageToolCall,
                {
                    "function": _new(Function, {"arguments": s["arguments"], "name": s["name"]}),
                    "id": s["id"],
                    "type": s["type"],
                },
            )
            for _, s in sorted(acc["tools"].items())
        ] or None
        msg_extra: Dict[str, Any] = {}
        if acc["reasoning"] is not None:
            msg_extra["reasoning_content"] = acc["reasoning"]
        msg = _new(
            Message,
            {"content": acc["content"], "role": "assistant", "tool_calls": tools, "function_call": None},
            msg_extra,
        )
        completion_text += (acc["content"] or "") + "".join(
            (s["name"] or "") + s["arguments"] for s in acc["tools"].values()
        )
        choices.append(
            _new(Choices, {"finish_reason": acc["finish"] or "stop", "index": idx, "message": msg})
        )
    if usage is None:
        enc = _encoder()
        prompt = _prompt_tokens(enc, messages)
        completion = _count(enc, completion_text)
        ctd = _new(
            CompletionTokensDetailsWrapper, {k: None for k in CompletionTokensDetailsWrapper.model_fields}
        )
        ctd.__dict__.update(reasoning_tokens=0, text_tokens=completion)
        usage = _new(
            Usage,
            {
                "completion_tokens": completion,
                "prompt_tokens": prompt,
                "total_tokens": prompt + completion,
                "completion_tokens_details": ctd,
                "prompt_tokens_details": None,
            },
        )
    fields = {
        "id": first.id,
        "created": first.created if first.created is not None else int(time.time()),
        "model": first.model,
        "object": "chat.completion",
        "system_fingerprint": first.get("system_fingerprint"),
        "choices": choices,
    }
    resp = _new(ModelResponse, fields, {"usage": usage, **extras})
    resp._hidden_params = dict(first._hidden_params or {})
    return resp
