"""Measure what a stream that stalls after its first chunk raises (issue 12, item 7).

Runs litellm (or, with ``--edgequake``, edgequake) against ``tests.loopback.LoopbackServer`` on the
native routes, sync and async: the server sends one chunk and then nothing, the call's timeout is
0.5 s. Prints one JSON line per (route, mode): chunks received, the exception's class, status and
``str()``, and the wrapped exception's class, so the two outputs can be diffed line by line.

    LITELLM_LOCAL_MODEL_COST_MAP=True python tools/measure_stream_stall.py [--edgequake] [route ...]
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any, Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import payloads
from tests.loopback import LoopbackServer, Reply, sse

ROUTES = ["openai", "azure", "cerebras", "mistral", "xai", "openrouter", "groq", "together_ai", "huggingface"]


def _kwargs(server: LoopbackServer, route: str) -> Dict[str, Any]:
    extra = {"api_version": "2024-10-21"} if route == "azure" else {}
    model = "org/m" if route == "huggingface" else "gpt-4o"
    return dict(
        model=f"{route}/{model}", messages=payloads.USER, api_key="k", api_base=server.url + "/v1",
        stream=True, timeout=0.5, max_retries=0, **extra,
    )


def _describe(got: List[Any], exc: BaseException) -> Dict[str, Any]:
    inner = getattr(exc, "original_exception", None)
    return {
        "chunks": len(got),
        "class": type(exc).__name__,
        "status": getattr(exc, "status_code", None),
        "str": str(exc),
        "inner": type(inner).__name__ if inner is not None else None,
    }


def measure(module: Any, server: LoopbackServer, route: str, mode: str) -> Dict[str, Any]:
    server.enqueue(Reply(events=sse(*payloads.text_stream("a", "b")), hold_after=1))
    got: List[Any] = []
    try:
        if mode == "sync":
            for chunk in module.completion(**_kwargs(server, route)):
                got.append(chunk)
        else:

            async def consume() -> None:
                stream = await module.acompletion(**_kwargs(server, route))
                async for chunk in stream:
                    got.append(chunk)

            asyncio.run(consume())
    except Exception as exc:  # the exception is the measurement
        return {"route": route, "mode": mode, **_describe(got, exc)}
    return {"route": route, "mode": mode, "chunks": len(got), "class": None}


def main(argv: List[str]) -> None:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    use_edgequake = "--edgequake" in argv
    routes = [a for a in argv if not a.startswith("--")] or ROUTES
    module = __import__("edgequake" if use_edgequake else "litellm")
    if not use_edgequake:
        module.suppress_debug_info = True
    server = LoopbackServer()
    server.start()
    try:
        for route in routes:
            for mode in ("sync", "async"):
                print(json.dumps(measure(module, server, route, mode)), flush=True)
    finally:
        server.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
