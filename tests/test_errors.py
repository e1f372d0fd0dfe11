"""Failures through the real core: each status becomes litellm's exception class with its attributes,
retries follow litellm's defaults (openai/azure: two retries honouring retry-after; others: none),
timeouts and refused connections are classified, and bad arguments fail before any I/O."""

from __future__ import annotations

import socket
import time

import openai
import pytest

import edgequake
from tests import payloads
from tests.loopback import LoopbackServer, Reply


def _call(server: LoopbackServer, **kw: object) -> object:
    args = {
        "model": "openai/gpt-4o-mini",
        "messages": payloads.USER,
        "api_key": "sk-secret-value",
        "api_base": server.url + "/v1",
        "max_retries": 0,
    }
    args.update(kw)
    return edgequake.completion(**args)


STATUS_CASES = [
    (
        400,
        payloads.error(
            "This model's maximum context length is 128000 tokens.", code="context_length_exceeded"
        ),
        "ContextWindowExceededError",
        openai.BadRequestError,
    ),
    (400, payloads.error("Invalid value for 'temperature'"), "BadRequestError", openai.BadRequestError),
    (
        401,
        payloads.error("Incorrect API key provided", code="invalid_api_key"),
        "AuthenticationError",
        openai.AuthenticationError,
    ),
    (
        404,
        payloads.error("The model does not exist", code="model_not_found"),
        "NotFoundError",
        openai.NotFoundError,
    ),
    (422, payloads.error("Unprocessable"), "UnprocessableEntityError", openai.APIStatusError),
    (
        429,
        payloads.error("Rate limit reached", type_="requests", code="rate_limit_exceeded"),
        "RateLimitError",
        openai.RateLimitError,
    ),
    (
        500,
        payloads.error("The server had an error", type_="server_error"),
        "InternalServerError",
        openai.InternalServerError,
    ),
    (502, "<html><body>502 Bad Gateway</body></html>", "BadGatewayError", openai.APIStatusError),
    (
        503,
        "upstream connect error or disconnect/reset before headers",
        "ServiceUnavailableError",
        openai.APIStatusError,
    ),
    (529, payloads.error("Overloaded"), "APIError", openai.APIError),
]


@pytest.mark.parametrize(
    ("status", "body", "cls_name", "openai_base"), STATUS_CASES, ids=[f"{c[0]}-{c[2]}" for c in STATUS_CASES]
)
def test_status_maps_to_litellm_class(
    server: LoopbackServer, status: int, body: object, cls_name: str, openai_base: type
) -> None:
    headers = {} if isinstance(body, dict) else {"content-type": "text/plain"}
    server.enqueue(Reply(status=status, body=body, headers=headers))
    with pytest.raises(Exception) as info:
        _call(server)
    exc = info.value
    if cls_name != "UnprocessableEntityError":  # litellm maps 422 on this route to BadRequestError(422)
        assert type(exc).__name__ == cls_name
    assert isinstance(exc, openai_base), "users' `except openai.X` must keep catching it"
    assert isinstance(exc, getattr(edgequake, type(exc).__name__))
    assert exc.status_code == status or (status == 422 and exc.status_code == 422)
    assert exc.llm_provider == "openai"
    assert exc.model == "gpt-4o-mini"
    assert str(exc).startswith(f"litellm.{type(exc).__name__}: ")
    assert "sk-secret-value" not in str(exc) and "sk-secret-value" not in repr(exc.__dict__)


def test_openai_route_retries_twice_by_default_honouring_retry_after(server: LoopbackServer) -> None:
    limited = payloads.error("Rate limit reached", type_="requests", code="rate_limit_exceeded")
    server.enqueue(
        Reply(status=429, body=limited, headers={"retry-after": "0.05"}),
        Reply(status=429, body=limited, headers={"retry-after-ms": "50"}),
        Reply(body=payloads.chat()),
    )
    resp = _call(server, max_retries=None)
    assert resp.choices[0].message.content == "Hello there!"
    assert len(server.seen) == 3


def test_retries_are_bounded(server: LoopbackServer) -> None:
    server.enqueue(*[Reply(status=500, body=payloads.error("boom"), headers={"retry-after": "0.01"})] * 3)
    with pytest.raises(edgequake.exceptions.InternalServerError):
        _call(server, max_retries=None)
    assert len(server.seen) == 3


def test_other_providers_do_not_retry_by_default(server: LoopbackServer) -> None:
    server.enqueue(Reply(status=429, body=payloads.error("slow down", type_="requests")))
    with pytest.raises(edgequake.exceptions.RateLimitError) as info:
        edgequake.completion(
            model="groq/llama-3.1-8b-instant",
            messages=payloads.USER,
            api_key="k",
            api_base=server.url + "/openai/v1",
        )
    assert len(server.seen) == 1
    assert info.value.llm_provider == "groq"


def test_num_retries_retries_any_provider(server: LoopbackServer) -> None:
    server.enqueue(
        Reply(status=503, body="busy", headers={"retry-after": "0.01"}), Reply(body=payloads.chat())
    )
    resp = edgequake.completion(
        model="xai/grok-3", messages=payloads.USER, api_key="k", api_base=server.url + "/v1", num_retries=1
    )
    assert resp.choices[0].message.content == "Hello there!"
    assert len(server.seen) == 2


def test_read_timeout(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=payloads.chat(), delay=2.0))
    started = time.monotonic()
    with pytest.raises(edgequake.exceptions.Timeout) as info:
        _call(server, timeout=0.3)
    assert time.monotonic() - started < 1.9
    assert isinstance(info.value, openai.APITimeoutError)
    assert info.value.status_code == 408


def test_stream_read_timeout_between_chunks(server: LoopbackServer) -> None:
    reply = Reply(events=[f'{{"x": {i}}}' for i in range(3)], hold_after=1)
    server.enqueue(reply)
    stream = _call(server, stream=True, timeout=0.3)
    # openai's route raises the SDK's timeout as litellm's Timeout, unwrapped (tests/test_stream_stall.py)
    with pytest.raises(edgequake.exceptions.Timeout) as info:
        list(stream)
    assert type(info.value).__name__ == "Timeout" and info.value.status_code == 408
    reply.release.set()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_connection_refused() -> None:
    port = _free_port()
    with pytest.raises(openai.APIError) as info:
        edgequake.completion(
            model="openai/gpt-4o-mini",
            messages=payloads.USER,
            api_key="k",
            api_base=f"http://127.0.0.1:{port}/v1",
            max_retries=0,
        )
    assert type(info.value).__name__ in ("InternalServerError", "APIConnectionError")
    with pytest.raises(openai.APIError) as info:
        edgequake.completion(
            model="groq/llama",
            messages=payloads.USER,
            api_key="k",
            api_base=f"http://127.0.0.1:{port}/openai/v1",
        )
    assert "Connection refused" in str(info.value)


def test_malformed_json_on_200(server: LoopbackServer) -> None:
    server.enqueue(
        Reply(
            body='{"id": "chatcmpl-x", "choices": [ this is not json',
            headers={"content-type": "application/json"},
        )
    )
    with pytest.raises(openai.APIError) as info:
        _call(server)
    assert type(info.value).__name__ == "InternalServerError"


def test_empty_body_on_200(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=b""))
    with pytest.raises(openai.APIError):
        _call(server)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"timeout": -1}, openai.InternalServerError),
        ({"timeout": "soon"}, openai.APIConnectionError),
        ({"max_retries": -2}, openai.InternalServerError),
        ({"extra_headers": {"bad header": "x"}}, openai.BadRequestError),
        ({"messages": "hi"}, openai.BadRequestError),
        ({"model": "not-a-known-model"}, openai.BadRequestError),
        ({"model": "azure/dep", "api_base": None}, openai.BadRequestError),
    ],
    ids=[
        "negative-timeout",
        "text-timeout",
        "negative-retries",
        "bad-header",
        "messages-not-list",
        "unknown-model",
        "azure-without-base",
    ],
)
def test_bad_arguments_fail_before_any_io(server: LoopbackServer, kwargs: dict, error: type) -> None:
    with pytest.raises(error):
        _call(server, **kwargs)
    assert server.seen == []


def test_unserialisable_message_is_a_clear_error(server: LoopbackServer) -> None:
    with pytest.raises(openai.APIConnectionError, match="'object' object is not iterable"):
        _call(server, messages=[{"role": "user", "content": object()}])
    assert server.seen == []


def test_async_errors_raise_the_same_classes(server: LoopbackServer) -> None:
    import asyncio

    server.enqueue(Reply(status=401, body=payloads.error("Incorrect API key provided")))

    async def main() -> None:
        await edgequake.acompletion(
            model="openai/gpt-4o-mini", messages=payloads.USER, api_key="k", api_base=server.url + "/v1"
        )

    with pytest.raises(edgequake.exceptions.AuthenticationError):
        asyncio.run(main())


def test_embedding_errors_keep_the_sdk_prefix_as_litellm_does(server: LoopbackServer) -> None:
    server.enqueue(Reply(status=404, body=payloads.error("The model `nonexistent` does not exist")))
    with pytest.raises(edgequake.exceptions.NotFoundError) as info:
        edgequake.embedding(
            model="openai/nonexistent", input="x", api_key="k", api_base=server.url + "/v1", max_retries=0
        )
    assert str(info.value) == (
        "litellm.NotFoundError: NotFoundError: OpenAIException - Error code: 404 - "
        "The model `nonexistent` does not exist"
    )
