"""Awaiting the core from asyncio: the core runs the request on its own runtime and hands the result to
this loop with ``call_soon_threadsafe``. No thread pool is involved, and cancelling the awaiting task
cancels the request in the core.
"""

from __future__ import annotations

from typing import Any, Callable

TRIO_HINT = (
    "edgequake's async functions need a running asyncio event loop (plain asyncio, uvloop, anyio's "
    "asyncio backend, FastAPI). Under trio, call the blocking API from a worker thread: "
    "`await trio.to_thread.run_sync(functools.partial(edgequake.completion, ...))`."
)


async def await_core(start: Callable[[Any, Callable[[bool, Any], None]], Any]) -> Any:
    """Runs ``start(loop, callback)`` (a core ``*_async`` method) and awaits its callback."""
    import asyncio  # imported here: a sync-only program should not pay for asyncio at import

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        raise RuntimeError(TRIO_HINT) from None
    future = loop.create_future()

    def deliver(ok: bool, value: Any) -> None:
        if future.done():  # cancelled while the core was finishing
            return
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)

    handle = start(loop, deliver)
    try:
        return await future
    except asyncio.CancelledError:
        handle.cancel()
        raise
