"""litellm 1.110.2's objects for the ``anthropic/`` route, from the OpenAI-shaped JSON the core's
Anthropic wire produces (``core/src/wire/anthropic``).

* ``model_response_from_anthropic``: the ``ModelResponse`` of ``transform_parsed_response``: a local
  ``chatcmpl-<uuid4>`` id and ``created``, the provider's model, the message with
  ``provider_specific_fields={"citations", "thinking_blocks", ...}`` always set;
* ``anthropic_usage``: ``AnthropicConfig.calculate_usage``: prompt tokens count the cache reads and
  writes, ``prompt_tokens_details`` carries them (``text_tokens`` is the uncached input), reasoning
  tokens are Anthropic's when reported, else counted over the thinking text with litellm's default
  tokenizer.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Dict, List, Mapping, Optional

from edgequake._shaping.routes import additional_headers, call_record
from edgequake.types import (
    ChatCompletionMessageToolCall,
    Choices,
    CompletionTokensDetailsWrapper,
    Function,
    Message,
    ModelResponse,
    PromptTokensDetailsWrapper,
    Usage,
    _new,
)

__all__ = ["anthropic_usage", "model_response_from_anthropic"]


def _int(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return int(value)
    return 0


def _thinking_tokens(usage: Mapping[str, Any]) -> Optional[int]:
    details = usage.get("output_tokens_details")
    if isinstance(details, Mapping):
        value = details.get("thinking_tokens")
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def _cache_creation_details(usage: Mapping[str, Any]) -> Optional[Dict[str, Any]]:
    iterations = usage.get("iterations")
    breakdowns: List[Mapping[str, Any]] = []
    if iterations:
        breakdowns = [
            it["cache_creation"]
            for it in iterations
            if isinstance(it, Mapping) and isinstance(it.get("cache_creation"), Mapping)
        ]
    if breakdowns:
        m5 = sum(_int(c.get("ephemeral_5m_input_tokens")) for c in breakdowns)
        h1 = sum(_int(c.get("ephemeral_1h_input_tokens")) for c in breakdowns)
        its = [it for it in iterations if isinstance(it, Mapping)]
        total = sum(_int(it.get("cache_creation_input_tokens")) for it in its)
        five, hour = m5 + max(total - m5 - h1, 0), h1
    else:
        cache = usage.get("cache_creation")
        if not isinstance(cache, Mapping):
            return None
        five, hour = cache.get("ephemeral_5m_input_tokens"), cache.get("ephemeral_1h_input_tokens")
    return {
        "ephemeral_5m_input_tokens": five,
        "ephemeral_30m_input_tokens": None,
        "ephemeral_1h_input_tokens": hour,
        "ephemeral_12h_input_tokens": None,
    }


def _completion_details(
    usage: Mapping[str, Any], completion: int, reasoning: Optional[str], has_thinking_block: bool
) -> CompletionTokensDetailsWrapper:
    iterations = usage.get("iterations")
    reported: Optional[int] = None
    if iterations:
        per = [_thinking_tokens(it) if isinstance(it, Mapping) else None for it in iterations]
        if all(p is not None for p in per):
            reported = sum(p for p in per if p is not None)
    if reported is None:
        reported = _thinking_tokens(usage)
    if reported is not None:
        capped = min(max(0, reported), completion)
        fields: Dict[str, Any] = {"reasoning_tokens": capped, "text_tokens": completion - capped}
    elif reasoning:
        from edgequake._shaping.tokens import count_tokens as _count
        from edgequake._shaping.tokens import encoder as _encoder

        estimated = max(0, min(_count(_encoder("cl100k_base"), reasoning), completion))
        fields = {"reasoning_tokens": estimated, "text_tokens": completion - estimated}
    elif has_thinking_block:
        fields = {"reasoning_tokens": None, "text_tokens": None}
    else:
        fields = {"reasoning_tokens": 0, "text_tokens": completion}
    return _new(CompletionTokensDetailsWrapper, fields)  # type: ignore[no-any-return]


def completion_count(usage: Mapping[str, Any]) -> int:
    """The completion tokens litellm reports: summed over ``iterations`` when there are any."""
    iterations = usage.get("iterations")
    if iterations:
        return sum(_int(it.get("output_tokens")) for it in iterations if isinstance(it, Mapping))
    return _int(usage.get("output_tokens"))


def anthropic_usage(
    usage: Mapping[str, Any],
    reasoning: Optional[str],
    *,
    has_thinking_block: bool = False,
    tool_search_calls: int = 0,
    speed: Optional[str] = None,
) -> Usage:
    """litellm's ``calculate_usage`` over an Anthropic usage object."""
    prompt = _int(usage.get("input_tokens"))
    completion = _int(usage.get("output_tokens"))
    created = read = 0
    iterations = usage.get("iterations")
    if iterations:
        its = [it for it in iterations if isinstance(it, Mapping)]
        prompt = sum(_int(it.get("input_tokens")) for it in its)
        completion = sum(_int(it.get("output_tokens")) for it in its)
        created = sum(_int(it.get("cache_creation_input_tokens")) for it in its)
        read = sum(_int(it.get("cache_read_input_tokens")) for it in its)
        prompt += created + read
    else:
        if usage.get("cache_creation_input_tokens") is not None:
            created = usage["cache_creation_input_tokens"]
            prompt += created
        if usage.get("cache_read_input_tokens") is not None:
            read = usage["cache_read_input_tokens"]
            prompt += read
    web_search = tool_search = None
    server = usage.get("server_tool_use")
    if isinstance(server, Mapping):
        web_search = server.get("web_search_requests")
        tool_search = server.get("tool_search_requests")
    if tool_search is None and tool_search_calls:
        tool_search = tool_search_calls
    ptd_extra: Dict[str, Any] = {"cache_write_tokens": created, "cache_creation_tokens": created}
    details = _cache_creation_details(usage)
    if details is not None:
        ptd_extra["cache_creation_token_details"] = details
    ptd = _new(
        PromptTokensDetailsWrapper,
        {
            "audio_tokens": None,
            "cached_tokens": read,
            "text_tokens": prompt - read - created,
            "image_tokens": None,
            "video_tokens": None,
            "initial_prompt_tokens": None,
        },
        ptd_extra,
    )
    extra: Dict[str, Any] = {
        "cache_creation_input_tokens": created,
        "cache_read_input_tokens": read,
        "iterations": iterations,
        "inference_geo": usage.get("inference_geo"),
        "speed": usage.get("speed") if isinstance(usage.get("speed"), str) else speed,
        "service_tier": usage.get("service_tier"),
    }
    if web_search is not None or tool_search is not None:
        extra["server_tool_use"] = {"web_search_requests": web_search, "tool_search_requests": tool_search}
    return _new(  # type: ignore[no-any-return]
        Usage,
        {
            "completion_tokens": completion,
            "prompt_tokens": prompt,
            "total_tokens": prompt + completion,
            "completion_tokens_details": _completion_details(
                usage, completion, reasoning, has_thinking_block
            ),
            "prompt_tokens_details": ptd,
        },
        extra,
    )


def tool_call(tc: Dict[str, Any]) -> ChatCompletionMessageToolCall:
    """A tool call as litellm's Message keeps an Anthropic one: ``index`` (and ``caller``) beside it."""
    fn = tc.get("function") or {}
    extra = {k: v for k, v in tc.items() if k not in ("function", "id", "type")}
    return _new(  # type: ignore[no-any-return]
        ChatCompletionMessageToolCall,
        {
            "function": _new(Function, {"arguments": fn.get("arguments") or "", "name": fn.get("name")}),
            "id": tc.get("id") if tc.get("id") is not None else str(uuid.uuid4()),
            "type": tc.get("type") or "function",
        },
        extra,
    )


_JSON_TOOL = "json_tool_call"  # litellm's response_format tool (edgequake._params.anthropic)


def _json_answer(arguments: str) -> str:
    """The JSON mode answer litellm makes of the response_format tool's arguments: the decoded
    object written back as JSON (non-ASCII kept), or the text as sent when it is no object."""
    import json

    try:
        payload = json.loads(arguments)
    except ValueError:
        return arguments
    if not isinstance(payload, dict):
        return arguments
    try:
        return json.dumps(payload, ensure_ascii=False).encode("utf-8").decode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: litellm falls back to ASCII escapes
        return json.dumps(payload)


def _json_mode(msg: Dict[str, Any], choice: Dict[str, Any]) -> Dict[str, Any]:
    """litellm's ``_resolve_json_mode_non_streaming``: the response_format tool call becomes the
    message content (the finish a "stop"); beside the caller's own tools its answer is appended to
    the text and the other calls stay."""
    calls = msg.get("tool_calls") or []
    json_calls = [c for c in calls if (c.get("function") or {}).get("name") == _JSON_TOOL]
    if not json_calls:
        return msg
    answer = _json_answer((json_calls[0].get("function") or {}).get("arguments") or "")
    if len(json_calls) == len(calls):
        psf = msg.get("provider_specific_fields") or {}
        kept = {k: psf[k] for k in ("stop_reason", "stop_details", "input_transformations") if k in psf}
        out: Dict[str, Any] = {"content": answer, "tool_calls": None}
        if kept:
            out["provider_specific_fields"] = kept
        for k in ("refusal", "reasoning_content", "thinking_blocks"):
            if k in msg and (k != "thinking_blocks" or msg[k]):
                out[k] = msg[k]
        choice["finish_reason"] = "stop"
        return out
    text = msg.get("content") or ""
    others = [c for c in calls if c not in json_calls]
    return {**msg, "content": text + answer if text else answer, "tool_calls": others}


def _message(msg: Dict[str, Any]) -> Message:
    calls = msg.get("tool_calls")
    fields: Dict[str, Any] = {
        "content": msg.get("content"),
        "role": "assistant",
        "tool_calls": [tool_call(tc) for tc in calls] if calls else None,
        "function_call": None,
    }
    if "provider_specific_fields" in msg:
        fields["provider_specific_fields"] = msg["provider_specific_fields"]
    extra: Dict[str, Any] = {}
    if msg.get("reasoning_content") is not None:
        extra["reasoning_content"] = msg["reasoning_content"]
    if msg.get("thinking_blocks") is not None:
        extra["thinking_blocks"] = msg["thinking_blocks"]
    if "refusal" in msg:
        extra["refusal"] = msg["refusal"]
    return _new(Message, fields, extra)  # type: ignore[no-any-return]


def model_response_from_anthropic(
    body: Dict[str, Any],
    *,
    requested_model: str,
    response_headers: Dict[str, str],
    api_base: str,
    response_ms: float,
    json_mode: bool = False,
) -> ModelResponse:
    """litellm's ``ModelResponse`` for the core's translation of an Anthropic Messages reply
    (``json_mode``: the call gave a response_format)."""
    choice = dict((body.get("choices") or [{}])[0])
    msg = choice.get("message") or {}
    psf = msg.get("provider_specific_fields") or {}
    server_calls = psf.get("server_tool_calls") or []
    searches = sum(1 for c in server_calls if "tool_search" in str((c.get("function") or {}).get("name", "")))
    usage = anthropic_usage(
        body.get("usage") or {},
        msg.get("reasoning_content"),
        has_thinking_block=bool(msg.get("thinking_blocks")),
        tool_search_calls=searches,
    )
    if json_mode:
        msg = _json_mode(msg, choice)
    choices = [
        _new(
            Choices,
            {
                "finish_reason": choice.get("finish_reason") or "stop",
                "index": 0,
                "message": _message(msg),
            },
        )
    ]
    model = body.get("model")
    hidden: Dict[str, Any] = {
        "additional_headers": additional_headers(response_headers, stream=False, provider="anthropic"),
        "provider_specific_fields": psf,
        "custom_llm_provider": "anthropic",
        "region_name": None,
        "_response_ms": response_ms,
        "litellm_overhead_time_ms": None,
        **call_record(api_base),
        "litellm_model_name": f"anthropic/{requested_model}",
        "provider_response_model": model,
    }
    fields = {
        "id": f"chatcmpl-{uuid.uuid4()}",
        "created": int(time.time()),
        "model": model,
        "object": "chat.completion",
        "choices": choices,
    }
    private = {"_hidden_params": hidden, "_response_headers": None, "_response_ms": response_ms}
    return _new(ModelResponse, fields, {"usage": usage}, private)  # type: ignore[no-any-return]


def priced(usage: Usage, model: Optional[str]) -> Optional[float]:
    """litellm's cost of ``usage`` for ``model`` from its price map (None for an unpriced model)."""
    from edgequake._params.anthropic import profile

    prices = profile(model or "").get("prices")
    if not prices:
        return None
    extra = usage.__pydantic_extra__ or {}
    created = _int(extra.get("cache_creation_input_tokens"))
    read = _int(extra.get("cache_read_input_tokens"))
    text = usage.prompt_tokens - created - read
    cost = text * (prices.get("input") or 0.0) + usage.completion_tokens * (prices.get("output") or 0.0)
    cost += created * (prices.get("cache_creation") or 0.0) + read * (prices.get("cache_read") or 0.0)
    return float(round(cost, 12))


def assembled_usage(usage: Usage, model: Optional[str]) -> Usage:
    """The usage ``stream_chunk_builder`` reports for an Anthropic stream: the counts, both details
    objects in full, litellm's cost when the model is priced, the cache counters and the last
    ``inference_geo``."""
    extra = usage.__pydantic_extra__ or {}
    for details in (usage.completion_tokens_details, usage.prompt_tokens_details):
        if details is not None:
            details.__pydantic_fields_set__.update(type(details).model_fields)
    kept: Dict[str, Any] = {}
    cost = priced(usage, model)
    if cost is not None:
        kept["cost"] = cost
    for key in ("cache_creation_input_tokens", "cache_read_input_tokens"):
        if key in extra:
            kept[key] = extra[key]
    server = extra.get("server_tool_use")
    if isinstance(server, dict):  # the builder's ServerToolUse holds the counters that were set
        kept["server_tool_use"] = {k: v for k, v in server.items() if v is not None}
    if isinstance(extra.get("inference_geo"), str):
        kept["inference_geo"] = extra["inference_geo"]
    if isinstance(extra.get("speed"), str):
        kept["speed"] = extra["speed"]
    return _new(  # type: ignore[no-any-return]
        Usage,
        {
            "completion_tokens": usage.completion_tokens,
            "prompt_tokens": usage.prompt_tokens,
            "total_tokens": usage.total_tokens,
            "completion_tokens_details": usage.completion_tokens_details,
            "prompt_tokens_details": usage.prompt_tokens_details,
        },
        kept,
    )
