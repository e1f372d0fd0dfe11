"""Whether a call needs ``edgequake._callbacks`` at all: imported with ``edgequake``, so it only reads
dicts (no imports); the common call (no callback, no fallback, logging quiet) pays well under 1 µs."""

from __future__ import annotations

import sys
from typing import Any, Dict

# The package's globals, read per call (users assign and append to the lists at any time).
_PKG: Dict[str, Any] = sys.modules["edgequake"].__dict__
_MODULES = sys.modules
_logger: Any = None


def _logging_on() -> bool:
    """The ``LiteLLM`` logger would emit INFO: only possible once ``logging`` is imported by someone."""
    global _logger
    logging = _MODULES.get("logging")
    if logging is None:
        return False
    if _logger is None:
        _logger = logging.getLogger("LiteLLM")
    return bool(_logger.isEnabledFor(20))  # logging.INFO


def wanted(kwargs: Dict[str, Any]) -> bool:
    g = _PKG.get
    if (
        g("callbacks")
        or g("success_callback")
        or g("failure_callback")
        or g("_async_success_callback")
        or g("_async_failure_callback")
        or g("input_callback")
        or g("model_fallbacks")
        or g("set_verbose")
    ):
        return True
    if kwargs and (
        kwargs.get("callbacks")
        or kwargs.get("success_callback")
        or kwargs.get("failure_callback")
        or kwargs.get("fallbacks")
        or kwargs.get("context_window_fallback_dict")
    ):
        return True
    return _logging_on()
