"""Calling the hooks, when and where litellm 1.110.2 calls them (measured, docs/callbacks.md):

* ``log_pre_api_call`` / ``input_callback`` before the request, ``log_post_api_call`` once the
  provider answered: inline, in the calling thread.
* sync success (``completion``): after the call has returned, on a background thread
  ("edgequake-logging", as litellm's "litellm-logging" pool): plain functions in
  ``success_callback`` and ``CustomLogger.log_success_event``. Async functions are not called.
* async success (``acompletion``): a task on the running loop, after the call has returned:
  async functions in the success lists and ``CustomLogger.async_log_success_event``. Plain
  functions and ``log_success_event`` are not called (litellm's behaviour, measured).
* sync failure: inline, before the exception reaches the caller: plain failure functions and
  ``log_failure_event``. Async failure: plain failure functions, then the async ones and
  ``async_log_failure_event``, awaited before the exception reaches the caller.
* a stream's success fires once, when the stream ends, with the assembled response.

A hook that raises is logged on the ``LiteLLM`` logger and otherwise ignored, as in litellm.
"""

from __future__ import annotations

import datetime
import queue
import threading
from typing import Any, Callable, List, Optional

from edgequake._callbacks.payload import CallRecord
from edgequake._callbacks.registry import CallbackSet, is_async_fn

_jobs: Optional[queue.SimpleQueue[Callable[[], None]]] = None
_jobs_lock = threading.Lock()


def _report(hook: str, exc: BaseException) -> None:
    from edgequake._logging import verbose_logger

    verbose_logger.exception(
        "LiteLLM.LoggingError: [Non-Blocking] Exception occurred while %s: %s", hook, exc
    )


def _worker(jobs: queue.SimpleQueue[Callable[[], None]]) -> None:
    while True:
        job = jobs.get()
        try:
            job()
        except Exception as exc:
            _report("logging a success event", exc)


def in_background(job: Callable[[], None]) -> None:
    """Runs ``job`` on the one logging thread (started on first use; a daemon, so exit never waits)."""
    global _jobs
    with _jobs_lock:
        if _jobs is None:
            _jobs = queue.SimpleQueue()
            threading.Thread(target=_worker, args=(_jobs,), name="edgequake-logging", daemon=True).start()
        jobs = _jobs
    jobs.put(job)


def _call(hook_name: str, fn: Any, *args: Any, **kwargs: Any) -> None:
    try:
        fn(*args, **kwargs)
    except Exception as exc:
        _report(hook_name, exc)


async def _acall(hook_name: str, fn: Any, *args: Any, **kwargs: Any) -> None:
    try:
        await fn(*args, **kwargs)
    except Exception as exc:
        _report(hook_name, exc)


def _event(d: Any, response: Any, record: CallRecord, end: datetime.datetime) -> dict:
    return {"kwargs": d, "response_obj": response, "start_time": record.started, "end_time": end}


# -- before / after the request -------------------------------------------------------------------
def pre_call(cbs: CallbackSet, record: CallRecord) -> None:
    d = record.details
    for fn in cbs.input_fns:
        _call("input_callback", fn, record.model, d["messages"], d)
    for logger in cbs.loggers:
        hook = getattr(logger, "log_pre_api_call", None)
        if hook is not None:
            _call("log_pre_api_call", hook, model=record.model, messages=d["messages"], kwargs=d)


def post_call(cbs: CallbackSet, record: CallRecord, response: Any, *, headers: bool = False) -> None:
    d = record.posted(response, headers=headers)
    for logger in cbs.loggers:
        hook = getattr(logger, "log_post_api_call", None)
        if hook is not None:
            _call("log_post_api_call", hook, **_event(d, None, record, datetime.datetime.now()))


# -- success ----------------------------------------------------------------------------------------
def _sync_success_targets(cbs: CallbackSet) -> List[Any]:
    fns = [fn for fn in cbs.success_fns if not is_async_fn(fn)]
    hooks = [getattr(lg, "log_success_event", None) for lg in cbs.loggers]
    return fns + [h for h in hooks if h is not None]


def _chunk_hooks(cbs: CallbackSet) -> List[Any]:
    """``async_log_stream_event`` of the loggers that override it (litellm calls it per chunk of a
    sync stream, on its logging thread, once the stream has ended; never ``log_stream_event``)."""
    from edgequake.integrations.custom_logger import CustomLogger

    base = CustomLogger.async_log_stream_event
    return [
        lg.async_log_stream_event
        for lg in cbs.loggers
        if getattr(type(lg), "async_log_stream_event", base) is not base
    ]


def _replay_chunks(hooks: List[Any], d: dict, chunks: List[Any], record: CallRecord, end: Any) -> None:
    import asyncio

    async def run() -> None:
        for chunk in chunks:
            for hook in hooks:
                await _acall("async_log_stream_event", hook, **_event(d, chunk, record, end))

    asyncio.run(run())


def success_sync(
    cbs: CallbackSet, record: CallRecord, response: Any, *, streamed: bool = False, chunks: Any = None
) -> None:
    """Queues the sync success hooks on the logging thread (they run after the call returns)."""
    targets = _sync_success_targets(cbs)
    chunk_hooks = _chunk_hooks(cbs) if chunks else []
    if not targets and not chunk_hooks:
        return
    end = datetime.datetime.now()

    def job() -> None:
        d = record.succeeded(response, end, streamed=streamed)
        for fn in targets:
            if fn in cbs.success_fns:
                _call("success_callback", fn, d, response, record.started, end)
            else:
                _call("log_success_event", fn, **_event(d, response, record, end))
        if chunk_hooks:
            _replay_chunks(chunk_hooks, d, chunks, record, end)

    in_background(job)


def success_async(cbs: CallbackSet, record: CallRecord, response: Any, *, streamed: bool = False) -> None:
    """Schedules the async success hooks as a task on the running loop (after the call returns)."""
    fns = [fn for fn in cbs.success_fns if is_async_fn(fn)]
    hooks = [h for h in (getattr(lg, "async_log_success_event", None) for lg in cbs.loggers) if h is not None]
    if not fns and not hooks:
        return
    import asyncio

    end = datetime.datetime.now()

    async def run() -> None:
        d = record.succeeded(response, end, streamed=streamed, awaited=True)
        for fn in fns:
            await _acall("success_callback", fn, d, response, record.started, end)
        for hook in hooks:
            await _acall("async_log_success_event", hook, **_event(d, response, record, end))

    task = asyncio.get_running_loop().create_task(run())
    _pending.add(task)  # a task nobody references may be collected before it runs
    task.add_done_callback(_pending.discard)


_pending: set = set()


# -- failure ----------------------------------------------------------------------------------------
def failure_sync(cbs: CallbackSet, record: CallRecord, exc: BaseException) -> None:
    end = datetime.datetime.now()
    d = record.failed(exc, end)
    for fn in cbs.failure_fns:
        if not is_async_fn(fn):
            _call("failure_callback", fn, d, None, record.started, end)
    for logger in cbs.loggers:
        hook = getattr(logger, "log_failure_event", None)
        if hook is not None:
            _call("log_failure_event", hook, **_event(d, None, record, end))


async def failure_async(cbs: CallbackSet, record: CallRecord, exc: BaseException) -> None:
    end = datetime.datetime.now()
    d = record.failed(exc, end, awaited=True)
    for fn in cbs.failure_fns:
        if not is_async_fn(fn):
            _call("failure_callback", fn, d, None, record.started, end)
    d["has_logged_async_failure"] = True  # litellm marks the async pass before running it
    d["async_failure_logged_attempt"] = end
    for fn in cbs.failure_fns:
        if is_async_fn(fn):
            await _acall("failure_callback", fn, d, None, record.started, end)
    for logger in cbs.loggers:
        hook = getattr(logger, "async_log_failure_event", None)
        if hook is not None:
            await _acall("async_log_failure_event", hook, **_event(d, None, record, end))
