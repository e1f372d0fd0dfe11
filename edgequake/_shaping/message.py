"""Non-stream choices: an OpenAI-format ``choices[i]`` -> litellm ``Choices`` with its ``Message``.

Two paths, as in litellm: the converter routes (provider extras folded into
``provider_specific_fields``) and the groq/fireworks_ai routes that build ``Message(**message)``.
"""

from __future__ import annotations

import uuid
from typing import Any, Dict, Optional, Tuple

from edgequake._shaping.routes import DIRECT_CHOICES, map_finish_reason
from edgequake.types import (
    ChatCompletionAudioResponse,
    ChatCompletionMessageToolCall,
    Choices,
    Function,
    FunctionCall,
    Message,
    _new,
)

__all__ = ["build_choice"]


_MESSAGE_FIELDS = frozenset(
    {
        "content",
        "role",
        "refusal",
        "tool_calls",
        "function_call",
        "audio",
        "images",
        "reasoning_content",
        "thinking_blocks",
        "reasoning_items",
        "provider_specific_fields",
        "annotations",
    }
)
_CHOICES_FIELDS = frozenset({"finish_reason", "index", "message", "logprobs", "provider_specific_fields"})
_VLLM_CHOICE_FIELDS = ("stop_reason", "token_ids")


def _tool_call(tc: Dict[str, Any]) -> ChatCompletionMessageToolCall:
    fn = tc.get("function") or {}
    args = fn.get("arguments")
    if isinstance(args, dict):
        import json

        args = json.dumps(args)
    extra = {k: v for k, v in tc.items() if k not in ("function", "id", "type")}
    return _new(
        ChatCompletionMessageToolCall,
        {
            "function": _new(
                Function, {"arguments": args if args is not None else "", "name": fn.get("name")}
            ),
            "id": tc["id"] if tc.get("id") is not None else str(uuid.uuid4()),  # litellm: bare uuid4
            "type": tc.get("type") or "function",
        },
        extra,
    )


def _split_reasoning(msg: Dict[str, Any]) -> Tuple[Optional[str], Optional[str]]:
    content = msg.get("content")
    if "reasoning_content" in msg:
        return msg["reasoning_content"], content
    if "reasoning" in msg:
        return msg["reasoning"], content
    if isinstance(content, str) and content[:1] == "<":
        # litellm splits a leading <think>...</think> block out of the content
        import re

        m = re.match(
            r"<(?:think|thinking|budget:thinking)>(.*?)</(?:think|thinking|budget:thinking)>(.*)",
            content,
            re.DOTALL,
        )
        if m:
            return m.group(1), m.group(2)
    return None, content


def _mistral_message(msg: Dict[str, Any]) -> Dict[str, Any]:
    """litellm's mistral transformation of a response message: "" content becomes None, and a content
    list (magistral) becomes its text block's text, with the thinking block's text parts joined by
    newlines set as ``reasoning_content`` (when a list has several of a kind, the last one wins)."""
    content = msg.get("content")
    if content == "":
        return dict(msg, content=None)
    if not isinstance(content, list) or not content:
        return msg
    thinking = ""
    text = ""
    for block in content:
        if not isinstance(block, dict):
            continue
        if block.get("type") == "thinking":
            parts = block.get("thinking") or []
            thinking = "\n".join(
                p.get("text", "") for p in parts if isinstance(p, dict) and p.get("type") == "text"
            )
        elif block.get("type") == "text":
            text = block.get("text", "")
    out = dict(msg, content=text)
    if thinking:
        out["reasoning_content"] = thinking
    return out


def _message(msg: Dict[str, Any], provider: str) -> Message:
    if provider == "mistral":
        msg = _mistral_message(msg)
    psf: Dict[str, Any] = dict(msg.get("provider_specific_fields") or {})
    for k in msg:
        if k not in _MESSAGE_FIELDS:
            psf[k] = msg[k]
    annotations = msg.get("annotations")
    if isinstance(annotations, list):
        others = [
            a for a in annotations if isinstance(a, dict) and "type" in a and a["type"] != "url_citation"
        ]
        if others:
            annotations = [a for a in annotations if a not in others] or None
            psf["annotations"] = others
    reasoning, content = _split_reasoning(msg)
    raw_tools = msg.get("tool_calls")
    tool_calls = [_tool_call(t) for t in raw_tools] if raw_tools else None
    fc = msg.get("function_call")
    fields: Dict[str, Any] = {
        "content": content,
        "role": msg.get("role") or "assistant",
        "tool_calls": tool_calls,
        "function_call": _new(FunctionCall, {"arguments": fc.get("arguments", ""), "name": fc.get("name")})
        if isinstance(fc, dict)
        else None,
    }
    extra: Dict[str, Any] = {}
    audio = msg.get("audio")
    if audio is not None:
        extra["audio"] = _new(
            ChatCompletionAudioResponse, {**audio, "id": audio.get("id") or str(uuid.uuid4())}
        )
    if reasoning is not None:
        extra["reasoning_content"] = reasoning
    if "thinking_blocks" in msg:
        psf["thinking_blocks"] = msg["thinking_blocks"]
        if msg["thinking_blocks"] is not None:
            extra["thinking_blocks"] = msg["thinking_blocks"]
    if msg.get("reasoning_items") is not None:
        extra["reasoning_items"] = msg["reasoning_items"]
    if annotations is not None:
        extra["annotations"] = annotations
    images = msg.get("images")
    if images is not None:
        extra["images"] = [
            dict(img, index=i) if isinstance(img, dict) and "index" not in img else img
            for i, img in enumerate(images)
        ]
    if psf:
        fields["provider_specific_fields"] = psf
    if "refusal" in msg:
        extra["refusal"] = msg["refusal"]
    return _new(Message, fields, extra)


def _message_direct(msg: Dict[str, Any]) -> Message:
    """groq/fireworks_ai: litellm builds ``Message(**message)``, so unknown keys (e.g. ``reasoning``)
    stay as they are instead of being folded into provider_specific_fields."""
    raw_tools = msg.get("tool_calls")
    fc = msg.get("function_call")
    fields: Dict[str, Any] = {
        "content": msg.get("content"),
        "role": msg.get("role") or "assistant",
        "tool_calls": [_tool_call(t) for t in raw_tools] if raw_tools else None,
        "function_call": _new(FunctionCall, {"arguments": fc.get("arguments", ""), "name": fc.get("name")})
        if isinstance(fc, dict)
        else None,
    }
    if msg.get("provider_specific_fields"):
        fields["provider_specific_fields"] = msg["provider_specific_fields"]
    extra: Dict[str, Any] = {}
    for k, v in msg.items():
        if k in fields or k == "provider_specific_fields":
            continue
        if (
            k in ("audio", "images", "reasoning_content", "thinking_blocks", "reasoning_items", "annotations")
            and v is None
        ):
            continue
        if k == "audio":
            v = _new(ChatCompletionAudioResponse, {**v, "id": v.get("id") or str(uuid.uuid4())})
        extra[k] = v
    return _new(Message, fields, extra)


def build_choice(idx: int, choice: Dict[str, Any], provider: str) -> Choices:
    raw_msg = choice.get("message") or {}
    message = _message_direct(raw_msg) if provider in DIRECT_CHOICES else _message(raw_msg, provider)
    finish = choice.get("finish_reason") or choice.get("finish_details") or "stop"
    if finish == "stop" and message.tool_calls:
        finish = "tool_calls"
    mapped = map_finish_reason(finish)
    extra: Dict[str, Any] = {}
    if provider in DIRECT_CHOICES:
        psf: Optional[Dict[str, Any]] = None
        for k in choice:
            if k not in _CHOICES_FIELDS:
                extra[k] = choice[k]
        if choice.get("logprobs") is not None:
            extra["logprobs"] = choice["logprobs"]
    else:
        psf = {k: choice[k] for k in choice if k not in _CHOICES_FIELDS}
        for k in _VLLM_CHOICE_FIELDS:
            if k in choice:
                extra[k] = choice[k]
        if "logprobs" in choice:
            extra["logprobs"] = choice["logprobs"]
    if mapped != finish:
        psf = dict(psf or {})
        psf["native_finish_reason"] = finish
    if psf is not None:
        extra["provider_specific_fields"] = psf
    return _new(Choices, {"finish_reason": mapped, "index": idx, "message": message}, extra)
