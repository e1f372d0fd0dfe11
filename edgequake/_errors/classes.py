"""litellm's exception classes, rebuilt on ``openai``'s bases the first time one is needed.

Hierarchy (``openai.*`` are the openai SDK's classes, or local stand-ins without it)::

    openai.OpenAIError
    ├── OpenAIError
    └── openai.APIError
        ├── APIError ── MockException
        ├── openai.APIConnectionError
        │   ├── APIConnectionError
        │   └── openai.APITimeoutError ── Timeout
        ├── openai.APIResponseValidationError
        │   └── APIResponseValidationError ── JSONSchemaValidationError
        └── openai.APIStatusError
            ├── openai.AuthenticationError ── AuthenticationError ── CallerCredentialAuthenticationError
            ├── openai.BadRequestError
            │   ├── InvalidRequestError (deprecated)
            │   └── BadRequestError
            │       ├── ContextWindowExceededError, ContentPolicyViolationError, UnsupportedParamsError,
            │       ├── RejectedRequestError, PaymentRequiredError, ImageFetchError, LiteLLMUnknownProvider,
            │       └── UnsupportedEndpointError, MalformedRequestFieldError, EndpointNotSupportedByModelError
            ├── openai.NotFoundError ── NotFoundError
            ├── openai.PermissionDeniedError ── PermissionDeniedError
            ├── openai.UnprocessableEntityError ── UnprocessableEntityError
            ├── openai.RateLimitError ── RateLimitError ── CallerCredentialRateLimitError
            ├── openai.InternalServerError ── InternalServerError
            ├── ServiceUnavailableError ── MidStreamFallbackError
            └── BadGatewayError

Constructor signatures, attribute values and ``str()`` follow litellm 1.110.2 as observed, including
its oddities (a subclass prefixing an already prefixed message, ``UnsupportedParamsError`` never
calling its base constructor, ``APIResponseValidationError`` losing its prefix), because users and
the conformance harness see all of them.
"""

from __future__ import annotations

from typing import Any

import httpx

from edgequake._errors.bases import (
    NO_UPSTREAM_URL,
    OPENAI_STUB_URL,
    has_request,
    openai_bases,
    retry_suffix,
    scrubbed_response,
    stub_response,
)
from edgequake._errors.extra import build_dependents, build_enums

PUBLIC_MODULE = "edgequake.exceptions"


def _litellm_str(self: Any) -> str:
    return self.message + retry_suffix(self.num_retries, self.max_retries)


def build() -> dict[str, Any]:
    """Define every class once and return them by name."""
    o = openai_bases()
    minimal_400: list[httpx.Response] = []  # litellm shares one stub response among BadRequestErrors

    def shared_minimal_400() -> httpx.Response:
        if not minimal_400:
            minimal_400.append(stub_response(400))
        return minimal_400[0]

    class AuthenticationError(o.AuthenticationError):
        def __init__(self, message, llm_provider, model, response=None, litellm_debug_info=None,
                     max_retries=None, num_retries=None, body=None):
            self.status_code = 401
            self.message = f"litellm.AuthenticationError: {message}"
            self.llm_provider, self.model = llm_provider, model
            self.litellm_debug_info = litellm_debug_info
            self.max_retries, self.num_retries = max_retries, num_retries
            self.response = response or stub_response(401)
            super().__init__(self.message, response=self.response, body=body)

        __str__ = __repr__ = _litellm_str

    class CallerCredentialAuthenticationError(AuthenticationError):
        """A 401 scoped to the caller's own stored credential (litellm proxy feature)."""

    class NotFoundError(o.NotFoundError):
        def __init__(self, message, model, llm_provider, response=None, litellm_debug_info=None,
                     max_retries=None, num_retries=None, body=None):
            self.status_code = 404
            self.message = f"litellm.NotFoundError: {message}"
            self.model, self.llm_provider = model, llm_provider
            self.litellm_debug_info = litellm_debug_info
            self.max_retries, self.num_retries = max_retries, num_retries
            self.response = response or stub_response(404)
            super().__init__(self.message, response=self.response, body=body)

        __str__ = __repr__ = _litellm_str

    class BadRequestError(o.BadRequestError):
        def __init__(self, message, model, llm_provider, response=None, litellm_debug_info=None,
                     max_retries=None, num_retries=None, body=None):
            self.status_code = 400
            self.message = f"litellm.BadRequestError: {message}"
            self.model, self.llm_provider = model, llm_provider
            self.litellm_debug_info = litellm_debug_info
            self.max_retries, self.num_retries = max_retries, num_retries
            # A response without a request cannot back an APIStatusError; litellm swaps in its stub.
            self.response = response if has_request(response) else shared_minimal_400()
            super().__init__(self.message, response=self.response, body=body)

        __str__ = __repr__ = _litellm_str

    class UnprocessableEntityError(o.UnprocessableEntityError):
        def __init__(self, message, model, llm_provider, response, litellm_debug_info=None,
                     max_retries=None, num_retries=None):
            self.status_code = 422
            self.message = f"litellm.UnprocessableEntityError: {message}"
            self.model, self.llm_provider = model, llm_provider
            self.litellm_debug_info = litellm_debug_info
            self.max_retries, self.num_retries = max_retries, num_retries
            super().__init__(self.message, response=response, body=None)

        __str__ = __repr__ = _litellm_str

    class Timeout(o.APITimeoutError):
        def __init__(self, message, model, llm_provider, litellm_debug_info=None, max_retries=None,
                     num_retries=None, headers=None, exception_status_code=None, response=None):
            super().__init__(request=httpx.Request(method="POST", url=OPENAI_STUB_URL))
            self.status_code = exception_status_code or 408
            self.message = f"litellm.Timeout: {message}"
            self.model, self.llm_provider = model, llm_provider
            self.litellm_debug_info = litellm_debug_info
            self.max_retries, self.num_retries = max_retries, num_retries
            self.headers = headers
            if response is not None:  # litellm leaves `response` unset (AttributeError) otherwise
                self.response = response

        __str__ = __repr__ = _litellm_str

    class PermissionDeniedError(o.PermissionDeniedError):
        def __init__(self, message, llm_provider, model, response, litellm_debug_info=None,
                     max_retries=None, num_retries=None):
            self.status_code = 403
            self.message = f"litellm.PermissionDeniedError: {message}"
            self.llm_provider, self.model = llm_provider, model
            self.litellm_debug_info = litellm_debug_info
            self.max_retries, self.num_retries = max_retries, num_retries
            super().__init__(self.message, response=response, body=None)

        __str__ = __repr__ = _litellm_str

    enums = build_enums()
    vendor_rate_limit = enums["RateLimitErrorCategory"].VENDOR_RATE_LIMIT

    class RateLimitError(o.RateLimitError):
        def __init__(self, message, llm_provider, model, response=None, litellm_debug_info=None,
                     max_retries=None, num_retries=None, category=vendor_rate_limit,
                     rate_limit_type=None, headers=None, detail=None, body=None):
            self.status_code = 429
            self.message = f"litellm.RateLimitError: {message}"
            self.llm_provider, self.model = llm_provider, model
            self.litellm_debug_info = litellm_debug_info
            self.max_retries, self.num_retries = max_retries, num_retries
            self.category = getattr(category, "value", category)
            self.rate_limit_type = getattr(rate_limit_type, "value", rate_limit_type)
            # Only headers passed explicitly are exposed here; upstream ones stay on `response`.
            self.headers = {k: str(v) for k, v in headers.items()} if headers else None
            self.detail = detail if detail is not None else self.message
            self.response = scrubbed_response(429, response, NO_UPSTREAM_URL)
            super().__init__(self.message, response=self.response, body=body)
            self.code = "429"
            self.type = "throttling_error"

        __str__ = __repr__ = _litellm_str

    class CallerCredentialRateLimitError(RateLimitError):
        """A 429 scoped to the caller's own credential exchange (litellm proxy feature)."""

    class ContextWindowExceededError(BadRequestError):
        def __init__(self, message, model, llm_provider, response=None, litellm_debug_info=None, body=None):
            self.status_code = 400
            self.model, self.llm_provider = model, llm_provider
            self.litellm_debug_info = litellm_debug_info
            super().__init__(message=message, model=model, llm_provider=llm_provider, response=response,
                             litellm_debug_info=litellm_debug_info, body=body)
            # Prefixed after the base did its own: litellm's messages read
            # "litellm.ContextWindowExceededError: litellm.BadRequestError: ...".
            self.message = f"litellm.ContextWindowExceededError: {self.message}"

        __str__ = __repr__ = _litellm_str

    class PaymentRequiredError(BadRequestError):
        def __init__(self, message, model, llm_provider, response=None, litellm_debug_info=None):
            if not has_request(response):
                response = stub_response(402)
            super().__init__(message=message, model=model, llm_provider=llm_provider, response=response,
                             litellm_debug_info=litellm_debug_info)
            self.status_code = 402
            self.message = f"litellm.PaymentRequiredError: {message}"

        __str__ = __repr__ = _litellm_str

    class RejectedRequestError(BadRequestError):
        def __init__(self, message, model, llm_provider, request_data, litellm_debug_info=None):
            self.status_code = 400
            self.message = f"litellm.RejectedRequestError: {message}"
            self.model, self.llm_provider = model, llm_provider
            self.litellm_debug_info = litellm_debug_info
            self.request_data = request_data
            super().__init__(message=self.message, model=model, llm_provider=llm_provider,
                             response=stub_response(400, OPENAI_STUB_URL, "POST"),
                             litellm_debug_info=litellm_debug_info)

        __str__ = __repr__ = _litellm_str

    class ContentPolicyViolationError(BadRequestError):
        def __init__(self, message, model, llm_provider, response=None, litellm_debug_info=None,
                     provider_specific_fields=None, body=None):
            self.status_code = 400
            self.message = f"litellm.ContentPolicyViolationError: {message}"
            self.model, self.llm_provider = model, llm_provider
            self.litellm_debug_info = litellm_debug_info
            self.provider_specific_fields = provider_specific_fields
            super().__init__(message=self.message, model=model, llm_provider=llm_provider, response=response,
                             litellm_debug_info=litellm_debug_info, body=body)

        __str__ = __repr__ = _litellm_str

    class UnsupportedParamsError(BadRequestError):
        def __init__(self, message, llm_provider=None, model=None, status_code=400, response=None,
                     litellm_debug_info=None, max_retries=None, num_retries=None):
            # litellm never calls the base constructor here, so `args`, `response` and `body` stay
            # unset; only the attributes below exist.
            self.status_code = 400
            self.message = f"litellm.UnsupportedParamsError: {message}"
            self.model, self.llm_provider = model, llm_provider
            self.litellm_debug_info = litellm_debug_info
            self.max_retries, self.num_retries = max_retries, num_retries

        __str__ = __repr__ = _litellm_str

    class ServiceUnavailableError(o.APIStatusError):
        def __init__(self, message, llm_provider, model, response=None, litellm_debug_info=None,
                     max_retries=None, num_retries=None):
            self.status_code = 503
            self.message = f"litellm.ServiceUnavailableError: {message}"
            self.llm_provider, self.model = llm_provider, model
            self.litellm_debug_info = litellm_debug_info
            self.max_retries, self.num_retries = max_retries, num_retries
            self.response = scrubbed_response(503, response, NO_UPSTREAM_URL)
            super().__init__(self.message, response=self.response, body=None)

        __str__ = __repr__ = _litellm_str

    class BadGatewayError(o.APIStatusError):
        def __init__(self, message, llm_provider, model, response=None, litellm_debug_info=None,
                     max_retries=None, num_retries=None):
            self.status_code = 502
            self.message = f"litellm.BadGatewayError: {message}"
            self.llm_provider, self.model = llm_provider, model
            self.litellm_debug_info = litellm_debug_info
            self.max_retries, self.num_retries = max_retries, num_retries
            self.response = scrubbed_response(502, response, NO_UPSTREAM_URL)
            super().__init__(self.message, response=self.response, body=None)

        __str__ = __repr__ = _litellm_str

    class InternalServerError(o.InternalServerError):
        def __init__(self, message, llm_provider, model, response=None, litellm_debug_info=None,
                     max_retries=None, num_retries=None, body=None, provider_status_code=None):
            self.status_code = 500
            self.provider_status_code = provider_status_code
            self.message = f"litellm.InternalServerError: {message}"
            self.llm_provider, self.model = llm_provider, model
            self.litellm_debug_info = litellm_debug_info
            self.max_retries, self.num_retries = max_retries, num_retries
            self.response = scrubbed_response(500, response, NO_UPSTREAM_URL)
            super().__init__(self.message, response=self.response, body=body)
            self.type = "internal_server_error"

        __str__ = __repr__ = _litellm_str

    class APIError(o.APIError):
        def __init__(self, status_code, message, llm_provider, model, request=None, litellm_debug_info=None,
                     max_retries=None, num_retries=None, body=None, response=None):
            self.status_code = status_code
            self.message = f"litellm.APIError: {message}"
            self.llm_provider, self.model = llm_provider, model
            self.litellm_debug_info = litellm_debug_info
            self.max_retries, self.num_retries = max_retries, num_retries
            if response is not None:
                self.response = response
            if request is None:
                request = httpx.Request(method="POST", url=OPENAI_STUB_URL)
            super().__init__(self.message, request=request, body=body)

        __str__ = __repr__ = _litellm_str

    class APIConnectionError(o.APIConnectionError):
        def __init__(self, message, llm_provider, model, request=None, litellm_debug_info=None,
                     max_retries=None, num_retries=None):
            self.message = f"litellm.APIConnectionError: {message}"
            self.llm_provider, self.model = llm_provider, model
            self.status_code = 500
            self.litellm_debug_info = litellm_debug_info
            # litellm ignores the `request` it is given and always attaches its stub.
            self.request = httpx.Request(method="POST", url=OPENAI_STUB_URL)
            self.max_retries, self.num_retries = max_retries, num_retries
            super().__init__(message=self.message, request=self.request)

        __str__ = __repr__ = _litellm_str

    class APIResponseValidationError(o.APIResponseValidationError):
        def __init__(self, message, llm_provider, model, litellm_debug_info=None, max_retries=None,
                     num_retries=None):
            self.message = f"litellm.APIResponseValidationError: {message}"
            self.llm_provider, self.model = llm_provider, model
            self.litellm_debug_info = litellm_debug_info
            self.max_retries, self.num_retries = max_retries, num_retries
            # The base constructor overwrites `message` with the unprefixed text, as in litellm.
            super().__init__(response=stub_response(500, OPENAI_STUB_URL, "POST"), body=None, message=message)

        __str__ = __repr__ = _litellm_str

    class JSONSchemaValidationError(APIResponseValidationError):
        def __init__(self, model, llm_provider, raw_response, schema):
            self.raw_response, self.schema, self.model = raw_response, schema, model
            message = (f"litellm.JSONSchemaValidationError: model={model}, returned an invalid "
                       f"response={raw_response}, for schema={schema}.\n"
                       "Access raw response with `e.raw_response`")
            self.message = message
            super().__init__(model=model, message=message, llm_provider=llm_provider)

    class OpenAIError(o.OpenAIError):
        def __init__(self, original_exception=None):
            super().__init__()
            self.llm_provider = "openai"

    classes: dict[str, Any] = {
        cls.__name__: cls
        for cls in (
            AuthenticationError, CallerCredentialAuthenticationError, NotFoundError, BadRequestError,
            UnprocessableEntityError, Timeout, PermissionDeniedError, RateLimitError,
            CallerCredentialRateLimitError, ContextWindowExceededError, PaymentRequiredError,
            RejectedRequestError, ContentPolicyViolationError, UnsupportedParamsError,
            ServiceUnavailableError,
            BadGatewayError, InternalServerError, APIError, APIConnectionError, APIResponseValidationError,
            JSONSchemaValidationError, OpenAIError,
        )
    }
    classes.update(enums)
    classes.update(build_dependents(o, classes))
    for obj in classes.values():
        if isinstance(obj, type):
            # Pickling and tracebacks find the classes through the public module's lazy __getattr__.
            obj.__module__ = PUBLIC_MODULE
            obj.__qualname__ = obj.__name__
    return classes
