"""Ollama replies (already OpenAI-shaped by ``core/src/wire/ollama/``) -> litellm's objects, as
litellm 1.110.2's Ollama transformations make them.

What litellm makes up locally is made here: a ``chatcmpl-<uuid4>`` id and the local clock as
``created`` (both volatile in the harness's policy for ollama), the model as ``<provider>/<requested
model>``, tool-call ids (bare uuid4; ``call_<uuid4>`` on the generate route's JSON tool calls), and
token counts Ollama did not send (litellm's tokenizer estimate). The generate route's JSON mode
(``format: "json"``) re-reads the raw reply as litellm does.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any, Dict, List, Optional

from edgequake._shaping.message import _message_direct, _tool_call
from edgequake._shaping.routes import additional_headers, call_record, map_finish_reason
from edgequake.types import Choices, Embedding, EmbeddingResponse, Message, ModelResponse, Usage, _new

__all__ = ["embedding_response", "model_response", "request_hints", "stream_parser"]

_JSON_CODE_FENCE = re.compile(r"^```(?:json)?\s*(.*?)\s*(?:```)?$", re.DOTALL)


def _estimate(text: str) -> int:
    from edgequake._shaping.tokens import count_tokens as _count
    from edgequake._shaping.tokens import encoder as _encoder

    return int(_count(_encoder(), text))


def _estimate_messages(messages: Optional[List[Dict[str, Any]]]) -> int:
    from edgequake._shaping.tokens import encoder as _encoder
    from edgequake._shaping.tokens import prompt_tokens as _prompt_tokens

    return int(_prompt_tokens(_encoder(), messages))


def _text(m: Dict[str, Any]) -> str:
    content = m.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text") or "" for p in content if isinstance(p, dict))
    return ""


def _generate_prompt(messages: Optional[List[Dict[str, Any]]]) -> str:
    """The prompt litellm's template made for /api/generate (rendered by the core when sending),
    rebuilt here only to count its tokens the way litellm does when Ollama sends no count."""
    prompt, i, msgs = "", 0, messages or []
    while i < len(msgs):
        start, users = i, []
        while i < len(msgs) and msgs[i].get("role") in ("user", "tool", "function"):
            content = msgs[i].get("content")
            if isinstance(content, list):
                texts = [
                    p["text"]
                    for p in content
                    if isinstance(p, dict) and p.get("type") == "text" and p.get("text")
                ]
            else:
                texts = [content] if isinstance(content, str) and content else []
            if texts:
                users.append("\n".join(texts))
            i += 1
        if users:
            prompt += "### User:\n" + "\n".join(users) + "\n\n"
        system = ""
        while i < len(msgs) and msgs[i].get("role") == "system":
            system += _text(msgs[i])
            i += 1
        if system:
            prompt += f"### System:\n{system}\n\n"
        assistant = ""
        while i < len(msgs) and msgs[i].get("role") == "assistant":
            assistant += _text(msgs[i])
            calls = msgs[i].get("tool_calls")
            if calls:
                if assistant:
                    assistant += "\n"
                assistant += "\n".join(
                    json.dumps(
                        {"name": c["function"]["name"], "arguments": json.loads(c["function"]["arguments"])}
                    )
                    for c in calls
                )
            i += 1
        if assistant:
            prompt += f"### Assistant:\n{assistant}\n\n"
        if i == start:
            break  # the core refused such messages before sending
    return prompt


def _usage(prompt: int, completion: int) -> Usage:
    return _new(
        Usage,
        {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
            "completion_tokens_details": None,
            "prompt_tokens_details": None,
        },
    )


def _hidden(
    provider: str, model: str, headers: Dict[str, str], api_base: str, response_ms: float
) -> Dict[str, Any]:
    return {
        "custom_llm_provider": provider,
        "region_name": None,
        "additional_headers": additional_headers(headers, stream=False, provider=provider),
        "_response_ms": response_ms,
        **call_record(api_base),
        "litellm_model_name": model,
        "provider_response_model": model,
    }


def _strip_json_fence(text: str) -> str:
    fenced = _JSON_CODE_FENCE.match(text.strip())
    return fenced.group(1) if fenced else text


def _generate_json_message(raw: Dict[str, Any]) -> Optional[Message]:
    """litellm's generate route with ``format: "json"``: a ``{"name", "arguments"}`` reply is a tool
    call, other JSON is re-serialised; returns None where litellm falls back to the plain reading."""
    response = raw.get("response", "")
    thinking = raw.get("thinking") or None
    if not response or not str(response).strip():
        return _new(
            Message,
            {"content": "", "role": "assistant", "tool_calls": None, "function_call": None},
            {"reasoning_content": thinking},
        )
    try:
        parsed = json.loads(_strip_json_fence(response))
    except json.JSONDecodeError:
        return None
    if isinstance(parsed, dict) and "name" in parsed and "arguments" in parsed:
        call = {
            "id": f"call_{uuid.uuid4()}",
            "type": "function",
            "function": {"name": parsed["name"], "arguments": json.dumps(parsed["arguments"])},
        }
        return _new(
            Message,
            {"content": None, "role": "assistant", "tool_calls": [_tool_call(call)], "function_call": None},
            {"reasoning_content": thinking},
        )
    return _new(
        Message,
        {"content": json.dumps(parsed), "role": "assistant", "tool_calls": None, "function_call": None},
        {"reasoning_content": thinking},
    )


def model_response(
    body: Dict[str, Any],
    *,
    provider: str,
    requested_model: str,
    response_headers: Dict[str, str],
    api_base: str,
    response_ms: float,
    messages: Optional[List[Dict[str, Any]]],
    json_mode: bool = False,
    sent_messages: Optional[List[Dict[str, Any]]] = None,
) -> ModelResponse:
    choice = (body.get("choices") or [{}])[0]
    raw_message: Dict[str, Any] = dict(choice.get("message") or {})
    generate = provider == "ollama"
    finish = choice.get("finish_reason") or "stop"
    message: Optional[Message] = None
    if generate:
        raw = body.get("ollama_generate") or {}
        if json_mode:
            message = _generate_json_message(raw)
        if message is None:
            # litellm sets content and reasoning_content on the default message (both present)
            message = _new(
                Message,
                {
                    "content": raw_message.get("content"),
                    "role": "assistant",
                    "tool_calls": None,
                    "function_call": None,
                },
                {"reasoning_content": raw_message.get("reasoning_content")},
            )
        finish = "tool_calls" if message.tool_calls else "stop"
    else:
        message = _message_direct(raw_message)
        finish = map_finish_reason(finish)
        if message.tool_calls:
            finish = "tool_calls"
    usage_in = body.get("usage") or {}
    prompt = usage_in.get("prompt_tokens")
    if prompt is None:
        # litellm: the generate route counts the prompt it sent, the chat route the messages
        prompt = _estimate(_generate_prompt(sent_messages)) if generate else _estimate_messages(messages)
    completion = usage_in.get("completion_tokens")
    if completion is None:
        # litellm: the chat route counts the reply's text; the generate route counts nothing
        completion = 0 if generate else _estimate(raw_message.get("content") or "")
    model = f"{provider}/{requested_model}"
    fields: Dict[str, Any] = {
        "id": f"chatcmpl-{uuid.uuid4()}",
        "created": int(time.time()),
        "model": model,
        "object": "chat.completion",
        "choices": [_new(Choices, {"finish_reason": finish, "index": 0, "message": message})],
    }
    private = {
        "_hidden_params": _hidden(provider, model, response_headers, api_base, response_ms),
        "_response_headers": dict(response_headers),
        "_response_ms": response_ms,
    }
    return _new(ModelResponse, fields, {"usage": _usage(int(prompt), int(completion))}, private)  # type: ignore[no-any-return]


def embedding_response(
    body: Dict[str, Any],
    *,
    provider: str,
    requested_model: str,
    response_headers: Dict[str, str],
    api_base: str,
    response_ms: float,
    inputs: List[str],
) -> EmbeddingResponse:
    data = [
        _new(
            Embedding,
            {"embedding": d.get("embedding", []), "index": d.get("index", i), "object": "embedding"},
        )
        for i, d in enumerate(body.get("data") or [])
    ]
    prompt = (body.get("usage") or {}).get("prompt_tokens")
    if prompt is None:
        prompt = _estimate("".join(inputs))
    usage = _new(
        Usage,
        {
            "prompt_tokens": prompt,
            "completion_tokens": 0,
            "total_tokens": prompt,
            "completion_tokens_details": None,
            "prompt_tokens_details": None,
        },
    )
    model = f"ollama/{requested_model}"
    hidden = {
        "additional_headers": additional_headers(response_headers, stream=False, provider=provider),
        "custom_llm_provider": provider,
        "_response_ms": response_ms,
        **call_record(api_base),
        "litellm_model_name": f"{provider}/{requested_model}",
        "provider_response_model": None,
    }
    private = {
        "_hidden_params": hidden,
        "_response_headers": dict(response_headers),
        "_response_ms": response_ms,
    }
    return _new(  # type: ignore[no-any-return]
        EmbeddingResponse, {"model": model, "data": data, "object": "list", "usage": usage}, None, private
    )


def stream_parser(raw: Dict[str, Any], model: str) -> Dict[str, Any]:
    """The chunk litellm's Ollama iterators make of one line (translated by the core): tool calls
    get the ids litellm gives them (a uuid4, ``call_``-prefixed on the generate route)."""
    for choice in raw.get("choices") or ():
        delta = choice.get("delta") or {}
        for call in delta.get("tool_calls") or ():
            if isinstance(call, dict) and "ollama_id_prefix" in call:
                call["id"] = f"{call.pop('ollama_id_prefix')}{uuid.uuid4()}"
    return raw


def request_hints(body: Dict[str, Any]) -> Dict[str, Any]:
    """What shaping needs of the request: an embedding's inputs (litellm counts their tokens when
    Ollama does not), and whether litellm's generate route reads the reply as JSON (its request's
    ``format`` is "json")."""
    if "input" in body:
        inputs = body.get("input")
        return {"inputs": list(inputs) if isinstance(inputs, list) else []}
    rf = body.get("response_format")
    json_mode = body.get("format") == "json" or (isinstance(rf, dict) and rf.get("type") == "json_object")
    return {"json_mode": json_mode, "sent_messages": body.get("messages")}
