"""The OpenAI wire format's providers and the pieces of their traffic: where each provider is
reached, usage, per-choice plans laid out as messages, request bodies and provider extras.

The scenario kinds built from these pieces (chat, stream, error) are in `openai_scenarios.py`; what
varies overall is listed in its docstring and in `docs/fuzzing.md`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from hypothesis import strategies as st

from edgequake_harness.fuzz.strategies.common import (
    ARGUMENTS,
    COUNT,
    FINISH_REASON,
    IDENT,
    PROSE,
    TOKEN_ID,
    Draw,
    Json,
    dumps,
)

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


def wire_uri(wire: WireProvider, model: str) -> str:
    """The recorded request URI for `model` on `wire` (azure puts the deployment in the path)."""
    return wire.url.format(model=model)


def response_extras(draw: Draw, wire: WireProvider) -> Json:
    """Some of the top-level fields `wire` adds to its responses, each with a value it sends."""
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
