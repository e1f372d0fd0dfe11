"""A delegated ``responses()`` call's result in edgequake's types (docs/adr/0009): litellm's
``ResponsesAPIResponse`` becomes edgequake's, and its event stream an iterator handing out edgequake's
typed events, each pulled from litellm's iterator under edgequake's settings; a failure while iterating
is raised as edgequake's exception class.

Converted from litellm's ``model_dump()`` (what users see), then validated as edgequake's own types; the
hidden params are carried over.
"""

from __future__ import annotations

from typing import Any, Callable, ContextManager

from edgequake._delegate.stream import reraise

__all__ = ["DelegatedResponsesStream", "convert"]


def _converted(obj: Any) -> Any:
    dump = getattr(obj, "model_dump", None)
    if not callable(dump):
        return obj
    from pydantic import ValidationError

    from edgequake.types import responses as types

    name = type(obj).__name__
    if name == "ResponsesAPIResponse":
        cls: Any = types.ResponsesAPIResponse
    else:
        kind = getattr(obj, "type", None)
        kind = getattr(kind, "value", kind)
        cls = types.EVENT_CLASSES.get(str(kind), types.GenericEvent)
    data = dump()
    try:
        out = cls.model_validate(data)
    except ValidationError:
        out = cls.model_construct(**data)
    hidden = getattr(obj, "_hidden_params", None)
    if isinstance(hidden, dict) and hasattr(out, "_hidden_params"):
        out._hidden_params = dict(hidden)
    return out


class DelegatedResponsesStream:
    """litellm's Responses event stream, handing out edgequake's event types (sync and async)."""

    def __init__(self, inner: Any, settings: Callable[[], ContextManager[None]]) -> None:
        self._inner = inner
        self._settings = settings
        self.model = getattr(inner, "model", None)
        self.custom_llm_provider = getattr(inner, "custom_llm_provider", None)

    def __getattr__(self, name: str) -> Any:
        if name == "_inner":
            raise AttributeError(name)
        return getattr(self._inner, name)

    def __iter__(self) -> DelegatedResponsesStream:
        return self

    def __next__(self) -> Any:
        try:
            with self._settings():
                event = next(self._inner)
        except StopIteration:
            raise
        except Exception as exc:
            reraise(exc)
        return _converted(event)

    def __aiter__(self) -> DelegatedResponsesStream:
        return self

    async def __anext__(self) -> Any:
        try:
            with self._settings():
                event = await self._inner.__anext__()
        except StopAsyncIteration:
            raise
        except Exception as exc:
            reraise(exc)
        return _converted(event)


def convert(result: Any) -> Any:
    """edgequake's object for what a delegated ``responses()``/``aresponses()`` returned."""
    if type(result).__name__ == "ResponsesAPIResponse":
        return _converted(result)
    if hasattr(result, "__next__") or hasattr(result, "__anext__"):
        from edgequake._delegate.locate import real_litellm
        from edgequake._delegate.settings import overlay

        real = real_litellm()
        return DelegatedResponsesStream(result, lambda: overlay(real))
    return result
