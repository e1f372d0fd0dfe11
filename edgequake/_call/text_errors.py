"""How ``text_completion``'s failures read, as litellm 1.110.2 raises them (measured against it).

The native ``/completions`` route runs through the openai SDK in litellm for every provider, so the
core is asked as for ``openai/`` (the SDK's classification and messages), and the exception is then
named as litellm's route names it:

* ``text_completion``: the provider is the route's (``text-completion-openai`` for OpenAI, else the
  provider's own, e.g. ``together_ai``) and the message quotes the SDK's ``Error code: N - ``; the
  model is the one on the wire;
* a stream whose opening fails: litellm's stream is lazy, its wrapper maps the failure with provider
  ``openai`` (``together_ai`` for together) and the model it rewrote (``text-completion-openai/m``);
* ``atext_completion``: litellm's async twin maps *every* failure again with provider ``openai`` and
  the model as the caller wrote it: ``<Class>: OpenAIException - <what the first mapping said>``, its
  debug info without the messages; an awaited stream opening quotes no ``Error code``.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Optional

from edgequake._call.prepare import PreparedCall

_OPENAI_LABEL = "OpenAIException - "


def _label(provider: str) -> str:
    from edgequake._errors.from_core import exception_provider

    return exception_provider(provider)


# litellm's provider label in a message: `OpenAIException - `, `Text-completion-openaiException - `,
# and azure's `AzureException AuthenticationError - `.
_LABEL = re.compile(r"(?P<label>[\w-]+Exception)(?P<cls> [A-Za-z]+)? - ")


def _parts(exc: BaseException) -> Optional[tuple]:
    """(``litellm.<Class>: `` prefix, text before the label, label with azure's class, detail), or None."""
    message = getattr(exc, "message", None)
    if not isinstance(message, str):
        return None
    prefix = f"litellm.{type(exc).__name__}: "
    body = message[len(prefix) :] if message.startswith(prefix) else message
    found = _LABEL.search(body)
    if found is None:
        return prefix, "", "", body
    label = found.group("label") + (found.group("cls") or "")
    return prefix, body[: found.start()], label, body[found.end() :]


def _renamed(exc: BaseException, message: str, **attributes: Any) -> BaseException:
    # Not copy.copy: litellm-style exceptions cannot be rebuilt from their args.
    out = type(exc).__new__(type(exc))
    out.__dict__.update(exc.__dict__)
    out.message = message  # type: ignore[attr-defined]
    for key, value in attributes.items():
        setattr(out, key, value)
    out.args = (message,)
    out.__traceback__ = None
    return out


def native_error(
    call: PreparedCall, shown_provider: str, *, stream: bool = False, awaited: bool = False
) -> Callable[..., BaseException]:
    """Maps a core failure of the native route (asked as ``openai``) to litellm's exception."""

    def mapped(exc: BaseException, iterating: Any = None) -> BaseException:
        first = call.error(exc, awaited=False, stream=stream, iterating=iterating)
        parts = _parts(first)
        status = getattr(first, "status_code", None)
        info = exc.args[0] if exc.args and isinstance(exc.args[0], dict) else {}
        if parts is None or info.get("kind") != "status":
            return first
        prefix, head, label, detail = parts
        if awaited and stream:
            return first  # re-mapped by atext_completion, which quotes the SDK's message as it is
        if stream:  # litellm's lazy stream: its wrapper maps the SDK error with its own names
            provider = "openai" if shown_provider == "text-completion-openai" else shown_provider
            model = call.caller_model
            if provider == "openai":
                model = f"text-completion-openai/{call.route.model}"
            message = f"{prefix}{head}{_label(provider)} - Error code: {status} - {detail}"
            return _renamed(first, message, model=model, llm_provider=provider, litellm_debug_info=None)
        shown_label = label if shown_provider == "azure" else _label(shown_provider)
        message = f"{prefix}{head}{shown_label} - Error code: {status} - {detail}"
        return _renamed(first, message, llm_provider=shown_provider)

    return mapped


def awaited_error(exc: BaseException, model: Any, api_base: Optional[str] = None) -> BaseException:
    """litellm's ``atext_completion`` mapping a failure again (provider ``openai``, the caller's model)."""
    if getattr(exc, "llm_provider", None) is None and getattr(exc, "status_code", None) is None:
        return exc  # not a provider failure (a bad argument): raised as it is
    parts = _parts(exc)
    if parts is None:
        return exc
    prefix, head, label, detail = parts
    if not label:
        return exc  # not a provider's reply (litellm's own argument errors): raised as it is
    head = head or f"{type(exc).__name__}: "
    message = f"{prefix}{head}{_OPENAI_LABEL}{detail}"
    debug = f"\nModel: {model}"
    base = api_base or _debug_base(getattr(exc, "litellm_debug_info", None))
    if base:
        debug += f"\nAPI Base: `{base}`"
    return _renamed(exc, message, model=model, llm_provider="openai", litellm_debug_info=debug)


def _debug_base(debug: Any) -> Optional[str]:
    """The API base an earlier mapping quoted (``API Base: `...` ``)."""
    if not isinstance(debug, str):
        return None
    marker = "API Base: `"
    at = debug.find(marker)
    if at < 0:
        return None
    end = debug.find("`", at + len(marker))
    return debug[at + len(marker) : end] if end > 0 else None
