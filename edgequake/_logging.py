"""``litellm._logging``: litellm's loggers, by the names litellm gives them, so code that configures
or silences them (dspy sets ``verbose_logger``'s level) configures edgequake's output the same way.

As in litellm 1.110.2 (measured): importing this module puts one handler on the ``LiteLLM``,
``LiteLLM Router`` and ``LiteLLM Proxy`` loggers, formatted
``HH:MM:SS - LiteLLM:LEVEL: file.py:line - message``, records below WARNING on stdout and the rest on
stderr. ``LITELLM_LOG`` (default ``DEBUG``) is that handler's level, not the loggers': the loggers
keep the level logging gives them (WARNING from the root logger), so ``LITELLM_LOG=DEBUG`` alone shows
nothing, in litellm as here. ``turn_on_debug()`` (``litellm._turn_on_debug()``) sets the three loggers
to DEBUG. ``litellm.set_verbose = True`` prints litellm's verbose lines with ``print``, and warns that
it is deprecated.

Every line goes through :class:`SecretFilter`: API keys (a call's ``api_key``, the module's ``*_key``
globals, ``*_API_KEY``/``*_TOKEN``/``*_SECRET`` environment values, and anything shaped like a key)
are replaced with ``REDACTED`` before any handler sees the text.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
from typing import Any, Set

_FORMAT = "%(asctime)s - %(name)s:%(levelname)s: %(filename)s:%(lineno)s - %(message)s"
_KEY_SHAPES = re.compile(
    r"(?:\b(?:sk|pk|rk|gsk|xai|sk-ant|sk-or)-[A-Za-z0-9_\-]{8,}|\bAIza[0-9A-Za-z_\-]{20,}|"
    r"(?<=Bearer )[A-Za-z0-9_\-\.=]{8,})"
)
_ENV_SECRET = ("_API_KEY", "_KEY", "_TOKEN", "_SECRET", "_PASSWORD")
_known: Set[str] = set()
_known_lock = threading.Lock()


def remember_secret(value: Any) -> None:
    """A key seen in a call: redacted from every later log line (its text, not just key shapes)."""
    if isinstance(value, str) and len(value) >= 6:
        with _known_lock:
            _known.add(value)


def _secrets() -> Set[str]:
    found = {v for k, v in os.environ.items() if k.upper().endswith(_ENV_SECRET) and len(v) >= 6}
    pkg = sys.modules.get("edgequake")
    if pkg is not None:
        for name, value in vars(pkg).items():
            if (name.endswith("_key") or name == "api_key") and isinstance(value, str) and len(value) >= 6:
                found.add(value)
    with _known_lock:
        found |= _known
    return found


def redact(text: str) -> str:
    for secret in sorted(_secrets(), key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, "REDACTED")
    return _KEY_SHAPES.sub("REDACTED", text)


class SecretFilter(logging.Filter):
    """Rewrites each record's message with every secret redacted (on the loggers and the handler)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        clean = redact(message)
        if clean != message or record.args:
            record.msg, record.args = clean, None
        return True


class LevelRoutingStreamHandler(logging.StreamHandler):
    """stdout for records below WARNING, stderr for the rest (litellm's routing)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stdout if record.levelno < logging.WARNING else sys.stderr
        super().emit(record)


def _level(name: str) -> int:
    value = getattr(logging, name.upper(), None)
    return value if isinstance(value, int) else logging.DEBUG


secret_filter = SecretFilter()
handler = LevelRoutingStreamHandler()
handler.setLevel(_level(os.environ.get("LITELLM_LOG", "DEBUG")))
handler.setFormatter(logging.Formatter(_FORMAT, datefmt="%H:%M:%S"))
handler.addFilter(secret_filter)

verbose_logger = logging.getLogger("LiteLLM")
verbose_router_logger = logging.getLogger("LiteLLM Router")
verbose_proxy_logger = logging.getLogger("LiteLLM Proxy")
for _logger in (verbose_logger, verbose_router_logger, verbose_proxy_logger):
    _logger.addHandler(handler)
    _logger.addFilter(secret_filter)  # before propagation: the root logger's handlers get clean text too


def turn_on_debug() -> None:
    """``litellm._turn_on_debug()``: the three loggers at DEBUG."""
    for logger in (verbose_logger, verbose_router_logger, verbose_proxy_logger):
        logger.setLevel(logging.DEBUG)


_turn_on_debug = turn_on_debug


def _disable_debugging() -> None:
    for logger in (verbose_logger, verbose_router_logger, verbose_proxy_logger):
        logger.disabled = True


def _enable_debugging() -> None:
    for logger in (verbose_logger, verbose_router_logger, verbose_proxy_logger):
        logger.disabled = False


def _verbose_on() -> bool:
    pkg = sys.modules.get("edgequake")
    return bool(getattr(pkg, "set_verbose", False))


def print_verbose(print_statement: Any, *args: Any) -> None:
    """litellm's ``print_verbose``: ``print`` (to stdout) when ``set_verbose`` is on, redacted."""
    if not _verbose_on():
        return
    try:
        message = str(print_statement) % args if args else str(print_statement)
        print(redact(message))
    except Exception:
        pass


def is_debugging_on() -> bool:
    return verbose_logger.isEnabledFor(logging.DEBUG) or _verbose_on()


_is_debugging_on = is_debugging_on

__all__ = [
    "handler",
    "is_debugging_on",
    "print_verbose",
    "turn_on_debug",
    "verbose_logger",
    "verbose_proxy_logger",
    "verbose_router_logger",
]
