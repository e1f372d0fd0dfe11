"""``mock_response=``: litellm's test hook. No request is made: the canned text comes back as a
``ModelResponse`` (or a stream cut in 3-character pieces, as litellm cuts it) with litellm's fixed
usage of 10/20/30 tokens; an exception instance is raised as it is.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Dict, Iterator, List

_USAGE = {"prompt_tokens": 10, "completion_tokens": 20, "total_tokens": 30}


def _body(model: str, text: Any) -> Dict[str, Any]:
    return {
        "id": f"chatcmpl-{uuid.uuid4()}",
        "created": int(time.time()),
        "model": model,
        "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": dict(_USAGE),
    }


def _chunks(model: str, text: str, include_usage: bool) -> List[Dict[str, Any]]:
    chunk_id = f"chatcmpl-{uuid.uuid4()}"
    created = int(time.time())

    def chunk(delta: Dict[str, Any], finish: Any = None) -> Dict[str, Any]:
        return {
            "id": chunk_id,
            "created": created,
            "model": model,
            "object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }

    pieces = [text[i : i + 3] for i in range(0, len(text), 3)] or [""]
    out = [chunk({"role": "assistant", "content": pieces[0]})]
    out += [chunk({"content": p}) for p in pieces[1:]]
    out.append(chunk({}, "stop"))
    if include_usage:
        out.append({**chunk({}), "choices": [], "usage": dict(_USAGE)})
    return out


class _ListStream:
    """The core stream's interface over chunks already in memory."""

    headers: Dict[str, str] = {}  # noqa: RUF012 - read-only, never mutated

    def __init__(self, chunks: List[Dict[str, Any]]) -> None:
        self._chunks: Iterator[Dict[str, Any]] = iter(chunks)

    def next(self) -> Any:
        return next(self._chunks, None)

    def next_async(self, event_loop: Any, callback: Any) -> Any:
        event_loop.call_soon(callback, True, self.next())
        return self

    def cancel(self) -> None:
        pass

    def close(self) -> None:
        self._chunks = iter(())


def respond(mock: Any, *, provider: str, model: str, stream: bool, include_usage: bool) -> Any:
    """The mocked result of a chat call (``model`` without its provider prefix)."""
    if isinstance(mock, BaseException):
        raise mock
    from edgequake._shaping.response import StreamShaper, model_response_from_openai

    if not stream:
        return model_response_from_openai(
            _body(model, mock),
            provider=provider,
            requested_model=model,
            response_headers={},
            api_base="",
            response_ms=0.0,
        )
    from edgequake._call.stream import CustomStreamWrapper

    shaper = StreamShaper(
        provider=provider,
        requested_model=model,
        include_usage=include_usage,
        api_base="",
        response_headers={},
    )
    return CustomStreamWrapper(
        _ListStream(_chunks(model, str(mock), include_usage)),
        shaper,
        lambda e: e,
        model=model,
        custom_llm_provider=provider,
    )
