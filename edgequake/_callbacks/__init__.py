"""Callbacks, fallbacks and debug logging around a chat call, as litellm's ``client`` wrapper and
``completion`` do them. ``gate.wanted`` decides per call (a few attribute reads) whether any of it
applies; when none does, the call never enters this package."""

from __future__ import annotations

from typing import Any, Dict


def run_chat(inner: Any, model: str, messages: Any, params: Dict[str, Any], kwargs: Dict[str, Any]) -> Any:
    from edgequake._callbacks import flow

    return flow.run_chat(inner, model, messages, params, kwargs)


async def arun_chat(
    inner: Any, model: str, messages: Any, params: Dict[str, Any], kwargs: Dict[str, Any]
) -> Any:
    from edgequake._callbacks import flow

    return await flow.arun_chat(inner, model, messages, params, kwargs)
