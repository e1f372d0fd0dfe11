"""Gemini replies served to litellm and to edgequake by the loopback server: the responses (and
stream chunks) must dump the same, but for the values litellm makes up locally."""

from __future__ import annotations

import json
import re
from typing import Any, Dict, List

import pytest

import edgequake
from tests.loopback import LoopbackServer, Reply

_USAGE = {"promptTokenCount": 5, "candidatesTokenCount": 3, "totalTokenCount": 8}


def _cand(parts: List[Dict[str, Any]], **more: Any) -> Dict[str, Any]:
    return {"content": {"parts": parts, "role": "model"}, "finishReason": "STOP", **more}


REPLIES: Dict[str, Dict[str, Any]] = {
    "logprobs": {
        "candidates": [
            _cand(
                [{"text": "Hi"}],
                logprobsResult={
                    "chosenCandidates": [{"token": "Hi", "logProbability": -0.25}],
                    "topCandidates": [{"candidates": [{"token": "Hi", "logProbability": -0.25}]}],
                },
            )
        ],
        "usageMetadata": _USAGE,
    },
    "image-and-text": {
        "candidates": [
            _cand([{"text": "here"}, {"inlineData": {"mimeType": "image/png", "data": "iVBO"}}]),
        ],
        "usageMetadata": {**_USAGE, "candidatesTokensDetails": [{"modality": "IMAGE", "tokenCount": 2}]},
    },
    "two-candidates": {
        "candidates": [_cand([{"text": "a"}], index=0), _cand([{"text": "b"}], index=1)],
        "usageMetadata": _USAGE,
    },
    "safety-and-citations": {
        "candidates": [
            _cand(
                [{"text": "quoted"}],
                safetyRatings=[{"category": "HARM_CATEGORY_HARASSMENT", "probability": "NEGLIGIBLE"}],
                citationMetadata={"citationSources": [{"startIndex": 0, "endIndex": 6, "uri": "https://x"}]},
            )
        ],
        "usageMetadata": {**_USAGE, "cachedContentTokenCount": 2, "toolUsePromptTokenCount": 1},
    },
    "grounded": {
        "candidates": [
            _cand(
                [{"text": "Paris is big."}],
                groundingMetadata={
                    "webSearchQueries": ["paris", "paris", "size"],
                    "groundingChunks": [{"web": {"uri": "https://a", "title": "A"}}, {"maps": {"uri": "m"}}],
                    "groundingSupports": [
                        {"segment": {"startIndex": 0, "endIndex": 5}, "groundingChunkIndices": [0, 1, 7]}
                    ],
                },
            )
        ],
        "usageMetadata": {**_USAGE, "toolUsePromptTokenCount": 4},
    },
    "blocked-prompt": {"promptFeedback": {"blockReason": "SAFETY"}, "usageMetadata": _USAGE},
    "recitation": {"candidates": [{"finishReason": "RECITATION"}], "usageMetadata": _USAGE},
    "unicode-args": {
        "candidates": [_cand([{"functionCall": {"name": "f", "args": {"q": "café ☕", "n": [1.5, None]}}}])],
        "usageMetadata": _USAGE,
    },
}
_LOCAL = re.compile(r"call_[0-9a-f]{28}|chatcmpl-[0-9a-f-]{36}")


def _no_none(value: Any) -> Any:
    # a key missing on one side and None on the other is no difference (the harness's policy)
    if isinstance(value, dict):
        return {k: _no_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_no_none(v) for v in value]
    return value


def _dump(obj: Any) -> Any:
    data = json.loads(json.dumps(obj.model_dump(), default=str))
    data.pop("created", None)
    return _no_none(json.loads(_LOCAL.sub("<local>", json.dumps(data))))


def _response(module: Any, server: LoopbackServer, body: Dict[str, Any]) -> Any:
    server.enqueue(Reply(body=body))
    return module.completion(
        model="gemini/gemini-2.5-flash",
        messages=[{"role": "user", "content": "hi"}],
        api_key="k",
        api_base=server.url + "/v1beta",
        max_retries=0,
    )


@pytest.mark.parametrize("name", sorted(REPLIES))
def test_reply_shapes_as_litellm_shapes_it(server: LoopbackServer, name: str) -> None:
    litellm = pytest.importorskip("litellm")
    reference = _dump(_response(litellm, server, REPLIES[name]))
    assert _dump(_response(edgequake, server, REPLIES[name])) == reference


def _event(parts: List[Dict[str, Any]], finish: str = "", **more: Any) -> bytes:
    cand: Dict[str, Any] = {"content": {"parts": parts, "role": "model"}, "index": 0, **more}
    if finish:
        cand["finishReason"] = finish
    chunk = {
        "candidates": [cand],
        "usageMetadata": _USAGE,
        "modelVersion": "gemini-2.5-flash",
        "responseId": "r",
    }
    return f"data: {json.dumps(chunk)}\r\n\r\n".encode()


STREAMS: Dict[str, List[bytes]] = {
    "thoughts-then-text": [
        _event([{"text": "pondering", "thought": True}]),
        _event([{"text": "answer", "thoughtSignature": "U0lH"}]),
        _event([{"text": ""}], "STOP"),
    ],
    "grounded": [
        _event(
            [{"text": "fact"}],
            groundingMetadata={
                "webSearchQueries": ["q"],
                "groundingChunks": [{"web": {"uri": "https://a", "title": "A"}}],
                "groundingSupports": [
                    {"segment": {"startIndex": 0, "endIndex": 4}, "groundingChunkIndices": [0]}
                ],
            },
        ),
        _event([{"text": "."}], "MAX_TOKENS"),
    ],
    "two-calls": [
        _event(
            [{"functionCall": {"name": "a", "args": {}}}, {"functionCall": {"name": "b", "args": {"x": 1}}}]
        ),
        _event([{"text": ""}], "STOP"),
    ],
    "safety-stop": [_event([{"text": "no"}], "SAFETY")],
}


def _chunks(module: Any, server: LoopbackServer, events: List[bytes], **more: Any) -> Any:
    server.enqueue(Reply(raw_events=events))
    stream = module.completion(
        **more,
        model="gemini/gemini-2.5-flash",
        messages=[{"role": "user", "content": "hi"}],
        api_key="k",
        api_base=server.url + "/v1beta",
        max_retries=0,
        stream=True,
    )
    chunks = list(stream)
    built = module.stream_chunk_builder(chunks, messages=[{"role": "user", "content": "hi"}])
    assembled = _dump(built)
    assembled.get("usage", {}).pop("cost", None)  # litellm prices it from its cost map
    dumped = [_dump(c) for c in chunks]
    for c in dumped:
        (c.get("usage") or {}).pop("cost", None)
    return dumped, assembled


@pytest.mark.parametrize("name", sorted(STREAMS))
def test_stream_shapes_as_litellm_shapes_it(server: LoopbackServer, name: str) -> None:
    litellm = pytest.importorskip("litellm")
    reference = _chunks(litellm, server, STREAMS[name])
    assert _chunks(edgequake, server, STREAMS[name]) == reference


def test_include_usage_stream_as_litellm(server: LoopbackServer) -> None:
    litellm = pytest.importorskip("litellm")
    events = STREAMS["thoughts-then-text"]
    options = {"stream_options": {"include_usage": True}}
    reference = _chunks(litellm, server, events, **options)
    assert _chunks(edgequake, server, events, **options) == reference
