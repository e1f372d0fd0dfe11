"""A chat call with what ``gate.wanted`` found: debug lines, fallbacks, the context-window retry and
the callbacks, composed in litellm's order (fallbacks outermost: each attempt is a full call with its
own callbacks)."""

from __future__ import annotations

import sys
from typing import Any, Dict

from edgequake._call import fallbacks as _fallbacks
from edgequake._callbacks import debug, observe
from edgequake._callbacks.registry import collect


def _fallback_list(kwargs: Dict[str, Any]) -> Any:
    return kwargs.get("fallbacks") or getattr(sys.modules["edgequake"], "model_fallbacks", None)


def _one(inner: Any, model: str, messages: Any, params: Dict[str, Any], kwargs: Dict[str, Any]) -> Any:
    cbs, kwargs = collect(kwargs)
    run = _fallbacks.with_context_window(inner) if kwargs.get("context_window_fallback_dict") else inner
    result = (
        run(model, messages, params, kwargs)
        if cbs is None
        else observe.run_sync(run, cbs, model, messages, params, kwargs)
    )
    debug.response(result)
    return result


async def _aone(inner: Any, model: str, messages: Any, params: Dict[str, Any], kwargs: Dict[str, Any]) -> Any:
    cbs, kwargs = collect(kwargs)
    run = _fallbacks.with_context_window_async(inner) if kwargs.get("context_window_fallback_dict") else inner
    if cbs is None:
        result = await run(model, messages, params, kwargs)
    else:
        result = await observe.run_async(run, cbs, model, messages, params, kwargs)
    debug.response(result)
    return result


def run_chat(inner: Any, model: str, messages: Any, params: Dict[str, Any], kwargs: Dict[str, Any]) -> Any:
    debug.request("completion", model, messages, params, kwargs)
    fallbacks = _fallback_list(kwargs)
    if not fallbacks:
        return _one(inner, model, messages, params, kwargs)

    def attempt(m: str, p: Dict[str, Any], k: Dict[str, Any]) -> Any:
        return _one(inner, m, messages, p, k)

    return _fallbacks.run_sync(attempt, model, params, kwargs, list(fallbacks))


async def arun_chat(
    inner: Any, model: str, messages: Any, params: Dict[str, Any], kwargs: Dict[str, Any]
) -> Any:
    debug.request("acompletion", model, messages, params, kwargs)
    fallbacks = _fallback_list(kwargs)
    if not fallbacks:
        return await _aone(inner, model, messages, params, kwargs)

    async def attempt(m: str, p: Dict[str, Any], k: Dict[str, Any]) -> Any:
        return await _aone(inner, m, messages, p, k)

    return await _fallbacks.run_async(attempt, model, params, kwargs, list(fallbacks))
