"""``fallbacks=`` / ``context_window_fallback_dict=`` in a litellm-compatible module: for each case,
which models the loopback server was asked for (in order, with the temperature each attempt sent),
which model answered and the attempted-fallbacks header, or the error when every attempt failed.

    python tools/measure_fallbacks.py litellm|edgequake     # prints JSON

``tests/test_fallbacks.py`` runs litellm's side in a subprocess (its logging worker leaves pending
tasks behind on the private loops its fallbacks run on) and edgequake's in-process.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import sys
import warnings
from typing import Any, Callable, Dict, List

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from tests import payloads
from tests.loopback import LoopbackServer, Reply

BAD_KEY = {"error": {"message": "bad key", "type": "invalid_request_error"}}
CONTEXT = {
    "error": {
        "message": "This model's maximum context length is 8192 tokens",
        "code": "context_length_exceeded",
    }
}


def _bad() -> Reply:
    return Reply(status=401, body=BAD_KEY)


def _ok(model: str) -> Reply:
    return Reply(body=payloads.chat("hello", model=model))


def _run(
    lt: Any, server: LoopbackServer, replies: List[Reply], call: Callable[[Any, Dict[str, Any]], Any]
) -> Dict[str, Any]:
    server.reset()
    server.enqueue(*replies)
    common = {"messages": payloads.USER, "api_base": server.url + "/v1", "api_key": "sk-x", "max_retries": 0}
    try:
        result = call(lt, common)
        if asyncio.iscoroutine(result):
            result = asyncio.run(result)
        hidden = result._hidden_params.get("additional_headers", {})
        out: Dict[str, Any] = {
            "model": result.model,
            "attempted": hidden.get("x-litellm-attempted-fallbacks"),
        }
    except Exception as exc:
        out = {"raised": type(exc).__name__, "head": str(exc).split(". All fallback")[0]}
        if "All fallback attempts failed" in str(exc):
            out["tail"] = "All fallback attempts failed"
    out["asked"] = [seen.json().get("model") for seen in server.seen]
    out["temperatures"] = [seen.json().get("temperature") for seen in server.seen]
    return out


CASES: Dict[str, Any] = {
    "second_answers": (
        lambda: [_bad(), _ok("second")],
        lambda lt, c: lt.completion(model="openai/first", fallbacks=["openai/second"], **c),
    ),
    "second_answers_async": (
        lambda: [_bad(), _ok("second")],
        lambda lt, c: lt.acompletion(model="openai/first", fallbacks=["openai/second"], **c),
    ),
    "dict_entry": (
        lambda: [_bad(), _ok("second")],
        lambda lt, c: lt.completion(
            model="openai/first", fallbacks=[{"model": "openai/second", "temperature": 0.5}], **c
        ),
    ),
    "dict_without_model_retries_the_original": (
        lambda: [_bad(), _ok("first")],
        lambda lt, c: lt.completion(model="openai/first", fallbacks=[{"temperature": 0.3}], **c),
    ),
    "first_answers": (
        lambda: [_ok("first")],
        lambda lt, c: lt.completion(model="openai/first", fallbacks=["openai/second"], **c),
    ),
    "all_fail_sync": (
        lambda: [_bad(), _bad()],
        lambda lt, c: lt.completion(model="openai/first", fallbacks=["openai/second"], **c),
    ),
    "all_fail_async": (
        lambda: [_bad(), _bad()],
        lambda lt, c: lt.acompletion(model="openai/first", fallbacks=["openai/second"], **c),
    ),
    "context_window": (
        lambda: [Reply(status=400, body=CONTEXT), _ok("big")],
        lambda lt, c: lt.completion(
            model="openai/small", context_window_fallback_dict={"openai/small": "openai/big"}, **c
        ),
    ),
    "context_window_async": (
        lambda: [Reply(status=400, body=CONTEXT), _ok("big")],
        lambda lt, c: lt.acompletion(
            model="openai/small", context_window_fallback_dict={"openai/small": "openai/big"}, **c
        ),
    ),
    "context_window_other_model_not_retried": (
        lambda: [Reply(status=400, body=CONTEXT)],
        lambda lt, c: lt.completion(
            model="openai/small", context_window_fallback_dict={"openai/x": "openai/big"}, **c
        ),
    ),
}  # fmt: skip


def measure(module: str) -> Dict[str, Any]:
    lt = importlib.import_module(module)
    lt.suppress_debug_info = True
    server = LoopbackServer().start()
    try:
        return {name: _run(lt, server, replies(), call) for name, (replies, call) in sorted(CASES.items())}
    finally:
        server.stop()


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    print(json.dumps(measure(sys.argv[1] if len(sys.argv) > 1 else "litellm"), sort_keys=True))
