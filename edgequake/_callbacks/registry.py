"""Which callbacks a call has: the module lists litellm users set (``success_callback``,
``failure_callback``, ``callbacks``, ``_async_success_callback``, ``_async_failure_callback``,
``input_callback``) plus the call's own ``callbacks=`` / ``success_callback=`` / ``failure_callback=``.

litellm copies a ``CustomLogger`` from ``litellm.callbacks`` into its other lists (and a per-call
one into the module lists for good, so it fires again on later calls: measured on 1.110.2). edgequake
reads every list at call time instead and never writes to them; one logger met in several lists is
called once per event, as litellm's de-duplication does.

A string names one of litellm's integrations ("langfuse", "datadog", ...). edgequake has none of its
own: with litellm installed, the integration is built by litellm and fed edgequake's payload; without
it, the call fails with :class:`UnsupportedCallbackError` (never silently ignored).
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any, Dict, List, Optional, Tuple

MODULE_LISTS = (
    "callbacks",
    "success_callback",
    "failure_callback",
    "_async_success_callback",
    "_async_failure_callback",
    "input_callback",
)
CALL_KWARGS = ("callbacks", "success_callback", "failure_callback")
_built: Dict[str, Any] = {}


class UnsupportedCallbackError(ValueError):
    """A string callback edgequake cannot run (it names a litellm integration and litellm is absent)."""


class CallbackSet:
    """One call's callbacks, sorted by what each one is called for."""

    __slots__ = ("failure_fns", "input_fns", "loggers", "success_fns")

    def __init__(self) -> None:
        self.loggers: List[Any] = []  # CustomLogger-like objects: every hook
        self.success_fns: List[Any] = []  # plain or async functions: (kwargs, response, start, end)
        self.failure_fns: List[Any] = []
        self.input_fns: List[Any] = []  # input_callback functions: (model, messages, kwargs)

    def add_logger(self, obj: Any) -> None:
        if not any(obj is seen for seen in self.loggers):
            self.loggers.append(obj)

    def add_fn(self, into: List[Any], fn: Any) -> None:
        if not any(fn is seen for seen in into):
            into.append(fn)

    def empty(self) -> bool:
        return not (self.loggers or self.success_fns or self.failure_fns or self.input_fns)


def is_logger(obj: Any) -> bool:
    """A CustomLogger (edgequake's, litellm's, or any object with its hooks)."""
    return (
        not callable(obj)
        and any(
            hasattr(obj, hook)
            for hook in ("log_success_event", "async_log_success_event", "log_pre_api_call")
        )
    ) or _is_custom_logger_instance(obj)


def _is_custom_logger_instance(obj: Any) -> bool:
    from edgequake.integrations.custom_logger import CustomLogger

    return isinstance(obj, CustomLogger)


def _sort(out: CallbackSet, entry: Any, role: str) -> None:
    if isinstance(entry, str):
        entry = integration(entry)
    if _is_custom_logger_instance(entry) or (not callable(entry) and is_logger(entry)):
        out.add_logger(entry)
    elif callable(entry):
        if role in ("success", "any"):
            out.add_fn(out.success_fns, entry)
        if role in ("failure", "any"):
            out.add_fn(out.failure_fns, entry)
        if role == "input":
            out.add_fn(out.input_fns, entry)
    else:
        raise UnsupportedCallbackError(
            f"edgequake: callback {entry!r} is neither a function, a CustomLogger nor an integration name"
        )


_ROLE = {
    "callbacks": "any",
    "success_callback": "success",
    "failure_callback": "failure",
    "_async_success_callback": "success",
    "_async_failure_callback": "failure",
    "input_callback": "input",
}


def collect(kwargs: Dict[str, Any]) -> Tuple[Optional[CallbackSet], Dict[str, Any]]:
    """The call's callbacks (None when it has none) and its kwargs without the callback arguments."""
    pkg = sys.modules["edgequake"]
    lists = [(name, getattr(pkg, name, None)) for name in MODULE_LISTS]
    own = [(name, kwargs.get(name)) for name in CALL_KWARGS if kwargs.get(name)]
    if own:
        kwargs = {k: v for k, v in kwargs.items() if k not in CALL_KWARGS}
    if not own and not any(value for _, value in lists):
        return None, kwargs
    out = CallbackSet()
    for name, value in [*lists, *own]:
        for entry in value or ():
            _sort(out, entry, _ROLE[name])
    return (None if out.empty() else out), kwargs


def is_async_fn(fn: Any) -> bool:
    # an object whose __call__ is a coroutine function counts too
    dunder = vars(type(fn)).get("__call__") if not isinstance(fn, type) else None
    return asyncio.iscoroutinefunction(fn) or asyncio.iscoroutinefunction(dunder)


def integration(name: str) -> Any:
    """litellm's logger for an integration name, built once by litellm itself."""
    if name in _built:
        return _built[name]
    from edgequake._delegate.locate import LitellmMissing, real_module

    try:
        logging_module = real_module("litellm.litellm_core_utils.litellm_logging")
        real = real_module("litellm")
    except LitellmMissing:
        raise UnsupportedCallbackError(
            f"edgequake: callback {name!r} names one of litellm's logging integrations, which edgequake "
            "does not implement. Install litellm (`pip install litellm`) and edgequake hands your "
            "callbacks the call to litellm's integration, or pass a CustomLogger subclass instance "
            "(edgequake.integrations.custom_logger.CustomLogger) or a function instead."
        ) from None
    known = getattr(real, "_known_custom_logger_compatible_callbacks", ())
    logger = None
    if name in known:
        logger = logging_module._init_custom_logger_compatible_class(
            name, internal_usage_cache=None, llm_router=None
        )
    if logger is None:
        raise UnsupportedCallbackError(
            f"edgequake: callback {name!r} is not one of litellm's CustomLogger integrations "
            f"({', '.join(sorted(known)[:8])}, ...) or it failed to start (see the LiteLLM logger); "
            "pass a CustomLogger subclass instance or a function instead."
        )
    _built[name] = logger
    return logger
