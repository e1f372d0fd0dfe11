"""Measure what litellm 1.110.2 does with 200 replies that are not a usable completion (issue 9).

Runs litellm against ``tests.loopback.LoopbackServer`` on every native edgequake route, sync and
async, stream and non-stream, and prints one JSON line per (case, route, mode): the chunks it yielded
(their text and finish_reason) and the exception it raised (class, status, message, provider, model,
and the wrapped exception's class and status). With ``--edgequake`` it runs edgequake instead, so the
two outputs can be diffed line by line.

    LITELLM_LOCAL_MODEL_COST_MAP=True python tools/measure_silent_errors.py [--edgequake] [case ...]
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any, Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.loopback import LoopbackServer, Reply

ROUTES: Dict[str, Dict[str, Any]] = {
    "openai": {"base": "/v1"},
    "azure": {"base": "", "kw": {"api_version": "2024-10-21"}},
    "mistral": {"base": "/v1"},
    "xai": {"base": "/v1"},
    "openrouter": {"base": "/api/v1"},
    "groq": {"base": "/openai/v1"},
    "deepseek": {"base": "/v1"},
    "together_ai": {"base": "/v1"},
    "fireworks_ai": {"base": "/v1"},
    "huggingface": {"base": "", "model": "org/m"},
    "cerebras": {"base": "/v1"},
}

ERROR = {"error": {"message": "boom", "type": "server_error", "code": 500}}


def _chunk(delta: Any, finish: Any = None, **extra: Any) -> Dict[str, Any]:
    out = {
        "id": "chatcmpl-S1",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "m-served",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    out.update(extra)
    return out


def _body(**kw: Any) -> Dict[str, Any]:
    out: Dict[str, Any] = {
        "id": "chatcmpl-S1",
        "object": "chat.completion",
        "created": 1700000000,
        "model": "m-served",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}],
    }
    out.update(kw)
    return out


_HEAD = [_chunk({"role": "assistant", "content": ""}), _chunk({"content": "Hel"})]
_OR_ERROR = {"code": "server_error", "message": "Provider disconnected unexpectedly"}

NONSTREAM: Dict[str, Any] = {
    "error_body": ERROR,
    "empty_object": {},
    "choices_null": _body(choices=None),
    "choices_null_item": _body(choices=[None]),
    "content_5": _body(
        choices=[{"index": 0, "message": {"role": "assistant", "content": 5}, "finish_reason": "stop"}]
    ),
    "json_array": [1, 2],
    "error_nocode": {"error": {"message": "boom"}},
    "error_400": {"error": {"message": "boom", "code": 400}},
    "error_401": {"error": {"message": "boom", "code": 401}},
    "error_404": {"error": {"message": "boom", "code": 404}},
    "error_429": {"error": {"message": "boom", "code": 429}},
    "error_503": {"error": {"message": "boom", "code": 503}},
    "error_529": {"error": {"message": "boom", "code": 529}},
    "error_strcode": {"error": {"message": "boom", "code": "server_error"}},
    "error_nullcode": {"error": {"message": "boom", "code": None}},
    "error_rate_text": {"error": {"message": "Rate limit reached for requests", "code": 500}},
    "error_context_text": {
        "error": {"message": "This model's maximum context length is 10 tokens", "code": 400}
    },
    "error_empty": {"error": {"message": "", "code": None}},
    "error_string": {"error": "boom"},
    "error_with_choices": _body(error={"message": "boom", "code": 500}),
    "error_null_with_choices": _body(error=None),
    "content_list": _body(
        choices=[
            {
                "index": 0,
                "message": {"role": "assistant", "content": [{"type": "text", "text": "hi"}]},
                "finish_reason": "stop",
            }
        ]
    ),
    "content_dict": _body(
        choices=[{"index": 0, "message": {"role": "assistant", "content": {"a": 1}}, "finish_reason": "stop"}]
    ),
    "message_null": _body(choices=[{"index": 0, "message": None, "finish_reason": "stop"}]),
    "message_missing": _body(choices=[{"index": 0, "finish_reason": "stop"}]),
    "choices_empty": _body(choices=[]),
    "choices_dict": _body(choices={"a": 1}),
}
STREAM: Dict[str, List[Any]] = {
    "error_first": [ERROR],
    "error_midstream": [*_HEAD, ERROR],
    "or_error_midstream_str": [*_HEAD, _chunk({"content": ""}, "error", error=_OR_ERROR)],
    "or_error_midstream_500": [*_HEAD, _chunk({"content": ""}, "error", error={**_OR_ERROR, "code": 500})],
    "or_error_midstream_502": [*_HEAD, _chunk({"content": ""}, "error", error={**_OR_ERROR, "code": 502})],
    "or_error_midstream_429": [*_HEAD, _chunk({"content": ""}, "error", error={**_OR_ERROR, "code": 429})],
    "or_error_midstream_400": [*_HEAD, _chunk({"content": ""}, "error", error={**_OR_ERROR, "code": 400})],
    "or_error_midstream_nocode": [*_HEAD, _chunk({"content": ""}, "error", error={"message": "x"})],
    "finish_error_only": [*_HEAD, _chunk({"content": ""}, "error")],
    "empty_object": [*_HEAD, {}],
    "choices_null": [*_HEAD, _chunk(None, choices=None)],
    "choices_null_item": [*_HEAD, dict(_chunk({}), choices=[None])],
    "content_5": [_chunk({"role": "assistant", "content": 5}), _chunk({}, "stop")],
    "json_array": [*_HEAD, [1, 2]],
    "json_array_empty": [*_HEAD, []],
    "empty_object_then_stop": [*_HEAD, {}, _chunk({}, "stop")],
    "choices_null_then_stop": [*_HEAD, _chunk(None, choices=None), _chunk({}, "stop")],
    "json_array_empty_then_stop": [*_HEAD, [], _chunk({}, "stop")],
    "json_array_then_stop": [*_HEAD, [1, 2], _chunk({}, "stop")],
    "scalar_then_stop": [*_HEAD, 5, _chunk({}, "stop")],
    "string_then_stop": [*_HEAD, "x", _chunk({}, "stop")],
    "error_empty_midstream": [*_HEAD, {"error": {}}, _chunk({}, "stop")],
    "error_strcode_first": [{"error": _OR_ERROR}],
    "content_dict": [_chunk({"role": "assistant", "content": {"a": 1}}), _chunk({}, "stop")],
    "delta_null": [*_HEAD, _chunk(None), _chunk({}, "stop")],
    "error_null_midstream": [*_HEAD, _chunk({"content": "lo"}, error=None), _chunk({}, "stop")],
    "error_string_midstream": [*_HEAD, {"error": "boom"}, _chunk({}, "stop")],
    "error_nomessage_midstream": [*_HEAD, {"error": {"code": 502}}, _chunk({}, "stop")],
    "choices_dict_midstream": [*_HEAD, dict(_chunk({}), choices={"a": 1}), _chunk({}, "stop")],
    "choices_number_midstream": [*_HEAD, dict(_chunk({}), choices=3), _chunk({}, "stop")],
    "error_event": None,
}


def _exc(e: BaseException) -> Dict[str, Any]:
    orig = getattr(e, "original_exception", None)
    return {
        "class": type(e).__name__,
        "module": type(e).__module__.split(".")[0],
        "status_code": getattr(e, "status_code", None),
        "message": str(e)[:600],
        "llm_provider": getattr(e, "llm_provider", None),
        "model": getattr(e, "model", None),
        "orig": None if orig is None else [type(orig).__name__, getattr(orig, "status_code", None)],
    }


def _chunk_summary(c: Any) -> Any:
    try:
        ch = c.choices[0] if c.choices else None
        return [getattr(ch.delta, "content", None), ch.finish_reason] if ch else "no-choices"
    except Exception as e:
        return f"?{e!r}"


def _resp_summary(r: Any) -> Any:
    try:
        return {"choices": [[c.message.content, c.finish_reason] for c in r.choices]}
    except Exception as e:
        return f"?{type(e).__name__}: {e}"


async def _one(
    lib: Any, server: LoopbackServer, route: str, reply: Reply, stream: bool, aio: bool
) -> Dict[str, Any]:
    cfg = ROUTES[route]
    server.reset()
    server.enqueue(reply)
    kw = dict(
        model=f"{route}/{cfg.get('model', 'm')}",
        messages=[{"role": "user", "content": "hi"}],
        api_base=server.url + cfg["base"],
        api_key="sk-test",
        max_retries=0,
        stream=stream,
        **cfg.get("kw", {}),
    )
    out: Dict[str, Any] = {"chunks": [], "result": None, "error": None}
    try:
        if aio:
            r = await lib.acompletion(**kw)
            if stream:
                async for c in r:
                    out["chunks"].append(_chunk_summary(c))
            else:
                out["result"] = _resp_summary(r)
        else:
            r = lib.completion(**kw)
            if stream:
                for c in r:
                    out["chunks"].append(_chunk_summary(c))
            else:
                out["result"] = _resp_summary(r)
    except Exception as e:
        out["error"] = _exc(e)
    out["requests"] = len(server.seen)
    return out


async def main(argv: List[str]) -> None:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    use_eq = "--edgequake" in argv
    only = {a for a in argv if not a.startswith("--")}
    if use_eq:
        import edgequake as lib
    else:
        import litellm as lib

        lib.suppress_debug_info = True
    server = LoopbackServer().start()
    try:
        for name, body in NONSTREAM.items():
            if only and name not in only:
                continue
            for route in ROUTES:
                for aio in (False, True):
                    res = await _one(lib, server, route, Reply(status=200, body=body), False, aio)
                    print(json.dumps({"case": "ns:" + name, "route": route, "aio": aio, **res}), flush=True)
        for name, events in STREAM.items():
            if only and name not in only:
                continue
            for route in ROUTES:
                for aio in (False, True):
                    if events is None:  # an SSE `event: error`
                        first = json.dumps(_chunk({"content": "Hel"}))
                        raw = [
                            f"data: {first}\n\n".encode(),
                            b'event: error\ndata: {"error": {"message": "boom", "code": 429}}\n\n',
                        ]
                        reply = Reply(status=200, raw_events=raw)
                    else:
                        reply = Reply(status=200, events=[json.dumps(e) for e in events] + ["[DONE]"])
                    res = await _one(lib, server, route, reply, True, aio)
                    print(json.dumps({"case": "st:" + name, "route": route, "aio": aio, **res}), flush=True)
    finally:
        server.stop()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
