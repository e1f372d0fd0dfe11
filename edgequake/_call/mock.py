"""``mock_response=``: litellm's test hook. No request is made: the canned text comes back as a
``ModelResponse`` (or a stream cut in 3-character pieces, as litellm cuts it) with litellm's fixed
usage of 10/20/30 tokens; ``mock_tool_calls`` become the message's tool calls. Exceptions, and
the strings that name one, are ``edgequake._call.mock_errors``'.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Dict, Iterator, List

_USAGE = {"prompt_tokens": 10, "completion_tokens": 20, "total_tokens": 30}


def _body(model: str, text: Any) -> Dict[str, Any]:
    message: Dict[str, Any] = {"role": "assistant", "content": text}
    return {
        "id": f"chatcmpl-{uuid.uuid4()}",
        "created": int(time.time()),
        "model": model,
        "object": "chat.completion",
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
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


def respond(
    mock: Any, *, provider: str, model: str, stream: bool, include_usage: bool, tool_calls: Any = None
) -> Any:
    """The mocked result of a chat call (``model`` without its provider prefix)."""
    from edgequake._call.mock_errors import mock_exception

    failure = mock_exception(mock, provider=provider, model=model)
    if failure is not None:
        raise failure
    if mock is None:
        mock = "This is a mock request"  # litellm's text when only mock_tool_calls/mock_timeout is given
    from edgequake._shaping.response import StreamShaper, model_response_from_openai

    if not stream:
        response = model_response_from_openai(
            _body(model, mock),
            provider=provider,
            requested_model=model,
            response_headers={},
            api_base="",
            response_ms=0.0,
        )
        for choice in response.choices:  # litellm's mock choice has none (the openai shaper adds {})
            if getattr(choice, "provider_specific_fields", None) == {}:
                delattr(choice, "provider_specific_fields")
        if tool_calls:  # set on the built message, as litellm does: finish_reason stays "stop"
            from edgequake.types import ChatCompletionMessageToolCall

            calls = [ChatCompletionMessageToolCall(**tc) for tc in tool_calls]
            response.choices[0].message.tool_calls = calls
        return response
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


def _respond_for(model: str, params: Dict[str, Any], kwargs: Dict[str, Any]) -> Any:
    from edgequake._call.arguments import include_usage
    from edgequake._call.routing import split_model
    from edgequake._cost.stamp import set_response_cost

    provider, wire_model = split_model(model, kwargs.get("custom_llm_provider"))
    stream = bool(params.get("stream"))
    result = respond(
        kwargs.get("mock_response"),
        provider=provider,
        model=wire_model,
        stream=stream,
        include_usage=include_usage(params),
        tool_calls=kwargs.get("mock_tool_calls"),
    )
    # litellm prices a mocked response like a real one (its made-up usage at the model's rates)
    return result if stream else set_response_cost(result, wire_model, provider)


def run(model: str, params: Dict[str, Any], kwargs: Dict[str, Any]) -> Any:
    """A mocked ``completion``: ``mock_timeout`` waits then raises, ``mock_delay`` waits first."""
    from edgequake._call import mock_errors

    if kwargs.get("mock_timeout") is True:
        time.sleep(mock_errors.timeout_seconds(params, kwargs))
        raise mock_errors.timeout_error(_wire_model(model, kwargs))
    if kwargs.get("mock_delay"):
        time.sleep(float(kwargs["mock_delay"]))
    return _respond_for(model, params, kwargs)


async def arun(model: str, params: Dict[str, Any], kwargs: Dict[str, Any]) -> Any:
    """A mocked ``acompletion``: the waits are ``asyncio.sleep``, so the loop keeps running."""
    import asyncio

    from edgequake._call import mock_errors

    if kwargs.get("mock_timeout") is True:
        await asyncio.sleep(mock_errors.timeout_seconds(params, kwargs))
        raise mock_errors.timeout_error(_wire_model(model, kwargs))
    if kwargs.get("mock_delay"):
        await asyncio.sleep(float(kwargs["mock_delay"]))
    return _respond_for(model, params, kwargs)


def _wire_model(model: str, kwargs: Dict[str, Any]) -> str:
    from edgequake._call.routing import split_model

    try:
        return split_model(model, kwargs.get("custom_llm_provider"))[1]
    except Exception:
        return model
