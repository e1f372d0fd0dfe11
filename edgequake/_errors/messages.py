"""The message litellm gives a failure where Python must rebuild it: the json module's decode
errors, ``[Errno N]`` texts, httpx's timeout wording, and each route family's own wording (split out
of ``edgequake._errors.from_core``, which builds the exception around it).
"""

from __future__ import annotations

import json
import os
import re
from typing import Any, Optional

from edgequake._errors.families import (
    _AZURE,
    _COHERE,
    _COMPAT,
    _GEMINI,
    _HUGGINGFACE,
    _OLLAMA,
    _OPENROUTER,
    _SDK,
    _SDK_DECODE_TAIL,
)


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
    if info.get("route") == "responses" and kind in ("status", "decode", "error_body"):
        return message  # litellm's Responses handler quotes the reply as is (core classify_responses)
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
