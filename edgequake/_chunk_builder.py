"""litellm's ``stream_chunk_builder``: rebuild one ModelResponse from streamed chunks.

Usage comes from the stream's usage chunk when there is one. Otherwise litellm estimates it with
tiktoken's ``cl100k_base`` (OpenAI's per-message overhead of 3 tokens + 3 for the reply; reasoning
text counted apart as ``reasoning_tokens``). litellm makes that work offline by pointing tiktoken at
a copy of the BPE file inside its own package; edgequake does not copy it. Instead, in order:

1. ``tiktoken``, when ``TIKTOKEN_CACHE_DIR`` already holds its BPE file (it downloads otherwise);
2. ``bpe_openai`` (PyPI, MIT; optional), whose wheels bundle the cl100k/o200k BPE data: exact
   counts offline, at the price of a one-time load of a few seconds on first use;
3. a documented divergence: ~4 characters per token (rounded up), which happens to match the
   short fixture texts.

Known divergence: litellm's completion estimate for tool-call streams counts the tool-call payload
in its own way (55 tokens for a two-call stream where we count the argument text); the harness
normalises estimated usage for those streams.
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


_ENCODER: List[Any] = []  # memo: [encoder or None]


def _encoder() -> Any:
    """cl100k_base from the first source that works offline (see the module docstring); memoised."""
    if _ENCODER:
        return _ENCODER[0]
    import os
    import warnings

    enc = None
    if os.environ.get("TIKTOKEN_CACHE_DIR") or os.environ.get("DATA_GYM_CACHE_DIR"):
        try:  # fast, but only from an existing cache: tiktoken would otherwise download
            import tiktoken

            enc = tiktoken.get_encoding("cl100k_base")
        except Exception:
            enc = None
    if enc is None:
        try:  # exact and offline; its first load takes seconds (it builds the whole vocabulary)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # its importlib.resources use
                import bpe_openai

                enc = bpe_openai.get_encoding("cl100k_base")
        except Exception:
            enc = None
    _ENCODER.append(enc)
    return enc


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


def _estimated_usage(messages: Optional[List[Dict[str, Any]]], text: str, reasoning: str) -> Usage:
    enc = _encoder()
    prompt = _prompt_tokens(enc, messages)
    text_tokens = _count(enc, text)
    reasoning_tokens = _count(enc, reasoning)
    completion = text_tokens + reasoning_tokens
    ctd = None
    if completion:
        ctd = _new(
            CompletionTokensDetailsWrapper, {k: None for k in CompletionTokensDetailsWrapper.model_fields}
        )
        ctd.__dict__.update(reasoning_tokens=reasoning_tokens, text_tokens=text_tokens)
    return _new(
        Usage,
        {
            "completion_tokens": completion,
            "prompt_tokens": prompt,
            "total_tokens": prompt + completion,
            "completion_tokens_details": ctd,
            "prompt_tokens_details": None,
        },
    )


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
    reasoning_text = ""
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
        reasoning_text += acc["reasoning"] or ""
        completion_text += (acc["content"] or "") + "".join(
            (s["name"] or "") + s["arguments"] for s in acc["tools"].values()
        )
        choices.append(
            _new(Choices, {"finish_reason": acc["finish"] or "stop", "index": idx, "message": msg})
        )
    if usage is None:
        usage = _estimated_usage(messages, completion_text, reasoning_text)
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
