"""What ``mock_response`` / ``mock_timeout`` / ``mock_tool_calls`` do in a litellm-compatible module:
for each case, the exception (class, str, status_code, llm_provider, model) or the response's key
facts, sync and async. ``python tools/measure_mock_errors.py litellm|edgequake`` prints JSON;
``tests/test_mock_errors.py`` compares both in-process."""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import sys
from typing import Any, Dict

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

USER = [{"role": "user", "content": "hi"}]
TOOL_CALLS = [{"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]


def cases(lt: Any) -> Dict[str, Dict[str, Any]]:
    return {
        "value_error": {"mock_response": ValueError("mocked")},
        "rate_limit_instance": {
            "mock_response": lt.RateLimitError(message="mocked", llm_provider="openai", model="gpt-4o-mini")
        },
        "str_rate_limit": {"mock_response": "litellm.RateLimitError"},
        "str_context_window": {"mock_response": "litellm.ContextWindowExceededError"},
        "str_internal_server": {"mock_response": "litellm.InternalServerError"},
        "str_content_filter": {"mock_response": "Exception: content_filter_policy blocked"},
        "str_other_exception_name": {"mock_response": "litellm.NotFoundError"},
        "mock_timeout": {"mock_response": "x", "mock_timeout": True, "timeout": 0.01},
        "tool_calls": {"mock_response": "x", "mock_tool_calls": TOOL_CALLS},
        "anthropic_prefix_rate_limit": {
            "mock_response": "litellm.RateLimitError",
            "model": "anthropic/claude-3",
        },
        "value_error_provider": {"mock_response": ValueError("mocked"), "model": "anthropic/claude-3"},
    }


def _describe_exc(exc: BaseException) -> Dict[str, Any]:
    return {
        "class": type(exc).__name__,
        "str": str(exc),
        "status_code": getattr(exc, "status_code", None),
        "llm_provider": getattr(exc, "llm_provider", None),
        "model": getattr(exc, "model", None),
    }


def _describe_response(resp: Any) -> Dict[str, Any]:
    msg = resp.choices[0].message
    return {
        "class": type(resp).__name__,
        "content": msg.content,
        "tool_calls": [tc.model_dump() for tc in msg.tool_calls or []],
        "finish_reason": resp.choices[0].finish_reason,
        "usage": resp.usage.total_tokens,
    }


def measure(module: str) -> Dict[str, Any]:
    lt = importlib.import_module(module)
    lt.suppress_debug_info = True
    out: Dict[str, Any] = {}
    for name, case in cases(lt).items():
        kwargs = {"model": "gpt-4o-mini", "messages": USER, **case}
        for mode in ("sync", "async"):
            try:
                resp = lt.completion(**kwargs) if mode == "sync" else asyncio.run(lt.acompletion(**kwargs))
                out[f"{name}/{mode}"] = _describe_response(resp)
            except Exception as exc:
                out[f"{name}/{mode}"] = _describe_exc(exc)
    return out


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1] if len(sys.argv) > 1 else "litellm"), indent=1, sort_keys=True))
