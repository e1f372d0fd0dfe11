"""``CustomStreamWrapper``: litellm's stream object. Each upstream SSE event is pulled from the core
only when the caller asks for the next chunk, so chunks arrive as the provider sends them. Both sync
and async iteration work on the same stream; ``close()`` (or leaving a ``with`` block, or dropping
the object) closes the connection.
"""

from __future__ import annotations

import sys
from collections import deque
from typing import Any, Callable, Deque, Iterator, List, Optional

from edgequake import _core
from edgequake._call.aio import await_core

# litellm's routes through the openai SDK, whose stream raises its own APITimeoutError.
_SDK_TIMEOUT_ROUTES = frozenset({"openai", "azure", "cerebras"})


def _kind(exc: BaseException) -> Optional[str]:
    info = exc.args[0] if isinstance(exc, _core.CoreError) and exc.args else None
    return info.get("kind") if isinstance(info, dict) else None


class CustomStreamWrapper:
    """Iterates ``ModelResponseStream`` chunks, sync (``for``) or async (``async for``)."""

    # Set by edgequake._callbacks when the call has callbacks: told when the stream ends or fails.
    _observer: Any = None

    def __init__(
        self,
        core_stream: Any,
        shaper: Any,
        map_error: Callable[..., BaseException],
        *,
        model: str,
        custom_llm_provider: str,
    ) -> None:
        self._stream = core_stream
        self._shaper = shaper
        self._map_error = map_error
        self._ready: Deque[Any] = deque()
        self._ended = False
        self.model = model
        self.custom_llm_provider = custom_llm_provider
        self.chunks: List[Any] = []  # every chunk handed out, as litellm keeps them
        # The text so far as pieces, joined when read: `str +=` on an attribute copies the whole text
        # per chunk, which made a 50 MB stream of 64 KB events take 45 s (tests/test_fault_matrix.py).
        self._text: List[str] = []
        self._repeats = 1  # identical non-trivial contents in a row, as litellm counts them
        # choices[0].delta of the last two chunks handed out (None: no chunk, or one without choices),
        # kept so the loop guard reads their content without walking each chunk again
        self._last_delta: Any = None
        self._before_delta: Any = None

    @property
    def response_uptil_now(self) -> str:
        if len(self._text) > 1:
            self._text[:] = ["".join(self._text)]
        return self._text[0] if self._text else ""

    @response_uptil_now.setter
    def response_uptil_now(self, value: str) -> None:
        self._text[:] = [value] if value else []

    # -- shared -------------------------------------------------------------------------------
    def _take(self, raw: Optional[dict]) -> None:
        if raw is None:
            self._ended = True
            self._stream.close()
            self._ready.extend(self._shaper.finish())
            usage = getattr(self._shaper, "reported_usage", lambda: None)()
            last = self._ready[-1] if self._ready else (self.chunks[-1] if self.chunks else None)
            if usage is not None and last is not None:
                last._hidden_params["usage"] = usage
        else:
            self._ready.extend(self._shaper.feed(raw))

    def _repetition(self) -> Optional[BaseException]:
        """litellm's loop guard (its issue 5158): before a chunk with content is handed out, the
        last two handed out are compared; ``REPEATED_STREAMING_CHUNK_LIMIT`` (100) identical contents
        of over two characters in a row end the stream with a 500 ``InternalServerError``, wrapped
        for fallback as any mid-stream 500 is (measured: the fault matrix's 50 MB stream)."""
        last, before = self._last_delta, self._before_delta
        if last is None or before is None:
            return None
        upcoming = _delta_of(self._ready[0])
        if upcoming is None or not (
            getattr(upcoming, "content", None) or getattr(upcoming, "tool_calls", None)
        ):
            return None
        text = getattr(last, "content", None)
        if not isinstance(text, str) or len(text) <= 2:
            self._repeats = 1
            return None
        self._repeats = self._repeats + 1 if text == getattr(before, "content", None) else 1
        # The module setting, read per chunk (users may change it) without an import statement's cost.
        if self._repeats < getattr(sys.modules.get("edgequake"), "REPEATED_STREAMING_CHUNK_LIMIT", 100):
            return None
        from edgequake import exceptions

        self._ended = True
        self._stream.close()
        inner = exceptions.InternalServerError(
            message=f"The model is repeating the same chunk = {text}.", model="", llm_provider=""
        )
        return exceptions.MidStreamFallbackError(
            message=str(inner),
            model=self.model,
            llm_provider=self.custom_llm_provider,
            original_exception=inner,
            generated_content=self.response_uptil_now,
            is_pre_first_chunk=False,
        )

    def _hand_out(self) -> Any:
        chunk = self._ready.popleft()
        self.chunks.append(chunk)
        delta = _delta_of(chunk)
        if delta is not None:
            text = getattr(delta, "content", None)
            if text and isinstance(text, str):  # litellm: a non-text content (5, {...}) adds nothing
                self._text.append(text)
        self._before_delta, self._last_delta = self._last_delta, delta
        return chunk

    def _fail(self, exc: BaseException, iterating: str) -> BaseException:
        """The exception for a failure after the stream opened, as litellm's stream wrapper raises it:
        client errors (4xx but 429) as they are; anything else (5xx, 429, broken or timed-out
        transport) wrapped in ``MidStreamFallbackError`` carrying the text generated so far.

        A read timeout is a transport failure on litellm's own HTTP routes (wrapped), but on the
        openai-SDK routes the SDK has already made it ``APITimeoutError``, which litellm maps to a
        408 ``Timeout`` that its wrapper raises as it is (measured: ``tools/measure_stream_stall.py``).
        ``iterating`` ("sync" or "async") words the timeout as that iteration's transport does."""
        self._ended = True
        self._stream.close()
        mapped = self._map_error(exc, iterating=iterating)
        status = getattr(mapped, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500 and status not in (408, 429):
            return mapped
        if _kind(exc) == "timeout" and self.custom_llm_provider in _SDK_TIMEOUT_ROUTES:
            return mapped
        from edgequake import exceptions

        return exceptions.MidStreamFallbackError(
            message=str(mapped),
            model=self.model,
            llm_provider=self.custom_llm_provider,
            original_exception=mapped,
            generated_content=self.response_uptil_now,
            is_pre_first_chunk=not self.chunks,
        )

    # -- sync ---------------------------------------------------------------------------------
    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        while not self._ready:
            if self._ended:
                if self._observer is not None:
                    self._observer.ended(self)
                raise StopIteration
            try:
                raw = self._stream.next()
            except _core.CoreError as exc:
                failure = self._fail(exc, "sync")
                if self._observer is not None:
                    self._observer.failed(failure)
                raise failure from None
            self._take(raw)
        failure = self._repetition()
        if failure is not None:
            if self._observer is not None:
                self._observer.failed(failure)
            raise failure
        return self._hand_out()

    # -- async --------------------------------------------------------------------------------
    def __aiter__(self) -> CustomStreamWrapper:
        return self

    async def __anext__(self) -> Any:
        while not self._ready:
            if self._ended:
                if self._observer is not None:
                    self._observer.ended(self)
                raise StopAsyncIteration
            try:
                raw = await await_core(self._stream.next_async)
            except _core.CoreError as exc:
                failure = self._fail(exc, "async")
                if self._observer is not None:
                    await self._observer.afailed(failure)
                raise failure from None
            self._take(raw)
        failure = self._repetition()
        if failure is not None:
            if self._observer is not None:
                await self._observer.afailed(failure)
            raise failure
        return self._hand_out()

    # -- lifetime -----------------------------------------------------------------------------
    def close(self) -> None:
        """Stops the stream and closes its connection; further iteration ends at once."""
        self._ended = True
        self._ready.clear()
        self._stream.close()

    async def aclose(self) -> None:
        self.close()

    def __enter__(self) -> CustomStreamWrapper:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    async def __aenter__(self) -> CustomStreamWrapper:
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        self.close()


def _delta_of(chunk: Any) -> Any:
    """``choices[0].delta`` of a chunk, or None when it has no choices."""
    choices = getattr(chunk, "choices", None)
    return choices[0].delta if choices else None
