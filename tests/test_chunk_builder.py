"""edgequake._shaping.chunk_builder.stream_chunk_builder against litellm's output for the same streams."""

from __future__ import annotations

from typing import Any, Dict

import pytest

from edgequake._shaping.chunk_builder import stream_chunk_builder
from tests.litellm_cases import iter_cases, normalise, params
from tests.test_shaping import _run_stream

MESSAGES = [{"role": "user", "content": "hi"}]
CASES = [
    c
    for c in iter_cases("stream")
    if c[0] in ("openai", "xai") and (c[2]["expected"]["stream_chunk_builder"] or {}).get("model_dump")
]
# litellm counts tool-call payloads its own way when it estimates completion tokens (see module doc)
ESTIMATE_DIVERGES = {"s_tools", "s_text_then_tool"}


@pytest.mark.parametrize(("provider", "name", "case"), params("test_builder_matches_litellm", CASES))
def test_builder_matches_litellm(provider: str, name: str, case: Dict[str, Any]) -> None:
    out = _run_stream(provider, case)
    if not out["chunks"]:
        pytest.skip("no chunks")
    got = stream_chunk_builder(out["chunks"], messages=MESSAGES)
    assert got is not None
    want = case["expected"]["stream_chunk_builder"]["model_dump"]
    g, w = normalise(got.model_dump(), created=True), normalise(want, created=True)
    if name in ESTIMATE_DIVERGES or not case["include_usage"]:
        # estimated usage: tiktoken's BPE file may be unavailable offline (fallback estimate)
        g.pop("usage"), w.pop("usage")
    for d in (g, w):
        if isinstance(d.get("usage"), dict):
            d["usage"].pop("cost", None)
    assert g == w


def test_builder_empty_is_none() -> None:
    assert stream_chunk_builder([]) is None
