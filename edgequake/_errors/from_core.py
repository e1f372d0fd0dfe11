"""Turn the Rust core's failure record into the exception litellm raises for the same failure.

``edgequake._core`` raises ``CoreError(info)``; ``info`` carries the class and status the Rust
classifier chose (``core/src/classify/``, which holds litellm's body and status rules), the message
litellm would pass to the class (``info["message"]``), and the raw reply. This module adds what only
Python can reproduce and what litellm attaches besides the message:

* Python's own error texts that litellm quotes: ``json``'s decode errors, ``[Errno 111] Connection
  refused``, the ``Timeout passed=..., time taken=...`` of litellm's httpx handler;
* ``litellm_debug_info``, ``body``, ``response`` (the real reply on the openai-SDK routes, litellm's
  stub elsewhere) and ``litellm_response_headers``, which differ per route family as measured.

Optional ``info`` keys it uses when the core provides them: ``url`` (the endpoint that answered),
``errno`` (the OS error of a failed connect), ``timeout`` and ``elapsed`` (seconds); and, from
``PreparedCall.error``, ``route``, ``stream``, ``iterating`` (a failure while iterating an open
stream), ``timeout_shown`` (the timeout as litellm quotes it) and ``awaited`` (the failure surfaced in
``acompletion``/``aembedding``, whose awaited code words some failures differently: an openai-SDK
decode error without the sync wrapper, a chat timeout with what was waited, an Azure embedding that
does not parse).
"""

from __future__ import annotations

import re
from typing import Any, Optional, Tuple

from edgequake._errors import cohere
from edgequake._errors.families import (
    _AZURE,
    _COHERE,
    _COMPAT,
    _DOCS_STUB,
    _FAMILY,
    _HUGGINGFACE,
    _OLLAMA,
    _OPENAI_STUB,
    _OPENROUTER,
    _SDK,
)
from edgequake._errors.messages import (
    _azure_async_embedding,
    _json_error,
    _message,
    _ollama_phrase_branch,
    _rate_limit_phrase,
    _sdk_body,
)


def exception_provider(llm_provider: str) -> str:
    """litellm's label: ``OpenAIException``, else the name with its first letter capitalised."""
    if llm_provider == "openai":
        return "OpenAIException"
    return llm_provider[:1].upper() + llm_provider[1:] + "Exception"


def debug_info(model: str, api_base: Optional[str], messages: Optional[list]) -> str:
    """litellm's ``litellm_debug_info``: model, the API base without credentials, and the first 100
    characters of ``str(messages)``."""
    text = f"\nModel: {model}"
    shown = _base_without_credentials(api_base) if api_base else ""
    if shown:
        text += f"\nAPI Base: `{shown}`"
    if messages:
        text += f"\nMessages: `{str(messages)[:100]}`"
    return text


def _base_without_credentials(api_base: str) -> str:
    """Drop ``user:pass@``, the query and the fragment, as litellm does before showing a base URL."""
    scheme, sep, rest = api_base.partition("://")
    prefix = scheme + sep if sep and re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme) else ""
    rest = api_base[len(prefix) :]
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    after = rest[len(authority) :]
    host = authority.rpartition("@")[2]
    if "@" in after and not re.fullmatch(
        r"(?:(?:[A-Za-z0-9-]+\.)+[A-Za-z0-9-]+|localhost|\[[0-9A-Fa-f:.]+\])(?::\d+)?", host
    ):
        return ""
    return prefix + host + re.split(r"[?#]", after, maxsplit=1)[0]


# Keys shorter than this are not searched for: replacing "k" in a message would garble it, and a key
# that short is no secret worth the damage.
_MIN_KEY = 8


def _without_key(info: dict, api_key: Optional[str]) -> dict:
    """The failure with the call's own key replaced by litellm's placeholder wherever the provider
    echoed it (an error body quoting the key it rejected). litellm's pattern redaction does this for
    keys shaped like `sk-...` on its own HTTP routes; edgequake does it for the key it sent, on
    every route (docs/differences.md)."""
    if not api_key or len(api_key) < _MIN_KEY:
        return info
    out = dict(info)
    for field in ("body", "message", "detail"):
        value = out.get(field)
        if isinstance(value, str) and api_key in value:
            out[field] = value.replace(api_key, "REDACTED")
    return out


def _sdk_stream_break(info: dict, label: str, message: str) -> Tuple[str, str]:
    """A stream broken or undecodable while iterating, on the openai-SDK routes: the SDK's iterator
    raises httpx's (or json's) own error, which litellm's stream wrapper maps to APIConnectionError
    quoting it, not to the 500 a whole reply's failure gets (measured: the fault matrix's
    reset_mid_stream and malformed_json stream cells)."""
    if info.get("kind") == "decode":
        detail = _json_error(info.get("body") or "")
        if detail is not None:
            return "APIConnectionError", f"APIConnectionError: {label} - {detail}"
    head = "InternalServerError: "
    return "APIConnectionError", "APIConnectionError: " + message.removeprefix(head)


def from_core(
    info: dict,
    *,
    model: str,
    llm_provider: str,
    api_base: Optional[str],
    messages: Optional[list],
    max_retries: Optional[int],
    num_retries: Optional[int],
    api_key: Optional[str] = None,
) -> Exception:
    """Build the litellm-named exception for one core failure.

    ``model`` is the model without its provider prefix. ``max_retries`` and ``num_retries`` are set
    on the exception only when given: litellm's ``completion()`` leaves both None on the exceptions
    it maps (measured with ``max_retries=2``), so callers matching it pass None.
    """
    import httpx

    from edgequake import _core
    from edgequake import exceptions as ex

    family = _FAMILY.get(llm_provider, _COMPAT)
    if family == _SDK and info.get("route") == "responses":
        family = _COMPAT  # litellm's Responses handler is its own HTTP client, not the openai SDK
    if family == _COHERE:
        model, llm_provider = cohere.names(info, model, llm_provider)
    label = exception_provider(llm_provider)
    if family == _OLLAMA and _ollama_phrase_branch(info):
        llm_provider = "ollama"  # litellm's _map_ollama_exception names the provider so for both routes
    kind = info.get("kind")
    cls_name = str(info.get("class") or "APIError")
    status = int(info.get("status_code") or 500)
    if family == _AZURE and _azure_async_embedding(info):
        status = 200  # a body that does not parse comes with a success status (the core keeps no other)
    info = _without_key(info, api_key)
    raw = info.get("body")
    headers = httpx.Headers(info.get("headers") or {})
    # No secret of a URL (userinfo, `key=` values) reaches a message (issue 12, item 3).
    message = _core.redact_text(_message(info, family, label))
    if (
        family == _SDK
        and info.get("iterating")
        and kind in ("transport", "decode")
        and cls_name == "InternalServerError"
    ):
        cls_name, message = _sdk_stream_break(info, label, message)
    dbg = None if family == _HUGGINGFACE else debug_info(model, api_base, messages)
    if family == _COHERE:
        dbg = cohere.debug_info(info, model, dbg)
    common = {"model": model, "llm_provider": llm_provider}
    upstream_status = info.get("provider_status_code") or status

    # What litellm attaches as `response`: the real reply on the SDK routes, a stub elsewhere.
    def response_for(code: int) -> httpx.Response:
        if family in (_SDK, _AZURE) and kind == "status":
            url = info.get("url") or (api_base or _OPENAI_STUB).rstrip("/") + "/chat/completions"
            url = _core.redact_url(url)
            return httpx.Response(
                status_code=code,
                headers=headers,
                content=(raw or "").encode(),
                request=httpx.Request("POST", url),
            )
        return httpx.Response(status_code=code, request=httpx.Request("POST", stub_url))

    stub_url = _stub_url(llm_provider, family, kind)

    body = _sdk_body(raw) if family in (_SDK, _AZURE) and kind == "status" else None
    exc: Exception
    if cls_name == "Timeout":
        real = family in (_SDK, _AZURE) and kind == "status"
        exc = ex.Timeout(
            message,
            litellm_debug_info=dbg,
            exception_status_code=status if status != 408 else None,
            response=response_for(status) if real else None,
            **common,
        )
    elif cls_name == "APIError":
        request = httpx.Request("POST", stub_url)
        if family == _AZURE:
            request = httpx.Request("POST", "https://openai.com/")
        real = family in (_SDK, _AZURE) and kind == "status"
        exc = ex.APIError(
            status,
            message,
            request=request,
            litellm_debug_info=dbg,
            response=response_for(status) if real else None,
            **common,
        )
    elif cls_name == "APIConnectionError":
        exc = ex.APIConnectionError(message, litellm_debug_info=dbg, **common)
    elif cls_name == "RateLimitError":
        phrase = _rate_limit_phrase(raw or "", upstream_status)
        quiet = family in (_SDK, _COMPAT) and (phrase or family == _SDK)
        exc = ex.RateLimitError(
            message,
            response=response_for(429),
            body=body if family == _SDK else None,
            litellm_debug_info=None if quiet else dbg,
            **common,
        )
    elif cls_name == "ContentPolicyViolationError":
        cpv_body, extra = body, None
        if family == _AZURE:
            azure_error = body if isinstance(body, dict) else {}
            inner = azure_error.get("inner_error") or azure_error.get("innererror")
            cpv_body = {
                "message": azure_error.get("message") or message,
                "type": azure_error.get("type") or "invalid_request_error",
                "code": azure_error.get("code") or "content_policy_violation",
                "param": None,
            }
            extra = {"innererror": inner, "inner_error": inner, "azure_error": azure_error or None}
        exc = ex.ContentPolicyViolationError(
            message,
            response=response_for(status),
            litellm_debug_info=dbg,
            provider_specific_fields=extra,
            body=cpv_body if family in (_SDK, _AZURE) else None,
            **common,
        )
    elif cls_name == "ContextWindowExceededError":
        exc = ex.ContextWindowExceededError(
            message,
            response=response_for(status),
            litellm_debug_info=dbg,
            body=body if family == _AZURE else None,
            **common,
        )
    elif cls_name == "BadRequestError":
        with_body = family == _SDK or (family == _AZURE and status == 400)
        exc = ex.BadRequestError(
            message,
            response=response_for(status),
            litellm_debug_info=dbg,
            body=body if with_body else None,
            **common,
        )
    elif cls_name == "InternalServerError":
        # Without a reply the SDK and httpx routes still carry a stub reply to api.openai.com.
        reply = (
            response_for(500)
            if kind == "status"
            else httpx.Response(500, request=httpx.Request("POST", stub_url))
        )
        exc = ex.InternalServerError(
            message,
            response=reply,
            litellm_debug_info=dbg,
            body=body if family == _SDK else None,
            provider_status_code=info.get("provider_status_code"),
            **common,
        )
    elif cls_name in (
        "AuthenticationError",
        "NotFoundError",
        "ServiceUnavailableError",
        "BadGatewayError",
        "PermissionDeniedError",
        "UnprocessableEntityError",
    ):
        exc = getattr(ex, cls_name)(message, response=response_for(status), litellm_debug_info=dbg, **common)
    elif cls_name == "PaymentRequiredError":
        exc = ex.PaymentRequiredError(message, response=response_for(402), litellm_debug_info=dbg, **common)
    else:
        # Any other class the core may name: the generic status error, never a crash.
        exc = ex.APIError(status, message, litellm_debug_info=dbg, **common)

    if max_retries is not None:
        exc.max_retries = max_retries  # type: ignore[attr-defined]
    if num_retries is not None:
        exc.num_retries = num_retries  # type: ignore[attr-defined]
    exc.litellm_response_headers = _response_headers(kind, cls_name, family, headers)  # type: ignore[attr-defined]
    return exc


def _stub_url(llm_provider: str, family: str, kind: Any) -> str:
    """Where litellm's stub request points, per route (measured; it follows which code path failed)."""
    if llm_provider == "fireworks_ai":
        return _DOCS_STUB
    if family in (_OPENROUTER, _HUGGINGFACE) and kind != "decode":
        return _DOCS_STUB
    if family == _COHERE:
        return _DOCS_STUB
    return _OPENAI_STUB


def _response_headers(kind: Any, cls_name: str, family: str, headers: Any) -> Any:
    """litellm copies the upstream headers onto every mapped exception that had a reply."""
    if kind == "status" or kind == "stream_event":
        return headers
    if kind == "decode" and family in (_COMPAT, _OPENROUTER, _HUGGINGFACE) and cls_name == "APIError":
        return headers
    return None
