"""litellm's argument handling for the ``gemini/`` route (Google AI Studio), as litellm 1.110.2's
``GoogleAIStudioGeminiConfig`` does it: which OpenAI params the model takes (the rest raise
``UnsupportedParamsError`` or go with ``drop_params``) and ``map_openai_params``, which turns them into
Gemini's ``generationConfig``, tools and ``toolConfig``. Per-model facts come from litellm's model map
(``_params.gemini_models``).

What goes to the core is the OpenAI messages plus the mapped params (the contract is documented in
``core/src/wire/gemini/request.rs``); the message conversion and the body assembly are the wire's.
"""

from __future__ import annotations

import copy
import re
from typing import Any, Dict, List, Optional, Tuple

from edgequake._params.gemini_models import MODELS
from edgequake._params.gemini_schema import vertex_schema
from edgequake._params.gemini_thinking import from_reasoning_effort, from_thinking
from edgequake._params.rules import EMBED_UNSUPPORTED, UNSUPPORTED, VALIDATED, VALIDATED_SET

__all__ = ["chat_body", "embedding_body", "is_gemini_3_or_newer"]

_PRE_GEMINI_3 = re.compile(r"^gemini-(?:[12](?:\.\d+)?|exp|(?:pro|flash)(?!-(?:lite-)?latest$))(?:-|$)")
_JSON_SCHEMA_MODELS = re.compile(r"gemini-(?:[2-9]|[1-9]\d+)(?:\.|\-)")
# litellm's OpenAI params for the gemini route, before the per-model ones.
_BASE_PARAMS = (
    "max_tokens", "max_completion_tokens", "stream", "tools", "tool_choice", "functions", "response_format",
    "n", "stop", "logprobs", "frequency_penalty", "presence_penalty", "seed", "modalities",
    "parallel_tool_calls", "web_search_options", "include_server_side_tool_invocations", "service_tier",
)  # fmt: skip
# Never rejected by litellm's check, sent or not by the mapping itself.
_UNCHECKED = frozenset({"stream", "stream_options", "user"})


def is_gemini_3_or_newer(model: str) -> bool:
    name = model.split("/")[-1].lower()
    if not name or name.isdigit() or name.startswith("gemma-"):
        return False
    return not _PRE_GEMINI_3.match(name)


def _facts(model: str) -> Tuple[bool, bool, bool]:
    return MODELS.get(model, (False, False, True))


def supported_params(model: str) -> List[str]:
    """litellm's ``GoogleAIStudioGeminiConfig.get_supported_openai_params``."""
    _system, reasoning, sampling = _facts(model)
    out = (["temperature", "top_p"] if sampling else []) + list(_BASE_PARAMS)
    if reasoning or is_gemini_3_or_newer(model):
        out += ["reasoning_effort", "thinking"]
    if "tts" in model:
        out.append("audio")
    return out


def _unsupported(message: str) -> Exception:
    from edgequake.exceptions import UnsupportedParamsError

    return UnsupportedParamsError(message=message, status_code=400)  # type: ignore[no-any-return]


def _remove_strict(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _remove_strict(v) for k, v in value.items() if k != "strict"}
    if isinstance(value, list):
        return [_remove_strict(v) for v in value]
    return value


def _remove_additional_properties(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _remove_additional_properties(v) for k, v in value.items() if k != "additionalProperties"}
    if isinstance(value, list):
        return [_remove_additional_properties(v) for v in value]
    return value


def _response_format(value: Dict[str, Any], config: Dict[str, Any], model: str) -> None:
    """litellm's ``apply_response_schema_transformation``: JSON mode, and the schema as
    ``response_json_schema`` (Gemini 2+) or as an OpenAPI ``response_schema`` (older names)."""
    new = _remove_strict(copy.deepcopy(value))
    use_json_schema = bool(_JSON_SCHEMA_MODELS.search(model.lower()))
    if not use_json_schema:
        new = _remove_additional_properties(new)
    if new.get("type") == "json_object":
        config["response_mime_type"] = "application/json"
    elif new.get("type") == "text":
        config["response_mime_type"] = "text/plain"
    schema = None
    if "response_schema" in new:
        config["response_mime_type"] = "application/json"
        schema = new["response_schema"]
    elif new.get("type") == "json_schema":
        js = new.get("json_schema")
        if isinstance(js, dict) and "schema" in js:
            config["response_mime_type"] = "application/json"
            schema = js["schema"]
    if schema and isinstance(schema, dict):
        if use_json_schema:
            config["response_json_schema"] = copy.deepcopy(schema)
        else:
            config["response_schema"] = vertex_schema(copy.deepcopy(schema), property_ordering=True)


def _function_declaration(function: Dict[str, Any]) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for key in ("name", "description"):
        if key in function:
            out[key] = function[key]
    params = function.get("parameters")
    if isinstance(params, dict):
        cleaned = vertex_schema(copy.deepcopy(params), property_ordering=False)
        if cleaned.get("type") == "object" and not cleaned.get("properties"):
            cleaned.pop("properties", None)
        out["parameters"] = cleaned
    return out


def _tools(tools: List[Any]) -> List[Dict[str, Any]]:
    """OpenAI tools as one Gemini tool of function declarations (litellm's ``_map_function``)."""
    declarations = []
    others: List[Dict[str, Any]] = []
    for tool in tools:
        if not isinstance(tool, dict):
            continue
        function = tool.get("function") if tool.get("type", "function") == "function" else None
        if isinstance(function, dict):
            declarations.append(_function_declaration(function))
        elif "name" in tool and "type" not in tool:  # a legacy `functions` entry
            declarations.append(_function_declaration(tool))
        else:
            others.append({k: v for k, v in tool.items() if k != "type"})
    out: List[Dict[str, Any]] = []
    if declarations:
        out.append({"function_declarations": declarations})
    return out + others


def _tool_choice(value: Any) -> Optional[Dict[str, Any]]:
    if value == "none":
        return {"functionCallingConfig": {"mode": "NONE"}}
    if value == "required":
        return {"functionCallingConfig": {"mode": "ANY"}}
    if value == "auto":
        return {"functionCallingConfig": {"mode": "AUTO"}}
    if isinstance(value, dict):
        name = (value.get("function") or {}).get("name")
        if name:
            return {"functionCallingConfig": {"mode": "ANY", "allowed_function_names": [name]}}
    return None


def chat_body(
    model: str,
    messages: list,
    params: Dict[str, Any],
    *,
    drop_params: bool,
    additional_drop_params: Optional[List[str]],
) -> Dict[str, Any]:
    """The core's request for a gemini chat call (see the module docstring)."""
    if additional_drop_params:
        params = {k: v for k, v in params.items() if k not in additional_drop_params}
    supported = supported_params(model)
    bad = [
        k
        for k in params
        if k in VALIDATED_SET
        and k not in supported
        and k not in _UNCHECKED
        and not (k == "n" and params[k] == 1)
    ]
    if bad:
        if not drop_params:
            bad.sort(key=VALIDATED.index)
            raise _unsupported(UNSUPPORTED.format(provider="gemini", keys=bad, model=model))
        params = {k: v for k, v in params.items() if k not in bad}
    config: Dict[str, Any] = {}
    body: Dict[str, Any] = {
        "messages": messages,
        "stream": bool(params.get("stream")),
        "system_instruction": _facts(model)[0],
    }
    if is_gemini_3_or_newer(model):
        body["api_version"] = "v1alpha"  # litellm's default endpoint for these models
        body["gemini3"] = True  # call ids forwarded, a placeholder thought signature
    top: Dict[str, Any] = {}
    penalties = not is_gemini_3_or_newer(model) and model != "gemini-2.5-pro-preview-06-05"
    for key, value in params.items():
        if key in ("temperature", "top_p", "top_k"):
            if _facts(model)[2]:
                config[key] = value
        elif key == "n":
            config["candidate_count"] = value
        elif key == "stop":
            if isinstance(value, str):
                config["stop_sequences"] = [value]
            elif isinstance(value, list):
                config["stop_sequences"] = value
        elif key in ("max_tokens", "max_completion_tokens"):
            config["max_output_tokens"] = value
        elif key == "response_format" and isinstance(value, type) and hasattr(value, "model_json_schema"):
            # litellm's gemini route keeps pydantic's own schema ($defs intact, objects left open)
            named = {"schema": value.model_json_schema(), "name": value.__name__, "strict": True}
            _response_format({"type": "json_schema", "json_schema": named}, config, model)
        elif key == "response_format" and isinstance(value, dict):
            _response_format(value, config, model)
        elif key in ("frequency_penalty", "presence_penalty"):
            if penalties:
                config[key] = value
        elif key == "logprobs":
            config["responseLogprobs"] = value
        elif key == "top_logprobs":
            config["logprobs"] = value
        elif key == "seed":
            config["seed"] = value
        elif key in ("tools", "functions") and isinstance(value, list) and value:
            body["tools"] = [*body.get("tools", []), *_tools(value)]
        elif key == "tool_choice" and isinstance(value, (str, dict)):
            choice = _tool_choice(value)
            if choice is not None:
                body["tool_config"] = choice
        elif key == "reasoning_effort":
            thinking = from_reasoning_effort(value, model, is_gemini_3_or_newer(model))
            if thinking is not None:
                config["thinkingConfig"] = thinking
        elif key == "thinking":
            config["thinkingConfig"] = from_thinking(value, is_gemini_3_or_newer(model))
        elif key == "modalities" and isinstance(value, list):
            config["responseModalities"] = [str(m).upper() for m in value]
        elif key == "extra_body" and isinstance(value, dict):
            top.update({k: v for k, v in value.items() if k not in ("cache", "tags")})
        elif key == "safety_settings":
            top["safetySettings"] = value
        elif key not in VALIDATED_SET and key not in _UNCHECKED:
            config[key] = value  # provider-specific generationConfig keys pass as given
    if config:
        body["generation_config"] = config
    if top:
        body["top"] = top
    return body


# The OpenAI embedding params litellm checks for the route (only `dimensions` is supported; the
# SDKs' default encoding_format="float" is a no-op), and the Gemini fields it forwards.
_EMBED_OPENAI = ("dimensions", "encoding_format", "user")
_EMBED_FIELDS = frozenset({"outputDimensionality", "taskType", "title"})


def embedding_body(model: str, input: Any, params: Dict[str, Any], *, drop_params: bool) -> Dict[str, Any]:
    """The core's request for a gemini embedding call: the inputs and the mapped params."""
    openai = {k: params[k] for k in _EMBED_OPENAI if k in params}
    if openai.get("encoding_format") == "float":
        del openai["encoding_format"]
    bad = {k: v for k, v in openai.items() if k != "dimensions"}
    if bad and not drop_params:
        from edgequake.exceptions import UnsupportedParamsError

        raise UnsupportedParamsError(
            message=EMBED_UNSUPPORTED.format(provider="gemini", params=bad, model=model), status_code=500
        )
    mapped: Dict[str, Any] = {}
    if "dimensions" in openai:
        mapped["outputDimensionality"] = openai["dimensions"]
    extra = {k: v for k, v in params.items() if k not in _EMBED_OPENAI}
    if "input_type" in extra:
        extra["task_type"] = extra.pop("input_type")
    if "task_type" in extra:
        extra["taskType"] = extra.pop("task_type")
    mapped.update({k: v for k, v in extra.items() if k in _EMBED_FIELDS})
    return {"input": input, "params": mapped}
