"""Calls on every native route against the loopback server, sync or async, stream or not, reduced to
what the silent-error tests compare (issue 9: a reply that is not an answer is never a success).

The literals the tests compare against were measured on litellm 1.110.2 with
``tools/measure_silent_errors.py`` (same bodies, same routes).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, List, Optional, Tuple

import edgequake
from tests import payloads
from tests.loopback import LoopbackServer, Reply

# route -> (api_base suffix, model without the prefix, extra kwargs): as litellm's own paths need them
ROUTES: Dict[str, Tuple[str, str, Dict[str, Any]]] = {
    "openai": ("/v1", "m", {}),
    "azure": ("", "m", {"api_version": "2024-10-21"}),
    "mistral": ("/v1", "m", {}),
    "xai": ("/v1", "m", {}),
    "openrouter": ("/api/v1", "m", {}),
    "groq": ("/openai/v1", "m", {}),
    "deepseek": ("/v1", "m", {}),
    "together_ai": ("/v1", "m", {}),
    "fireworks_ai": ("/v1", "m", {}),
    "huggingface": ("", "org/m", {}),
    "cerebras": ("/v1", "m", {}),
}
ALL = list(ROUTES)
SDK = ["openai", "azure", "cerebras"]  # litellm streams these through the openai SDK
OWN_HTTP = [r for r in ALL if r not in SDK]  # litellm's own HTTP handler

BOOM = {"error": {"message": "boom", "type": "server_error", "code": 500}}


def call_kwargs(server: LoopbackServer, route: str, **kw: Any) -> Dict[str, Any]:
    base, model, extra = ROUTES[route]
    return {
        "model": f"{route}/{model}",
        "messages": payloads.USER,
        "api_key": "sk-test",
        "api_base": server.url + base,
        "max_retries": 0,
        **extra,
        **kw,
    }


def complete(server: LoopbackServer, route: str, body: Any, *, aio: bool = False, **kw: Any) -> Any:
    """The result of one non-stream call answered 200 with ``body``, or the exception it raised."""
    server.enqueue(Reply(status=200, body=body))
    args = call_kwargs(server, route, **kw)
    try:
        if aio:
            return asyncio.run(edgequake.acompletion(**args))
        return edgequake.completion(**args)
    except Exception as exc:
        return exc


def chunk(delta: Any, finish: Optional[str] = None, **extra: Any) -> Dict[str, Any]:
    out: Dict[str, Any] = {
        "id": "chatcmpl-S1",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "m-served",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    out.update(extra)
    return out


HEAD = [chunk({"role": "assistant", "content": ""}), chunk({"content": "Hel"})]
STOP = chunk({}, "stop")


def stream(
    server: LoopbackServer, route: str, events: List[Any], *, aio: bool = False
) -> Tuple[List[Any], Any]:
    """(what each chunk carried as [content, finish_reason], the exception or None) for a 200 stream
    of ``events`` (JSON-encoded unless already a string) ended by ``[DONE]``."""
    data = [e if isinstance(e, str) else json.dumps(e) for e in events] + ["[DONE]"]
    server.enqueue(Reply(status=200, events=data))
    args = call_kwargs(server, route, stream=True)
    seen: List[Any] = []

    def note(c: Any) -> None:
        seen.append([c.choices[0].delta.content, c.choices[0].finish_reason] if c.choices else "no-choices")

    async def run_async() -> None:
        async for c in await edgequake.acompletion(**args):
            note(c)

    try:
        if aio:
            asyncio.run(run_async())
        else:
            for c in edgequake.completion(**args):
                note(c)
    except Exception as exc:
        return seen, exc
    return seen, None


def label(route: str) -> str:
    """litellm's provider label in messages."""
    return "OpenAIException" if route == "openai" else route[:1].upper() + route[1:] + "Exception"


def described(exc: Any) -> Tuple[str, Any]:
    """(class name, status_code) of an exception; ("OK", None) for a result."""
    if not isinstance(exc, BaseException):
        return ("OK", None)
    return (type(exc).__name__, getattr(exc, "status_code", None))


def original(exc: Any) -> Tuple[str, Any]:
    """(class name, status_code) of a MidStreamFallbackError's wrapped exception."""
    return described(getattr(exc, "original_exception", None))


def is_litellm_family(exc: BaseException) -> bool:
    import openai

    return isinstance(exc, openai.OpenAIError) and isinstance(
        exc, getattr(edgequake.exceptions, type(exc).__name__)
    )
