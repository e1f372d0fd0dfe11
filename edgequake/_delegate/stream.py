"""A delegated stream: litellm's ``CustomStreamWrapper`` seen through edgequake's.

Iterating (``for`` or ``async for``) pulls litellm's next chunk and hands out edgequake's
``ModelResponseStream`` for it; a failure while iterating is raised as edgequake's exception class.
It subclasses edgequake's ``CustomStreamWrapper`` so ``isinstance`` checks written against edgequake's
stream type hold; attributes only litellm's wrapper has are read from it.
"""

from __future__ import annotations

from typing import Any, Callable, ContextManager, List, NoReturn

from edgequake._call.stream import CustomStreamWrapper
from edgequake._delegate.convert import exception_from_litellm, from_litellm

ORIGINAL = "_litellm_chunk"


def reraise(exc: BaseException) -> NoReturn:
    """Raise edgequake's exception for ``exc`` (litellm's chained as the cause), or ``exc`` itself."""
    converted = exception_from_litellm(exc)
    if converted is exc:
        raise exc
    raise converted from exc


class DelegatedStream(CustomStreamWrapper):
    """edgequake's stream type over litellm's stream object."""

    def __init__(self, inner: Any, settings: Callable[[], ContextManager[None]]) -> None:
        # Not the base constructor: there is no core stream here, only litellm's wrapper.
        self._inner = inner
        self._settings = settings
        self.model = getattr(inner, "model", None)  # type: ignore[assignment]
        self.custom_llm_provider = getattr(inner, "custom_llm_provider", None)  # type: ignore[assignment]
        self.chunks: List[Any] = []  # edgequake's chunks handed out, as litellm keeps its own

    def __getattr__(self, name: str) -> Any:
        # Only reached for names this object lacks: litellm's wrapper has many users read.
        if name == "_inner":
            raise AttributeError(name)
        return getattr(self._inner, name)

    @property
    def response_uptil_now(self) -> str:
        return getattr(self._inner, "response_uptil_now", "")

    @response_uptil_now.setter
    def response_uptil_now(self, value: str) -> None:
        pass  # litellm's wrapper keeps the text; the base class's constructor is never run here

    def _hand_out(self, chunk: Any) -> Any:  # type: ignore[override]
        out = from_litellm(chunk)
        # Kept beside the fields (never dumped, never compared): assembling these chunks is litellm's job.
        out.__dict__[ORIGINAL] = chunk
        self.chunks.append(out)
        return out

    def __next__(self) -> Any:
        try:
            with self._settings():
                chunk = next(self._inner)
        except StopIteration:
            raise
        except Exception as exc:
            reraise(exc)
        return self._hand_out(chunk)

    async def __anext__(self) -> Any:
        try:
            with self._settings():
                chunk = await self._inner.__anext__()
        except StopAsyncIteration:
            raise
        except Exception as exc:
            reraise(exc)
        return self._hand_out(chunk)

    def close(self) -> None:
        close = getattr(self._inner, "close", None)
        if callable(close):
            close()

    async def aclose(self) -> None:
        aclose = getattr(self._inner, "aclose", None)
        if callable(aclose):
            await aclose()
        else:
            self.close()

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.aclose()


def build_delegated(chunks: List[Any], **options: Any) -> Any:
    """``stream_chunk_builder`` for chunks of a delegated stream: litellm's own builder over litellm's
    chunks, the result converted. edgequake's builder reproduces litellm's for the chunk shapes the
    core emits; for another provider's chunks litellm's builder differs per provider (Anthropic's and
    Gemini's cache counters in usage, measured: docs/adr/0009-delegation.md), and only it is exact."""
    from edgequake._delegate.locate import real_litellm
    from edgequake._delegate.settings import overlay

    originals = [c.__dict__[ORIGINAL] for c in chunks]
    real = real_litellm()
    with overlay(real):  # litellm's cost lookup prints banners unless suppress_debug_info says no
        return from_litellm(real.stream_chunk_builder(originals, **options))
