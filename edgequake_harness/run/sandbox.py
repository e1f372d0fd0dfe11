"""The sandbox a conformance run's targets run in: no real credential, no outside host.

Rating a package safely means it cannot spend the user's keys or reach a real provider, whatever it
does with the ``api_base`` and ``api_key`` the harness passes (a candidate that ignores them would send
recorded traffic to api.openai.com with the environment's keys). For the run:

* every credential-looking environment variable (``*_API_KEY``, ``*_TOKEN``, ``*_SECRET*``, AWS and
  Google credential variables) is replaced by a *canary*, a unique value that means nothing to any
  provider; a canary seen in a request a target sent is a leak of the environment's key;
* ``HTTP_PROXY``/``HTTPS_PROXY``/``ALL_PROXY`` point at a refusing proxy on loopback (``NO_PROXY`` keeps
  the replay server direct): httpx, requests, aiohttp with ``trust_env`` and reqwest (the Rust core)
  all honour them, so a connection to any other host is answered 403 and recorded;
* ``socket.getaddrinfo`` refuses names that are not loopback, for clients that resolve hosts
  themselves instead of using the proxy (recorded the same way).

Everything is put back on exit. A client built before the sandbox started (a connection pool that
read the proxy settings earlier in the process) keeps what it read: run the harness in a fresh
process for the guarantee (the CLI does).
"""

from __future__ import annotations

import os
import re
import socket
import threading
import uuid
from typing import Any, Dict, List, Optional

from edgequake_harness.replay.loopback import Connection, HTTPServer, Request

_CREDENTIAL = re.compile(
    r"(_API_KEY|_KEY|_TOKEN|_SECRET|_SECRET_KEY|_PASSWORD)$|^(AWS_|AZURE_CLIENT_SECRET|GOOGLE_APPLICATION_CREDENTIALS)",
    re.IGNORECASE,
)
_PROXY_NAMES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")
_NO_PROXY = "127.0.0.1,localhost,::1"
_LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "0.0.0.0", ""})


class _RefusingProxy(HTTPServer):
    """Answers every proxied request (``CONNECT host:port`` or an absolute URL) with 403, noting the host."""

    def __init__(self, record: Any) -> None:
        super().__init__(self._refuse)
        self._record = record

    def _refuse(self, request: Request, conn: Connection) -> None:
        self._record(f"{request.method} {request.target}")
        conn.respond(403, "Forbidden", [("content-type", "text/plain")], b"sandbox: no outside connections\n")


class Sandbox:
    """Use as a context manager around a run; ``take_outside()`` returns (and clears) what was dialled."""

    def __init__(self) -> None:
        self.canaries: Dict[str, str] = {}
        self._saved: Dict[str, Optional[str]] = {}
        self._outside: List[str] = []
        self._lock = threading.Lock()
        self._proxy: Optional[_RefusingProxy] = None
        self._getaddrinfo: Any = None

    # --- what targets did ---------------------------------------------------------------------

    def _note(self, what: str) -> None:
        with self._lock:
            self._outside.append(what)

    def take_outside(self) -> List[str]:
        with self._lock:
            taken, self._outside = self._outside, []
        return taken

    def leaked(self, text: str) -> List[str]:
        """The environment variables whose canary appears in ``text``."""
        return [name for name, canary in self.canaries.items() if canary in text]

    # --- lifetime -----------------------------------------------------------------------------

    def __enter__(self) -> Sandbox:
        for name, value in list(os.environ.items()):
            if value and _CREDENTIAL.search(name):
                self._set(name, f"canary-{uuid.uuid4().hex}")
                self.canaries[name] = os.environ[name]
        self._proxy = _RefusingProxy(self._note).start()
        for name in _PROXY_NAMES:
            self._set(name, self._proxy.url)
        for name in ("NO_PROXY", "no_proxy"):
            self._set(name, _NO_PROXY)
        self._getaddrinfo = socket.getaddrinfo
        socket.getaddrinfo = self._guarded_getaddrinfo  # type: ignore[assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        if self._getaddrinfo is not None:
            socket.getaddrinfo = self._getaddrinfo  # type: ignore[assignment]
            self._getaddrinfo = None
        if self._proxy is not None:
            self._proxy.stop()
            self._proxy = None
        for name, value in self._saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved.clear()

    def _set(self, name: str, value: str) -> None:
        self._saved.setdefault(name, os.environ.get(name))
        os.environ[name] = value

    def _guarded_getaddrinfo(self, host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host or "")
        if name not in _LOOPBACK_NAMES and not name.startswith("127."):
            self._note(f"resolve {name}")
            raise socket.gaierror(socket.EAI_NONAME, f"sandbox: {name} is outside the replay server")
        return self._getaddrinfo(host, *args, **kwargs)
