"""Callbacks as litellm 1.110.2 calls them: the same script (``tools/measure_callbacks.py``) runs
against litellm and edgequake, and the hooks fired, their thread, whether they fire after the call
returned, and the keys and value types of ``kwargs`` (and its ``standard_logging_object`` and
``litellm_params``) must agree, except for the differences listed here with their reason."""

from __future__ import annotations

import asyncio
import datetime
import threading
import time
from typing import Any, Dict, List

import pytest

import edgequake
from edgequake.integrations.custom_logger import CustomLogger
from tests import payloads
from tests.loopback import LoopbackServer, Reply, sse
from tools.measure_callbacks import measure

# (scenario, hook) -> kwargs keys allowed on one side only, and why.
KNOWN_KEY_DIFFERENCES: Dict[tuple, tuple] = {
    # litellm's async stream logs post_api_call from its streaming thread before pre_api_call runs
    # (a race in litellm): its pre-call dict already holds the post-call keys and vice versa.
    ("async_stream", "log_pre_api_call"): ({"original_response"}, set()),
    ("async_stream", "log_post_api_call"): (
        set(),
        {
            "api_call_start_time",
            "current_attempt_api_call_start_time",
            "first_api_call_start_time",
            "llm_api_duration_ms",
        },
    ),
    # litellm's mock path skips its HTTP bookkeeping; edgequake's record is the same for every call.
    ("sync_mock", "log_pre_api_call"): (set(), {"max_retries"}),
    ("sync_mock", "log_post_api_call"): (set(), {"llm_api_duration_ms", "max_retries"}),
    ("sync_mock", "success_fn"): (set(), {"llm_api_duration_ms", "max_retries", "response_headers"}),
    ("sync_mock", "log_success_event"): (set(), {"llm_api_duration_ms", "max_retries", "response_headers"}),
    # litellm adds complete_response after its plain functions ran (one dict, mutated between callees)
    ("sync_stream", "success_fn"): (set(), {"complete_response"}),
}
# Set by litellm's logging worker while the hooks run: present or not depending on the race.
RACY_KEYS = {"has_logged_sync_success", "has_logged_async_success"}
# kwargs values whose type differs, and why.
KNOWN_TYPE_DIFFERENCES = {
    "original_response",  # an async stream's is a coroutine in litellm, the stream object here
    "api_key",  # litellm's mock logs a literal "mock-key"; edgequake the call's key (None here)
}


@pytest.fixture(scope="module")
def measured() -> Dict[str, Any]:
    pytest.importorskip("litellm")
    return {"litellm": measure("litellm"), "edgequake": measure("edgequake")}


def _by_hook(outcome: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    return {e["hook"]: e for e in outcome["events"]}


SCENARIOS = ["sync_ok", "sync_stream", "sync_fail", "async_ok", "async_stream", "async_fail", "sync_mock"]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_same_hooks_fire_as_in_litellm(measured: Dict[str, Any], scenario: str) -> None:
    ref, got = measured["litellm"][scenario], measured["edgequake"][scenario]
    assert got.get("result") == ref.get("result") and got.get("raised") == ref.get("raised")
    assert sorted(_by_hook(got)) == sorted(_by_hook(ref))
    for hook, event in _by_hook(ref).items():
        mine = _by_hook(got)[hook]
        for key in ("response_obj", "start_time", "end_time", "ordered"):
            assert mine.get(key) == event.get(key), (hook, key)
        if scenario != "async_stream" or hook != "log_post_api_call":  # litellm's streaming thread
            assert mine["thread"] == event["thread"], hook
        if event["thread"] == "main":  # a hook on litellm's logging thread races the caller
            assert mine["after_return"] == event["after_return"], hook


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_kwargs_keys_and_types_match_litellm(measured: Dict[str, Any], scenario: str) -> None:
    ref, got = _by_hook(measured["litellm"][scenario]), _by_hook(measured["edgequake"][scenario])
    for hook, event in ref.items():
        theirs, mine = event.get("kwargs", {}), got[hook].get("kwargs", {})
        only_ref, only_mine = KNOWN_KEY_DIFFERENCES.get((scenario, hook), (set(), set()))
        theirs_keys = set(theirs.get("keys", [])) - RACY_KEYS
        mine_keys = set(mine.get("keys", [])) - RACY_KEYS
        assert theirs_keys - mine_keys == only_ref, hook
        assert mine_keys - theirs_keys == only_mine, hook
        for key, kind in theirs.get("types", {}).items():
            if key in mine.get("types", {}) and key not in KNOWN_TYPE_DIFFERENCES:
                assert mine["types"][key] == kind, (hook, key)
        assert mine.get("slo_keys") == theirs.get("slo_keys"), hook
        assert mine.get("litellm_params_keys") == theirs.get("litellm_params_keys"), hook
        for key in ("v.model", "v.messages", "v.stream", "v.call_type", "v.custom_llm_provider", "exception"):
            assert mine.get(key) == theirs.get(key), (hook, key)
        assert mine.get("complete_streaming_response") == theirs.get("complete_streaming_response"), hook


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_standard_logging_object_values_match_litellm(measured: Dict[str, Any], scenario: str) -> None:
    volatile = {"startTime", "endTime", "completionStartTime", "response_time", "hidden_params", "trace_id",
                "id", "api_base", "metadata", "error_information"}  # fmt: skip
    ref, got = _by_hook(measured["litellm"][scenario]), _by_hook(measured["edgequake"][scenario])
    for hook, event in ref.items():
        theirs = event.get("kwargs", {}).get("slo", {})
        mine = got[hook].get("kwargs", {}).get("slo", {})
        for key, value in theirs.items():
            if key == "response":
                value, mine_value = _stable(value), _stable(mine.get(key))
                assert mine_value == value, (hook, key)
            elif key not in volatile:
                assert mine.get(key) == value, (hook, key)


def _stable(response: Any) -> Any:
    """A response dump without what differs by design: a stream's local ``created``, litellm's
    ``usage.cost`` (its price map); the id (compared as ``id``, volatile for mocks)."""
    if not isinstance(response, dict):
        return response
    out = {k: v for k, v in response.items() if k not in ("created", "id")}
    if isinstance(out.get("usage"), dict):
        out["usage"] = {k: v for k, v in out["usage"].items() if k != "cost"}
    return out


# -- behaviour the comparison does not show ----------------------------------------------------------
class Recorder(CustomLogger):
    def __init__(self) -> None:
        super().__init__()
        self.events: List[tuple] = []

    def log_success_event(self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any) -> None:
        self.events.append(("success", kwargs, response_obj, start_time, end_time))

    def log_failure_event(self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any) -> None:
        self.events.append(("failure", kwargs, response_obj, start_time, end_time))

    async def async_log_success_event(
        self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any
    ) -> None:
        self.events.append(("async_success", kwargs, response_obj, start_time, end_time))

    async def async_log_failure_event(
        self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any
    ) -> None:
        self.events.append(("async_failure", kwargs, response_obj, start_time, end_time))


def _wait(events: List[Any], n: int = 1) -> None:
    for _ in range(200):
        if len(events) >= n:
            return
        time.sleep(0.01)


def _call(server: LoopbackServer, **extra: Any) -> Any:
    return edgequake.completion(
        model="openai/gpt-4o-mini",
        messages=payloads.USER,
        api_base=server.url + "/v1",
        api_key="sk-test",
        max_retries=0,
        **extra,
    )


def test_per_call_callbacks_and_metadata(server: LoopbackServer) -> None:
    rec = Recorder()
    server.enqueue(Reply(body=payloads.chat("hello")))
    response = _call(server, callbacks=[rec], metadata={"tag": "t1"})
    _wait(rec.events)
    kind, kwargs, obj, start, end = rec.events[0]
    assert kind == "success" and obj is response
    assert kwargs["litellm_params"]["metadata"]["tag"] == "t1"
    assert kwargs["litellm_call_id"] == response._hidden_params["litellm_call_id"]
    assert isinstance(start, datetime.datetime) and isinstance(end, datetime.datetime) and start <= end
    assert kwargs["standard_logging_object"]["status"] == "success"
    assert kwargs["standard_logging_object"]["prompt_tokens"] == 9
    # per call: not left registered anywhere (litellm leaks it into its module lists)
    assert edgequake.callbacks == [] and edgequake.success_callback == []
    server.enqueue(Reply(body=payloads.chat("again")))
    _call(server)
    time.sleep(0.1)
    assert len(rec.events) == 1


def test_failure_hook_gets_the_exception_before_the_caller(server: LoopbackServer) -> None:
    rec = Recorder()
    server.enqueue(Reply(status=429, body={"error": {"message": "slow down"}}))
    with pytest.raises(edgequake.RateLimitError) as raised:
        _call(server, callbacks=[rec])
    assert [e[0] for e in rec.events] == ["failure"], "inline, before the raise"
    kwargs = rec.events[0][1]
    assert kwargs["exception"] is raised.value
    assert "Traceback" in kwargs["traceback_exception"]
    slo = kwargs["standard_logging_object"]
    assert slo["status"] == "failure" and slo["error_information"]["error_class"] == "RateLimitError"


def test_async_failure_and_success(server: LoopbackServer) -> None:
    rec = Recorder()

    async def main() -> None:
        server.enqueue(Reply(status=401, body={"error": {"message": "bad"}}))
        with pytest.raises(edgequake.AuthenticationError):
            await edgequake.acompletion(model="openai/gpt-4o-mini", messages=payloads.USER,
                                        api_base=server.url + "/v1", api_key="sk-x", max_retries=0,
                                        callbacks=[rec])  # fmt: skip
        assert [e[0] for e in rec.events] == ["async_failure"]
        server.enqueue(Reply(events=sse(*payloads.text_stream("a", "b"))))
        stream = await edgequake.acompletion(model="openai/gpt-4o-mini", messages=payloads.USER,
                                             api_base=server.url + "/v1", api_key="sk-x",
                                             max_retries=0, stream=True, callbacks=[rec])  # fmt: skip
        async for _ in stream:
            pass
        await asyncio.sleep(0.05)

    asyncio.run(main())
    assert [e[0] for e in rec.events] == ["async_failure", "async_success"]
    final = rec.events[1]
    assert final[1]["async_complete_streaming_response"].choices[0].message.content == "ab"


def test_sync_success_runs_on_a_background_thread(server: LoopbackServer, monkeypatch: Any) -> None:
    threads: List[str] = []

    def fn(kwargs: Any, response: Any, start: Any, end: Any) -> None:
        threads.append(threading.current_thread().name)

    monkeypatch.setattr(edgequake, "success_callback", [fn])
    server.enqueue(Reply(body=payloads.chat()))
    _call(server)
    _wait(threads)
    assert threads == ["edgequake-logging"]


def test_a_raising_callback_never_breaks_the_call(server: LoopbackServer, monkeypatch: Any) -> None:
    def broken(kwargs: Any, response: Any, start: Any, end: Any) -> None:
        raise RuntimeError("callback bug")

    monkeypatch.setattr(edgequake, "failure_callback", [broken])
    server.enqueue(Reply(status=400, body={"error": {"message": "nope"}}))
    with pytest.raises(edgequake.BadRequestError):
        _call(server)


def test_unknown_string_callback_is_a_clear_error(monkeypatch: Any) -> None:
    monkeypatch.setattr(edgequake, "success_callback", ["no-such-integration"])
    from edgequake._callbacks.registry import UnsupportedCallbackError

    with pytest.raises(UnsupportedCallbackError, match="no-such-integration"):
        edgequake.completion(model="gpt-4o-mini", messages=payloads.USER, mock_response="hi")


def test_string_callback_without_litellm_names_the_way_out(monkeypatch: Any) -> None:
    from edgequake._callbacks import registry
    from edgequake._delegate import locate

    def missing(name: str) -> Any:
        raise locate.LitellmMissing(name)

    monkeypatch.setattr(locate, "real_module", missing)
    monkeypatch.setattr(registry, "_built", {})
    monkeypatch.setattr(edgequake, "callbacks", ["langfuse"])
    with pytest.raises(registry.UnsupportedCallbackError, match="pip install litellm"):
        edgequake.completion(model="gpt-4o-mini", messages=payloads.USER, mock_response="hi")


def test_custom_logger_importable_at_litellms_path() -> None:
    from edgequake.integrations import custom_logger

    assert custom_logger.CustomLogger is CustomLogger
    assert edgequake.integrations.custom_logger.CustomLogger is CustomLogger


def test_a_stream_cut_mid_way_fires_failure_once(server: LoopbackServer) -> None:
    rec = Recorder()
    server.enqueue(Reply(events=sse(*payloads.text_stream("a", "b"), done=False)[:2], cut=True))
    stream = _call(server, stream=True, callbacks=[rec])
    with pytest.raises(edgequake.MidStreamFallbackError) as raised:
        for _ in stream:
            pass
    assert [e[0] for e in rec.events] == ["failure"]
    assert rec.events[0][1]["exception"] is raised.value


def test_input_callback_gets_model_messages_kwargs(server: LoopbackServer, monkeypatch: Any) -> None:
    seen: List[tuple] = []
    monkeypatch.setattr(
        edgequake, "input_callback", [lambda model, messages, kwargs: seen.append((model, messages))]
    )
    server.enqueue(Reply(body=payloads.chat()))
    _call(server)
    assert seen == [("gpt-4o-mini", payloads.USER)]
