"""The JSON body litellm 1.110.2 sends on the OpenAI-wire routes, built from ``completion()`` kwargs.

``chat_body`` runs on every call, so the work is table lookups over the few keys the caller passed:
which OpenAI params the model accepts comes from ``_params.models`` (generated from litellm), what
each route does with them from ``_param_rules``; messages are rewritten in ``_params_messages``.
Unsupported params raise litellm's ``UnsupportedParamsError`` unless ``drop_params`` (argument or
``edgequake.drop_params``) is set, in which case they are left out, as litellm does.
"""

from __future__ import annotations

import sys
from typing import Any, Dict, List, Optional, Tuple

from edgequake._params import cohere
from edgequake._params.cohere import COHERE_PROVIDERS
from edgequake._params.messages import add_system_prefix, rewrite_messages
from edgequake._params.models import DEFAULT, MODELS, SETS
from edgequake._params.rules import (
    EFFORT_STRENGTH,
    EMBED_DEFAULTS,
    EMBED_DIMENSIONS,
    EMBED_REJECTS,
    EMBED_UNSUPPORTED,
    FAMILY_RULES,
    GPT5_TEMPERATURE,
    MAGISTRAL_PROMPT,
    MISTRAL_EFFORT_LEVELS,
    MISTRAL_EFFORT_UNSUPPORTED,
    OSERIES_TEMPERATURE,
    RULES,
    UNSUPPORTED,
    UNVALIDATED,
    VALIDATED,
    VALIDATED_SET,
)

__all__ = ["chat_body", "embedding_body"]

_EMPTY: Dict[str, object] = {}


def _global_drop_params() -> bool:
    mod = sys.modules.get("edgequake")
    return getattr(mod, "drop_params", False) is True


def _unsupported(message: str) -> Exception:
    from edgequake.exceptions import UnsupportedParamsError

    return UnsupportedParamsError(message=message, status_code=400)  # type: ignore[no-any-return]


def _model_profile(provider: str, model: str) -> Tuple[Any, str]:
    entry = MODELS[provider].get(model) or DEFAULT[provider]
    return SETS[entry[0]], entry[1]


def _json_schema_from_class(cls: Any) -> Dict[str, Any]:
    """litellm's conversion of a pydantic class to an OpenAI ``json_schema`` response_format: every
    object is closed (additionalProperties false) and lists all its properties as required, and
    ``default: null`` is left out."""
    schema = cls.model_json_schema()
    _close_objects(schema)
    return {
        "type": "json_schema",
        "json_schema": {"schema": schema, "name": cls.__name__, "strict": True},
    }


def _close_objects(node: Any) -> None:
    if isinstance(node, dict):
        if "default" in node and node["default"] is None:
            del node["default"]
        if node.get("type") == "object" and "properties" in node:
            node["additionalProperties"] = False
            node["required"] = list(node["properties"])
        for value in node.values():
            _close_objects(value)
    elif isinstance(node, list):
        for value in node:
            _close_objects(value)


def _response_format(value: Any) -> Any:
    if isinstance(value, type):
        return _json_schema_from_class(value)
    return value


def _check_temperature(family: str, model: str, body: Dict[str, Any], drop: bool) -> None:
    value = body.get("temperature")
    if value is None or value == 1:
        return
    if drop:
        del body["temperature"]
        return
    template = OSERIES_TEMPERATURE if family == "oseries" else GPT5_TEMPERATURE
    raise _unsupported(template.format(value=value, model=model))


def _nearest_effort(requested: str, declared: Tuple[str, ...]) -> str:
    """litellm's rounding up to a declared level: the weakest declared level at least as strong as
    the request, else the strongest; "none" and unknown levels are sent as given."""
    ranked = [e for e in EFFORT_STRENGTH if e in declared]
    if requested in ranked or requested not in EFFORT_STRENGTH or not ranked:
        return requested
    strength = EFFORT_STRENGTH.index(requested)
    return next((e for e in ranked if EFFORT_STRENGTH.index(e) >= strength), ranked[-1])


def _mistral_effort(model: str, value: Any, drop: bool) -> Optional[str]:
    """The ``reasoning_effort`` litellm's mistral route sends a non-magistral model: a level (a dict's
    ``effort``) rounded to the model's declared levels, including "none"; a summary or a non-level
    value is refused, or dropped with drop_params."""
    level, summary = (value.get("effort"), value.get("summary")) if isinstance(value, dict) else (value, None)
    declared = MISTRAL_EFFORT_LEVELS.get(model)
    sendable = None
    if isinstance(level, str):
        sendable = _nearest_effort(level, declared) if declared is not None else level
    if sendable is not None and summary is None:
        return sendable
    if drop:
        return sendable
    raise _unsupported(MISTRAL_EFFORT_UNSUPPORTED.format(model=model))


def _own_rules(provider: str) -> Any:
    """The module of a provider whose arguments litellm handles with its own transformation, or None."""
    if provider in ("ollama", "ollama_chat"):
        from edgequake._params import ollama

        return ollama
    if provider in COHERE_PROVIDERS:
        return cohere
    return None


def chat_body(
    provider: str,
    model: str,
    messages: list,
    params: Dict[str, Any],
    *,
    drop_params: bool,
    additional_drop_params: Optional[List[str]],
) -> Dict[str, Any]:
    """The chat-completions body litellm sends for ``provider``/``model`` with these kwargs."""
    if provider == "gemini":  # its own wire: litellm's gemini argument handling
        from edgequake._params import gemini

        return gemini.chat_body(
            model,
            messages,
            params,
            drop_params=drop_params or _global_drop_params(),
            additional_drop_params=additional_drop_params,
        )
    if provider == "anthropic":  # its own param rules; the core's wire translates the result
        from edgequake._params.anthropic import anthropic_chat_body

        return anthropic_chat_body(
            model, messages, params, drop_params=drop_params, additional_drop_params=additional_drop_params
        )
    own = _own_rules(provider)
    if own is not None:  # a provider with its own argument handling (_params/<provider>.py)
        return own.chat_body(  # type: ignore[no-any-return]
            provider,
            model,
            messages,
            params,
            drop_params=drop_params,
            additional_drop_params=additional_drop_params,
        )
    rules = RULES[provider]
    supported, flags = _model_profile(provider, model)
    family = flags.split(",", 1)[0] if flags and not flags.startswith(("nosystem", "schema")) else ""
    fam = FAMILY_RULES.get(family, _EMPTY)
    if additional_drop_params:
        params = {k: v for k, v in params.items() if k not in additional_drop_params}
    drop = drop_params or _global_drop_params()

    bad = [
        k
        for k in params
        if k in VALIDATED_SET
        and k not in supported
        and k not in UNVALIDATED
        and not (k == "n" and params[k] == 1)
    ]
    if bad:
        if not drop:
            bad.sort(key=VALIDATED.index)
            raise _unsupported(UNSUPPORTED.format(provider=provider, keys=bad, model=model))
        params = {k: v for k, v in params.items() if k not in bad}

    body: Dict[str, Any] = {"model": model, "messages": messages}
    extra_body = None
    streaming = bool(params.get("stream"))
    drop_stream_false = rules.get("drop_stream_false") or fam.get("drop_stream_false")
    max_to = fam.get("max_tokens_to") or rules.get("max_tokens_to")
    renames: Any = rules.get("renames", _EMPTY)
    reasoning_prompt = False
    for key, value in params.items():
        if key == "extra_body":
            extra_body = value
            continue
        if key not in VALIDATED_SET:
            body[key] = value  # provider-specific kwargs pass through
            continue
        if key not in supported:
            continue  # user / stream / stream_options / n=1 the model does not take
        if key == "stream":
            if value or not drop_stream_false:
                body["stream"] = value
        elif key == "stream_options":
            if streaming or not drop_stream_false:
                body["stream_options"] = value
        elif key == "max_completion_tokens" and max_to:
            body[max_to] = value
        elif key == "max_tokens" and max_to:
            if "max_completion_tokens" not in params:
                body[max_to] = value
        elif key == "tool_choice":
            if not params.get("tools") and not rules.get("tool_choice_free"):
                continue
            body["tool_choice"] = "any" if value == "required" and rules.get("required_to_any") else value
        elif key == "response_format":
            body["response_format"] = _response_format(value)
        elif key in ("reasoning_effort", "thinking") and rules.get("reasoning_prompt"):
            if "magistral" in model.lower():
                reasoning_prompt = True
            elif key == "reasoning_effort":
                level = _mistral_effort(model, value, drop)
                if level is not None:
                    body["reasoning_effort"] = level
        elif key == "thinking" and rules.get("deepseek_thinking"):
            body["thinking"] = {"type": value.get("type")} if isinstance(value, dict) else value
        elif key == "reasoning_effort" and rules.get("deepseek_thinking"):
            body["reasoning_effort"] = value
            body.setdefault("thinking", {"type": "enabled"})
        elif key == "web_search_options" and rules.get("web_search_tool"):
            body["tools"] = [*body.get("tools", ()), {"type": rules["web_search_tool"]}]
        else:
            body[renames.get(key, key)] = value

    if family:
        _check_temperature(family, model, body, drop)
    if rules.get("json_schema_as_tool") and "schema" not in flags:
        _json_schema_as_tool(body)
    if rules.get("stream_usage") and streaming and "stream_options" not in body:
        body["stream_options"] = {"include_usage": True}
    add: Any = rules.get("add")
    if add:
        body.update(add)
    body["messages"] = rewrite_messages(messages, rules, "nosystem" in flags)
    if reasoning_prompt:
        body["messages"] = add_system_prefix(body["messages"], MAGISTRAL_PROMPT)
    if extra_body:
        body.update(extra_body)
    return body


def _json_schema_as_tool(body: Dict[str, Any]) -> None:
    """groq models without native json_schema get the schema as a forced tool call."""
    rf = body.get("response_format")
    if not isinstance(rf, dict) or rf.get("type") != "json_schema":
        return
    schema = (rf.get("json_schema") or {}).get("schema")
    if schema is None:
        return
    del body["response_format"]
    tool = {"type": "function", "function": {"name": "json_tool_call", "parameters": schema}}
    body["tools"] = [*body.get("tools", ()), tool]
    body["tool_choice"] = {"type": "function", "function": {"name": "json_tool_call"}}


def embedding_body(
    provider: str, model: str, input: Any, params: Dict[str, Any], *, drop_params: bool
) -> Dict[str, Any]:
    """The embeddings body litellm sends for ``provider``/``model``."""
    own = _own_rules(provider)
    if own is not None:
        return own.embedding_body(provider, model, input, params, drop_params=drop_params)  # type: ignore[no-any-return]
    drop = drop_params or _global_drop_params()
    if provider == "gemini":
        from edgequake._params import gemini

        return gemini.embedding_body(model, input, params, drop_params=drop)
    rejected = EMBED_REJECTS.get(provider, ())
    bad = {k: v for k, v in params.items() if k in rejected}
    if provider == "openai" and "dimensions" in params and not model.startswith("text-embedding-3"):
        if not drop:
            raise _unsupported(EMBED_DIMENSIONS)
        bad["dimensions"] = params["dimensions"]
    if bad and not drop:
        raise _unsupported(EMBED_UNSUPPORTED.format(provider=provider, params=bad, model=model))
    body: Dict[str, Any] = {"model": model, "input": input}
    body.update(EMBED_DEFAULTS.get(provider, _EMPTY))
    for key, value in params.items():
        if key in bad:
            continue
        if key == "extra_body" and isinstance(value, dict):
            body.update(value)
        else:
            body[key] = value
    return body
