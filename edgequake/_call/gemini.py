"""How litellm runs a ``gemini/`` call, where it differs from the OpenAI-wire routes.

litellm streams Gemini through its Vertex handler (``vertex_ai_beta``), which opens the HTTP stream
lazily: a reply that refuses the stream (401, 400 "API key not valid", 5xx, a refused connection) is
raised by the first ``next()``, not by ``completion()``, under ``vertex_ai_beta`` and with the body
quoted as Python bytes. ``deferred_failure`` reproduces that: the core's failure to open becomes a
stream whose first read raises it, classified as litellm's stream path classifies it
(``core/src/wire/gemini/errors.rs``) and, as litellm's stream wrapper does, wrapped in
``MidStreamFallbackError`` unless it is a client error or a timeout.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Tuple

from edgequake import _core

__all__ = ["STREAM_PROVIDER", "TIMEOUT_SHOWN", "deferred_failure", "missing_key", "stream_error_mapper"]

# The provider litellm's stream handler names in Gemini stream errors.
STREAM_PROVIDER = "vertex_ai_beta"
# (llm_provider, model) of the Timeout litellm's httpx handler raises itself, stream or not.
TIMEOUT_SHOWN: Tuple[str, str] = ("litellm-httpx-handler", "default-model-name")


class _FailingStream:
    """A core stream stand-in whose reads raise the (already mapped) failure that opened it."""

    def __init__(self, error: BaseException, headers: Dict[str, str]) -> None:
        self._error = error
        self.headers = headers

    def next(self) -> Any:
        raise self._error

    def next_async(self, loop: Any, callback: Callable[[bool, Any], None]) -> Any:
        loop.call_soon(callback, False, self._error)
        return self

    def cancel(self) -> None:
        """The handle ``await_core`` cancels: nothing is in flight."""

    def close(self) -> None:
        """Nothing to close: no connection was kept."""


def deferred_failure(call: Any, exc: Any) -> _FailingStream:
    """The stream litellm hands back for a Gemini stream that could not open (see the module doc)."""
    info = dict(exc.args[0]) if exc.args and isinstance(exc.args[0], dict) else {}
    if info.get("kind") == "status":
        cls_name, status, message = _core.gemini_stream_failure(
            int(info.get("status_code") or 500), str(info.get("body") or "")
        )
        info.update({"class": cls_name, "status_code": status, "message": message})
    mapped = call.error(_core.CoreError(info), llm_provider=STREAM_PROVIDER)
    code = getattr(mapped, "status_code", None)
    client_error = isinstance(code, int) and 400 <= code < 500 and code != 429
    if not client_error:
        from edgequake import exceptions

        mapped = exceptions.MidStreamFallbackError(
            message=str(mapped),
            model=call.requested_model,
            llm_provider=STREAM_PROVIDER,
            original_exception=mapped,
            generated_content="",
            is_pre_first_chunk=True,
        )
    headers = info.get("headers") or {}
    return _FailingStream(mapped, dict(headers) if isinstance(headers, dict) else {})


def missing_key(model: str) -> BaseException:
    """What litellm raises, before any request, for a gemini call without a key (call argument,
    ``GOOGLE_API_KEY``/``GEMINI_API_KEY``/``PALM_API_KEY``, ``api_key`` global)."""
    from edgequake import exceptions

    return exceptions.APIConnectionError(  # type: ignore[no-any-return]
        message="Missing Gemini API key. Set the GEMINI_API_KEY or GOOGLE_API_KEY environment variable.",
        llm_provider="gemini",
        model=model,
    )


def stream_error_mapper(call: Any) -> Callable[..., BaseException]:
    """The stream wrapper's error mapping: litellm names Gemini stream errors ``vertex_ai_beta``."""

    def map_error(exc: BaseException, **options: Any) -> BaseException:
        return call.error(exc, llm_provider=STREAM_PROVIDER, **options)  # type: ignore[no-any-return]

    return map_error
