"""Secrets never leave for another host and never reach an error or a log (issue 12, item 3).

A canary key sits in every credential slot (``api_key=``, the provider's env var, ``edgequake.api_key``,
``extra_headers``, userinfo and ``?key=`` in ``api_base``). A redirect to another origin (a second
loopback server: another port is another origin) must reach it without the canary in any header or
in the URL; every exception attribute and every DEBUG log record must be free of it.

Measured against litellm 1.110.2: it follows redirects (the openai SDK's httpx client and its own
handler); on a hop to another origin httpx drops ``Authorization`` and the openai SDK's Azure client
drops ``api-key``, within the origin everything is kept. edgequake does the same and drops every
credential (also ``x-api-key``-style headers and ``key=`` query values, which httpx would forward).
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from typing import Any, Dict, Iterator

import pytest

import edgequake
from tests import payloads
from tests.loopback import LoopbackServer, Reply

CANARY = "sk-CANARY-1234"

# provider -> (model, api_base suffix, the env var that holds its key, extra call arguments)
ROUTES: Dict[str, Any] = {
    "openai": ("openai/gpt-4o-mini", "/v1", "OPENAI_API_KEY", {}),
    "azure": ("azure/dep", "", "AZURE_API_KEY", {"api_version": "2024-02-01"}),
    "groq": ("groq/llama-3.1-8b-instant", "/v1", "GROQ_API_KEY", {}),
    "mistral": ("mistral/mistral-small", "/v1", "MISTRAL_API_KEY", {}),
}


@pytest.fixture
def other() -> Iterator[LoopbackServer]:
    srv = LoopbackServer().start()
    yield srv
    srv.stop()


def _call(provider: str, base: str, *, aio: bool = False, **kw: Any) -> Any:
    model, _suffix, _env, extra = ROUTES[provider]
    args: Dict[str, Any] = {"model": model, "messages": payloads.USER, "api_base": base, "max_retries": 0}
    args.update(extra)
    args.update(kw)
    if aio:
        return asyncio.run(edgequake.acompletion(**args))
    return edgequake.completion(**args)


def _no_canary_in(srv: LoopbackServer) -> None:
    assert srv.seen, "the redirect was not followed"
    for seen in srv.seen:
        assert CANARY not in seen.path, seen.path
        leaked = {k: v for k, v in seen.headers.items() if CANARY in v or CANARY in k}
        assert not leaked, leaked


@pytest.mark.parametrize("aio", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("status", [307, 302])
@pytest.mark.parametrize("provider", ["openai", "azure", "groq"])
def test_a_redirect_to_another_origin_carries_no_credential(
    server: LoopbackServer, other: LoopbackServer, provider: str, status: int, aio: bool
) -> None:
    _model, suffix, _env, _extra = ROUTES[provider]
    server.enqueue(
        # Within the origin first: followed with every header, as httpx does.
        Reply(status=307, headers={"location": server.url + suffix + "/moved/chat/completions"}),
        # Then away; the Location itself carries a key, which must not go along either.
        Reply(status=status, headers={"location": f"{other.url}/v1/chat/completions?key={CANARY}&n=1"}),
    )
    other.enqueue(Reply(body=payloads.chat("hi")))
    resp = _call(
        provider,
        server.url + suffix,
        aio=aio,
        api_key=CANARY,
        extra_headers={"x-api-key": CANARY, "x-goog-api-key": CANARY, "x-trace": "kept"},
    )
    assert resp.choices[0].message.content == "hi"
    assert len(server.seen) == 2
    assert server.seen[1].path.endswith("/moved/chat/completions")
    assert CANARY in str(server.seen[1].headers)  # same origin, same headers
    _no_canary_in(other)
    hop = other.seen[0]
    assert hop.method == ("POST" if status == 307 else "GET")  # httpx's method rules, as litellm
    assert hop.path == "/v1/chat/completions?n=1"
    assert hop.headers.get("x-trace") == "kept"  # only credentials are dropped


@pytest.mark.parametrize("source", ["AZURE_API_KEY", "AZURE_OPENAI_API_KEY", "edgequake.api_key"])
def test_keys_from_env_and_globals_stay_home(
    server: LoopbackServer, other: LoopbackServer, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    # Azure's `api-key` header is the one reqwest itself would forward (it strips `authorization`).
    if source == "edgequake.api_key":
        monkeypatch.setattr(edgequake, "api_key", CANARY)
    else:
        monkeypatch.setenv(source, CANARY)
    server.enqueue(Reply(status=307, headers={"location": other.url + "/v1/chat/completions"}))
    other.enqueue(Reply(body=payloads.chat("hi")))
    _call("azure", server.url)
    assert server.seen[0].headers.get("api-key") == CANARY  # sent, to its own origin
    _no_canary_in(other)


@pytest.fixture
def not_http() -> Iterator[str]:
    """A server that answers with bytes that are no HTTP: reqwest's error then names the URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                try:
                    conn.recv(65536)
                    conn.sendall(b"NOT HTTP\r\n\r\n")
                except OSError:
                    pass

    threading.Thread(target=serve, daemon=True).start()
    yield f"127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


def _exception_text(exc: BaseException) -> Dict[str, str]:
    parts = {
        "str": str(exc),
        "repr": repr(exc),
        "message": str(getattr(exc, "message", "")),
        "litellm_debug_info": str(getattr(exc, "litellm_debug_info", "")),
        "args": repr(exc.args),
    }
    for name in ("request", "response"):
        try:
            obj = getattr(exc, name)
            url = obj.url if name == "request" else obj.request.url
        except Exception:  # not every class carries one
            continue
        parts[f"{name}.url"] = str(url)
    return parts


def _assert_clean(exc: BaseException, caplog: pytest.LogCaptureFixture) -> None:
    leaks = {k: v for k, v in _exception_text(exc).items() if CANARY in v}
    assert not leaks, leaks
    logged = [r.getMessage() for r in caplog.records if CANARY in r.getMessage()]
    assert not logged, logged


@pytest.mark.parametrize("aio", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("provider", sorted(ROUTES))
def test_errors_and_logs_carry_no_secret_of_the_url(
    server: LoopbackServer,
    not_http: str,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    provider: str,
    aio: bool,
) -> None:
    caplog.set_level(logging.DEBUG)
    _model, suffix, env, _extra = ROUTES[provider]
    monkeypatch.setenv(env, CANARY)
    monkeypatch.setattr(edgequake, "api_key", CANARY)
    host = server.url.split("://", 1)[1]
    tail = f"{suffix}?key={CANARY}&api-version=1"
    # A status reply: the exception carries the request it answered.
    replies = [(400, {"error": {"message": "bad"}}), (401, {"error": {"message": "no"}}), (500, "oops")]
    for status, body in replies:
        server.enqueue(Reply(status=status, body=body))
        with pytest.raises(Exception) as info:
            _call(provider, f"http://user:{CANARY}@{host}{tail}", aio=aio, api_key=CANARY)
        _assert_clean(info.value, caplog)
        assert server.seen[-1].path.count("REDACTED") == 0  # the provider itself gets what was asked
    # A transport failure: reqwest's own text names the URL.
    with pytest.raises(Exception) as info:
        _call(provider, f"http://user:{CANARY}@{not_http}{tail}", aio=aio, api_key=CANARY)
    _assert_clean(info.value, caplog)
    if "?key=" in str(info.value):
        assert "key=REDACTED" in str(info.value)  # the name stays, the value goes


def test_redaction_rules() -> None:
    from edgequake import _core

    assert _core.redact_url(f"https://u:{CANARY}@h:1/v1?api-version=2&key={CANARY}") == (
        "https://h:1/v1?api-version=2&key=REDACTED"
    )
    for name in ("key", "api_key", "api-key", "token", "access_token", "sig", "x-goog-api-key"):
        assert _core.redact_url(f"http://h/?{name}={CANARY}") == f"http://h/?{name}=REDACTED"
    text = f"failed (http://h/v1?key={CANARY}/chat): x"
    assert _core.redact_text(text) == "failed (http://h/v1?key=REDACTED): x"
