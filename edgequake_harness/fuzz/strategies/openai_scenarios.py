"""Hypothesis strategies for provider traffic on the OpenAI wire format, as `Scenario`s: 200 chat
completions, SSE streams and error responses, for one provider or all of them.

What varies (see `docs/fuzzing.md`):
- text: unicode (any code point but surrogates), empty strings, `null` content beside tool calls,
  JSON with raw UTF-8 or `\\uXXXX` escapes;
- choices: 1 to 3, each with its own finish reason (documented ones, plus a few provider-native
  ones litellm maps), tool calls with JSON arguments, optional `reasoning_content`/`refusal`;
- usage: plain counts, `prompt_tokens_details` (cached, audio), `completion_tokens_details`
  (reasoning, audio, predictions), DeepSeek's cache hit/miss fields;
- streams: a role chunk, content split at arbitrary points (empty pieces too), tool-call argument
  fragments split at arbitrary points, choices interleaved in any order that keeps each choice's
  own order, a finish chunk per choice, an optional usage chunk (`stream_options.include_usage`),
  SSE framing variants (`data:` with or without a space, LF or CRLF, `:` comment lines), and the
  whole body cut into HTTP chunks at arbitrary byte offsets (inside a UTF-8 sequence too);
- errors: 4xx/5xx statuses with the OpenAI error body, HTML gateway pages, empty bodies,
  `retry-after` on 429.
"""

from __future__ import annotations

import json
from typing import Dict, List, Optional, Sequence, Tuple

from hypothesis import strategies as st

from edgequake_harness.fuzz.strategies.common import (
    CREATED,
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
from edgequake_harness.fuzz.strategies.openai_wire import (
    WIRE_BY_NAME,
    ChoicePlan,
    choice_plan,
    message,
    provider_names,
    request_body,
    response_extras,
    usage,
    wire_uri,
)

# --- non-stream completions -----------------------------------------------------------------------


@st.composite
def chat_scenarios(draw: Draw, provider: Optional[str] = None) -> Scenario:
    """A 200 chat completion: 1-3 choices, text and/or tool calls, optional usage and extras."""
    wire = WIRE_BY_NAME[draw(st.sampled_from(provider_names(provider)))]
    model = draw(st.sampled_from(wire.models))
    n, tools, ascii_only = draw(st.integers(1, 3)), draw(st.booleans()), draw(st.booleans())
    plans = [draw(choice_plan(i, tools, ascii_only)) for i in range(n)]
    body: Json = {
        "id": "chatcmpl-" + draw(TOKEN_ID),
        "object": "chat.completion",
        "created": draw(CREATED),
        "model": model,
        "choices": [
            {"index": p.index, "message": message(p), "logprobs": None, "finish_reason": p.finish_reason}
            for p in plans
        ],
    }
    if draw(st.integers(0, 4)):
        body["usage"] = draw(usage(wire.name))
    body.update(response_extras(draw, wire))
    if wire.name == "groq":  # LITELLM_RESTRICTIONS["groq-service-tier"]
        body["service_tier"] = draw(st.sampled_from(["on_demand", "flex"]))
    request = draw(request_body(model, False, tools, n))
    label = "tools" if any(p.tool_calls for p in plans) else "chat"
    return Scenario(
        wire.name,
        wire_uri(wire, model),
        request,
        200,
        {"content-type": "application/json"},
        dumps(body, ascii_only).encode("utf-8"),
        label=label,
    )


# --- streams --------------------------------------------------------------------------------------


def _chunk(base: Json, index: int, delta: Json, finish: Optional[str] = None) -> Json:
    return {
        **base,
        "choices": [{"index": index, "delta": delta, "logprobs": None, "finish_reason": finish}],
    }


@st.composite
def choice_events(draw: Draw, plan: ChoicePlan, base: Json) -> List[Json]:
    """One choice's chunks, in order: role, reasoning, content pieces, tool-call fragments, finish."""
    events = [_chunk(base, plan.index, {"role": "assistant", "content": "", "refusal": None})]
    if plan.reasoning is not None:
        for piece in draw(pieces(plan.reasoning)):
            events.append(_chunk(base, plan.index, {"reasoning_content": piece}))
    if plan.content:
        for piece in draw(pieces(plan.content)):
            events.append(_chunk(base, plan.index, {"content": piece}))
    for position, (call_id, name, arguments) in enumerate(plan.tool_calls):
        head = {
            "index": position,
            "id": call_id,
            "type": "function",
            "function": {"name": name, "arguments": ""},
        }
        events.append(_chunk(base, plan.index, {"tool_calls": [head]}))
        for piece in draw(pieces(arguments, max_pieces=8)):
            fragment = {"index": position, "function": {"arguments": piece}}
            events.append(_chunk(base, plan.index, {"content": None, "tool_calls": [fragment]}))
    events.append(_chunk(base, plan.index, {}, plan.finish_reason))
    return events


@st.composite
def interleave(draw: Draw, streams: Sequence[List[Json]]) -> List[Json]:
    """Merge per-choice event lists in an arbitrary order that keeps each list's own order."""
    queues = [list(s) for s in streams]
    out: List[Json] = []
    while any(queues):
        live = [i for i, q in enumerate(queues) if q]
        out.append(queues[draw(st.sampled_from(live))].pop(0))
    return out


def _has_finish(payload: str) -> bool:
    try:
        chunk = json.loads(payload)
    except ValueError:
        return False
    choices = chunk.get("choices") if isinstance(chunk, dict) else None
    return any(isinstance(c, dict) and c.get("finish_reason") for c in choices or [])


@st.composite
def sse(draw: Draw, payloads: Sequence[str], done: bool = True) -> bytes:
    """Server-sent events with valid framing variants: `data:` with or without a space, LF or
    CRLF line ends, and the `:` comment lines OpenRouter sends while a model is thinking."""
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    space = draw(st.sampled_from([" ", ""]))
    comments = draw(st.booleans())
    out: List[str] = []
    finished = False
    for payload in payloads:
        # LITELLM_RESTRICTIONS["comment-after-finish"]: no comment line once a choice has finished.
        if comments and not finished and draw(st.integers(0, 3)) == 0:
            out.append(": PROCESSING" + eol + eol)
        out.append(f"data:{space}{payload}{eol}{eol}")
        finished = finished or _has_finish(payload)
    if done:
        out.append(f"data:{space}[DONE]{eol}{eol}")
    return "".join(out).encode("utf-8")


@st.composite
def stream_scenarios(draw: Draw, provider: Optional[str] = None) -> Scenario:
    """A 200 SSE stream of chat.completion.chunk events, cut at arbitrary byte offsets."""
    wire = WIRE_BY_NAME[draw(st.sampled_from(provider_names(provider)))]
    model = draw(st.sampled_from(wire.models))
    n, tools, ascii_only = draw(st.integers(1, 2)), draw(st.booleans()), draw(st.booleans())
    plans = [draw(choice_plan(i, tools, ascii_only)) for i in range(n)]
    request = draw(request_body(model, True, tools, n))
    base: Json = {
        "id": "chatcmpl-" + draw(TOKEN_ID),
        "object": "chat.completion.chunk",
        "created": draw(CREATED),
        "model": model,
        **response_extras(draw, wire),
    }
    base.pop("prompt_filter_results", None)  # a separate leading chunk on Azure, not a chunk field
    events = draw(interleave([draw(choice_events(p, base)) for p in plans]))
    if (request.get("stream_options") or {}).get("include_usage"):
        events.append({**base, "choices": [], "usage": draw(usage(wire.name))})
    body = draw(sse([dumps(e, ascii_only) for e in events]))
    label = "stream-tools" if any(p.tool_calls for p in plans) else "stream"
    headers = {"content-type": "text/event-stream; charset=utf-8"}
    return Scenario(
        wire.name, wire_uri(wire, model), request, 200, headers, body, draw(byte_cuts(body)), label=label
    )


# --- errors ---------------------------------------------------------------------------------------

ERROR_STATUS = st.sampled_from([400, 401, 403, 404, 408, 409, 413, 422, 429, 500, 502, 503, 504, 529])
_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "invalid_request_error",
    403: "permission_error",
    404: "invalid_request_error",
    429: "rate_limit_exceeded",
}


@st.composite
def error_body(draw: Draw, status: int) -> Tuple[Dict[str, str], bytes]:
    kind = draw(st.sampled_from(["openai", "openai", "detail", "html", "empty"]))
    if kind == "html":
        page = f"<html><head><title>{status}</title></head><body>{draw(PROSE)}</body></html>"
        return {"content-type": "text/html"}, page.encode("utf-8")
    if kind == "empty":
        return {"content-type": "application/json"}, b""
    if kind == "detail":  # FastAPI-style bodies (together, huggingface, self-hosted gateways)
        return {"content-type": "application/json"}, dumps({"detail": draw(PROSE)}, True).encode()
    error: Json = {
        "message": draw(PROSE),
        "type": _ERROR_TYPES.get(status, draw(st.sampled_from(["server_error", "api_error"]))),
        "param": draw(st.one_of(st.none(), IDENT)),
        "code": draw(st.one_of(st.none(), IDENT)),
    }
    return {"content-type": "application/json"}, dumps({"error": error}, draw(st.booleans())).encode("utf-8")


@st.composite
def error_scenarios(draw: Draw, provider: Optional[str] = None) -> Scenario:
    """An error status with a body as providers and gateways send them, stream or not."""
    wire = WIRE_BY_NAME[draw(st.sampled_from(provider_names(provider)))]
    model = draw(st.sampled_from(wire.models))
    status = draw(ERROR_STATUS)
    headers, body = draw(error_body(status))
    if status == 429 and draw(st.booleans()):
        headers["retry-after"] = str(draw(st.integers(0, 30)))
    request = draw(request_body(model, draw(st.booleans()), False, 1))
    return Scenario(wire.name, wire_uri(wire, model), request, status, headers, body, label="error")


def openai_wire_scenarios(provider: Optional[str] = None) -> st.SearchStrategy[Scenario]:
    """Every OpenAI-wire scenario kind, for one provider or all of them."""
    return st.one_of(chat_scenarios(provider), stream_scenarios(provider), error_scenarios(provider))
