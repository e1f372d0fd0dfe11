"""edgequake's module settings, carried over to a delegated call.

Users configure edgequake the way they configure litellm (``edgequake.api_key = ...``,
``edgequake.drop_params = True``), and a delegated call must honour that. litellm reads its *own*
module globals, so edgequake's are read at call time and handed over in one of two ways:

* **as call arguments**, wherever litellm accepts one (``api_key``, ``api_base``, ``api_version``,
  ``organization``, ``num_retries``, ``drop_params``, ``timeout`` from ``request_timeout``): only
  when the call did not pass that argument itself, so the precedence is litellm's (call argument,
  then module setting). Nothing global is touched.
* **on the real litellm module, for the duration of the call**, where litellm has only a global:
  ``suppress_debug_info``, ``set_verbose`` and provider keys (``openai_key``, ``anthropic_key``, any
  ``*_key`` global litellm has that is set on edgequake). :func:`overlay` sets the ones that differ
  and puts the previous values back when the last overlapping delegated call ends, so nothing leaks
  into later calls or into code that uses litellm directly. While a delegated call runs, other
  threads using litellm directly see the same values (a module global has no per-call scope).

Callbacks are not handed over: ``edgequake._callbacks`` runs them around the delegated call as around
any other (litellm would not recognise edgequake's ``CustomLogger``, and would fire them twice).
"""

from __future__ import annotations

import sys
import threading
from contextlib import contextmanager
from typing import Any, Dict, Iterator, Tuple

# edgequake global -> litellm call argument.
_AS_ARGUMENT: Tuple[Tuple[str, str], ...] = (
    ("api_key", "api_key"),
    ("api_base", "api_base"),
    ("api_version", "api_version"),
    ("organization", "organization"),
    ("num_retries", "num_retries"),
    ("drop_params", "drop_params"),
    ("request_timeout", "timeout"),
)
_DEFAULT_TIMEOUT = 600.0  # edgequake's (and litellm's documented) default: not worth passing
_GLOBAL_ONLY = ("suppress_debug_info", "set_verbose")
_MISSING = object()


def _package() -> Any:
    return sys.modules["edgequake"]  # the package, whose module globals users set


def with_settings(params: Dict[str, Any], kwargs: Dict[str, Any]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """The call's named parameters and extra keywords (copies) with the edgequake settings the call
    did not override: a named parameter left None is filled in place, any other goes to the keywords."""
    pkg = _package()
    params, kwargs = dict(params), dict(kwargs)
    for setting, argument in _AS_ARGUMENT:
        if params.get(argument) is not None or kwargs.get(argument) is not None:
            continue
        if argument == "api_base" and (params.get("base_url") or kwargs.get("base_url")):
            continue
        value = getattr(pkg, setting, None)
        if value is None or value is False or (setting == "request_timeout" and value == _DEFAULT_TIMEOUT):
            continue
        if isinstance(value, list):
            value = list(value)  # litellm pops async callbacks out of the list it is given
        (params if argument in params else kwargs)[argument] = value
    return params, kwargs


# -- globals litellm has no argument for ---------------------------------------------------------

_lock = threading.Lock()
_active = {"depth": 0}
_saved: Dict[str, Any] = {}


def _wanted(real: Any) -> Dict[str, Any]:
    pkg = vars(_package())
    real_globals = vars(real)
    wanted: Dict[str, Any] = {}
    for name, value in pkg.items():
        if value is None or not (name in _GLOBAL_ONLY or (name.endswith("_key") and name in real_globals)):
            continue
        if real_globals.get(name, _MISSING) != value:
            wanted[name] = value
    return wanted


@contextmanager
def overlay(real: Any) -> Iterator[None]:
    """litellm's module globals set to edgequake's for the duration of a delegated step."""
    wanted = _wanted(real)
    if not wanted and not _active["depth"]:
        yield  # the common case: nothing differs, nothing to set or restore
        return
    with _lock:
        for name, value in wanted.items():
            if name not in _saved:
                _saved[name] = getattr(real, name, _MISSING)
            setattr(real, name, value)
        _active["depth"] += 1
    try:
        yield
    finally:
        with _lock:
            _active["depth"] -= 1
            if not _active["depth"]:
                for name, value in _saved.items():
                    if value is _MISSING:
                        vars(real).pop(name, None)
                    else:
                        setattr(real, name, value)
                _saved.clear()
