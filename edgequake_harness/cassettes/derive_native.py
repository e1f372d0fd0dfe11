"""Reverse translation of Anthropic `/v1/messages` and Gemini `generateContent`/`batchEmbedContents`
requests into the litellm kwargs a user would have passed.

The replay server matches by method and path, so a derived call only needs to be *plausible* to
reach the recording: the `stream` flag and the endpoint must be exact, the rest is the best
OpenAI-shaped reading of the recorded body. Whatever the reference then sends is what the
candidate is compared against. What cannot be expressed as litellm kwargs (Gemini server-side
tools, thought signatures, cache points) raises Unsupported so the case is skipped with the reason.

Checked against litellm 1.110.2: Anthropic server tools (`{"type": "code_execution_...", "name":
...}`, any type) are passed through as given; Gemini's `topK` is litellm's `top_k`, a `fileData`
part is litellm's `{"type": "file", "file": {"file_id": <uri>, "format": <mime>}}` (Files API, gs://
and https URIs become `file_data` again, `vertex_ai/gemini/transformation.py`), and embeddings go
to `:batchEmbedContents` with `dimensions` -> `outputDimensionality`, `task_type` -> `taskType`.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Tuple

Kwargs = Dict[str, Any]


class NotExpressible(Exception):
    """The recorded request uses something litellm kwargs cannot express."""


# --- Anthropic ----------------------------------------------------------------------------------

_ANTHROPIC_PASSTHROUGH = ("max_tokens", "temperature", "top_p", "top_k", "thinking", "stream")


def anthropic_kwargs(body: Dict[str, Any]) -> Tuple[str, Kwargs]:
    """(model, kwargs) for a recorded Anthropic Messages request body."""
    unknown = set(body) - {
        "model",
        "messages",
        "system",
        "tools",
        "tool_choice",
        "stop_sequences",
        "metadata",
        "output_format",
        "output_config",
        *_ANTHROPIC_PASSTHROUGH,
    }
    if unknown:
        raise NotExpressible(
            f"anthropic request fields without a litellm kwarg: {', '.join(sorted(unknown))}"
        )
    kwargs: Kwargs = {k: body[k] for k in _ANTHROPIC_PASSTHROUGH if k in body}
    messages: List[Dict[str, Any]] = []
    if body.get("system"):
        messages.append({"role": "system", "content": _anthropic_text(body["system"])})
    for message in body.get("messages") or []:
        messages.extend(_anthropic_message(message))
    kwargs["messages"] = messages
    if body.get("stop_sequences"):
        kwargs["stop"] = body["stop_sequences"]
    if body.get("tools"):
        kwargs["tools"] = [_anthropic_tool(t) for t in body["tools"]]
    if body.get("tool_choice"):
        kwargs["tool_choice"] = _anthropic_tool_choice(body["tool_choice"])
    # Structured output: the closest user-level kwarg. `output_config.effort` and similar knobs
    # have none and are dropped: they change what the model does, not the endpoint or the framing.
    output = body.get("output_format") or (body.get("output_config") or {}).get("format")
    if isinstance(output, dict) and output.get("schema"):
        kwargs["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": "output", "schema": output["schema"]},
        }
    return str(body.get("model", "")), kwargs


def _anthropic_text(system: Any) -> str:
    if isinstance(system, str):
        return system
    return "\n".join(block.get("text", "") for block in system if isinstance(block, dict))


def _anthropic_message(message: Dict[str, Any]) -> List[Dict[str, Any]]:
    role, content = message.get("role"), message.get("content")
    if isinstance(content, str):
        return [{"role": role, "content": content}]
    parts: List[Dict[str, Any]] = []
    tool_calls: List[Dict[str, Any]] = []
    tool_results: List[Dict[str, Any]] = []
    for block in content or []:
        kind = block.get("type")
        if kind == "text":
            parts.append({"type": "text", "text": block.get("text", "")})
        elif kind == "image" and (block.get("source") or {}).get("type") in ("base64", "url"):
            source = block["source"]
            url = source.get("url") or f"data:{source.get('media_type')};base64,{source.get('data')}"
            parts.append({"type": "image_url", "image_url": {"url": url}})
        elif kind == "tool_use":
            arguments = json.dumps(block.get("input") or {})
            tool_calls.append(
                {
                    "id": block.get("id"),
                    "type": "function",
                    "function": {"name": block.get("name"), "arguments": arguments},
                }
            )
        elif kind == "tool_result":
            tool_results.append(
                {
                    "role": "tool",
                    "tool_call_id": block.get("tool_use_id"),
                    "content": _anthropic_text(block.get("content") or ""),
                }
            )
        else:
            raise NotExpressible(f"anthropic content block {kind!r} has no litellm message form")
    out: List[Dict[str, Any]] = list(tool_results)
    if parts or tool_calls:
        text_only = all(p["type"] == "text" for p in parts)
        body: Any = "".join(p["text"] for p in parts) if text_only else parts
        entry: Dict[str, Any] = {"role": role, "content": body if parts else None}
        if tool_calls:
            entry["tool_calls"] = tool_calls
        out.append(entry)
    return out


def _anthropic_tool(tool: Dict[str, Any]) -> Dict[str, Any]:
    if "input_schema" not in tool:
        return dict(tool)  # a server tool (code execution, web search, ...): litellm passes it through
    function = {"name": tool.get("name"), "parameters": tool["input_schema"]}
    if tool.get("description"):
        function["description"] = tool["description"]
    return {"type": "function", "function": function}


def _anthropic_tool_choice(choice: Dict[str, Any]) -> Any:
    kind = choice.get("type")
    if kind == "tool":
        return {"type": "function", "function": {"name": choice.get("name")}}
    return {"auto": "auto", "any": "required", "none": "none"}.get(kind, "auto")


# --- Gemini -------------------------------------------------------------------------------------


def gemini_kwargs(body: Dict[str, Any]) -> Kwargs:
    """kwargs for a recorded Gemini generateContent body (the model and stream come from the URL)."""
    unknown = set(body) - {
        "contents",
        "systemInstruction",
        "system_instruction",
        "generationConfig",
        "generation_config",
        "tools",
        "toolConfig",
        "safetySettings",
    }
    if unknown:
        raise NotExpressible(f"gemini request fields without a litellm kwarg: {', '.join(sorted(unknown))}")
    messages: List[Dict[str, Any]] = []
    system = body.get("systemInstruction") or body.get("system_instruction")
    if system:
        messages.append({"role": "system", "content": _gemini_text(system.get("parts") or [])})
    for content in body.get("contents") or []:
        messages.extend(_gemini_message(content))
    kwargs: Kwargs = {"messages": messages}
    kwargs.update(_gemini_config(body.get("generationConfig") or body.get("generation_config") or {}))
    declarations = [d for tool in body.get("tools") or [] for d in _declarations(tool)]
    if declarations:
        kwargs["tools"] = declarations
    return kwargs


def _gemini_text(parts: List[Dict[str, Any]]) -> str:
    return "".join(part.get("text", "") for part in parts)


def _gemini_message(content: Dict[str, Any]) -> List[Dict[str, Any]]:
    role = "assistant" if content.get("role") == "model" else "user"
    parts: List[Dict[str, Any]] = []
    tool_calls, tool_results = [], []
    for index, part in enumerate(content.get("parts") or []):
        if "text" in part and not part.get("thought"):
            parts.append({"type": "text", "text": part["text"]})
        elif "inlineData" in part or "inline_data" in part:
            data = part.get("inlineData") or part.get("inline_data")
            url = f"data:{data.get('mimeType') or data.get('mime_type')};base64,{data.get('data')}"
            parts.append({"type": "image_url", "image_url": {"url": url}})
        elif "fileData" in part or "file_data" in part:
            data = part.get("fileData") or part.get("file_data")
            file = {"file_id": data.get("fileUri") or data.get("file_uri")}
            mime = data.get("mimeType") or data.get("mime_type")
            if mime:
                file["format"] = mime
            parts.append({"type": "file", "file": file})
        elif "functionCall" in part:
            call = part["functionCall"]
            tool_calls.append(
                {
                    "id": call.get("id") or f"call_{index}",
                    "type": "function",
                    "function": {"name": call.get("name"), "arguments": json.dumps(call.get("args") or {})},
                }
            )
        elif "functionResponse" in part:
            response = part["functionResponse"]
            tool_results.append(
                {
                    "role": "tool",
                    "tool_call_id": response.get("id") or f"call_{index}",
                    "name": response.get("name"),
                    "content": json.dumps(response.get("response")),
                }
            )
        elif part.get("thought"):
            continue  # thoughts are the model's; litellm has no kwarg to send them back
        else:
            raise NotExpressible(f"gemini part {sorted(part)} has no litellm message form")
    out: List[Dict[str, Any]] = list(tool_results)
    if parts or tool_calls:
        text_only = all(p["type"] == "text" for p in parts)
        entry: Dict[str, Any] = {"role": role, "content": _gemini_text(parts) if text_only else parts}
        if tool_calls:
            entry["tool_calls"] = tool_calls
        out.append(entry)
    return out


_GEMINI_CONFIG = {
    "temperature": "temperature",
    "topP": "top_p",
    "top_p": "top_p",
    "topK": "top_k",
    "top_k": "top_k",
    "maxOutputTokens": "max_tokens",
    "max_output_tokens": "max_tokens",
    "stopSequences": "stop",
    "stop_sequences": "stop",
    "candidateCount": "n",
    "candidate_count": "n",
    "seed": "seed",
}


# Read with responseMimeType, or settings that change the model's behaviour but not the endpoint or
# the framing (thinking budgets, modalities): a plausible call can leave them out.
_GEMINI_DROPPED = frozenset(
    {
        "responseSchema",
        "response_schema",
        "responseJsonSchema",
        "thinkingConfig",
        "thinking_config",
        "responseModalities",
        "response_modalities",
    }
)


def _gemini_config(config: Dict[str, Any]) -> Kwargs:
    kwargs: Kwargs = {}
    for key, value in config.items():
        if key in _GEMINI_CONFIG:
            kwargs[_GEMINI_CONFIG[key]] = value
        elif key in ("responseMimeType", "response_mime_type"):
            schema = (
                config.get("responseSchema")
                or config.get("response_schema")
                or config.get("responseJsonSchema")
            )
            if value == "application/json":
                kwargs["response_format"] = (
                    {"type": "json_schema", "json_schema": {"name": "response", "schema": schema}}
                    if schema
                    else {"type": "json_object"}
                )
        elif key not in _GEMINI_DROPPED:
            raise NotExpressible(f"gemini generationConfig.{key} has no litellm kwarg")
    return kwargs


def _declarations(tool: Dict[str, Any]) -> List[Dict[str, Any]]:
    declared = tool.get("functionDeclarations") or tool.get("function_declarations")
    if declared is None:
        raise NotExpressible(f"gemini server tool {sorted(tool)} has no litellm kwarg")
    out = []
    for declaration in declared:
        function: Dict[str, Any] = {"name": declaration.get("name")}
        if declaration.get("description"):
            function["description"] = declaration["description"]
        parameters: Optional[Any] = declaration.get("parameters") or declaration.get("parametersJsonSchema")
        if parameters:
            function["parameters"] = parameters
        out.append({"type": "function", "function": function})
    return out


def gemini_embedding_kwargs(body: Dict[str, Any]) -> Kwargs:
    """kwargs for a recorded `:batchEmbedContents` body: one input per request, shared settings."""
    requests = body.get("requests")
    if not isinstance(requests, list) or not requests or set(body) != {"requests"}:
        raise NotExpressible("gemini batchEmbedContents body is not a list of 'requests'")
    inputs: List[str] = []
    settings: Optional[Dict[str, Any]] = None
    for request in requests:
        unknown = set(request) - {"model", "content", "outputDimensionality", "taskType", "title"}
        if unknown:
            raise NotExpressible(f"gemini embedding fields without a litellm kwarg: {sorted(unknown)}")
        inputs.append(_gemini_text((request.get("content") or {}).get("parts") or []))
        current = {
            kwarg: request[key]
            for key, kwarg in (("outputDimensionality", "dimensions"), ("taskType", "task_type"))
            if key in request
        }
        if settings is not None and current != settings:
            raise NotExpressible("gemini embedding requests with different settings are not one litellm call")
        settings = current
    return {"input": inputs, **(settings or {})}
