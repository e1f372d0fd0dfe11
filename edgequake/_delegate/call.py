"""One delegated call: edgequake's settings in, litellm's call, edgequake's objects out."""

from __future__ import annotations

from typing import Any, Callable, ContextManager, Dict

from edgequake._call.routing import UnsupportedProviderError
from edgequake._delegate.convert import from_litellm
from edgequake._delegate.locate import LitellmMissing, real_litellm, real_module
from edgequake._delegate.settings import overlay, with_settings
from edgequake._delegate.stream import DelegatedStream, reraise


def _litellm(provider: str) -> Any:
    try:
        return real_litellm()
    except LitellmMissing:
        raise UnsupportedProviderError(provider) from None


def _settings_for(real: Any) -> Callable[[], ContextManager[None]]:
    return lambda: overlay(real)


def _result(real: Any, result: Any) -> Any:
    streams = real_module("litellm.litellm_core_utils.streaming_handler")
    if isinstance(result, streams.CustomStreamWrapper):
        return DelegatedStream(result, _settings_for(real))
    return from_litellm(result)


def run(
    provider: str, function: str, first: Dict[str, Any], params: Dict[str, Any], kwargs: Dict[str, Any]
) -> Any:
    """``litellm.<function>(**first, **params, **kwargs)`` with edgequake's settings, converted.

    ``first`` holds model and messages (or input); ``params`` the named parameters and ``kwargs``
    the extra keywords of edgequake's own call, as the caller gave them.
    """
    real = _litellm(provider)
    params, kwargs = with_settings(params, kwargs)
    try:
        with overlay(real):
            result = getattr(real, function)(**first, **params, **kwargs)
    except Exception as exc:
        reraise(exc)
    return _result(real, result)


async def arun(
    provider: str, function: str, first: Dict[str, Any], params: Dict[str, Any], kwargs: Dict[str, Any]
) -> Any:
    """The awaited twin of :func:`run` (``acompletion``, ``aembedding``)."""
    real = _litellm(provider)
    params, kwargs = with_settings(params, kwargs)
    try:
        with overlay(real):
            result = await getattr(real, function)(**first, **params, **kwargs)
    except Exception as exc:
        reraise(exc)
    return _result(real, result)
