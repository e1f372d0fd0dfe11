"""Garbage collection at safe points only, for the length of a run.

Why: a target may leave a cycle behind that holds an open stream generator (litellm does, when a
stream fails part-way: the exception's traceback keeps the generator over httpx's `iter_lines`).
When the cyclic collector happens to run while that target's thread holds httpcore's connection-
pool lock, finalising the generator closes the stream, which takes the same non-reentrant lock, and
the thread deadlocks; every later call of that target then waits on the lock (seen as a hang of the
library run: py-spy shows `PoolByteStream.close` under `_assign_requests_to_connections`). Users do
not replay hundreds of failing streams per second, the harness does. So the run turns automatic
collection off and collects between target calls, when no target code is on any stack.
"""

from __future__ import annotations

import gc
from typing import Optional

# A full collection every so many calls picks up cycles that survived into the oldest generation;
# between them the young generations (everything a call allocated) are collected after every call.
# What survives a full collection is frozen (gc.freeze), so the next one scans only what came after:
# with litellm loaded a full pass over the whole heap costs about 0.3 s, a frozen one milliseconds.
FULL_EVERY = 200


class SafePointCollector:
    def __init__(self, full_every: int = FULL_EVERY) -> None:
        self.full_every = full_every
        self.calls = 0
        self._was_enabled: Optional[bool] = None
        self._may_freeze = False

    def __enter__(self) -> SafePointCollector:
        self._was_enabled = gc.isenabled()
        # Someone else's frozen objects are not ours to thaw at the end: then no freezing at all.
        self._may_freeze = gc.get_freeze_count() == 0
        gc.disable()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._may_freeze:
            gc.unfreeze()  # back into the oldest generation, collectable as before the run
        if self._was_enabled:
            gc.enable()
        self._was_enabled = None

    def after_call(self) -> None:
        """Called on the run's own thread once a target's call has returned (or been abandoned)."""
        self.calls += 1
        if self.calls % self.full_every == 0:
            gc.collect()
            if self._may_freeze:
                gc.freeze()
        else:
            gc.collect(1)
