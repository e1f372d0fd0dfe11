"""Measure what a litellm-compatible module does with callbacks: which hooks fire, in what order, on
which thread, before or after the call returns, and with which kwargs keys and value types.

    python tools/measure_callbacks.py litellm      # the reference
    python tools/measure_callbacks.py edgequake    # the candidate

Prints one JSON document; ``tests/test_callbacks.py`` runs ``measure`` in-process against both and
compares. Every request goes to a loopback server (no network).
"""

from __future__ import annotations

import asyncio
import datetime
import importlib
import json
import os
import sys
import threading
import time
from typing import Any, Dict, List

from edgequake._callbacks.registry import MODULE_LISTS

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from tests import payloads
from tests.loopback import LoopbackServer, Reply, sse

KEY = "sk-measure-SECRET-1234567890"
SLO_KEYS = (
    "id",
    "call_type",
    "stream",
    "response_cost",
    "status",
    "model",
    "model_id",
    "custom_llm_provider",
    "api_base",
    "metadata",
    "prompt_tokens",
    "completion_tokens",
    "total_tokens",
    "startTime",
    "endTime",
    "completionStartTime",
    "response_time",
    "model_group",
    "messages",
    "response",
    "model_parameters",
    "hidden_params",
    "error_str",
    "error_information",
    "trace_id",
    "cache_hit",
    "saved_cache_cost",
    "request_tags",
    "end_user",
    "requester_ip_address",
    "standard_built_in_tools_params",
)


def _type(v: Any) -> str:
    return type(v).__name__


def _describe_kwargs(kwargs: Dict[str, Any]) -> Dict[str, Any]:
    out: Dict[str, Any] = {"keys": sorted(kwargs), "types": {k: _type(v) for k, v in kwargs.items()}}
    lp = kwargs.get("litellm_params")
    if isinstance(lp, dict):
        out["litellm_params_keys"] = sorted(lp)
        out["litellm_params.metadata"] = _jsonable(lp.get("metadata"))
    slo = kwargs.get("standard_logging_object")
    if isinstance(slo, dict):
        out["slo_keys"] = sorted(slo)
        out["slo"] = {k: _jsonable(slo.get(k)) for k in SLO_KEYS if k in slo}
    for k in ("model", "messages", "stream", "metadata", "call_type", "custom_llm_provider", "api_key"):
        if k in kwargs:
            out[f"v.{k}"] = _jsonable(kwargs[k])
    if "response_cost" in kwargs:
        out["response_cost_type"] = _type(kwargs["response_cost"])
    if "exception" in kwargs:
        out["exception"] = _type(kwargs["exception"])
    csr = kwargs.get("complete_streaming_response")
    if csr is not None:
        out["complete_streaming_response"] = {
            "type": _type(csr),
            "content": csr.choices[0].message.content,
        }
    return out


def _jsonable(v: Any) -> Any:
    try:
        json.dumps(v)
        return v
    except TypeError:
        return f"<{_type(v)}>"


class _Events:
    def __init__(self) -> None:
        self.items: List[Dict[str, Any]] = []
        self.returned = False
        self.lock = threading.Lock()

    def add(self, hook: str, **info: Any) -> None:
        info["hook"] = hook
        info["thread"] = "main" if threading.current_thread() is threading.main_thread() else "other"
        info["after_return"] = self.returned
        with self.lock:
            self.items.append(info)


def _describe_event(args: tuple) -> Dict[str, Any]:
    kwargs, response_obj, start_time, end_time = args
    return {
        "kwargs": _describe_kwargs(kwargs),
        "response_obj": _type(response_obj),
        "start_time": _type(start_time),
        "end_time": _type(end_time),
        "ordered": isinstance(start_time, datetime.datetime)
        and isinstance(end_time, datetime.datetime)
        and start_time <= end_time,
    }


def _logger_class(lt: Any, events: _Events) -> Any:
    base = importlib.import_module(f"{lt.__name__}.integrations.custom_logger").CustomLogger

    class Recorder(base):  # type: ignore[misc, valid-type]
        def log_pre_api_call(self, model: Any, messages: Any, kwargs: Any) -> None:
            events.add("log_pre_api_call", model=model, kwargs=_describe_kwargs(kwargs))

        def log_post_api_call(self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any) -> None:
            events.add("log_post_api_call", kwargs=_describe_kwargs(kwargs), response_obj=_type(response_obj))

        def log_stream_event(self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any) -> None:
            events.add("log_stream_event", **_describe_event((kwargs, response_obj, start_time, end_time)))

        def log_success_event(self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any) -> None:
            events.add("log_success_event", **_describe_event((kwargs, response_obj, start_time, end_time)))

        def log_failure_event(self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any) -> None:
            events.add("log_failure_event", **_describe_event((kwargs, response_obj, start_time, end_time)))

        async def async_log_stream_event(
            self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any
        ) -> None:
            events.add(
                "async_log_stream_event", **_describe_event((kwargs, response_obj, start_time, end_time))
            )

        async def async_log_success_event(
            self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any
        ) -> None:
            events.add(
                "async_log_success_event", **_describe_event((kwargs, response_obj, start_time, end_time))
            )

        async def async_log_failure_event(
            self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any
        ) -> None:
            events.add(
                "async_log_failure_event", **_describe_event((kwargs, response_obj, start_time, end_time))
            )

    return Recorder()


def _scenarios(lt: Any, server: LoopbackServer, base: str) -> Dict[str, Any]:
    common = {
        "model": "openai/gpt-4o-mini",
        "messages": payloads.USER,
        "api_base": base,
        "api_key": KEY,
        "max_retries": 0,
        "metadata": {"run": "measure"},
    }

    def sync_ok() -> Any:
        server.enqueue(Reply(body=payloads.chat("hello")))
        return lt.completion(**common)

    def sync_stream() -> Any:
        server.enqueue(Reply(events=sse(*payloads.text_stream("hel", "lo"))))
        return "".join(c.choices[0].delta.content or "" for c in lt.completion(**common, stream=True))

    def sync_fail() -> Any:
        server.enqueue(
            Reply(status=401, body={"error": {"message": "bad key", "type": "invalid_request_error"}})
        )
        return lt.completion(**common)

    async def async_ok() -> Any:
        server.enqueue(Reply(body=payloads.chat("hello")))
        return await lt.acompletion(**common)

    async def async_stream() -> Any:
        server.enqueue(Reply(events=sse(*payloads.text_stream("hel", "lo"))))
        out = ""
        async for c in await lt.acompletion(**common, stream=True):
            out += c.choices[0].delta.content or ""
        return out

    async def async_fail() -> Any:
        server.enqueue(
            Reply(status=401, body={"error": {"message": "bad key", "type": "invalid_request_error"}})
        )
        return await lt.acompletion(**common)

    def sync_mock() -> Any:
        return lt.completion(model="gpt-4o-mini", messages=payloads.USER, mock_response="mocked")

    return {
        "sync_ok": sync_ok,
        "sync_stream": sync_stream,
        "sync_fail": sync_fail,
        "async_ok": async_ok,
        "async_stream": async_stream,
        "async_fail": async_fail,
        "sync_mock": sync_mock,
    }


def _reset(lt: Any) -> None:
    # litellm's module-level callback lists, the same names edgequake's registry reads
    for name in MODULE_LISTS:
        setattr(lt, name, [])



def measure(module: str, settle: float = 0.6) -> Dict[str, Any]:
    lt = importlib.import_module(module)
    lt.suppress_debug_info = True
    server = LoopbackServer().start()
    base = f"http://127.0.0.1:{server.port}/v1"
    results: Dict[str, Any] = {}
    try:
        for name, scenario in _scenarios(lt, server, base).items():
            events = _Events()
            logger = _logger_class(lt, events)

            def success_fn(kwargs: Any, response: Any, start: Any, end: Any, _e: _Events = events) -> None:
                _e.add("success_fn", **_describe_event((kwargs, response, start, end)))

            def failure_fn(kwargs: Any, response: Any, start: Any, end: Any, _e: _Events = events) -> None:
                _e.add("failure_fn", **_describe_event((kwargs, response, start, end)))

            _reset(lt)
            lt.callbacks = [logger]
            lt.success_callback = [success_fn]
            lt.failure_callback = [failure_fn]
            outcome: Dict[str, Any] = {}
            try:
                if asyncio.iscoroutinefunction(scenario):

                    async def main(_s: Any = scenario, _e: _Events = events) -> Any:
                        try:
                            return await _s()
                        finally:
                            _e.returned = True  # before the loop runs anything else
                            await asyncio.sleep(settle)

                    loop = asyncio.new_event_loop()
                    try:
                        value = loop.run_until_complete(main())
                    finally:
                        loop.close()
                else:
                    value = scenario()
                    events.returned = True
                outcome["result"] = _type(value)
            except Exception as exc:
                events.returned = True
                outcome["raised"] = _type(exc)
            time.sleep(settle)
            _reset(lt)
            with events.lock:
                outcome["events"] = list(events.items)
            results[name] = outcome
    finally:
        server.stop()
        _close_leftover_loop()
    return results


def _close_leftover_loop() -> None:
    """litellm's sync path makes (and never closes) an event loop for this thread; closed here so
    it is not collected unclosed later, inside some unrelated test."""
    local = getattr(asyncio.get_event_loop_policy(), "_local", None)
    loop = getattr(local, "_loop", None)
    if loop is not None and not loop.is_running() and not loop.is_closed():
        loop.close()


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1] if len(sys.argv) > 1 else "litellm"), indent=1, sort_keys=True))
