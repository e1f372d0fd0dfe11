"""Type stub for the native module built from core/ (private: use the edgequake API)."""

from typing import Any, Callable, Optional

__version__: str

class CoreError(Exception):
    """A classified wire failure; ``args[0]`` is its info dict (kind, class, status_code, message, ...)."""

class Handle:
    def cancel(self) -> None: ...
    def done(self) -> bool: ...

class Stream:
    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> dict[str, str]: ...
    def next(self) -> Optional[dict[str, Any]]: ...
    def next_async(self, event_loop: Any, callback: Callable[[bool, Any], None]) -> Handle: ...
    def close(self) -> None: ...

class Request:
    @property
    def url(self) -> str: ...
    def send(self) -> tuple[int, dict[str, str], Any]: ...
    def send_async(self, event_loop: Any, callback: Callable[[bool, Any], None]) -> Handle: ...
    def open_stream(self) -> Stream: ...
    def open_stream_async(self, event_loop: Any, callback: Callable[[bool, Any], None]) -> Handle: ...

def prepare(
    provider: str,
    route: str,
    model: str,
    body: Any,
    *,
    api_base: Optional[str] = None,
    api_key: Optional[str] = None,
    api_version: Optional[str] = None,
    azure_ad_token: Optional[str] = None,
    headers: Optional[dict[str, str]] = None,
    timeout: float = 600.0,
    max_retries: int = 0,
) -> Request: ...
def shutdown() -> None: ...
def redact_url(url: str) -> str:
    """``url`` without userinfo, credential-like query values replaced by ``REDACTED``."""

def redact_text(text: str) -> str:
    """Every URL inside ``text`` redacted as :func:`redact_url` does."""

def divert(origin: Optional[str]) -> None:
    """Sends every request to the loopback ``origin`` (``http://127.0.0.1:<port>``), its original URL
    in the ``x-edgequake-divert-url`` header; ``None`` turns it off. Any other origin: ValueError."""

def diverted() -> Optional[str]:
    """The loopback origin requests are diverted to, or None."""
