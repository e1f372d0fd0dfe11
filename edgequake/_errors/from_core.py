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

import json
import os
import re
from typing import Any, Optional

from edgequake._errors import cohere

# Route families, as in core/src/classify/: they decide which litellm mapper ran and what it attached.
_SDK = "sdk"  # litellm calls the openai SDK
_AZURE = "azure"
_COMPAT = "compat"  # litellm's own httpx handler, mapped as openai-compatible
_OPENROUTER = "openrouter"
_HUGGINGFACE = "huggingface"
_OLLAMA = "ollama"  # litellm's own httpx handler with Ollama's transformations
_COHERE = "cohere"  # litellm's httpx handler with its Cohere mapper (core/src/wire/cohere/errors.rs)
_GEMINI = "gemini"  # litellm's vertex mapper (whole requests as gemini, streams as vertex_ai_beta)

_FAMILY = {
    "openai": _SDK,
    "cerebras": _SDK,
    "azure": _AZURE,
    "mistral": _COMPAT,
    "xai": _COMPAT,
    "groq": _COMPAT,
    "deepseek": _COMPAT,
    "together_ai": _COMPAT,
    "fireworks_ai": _COMPAT,
    "openrouter": _OPENROUTER,
    "huggingface": _HUGGINGFACE,
    "ollama": _OLLAMA,
    "ollama_chat": _OLLAMA,
    "cohere": _COHERE,
    "cohere_chat": _COHERE,
    "anthropic": _COMPAT,  # litellm's own httpx handler; its message rules are in core/src/wire/anthropic
    "gemini": _GEMINI,
    "vertex_ai_beta": _GEMINI,
}

# Request URLs of the stub responses litellm attaches where it has no upstream reply.
_OPENAI_STUB = "https://api.openai.com/v1"
_DOCS_STUB = "https://docs.litellm.ai/docs"

_SDK_DECODE_TAIL = (
    ", Received response - <APIResponse [200 OK] "
    "type=<class 'openai.types.chat.chat_completion.ChatCompletion'>>"
    ", Type of response - <class 'openai._legacy_response.LegacyAPIResponse'>"
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


def _json_error(text: str) -> Optional[str]:
    """The text of Python's JSONDecodeError for ``text``, or None when it parses."""
    try:
        json.loads(text)
    except ValueError as exc:
        return str(exc)
    return None


def _sdk_body(raw: Optional[str]) -> Any:
    """The openai SDK's ``body``: the parsed JSON's ``error`` member (or the object), else the text."""
    text = (raw or "").strip()
    try:
        parsed = json.loads(text)
    except ValueError:
        return text or None
    return parsed.get("error", parsed) if isinstance(parsed, dict) else parsed


def _rate_limit_phrase(text: str, status: int) -> bool:
    # Only to know which litellm branch raised a RateLimitError (its phrase branch omits
    # litellm_debug_info); the class itself was chosen by core/src/classify/.
    if re.search(r"\b429\b", text) and status == 429:
        return True
    lower = text.lower()
    return bool(re.search(r"rate[\s_\-]*limit", lower)) or "service tier capacity exceeded" in lower


def _json_typed(headers: dict) -> bool:
    """Whether a reply declares JSON (or declares nothing), as the openai SDK decides how to parse it."""
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), None)
    return content_type is None or "json" in content_type.lower()


def _message(info: dict, family: str, label: str) -> str:
    """litellm's constructor message; rebuilt here where it quotes Python's own error text."""
    kind = info.get("kind")
    message = str(info.get("message") or "")
    if kind == "decode" and family == _COHERE:
        # litellm's Cohere embedding route re-raises the JSON error itself; chat quotes the body.
        if info.get("route") == "embedding":
            return _json_error(info.get("body") or "") or message
        return message
    if kind == "status" and family == _SDK and info.get("route") == "embedding":
        # litellm's openai embedding path re-raises the SDK error by its str(), which starts with
        # "Error code: N - "; the chat path does not. Same class and provider text otherwise.
        head, sep, tail = message.partition(f"{label} - ")
        if sep:
            return f"{head}{sep}Error code: {info.get('status_code')} - {tail}"
        return message
    if kind == "status" and label == "AnthropicException" and info.get("stream"):
        # litellm's anthropic stream handler quotes the error reply as Python bytes (`b'...'`)
        body = str(info.get("body") or "")
        return message.replace(body, repr(body.encode()), 1) if body else message
    if kind == "decode" and label == "AnthropicException":
        detail = _json_error(info.get("body") or "")
        if detail is None:
            return message
        body = info.get("body") or ""
        return f"{label} - Unable to get json response - {detail}, Original Response: {body}"
    if kind == "decode" and family == _GEMINI:
        # litellm quotes the json module's own error for a reply that does not parse.
        detail = _json_error(info.get("body") or "")
        if detail is None:
            return message
        return (
            f"{label} - Error converting to valid response block={detail}. "
            "File an issue if litellm error - https://github.com/BerriAI/litellm/issues"
        )
    if kind == "decode":
        if family == _SDK and not _json_typed(info.get("headers") or {}):
            # The openai SDK hands back a non-JSON reply as text, which litellm then rejects.
            received = info.get("body") or ""
            return (
                f"InternalServerError: {label} - Empty or invalid response from LLM endpoint. "
                f"Received: {received!r}. Check the reverse proxy or model server configuration."
            )
        detail = _json_error(info.get("body") or "")
        if detail is None:
            return message
        if family == _OLLAMA:  # the transformation's json() fails: APIConnectionError quoting it
            return detail
        body = info.get("body") or ""
        if family == _SDK:
            if info.get("awaited") or info.get("route") == "embedding":
                # Only the sync chat request wraps the decode error in "error - ..., Received response".
                return f"InternalServerError: {label} - {detail}"
            return f"InternalServerError: {label} - error - {detail}{_SDK_DECODE_TAIL}"
        if family == _AZURE:
            if _azure_async_embedding(info):
                return f"AzureException APIError - Failed to parse raw Azure embedding response: {detail}"
            return f"AzureException APIError - {detail}"
        if info.get("class") == "APIConnectionError":  # mistral and groq parse in their own transformer
            return f"APIConnectionError: {label} - {detail}"
        prefix = "" if family == _HUGGINGFACE else "APIError: "
        return f"{prefix}{label} - Unable to get json response - {detail}, Original Response: {body}"
    if kind == "stream_event" and family == _OLLAMA:
        line = str(info.get("body") or "")
        detail = _json_error(line)
        if detail is not None:  # the generate iterator's RuntimeError over a line that is not JSON
            return f"Error parsing chunk: {detail},\nReceived chunk: {line}"
        return message
    if kind == "timeout" and _awaited_chat_request(info, family):
        # litellm's async openai-SDK chat request appends what it waited to the SDK error's message
        # (`except APITimeoutError` in llms/openai/openai.py and llms/azure/azure.py); openai's stream
        # path quotes the error's str() instead, which does not carry it. Embeddings never do.
        waited = round(float(info.get("elapsed") or 0.0), 2)
        return f"{message} - timeout value={info.get('timeout_shown')}, time taken={waited} seconds"
    if kind == "timeout" and info.get("iterating") and family not in (_SDK, _AZURE):
        # A read timeout while iterating a stream on litellm's own HTTP routes: httpx's
        # ReadTimeout, mapped by the stream wrapper with httpx's text for it (httpcore's sync and
        # anyio-backed async transports word it differently).
        said = "timed out" if info["iterating"] == "sync" else "Timeout on reading data from socket"
        return f"APITimeoutError - Request timed out. Error_str: {said}"
    if kind == "timeout" and label == "AnthropicException" and info.get("stream"):
        message = message.removeprefix(f"{label} - litellm.Timeout: ")  # its stream handler words it so
    if kind == "timeout" and family not in (_SDK, _AZURE):
        timeout, elapsed = info.get("timeout"), info.get("elapsed")
        if timeout is not None and elapsed is not None:
            return f"{message} Timeout passed={timeout}, time taken={round(float(elapsed), 3)} seconds"
        return message
    if kind in ("connect", "transport") and family not in (_SDK, _AZURE):
        errno = info.get("errno")
        if isinstance(errno, int):
            cause = f"[Errno {errno}] {os.strerror(errno)}"
            if label == "AnthropicException":  # mapped as a 500 reply quoting the OS error
                return f"{label} - {cause}. Handle with `litellm.InternalServerError`."
            return {
                _COMPAT: f"InternalServerError: {label} - {cause}",
                _OPENROUTER: f"APIConnectionError: {label} - {cause}",
            }.get(family, f"{label} - {cause}")
    return message


_OLLAMA_PHRASES = (
    "no such file or directory",
    "Failed to establish a new connection",
    "Invalid response object from API",
    "Read timed out",
)


def _ollama_phrase_branch(info: dict) -> bool:
    """Whether litellm's Ollama mapper answered from its phrase rules (a timeout, or the reply's body)."""
    if info.get("kind") == "timeout":
        return True
    body = str(info.get("body") or "")
    return info.get("kind") == "status" and any(p in body for p in _OLLAMA_PHRASES)


def _awaited_chat_request(info: dict, family: str) -> bool:
    if not info.get("awaited") or info.get("route") != "chat":
        return False
    return family == _AZURE or (family == _SDK and not info.get("stream"))


def _azure_async_embedding(info: dict) -> bool:
    """A JSON-typed Azure embedding reply that did not parse, awaited: litellm's async Azure embedding
    raises its own ``AzureOpenAIError`` with the reply's (2xx) status, where the sync path reports 500."""
    return (
        bool(info.get("awaited"))
        and info.get("route") == "embedding"
        and info.get("kind") == "decode"
        and _json_typed(info.get("headers") or {})
    )


def from_core(
    info: dict,
    *,
    model: str,
    llm_provider: str,
    api_base: Optional[str],
    messages: Optional[list],
    max_retries: Optional[int],
    num_retries: Optional[int],
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
    raw = info.get("body")
    headers = httpx.Headers(info.get("headers") or {})
    # No secret of a URL (userinfo, `key=` values) reaches a message (issue 12, item 3).
    message = _core.redact_text(_message(info, family, label))
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
