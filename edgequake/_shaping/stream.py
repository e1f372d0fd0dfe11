"""Streams: upstream OpenAI-format chunks -> the chunks litellm's ``CustomStreamWrapper`` yields.

This module keeps the per-stream state and decides which chunks go out; how a chunk of the stream is
assembled (its id, model, hidden params and preserved extras) is ``edgequake._shaping.stream_chunks``,
the deltas and finish choices inside them are built by ``edgequake._shaping.delta``, and what the
stream ends with (closing usage, the truncation error) by ``edgequake._shaping.stream_end``.
"""

from __future__ import annotations

import uuid
from typing import Any, Dict, List, Optional

from edgequake._cost.stamp import stamp_usage
from edgequake._shaping.delta import build_delta, finish_choice, has_content, is_text_only, text_delta
from edgequake._shaping.parsers import parser_for
from edgequake._shaping.routes import map_finish_reason
from edgequake._shaping.stream_chunks import ChunkMaker
from edgequake._shaping.stream_end import (
    closing_usage_estimated,
    closing_usage_from_provider,
    truncated_stream_error,
)
from edgequake._shaping.usage import build_usage
from edgequake.types import Delta, ModelResponseStream, StreamingChoices, _new

__all__ = ["StreamShaper"]


_CHOICE_OWN_KEYS = frozenset({"index", "delta", "finish_reason", "logprobs"})


class StreamShaper(ChunkMaker):
    """Turns upstream OpenAI-format stream chunks into the chunks litellm's CustomStreamWrapper yields.

    ``feed`` is called once per upstream ``data:`` event (already JSON-decoded) and returns 0..n
    chunks; ``finish`` is called at end of stream and returns what litellm emits at the end, or raises
    ``MidStreamFallbackError`` where litellm does (the stream ended without a finish_reason).

    Reproduced litellm behaviour (measured, including what looks like bugs):

    * ``created`` is local and fixed for the stream; ``model`` is the requested model (azure and
      openrouter: the provider's); ``id`` is the upstream id, or a fresh ``chatcmpl-<uuid4>`` *per
      chunk* when the provider sends none.
    * only ``choices[0]`` of each upstream chunk is looked at; the first emitted chunk carries
      ``role="assistant"``; chunks without content/tool calls/reasoning are dropped (this includes
      refusal-only deltas and a second choice's role chunk); once a finish_reason was seen later
      finish chunks are dropped (so with n>1 only the first finish is reported) while a sibling
      choice's non-empty chunks still pass, without their finish_reason.
    * a finish_reason on a chunk that also carries content is held back and emitted as a separate
      finish chunk by ``finish()``.
    * chunks without choices (Azure's prompt_filter_results, OpenAI's usage chunk) are emitted with
      ``choices: []`` only when ``include_usage`` is on.
    * with ``include_usage`` on a route that sent no usage, the stream ends with a usage chunk that
      ``stream_chunk_builder`` estimates over the emitted chunks and ``messages``.
    """

    def __init__(
        self,
        *,
        provider: str,
        requested_model: str,
        include_usage: bool,
        api_base: str,
        response_headers: Dict[str, str],
        messages: Optional[List[Dict[str, Any]]] = None,
    ) -> None:
        super().__init__(
            provider=provider,
            requested_model=requested_model,
            include_usage=include_usage,
            api_base=api_base,
            response_headers=response_headers,
        )
        self.messages = messages  # the request's messages: litellm estimates usage from them
        self._parse = parser_for(provider)
        self._sent_first = False
        self._finish_reason: Optional[str] = None
        self._finish_held = False
        self._saw_choices = False
        self.usage: Optional[Dict[str, Any]] = None  # the provider's usage, when it sent one
        self._saw_tool_call = False

    # -- helpers ---------------------------------------------------------------------------
    def _finish_choice(self, finish: str) -> StreamingChoices:
        mapped = map_finish_reason(finish)
        if mapped == "stop" and self._saw_tool_call:
            mapped = "tool_calls"  # litellm's wrapper: a stream that called tools did not just "stop"
        return finish_choice(mapped)

    def _delta(self, d: Dict[str, Any], *, keep_role: bool = False) -> Delta:
        if d.get("tool_calls"):
            self._saw_tool_call = True
        delta = build_delta(d, family=self.family, first=not self._sent_first, keep_role=keep_role)
        self._sent_first = True
        return delta

    def _non_empty(self, d: Dict[str, Any]) -> bool:
        return has_content(d, first=not self._sent_first)

    # -- API -------------------------------------------------------------------------------
    def feed(self, raw_chunk: Dict[str, Any]) -> List[ModelResponseStream]:
        raw = self._parse(raw_chunk, self.requested_model)
        if not self._finish_held:
            return self._feed(raw)
        if not raw.get("choices"):
            # litellm emits a held-back finish chunk as soon as the next upstream chunk arrives...
            return self._flush_held() + self._feed(raw)
        out = self._feed(raw)
        if out:
            # ...unless that chunk is a sibling choice's non-empty chunk, which passes first
            return out
        # the finish chunk carries the latest finish_reason seen (set by ``_feed``)
        return self._flush_held() + out

    def _end_model(self) -> str:
        """The model on chunks litellm makes up at end of stream (not from an upstream chunk):
        measured as the route's model name, which on cerebras carries the provider prefix."""
        if self.provider == "cerebras":
            return f"cerebras/{self.requested_model}"
        return self.requested_model

    def _flush_held(self, *, at_end: bool = False) -> List[ModelResponseStream]:
        self._finish_held = False
        fields = self._base(self._last)
        if at_end and fields["model"] == self.requested_model:
            fields["model"] = self._end_model()
        fields["choices"] = [self._finish_choice(self._finish_reason or "stop")]
        fields["provider_specific_fields"] = None
        extra = (
            {"service_tier": self._last["service_tier"]} if self._last.get("service_tier") is not None else {}
        )
        return [self._chunk(self._last, fields, extra)]

    def _note(self, raw: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        """What every upstream chunk tells the stream: the served model, the id, fingerprint and
        service tier that chunks litellm makes up later carry, and the usage (returned)."""
        model = raw.get("model")
        if model:
            self._provider_model = model
        last = self._last
        if "service_tier" in raw:
            last["service_tier"] = raw["service_tier"]
        # the fingerprint on chunks litellm makes up is the last upstream chunk's; on httpx routes a
        # chunk without one does not reset it (litellm's parsed chunk then lacks the attribute)
        fingerprint = raw.get("system_fingerprint")
        if self._sdk or fingerprint is not None or "system_fingerprint" not in last:
            last["system_fingerprint"] = fingerprint
        last["id"] = raw.get("id")
        last["model"] = model
        usage = raw.get("usage")
        if usage is not None:
            # litellm strips usage off the chunk that carries it and ends the stream with a usage
            # chunk of its own (``_provider_usage_chunk``); a choice-less chunk is then empty
            if self.provider == "gemini":
                from edgequake._shaping.gemini import carried_grounding

                usage = carried_grounding(self.usage, usage)
            self.usage = usage
        return usage

    def _text_piece(self, raw: Dict[str, Any]) -> Optional[ModelResponseStream]:
        """Mid-stream, most chunks are one choice with a piece of text and nothing else: this builds
        what ``_feed`` builds for such a chunk without its general walk, or returns None (the chunk
        then takes the general path). tests/test_stream_lanes.py holds the two paths equal."""
        if not self._sent_first or self._finish_reason is not None:
            return None
        choices = raw.get("choices")
        if type(choices) is not list or len(choices) != 1:
            return None
        c0 = choices[0]
        if type(c0) is not dict or not c0.keys() <= _CHOICE_OWN_KEYS or c0.get("finish_reason"):
            return None
        d = c0.get("delta")
        if type(d) is not dict or not is_text_only(d):
            return None
        content = d.get("content")
        if type(content) is not str or not content:
            return None
        self._note(raw)
        self._saw_choices = True
        choice = {
            "finish_reason": None,
            "index": c0.get("index", 0),
            "delta": text_delta(content, family=self.family, first=False),
            "logprobs": c0.get("logprobs"),
        }
        return self._content_chunk(raw, choice)

    def _feed(self, raw: Dict[str, Any]) -> List[ModelResponseStream]:
        piece = self._text_piece(raw)
        if piece is not None:
            return [piece]
        usage = self._note(raw)
        choices = raw.get("choices")
        if not choices:
            if usage is not None or not self.include_usage:
                return []
            fields = self._base(raw)
            fields["choices"] = []
            fields["provider_specific_fields"] = None
            return [self._chunk(raw, fields, {})]
        self._saw_choices = True
        c0 = choices[0]
        d = c0.get("delta") or {}
        finish = c0.get("finish_reason")
        if self._finish_reason is not None:
            # after the first finish_reason litellm still passes on a sibling choice's non-empty
            # chunks (n>1, one choice finishing before another streams), but never another finish;
            # a later finish_reason still replaces the one a held-back finish chunk reports
            if finish:
                self._finish_reason = finish
            if not self._non_empty(d):
                if usage is not None:
                    return [self._post_finish_usage_carrier(raw, c0, d)]
                return []
            finish = None
        if self._non_empty(d):
            if finish:
                self._finish_reason = finish
                self._finish_held = True
            choice_extra = (
                {}
                if c0.keys() <= _CHOICE_OWN_KEYS
                else {k: v for k, v in c0.items() if k not in _CHOICE_OWN_KEYS}
            )
            choice_extra["finish_reason"] = None
            choice_extra["index"] = c0.get("index", 0)
            choice_extra["delta"] = self._delta(d)
            choice_extra["logprobs"] = c0.get("logprobs")
            return [self._content_chunk(raw, choice_extra)]
        if finish:
            self._finish_reason = finish
            fields = self._base(raw)
            fields["choices"] = [self._finish_choice(finish)]
            fields["provider_specific_fields"] = None
            # gemini: litellm's wrapper makes the finish chunk itself, without the chunk's metadata
            extra = {} if self.provider == "gemini" else self._preserved(raw)
            return [self._chunk(raw, fields, extra)]
        return []

    def finish(self) -> List[ModelResponseStream]:
        if self._finish_reason is None and self._saw_choices and self.provider == "gemini":
            # Gemini streams have no end marker: litellm ends one without a finish as "stop"
            self._finish_reason, self._finish_held = "stop", True
        if self._finish_reason is None:
            if self._emitted == 0 and not self._saw_choices:
                # litellm: a 200 stream with no data events yields one finish chunk, and with
                # include_usage then one chunk with no choices (and no usage: nothing to count)
                fields = {
                    "id": f"chatcmpl-{uuid.uuid4()}",
                    "created": self.created,
                    "model": self._end_model(),
                    "object": "chat.completion.chunk",
                    "choices": [self._finish_choice("stop")],
                    "provider_specific_fields": None,
                }
                out = [self._chunk(None, fields, {})]
                if self.include_usage:
                    out.append(self._chunk(None, dict(fields, choices=[]), {}, usage_chunk=True))
                return out
            self._raise_truncated()
        out = self._flush_held(at_end=True) if self._finish_held else []
        if self.include_usage and self.usage is not None:
            out.append(self._provider_usage_chunk())
        elif self.include_usage and self._content_chunks:
            out.append(self._estimated_usage_chunk(out))
        return out

    def reported_usage(self) -> Optional[Any]:
        """The provider's usage for a stream without ``include_usage``: litellm keeps it in the last
        chunk's ``_hidden_params["usage"]`` (no chunk carries it), where stream_chunk_builder finds it."""
        if self.include_usage or self.usage is None:
            return None
        return build_usage(self.usage, full_details=True)

    def _post_finish_usage_carrier(
        self, raw: Dict[str, Any], c0: Dict[str, Any], d: Dict[str, Any]
    ) -> ModelResponseStream:
        """A chunk after the finish that carries usage (openrouter's last chunk): litellm passes it on,
        usage stripped, with its delta as sent (an empty ``role="assistant"`` delta included)."""
        fields = self._base(raw)
        fields["choices"] = [
            _new(
                StreamingChoices,
                {},
                {
                    "finish_reason": None,
                    "index": c0.get("index", 0),
                    "delta": self._delta(d, keep_role=True),
                    "logprobs": None,
                },
            )
        ]
        fields["provider_specific_fields"] = None
        return self._chunk(raw, fields, {})

    def _provider_usage_chunk(self) -> ModelResponseStream:
        """The usage chunk litellm ends the stream with when the provider reported usage."""
        usage = closing_usage_from_provider(
            self.usage or {},
            self._content_chunks,
            self.requested_model,
            fill_reasoning=self.provider == "gemini",
        )
        stamp_usage(usage, self.requested_model, self.provider)  # litellm's _stamp_usage_cost
        # on the sdk routes litellm's wrapper makes this chunk: the requested name
        return self._usage_chunk(usage, self.requested_model if self._sdk else None)

    def _estimated_usage_chunk(self, tail: List[ModelResponseStream]) -> ModelResponseStream:
        """The provider sent no usage (its route drops ``stream_options``): litellm ends the stream
        with a usage chunk counted by ``stream_chunk_builder`` over the chunks it returned."""
        usage = closing_usage_estimated([*self._content_chunks, *tail], self.messages)
        return self._usage_chunk(stamp_usage(usage, self.requested_model, self.provider), self._end_model())

    def _raise_truncated(self) -> None:
        raise truncated_stream_error(self.provider, self.requested_model)
