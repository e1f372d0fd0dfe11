"""Chat bodies that are JSON objects but not completions: litellm raises instead of answering.

The core already turns a 200 body that is an error object, or JSON that is not an object, into the
error (``core/src/verdict.rs``); what is left here is the shape of ``choices``, which only the chat
route reads. Measured on litellm 1.110.2 (``tools/measure_silent_errors.py``), per route family:

* no ``choices``, or ``choices`` that is not a list (``{}``, ``choices: null``): litellm's converter
  raises a bare ``APIError(500)`` naming the keys it got, with ``llm_provider`` and ``model`` empty;
  the SDK routes re-map it (openai, cerebras: ``InternalServerError``; azure: ``APIError``);
* a choice that is not an object, a missing or non-object ``message``, a ``content`` that is neither
  text nor null (``content: 5``; a list of parts, except on mistral, which joins them): litellm fails
  building its ``Message``, raised as ``APIConnectionError(500)`` on its own HTTP routes,
  ``InternalServerError`` on openai/cerebras and ``APIError`` on azure.

Where litellm answers (groq and fireworks_ai build the response straight from the body, so ``{}`` or
a choice without a message comes back as an empty answer) edgequake raises as the other routes do:
an unreadable reply is never a success. The texts name the problem where litellm prints a Python
traceback.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

__all__ = ["check_chat_body"]

# The openai SDK parses the body into its ChatCompletion model first: the keys litellm then names
# come in the model's field order.
_SDK_FIELD_ORDER = (
    "id",
    "choices",
    "created",
    "model",
    "object",
    "service_tier",
    "system_fingerprint",
    "usage",
)
_SDK = frozenset({"openai", "cerebras"})


def check_chat_body(body: Dict[str, Any], provider: str) -> None:
    """Raise litellm's exception for a chat body it cannot read; return for a readable one."""
    choices = body.get("choices")
    if not isinstance(choices, list):
        if provider == "mistral" and isinstance(choices, (dict, str)) and choices:
            # mistral's own transformation walks the choices first: over a dict's keys
            raise _mapped(provider, "'str' object has no attribute 'get'")
        raise _no_choices(body, provider)
    for choice in choices:
        problem = _choice_problem(choice, provider)
        if problem is not None:
            raise _mapped(provider, problem)


def _choice_problem(choice: Any, provider: str) -> Optional[str]:
    if not isinstance(choice, dict):
        if provider == "mistral":
            return f"'{type(choice).__name__}' object has no attribute 'get'"
        return f"Invalid response object: a choice is {type(choice).__name__}, not an object"
    message = choice.get("message")
    if not isinstance(message, dict):
        return f"Invalid response object: choice.message is {type(message).__name__}, not an object"
    content = message.get("content")
    if content is None or isinstance(content, str):
        return None
    if provider == "mistral" and isinstance(content, list):
        return None  # Magistral's content blocks (edgequake._shaping.message)
    return f"Invalid response object: message.content is {type(content).__name__}, not a string"


def _keys(body: Dict[str, Any], provider: str) -> List[str]:
    keys = list(body)
    if provider in _SDK or provider == "azure":
        known = [k for k in _SDK_FIELD_ORDER if k in body]
        keys = known + [k for k in keys if k not in _SDK_FIELD_ORDER]
    return keys


def _no_choices(body: Dict[str, Any], provider: str) -> BaseException:
    choices = body.get("choices")
    keys = _keys(body, provider)
    if "choices" not in body:
        text = f"LiteLLM: provider returned a response with no 'choices'. Raw keys: {keys}"
    else:
        text = (
            f"LiteLLM: provider returned 'choices' that is not a list ({type(choices).__name__}). "
            f"Raw keys: {keys}"
        )
    if provider in _SDK or provider == "azure":
        return _mapped(provider, f"litellm.APIError: {text}")
    from edgequake import exceptions  # lazy: exceptions import openai

    # litellm's converter raises this itself: no provider, no model, no debug info
    return exceptions.APIError(status_code=500, message=text, llm_provider="", model="")


def _mapped(provider: str, text: str) -> BaseException:
    """A core failure record for ``text``: the caller's ``PreparedCall.error`` names it, as for the
    failures the core finds, with the call's model, retries and debug info."""
    from edgequake import _core
    from edgequake._errors.from_core import exception_provider

    label = exception_provider(provider)
    if provider in _SDK:
        cls, message = "InternalServerError", f"InternalServerError: {label} - {text}"
    elif provider == "azure":
        cls, message = "APIError", f"AzureException APIError - {text}"
    elif provider == "huggingface":
        cls, message = "APIConnectionError", text
    else:
        cls, message = "APIConnectionError", f"APIConnectionError: {label} - {text}"
    info = {
        "kind": "unusable",
        "class": cls,
        "status_code": 500,
        "message": message,
        "provider_status_code": None,
        "detail": text,
        "body": None,
        "headers": {},
    }
    return _core.CoreError(info)
