"""Hypothesis strategies for provider traffic on the OpenAI wire format, as `Scenario`s.

A `Scenario` is one recorded interaction the replay server can serve: the request a user's call
sends (URI and JSON body, from which the harness derives the litellm call exactly as it does for a
real cassette) and the response (status, headers, body bytes), plus where a streamed body is cut
into HTTP chunks. Everything generated is *valid* provider output, shaped on the documented format
and on the corpus recordings: the property is that reference and candidate agree on it, so an
invalid input would only test error paths nobody specified.

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

Restrictions that keep litellm (the reference) from crashing on valid input are named in
`LITELLM_RESTRICTIONS` and applied where the input is built, never in the property.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from hypothesis import strategies as st

Json = Dict[str, Any]
Draw = Callable[..., Any]


@dataclass(frozen=True)
class Scenario:
    """One generated interaction: the request a call makes and the response served to it."""

    provider: str  # the harness provider id (edgequake_harness/cassettes/providers.py)
    uri: str  # the recorded request URI; the harness derives the call from it and the body
    request: Json  # the recorded request body (JSON)
    status: int
    headers: Dict[str, str]  # response headers
    body: bytes  # response body as served
    splits: Optional[Tuple[int, ...]] = None  # byte offsets cutting a streamed body; None: per event
    label: str = ""  # what kind of scenario, for names and reports: chat, stream, tools, error

    @property
    def stream(self) -> bool:
        return bool(self.request.get("stream")) or ":streamGenerateContent" in self.uri

    def describe(self) -> str:
        body = self.body.decode("utf-8", "replace")
        cut = "" if self.splits is None else f", cut at {list(self.splits)}"
        return (
            f"{self.provider} {self.label}: POST {self.uri} {json.dumps(self.request, ensure_ascii=False)}\n"
            f"-> {self.status} {self.headers}{cut}\n{body}"
        )


# Documented known litellm 1.110.2 crashes on valid input; each is avoided where noted and
# reported as a litellm bug (docs/fuzzing.md, "litellm bugs found").
LITELLM_RESTRICTIONS: Dict[str, str] = {
    "groq-service-tier": (
        "Groq non-stream bodies always carry `service_tier`: without it litellm 1.110.2 raises "
        "APIConnectionError \"'ModelResponse' object has no attribute 'service_tier'\" on a valid "
        "body (half of the corpus's Groq 200s lack it; replay-notes.md). Applied in chat_scenarios."
    ),
    "comment-after-finish": (
        "No `:` SSE comment line after a finish chunk: litellm 1.110.2's own-HTTP routes (mistral, "
        "xai, groq, deepseek, openrouter, together_ai, fireworks_ai, huggingface) read the body line "
        "by line, turn the comment into an empty chunk and, a finish_reason having arrived, stop the "
        "stream there, so a usage chunk that follows is silently discarded and replaced by a "
        "tokenizer estimate. Comments are valid SSE keep-alives (OpenRouter sends them); edgequake "
        "keeps the provider's usage. Applied in sse()."
    ),
}


# --- where each OpenAI-wire provider is reached ------------------------------------------------


@dataclass(frozen=True)
class WireProvider:
    name: str  # harness provider id
    url: str  # recorded chat-completions URI ({model} is substituted for azure deployments)
    models: Tuple[str, ...]
    extras: Tuple[str, ...] = ()  # top-level response fields this provider sends


OPENAI_WIRE: Tuple[WireProvider, ...] = (
    WireProvider(
        "openai",
        "https://api.openai.com/v1/chat/completions",
        ("gpt-4o-mini", "gpt-4.1-nano"),
        ("system_fingerprint", "service_tier"),
    ),
    WireProvider(
        "azure",
        "https://fuzz.openai.azure.com/openai/deployments/{model}/chat/completions?api-version=2024-10-21",
        ("gpt-4o-mini",),
        ("system_fingerprint", "prompt_filter_results"),
    ),
    WireProvider("mistral", "https://api.mistral.ai/v1/chat/completions", ("mistral-small-latest",)),
    WireProvider("xai", "https://api.x.ai/v1/chat/completions", ("grok-3-mini",), ("system_fingerprint",)),
    WireProvider(
        "openrouter", "https://openrouter.ai/api/v1/chat/completions", ("openai/gpt-4o-mini",), ("provider",)
    ),
    WireProvider(
        "groq",
        "https://api.groq.com/openai/v1/chat/completions",
        ("llama-3.1-8b-instant",),
        ("system_fingerprint", "x_groq"),
    ),
    WireProvider(
        "deepseek",
        "https://api.deepseek.com/beta/chat/completions",
        ("deepseek-chat",),
        ("system_fingerprint",),
    ),
    WireProvider(
        "together",
        "https://api.together.xyz/v1/chat/completions",
        ("meta-llama/Llama-3.3-70B-Instruct-Turbo",),
        ("prompt",),
    ),
    WireProvider(
        "fireworks",
        "https://api.fireworks.ai/inference/v1/chat/completions",
        ("accounts/fireworks/models/llama-v3p1-8b-instruct",),
    ),
    WireProvider(
        "huggingface",
        "https://router.huggingface.co/v1/chat/completions",
        ("meta-llama/Llama-3.1-8B-Instruct",),
        ("system_fingerprint",),
    ),
    WireProvider("cerebras", "https://api.cerebras.ai/v1/chat/completions", ("llama3.1-8b",), ("time_info",)),
)
WIRE_BY_NAME = {p.name: p for p in OPENAI_WIRE}


# --- primitives ---------------------------------------------------------------------------------

# Any code point but surrogates (not encodable as UTF-8); short, so examples stay readable.
TEXT = st.text(max_size=24)
# Text that is mostly printable, with the odd emoji, combining mark, RTL and line break.
PROSE = st.one_of(
    TEXT,
    st.text(alphabet=st.sampled_from(list('ab é中🙂\u0301\u05d0\n\t"\\')), max_size=24),
)
IDENT = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)
TOKEN_ID = st.from_regex(r"[A-Za-z0-9]{6,24}", fullmatch=True)
COUNT = st.integers(min_value=0, max_value=5000)
CREATED = st.integers(min_value=1_600_000_000, max_value=1_900_000_000)

# The documented finish reasons, and provider-native ones litellm's map_finish_reason rewrites.
FINISH = st.sampled_from(["stop", "length", "tool_calls", "content_filter", "function_call"])
NATIVE_FINISH = st.sampled_from(["eos", "end_turn", "max_tokens", "stop_sequence", "tool_use", "STOP"])
FINISH_REASON = st.one_of(FINISH, NATIVE_FINISH)

JSON_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    TEXT,
)
JSON_VALUE = st.recursive(
    JSON_SCALAR,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)
ARGUMENTS = st.dictionaries(IDENT, JSON_VALUE, max_size=3)


def dumps(value: Any, ascii_only: bool) -> str:
    """Compact JSON as providers send it: raw UTF-8, or `\\uXXXX` escapes."""
    return json.dumps(value, ensure_ascii=ascii_only, separators=(",", ":"))


@st.composite
def pieces(draw: Draw, text: str, max_pieces: int = 6) -> List[str]:
    """`text` cut at arbitrary (possibly repeated) code-point offsets: empty pieces included."""
    if not text:
        return draw(st.lists(st.just(""), max_size=2))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=max_pieces - 1)))
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:])]


@st.composite
def byte_cuts(draw: Draw, body: bytes, max_cuts: int = 12) -> Optional[Tuple[int, ...]]:
    """Where to cut a streamed body into HTTP chunks: None (one SSE event per chunk, as the
    replay server does for recordings) or arbitrary byte offsets, inside UTF-8 sequences too."""
    if len(body) < 2 or not draw(st.booleans()):
        return None
    offsets = draw(st.lists(st.integers(1, len(body) - 1), max_size=max_cuts, unique=True))
    return tuple(sorted(offsets))


# --- usage ----------------------------------------------------------------------------------------


@st.composite
def usage(draw: Draw, provider: str) -> Json:
    prompt, completion = draw(COUNT), draw(COUNT)
    out: Json = {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }
    if draw(st.booleans()):
        details: Json = {"cached_tokens": draw(st.integers(0, prompt))}
        if draw(st.booleans()):
            details["audio_tokens"] = 0
        out["prompt_tokens_details"] = details
    if draw(st.booleans()):
        reasoning = draw(st.integers(0, completion))
        completion_details: Json = {"reasoning_tokens": reasoning}
        if draw(st.booleans()):
            completion_details.update(
                audio_tokens=0, accepted_prediction_tokens=0, rejected_prediction_tokens=0
            )
        out["completion_tokens_details"] = completion_details
    if provider == "deepseek" and draw(st.booleans()):
        hit = draw(st.integers(0, prompt))
        out.update(prompt_cache_hit_tokens=hit, prompt_cache_miss_tokens=prompt - hit)
    if provider == "groq" and draw(st.booleans()):
        out.update(queue_time=0.01, prompt_time=0.002, completion_time=0.03, total_time=0.042)
    return out


# --- messages and tool calls ---------------------------------------------------------------------


@dataclass
class ChoicePlan:
    """One choice, before it is laid out as a body or a stream."""

    index: int
    content: Optional[str]
    tool_calls: List[Tuple[str, str, str]] = field(default_factory=list)  # (id, name, arguments)
    finish_reason: str = "stop"
    reasoning: Optional[str] = None
    refusal: Optional[str] = None


@st.composite
def choice_plan(draw: Draw, index: int, tools: bool, ascii_only: bool) -> ChoicePlan:
    calls: List[Tuple[str, str, str]] = []
    if tools and draw(st.booleans()):
        for _ in range(draw(st.integers(1, 3))):
            arguments = dumps(draw(ARGUMENTS), ascii_only)
            calls.append(("call_" + draw(TOKEN_ID), draw(IDENT), arguments))
    content = draw(st.one_of(st.none(), PROSE)) if calls else draw(PROSE)
    finish = draw(st.one_of(st.just("tool_calls"), FINISH_REASON)) if calls else draw(FINISH_REASON)
    reasoning = draw(st.one_of(st.none(), PROSE)) if draw(st.integers(0, 4)) == 0 else None
    refusal = draw(PROSE) if draw(st.integers(0, 9)) == 0 else None
    return ChoicePlan(index, content, calls, finish, reasoning, refusal)


def message(plan: ChoicePlan) -> Json:
    out: Json = {"role": "assistant", "content": plan.content}
    if plan.tool_calls:
        out["tool_calls"] = [
            {"id": i, "type": "function", "function": {"name": n, "arguments": a}}
            for i, n, a in plan.tool_calls
        ]
    if plan.reasoning is not None:
        out["reasoning_content"] = plan.reasoning
    if plan.refusal is not None:
        out["refusal"] = plan.refusal
    return out


# --- requests -------------------------------------------------------------------------------------

_TOOL = {
    "type": "function",
    "function": {
        "name": "lookup",
        "description": "Look something up.",
        "parameters": {"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]},
    },
}


@st.composite
def request_body(draw: Draw, model: str, stream: bool, tools: bool, n: int) -> Json:
    body: Json = {"model": model, "messages": [{"role": "user", "content": draw(PROSE) or "hi"}]}
    if n > 1:
        body["n"] = n
    if tools:
        body["tools"] = [_TOOL]
    if stream:
        body["stream"] = True
        if draw(st.booleans()):
            body["stream_options"] = {"include_usage": True}
    return body


def provider_names(provider: Optional[str]) -> List[str]:
    if provider is None:
        return [p.name for p in OPENAI_WIRE]
    if provider not in WIRE_BY_NAME:
        raise ValueError(f"not an OpenAI-wire provider: {provider!r} (known: {', '.join(WIRE_BY_NAME)})")
    return [provider]


def _uri(wire: WireProvider, model: str) -> str:
    return wire.url.format(model=model)


def _extras(draw: Draw, wire: WireProvider) -> Json:
    out: Json = {}
    for name in wire.extras:
        if not draw(st.booleans()):
            continue
        if name == "system_fingerprint":
            out[name] = "fp_" + draw(st.from_regex(r"[0-9a-f]{10}", fullmatch=True))
        elif name == "service_tier":
            out[name] = draw(st.sampled_from(["default", "flex", "priority"]))
        elif name == "x_groq":
            out[name] = {"id": "req_" + draw(TOKEN_ID)}
        elif name == "provider":
            out[name] = draw(st.sampled_from(["OpenAI", "Azure"]))
        elif name == "prompt":
            out[name] = []
        elif name == "time_info":
            out[name] = {"queue_time": 0.0001, "total_time": 0.05}
        elif name == "prompt_filter_results":
            out[name] = [{"prompt_index": 0, "content_filter_results": {}}]
    return out


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
    body.update(_extras(draw, wire))
    if wire.name == "groq":  # LITELLM_RESTRICTIONS["groq-service-tier"]
        body["service_tier"] = draw(st.sampled_from(["on_demand", "flex"]))
    request = draw(request_body(model, False, tools, n))
    label = "tools" if any(p.tool_calls for p in plans) else "chat"
    return Scenario(
        wire.name,
        _uri(wire, model),
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
        **_extras(draw, wire),
    }
    base.pop("prompt_filter_results", None)  # a separate leading chunk on Azure, not a chunk field
    events = draw(interleave([draw(choice_events(p, base)) for p in plans]))
    if (request.get("stream_options") or {}).get("include_usage"):
        events.append({**base, "choices": [], "usage": draw(usage(wire.name))})
    body = draw(sse([dumps(e, ascii_only) for e in events]))
    label = "stream-tools" if any(p.tool_calls for p in plans) else "stream"
    headers = {"content-type": "text/event-stream; charset=utf-8"}
    return Scenario(
        wire.name, _uri(wire, model), request, 200, headers, body, draw(byte_cuts(body)), label=label
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
    return Scenario(wire.name, _uri(wire, model), request, status, headers, body, label="error")


def openai_wire_scenarios(provider: Optional[str] = None) -> st.SearchStrategy[Scenario]:
    """Every OpenAI-wire scenario kind, for one provider or all of them."""
    return st.one_of(chat_scenarios(provider), stream_scenarios(provider), error_scenarios(provider))
