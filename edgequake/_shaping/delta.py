"""The pieces of a stream chunk: one upstream delta -> litellm's ``Delta``, and the finish choice.

Pure functions of the upstream delta and of two facts about the stream (its route family, whether
the first chunk went out); ``StreamShaper`` keeps that state and decides which chunks are emitted.
Key order inside the extras is litellm's (it shows in ``model_dump()``), so it is kept as written.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from edgequake.types import ChatCompletionDeltaToolCall, Delta, Function, FunctionCall, StreamingChoices, _new

# keys of an upstream delta that build_delta maps itself; any other key is kept on the Delta as is
_DELTA_OWN_KEYS = frozenset(
    {
        "content",
        "role",
        "function_call",
        "tool_calls",
        "audio",
        "images",
        "annotations",
        "reasoning",
        "reasoning_content",
        "reasoning_items",
        "thinking_blocks",
        "provider_specific_fields",
        "refusal",
    }
)


def empty_delta() -> Delta:
    """The delta of a chunk litellm makes up (a finish chunk): the five keys it always dumps, all None."""
    return _new(
        Delta,
        {},
        {"content": None, "role": None, "function_call": None, "tool_calls": None, "audio": None},
    )


def finish_choice(finish_reason: str) -> StreamingChoices:
    """The only choice of a finish chunk, with an already mapped ``finish_reason``."""
    return _new(
        StreamingChoices,
        {},
        {
            "finish_reason": finish_reason,
            "index": 0,
            "delta": empty_delta(),
            "logprobs": None,
        },
    )


def _tool_calls(raw_tools: List[Dict[str, Any]]) -> List[ChatCompletionDeltaToolCall]:
    tools = []
    for i, t in enumerate(raw_tools):
        fn = t.get("function") or {}
        function = _new(Function, {"arguments": fn.get("arguments") or "", "name": fn.get("name")})
        tools.append(
            _new(
                ChatCompletionDeltaToolCall,
                {
                    "id": t.get("id"),
                    "function": function,
                    "type": t.get("type") or "function",
                    "index": t.get("index", i) if t.get("index") is not None else i,
                },
                # gemini: the call's thought signature
                {"provider_specific_fields": t["provider_specific_fields"]}
                if "provider_specific_fields" in t
                else None,
            )
        )
    return tools


# an upstream delta with only these keys is a plain text piece: most chunks of most streams
_TEXT_ONLY = frozenset({"content", "role"})
# keys build_delta treats as absent when they are null (Gemini's provider_specific_fields, Ollama's
# reasoning_content and tool_calls, on every chunk)
_NULL_AS_ABSENT = frozenset(
    {"provider_specific_fields", "reasoning_content", "tool_calls", "function_call", "audio"}
)
_TEXT_OR_NULL = _TEXT_ONLY | _NULL_AS_ABSENT


def is_text_only(d: Dict[str, Any]) -> bool:
    """Whether ``build_delta`` reads nothing but ``content`` (and ``role``) from ``d``."""
    keys = d.keys()
    if keys <= _TEXT_ONLY:
        return True
    return keys <= _TEXT_OR_NULL and all(d[k] is None for k in keys - _TEXT_ONLY)


def text_delta(content: Any, *, family: str, first: bool) -> Delta:
    """``build_delta`` of a delta with nothing but content (and role), without its general walk."""
    fields = {"provider_specific_fields": None} if family == "httpx" or not first else {}
    role = "assistant" if first else None
    if family == "sdk":
        extra = {
            "refusal": None,
            "content": content,
            "role": role,
            "function_call": None,
            "tool_calls": None,
            "audio": None,
        }
    else:
        extra = {"content": content, "role": role, "function_call": None, "tool_calls": None, "audio": None}
    return _new(Delta, fields, extra)


def build_delta(d: Dict[str, Any], *, family: str, first: bool, keep_role: bool = False) -> Delta:
    """litellm's ``Delta`` for upstream delta ``d``.

    ``first``: no chunk went out yet (litellm puts ``role="assistant"`` on the first one, and on the
    sdk route leaves ``provider_specific_fields`` unset there). ``keep_role``: report the delta's own
    role instead (a chunk litellm passes on as sent).
    """
    if not keep_role and is_text_only(d):
        return text_delta(d.get("content"), family=family, first=first)
    fields: Dict[str, Any] = {}
    extra: Dict[str, Any] = {}
    reasoning = d.get("reasoning_content")
    if reasoning is None:
        reasoning = d.get("reasoning")
    if reasoning is not None:
        extra["reasoning_content"] = reasoning
    if family == "httpx" or not first:
        fields["provider_specific_fields"] = d.get("provider_specific_fields")
    if family == "sdk" or "refusal" in d:
        extra["refusal"] = d.get("refusal")
    raw_tools = d.get("tool_calls")
    tools: Optional[List[ChatCompletionDeltaToolCall]] = _tool_calls(raw_tools) if raw_tools else None
    fc = d.get("function_call")
    extra.update(
        content=d.get("content"),
        role=d.get("role") if keep_role else "assistant" if first else None,
        function_call=_new(FunctionCall, {"arguments": fc.get("arguments") or "", "name": fc.get("name")})
        if isinstance(fc, dict)
        else None,
        tool_calls=tools,
        audio=d.get("audio"),
    )
    for k in ("thinking_blocks", "annotations"):
        if d.get(k) is not None:
            extra[k] = d[k]
    # litellm's Delta keeps the upstream delta's other keys (openrouter's reasoning_details, a
    # together token_id), and ``reasoning`` beside a reasoning_content it was not renamed into
    for k, v in d.items():
        if k not in _DELTA_OWN_KEYS:
            extra[k] = v
    if "reasoning" in d and d.get("reasoning_content") is not None:
        extra["reasoning"] = d["reasoning"]
    return _new(Delta, fields, extra)


def has_content(d: Dict[str, Any], *, first: bool) -> bool:
    """Whether litellm emits a chunk for upstream delta ``d`` (it drops empty ones, refusal-only
    deltas included; a role counts only before the first chunk went out)."""
    content = d.get("content")
    return bool(
        (isinstance(content, str) and content)
        or d.get("tool_calls")
        or d.get("function_call") is not None
        or d.get("reasoning_content") is not None
        or d.get("reasoning") is not None
        or d.get("provider_specific_fields") is not None
        or d.get("annotations") is not None
        or (first and d.get("role") is not None)
        or d.get("thinking_blocks")
        or d.get("audio") is not None
    )
