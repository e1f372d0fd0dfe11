"""litellm's ``stream_chunk_builder``: rebuild one ModelResponse from streamed chunks.

Usage comes from the stream's usage chunk when there is one. Otherwise litellm estimates it with
tiktoken: ``o200k_base`` for the OpenAI models that use it (gpt-4o and later), ``cl100k_base`` for
every other model (OpenAI's per-message overhead of 3 tokens + 3 for the reply; reasoning
text counted apart as ``reasoning_tokens``). litellm makes that work offline by pointing tiktoken at
a copy of the BPE file inside its own package; edgequake does not copy it. Instead, in order:

1. ``tiktoken``, when ``TIKTOKEN_CACHE_DIR`` already holds its BPE file (it downloads otherwise);
2. ``bpe_openai`` (PyPI, MIT; optional), whose wheels bundle the cl100k/o200k BPE data: exact
   counts offline, at the price of a one-time load of a few seconds on first use;
3. a documented divergence: ~4 characters per token (rounded up), which happens to match the
   short fixture texts.

Tool calls count as litellm counts them: each call's compact JSON dump (function, id, type).
A usage litellm moved into a chunk's ``_hidden_params["usage"]`` counts as reported usage.
"""

from __future__ import annotations

import json
import time
from typing import Any, Dict, List, Optional

from edgequake._cost.stamp import stamp_usage
from edgequake._shaping.tokens import count_tokens, encoder, encoding_name, prompt_tokens
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


_REASONING_ENCODING = "cl100k_base"


def _estimated_usage(
    messages: Optional[List[Dict[str, Any]]], text: str, reasoning: str, *, model: Optional[str], simple: bool
) -> Usage:
    enc = encoder(encoding_name(model))
    prompt = prompt_tokens(enc, messages)
    text_tokens = count_tokens(enc, text)
    reasoning_tokens = count_tokens(encoder(_REASONING_ENCODING), reasoning)
    completion = text_tokens + reasoning_tokens
    ctd = None
    # litellm reports the split for a plain-text stream (reasoning 0, even with nothing to count) and
    # for one with reasoning text; otherwise (tool calls, refusals, ... without reasoning) none
    if simple or reasoning:
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


def completion_split_for(chunks: List[Any], usage: Usage, *, model: Optional[str]) -> Optional[Any]:
    """The completion split litellm's builder adds to a provider usage that has none, from the chunks
    the usage belongs to (used by the stream's own usage chunk)."""
    details = usage.completion_tokens_details
    if details is not None and details.reasoning_tokens is not None:
        return details
    simple, reasoning = True, ""
    for c in chunks:
        for ch in c.choices or []:
            d = ch.get("delta")
            if d is None:
                continue
            if any(d.get(k) is not None for k in _NON_TEXT_DELTA_FIELDS):
                simple = False
            reasoning += d.get("reasoning_content") or ""
    return _as_litellm_built(usage, reasoning, model=model, simple=simple).completion_tokens_details


def _as_litellm_built(usage: Usage, reasoning: str, *, model: Optional[str], simple: bool) -> Usage:
    """A provider usage kept in hidden params, as litellm's own build of the stream reports it: the
    declared fields only (provider extras such as DeepSeek's prompt_cache_* go), and the completion
    split (reasoning counted from the reasoning text) where the provider gave none."""
    ctd = usage.completion_tokens_details
    if ctd is None and (simple or reasoning):
        reasoning_tokens = count_tokens(encoder(_REASONING_ENCODING), reasoning)
        ctd = _new(
            CompletionTokensDetailsWrapper, {k: None for k in CompletionTokensDetailsWrapper.model_fields}
        )
        ctd.__dict__.update(
            reasoning_tokens=reasoning_tokens, text_tokens=(usage.completion_tokens or 0) - reasoning_tokens
        )
    elif ctd is not None and ctd.reasoning_tokens is None and (simple or reasoning):
        # litellm's builder fills the missing reasoning count (capped by the completion) into the
        # provider's details, and the text count when that is missing too (gemini sends details
        # without thoughts)
        completion = usage.completion_tokens or 0
        counted = min(max(0, count_tokens(encoder(_REASONING_ENCODING), reasoning)), completion)
        ctd = ctd.model_copy()
        ctd.__dict__["reasoning_tokens"] = counted
        ctd.__pydantic_fields_set__.add("reasoning_tokens")
        if ctd.text_tokens is None:
            ctd.__dict__["text_tokens"] = completion - counted
            ctd.__pydantic_fields_set__.add("text_tokens")
    # Usage's own cache counters survive litellm's rebuild when they are counts (gemini sends them)
    kept = {
        k: v
        for k, v in (usage.__pydantic_extra__ or {}).items()
        if k in ("cache_read_input_tokens", "cache_creation_input_tokens")
        and isinstance(v, int)
        and not isinstance(v, bool)
    }
    return _new(
        Usage,
        {
            "completion_tokens": usage.completion_tokens,
            "prompt_tokens": usage.prompt_tokens,
            "total_tokens": usage.total_tokens,
            "completion_tokens_details": ctd,
            "prompt_tokens_details": usage.prompt_tokens_details,
        },
        kept or None,
    )


# delta fields that take a stream off litellm's plain-text path in stream_chunk_builder
_NON_TEXT_DELTA_FIELDS = (
    "tool_calls",
    "function_call",
    "reasoning_content",
    "reasoning_items",
    "thinking_blocks",
    "annotations",
    "audio",
    "images",
    "provider_specific_fields",
    "refusal",
)


_VERTEX_METADATA = (
    "vertex_ai_grounding_metadata",
    "vertex_ai_url_context_metadata",
    "vertex_ai_safety_ratings",
    "vertex_ai_safety_results",
    "vertex_ai_citation_metadata",
)


def _as_list(value: Any) -> List[Any]:
    if not value:
        return []
    return list(value) if isinstance(value, list) else [value]


def _tool_call_json(call: Any) -> str:
    fn = call.function
    payload = {
        "function": {"arguments": fn.arguments, "name": fn.name},
        "id": call.id,
        "type": call.type,
    }
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def _unreported_finish(acc: Dict[str, Any]) -> str:
    """litellm's finish_reason for a choice none of whose chunks reported one (a sibling choice
    streamed after the first finish): ``tool_calls`` when it streamed tool calls, else ``stop``."""
    return "tool_calls" if acc["tools"] else "stop"


class _Thinking:
    """litellm's thinking-block merge: texts accumulate until a block with a signature closes them
    into one block (without a signature nothing is kept); redacted blocks pass as they are."""

    def __init__(self) -> None:
        self.blocks: List[Dict[str, Any]] = []
        self._texts: List[str] = []

    def _close(self, signature: Any) -> None:
        if signature:
            self.blocks.append({"type": "thinking", "thinking": "".join(self._texts), "signature": signature})
        self._texts = []

    def add(self, blocks: List[Any]) -> None:
        for b in blocks:
            get = b.get if isinstance(b, dict) else (lambda k, _b=b: getattr(_b, k, None))
            if get("type") == "redacted_thinking":
                self._close(None)
                if get("data"):
                    self.blocks.append({"type": "redacted_thinking", "data": get("data")})
                continue
            text = get("thinking")
            if isinstance(text, str) and text:
                self._texts.append(text)
            if get("signature"):
                self._close(get("signature"))


def _combined_provider_fields(citations: List[Any], fields: Dict[str, Any]) -> Dict[str, Any]:
    """litellm's merge of the deltas' provider_specific_fields: streamed ``citation`` values joined
    into ``citations`` (a list of lists), then every other key, the last value winning."""
    out: Dict[str, Any] = {}
    if citations:
        joined = all(isinstance(c, list) for c in citations)
        out["citations"] = list(citations) if joined else [list(citations)]
    out.update(fields)
    return out


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
    usage_from_hidden = False
    extras: Dict[str, Any] = {}
    simple = True  # every delta is plain text (litellm's fast path)
    provider_fields: Dict[str, Any] = {}  # deltas' provider_specific_fields, the last value per key
    streamed_citations: List[Any] = []
    # litellm's gemini stream keeps thought signatures on the delta and its tool calls; its builder
    # carries them into the message
    signed = (getattr(first, "_hidden_params", None) or {}).get("custom_llm_provider") == "gemini"
    for c in chunks:
        u = getattr(c, "usage", None)
        from_hidden = u is None
        if u is None:  # litellm keeps a provider's usage in the chunk's hidden params when it strips it
            u = (getattr(c, "_hidden_params", None) or {}).get("usage")
        if u is not None:
            usage, usage_from_hidden = u, from_hidden
        st = c.get("service_tier")
        if st is not None:
            extras["service_tier"] = st
        for ch in c.choices:
            d0 = ch.get("delta")
            if d0 is not None and any(d0.get(k) is not None for k in _NON_TEXT_DELTA_FIELDS):
                simple = False
            idx = ch.get("index") or 0
            acc = per_index.setdefault(
                idx,
                {"content": None, "reasoning": None, "tools": {}, "finish": None, "thinking": _Thinking()},
            )
            d = ch.get("delta")
            if ch.get("finish_reason"):
                acc["finish"] = ch.get("finish_reason")
            if d is None:
                continue
            psf = d.get("provider_specific_fields")
            if isinstance(psf, dict):
                if psf.get("citation") is not None:  # litellm joins streamed citations
                    streamed_citations.append(psf["citation"])
                provider_fields.update({k: v for k, v in psf.items() if k != "citation"})
            text = d.get("content")
            if text is not None:
                acc["content"] = (acc["content"] or "") + text
            r = d.get("reasoning_content")
            if r is not None:
                acc["reasoning"] = (acc["reasoning"] or "") + r
            refusal = d.get("refusal")
            if isinstance(refusal, str) and refusal:
                acc["refusal"] = acc.get("refusal", "") + refusal
            if signed and d.get("provider_specific_fields"):
                acc.setdefault("psf", {}).update(d.get("provider_specific_fields"))
            if signed and d.get("annotations"):
                acc.setdefault("annotations", []).extend(d.get("annotations"))
            blocks = d.get("thinking_blocks")
            if blocks and isinstance(blocks, list):
                acc["thinking"].add(blocks)
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
                if signed and t.get("provider_specific_fields"):
                    slot["psf"] = t.get("provider_specific_fields")
    choices = []
    completion_text = ""
    reasoning_text = ""
    for idx in sorted(per_index):
        acc = per_index[idx]
        tools = [
            _new(
                ChatCompletionMessageToolCall,
                {
                    # litellm's builder: a named call with no argument text gets "{}"
                    "function": _new(
                        Function,
                        {
                            "arguments": s["arguments"] or ("{}" if s["id"] and s["name"] else ""),
                            "name": s["name"],
                        },
                    ),
                    "id": s["id"],
                    "type": s["type"],
                },
                {"provider_specific_fields": s["psf"]} if "psf" in s else None,
            )
            for _, s in sorted(acc["tools"].items())
        ] or None
        msg_extra: Dict[str, Any] = {}
        if acc["reasoning"] is not None:
            msg_extra["reasoning_content"] = acc["reasoning"]
        if acc["thinking"].blocks:
            msg_extra["thinking_blocks"] = acc["thinking"].blocks
        if acc.get("refusal"):
            msg_extra["refusal"] = acc["refusal"]
        if acc.get("annotations"):
            msg_extra["annotations"] = acc["annotations"]
        # litellm's builder starts from content "" and only a tool call stream makes it None
        content = acc["content"] if acc["content"] is not None else (None if tools else "")
        msg_fields = {"content": content, "role": "assistant", "tool_calls": tools, "function_call": None}
        combined = _combined_provider_fields(streamed_citations, provider_fields)
        if combined:
            msg_fields["provider_specific_fields"] = combined
        if acc.get("psf"):  # gemini's thought signatures (the same last-value-per-key merge)
            msg_fields["provider_specific_fields"] = acc["psf"]
        msg = _new(Message, msg_fields, msg_extra)
        reasoning_text += acc["reasoning"] or ""
        # litellm counts a tool call as its message's compact JSON dump, not just its argument text
        completion_text += (acc["content"] or "") + "".join(_tool_call_json(t) for t in tools or [])
        choices.append(
            _new(
                Choices,
                {"finish_reason": acc["finish"] or _unreported_finish(acc), "index": idx, "message": msg},
            )
        )
    if isinstance(usage, dict):
        usage = Usage(**usage)
    if usage is not None and (first._hidden_params or {}).get("custom_llm_provider") == "anthropic":
        from edgequake._shaping.anthropic import assembled_usage

        usage = assembled_usage(usage, first.model)
    elif usage is not None and usage_from_hidden:
        usage = _as_litellm_built(usage, reasoning_text, model=first.model, simple=simple)
        # litellm's wrapper replaces the hidden usage with its logged build's, which it has priced
        provider = (first._hidden_params or {}).get("custom_llm_provider")
        stamp_usage(usage, first.model, provider)
    if usage is None:
        usage = _estimated_usage(messages, completion_text, reasoning_text, model=first.model, simple=simple)
        provider = (first._hidden_params or {}).get("custom_llm_provider")
        if provider != "gemini":  # measured: litellm leaves a gemini stream's estimate unpriced
            stamp_usage(usage, first.model, provider)
    fields = {
        "id": next((c.id for c in chunks if c.id), ""),  # litellm: the first non-empty id
        "created": first.created if first.created is not None else int(time.time()),
        # litellm: a later chunk's model that differs from the first chunk's (Azure's leading
        # prompt_filter_results chunk has model "", a model router names the real model later)
        "model": next((c.model for c in chunks if c.model and c.model != first.model), first.model),
        "object": "chat.completion",
        "system_fingerprint": first.get("system_fingerprint"),
        "choices": choices,
    }
    if signed:
        # litellm's gemini route merges the chunks' metadata lists into the built response
        for key in _VERTEX_METADATA:
            merged = [v for c in chunks for v in _as_list(c.get(key))]
            if merged:
                extras[key] = merged
    resp = _new(ModelResponse, fields, {"usage": usage, **extras})
    resp._hidden_params = dict(first._hidden_params or {})
    return resp
