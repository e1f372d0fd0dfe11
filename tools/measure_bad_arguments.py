"""Measure what litellm 1.110.2 raises for bad call arguments (issue 12, item 6).

Calls ``completion``/``acompletion``/``embedding`` with one bad argument at a time against a stdlib
``http.server`` on 127.0.0.1 that answers every request with a valid chat.completion (or embedding)
JSON, with ``max_retries=0``, on the openai route (the openai SDK) and the groq route (litellm's own
HTTP handler). Prints one JSON line per (case, route, function): the exception's class, its openai
bases, status_code, message, llm_provider, model, and whether a request reached the server. With
``--edgequake`` it runs edgequake instead, so the two outputs can be diffed line by line.

    LITELLM_LOCAL_MODEL_COST_MAP=True python tools/measure_bad_arguments.py [--edgequake] [case ...]
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List

CHAT = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1700000000,
    "model": "m",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    "service_tier": "on_demand",  # litellm's groq route reads it (AttributeError without it)
}
EMBED = {
    "object": "list",
    "data": [{"object": "embedding", "index": 0, "embedding": [0.1, 0.2]}],
    "model": "m",
    "usage": {"prompt_tokens": 1, "total_tokens": 1},
}
SEEN: List[str] = []
HANG_AFTER = 8.0  # seconds


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        self.rfile.read(length)
        SEEN.append(self.path)
        body = json.dumps(EMBED if self.path.endswith("/embeddings") else CHAT).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


ROUTES = {"openai": "/v1", "groq": "/openai/v1"}
USER = [{"role": "user", "content": "hi"}]


def _cycle() -> List[Any]:
    msgs: List[Any] = [{"role": "user", "content": "hi"}]
    msgs[0]["extra"] = msgs
    return msgs


# name -> (function, keyword overrides); "chat" cases run completion and acompletion.
CASES: Dict[str, Callable[[], Dict[str, Any]]] = {
    "temperature_nan": lambda: {"temperature": float("nan")},
    "temperature_inf": lambda: {"temperature": float("inf")},
    "content_lone_surrogate": lambda: {"messages": [{"role": "user", "content": "\ud800"}]},
    "timeout_zero": lambda: {"timeout": 0},
    "timeout_negative": lambda: {"timeout": -1},
    "timeout_text": lambda: {"timeout": "abc"},
    "timeout_huge": lambda: {"timeout": 1e20},
    "timeout_inf": lambda: {"timeout": float("inf")},
    "timeout_nan": lambda: {"timeout": float("nan")},
    "max_retries_negative": lambda: {"max_retries": -1},
    "num_retries_negative": lambda: {"num_retries": -1},
    "content_object": lambda: {"messages": [{"role": "user", "content": object()}]},
    "messages_cycle": lambda: {"messages": _cycle()},
    "messages_none": lambda: {"messages": None},
    "messages_str": lambda: {"messages": "hi"},
    "messages_item_str": lambda: {"messages": ["hi"]},
    "max_tokens_huge": lambda: {"max_tokens": 10**30},
    "seed_huge": lambda: {"seed": 2**64},
    "content_bytes": lambda: {"messages": [{"role": "user", "content": b"hi"}]},
    "header_bad_name": lambda: {"extra_headers": {"bad header": "x"}},
    "header_bad_value": lambda: {"extra_headers": {"x-a": "a\nb"}},
    "api_key_non_ascii": lambda: {"api_key": "ключ"},
}
EMBED_CASES: Dict[str, Callable[[], Dict[str, Any]]] = {
    "emb_timeout_huge": lambda: {"timeout": 1e20},
    "emb_timeout_zero": lambda: {"timeout": 0},
    "emb_input_surrogate": lambda: {"input": "\ud800"},
    "emb_input_object": lambda: {"input": [object()]},
    "emb_input_none": lambda: {"input": None},
}


def _openai_bases(cls: type) -> List[str]:
    return [c.__name__ for c in cls.__mro__ if c.__module__.split(".")[0] == "openai"]


def _record(exc: BaseException) -> Dict[str, Any]:
    return {
        "class": type(exc).__name__,
        "module": type(exc).__module__.split(".")[0],
        "openai_bases": _openai_bases(type(exc)),
        "status_code": getattr(exc, "status_code", None),
        "message": str(exc)[:400],
        "llm_provider": getattr(exc, "llm_provider", None),
        "model": getattr(exc, "model", None),
    }


def _call(lib: Any, fn: str, kw: Dict[str, Any]) -> None:
    if fn in ("completion", "embedding"):
        getattr(lib, fn)(**kw)
    else:
        asyncio.run(getattr(lib, fn)(**kw))


def _one(lib: Any, fn: str, kw: Dict[str, Any]) -> Dict[str, Any]:
    """One call in a daemon thread, so a call that never returns is recorded as ``hung``."""
    SEEN.clear()
    out: Dict[str, Any] = {"error": None, "hung": False}

    def run() -> None:
        try:
            _call(lib, fn, kw)
        except BaseException as exc:  # a PanicException is not an Exception: record it too
            out["error"] = _record(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(HANG_AFTER)
    out["hung"] = worker.is_alive()
    out["reached_server"] = bool(SEEN)
    return out


def main(argv: List[str]) -> None:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    only = {a for a in argv if not a.startswith("--")}
    if "--edgequake" in argv:
        import edgequake as lib
    else:
        import litellm as lib

        lib.suppress_debug_info = True
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        for cases, fns, default in (
            (CASES, ("completion", "acompletion"), "messages"),
            (EMBED_CASES, ("embedding", "aembedding"), "input"),
        ):
            for name, make in cases.items():
                if only and name not in only:
                    continue
                for route, base in ROUTES.items():
                    for fn in fns:
                        kw: Dict[str, Any] = {
                            "model": f"{route}/m",
                            default: USER if default == "messages" else "hi",
                            "api_key": "sk-test",
                            "api_base": url + base,
                            "max_retries": 0,
                        }
                        kw.update(make())
                        res = _one(lib, fn, kw)
                        line = {"case": name, "route": route, "fn": fn, **res}
                        print(json.dumps(line, ensure_ascii=True), flush=True)
    finally:
        httpd.shutdown()


if __name__ == "__main__":
    main(sys.argv[1:])
    sys.stdout.flush()
    os._exit(0)  # a call recorded as hung still holds its thread
