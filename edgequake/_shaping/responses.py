"""Responses API replies into litellm's objects: a body into ``ResponsesAPIResponse``, a stream's events
into litellm's typed events, handed out one by one as the core reads them.

What litellm 1.110.2 does to a native Responses reply (measured): ``created_at`` becomes an int; the
response id becomes litellm's managed id, ``resp_`` + base64 of
``litellm:custom_llm_provider:<provider>;model_id:<model id>;response_id:<provider's id>`` (in the
stream, in every event that carries the response); an event's ``error.code`` of null becomes
``unknown_error``; anything that does not validate is kept as given (``model_construct``).
"""

from __future__ import annotations

import base64
import time
from typing import Any, Dict, Optional, Tuple

from edgequake import _core
from edgequake._call.aio import await_core
from edgequake._shaping.routes import additional_headers, call_record

__all__ = ["ResponsesAPIStreamingIterator", "event_stream", "finish", "managed_id", "response_object"]

_MANAGED_PREFIX = "litellm:custom_llm_provider:"


def managed_id(response_id: Any, provider: str, model_id: Optional[str] = None) -> Any:
    """litellm's managed response id (an id already managed, or none, stays as it is)."""
    if not isinstance(response_id, str):
        return response_id
    if response_id.startswith("resp_"):
        try:
            decoded = base64.b64decode(response_id[5:], validate=True).decode("utf-8")
        except Exception:
            decoded = ""
        if decoded.startswith(_MANAGED_PREFIX):
            return response_id
    raw = f"{_MANAGED_PREFIX}{provider};model_id:{model_id};response_id:{response_id}"
    return "resp_" + base64.b64encode(raw.encode("utf-8")).decode("ascii")


def _created_at(value: Any) -> Any:
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str):
        try:
            return int(float(value))
        except ValueError:
            return value
    return value


_USD_TICKS_PER_DOLLAR = 10_000_000_000  # xAI bills in ticks of a dollar (docs.x.ai cost tracking)


def _xai_cost(data: Dict[str, Any]) -> None:
    """xAI reports its cost in ticks; litellm states it in dollars as the usage's ``cost``."""
    usage = data.get("usage")
    ticks = usage.get("cost_in_usd_ticks") if isinstance(usage, dict) else None
    if isinstance(ticks, int) and not isinstance(ticks, bool) and ticks >= 0:
        data["usage"] = {**usage, "cost": ticks / _USD_TICKS_PER_DOLLAR}


def response_object(body: Dict[str, Any], provider: str, *, manage_id: bool = True) -> Any:
    """The body as litellm's ``ResponsesAPIResponse`` (validated; as given when it does not validate).
    ``manage_id``: the id becomes litellm's managed id (not in a faked stream, measured)."""
    from pydantic import ValidationError

    from edgequake.types.responses import ResponsesAPIResponse

    data = dict(body)
    if "created_at" in data:
        data["created_at"] = _created_at(data["created_at"])
    if manage_id and data.get("id") is not None:
        data["id"] = managed_id(data["id"], provider)
    if provider == "xai":
        _xai_cost(data)
    try:
        return ResponsesAPIResponse.model_validate(data)
    except ValidationError:
        return ResponsesAPIResponse.model_construct(**data)


def _hidden(call: Any, headers: Dict[str, str], *, stream: bool = False) -> Dict[str, Any]:
    """litellm's ``_hidden_params`` on a response (``stream``: on a stream's completed event)."""
    provider = call.route.provider
    hidden: Dict[str, Any] = {"custom_llm_provider": provider} if not stream else {}
    hidden["_response_ms"] = (time.perf_counter() - call.started) * 1000.0
    hidden["additional_headers"] = additional_headers(headers, stream=stream, provider=provider)
    if not stream:
        hidden["headers"] = dict(headers)
    hidden.update(call_record(call.route.api_base or call.request.url))
    hidden["litellm_model_name"] = call.route.model if stream else call.caller_model
    hidden["provider_response_model"] = None
    return hidden


def _decode_failure(body: Any) -> Exception:
    return _core.CoreError(
        {
            "kind": "decode",
            "class": "APIError",
            "status_code": 200,
            "message": "response body is not a JSON object",
            "body": repr(body)[:2000],
            "headers": {},
            "provider_status_code": None,
            "detail": "",
        }
    )


def _stamp_cost(response: Any, call: Any) -> None:
    """litellm's ``stamp_responses_usage_cost``: the completed event's ``usage.cost`` is litellm's bill
    for it (written when positive, or over a cost the upstream stated)."""
    usage = getattr(response, "usage", None)
    if usage is None:
        return
    from edgequake._cost.stamp import response_cost

    bill = response_cost(response, call.route.model, call.route.provider)
    stated = isinstance(getattr(usage, "cost", None), (int, float))
    if isinstance(bill, (int, float)) and (bill > 0 or stated):
        usage.cost = float(bill)


def finish(call: Any, result: Tuple[int, Dict[str, str], Any], *, stream: bool = False) -> Any:
    """A whole reply as litellm returns it: the response, or (a faked stream) its events."""
    _status, headers, body = result
    if not isinstance(body, dict):
        raise call.error(_decode_failure(body))
    response = response_object(body, call.route.provider, manage_id=not stream)
    response._hidden_params = _hidden(call, headers, stream=stream)
    if not stream:
        from edgequake._cost.stamp import response_cost

        response._hidden_params["response_cost"] = response_cost(
            response, call.route.model, call.route.provider
        )
        return response
    from edgequake._shaping.responses_fake import synthetic_events

    stream_of = ResponsesAPIStreamingIterator(call, None, events=synthetic_events(response))
    stream_of._headers = dict(headers)
    return stream_of


def event(raw: Dict[str, Any], provider: str) -> Any:
    """One stream event as litellm types it (by its ``type``; unknown types as ``GenericEvent``)."""
    from pydantic import ValidationError

    from edgequake.types.responses import EVENT_CLASSES, GenericEvent

    data = dict(raw)
    error = data.get("error")
    if isinstance(error, dict) and error.get("code") is None:
        data["error"] = {**error, "code": "unknown_error"}
    response = data.get("response")
    if isinstance(response, dict):
        data["response"] = response_object(response, provider)
    cls = EVENT_CLASSES.get(str(data.get("type")), GenericEvent)
    try:
        return cls.model_validate(data)
    except ValidationError:
        return cls.model_construct(**data)


_TERMINAL = frozenset({"response.completed", "response.incomplete", "response.failed"})


def _midstream(call: Any, original: Exception) -> Exception:
    from edgequake import exceptions as ex

    return ex.MidStreamFallbackError(
        message=getattr(original, "message", str(original)),
        model=call.route.model,
        llm_provider=call.route.provider,
        original_exception=original,
    )


def stream_failure(call: Any, shaped: Any) -> Optional[Exception]:
    """What litellm raises for an ``error`` or ``response.failed`` event (it yields neither): a
    ``MidStreamFallbackError`` around the provider's error as an ``InternalServerError``."""
    from edgequake import exceptions as ex
    from edgequake._errors.from_core import exception_provider

    kind = getattr(shaped, "type", None)
    if kind == "error":
        error = getattr(shaped, "error", None)
        message = getattr(shaped, "message", None) or (
            error.get("message") if isinstance(error, dict) else None
        )
    elif kind == "response.failed":
        error = getattr(getattr(shaped, "response", None), "error", None)
        message = error.get("message") if isinstance(error, dict) else None
    else:
        return None
    label = exception_provider(call.route.provider)
    original = ex.InternalServerError(
        message=f"InternalServerError: {label} - {message}",
        model=call.route.model,
        llm_provider=call.route.provider,
    )
    return _midstream(call, original)


def unterminated(call: Any) -> Exception:
    """litellm's failure for a stream that ended before any terminal event."""
    from edgequake import exceptions as ex

    original = ex.APIConnectionError(
        message=(
            f"{call.route.provider} closed the responses stream before any terminal event "
            "(response.completed, response.incomplete or response.failed)"
        ),
        model=call.route.model,
        llm_provider=call.route.provider,
    )
    return _midstream(call, original)


class ResponsesAPIStreamingIterator:
    """litellm's Responses stream: typed events, sync (``for``) or async (``async for``), each pulled
    from the core when asked for; the stream's end (or ``close()``) releases the connection."""

    def __init__(self, call: Any, core_stream: Any, *, events: Any = None) -> None:
        self._call = call
        self._stream = core_stream
        self._events = list(events) if events is not None else None
        self._done = False
        self.model = call.route.model
        self.custom_llm_provider = call.route.provider
        self.completed_response: Any = None
        self._headers = dict(core_stream.headers) if core_stream is not None else {}
        self._terminated = False

    def _shape(self, raw: Optional[Dict[str, Any]]) -> Any:
        if raw is None:
            self.close()
            if not self._terminated:
                raise unterminated(self._call)
            return None
        shaped = event(raw, self.custom_llm_provider)
        failure = stream_failure(self._call, shaped)
        if failure is not None:
            self.close()
            raise failure
        if getattr(shaped, "type", None) in _TERMINAL:
            self._terminated = True
        return self._note(shaped)

    def _note(self, shaped: Any) -> Any:
        if getattr(shaped, "type", None) == "response.completed":
            self.completed_response = shaped
            hidden = getattr(shaped, "_hidden_params", None)
            if isinstance(hidden, dict):
                hidden.update(_hidden(self._call, self._headers, stream=True))
            _stamp_cost(getattr(shaped, "response", None), self._call)
        return shaped

    def close(self) -> None:
        self._done = True
        if self._stream is not None:
            self._stream.close()

    def __iter__(self) -> ResponsesAPIStreamingIterator:
        return self

    def __next__(self) -> Any:
        if self._events is not None:
            if not self._events:
                raise StopIteration
            return self._note(self._events.pop(0))
        if self._done:
            raise StopIteration
        try:
            shaped = self._shape(self._stream.next())
        except _core.CoreError as exc:
            self.close()
            raise self._call.error(exc, iterating="sync") from None
        if shaped is None:
            raise StopIteration
        return shaped

    def __aiter__(self) -> ResponsesAPIStreamingIterator:
        return self

    async def __anext__(self) -> Any:
        if self._events is not None:
            if not self._events:
                raise StopAsyncIteration
            return self._note(self._events.pop(0))
        if self._done:
            raise StopAsyncIteration
        try:
            shaped = self._shape(await await_core(self._stream.next_async))
        except _core.CoreError as exc:
            self.close()
            raise self._call.error(exc, iterating="async") from None
        if shaped is None:
            raise StopAsyncIteration
        return shaped

    def __del__(self) -> None:
        try:
            if not self._done and self._stream is not None:
                self._stream.close()
        except Exception:
            pass


def event_stream(call: Any, core_stream: Any) -> ResponsesAPIStreamingIterator:
    return ResponsesAPIStreamingIterator(call, core_stream)
