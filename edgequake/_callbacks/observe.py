"""One chat call with its callbacks around it: pre-call, the call, post-call, then success or failure
(for a stream: success or failure when it ends, through :class:`StreamObserver`)."""

from __future__ import annotations

from typing import Any, Callable, Dict

from edgequake._callbacks import dispatch
from edgequake._callbacks.payload import CallRecord
from edgequake._callbacks.registry import CallbackSet

Inner = Callable[[str, Any, Dict[str, Any], Dict[str, Any]], Any]


def _stream_complete(stream: Any, messages: Any) -> Any:
    import edgequake

    try:
        return edgequake.stream_chunk_builder(list(stream.chunks), messages=messages)
    except Exception:
        return None


class StreamObserver:
    """Attached to a ``CustomStreamWrapper``: fires success once the stream has ended, or failure."""

    __slots__ = ("awaited", "cbs", "done", "record")

    def __init__(self, cbs: CallbackSet, record: CallRecord, awaited: bool) -> None:
        self.cbs, self.record, self.awaited, self.done = cbs, record, awaited, False

    def ended(self, stream: Any) -> None:
        if self.done:
            return
        self.done = True
        complete = _stream_complete(stream, self.record.details["messages"])
        if self.awaited:
            dispatch.success_async(self.cbs, self.record, complete, streamed=True)
        else:
            dispatch.success_sync(self.cbs, self.record, complete, streamed=True, chunks=list(stream.chunks))

    def failed(self, exc: BaseException) -> None:
        if not self.done:
            self.done = True
            dispatch.failure_sync(self.cbs, self.record, exc)

    async def afailed(self, exc: BaseException) -> None:
        if not self.done:
            self.done = True
            await dispatch.failure_async(self.cbs, self.record, exc)


def _is_stream(result: Any) -> bool:
    return hasattr(result, "chunks") and hasattr(result, "__next__")


def run_sync(
    inner: Inner, cbs: CallbackSet, model: str, messages: Any, params: Dict[str, Any], kwargs: Dict[str, Any]
) -> Any:
    record = CallRecord(model, messages, params, kwargs, awaited=False)
    dispatch.pre_call(cbs, record)
    try:
        result = inner(model, messages, params, kwargs)
    except Exception as exc:
        dispatch.post_call(cbs, record, None)
        dispatch.failure_sync(cbs, record, exc)
        raise
    mocked = kwargs.get("mock_response") is not None
    dispatch.post_call(cbs, record, result, headers=not mocked)
    if _is_stream(result):
        result._observer = StreamObserver(cbs, record, awaited=False)
    else:
        dispatch.success_sync(cbs, record, result)
    return result


async def run_async(
    inner: Any, cbs: CallbackSet, model: str, messages: Any, params: Dict[str, Any], kwargs: Dict[str, Any]
) -> Any:
    record = CallRecord(model, messages, params, kwargs, awaited=True)
    dispatch.pre_call(cbs, record)
    try:
        result = await inner(model, messages, params, kwargs)
    except Exception as exc:
        await dispatch.failure_async(cbs, record, exc)
        raise
    dispatch.post_call(cbs, record, result)
    if _is_stream(result):
        result._observer = StreamObserver(cbs, record, awaited=True)
    else:
        dispatch.success_async(cbs, record, result)
    return result
