"""The failures ``mock_response=`` and ``mock_timeout=`` stand for, as litellm 1.110.2 raises them
(measured: ``tools/measure_mock_errors.py``, per provider):

* the strings ``"litellm.RateLimitError"``, ``"litellm.ContextWindowExceededError"`` and
  ``"litellm.InternalServerError"`` raise that class with litellm's canned message; any other string
  is a normal mocked answer (``"litellm.NotFoundError"`` too);
* a string starting ``"Exception: content_filter_policy"`` is a 400 ``MockException``;
* an ``openai.APIError`` (every litellm exception) is raised as it is; any other exception becomes a
  ``MockException`` (its ``status_code``, else 500) and goes through litellm's exception mapping, so
  ``ValueError("x")`` reaches the caller as ``InternalServerError("... litellm.MockException: x")``;
* ``mock_timeout=True`` waits the call's timeout (600 s by default), then raises ``Timeout``.
"""

from __future__ import annotations

from typing import Any, Optional

_NAMED = {
    "litellm.RateLimitError": ("RateLimitError", "this is a mock rate limit error"),
    "litellm.ContextWindowExceededError": (
        "ContextWindowExceededError",
        "this is a mock context window exceeded error",
    ),
    "litellm.InternalServerError": ("InternalServerError", "this is a mock internal server error"),
}
# litellm's mapping of a MockException by status: the class, per provider where it differs.
_CLASS_BY_STATUS = {
    400: "BadRequestError", 401: "AuthenticationError", 403: "PermissionDeniedError", 404: "NotFoundError",
    408: "Timeout", 422: "UnprocessableEntityError", 429: "RateLimitError", 500: "InternalServerError",
    503: "ServiceUnavailableError",
}  # fmt: skip
_API_ERROR_500 = frozenset({"azure", "openrouter", "huggingface"})
# Providers whose litellm mapping puts the class name before the provider label (openai-style routes).
_CLASS_FIRST = frozenset({"openai", "groq", "mistral", "deepseek", "xai", "together_ai", "fireworks_ai",
                          "cerebras", "openrouter"})  # fmt: skip


def _label(provider: str) -> str:
    from edgequake._errors.from_core import exception_provider

    return exception_provider(provider)


def _mapped(status: int, text: str, provider: str, model: str) -> Exception:
    """litellm's ``exception_type`` applied to ``MockException(status, text)`` (measured wording)."""
    from edgequake import exceptions as ex

    body = f"litellm.MockException: {text}"
    label = _label(provider)
    common = {"model": model, "llm_provider": provider}
    name = _CLASS_BY_STATUS.get(status, "APIError")
    if status == 500 and provider in _API_ERROR_500:
        head = "APIError: " if provider == "openrouter" else ""
        tag = f"{label} APIError" if provider == "azure" else label
        return ex.APIError(500, f"{head}{tag} - {body}", **common)
    if status == 400 and provider == "azure" and "content_filter_policy" in text:
        return ex.ContentPolicyViolationError(body, **common)
    if provider == "gemini":
        message = (
            f"litellm.RateLimitError: {label} - {body}"
            if name == "RateLimitError"
            else f"{label} {name} - {body}"
        )
    elif provider == "azure":
        message = f"{label} {name} - {body}"
    elif provider in _CLASS_FIRST and name != "BadRequestError":
        message = f"{name}: {label} - {body}"
    elif provider == "anthropic" and name == "InternalServerError":
        message = f"{label} - {body}. Handle with `litellm.InternalServerError`."
    else:
        message = f"{label} - {body}"
    if name == "APIError":
        return ex.APIError(status, message, **common)
    return getattr(ex, name)(message=message, **common)


def mock_exception(mock: Any, *, provider: str, model: str) -> Optional[BaseException]:
    """The exception a ``mock_response`` value stands for, or None for a normal mocked answer."""
    if isinstance(mock, BaseException):
        import openai

        if isinstance(mock, openai.APIError) or not isinstance(mock, Exception):
            return mock
        status = getattr(mock, "status_code", 500)
        text = getattr(mock, "text", None) or str(mock)
        return _mapped(int(status) if isinstance(status, int) else 500, str(text), provider, model)
    if not isinstance(mock, str):
        return None
    named = _NAMED.get(mock)
    if named is not None:
        from edgequake import exceptions as ex

        return getattr(ex, named[0])(message=named[1], model=model, llm_provider=provider)
    if mock.startswith("Exception: content_filter_policy"):
        return _mapped(400, mock, provider, model)
    return None


def timeout_seconds(params: dict, kwargs: dict) -> float:
    raw = params.get("timeout") or kwargs.get("request_timeout") or 600
    try:
        return float(getattr(raw, "connect", raw) or 600)
    except (TypeError, ValueError):
        return 600.0


def timeout_error(model: str) -> Exception:
    from edgequake import exceptions as ex

    return ex.Timeout(message="This is a mock timeout error", model=model, llm_provider="openai")
