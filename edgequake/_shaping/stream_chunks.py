"""How a chunk of one stream is assembled: its id, created time and model, its hidden params, the
upstream chunk's extras it keeps, and the bookkeeping every emitted chunk gets. ``StreamShaper``
(``edgequake._shaping.stream``) builds on this and decides which chunks go out.
"""

from __future__ import annotations

import time
from typing import Any, Dict, List, Optional

from edgequake._shaping.routes import chunk_hidden, family, stream_hidden_tail, uuid4_str
from edgequake.types import ModelResponseStream, StreamingChoices, _new

__all__ = ["ChunkMaker"]

_CHUNK_OWN_KEYS = frozenset(
    {
        "id",
        "created",
        "model",
        "object",
        "system_fingerprint",
        "choices",
        "usage",
        "provider_specific_fields",
        "citations",
    }
)
# typed fields of the openai SDK's ChatCompletionChunk beyond litellm's own: always present on the
# sdk route because the SDK object declares them
_SDK_CHUNK_FIELDS = ("moderation", "obfuscation", "service_tier")
# a chunk with no other keys carries no extras to preserve beyond the ones every chunk gets
_SDK_KNOWN_KEYS = _CHUNK_OWN_KEYS | frozenset(_SDK_CHUNK_FIELDS)


class ChunkMaker:
    """A stream's constants (route, requested model, local ``created``, the hidden-params tail) and
    the chunks assembled from them; counts the chunks emitted and keeps those with choices when a
    usage estimate may need them."""

    def __init__(
        self,
        *,
        provider: str,
        requested_model: str,
        include_usage: bool,
        api_base: str,
        response_headers: Dict[str, str],
    ) -> None:
        self.provider = provider
        self.requested_model = requested_model
        self.include_usage = include_usage
        self.api_base = api_base
        self.family = family(provider)
        self._sdk = self.family == "sdk"
        self._known_keys = _SDK_KNOWN_KEYS if self._sdk else _CHUNK_OWN_KEYS
        self._model_from_chunk = provider in ("azure", "openrouter")
        self.created = int(time.time())
        self._hidden_tail = stream_hidden_tail(api_base, response_headers, provider)
        self._provider_model: Optional[str] = None  # the last model an upstream chunk named
        self._emitted = 0
        self._content_chunks: List[ModelResponseStream] = []  # chunks with choices, for the estimate
        self._last: Dict[str, Any] = {}  # what chunks made up later carry (StreamShaper._note)

    def _model(self, raw: Dict[str, Any]) -> Any:
        if self._model_from_chunk:
            if "model" in raw:
                return raw["model"]
            if self._provider_model is not None:
                return self._provider_model
        return self.requested_model

    def _hidden(self, raw: Optional[Dict[str, Any]], *, usage_chunk: bool = False) -> Dict[str, Any]:
        h = chunk_hidden(self.provider, None if usage_chunk else self._provider_model, self._hidden_tail)
        rid = raw.get("id") if raw else None
        if not usage_chunk and isinstance(rid, str) and rid.strip():
            h["received_model_id"] = rid
        return h

    def _chunk(
        self,
        raw: Optional[Dict[str, Any]],
        fields: Dict[str, Any],
        extra: Dict[str, Any],
        *,
        usage_chunk: bool = False,
    ) -> ModelResponseStream:
        self._emitted += 1
        private = {
            "_hidden_params": self._hidden(raw, usage_chunk=usage_chunk),
            "_response_headers": None,
            "_response_ms": None,
        }
        chunk: ModelResponseStream = _new(ModelResponseStream, fields, extra, private)
        if self.include_usage and fields.get("choices"):  # kept only for a usage estimate
            self._content_chunks.append(chunk)
        return chunk

    def _base(self, raw: Dict[str, Any], *, fingerprint: bool = True) -> Dict[str, Any]:
        rid = raw.get("id")
        f: Dict[str, Any] = {
            "id": rid if rid is not None else f"chatcmpl-{uuid4_str()}",
            "created": self.created,
            "model": self._model(raw),
            "object": "chat.completion.chunk",
        }
        if fingerprint:
            f["system_fingerprint"] = raw.get("system_fingerprint")
        return f

    def _preserved(self, raw: Dict[str, Any], out: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """The chunk's own extras (added to ``out``): on the sdk route the SDK's typed fields always."""
        if out is None:
            out = {}
        if self._sdk:
            for k in _SDK_CHUNK_FIELDS:
                out[k] = raw.get(k)
        if not raw.keys() <= self._known_keys:
            for k, v in raw.items():
                if k not in _CHUNK_OWN_KEYS:
                    out[k] = v
        return out

    def _content_chunk(self, raw: Dict[str, Any], choice: Dict[str, Any]) -> ModelResponseStream:
        """A chunk passed on with its one choice (``choice``: the StreamingChoices extras)."""
        fields = self._base(raw)
        fields["choices"] = [_new(StreamingChoices, {}, choice)]
        fields["provider_specific_fields"] = raw.get("provider_specific_fields")
        return self._chunk(raw, fields, self._preserved(raw, {"citations": raw.get("citations")}))

    def _usage_chunk(self, usage: Any, model: Optional[str]) -> ModelResponseStream:
        """The closing usage chunk: no choices, the last upstream chunk's id, fingerprint and service
        tier; ``model`` replaces the one that chunk gives, when set."""
        fields = self._base(self._last)
        if model is not None:
            fields["model"] = model
        fields["choices"] = []
        fields["provider_specific_fields"] = None
        extra: Dict[str, Any] = {"usage": usage}
        if self._last.get("service_tier") is not None:
            extra["service_tier"] = self._last["service_tier"]
        return self._chunk(None, fields, extra, usage_chunk=True)
