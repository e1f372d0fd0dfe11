"""litellm's exceptions, under the same names (``from edgequake.exceptions import RateLimitError``).

The classes subclass ``openai``'s, as litellm's do, so ``except openai.RateLimitError`` keeps
catching them. Importing ``openai`` costs far more than all of ``import edgequake``, so the classes
are built on first access through this module's ``__getattr__`` (PEP 562), which is also when
``openai`` and ``httpx`` are imported (docs/adr/0003-lazy-openai-exception-bases.md). An
``except edgequake.RateLimitError:`` clause only evaluates the name when an exception propagates,
so code that never fails never pays for it.
"""

from __future__ import annotations

import threading
from typing import Any

# Every public name is lazy (built on first access), so __all__ is derived rather than a literal.
_PUBLIC_NAMES = (
    "LITELLM_EXCEPTION_TYPES",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "AuthenticationError",
    "BadGatewayError",
    "BadRequestError",
    "BlockedPiiEntityError",
    "BudgetExceededError",
    "CallerCredentialAuthenticationError",
    "CallerCredentialRateLimitError",
    "ContentPolicyViolationError",
    "ContextWindowExceededError",
    "EndpointNotSupportedByModelError",
    "GuardrailRaisedException",
    "ImageFetchError",
    "InternalServerError",
    "InvalidRequestError",
    "JSONSchemaValidationError",
    "LiteLLMUnknownProvider",
    "MalformedRequestFieldError",
    "MidStreamFallbackError",
    "MockException",
    "ModelNotMappedError",
    "ModifyResponseException",
    "NotFoundError",
    "OpenAIError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimitErrorCategory",
    "RateLimitType",
    "RejectedRequestError",
    "SensitiveDataRouteException",
    "ServiceUnavailableError",
    "Timeout",
    "UnprocessableEntityError",
    "UnsupportedEndpointError",
    "UnsupportedParamsError",
    "VectorStoreSearchError",
)
__all__ = list(_PUBLIC_NAMES)

# litellm's list of "already mapped" classes, in its order (InternalServerError appears twice there too).
_EXCEPTION_TYPE_NAMES = (
    "AuthenticationError", "NotFoundError", "BadRequestError", "UnprocessableEntityError",
    "UnsupportedParamsError", "UnsupportedEndpointError", "Timeout", "PermissionDeniedError",
    "RateLimitError", "ContextWindowExceededError", "PaymentRequiredError", "RejectedRequestError",
    "ContentPolicyViolationError",
    "InternalServerError", "ServiceUnavailableError", "BadGatewayError", "APIError", "APIConnectionError",
    "APIResponseValidationError", "OpenAIError", "InternalServerError", "JSONSchemaValidationError",
)

_lock = threading.Lock()
_built: dict[str, Any] | None = None


def _classes() -> dict[str, Any]:
    """Build every class exactly once, even when two threads raise their first error together."""
    global _built
    if _built is None:
        with _lock:
            if _built is None:
                from edgequake._errors.classes import build

                classes = build()
                classes["LITELLM_EXCEPTION_TYPES"] = [classes[n] for n in _EXCEPTION_TYPE_NAMES]
                globals().update(classes)  # later lookups are plain attribute hits
                _built = classes
    return _built


def __getattr__(name: str) -> Any:
    if name in _PUBLIC_NAMES:
        return _classes()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC_NAMES))
