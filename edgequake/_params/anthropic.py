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
import sys
from typing import Any, Dict, List, Optional, Tuple

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
    """A ``response_format`` as Anthropic's native ``output_format`` (its JSON schema as given)."""
    if isinstance(value, type):
        from edgequake._params.body import _json_schema_from_class

        value = _json_schema_from_class(value)
    if not isinstance(value, dict):
        return None
    schema = value.get("response_schema")
    if schema is None and isinstance(value.get("json_schema"), dict):
        schema = value["json_schema"].get("schema")
    if schema is None:
        return None
    return {"type": "json_schema", "schema": schema}


def anthropic_chat_body(
    model: str,
    messages: List[Any],
    params: Dict[str, Any],
    *,
    drop_params: bool,
    additional_drop_params: Optional[List[str]],
) -> Dict[str, Any]:
    """The OpenAI-shaped body (with litellm's Anthropic decisions applied) for the core's wire."""
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
    extra_body = None
    facts = profile(model)
    for key, value in params.items():
        if key == "extra_body":
            extra_body = value
        elif key in ("stream_options", "n", "extra_headers"):
            continue  # litellm's own: never sent to Anthropic
        elif key == "max_tokens" or key == "max_completion_tokens":
            body["max_tokens"] = value if isinstance(value, int) else max(1, round(value))
        elif key == "stream":
            if value is True:
                body["stream"] = True
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
            output = _output_format(value) if facts["native_output"] else None
            if output is not None:
                body["output_format"] = output
        elif key == "user":
            if isinstance(value, str) and value:
                body["user"] = value
        else:
            body[key] = value
    if "max_tokens" not in body:
        thinking = body.get("thinking")
        budget = thinking.get("budget_tokens") if isinstance(thinking, dict) else None
        thinking_on = thinking is True or (isinstance(thinking, dict) and thinking.get("type") == "enabled")
        if (thinking_on or "reasoning_effort" in params) and isinstance(budget, int):
            body["max_tokens"] = budget + _THINKING_HEADROOM
        else:
            body["max_tokens"] = facts["max_tokens"]
    if isinstance(extra_body, dict):
        body.update(extra_body)
    return body
