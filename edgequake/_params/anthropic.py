"""litellm 1.110.2's argument handling for the ``anthropic/`` route (``AnthropicConfig.map_openai_params``).

What depends on litellm's per-model tables and its param validation is decided here; the wire work
(messages, tools, ``tool_choice``, ``stop`` into Anthropic's shapes) is the Rust core's
(``core/src/wire/anthropic``). The body handed on is OpenAI-shaped, plus the Anthropic-native keys
decided here (``thinking``, ``output_format``, ``output_config``) and any provider-specific kwarg the
caller passed (``top_k``, ``metadata``, ...), which go out as given.

* which OpenAI params the model takes (unsupported ones raise ``UnsupportedParamsError``, or are left
  out under ``drop_params``);
* ``max_tokens``: the caller's (``max_completion_tokens`` wins), else the thinking budget plus 4096
  when thinking is on, else the model's max output from litellm's map (128000 for unknown models);
* ``reasoning_effort`` -> ``thinking`` budgets (``output_config.effort`` on adaptive models);
* ``response_format`` with a JSON schema -> ``output_format`` on models with native structured output.

The per-model facts come from ``anthropic_models.json``, generated from litellm by
``tools/gen_anthropic_models.py``.
"""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Any, Dict, List, Optional, Tuple

from edgequake._params.anthropic_schema import filter_output_schema
from edgequake._params.rules import UNSUPPORTED, VALIDATED, VALIDATED_SET

__all__ = ["BARE_MODELS", "anthropic_chat_body", "profile"]

_TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "anthropic_models.json")
with open(_TABLE, encoding="utf-8") as _file:
    _data = json.load(_file)
_DEFAULT: Dict[str, Any] = _data["default"]
_MODELS: Dict[str, Dict[str, Any]] = _data["models"]
# Bare model names litellm routes to anthropic (its ``anthropic_models``).
BARE_MODELS = frozenset(_data["bare"])
del _file, _data

# litellm's ``get_supported_openai_params`` for the route, before the per-model additions.
_BASE_SUPPORTED = (
    "stream",
    "stop",
    "temperature",
    "max_tokens",
    "max_completion_tokens",
    "tools",
    "tool_choice",
    "extra_headers",
    "parallel_tool_calls",
    "response_format",
    "user",
    "web_search_options",
    "speed",
    "context_management",
    "cache_control",
    "service_tier",
)
# Added to max_tokens when thinking is on and the caller set none (litellm's DEFAULT_MAX_TOKENS).
_THINKING_HEADROOM = 4096
# litellm's DEFAULT_REASONING_EFFORT_*_THINKING_BUDGET.
_EFFORT_BUDGET = {"minimal": 1024, "low": 1024, "medium": 2048, "high": 4096, "xhigh": 8192, "max": 16384}
_LITELLM_OWN = ("stream_options", "n")
_EMAIL = re.compile(r"^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$")
_PHONE = re.compile(r"^\+?[\d\s\(\)-]{7,}$")
_MIN_THINKING_BUDGET = 1024  # litellm's ANTHROPIC_MIN_THINKING_BUDGET_TOKENS
# litellm's name for the tool a response_format becomes on models without native structured output
JSON_TOOL_NAME = "json_tool_call"
_WEB_SEARCH_USES = {"low": 1, "medium": 5, "high": 10}
_OUTPUT_EFFORT = {"low": "low", "medium": "medium", "high": "high", "xhigh": "xhigh", "max": "max"}


def profile(model: str) -> Dict[str, Any]:
    """litellm's per-model facts for ``model`` (the table's default for a name it does not list)."""
    return _MODELS.get(model) or _DEFAULT


def _supported(model: str) -> Tuple[str, ...]:
    facts = profile(model)
    extra: Tuple[str, ...] = ("top_p",) if facts["top_p"] else ()
    if facts["thinking"]:
        extra += ("thinking", "reasoning_effort")
    return _BASE_SUPPORTED + extra


def _global_drop_params() -> bool:
    return getattr(sys.modules.get("edgequake"), "drop_params", False) is True


def _unsupported(message: str) -> Exception:
    from edgequake.exceptions import UnsupportedParamsError

    return UnsupportedParamsError(message=message, status_code=400)  # type: ignore[no-any-return]


def _effort_thinking(model: str, effort: Any) -> Optional[Dict[str, Any]]:
    """litellm's ``_map_reasoning_effort``: the thinking param for a reasoning effort level."""
    if isinstance(effort, dict):
        effort = effort.get("effort")
    if not isinstance(effort, str) or effort == "none":
        return None
    if profile(model)["adaptive"]:
        return {"type": "adaptive", "display": "summarized"}
    budget = _EFFORT_BUDGET.get(effort)
    if budget is None:
        from edgequake.exceptions import BadRequestError

        raise BadRequestError(
            message=(
                f"Unmapped reasoning effort: {effort!r}. Must be one of: 'minimal', 'low', 'medium', "
                "'high', 'xhigh', 'max', 'none'."
            ),
            model=model,
            llm_provider="anthropic",
        )
    return {"type": "enabled", "budget_tokens": budget}


def _output_format(value: Any) -> Optional[Dict[str, Any]]:
    """A ``response_format`` as Anthropic's native ``output_format`` (its schema filtered as litellm
    filters it)."""
    schema = _json_schema_of(value)
    if schema is None:
        return None
    return {"type": "json_schema", "schema": filter_output_schema(schema)}


def _json_schema_of(value: Any) -> Optional[Dict[str, Any]]:
    if isinstance(value, type):
        from edgequake._params.body import _json_schema_from_class

        value = _json_schema_from_class(value)
    if not isinstance(value, dict):
        return None
    schema = value.get("response_schema")
    if schema is None and isinstance(value.get("json_schema"), dict):
        schema = value["json_schema"].get("schema")
    return schema if isinstance(schema, dict) else None


def _valid_user_id(user: Any) -> bool:
    """litellm's ``_valid_user_id``: Anthropic rejects e-mail addresses and phone numbers."""
    if not isinstance(user, str):
        return False
    return not (_EMAIL.match(user) or _PHONE.match(user))


def _legacy_thinking(max_tokens: Any) -> Optional[Dict[str, Any]]:
    """Adaptive thinking on a model without it: litellm sends the "medium" budget, kept below
    ``max_tokens`` (and no thinking at all when ``max_tokens`` cannot hold the minimum budget)."""
    budget = _EFFORT_BUDGET["medium"]
    if not isinstance(max_tokens, int):
        return {"type": "enabled", "budget_tokens": budget}
    if max_tokens <= _MIN_THINKING_BUDGET:
        return None
    return {"type": "enabled", "budget_tokens": budget if budget < max_tokens else max_tokens - 1}


def anthropic_chat_body(
    model: str,
    messages: List[Any],
    params: Dict[str, Any],
    *,
    drop_params: bool,
    additional_drop_params: Optional[List[str]],
    metadata: Any = None,
) -> Dict[str, Any]:
    """The OpenAI-shaped body (with litellm's Anthropic decisions applied) for the core's wire.

    ``metadata``: litellm's own ``metadata`` kwarg, whose ``user_id`` litellm sends to Anthropic."""
    if additional_drop_params:
        params = {k: v for k, v in params.items() if k not in additional_drop_params}
    drop = drop_params or _global_drop_params()
    supported = _supported(model)
    # stream_options and n=1 are litellm's own: accepted, never sent
    bad = [k for k in params if k in VALIDATED_SET and k not in supported and k not in _LITELLM_OWN]
    if "n" in params and params["n"] not in (None, 1):
        bad.append("n")
    if bad:
        if not drop:
            bad.sort(key=VALIDATED.index)
            raise _unsupported(UNSUPPORTED.format(provider="anthropic", keys=bad, model=model))
        params = {k: v for k, v in params.items() if k not in bad}

    body: Dict[str, Any] = {"model": model, "messages": messages}
    facts = profile(model)
    tools: List[Any] = list(params.get("tools") or [])
    for key, value in params.items():
        if key in ("stream_options", "n", "extra_headers", "tools"):
            continue  # litellm's own (never sent), or handled below
        elif key == "max_tokens" or key == "max_completion_tokens":
            if key == "max_tokens" and "max_completion_tokens" in params:
                continue  # max_completion_tokens wins, whatever the order
            body["max_tokens"] = value if isinstance(value, int) else max(1, round(value))
        elif key == "stream":
            if value is True:
                body["stream"] = True
        elif (
            key in ("temperature", "top_p")
            and not facts["top_p"]
            and not (key == "temperature" and value == 1)
        ):
            if not drop:  # models without sampling params (Opus 4.7+): litellm's own 400
                hint = "Only temperature=1 is supported. " if key == "temperature" else ""
                raise _unsupported(
                    f"{model} does not support {key}={value}. {hint}"
                    "To drop unsupported params, set `litellm.drop_params = True`."
                )
        elif key == "stop":
            stops = _stop_sequences(value)
            if stops is not None:
                body["stop"] = stops
        elif key == "thinking":
            if isinstance(value, dict) and value.get("type") == "adaptive" and not facts["adaptive"]:
                legacy = _legacy_thinking(params.get("max_completion_tokens") or params.get("max_tokens"))
                if legacy is None:
                    body.pop("thinking", None)
                else:
                    body["thinking"] = legacy
            else:
                body["thinking"] = value
        elif key == "reasoning_effort":
            thinking = _effort_thinking(model, value)
            if thinking is None:
                body.pop("thinking", None)
                body.pop("output_config", None)
            else:
                body["thinking"] = thinking
                effort = value.get("effort") if isinstance(value, dict) else value
                if facts["adaptive"] and effort in _OUTPUT_EFFORT:
                    body["output_config"] = {"effort": _OUTPUT_EFFORT[effort]}
        elif key == "response_format":
            if facts["native_output"]:
                output = _output_format(value)
                if output is not None:
                    body["output_format"] = output
            else:
                schema = _json_schema_of(value)
                if schema is not None:  # the schema goes out as a tool the model is made to call
                    tools.append({"name": JSON_TOOL_NAME, "input_schema": schema})
                    body["tool_choice"] = {"name": JSON_TOOL_NAME, "type": "tool"}
        elif key == "tool_choice":
            if "tool_choice" not in body:
                body["tool_choice"] = value
        elif key == "user":
            if _valid_user_id(value):
                body["metadata"] = {"user_id": value}
        elif key == "web_search_options":
            if isinstance(value, dict):
                tools.append(_web_search_tool(value))
        else:
            body[key] = value  # provider-specific kwargs (top_k, ...) and litellm's extra_body as sent
    if tools:
        body["tools"] = tools
    user_id = metadata.get("user_id") if isinstance(metadata, dict) else None
    if user_id is not None and _valid_user_id(user_id):
        body["metadata"] = {"user_id": user_id}
    if "max_tokens" not in body:
        thinking = body.get("thinking")
        budget = thinking.get("budget_tokens") if isinstance(thinking, dict) else None
        thinking_on = thinking is True or (isinstance(thinking, dict) and thinking.get("type") == "enabled")
        if (thinking_on or "reasoning_effort" in params) and isinstance(budget, int):
            body["max_tokens"] = budget + _THINKING_HEADROOM
        else:
            body["max_tokens"] = facts["max_tokens"]
    return body


def _stop_sequences(value: Any) -> Optional[List[str]]:
    """litellm's ``_map_stop_sequences``: whitespace-only stops are left out under the global
    ``drop_params`` only; an empty list sends none."""
    drop_blank = _global_drop_params()
    if isinstance(value, str):
        return None if value.isspace() and drop_blank else [value]
    if isinstance(value, list):
        kept = [v for v in value if not (isinstance(v, str) and v.isspace() and drop_blank)]
        return kept or None
    return None


def _web_search_tool(options: Dict[str, Any]) -> Dict[str, Any]:
    """litellm's ``map_web_search_tool``: OpenAI's web_search_options as Anthropic's hosted tool."""
    tool: Dict[str, Any] = {"type": "web_search_20250305", "name": "web_search"}
    location = options.get("user_location")
    if isinstance(location, dict):
        approx = location.get("approximate")
        mapped: Dict[str, Any] = {"type": "approximate"}
        if isinstance(approx, dict):
            for k in ("city", "region", "country", "timezone"):
                if k in approx:
                    mapped[k] = approx[k]
        tool["user_location"] = mapped
    size = options.get("search_context_size")
    if size in _WEB_SEARCH_USES:
        tool["max_uses"] = _WEB_SEARCH_USES[size]
    return tool


def _uses_file_id(messages: Any) -> bool:
    for m in messages if isinstance(messages, list) else ():
        content = m.get("content") if isinstance(m, dict) else None
        for part in content if isinstance(content, list) else ():
            file = part.get("file") if isinstance(part, dict) else None
            if isinstance(file, dict) and file.get("file_id") and not file.get("file_data"):
                return True
    return False


def beta_headers(body: Dict[str, Any], headers: Dict[str, str]) -> Dict[str, str]:
    """``headers`` with the ``anthropic-beta`` values litellm's ``get_anthropic_headers`` adds for
    what ``body`` uses (structured outputs, code execution, web fetch, the Files API, context
    management), comma-joined in sorted order after any the caller set."""
    betas = set()
    if body.get("output_format") is not None:
        betas.add("structured-outputs-2025-11-13")
    if body.get("context_management") is not None:
        betas.add("context-management-2025-06-27")
    for tool in body.get("tools") or ():
        kind = tool.get("type") if isinstance(tool, dict) else None
        if isinstance(kind, str) and kind.startswith("code_execution_"):
            betas.add("code-execution-2025-08-25")
        elif isinstance(kind, str) and kind.startswith("web_fetch_"):
            betas.add("web-fetch-2025-09-10")
    if _uses_file_id(body.get("messages")):
        betas.update(("files-api-2025-04-14", "code-execution-2025-05-22"))
    if not betas:
        return headers
    out = dict(headers)
    given = next((k for k in out if k.lower() == "anthropic-beta"), None)
    given_oauth = headers.get("anthropic-beta") == _OAUTH_BETA
    if given_oauth:  # litellm's own oauth beta joins the others in one sorted list
        betas.add(_OAUTH_BETA)
        headers = {k: v for k, v in headers.items() if k != "anthropic-beta"}
    mine = ",".join(sorted(betas))
    if given is None:
        out["anthropic-beta"] = mine
    else:
        out[given] = f"{out[given]},{mine}"
    return out


_MISSING_KEY = (
    "Missing Anthropic API Key - A call is being made to anthropic but no key is set either in the "
    "environment variables or via params. Please set `ANTHROPIC_API_KEY` or `ANTHROPIC_AUTH_TOKEN` "
    "in your environment vars, or configure workload identity federation via "
    "`ANTHROPIC_FEDERATION_RULE_ID`, `ANTHROPIC_ORGANIZATION_ID`, "
    "`ANTHROPIC_SERVICE_ACCOUNT_ID` and "
    "`ANTHROPIC_IDENTITY_TOKEN_FILE` (or `ANTHROPIC_IDENTITY_TOKEN`)"
)


def missing_key_error(model: str) -> Exception:
    """litellm's AuthenticationError for an Anthropic call without a key, raised before any I/O."""
    from edgequake.exceptions import AuthenticationError

    return AuthenticationError(message=_MISSING_KEY, llm_provider="anthropic", model=model)  # type: ignore[no-any-return]


def uses_json_tool(model: str, response_format: Any) -> bool:
    """Whether this response_format goes out as the ``json_tool_call`` tool (a JSON schema on a
    model without native structured outputs)."""
    return not profile(model)["native_output"] and _json_schema_of(response_format) is not None


_OAUTH_PREFIX = "sk-ant-oat"  # Claude subscription (OAuth) tokens
_OAUTH_BETA = "oauth-2025-04-20"


def x_api_key(api_key: Optional[str]) -> Optional[str]:
    """The key for ``x-api-key``: none for an OAuth token, which litellm sends as a bearer."""
    if api_key and api_key.startswith(_OAUTH_PREFIX):
        return None
    return api_key


def auth_headers(api_key: Optional[str]) -> Dict[str, str]:
    """litellm's bearer auth: an OAuth token (``sk-ant-oat...``) with its beta and browser-access
    headers, or, without a key, ``ANTHROPIC_AUTH_TOKEN``."""
    if api_key and api_key.startswith(_OAUTH_PREFIX):
        return {
            "authorization": f"Bearer {api_key}",
            "anthropic-beta": _OAUTH_BETA,
            "anthropic-dangerous-direct-browser-access": "true",
        }
    token = os.environ.get("ANTHROPIC_AUTH_TOKEN")
    if not api_key and token:
        return {"authorization": f"Bearer {token}"}
    return {}
