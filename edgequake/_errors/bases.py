"""The pieces the exception classes are built from: their ``openai`` bases and the stub HTTP objects.

Nothing here runs at ``import edgequake`` time. :func:`openai_bases` is called once, when the first
exception class is asked for (see ``edgequake/exceptions.py`` and docs/adr/0003), because importing
``openai`` costs several hundred milliseconds.

litellm's exceptions subclass ``openai``'s, so ``except openai.RateLimitError`` catches them; ours
do the same whenever ``openai`` is importable. Without it, :func:`_local_bases` supplies stand-ins
with the same names, constructor signatures and attributes, so code that only uses edgequake's
classes behaves the same either way.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Optional

import httpx

# litellm's stub URLs: exceptions built without an upstream response carry a fake request to one of
# these, and users (and the harness) see them in ``e.response.request.url``.
LITELLM_STUB_URL = "https://litellm.ai"
OPENAI_STUB_URL = "https://api.openai.com/v1"
NO_UPSTREAM_URL = "https://cloud.google.com/vertex-ai/"
DOCS_STUB_URL = "https://docs.litellm.ai/docs"


def openai_bases() -> SimpleNamespace:
    """The base classes to build on: ``openai``'s own, or local stand-ins when it is not installed."""
    try:
        import openai
    except ImportError:  # openai is a declared dependency; this only protects stripped-down installs
        return _local_bases()
    names = (
        "OpenAIError", "APIError", "APIStatusError", "APIConnectionError", "APITimeoutError",
        "APIResponseValidationError", "BadRequestError", "AuthenticationError", "PermissionDeniedError",
        "NotFoundError", "UnprocessableEntityError", "RateLimitError", "InternalServerError",
    )
    return SimpleNamespace(**{name: getattr(openai, name) for name in names})


def _local_bases() -> SimpleNamespace:
    """Stand-ins for openai's exception hierarchy, with the attributes its constructors set."""

    class OpenAIError(Exception):
        pass

    class APIError(OpenAIError):
        code: Optional[str] = None
        param: Optional[str] = None
        type: Optional[str]

        def __init__(self, message: str, request: httpx.Request, *, body: object | None) -> None:
            super().__init__(message)
            self.request = request
            self.message = message
            self.body = body
            if isinstance(body, dict):
                code = body.get("code")
                self.code = str(code) if code is not None else None
                param, kind = body.get("param"), body.get("type")
                self.param = param if isinstance(param, str) else None
                self.type = kind if isinstance(kind, str) else None
            else:
                self.code = None
                self.param = None
                self.type = None

    class APIResponseValidationError(APIError):
        def __init__(
            self, response: httpx.Response, body: object | None, *, message: str | None = None
        ) -> None:
            super().__init__(message or "Data returned by API invalid for expected schema.", response.request,
                             body=body)
            self.response = response
            self.status_code = response.status_code

    class APIStatusError(APIError):
        def __init__(self, message: str, *, response: httpx.Response, body: object | None) -> None:
            super().__init__(message, response.request, body=body)
            self.response = response
            self.status_code = response.status_code
            self.request_id = response.headers.get("x-request-id")

    class APIConnectionError(APIError):
        def __init__(self, *, message: str = "Connection error.", request: httpx.Request) -> None:
            super().__init__(message, request, body=None)

    class APITimeoutError(APIConnectionError):
        def __init__(self, request: httpx.Request) -> None:
            super().__init__(message="Request timed out.", request=request)

    def status_class(name: str, code: int | None) -> type:
        namespace: dict[str, Any] = {} if code is None else {"status_code": code}
        return type(name, (APIStatusError,), namespace)

    classes: dict[str, Any] = {
        "OpenAIError": OpenAIError,
        "APIError": APIError,
        "APIStatusError": APIStatusError,
        "APIConnectionError": APIConnectionError,
        "APITimeoutError": APITimeoutError,
        "APIResponseValidationError": APIResponseValidationError,
        "BadRequestError": status_class("BadRequestError", 400),
        "AuthenticationError": status_class("AuthenticationError", 401),
        "PermissionDeniedError": status_class("PermissionDeniedError", 403),
        "NotFoundError": status_class("NotFoundError", 404),
        "UnprocessableEntityError": status_class("UnprocessableEntityError", 422),
        "RateLimitError": status_class("RateLimitError", 429),
        "InternalServerError": status_class("InternalServerError", None),
    }
    for cls in classes.values():
        cls.__module__ = "edgequake._errors.bases"
    return SimpleNamespace(**classes)


def stub_response(status_code: int, url: str = LITELLM_STUB_URL, method: str = "GET") -> httpx.Response:
    """An empty response to a fake request: what litellm attaches when it has no upstream reply."""
    return httpx.Response(status_code=status_code, request=httpx.Request(method=method, url=url))


def has_request(response: object) -> bool:
    """Whether ``response`` is an httpx.Response that knows its request (``.request`` raises otherwise)."""
    return isinstance(response, httpx.Response) and getattr(response, "_request", None) is not None


def scrubbed_response(status_code: int, upstream: object, fallback_url: str) -> httpx.Response:
    """A copy of ``upstream`` with ``status_code``, its body and headers, and a request URL stripped of
    credentials, query and fragment; a POST to ``fallback_url`` when there is no upstream.

    litellm rebuilds responses this way for the classes that own their status code (429, 500, 502,
    503), so an API key in a URL never rides along on an exception.
    """
    content = b""
    request = httpx.Request(method="POST", url=fallback_url)
    headers: httpx.Headers | None = None
    elapsed = None
    if isinstance(upstream, httpx.Response):
        try:
            content = upstream.content
        except httpx.ResponseNotRead:
            content = b""
        if has_request(upstream):
            original = upstream.request
            request = httpx.Request(method=original.method,
                                    url=original.url.copy_with(userinfo=b"", query=None, fragment=None))
        headers = upstream.headers
        try:
            elapsed = upstream.elapsed
        except RuntimeError:
            elapsed = None
    response = httpx.Response(status_code=status_code, stream=httpx.ByteStream(content), request=request)
    response.read()
    response.headers = httpx.Headers(headers)
    if elapsed is not None:
        response.elapsed = elapsed
    return response


def retry_suffix(num_retries: object, max_retries: object) -> str:
    """litellm's ``str()`` tail: retries are mentioned only when they are truthy."""
    suffix = ""
    if num_retries:
        suffix += f" LiteLLM Retried: {num_retries} times"
    if max_retries:
        suffix += f", LiteLLM Max Retries: {max_retries}"
    return suffix
