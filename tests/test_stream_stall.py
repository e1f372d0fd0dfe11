"""A stream that stalls after its first chunk fails with litellm's exception for it (issue 12, item 7),
as measured against litellm 1.110.2 with ``tools/measure_stream_stall.py``: on the openai-SDK routes a
408 ``Timeout`` raised as it is; on litellm's own HTTP routes a ``MidStreamFallbackError`` around a
``Timeout`` worded as httpx words a read timeout in that iteration mode."""

from __future__ import annotations

import asyncio
from typing import Any, List

import pytest

import edgequake
from tests import payloads
from tests.loopback import LoopbackServer, Reply, sse


def _stalling(server: LoopbackServer) -> None:
    # The first chunk, then nothing: the client's read timeout (0.5 s) has to end the call.
    server.enqueue(Reply(events=sse(*payloads.text_stream("a", "b")), hold_after=1))


def _kwargs(server: LoopbackServer, provider: str) -> dict:
    extra = {"api_version": "2024-10-21"} if provider == "azure" else {}
    return {
        "model": f"{provider}/gpt-4o",
        "messages": payloads.USER,
        "api_key": "k",
        "api_base": server.url + "/v1",
        "stream": True,
        "timeout": 0.5,
        "max_retries": 0,
        **extra,
    }


def _consume_sync(server: LoopbackServer, provider: str) -> List[Any]:
    got: List[Any] = []
    for chunk in edgequake.completion(**_kwargs(server, provider)):
        got.append(chunk)
    return got


def _consume_async(server: LoopbackServer, provider: str) -> List[Any]:
    async def main() -> List[Any]:
        stream = await edgequake.acompletion(**_kwargs(server, provider))
        return [chunk async for chunk in stream]

    return asyncio.run(main())


SDK_TEXT = "litellm.Timeout: APITimeoutError - Request timed out. Error_str: Request timed out."


@pytest.mark.parametrize("provider", ["openai", "azure", "cerebras"])
@pytest.mark.parametrize("consume", [_consume_sync, _consume_async])
def test_sdk_routes_raise_the_timeout_itself(server: LoopbackServer, provider: str, consume: Any) -> None:
    _stalling(server)
    with pytest.raises(edgequake.Timeout) as caught:
        consume(server, provider)
    assert type(caught.value).__name__ == "Timeout"
    assert caught.value.status_code == 408
    assert str(caught.value) == SDK_TEXT
    assert caught.value.llm_provider == provider


@pytest.mark.parametrize("provider", ["groq", "mistral", "openrouter", "xai"])
@pytest.mark.parametrize(
    ("consume", "said"),
    [(_consume_sync, "timed out"), (_consume_async, "Timeout on reading data from socket")],
)
def test_own_http_routes_wrap_it_for_fallback(
    server: LoopbackServer, provider: str, consume: Any, said: str
) -> None:
    _stalling(server)
    with pytest.raises(edgequake.MidStreamFallbackError) as caught:
        consume(server, provider)
    inner = f"litellm.Timeout: APITimeoutError - Request timed out. Error_str: {said}"
    expected = f"litellm.MidStreamFallbackError: {inner} Original exception: Timeout: {inner}"
    assert str(caught.value) == expected
    assert caught.value.status_code == 408
    assert isinstance(caught.value.original_exception, edgequake.Timeout)
    assert caught.value.generated_content == ""  # the first chunk carried the role only
