"""Streams on the ``anthropic/`` route: the core's per-event chunks (``core/src/wire/anthropic/stream.rs``)
-> the chunks litellm 1.110.2's ``CustomStreamWrapper`` yields for Anthropic.

Measured behaviour reproduced here:

* one local ``chatcmpl-<uuid4>`` id for the whole stream, local ``created``, the requested model;
* events that carry nothing (message_start, a text block's start, ping, a block's stop) yield no
  chunk; the first chunk that goes out carries ``role="assistant"``;
* text, tool-call, thinking and signature deltas go out as they come (a tool call's deltas with
  ``content=""``, a signature as ``reasoning_content=""`` with a signature-only thinking block);
* the finish reason comes as a chunk of its own at the end, then, with
  ``stream_options.include_usage``, a usage chunk (litellm computes it from Anthropic's cumulative
  usage; without include_usage the last chunk's ``_hidden_params["usage"]`` holds it);
* a stream that ends before message_delta raises litellm's truncation ``MidStreamFallbackError``.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Dict, List, Optional

from edgequake._shaping.anthropic import anthropic_usage, completion_count, priced
from edgequake._shaping.delta import finish_choice
from edgequake._shaping.routes import chunk_hidden, stream_hidden_tail
from edgequake._shaping.stream_end import truncated_stream_error
from edgequake.types import (
    ChatCompletionDeltaToolCall,
    CompletionTokensDetailsWrapper,
    Delta,
    Function,
    ModelResponseStream,
    PromptTokensDetailsWrapper,
    StreamingChoices,
    Usage,
    _new,
)

__all__ = ["AnthropicStreamShaper"]

_JSON_TOOL = "json_tool_call"  # litellm's response_format tool (edgequake._params.anthropic)


def _tool_call(t: Dict[str, Any]) -> ChatCompletionDeltaToolCall:
    fn = t.get("function") or {}
    extra = {"caller": t["caller"]} if t.get("caller") is not None else None
    return _new(  # type: ignore[no-any-return]
        ChatCompletionDeltaToolCall,
        {
            "id": t.get("id"),
            "function": _new(Function, {"arguments": fn.get("arguments") or "", "name": fn.get("name")}),
            "type": t.get("type") or "function",
            "index": t.get("index", 0),
        },
        extra,
    )


def _carries(d: Dict[str, Any]) -> bool:
    """Whether litellm's wrapper passes a chunk with this delta on (it drops empty ones)."""
    content = d.get("content")
    return bool(
        (isinstance(content, str) and content)
        or d.get("tool_calls")
        or d.get("reasoning_content") is not None
        or d.get("thinking_blocks")
        or d.get("provider_specific_fields") is not None
    )


def _full(obj: Any) -> Any:
    """Marks every declared field set: the stream's usage chunk dumps them all."""
    if obj is not None:
        obj.__pydantic_fields_set__.update(type(obj).model_fields)
    return obj


class AnthropicStreamShaper:
    """The per-stream state of litellm's wrapper over Anthropic's events (``feed``/``finish``)."""

    def __init__(
        self,
        *,
        provider: str,
        requested_model: str,
        include_usage: bool,
        api_base: str,
        response_headers: Dict[str, str],
        messages: Optional[List[Dict[str, Any]]] = None,
        json_tool: bool = False,
    ) -> None:
        self.provider = provider
        self.requested_model = requested_model
        self.include_usage = include_usage
        self.api_base = api_base
        self.messages = messages
        self.id = f"chatcmpl-{uuid.uuid4()}"
        self.created = int(time.time())
        self._hidden_tail = stream_hidden_tail(api_base, response_headers, provider)
        self._sent_first = False
        self._finish: Optional[str] = None
        self._usage: Optional[Dict[str, Any]] = None
        self._reasoning: List[str] = []
        self._served_model: Optional[str] = None
        # stream_chunk_builder's view of the usage events: a later event's output count replaces an
        # earlier one only when it is above zero (message_delta's 0 does not undo message_start's 1)
        self._built_completion: Optional[int] = None
        # JSON mode through the json_tool_call tool: its arguments stream as content (the closing
        # brace held back until the next event), text around it is held and dropped once the tool
        # answered, and a stream that only answered through it finishes with "stop"
        self._finish_made_up = False
        self._json_tool = json_tool
        self._in_json = False
        self._converted = False
        self._client_tools = False
        self._withheld = ""
        self._held_prose = ""

    def _hidden(self) -> Dict[str, Any]:
        return chunk_hidden(self.provider, self._served_model, self._hidden_tail)

    def _chunk(self, fields: Dict[str, Any], extra: Optional[Dict[str, Any]] = None) -> ModelResponseStream:
        base = {
            "id": self.id,
            "created": self.created,
            "model": self.requested_model,
            "object": "chat.completion.chunk",
        }
        base.update(fields)
        private = {"_hidden_params": self._hidden(), "_response_headers": None, "_response_ms": None}
        return _new(ModelResponseStream, base, extra or {}, private)  # type: ignore[no-any-return]

    def _delta(self, d: Dict[str, Any]) -> Delta:
        extra: Dict[str, Any] = {}
        if d.get("reasoning_content") is not None:
            extra["reasoning_content"] = d["reasoning_content"]
        if d.get("thinking_blocks"):
            extra["thinking_blocks"] = d["thinking_blocks"]
        if d.get("refusal") is not None:
            extra["refusal"] = d["refusal"]
        calls = d.get("tool_calls")
        extra.update(
            content=d.get("content") if d.get("content") is not None else "",
            role=None if self._sent_first else "assistant",
            function_call=None,
            tool_calls=[_tool_call(t) for t in calls] if calls else None,
            audio=None,
        )
        self._sent_first = True
        return _new(Delta, {"provider_specific_fields": d.get("provider_specific_fields")}, extra)  # type: ignore[no-any-return]

    def feed(self, raw: Dict[str, Any]) -> List[ModelResponseStream]:
        if raw.get("model") is not None:
            self._served_model = raw["model"]
        if isinstance(raw.get("usage"), dict):
            self._usage = raw["usage"]
            out_tokens = completion_count(self._usage)
            if out_tokens > 0 or self._built_completion is None:
                self._built_completion = out_tokens
        choices = raw.get("choices") or [{}]
        c0 = choices[0] if isinstance(choices[0], dict) else {}
        d = c0.get("delta") or {}
        if isinstance(d.get("reasoning_content"), str) and d["reasoning_content"]:
            self._reasoning.append(d["reasoning_content"])
        if self._json_tool:
            d = self._json_delta(d, finish=bool(c0.get("finish_reason")))
        if c0.get("finish_reason"):
            # the finish goes out last, as a chunk of its own; what message_delta carried besides
            # (a container, code results) goes out now as a plain chunk
            self._finish = c0["finish_reason"]
            self._finish_made_up = _carries(d)
            answered_by_json = self._json_tool and self._converted and not self._client_tools
            if answered_by_json and self._finish == "tool_calls":
                self._finish = "stop"
        if not _carries(d):
            return []
        choice = _new(
            StreamingChoices,
            {},
            {"finish_reason": None, "index": 0, "delta": self._delta(d), "logprobs": None},
        )
        fields = {"system_fingerprint": None, "choices": [choice], "provider_specific_fields": None}
        return [self._chunk(fields, {"citations": None})]

    def _json_delta(self, d: Dict[str, Any], *, finish: bool) -> Dict[str, Any]:
        """litellm's ``_handle_json_mode_chunk`` over one delta (see ``__init__``)."""
        d = dict(d)
        calls = d.get("tool_calls") or []
        call = calls[0] if calls else None
        if call is not None and call.get("id") is not None:  # a tool block starts
            name = (call.get("function") or {}).get("name")
            self._in_json = name == _JSON_TOOL
            if self._in_json:
                self._converted = True
                d["tool_calls"] = None
            else:
                self._client_tools = True
                d["content"] = self._held_prose + (d.get("content") or "")
                self._held_prose = ""
            return d
        if call is not None and self._in_json:
            pending = self._withheld + ((call.get("function") or {}).get("arguments") or "")
            body = pending.rstrip()
            cut = len(body) - 1 if body.endswith("}") else len(pending)
            self._withheld = pending[cut:]
            d["tool_calls"] = None
            d["content"] = pending[:cut]
            return d
        text = d.get("content")
        if isinstance(text, str) and text and not finish:
            self._held_prose += text
            d["content"] = ""
        # the held-back closing brace goes out with message_delta or the next block's start
        released = ""
        if finish or "content" in d:
            released, self._withheld = self._withheld, ""
        if finish:
            if not self._converted:
                released += self._held_prose
            self._held_prose = ""
        elif released or call is None:
            self._in_json = False
        if released:
            d["content"] = released + (d.get("content") or "")
        return d

    def _usage_object(self) -> Optional[Usage]:
        if self._usage is None:
            return None
        reasoning = "".join(self._reasoning) if self._reasoning else None
        return anthropic_usage(self._usage, reasoning)

    def finish(self) -> List[ModelResponseStream]:
        if self._finish is None:
            raise truncated_stream_error(self.provider, self.requested_model)
        # the finish chunk is message_delta's own unless that event also carried content (then
        # litellm makes one up, without a system_fingerprint)
        fingerprint = {} if self._finish_made_up else {"system_fingerprint": None}
        fields = {
            **fingerprint,
            "choices": [finish_choice(self._finish)],
            "provider_specific_fields": None,
        }
        out = [self._chunk(fields)]
        if self.include_usage:
            usage = self._closing_usage()
            if usage is not None:
                out.append(self._chunk({"choices": [], "provider_specific_fields": None}, {"usage": usage}))
        return out

    def _closing_usage(self) -> Optional[Usage]:
        """The usage chunk's Usage: the base counts, both details objects dumped in full, and of
        Anthropic's extras only the cache counters."""
        usage = self._usage_object()
        if usage is None:
            return None
        extra = usage.__pydantic_extra__ or {}
        kept = {k: extra[k] for k in ("cache_creation_input_tokens", "cache_read_input_tokens") if k in extra}
        ctd = usage.completion_tokens_details
        ptd = usage.prompt_tokens_details
        if isinstance(ctd, CompletionTokensDetailsWrapper):
            _full(ctd)
        if isinstance(ptd, PromptTokensDetailsWrapper):
            _full(ptd)
        cost = priced(usage, self.requested_model)
        if cost is not None:  # litellm prices the usage chunk from its map
            kept = {"cost": cost, **kept}
        return _new(  # type: ignore[no-any-return]
            Usage,
            {
                "completion_tokens": usage.completion_tokens,
                "prompt_tokens": usage.prompt_tokens,
                "total_tokens": usage.total_tokens,
                "completion_tokens_details": ctd,
                "prompt_tokens_details": ptd,
            },
            kept,
        )

    def reported_usage(self) -> Optional[Any]:
        """Without include_usage no chunk carries the usage; litellm keeps it in the last chunk's
        ``_hidden_params["usage"]``, where stream_chunk_builder finds it."""
        if self.include_usage:
            return None
        usage = self._usage_object()
        if usage is not None and self._built_completion is not None:
            usage.__dict__["completion_tokens"] = self._built_completion
            usage.__dict__["total_tokens"] = usage.prompt_tokens + self._built_completion
        return usage
