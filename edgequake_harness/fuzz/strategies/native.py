"""Hypothesis strategies for Anthropic messages and Gemini generateContent traffic.

edgequake delegates these providers to litellm today, so a property run compares litellm with
litellm-through-edgequake: what it exercises is the harness (derivation from native request
bodies, the replay server, the normalisation policy's volatile fields for these providers). The
strategies are deliberately smaller than the OpenAI-wire ones, with the same ingredients: unicode
and empty text, tool calls whose JSON arguments stream in fragments split at arbitrary points,
usage with cache (and Gemini thinking) counts, native stop reasons, SSE cut at arbitrary byte
offsets, and error bodies with statuses.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from hypothesis import strategies as st

from edgequake_harness.fuzz.strategies.common import (
    ARGUMENTS,
    COUNT,
    IDENT,
    PROSE,
    TOKEN_ID,
    Draw,
    Json,
    Scenario,
    byte_cuts,
    dumps,
    pieces,
)

ANTHROPIC_URI = "https://api.anthropic.com/v1/messages"
ANTHROPIC_MODELS = ("claude-3-5-haiku-20241022", "claude-sonnet-4-20250514")
GEMINI_ROOT = "https://generativelanguage.googleapis.com/v1beta/models/"
GEMINI_MODELS = ("gemini-2.0-flash", "gemini-2.5-flash")

_ANTHROPIC_TOOL = {
    "name": "lookup",
    "description": "Look something up.",
    "input_schema": {"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]},
}
_GEMINI_TOOL = {
    "functionDeclarations": [
        {
            "name": "lookup",
            "description": "Look something up.",
            "parameters": {"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]},
        }
    ]
}


# --- Anthropic ------------------------------------------------------------------------------------


@st.composite
def _anthropic_blocks(draw: Draw, tools: bool, ascii_only: bool) -> List[Json]:
    blocks: List[Json] = [{"type": "text", "text": draw(PROSE)} for _ in range(draw(st.integers(0, 2)))]
    if tools:
        for _ in range(draw(st.integers(0, 2))):
            blocks.append(
                {
                    "type": "tool_use",
                    "id": "toolu_" + draw(TOKEN_ID),
                    "name": draw(IDENT),
                    "input": draw(ARGUMENTS),
                }
            )
    return blocks or [{"type": "text", "text": ""}]


@st.composite
def _anthropic_usage(draw: Draw) -> Json:
    out: Json = {"input_tokens": draw(COUNT), "output_tokens": draw(COUNT)}
    if draw(st.booleans()):
        out.update(cache_creation_input_tokens=draw(COUNT), cache_read_input_tokens=draw(COUNT))
    return out


def _anthropic_request(model: str, stream: bool, tools: bool) -> Json:
    body: Json = {"model": model, "max_tokens": 256, "messages": [{"role": "user", "content": "hi"}]}
    if tools:
        body["tools"] = [_ANTHROPIC_TOOL]
    if stream:
        body["stream"] = True
    return body


def _stop_reason(blocks: List[Json]) -> st.SearchStrategy[str]:
    if any(b["type"] == "tool_use" for b in blocks):
        return st.just("tool_use")
    return st.sampled_from(["end_turn", "max_tokens", "stop_sequence"])


@st.composite
def anthropic_chat(draw: Draw) -> Scenario:
    model, tools, ascii_only = (
        draw(st.sampled_from(ANTHROPIC_MODELS)),
        draw(st.booleans()),
        draw(st.booleans()),
    )
    blocks = draw(_anthropic_blocks(tools, ascii_only))
    body = {
        "id": "msg_" + draw(TOKEN_ID),
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": blocks,
        "stop_reason": draw(_stop_reason(blocks)),
        "stop_sequence": None,
        "usage": draw(_anthropic_usage()),
    }
    headers = {"content-type": "application/json"}
    label = "tools" if tools else "chat"
    request = _anthropic_request(model, False, tools)
    return Scenario(
        "anthropic", ANTHROPIC_URI, request, 200, headers, dumps(body, ascii_only).encode(), label=label
    )


def _event(name: str, data: Json, ascii_only: bool) -> str:
    return f"event: {name}\ndata: {dumps({'type': name, **data}, ascii_only)}\n\n"


@st.composite
def anthropic_stream(draw: Draw) -> Scenario:
    model, tools, ascii_only = (
        draw(st.sampled_from(ANTHROPIC_MODELS)),
        draw(st.booleans()),
        draw(st.booleans()),
    )
    blocks = draw(_anthropic_blocks(tools, ascii_only))
    usage = draw(_anthropic_usage())
    start = {
        "id": "msg_" + draw(TOKEN_ID),
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {**usage, "output_tokens": 1},
    }
    out = [_event("message_start", {"message": start}, ascii_only)]
    if draw(st.booleans()):
        out.append(_event("ping", {}, ascii_only))
    for index, block in enumerate(blocks):
        if block["type"] == "text":
            head: Json = {"type": "text", "text": ""}
            deltas = [{"type": "text_delta", "text": p} for p in draw(pieces(block["text"]))]
        else:
            head = {"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}
            arguments = dumps(block["input"], ascii_only)
            deltas = [{"type": "input_json_delta", "partial_json": p} for p in draw(pieces(arguments, 8))]
        out.append(_event("content_block_start", {"index": index, "content_block": head}, ascii_only))
        out.extend(_event("content_block_delta", {"index": index, "delta": d}, ascii_only) for d in deltas)
        out.append(_event("content_block_stop", {"index": index}, ascii_only))
    delta = {"stop_reason": draw(_stop_reason(blocks)), "stop_sequence": None}
    out.append(
        _event(
            "message_delta", {"delta": delta, "usage": {"output_tokens": usage["output_tokens"]}}, ascii_only
        )
    )
    out.append(_event("message_stop", {}, ascii_only))
    body = "".join(out).encode("utf-8")
    headers = {"content-type": "text/event-stream; charset=utf-8"}
    label = "stream-tools" if tools else "stream"
    request = _anthropic_request(model, True, tools)
    return Scenario("anthropic", ANTHROPIC_URI, request, 200, headers, body, draw(byte_cuts(body)), label)


_ANTHROPIC_ERRORS: Tuple[Tuple[int, str], ...] = (
    (400, "invalid_request_error"),
    (401, "authentication_error"),
    (403, "permission_error"),
    (404, "not_found_error"),
    (413, "request_too_large"),
    (429, "rate_limit_error"),
    (500, "api_error"),
    (529, "overloaded_error"),
)


@st.composite
def anthropic_error(draw: Draw) -> Scenario:
    model = draw(st.sampled_from(ANTHROPIC_MODELS))
    status, kind = draw(st.sampled_from(_ANTHROPIC_ERRORS))
    body = {"type": "error", "error": {"type": kind, "message": draw(PROSE)}}
    headers = {"content-type": "application/json"}
    request = _anthropic_request(model, draw(st.booleans()), False)
    return Scenario(
        "anthropic", ANTHROPIC_URI, request, status, headers, dumps(body, True).encode(), label="error"
    )


# --- Gemini ---------------------------------------------------------------------------------------


@st.composite
def _gemini_parts(draw: Draw, tools: bool) -> List[Json]:
    parts: List[Json] = [{"text": draw(PROSE)} for _ in range(draw(st.integers(0, 2)))]
    if tools:
        parts += [
            {"functionCall": {"name": draw(IDENT), "args": draw(ARGUMENTS)}}
            for _ in range(draw(st.integers(0, 2)))
        ]
    return parts or [{"text": ""}]


@st.composite
def _gemini_usage(draw: Draw) -> Json:
    prompt, candidates = draw(COUNT), draw(COUNT)
    out: Json = {"promptTokenCount": prompt, "candidatesTokenCount": candidates}
    thoughts = draw(st.one_of(st.none(), COUNT))
    if thoughts is not None:
        out["thoughtsTokenCount"] = thoughts
    if draw(st.booleans()):
        out["cachedContentTokenCount"] = draw(st.integers(0, prompt))
    out["totalTokenCount"] = prompt + candidates + (thoughts or 0)
    return out


def _gemini_request(tools: bool) -> Json:
    body: Json = {"contents": [{"role": "user", "parts": [{"text": "hi"}]}]}
    if tools:
        body["tools"] = [_GEMINI_TOOL]
    return body


_GEMINI_FINISH = st.sampled_from(["STOP", "MAX_TOKENS", "SAFETY", "RECITATION", "OTHER"])


@st.composite
def gemini_chat(draw: Draw) -> Scenario:
    model, tools, ascii_only = draw(st.sampled_from(GEMINI_MODELS)), draw(st.booleans()), draw(st.booleans())
    candidate = {
        "content": {"parts": draw(_gemini_parts(tools)), "role": "model"},
        "finishReason": draw(_GEMINI_FINISH),
        "index": 0,
    }
    body = {
        "candidates": [candidate],
        "usageMetadata": draw(_gemini_usage()),
        "modelVersion": model,
        "responseId": draw(TOKEN_ID),
    }
    uri = f"{GEMINI_ROOT}{model}:generateContent"
    headers = {"content-type": "application/json; charset=UTF-8"}
    label = "tools" if tools else "chat"
    return Scenario(
        "gemini", uri, _gemini_request(tools), 200, headers, dumps(body, ascii_only).encode(), label=label
    )


@st.composite
def gemini_stream(draw: Draw) -> Scenario:
    model, ascii_only = draw(st.sampled_from(GEMINI_MODELS)), draw(st.booleans())
    text = draw(PROSE)
    response_id = draw(TOKEN_ID)
    texts = draw(pieces(text)) or [""]
    events: List[Json] = []
    for position, piece in enumerate(texts):
        candidate: Json = {"content": {"parts": [{"text": piece}], "role": "model"}, "index": 0}
        event: Json = {"candidates": [candidate], "modelVersion": model, "responseId": response_id}
        if position == len(texts) - 1:
            candidate["finishReason"] = draw(_GEMINI_FINISH)
            event["usageMetadata"] = draw(_gemini_usage())
        events.append(event)
    body = "".join(f"data: {dumps(e, ascii_only)}\r\n\r\n" for e in events).encode("utf-8")
    uri = f"{GEMINI_ROOT}{model}:streamGenerateContent?alt=sse"
    headers = {"content-type": "text/event-stream"}
    request = _gemini_request(False)
    return Scenario("gemini", uri, request, 200, headers, body, draw(byte_cuts(body)), "stream")


_GEMINI_ERRORS: Tuple[Tuple[int, str], ...] = (
    (400, "INVALID_ARGUMENT"),
    (403, "PERMISSION_DENIED"),
    (404, "NOT_FOUND"),
    (429, "RESOURCE_EXHAUSTED"),
    (500, "INTERNAL"),
    (503, "UNAVAILABLE"),
)


@st.composite
def gemini_error(draw: Draw) -> Scenario:
    model = draw(st.sampled_from(GEMINI_MODELS))
    status, kind = draw(st.sampled_from(_GEMINI_ERRORS))
    body = {"error": {"code": status, "message": draw(PROSE), "status": kind}}
    headers = {"content-type": "application/json; charset=UTF-8"}
    stream = draw(st.booleans())
    action = "streamGenerateContent?alt=sse" if stream else "generateContent"
    uri = f"{GEMINI_ROOT}{model}:{action}"
    return Scenario(
        "gemini", uri, _gemini_request(False), status, headers, dumps(body, True).encode(), label="error"
    )


NATIVE = {
    "anthropic": {"chat": anthropic_chat, "stream": anthropic_stream, "error": anthropic_error},
    "gemini": {"chat": gemini_chat, "stream": gemini_stream, "error": gemini_error},
}


def native_scenarios(provider: str, kind: Optional[str] = None) -> st.SearchStrategy[Scenario]:
    kinds = NATIVE[provider]
    if kind is not None:
        return kinds[kind]()
    return st.one_of(*(make() for make in kinds.values()))
