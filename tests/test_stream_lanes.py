"""StreamShaper builds plain text pieces on a short path (``_text_piece``); every other chunk takes the
general one. Both must give the same chunks: generated upstream streams are shaped with the short
path on and off and compared whole (dumps, extras, hidden params, what the stream ends with)."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

hypothesis = pytest.importorskip("hypothesis")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from edgequake._shaping.stream import StreamShaper  # noqa: E402

# sdk routes, httpx routes (their parsers), and the two whose chunks carry the served model
PROVIDERS = [
    "openai", "azure", "openrouter", "groq", "xai", "mistral", "deepseek", "cerebras", "gemini", "ollama_chat"
]

_text = st.sampled_from(["", "a", "hello", " world", "ab"])
_delta = st.one_of(
    st.fixed_dictionaries({"content": _text}),
    st.fixed_dictionaries({"content": _text, "role": st.sampled_from(["assistant", None])}),
    st.fixed_dictionaries({"content": st.one_of(_text, st.none())}, optional={"refusal": st.none()}),
    st.fixed_dictionaries({"reasoning": _text}),
    st.just({}),
)
_choice = st.fixed_dictionaries(
    {"delta": _delta},
    optional={
        "index": st.sampled_from([0, 1]),
        "finish_reason": st.sampled_from([None, "stop", "length", ""]),
        "logprobs": st.sampled_from([None, {"content": []}]),
        "native": st.just(1),
    },
)
_top = st.fixed_dictionaries(
    {},
    optional={
        "id": st.sampled_from(["chatcmpl-1", "chatcmpl-2", None]),
        "object": st.just("chat.completion.chunk"),
        "created": st.just(1700000000),
        "model": st.sampled_from(["gpt-4o-mini-2024-07-18", "other", ""]),
        "system_fingerprint": st.sampled_from(["fp_1", None]),
        "service_tier": st.sampled_from(["default", None]),
        "obfuscation": st.just("xyz"),
        "x_groq": st.just({"id": "req"}),
        "citations": st.just(["https://example.com"]),
        "usage": st.sampled_from(
            [
                None,
                {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3},
                {"prompt_tokens": 1, "prompt_tokens_details": {"web_search_requests": 1}},
                {"prompt_tokens": 2, "prompt_tokens_details": {"cached_tokens": None}},
            ]
        ),
        "vertex_ai_grounding_metadata": st.just([]),
    },
)
# most chunks of a real stream are one choice with a piece of text: the short path's chunks
_piece = st.fixed_dictionaries(
    {
        "delta": st.fixed_dictionaries(
            {"content": st.sampled_from(["a", "hello", " world"])},
            optional={
                "provider_specific_fields": st.sampled_from([None, {"k": 1}]),
                "reasoning_content": st.sampled_from([None, "thought"]),
                "tool_calls": st.sampled_from(
                    [None, [], [{"id": "c", "type": "function", "function": {"name": "f", "arguments": ""}}]]
                ),
                "function_call": st.sampled_from([None, {"name": "f", "arguments": "{}"}]),
                "audio": st.sampled_from([None, {"id": "a"}]),
                "refusal": st.sampled_from([None, "no"]),
            },
        )
    },
    optional={"index": st.sampled_from([0, 1]), "logprobs": st.sampled_from([None, {"content": []}])},
)
_chunk = st.builds(
    lambda top, choices: {**top, "choices": choices},
    _top,
    st.one_of(
        st.lists(_piece, min_size=1, max_size=1),
        st.lists(_piece, min_size=1, max_size=1),
        st.lists(_choice, min_size=0, max_size=2),
    ),
)


def _shape(provider: str, raws: List[Dict[str, Any]], include_usage: bool, short: bool) -> List[Any]:
    shaper = StreamShaper(
        provider=provider,
        requested_model="gpt-4o-mini",
        include_usage=include_usage,
        api_base="http://127.0.0.1:1/v1",
        response_headers={"x-request-id": "req-1", "content-type": "text/event-stream"},
        messages=[{"role": "user", "content": "hi"}],
    )
    if not short:
        shaper._text_piece = lambda raw: None  # type: ignore[method-assign]
    out: List[Any] = []
    try:
        for raw in raws:
            out.extend(shaper.feed(raw))
        out.extend(shaper.finish())
    except Exception as exc:  # a chunk the route refuses, a truncated stream: the same on both paths
        out.append((type(exc).__name__, str(exc)))
    return [_view(c) for c in out]


def _view(chunk: Any) -> Any:
    if isinstance(chunk, tuple):
        return chunk
    hidden = {k: v for k, v in chunk._hidden_params.items() if k != "created_at"}
    dump = chunk.model_dump()
    dump["created"] = None  # the local clock, read once per stream
    if isinstance(dump.get("id"), str) and len(dump["id"]) > 30:  # a fresh chatcmpl-<uuid4> per chunk
        dump["id"] = "made up"
    return dump, sorted(chunk.model_fields_set), hidden


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    provider=st.sampled_from(PROVIDERS),
    raws=st.lists(_chunk, min_size=0, max_size=8),
    include_usage=st.booleans(),
)
def test_the_short_path_gives_the_chunks_the_general_one_gives(
    provider: str, raws: List[Dict[str, Any]], include_usage: bool
) -> None:
    short = _shape(provider, raws, include_usage, short=True)
    assert short == _shape(provider, raws, include_usage, short=False)


def test_plain_text_pieces_take_the_short_path() -> None:
    # Without this the test above could pass with the short path never taken.
    raws = [{"id": "c", "choices": [{"index": 0, "delta": {"content": t}}]} for t in ("a", "b", "c")]
    shaper = StreamShaper(
        provider="openai",
        requested_model="m",
        include_usage=False,
        api_base="http://127.0.0.1:1",
        response_headers={},
    )
    taken: List[Any] = []
    real = shaper._text_piece

    def spy(raw: Dict[str, Any]) -> Any:
        piece = real(raw)
        taken.append(piece is not None)
        return piece

    shaper._text_piece = spy  # type: ignore[method-assign]
    for raw in raws:
        shaper.feed(raw)
    assert taken == [False, True, True]  # the first chunk (role, first-chunk rules) is general
