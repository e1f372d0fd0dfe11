"""Bad call arguments raised as litellm 1.110.2 raises them (measured by tools/measure_bad_arguments.py).

litellm does not validate ``timeout``, ``max_retries`` or the body: the failure comes from the HTTP
client (httpx, the openai SDK, ``json.dumps``) and litellm's ``exception_type`` wraps it, so a bad
argument is an ``openai.APIError`` subclass: ``InternalServerError`` (500) for most, and
``APIConnectionError`` (500) when it fails before litellm's provider call (``float(timeout)``, iterating
a message's content). The message is the underlying Python error's text after ``<Provider>Exception -``.
"""

from __future__ import annotations

import json
import math
from typing import Any, Optional

# The largest timeout Python's socket layer takes (``_PyTime_t`` nanoseconds in an int64); beyond it
# httpx fails with ``OverflowError: timestamp out of range for platform time_t``.
_MAX_TIMEOUT = (2**63 - 1) / 1e9


class BadArgument(Exception):
    """An argument litellm's stack rejects: ``cls`` is litellm's class name, ``text`` its wording."""

    def __init__(self, cls: str, text: str, *, before_call: bool = False, bare: bool = False):
        super().__init__(text)
        self.cls = cls
        self.text = text
        self.before_call = before_call  # raised before litellm's awaited provider call
        self.bare = bare  # litellm quotes a bare exception's text alone (no "<Class>: <Label> - ")


def check_timeout(value: Any, seconds: float, provider: str) -> None:
    """What httpx makes of a timeout it cannot use (``value`` as given, ``seconds`` as a float)."""
    if math.isnan(seconds):
        raise BadArgument("InternalServerError", "Invalid value NaN (not a number)")
    if seconds < 0:
        raise BadArgument("InternalServerError", "Timeout value out of range")
    if seconds == 0:
        # The openai SDK reports httpx's ConnectError as its own; litellm's handler shows the OS error.
        text = (
            "Connection error."
            if provider in ("openai", "azure")
            else "[Errno 115] Operation now in progress"
        )
        raise BadArgument("InternalServerError", text)
    if seconds > _MAX_TIMEOUT:
        raise BadArgument("InternalServerError", "timestamp out of range for platform time_t")


def unreadable_timeout(exc: Exception) -> BadArgument:
    """``float(timeout)`` failed in litellm's ``completion``: before the provider call."""
    return BadArgument("APIConnectionError", str(exc), before_call=True)


def check_max_retries(value: Any) -> None:
    """The openai SDK's own check (litellm's openai and azure routes pass ``max_retries`` to it)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BadArgument("InternalServerError", "max_retries must be a non-negative integer")


def body_problem(model: str, body: Any, messages: Any) -> Optional[BadArgument]:
    """Why the body cannot be sent, worded as litellm's stack words it; None if it can be."""
    for message in messages if isinstance(messages, list) else ():
        content = message.get("content") if isinstance(message, dict) else None
        if content is not None and not isinstance(content, (str, list, tuple, bytes, dict)):
            try:
                iter(content)
            except TypeError as exc:  # litellm walks a non-string content as a list of parts
                return BadArgument("APIConnectionError", str(exc), before_call=True)
    payload = {"model": model, **body} if isinstance(body, dict) else body
    try:
        json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError, UnicodeEncodeError) as exc:
        text = str(exc)
        if text.startswith("Out of range float values"):
            text = "Out of range float values are not JSON compliant"
        return BadArgument("InternalServerError", text)
    return None


def litellm_error(problem: BadArgument, *, provider: str, model: str) -> Exception:
    """The litellm exception for ``problem`` on ``provider`` (``model`` as litellm reports it)."""
    from edgequake import exceptions
    from edgequake._errors.from_core import exception_provider

    message = (
        problem.text if problem.bare else f"{problem.cls}: {exception_provider(provider)} - {problem.text}"
    )
    cls = getattr(exceptions, problem.cls)
    return cls(message=message, llm_provider=provider, model=model)
