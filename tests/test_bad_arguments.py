"""Bad call arguments raise litellm 1.110.2's exceptions, never a bare Python error or a Rust panic.

Expected values are literals measured from litellm by ``tools/measure_bad_arguments.py`` (max_retries=0,
a loopback server answering a valid completion): litellm does not validate these arguments, httpx, the
openai SDK or ``json.dumps`` fail on them, and litellm wraps that failure in ``InternalServerError`` or
``APIConnectionError`` (both status 500). No request reaches the server.
"""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

import openai
import pytest

import edgequake
from tests import payloads
from tests.loopback import LoopbackServer

ROUTES = {"openai": ("/v1", "OpenAIException"), "groq": ("/openai/v1", "GroqException")}


def _cycle() -> List[Any]:
    msgs: List[Any] = [{"role": "user", "content": "hi"}]
    msgs[0]["extra"] = msgs
    return msgs


# (case, kwargs, class, message after "<Provider>Exception - " (a prefix), async model is the caller's)
CASES = [
    (
        "temperature-nan",
        {"temperature": float("nan")},
        "InternalServerError",
        "Out of range float values are not JSON compliant",
        True,
    ),
    (
        "lone-surrogate",
        {"messages": [{"role": "user", "content": "\ud800"}]},
        "InternalServerError",
        "'utf-8' codec can't encode character '\\ud800' in position ",
        True,
    ),
    ("timeout-negative", {"timeout": -1}, "InternalServerError", "Timeout value out of range", True),
    (
        "timeout-text",
        {"timeout": "abc"},
        "APIConnectionError",
        "could not convert string to float: 'abc'",
        False,
    ),
    (
        "timeout-huge",
        {"timeout": 1e20},
        "InternalServerError",
        "timestamp out of range for platform time_t",
        True,
    ),
    (
        "timeout-inf",
        {"timeout": float("inf")},
        "InternalServerError",
        "timestamp out of range for platform time_t",
        True,
    ),
    (
        "timeout-nan",
        {"timeout": float("nan")},
        "InternalServerError",
        "Invalid value NaN (not a number)",
        True,
    ),
    (
        "content-object",
        {"messages": [{"role": "user", "content": object()}]},
        "APIConnectionError",
        "'object' object is not iterable",
        False,
    ),
    ("messages-cycle", {"messages": _cycle()}, "InternalServerError", "Circular reference detected", True),
    (
        "content-bytes",
        {"messages": [{"role": "user", "content": b"hi"}]},
        "InternalServerError",
        "Object of type bytes is not JSON serializable",
        True,
    ),
]


def _kwargs(server: LoopbackServer, route: str, extra: Dict[str, Any]) -> Dict[str, Any]:
    kw: Dict[str, Any] = {
        "model": f"{route}/m",
        "messages": payloads.USER,
        "api_key": "sk-test",
        "api_base": server.url + ROUTES[route][0],
        "max_retries": 0,
    }
    kw.update(extra)
    return kw


def _check(exc: BaseException, cls: str, route: str, model: str, text: str) -> None:
    assert type(exc).__name__ == cls
    assert isinstance(exc, openai.APIError) and isinstance(exc, getattr(edgequake, cls))
    assert exc.status_code == 500
    assert exc.llm_provider == route
    assert exc.model == model
    assert str(exc).startswith(f"litellm.{cls}: {cls}: {ROUTES[route][1]} - {text}")


@pytest.mark.parametrize("route", list(ROUTES))
@pytest.mark.parametrize(
    ("extra", "cls", "text", "caller_model"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_argument_raises_litellms_class(
    server: LoopbackServer, route: str, extra: Dict[str, Any], cls: str, text: str, caller_model: bool
) -> None:
    with pytest.raises(Exception) as info:
        edgequake.completion(**_kwargs(server, route, extra))
    _check(info.value, cls, route, "m", text)
    with pytest.raises(Exception) as info:
        asyncio.run(edgequake.acompletion(**_kwargs(server, route, extra)))
    _check(info.value, cls, route, f"{route}/m" if caller_model else "m", text)
    assert server.seen == []


@pytest.mark.parametrize(
    ("route", "text"), [("openai", "Connection error."), ("groq", "[Errno 115] Operation now in progress")]
)
def test_zero_timeout_fails_as_the_http_client_does(server: LoopbackServer, route: str, text: str) -> None:
    with pytest.raises(Exception) as info:
        edgequake.completion(**_kwargs(server, route, {"timeout": 0}))
    _check(info.value, "InternalServerError", route, "m", text)
    assert server.seen == []


def test_negative_max_retries_is_the_openai_sdks_error(server: LoopbackServer) -> None:
    with pytest.raises(Exception) as info:
        edgequake.completion(**_kwargs(server, "openai", {"max_retries": -1}))
    _check(info.value, "InternalServerError", "openai", "m", "max_retries must be a non-negative integer")
    assert server.seen == []


@pytest.mark.parametrize(
    ("extra", "text"),
    [
        ({"timeout": 1e20}, "timestamp out of range for platform time_t"),
        ({"input": "\ud800"}, "'utf-8' codec can't encode character '\\ud800' in position "),
        ({"input": [object()]}, "Object of type object is not JSON serializable"),
    ],
    ids=["timeout-huge", "lone-surrogate", "object"],
)
def test_embedding_bad_argument(server: LoopbackServer, extra: Dict[str, Any], text: str) -> None:
    kw = {
        "model": "openai/m",
        "input": "hi",
        "api_key": "k",
        "api_base": server.url + "/v1",
        "max_retries": 0,
    }
    kw.update(extra)
    with pytest.raises(Exception) as info:
        edgequake.embedding(**kw)
    _check(info.value, "InternalServerError", "openai", "m", text)
    assert server.seen == []


@pytest.mark.parametrize("timeout", [1e20, float("inf"), float("nan"), -1.0, 0.0])
def test_core_rejects_an_unusable_timeout_without_panicking(timeout: float) -> None:
    from edgequake import _core

    with pytest.raises(ValueError, match="timeout must be a positive number of seconds"):
        _core.prepare(
            "openai", "chat", "m", {"model": "m"}, api_base="http://127.0.0.1:9/v1", timeout=timeout
        )
