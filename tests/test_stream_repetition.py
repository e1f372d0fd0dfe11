"""litellm's stream loop guard (its issue 5158): ``REPEATED_STREAMING_CHUNK_LIMIT`` (100) chunks in a
row with the same content of over two characters end the stream with a 500 ``InternalServerError``
wrapped in ``MidStreamFallbackError``, after the chunks before it were handed out. Found by the fault
matrix (a 50 MB stream of identical 64 KB events); compared here with litellm on the same replies."""

from __future__ import annotations

from typing import Any, List, Tuple

import pytest

import edgequake
from tests import payloads
from tests.loopback import LoopbackServer, Reply, sse


def _stream(module: Any, server: LoopbackServer, pieces: List[str]) -> Tuple[int, Any]:
    server.enqueue(Reply(events=sse(*payloads.text_stream(*pieces))))
    got = 0
    try:
        for _ in module.completion(
            model="openai/gpt-4o-mini",
            messages=payloads.USER,
            api_key="k",
            api_base=server.url + "/v1",
            stream=True,
        ):
            got += 1
    except Exception as exc:  # the outcome compared
        return got, exc
    return got, None


def _describe(exc: Any) -> Any:
    if exc is None:
        return None
    inner = exc.original_exception
    return (
        type(exc).__name__,
        exc.status_code,
        str(exc),
        type(inner).__name__,
        inner.status_code,
        exc.generated_content == "abc" * 100,
    )


@pytest.mark.parametrize(
    "pieces",
    [
        ["abc"] * 101,  # trips the guard
        ["abc"] * 100,  # one short of it
        ["ab"] * 150,  # two characters are never a loop
        ["abc", "abd"] * 80,  # alternating
    ],
    ids=["101-same", "100-same", "short", "alternating"],
)
def test_repeated_chunks_end_the_stream_as_in_litellm(server: LoopbackServer, pieces: List[str]) -> None:
    litellm = pytest.importorskip("litellm")
    litellm.suppress_debug_info = True
    got, exc = _stream(edgequake, server, pieces)
    want, ref = _stream(litellm, server, pieces)
    assert got == want
    assert _describe(exc) == _describe(ref)
    if pieces == ["abc"] * 101:
        assert isinstance(exc, edgequake.MidStreamFallbackError)


def test_the_limit_is_litellms_module_setting(server: LoopbackServer, monkeypatch: Any) -> None:
    monkeypatch.setattr(edgequake, "REPEATED_STREAMING_CHUNK_LIMIT", 5)
    _, exc = _stream(edgequake, server, ["abc"] * 10)
    assert isinstance(exc, edgequake.MidStreamFallbackError)
    assert "The model is repeating the same chunk = abc." in str(exc)
