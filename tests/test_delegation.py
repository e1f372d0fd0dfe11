"""Calls for providers edgequake does not speak natively, delegated to the real litellm: edgequake's
exceptions and response types come back, edgequake's module settings are honoured, and it all works
when edgequake is installed as ``sys.modules["litellm"]`` (docs/adr/0009-delegation.md).

The providers used stay delegated (OpenAI-compatible ones litellm serves and the core does not):
``hosted_vllm`` goes through litellm's own HTTP handler, ``lm_studio`` and ``nvidia_nim`` through the
openai SDK, so both of litellm's transport families are covered against the loopback server.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List

import httpx
import pytest

import edgequake
from tests import payloads
from tests.loopback import LoopbackServer, Reply, sse

litellm = pytest.importorskip("litellm")
# litellm's own stream code reads `model_computed_fields` off instances, which pydantic >= 2.11 warns
# about (and this suite turns warnings into errors); not edgequake's code.
pytestmark = pytest.mark.filterwarnings("ignore:Accessing the 'model_(computed_)?fields' attribute")

from edgequake._call.routing import NATIVE  # noqa: E402
from edgequake._delegate.convert import exception_from_litellm, from_litellm  # noqa: E402

PROVIDERS = ["hosted_vllm/my-model", "lm_studio/my-model", "nvidia_nim/meta/llama3-8b-instruct"]
REPO = Path(__file__).resolve().parent.parent
EMBEDDING = {
    "object": "list",
    "data": [{"object": "embedding", "index": 0, "embedding": [0.25, -0.5]}],
    "model": "my-model",
    "usage": {"prompt_tokens": 2, "total_tokens": 2},
}
TOOL_CALL = {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": '{"a": 1}'}}
SETTINGS = ("api_key", "api_base", "drop_params", "num_retries", "suppress_debug_info", "request_timeout")


@pytest.fixture(autouse=True)
def _quiet_and_clean(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # litellm prints help banners on stdout for failures unless told not to; every test starts from
    # edgequake's defaults and leaves them as they were.
    for name in SETTINGS:
        monkeypatch.setattr(edgequake, name, getattr(edgequake, name))
    monkeypatch.setattr(edgequake, "suppress_debug_info", True)
    yield


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    # One loop for every awaited call, as in an application: litellm caches its async clients per
    # loop, and a loop closed under them leaves their sockets to the garbage collector.
    running = asyncio.new_event_loop()
    yield running

    async def cancel_leftovers() -> None:
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    running.run_until_complete(cancel_leftovers())
    running.close()


def base(server: LoopbackServer) -> str:
    return server.url + "/v1"


def test_the_providers_used_here_are_delegated() -> None:
    for model in PROVIDERS:
        assert model.split("/")[0] not in NATIVE
        assert edgequake.__compat_delegates__("completion", model)


# -- exceptions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("model", PROVIDERS)
def test_a_429_is_edgequakes_rate_limit_error(server: LoopbackServer, model: str) -> None:
    # nvidia_nim's openai client retries whatever max_retries says: every attempt gets a 429.
    server.enqueue(*[Reply(status=429, body={"error": {"message": "slow down"}}) for _ in range(3)])
    with pytest.raises(edgequake.RateLimitError) as info:
        edgequake.completion(model=model, messages=payloads.USER, api_base=base(server), api_key="k",
                             max_retries=0)  # fmt: skip
    server.reset()
    exc, original = info.value, info.value.__cause__
    assert type(exc) is edgequake.exceptions.RateLimitError
    assert isinstance(original, litellm.RateLimitError) and not isinstance(exc, litellm.RateLimitError)
    import openai

    assert isinstance(exc, openai.RateLimitError)
    assert str(exc) == str(original) and repr(exc) == repr(original) and exc.args == original.args
    for name in ("message", "status_code", "llm_provider", "model", "response", "litellm_debug_info",
                 "max_retries", "num_retries", "body", "code", "param", "type"):  # fmt: skip
        assert getattr(exc, name) == getattr(original, name), name
    assert exc.status_code == 429 and exc.llm_provider == model.split("/")[0]


def test_async_429_is_edgequakes_rate_limit_error(
    server: LoopbackServer, loop: asyncio.AbstractEventLoop
) -> None:
    server.enqueue(Reply(status=429, body={"error": {"message": "slow down"}}))

    async def main() -> None:
        await edgequake.acompletion(model=PROVIDERS[0], messages=payloads.USER, api_base=base(server),
                                    api_key="k")  # fmt: skip

    with pytest.raises(edgequake.RateLimitError) as info:
        loop.run_until_complete(main())
    assert isinstance(info.value.__cause__, litellm.RateLimitError)


def test_other_errors_keep_their_class_name(server: LoopbackServer) -> None:
    server.enqueue(Reply(status=401, body={"error": {"message": "bad key"}}))
    with pytest.raises(edgequake.AuthenticationError) as info:
        edgequake.completion(model=PROVIDERS[0], messages=payloads.USER, api_base=base(server), api_key="k")
    assert type(info.value).__name__ == type(info.value.__cause__).__name__ == "AuthenticationError"


def _litellm_instance(cls: type) -> BaseException:
    """One instance of a litellm exception class, built through its own constructor."""
    values: Dict[str, Any] = {
        "message": "boom", "llm_provider": "hosted_vllm", "model": "my-model", "status_code": 529,
        "request_data": {}, "raw_response": "r", "schema": "s", "current_cost": 2.0, "max_budget": 1.0,
        "entity_type": "PERSON", "failures": [{"vector_store_id": "vs", "error": "x"}],
        "route_to_model": "other", "session_id": "sid", "max_retries": 2, "num_retries": 1,
        "original_exception": litellm.RateLimitError("inner", llm_provider="hosted_vllm", model="m"),
        "response": httpx.Response(422, request=httpx.Request("POST", "http://127.0.0.1/v1")),
    }  # fmt: skip
    params = inspect.signature(cls.__init__).parameters
    kwargs = {n: values[n] for n in params if n in values}
    missing = [n for n, p in params.items() if n not in ("self", "args", "kwargs") and p.default is p.empty
               and n not in values]  # fmt: skip
    assert not missing, f"{cls.__name__}: no test value for {missing}"
    return cls(**kwargs)


def _litellm_exception_classes() -> List[type]:
    return [
        obj
        for obj in vars(litellm.exceptions).values()
        if isinstance(obj, type) and issubclass(obj, BaseException) and obj.__module__ == "litellm.exceptions"
    ]


def test_every_litellm_exception_class_converts_losslessly() -> None:
    classes = _litellm_exception_classes()
    assert len(classes) >= 35
    for cls in classes:
        original = _litellm_instance(cls)
        converted = exception_from_litellm(original)
        name = cls.__name__
        assert type(converted) is getattr(edgequake.exceptions, name), name
        assert str(converted) == str(original), name
        assert repr(converted) == repr(original), name
        assert converted.args == original.args, name
        assert set(vars(converted)) == set(vars(original)), name
        for attr, value in vars(original).items():
            mine = vars(converted)[attr]
            if isinstance(value, BaseException):  # exceptions inside are converted too
                assert type(mine) is getattr(edgequake.exceptions, type(value).__name__)
                assert str(mine) == str(value)
            else:
                assert mine is value, (name, attr)


def test_exceptions_that_are_not_litellms_pass_through() -> None:
    for exc in (ValueError("x"), KeyboardInterrupt(), asyncio.CancelledError()):
        assert exception_from_litellm(exc) is exc


def test_a_later_litellm_subclass_maps_to_its_nearest_base() -> None:
    class ShinyNewError(litellm.BadRequestError):
        pass

    ShinyNewError.__module__ = "litellm.exceptions"
    converted = exception_from_litellm(ShinyNewError("x", model="m", llm_provider="p"))
    assert type(converted) is edgequake.exceptions.BadRequestError
    assert converted.message == "litellm.BadRequestError: x"


# -- responses ----------------------------------------------------------------------------------


def _same_dumps(original: Any, converted: Any) -> None:
    for options in ({}, {"exclude_unset": False}, {"exclude_none": True}):
        assert converted.model_dump(**options) == original.model_dump(**options), options


@pytest.mark.parametrize(
    "body", [payloads.chat(), payloads.chat(None, tool_calls=[TOOL_CALL], finish_reason="tool_calls")],
    ids=["text", "tools"],
)  # fmt: skip
def test_conversion_of_a_chat_response_is_lossless(server: LoopbackServer, body: Dict[str, Any]) -> None:
    server.enqueue(Reply(body=body, headers={"x-request-id": "req_1"}))
    original = litellm.completion(model=PROVIDERS[0], messages=payloads.USER, api_base=base(server),
                                  api_key="k")  # fmt: skip
    converted = from_litellm(original)
    assert type(converted) is edgequake.ModelResponse
    _same_dumps(original, converted)
    assert converted._hidden_params == original._hidden_params
    assert converted._response_headers == original._response_headers
    assert converted._response_ms == original._response_ms
    # edgequake.Usage, built as its openai-based subclass once openai is loaded (ADR 0010)
    assert isinstance(converted.usage, edgequake.Usage) and type(converted.usage).__name__ == "Usage"
    assert type(converted.choices[0].message) is edgequake.Message
    if body["choices"][0]["message"].get("tool_calls"):
        assert type(converted.choices[0].message.tool_calls[0]) is edgequake.ChatCompletionMessageToolCall


def test_conversion_of_stream_chunks_and_embeddings_is_lossless(server: LoopbackServer) -> None:
    server.enqueue(Reply(events=sse(*payloads.text_stream("Hel", "lo"), payloads.usage_chunk())))
    stream = litellm.completion(model=PROVIDERS[0], messages=payloads.USER, api_base=base(server),
                                api_key="k", stream=True, stream_options={"include_usage": True})  # fmt: skip
    chunks = list(stream)
    assert len(chunks) >= 4
    for chunk in chunks:
        converted = from_litellm(chunk)
        assert type(converted) is edgequake.ModelResponseStream
        _same_dumps(chunk, converted)
        assert converted._hidden_params.keys() == chunk._hidden_params.keys()
    server.enqueue(Reply(body=EMBEDDING))
    original = litellm.embedding(model=PROVIDERS[0], input=["a"], api_base=base(server), api_key="k")
    converted = from_litellm(original)
    assert type(converted) is edgequake.EmbeddingResponse
    _same_dumps(original, converted)


@pytest.mark.parametrize("model", PROVIDERS)
def test_delegated_responses_are_edgequake_types(server: LoopbackServer, model: str) -> None:
    server.enqueue(Reply(body=payloads.chat()))
    resp = edgequake.completion(model=model, messages=payloads.USER, api_base=base(server), api_key="k")
    assert isinstance(resp, edgequake.ModelResponse) and type(resp).__module__ == "edgequake.types"
    assert resp.choices[0].message.content == "Hello there!"
    assert resp.usage.total_tokens == 12
    assert resp._hidden_params["custom_llm_provider"] == model.split("/")[0]
    server.enqueue(Reply(body=EMBEDDING))
    emb = edgequake.embedding(model=model, input=["a"], api_base=base(server), api_key="k")
    assert isinstance(emb, edgequake.EmbeddingResponse)
    assert emb.data[0]["embedding"] == [0.25, -0.5]


@pytest.mark.parametrize("model", PROVIDERS)
def test_delegated_streams_yield_edgequake_chunks(server: LoopbackServer, model: str) -> None:
    server.enqueue(Reply(events=sse(*payloads.text_stream("Hel", "lo"))))
    stream = edgequake.completion(model=model, messages=payloads.USER, api_base=base(server), api_key="k",
                                  stream=True)  # fmt: skip
    assert isinstance(stream, edgequake.CustomStreamWrapper)
    chunks = list(stream)
    assert chunks and all(type(c) is edgequake.ModelResponseStream for c in chunks)
    assert stream.chunks == chunks
    built = edgequake.stream_chunk_builder(chunks, messages=payloads.USER)
    assert isinstance(built, edgequake.ModelResponse)
    assert built.choices[0].message.content == "Hello"


def test_delegated_chunks_assemble_as_litellm_assembles_them(server: LoopbackServer) -> None:
    # edgequake's builder follows litellm's for the core's chunk shapes; a delegated stream's chunks
    # are assembled by litellm's builder (the link to litellm's chunk is never dumped).
    server.enqueue(Reply(events=sse(*payloads.text_stream("Hel", "lo"), payloads.usage_chunk())))
    chunks = list(edgequake.completion(model=PROVIDERS[0], messages=payloads.USER, api_base=base(server),
                                       api_key="k", stream=True, stream_options={"include_usage": True}))
    originals = [c.__dict__["_litellm_chunk"] for c in chunks]
    assert all("_litellm_chunk" not in c.model_dump() for c in chunks)
    ours = edgequake.stream_chunk_builder(chunks, messages=payloads.USER)
    theirs = litellm.stream_chunk_builder(originals, messages=payloads.USER)
    assert type(ours) is edgequake.ModelResponse
    _same_dumps(theirs, ours)
    # chunks not all from one delegated stream go to edgequake's own builder
    mixed = [from_litellm(c) for c in originals]
    assert type(edgequake.stream_chunk_builder(mixed, messages=payloads.USER)) is edgequake.ModelResponse


def test_delegated_async_calls_and_streams(server: LoopbackServer, loop: asyncio.AbstractEventLoop) -> None:
    async def main() -> List[Any]:
        server.enqueue(Reply(body=payloads.chat()))
        resp = await edgequake.acompletion(model=PROVIDERS[0], messages=payloads.USER, api_base=base(server),
                                           api_key="k")  # fmt: skip
        server.enqueue(Reply(events=sse(*payloads.text_stream("a", "b"))))
        stream = await edgequake.acompletion(model=PROVIDERS[1], messages=payloads.USER,
                                             api_base=base(server), api_key="k", stream=True)  # fmt: skip
        chunks = [c async for c in stream]
        server.enqueue(Reply(body=EMBEDDING))
        emb = await edgequake.aembedding(model=PROVIDERS[0], input=["a"], api_base=base(server), api_key="k")
        return [resp, chunks, emb]

    resp, chunks, emb = loop.run_until_complete(main())
    assert type(resp) is edgequake.ModelResponse
    assert chunks and all(type(c) is edgequake.ModelResponseStream for c in chunks)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "ab"
    assert type(emb) is edgequake.EmbeddingResponse


def test_a_stream_failing_midway_raises_edgequakes_class(
    server: LoopbackServer, loop: asyncio.AbstractEventLoop
) -> None:
    # No finish_reason and no [DONE]: litellm raises MidStreamFallbackError after the partial chunks.
    events = sse(payloads.chunk({"role": "assistant", "content": "par"}), done=False)
    for aio in (False, True):
        server.enqueue(Reply(events=events))
        stream = edgequake.completion(model=PROVIDERS[0], messages=payloads.USER, api_base=base(server),
                                      api_key="k", stream=True)  # fmt: skip
        with pytest.raises(edgequake.MidStreamFallbackError) as info:
            if aio:

                async def drain(it: Any) -> None:
                    async for _ in it:
                        pass

                loop.run_until_complete(drain(stream))
            else:
                list(stream)
        assert isinstance(info.value.__cause__, litellm.exceptions.MidStreamFallbackError)
        assert str(info.value) == str(info.value.__cause__)
        assert all(type(c) is edgequake.ModelResponseStream for c in stream.chunks)


# -- module settings ------------------------------------------------------------------------------


def test_module_api_key_and_api_base_are_used(server: LoopbackServer) -> None:
    edgequake.api_key = "module-key"
    edgequake.api_base = base(server)
    server.enqueue(Reply(body=payloads.chat()))
    edgequake.completion(model=PROVIDERS[0], messages=payloads.USER)
    assert server.seen[-1].headers["authorization"] == "Bearer module-key"
    assert server.seen[-1].path == "/v1/chat/completions"
    server.enqueue(Reply(body=payloads.chat()))  # the call's own arguments still win
    edgequake.completion(model=PROVIDERS[0], messages=payloads.USER, api_key="call-key")
    assert server.seen[-1].headers["authorization"] == "Bearer call-key"
    assert litellm.api_key is None and litellm.api_base is None, "nothing is set on litellm itself"


def test_module_drop_params_is_honoured(server: LoopbackServer) -> None:
    with pytest.raises(edgequake.UnsupportedParamsError):
        edgequake.completion(model=PROVIDERS[0], messages=payloads.USER, api_base=base(server), api_key="k",
                             verbosity="low")  # fmt: skip
    edgequake.drop_params = True
    server.enqueue(Reply(body=payloads.chat()))
    edgequake.completion(model=PROVIDERS[0], messages=payloads.USER, api_base=base(server), api_key="k",
                         verbosity="low")  # fmt: skip
    assert "verbosity" not in server.seen[-1].json()


def test_module_num_retries_reaches_litellm(server: LoopbackServer, loop: asyncio.AbstractEventLoop) -> None:
    # litellm implements num_retries with tenacity, which it does not install: the awaited path
    # reports the count on the exception, the sync path fails asking for tenacity. Either way the
    # setting reached litellm, as `litellm.num_retries = 2` would.
    edgequake.num_retries = 2
    server.enqueue(Reply(status=429, body={"error": {"message": "slow down"}}))

    async def main() -> None:
        await edgequake.acompletion(model=PROVIDERS[0], messages=payloads.USER, api_base=base(server),
                                    api_key="k")  # fmt: skip

    with pytest.raises(edgequake.RateLimitError) as info:
        loop.run_until_complete(main())
    assert info.value.num_retries == 2 and "LiteLLM Retried: 2 times" in str(info.value)
    server.reset()
    try:
        import tenacity  # noqa: F401
    except ImportError:
        with pytest.raises(Exception, match="tenacity"):
            edgequake.completion(model=PROVIDERS[0], messages=payloads.USER, api_base=base(server),
                                 api_key="k")  # fmt: skip
    server.reset()


def test_module_success_callback_is_passed_per_call(server: LoopbackServer,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    called: List[Any] = []

    def callback(kwargs: Any, response: Any, start: Any, end: Any) -> None:
        called.append(response)  # run by edgequake around the delegated call, on edgequake's objects

    callbacks = [callback]
    before = list(litellm.success_callback)  # other tests may have set litellm's own (e.g. "cache")
    monkeypatch.setattr(edgequake, "success_callback", callbacks, raising=False)
    server.enqueue(Reply(body=payloads.chat()))
    edgequake.completion(model=PROVIDERS[0], messages=payloads.USER, api_base=base(server), api_key="k")
    for _ in range(100):  # litellm runs success callbacks on its logging worker
        if called:
            break
        time.sleep(0.05)
    assert len(called) == 1 and called[0].choices[0].message.content == "Hello there!"
    assert callbacks == [callback] and litellm.success_callback == before, "a per-call copy, nothing global"


def test_global_only_settings_are_set_for_the_call_and_put_back(server: LoopbackServer) -> None:
    quiet = litellm.suppress_debug_info
    litellm.suppress_debug_info = False
    seen: List[Any] = []
    real_completion = litellm.completion

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(litellm.suppress_debug_info)
        return real_completion(*args, **kwargs)

    try:
        edgequake.suppress_debug_info = True
        litellm.completion = spy
        server.enqueue(Reply(body=payloads.chat()))
        edgequake.completion(model=PROVIDERS[0], messages=payloads.USER, api_base=base(server), api_key="k")
    finally:
        litellm.completion = real_completion
        after = litellm.suppress_debug_info
        litellm.suppress_debug_info = quiet
    assert seen == [True] and after is False


# -- installed as sys.modules["litellm"] (subprocesses: the test process keeps its own modules) ----


def _run(code: str, timeout: float = 120) -> List[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          env=env, cwd=REPO, timeout=timeout)  # fmt: skip
    assert done.returncode == 0, done.stderr[-4000:]
    return done.stdout.strip().splitlines()


_SERVED = textwrap.dedent("""
    import asyncio, sys, threading
    from tests import payloads
    from tests.loopback import LoopbackServer, Reply, sse
    server = LoopbackServer().start()
    BASE = server.url + "/v1"
    EMBEDDING = {embedding!r}
""").format(embedding=EMBEDDING)


def test_installed_as_litellm_sync_async_and_stream_calls_work() -> None:
    out = _run(_SERVED + textwrap.dedent("""
        import edgequake
        sys.modules["litellm"] = edgequake
        import litellm  # what a library written for litellm does
        assert litellm is edgequake
        litellm.suppress_debug_info = True
        before = set(vars(edgequake))
        model = "hosted_vllm/my-model"

        server.enqueue(Reply(body=payloads.chat()))
        r = litellm.completion(model=model, messages=payloads.USER, api_base=BASE, api_key="k")
        print("sync", type(r).__module__, r.choices[0].message.content)

        server.enqueue(Reply(events=sse(*payloads.text_stream("a", "b"))))
        chunks = list(litellm.completion(model=model, messages=payloads.USER, api_base=BASE, api_key="k",
                                         stream=True))
        built = litellm.stream_chunk_builder(chunks)
        print("stream", type(chunks[0]).__module__, built.choices[0].message.content)

        async def main():
            server.enqueue(Reply(body=payloads.chat()))
            r = await litellm.acompletion(model=model, messages=payloads.USER, api_base=BASE, api_key="k")
            server.enqueue(Reply(events=sse(*payloads.text_stream("c", "d"))))
            s = await litellm.acompletion(model="lm_studio/m", messages=payloads.USER, api_base=BASE,
                                          api_key="k", stream=True)
            text = "".join([c.choices[0].delta.content or "" async for c in s if c.choices])
            server.enqueue(Reply(body=EMBEDDING))
            e = await litellm.aembedding(model=model, input=["a"], api_base=BASE, api_key="k")
            server.enqueue(*[Reply(body=payloads.chat()) for _ in range(8)])
            many = await asyncio.gather(*[
                litellm.acompletion(model=model, messages=payloads.USER, api_base=BASE, api_key="k")
                for _ in range(8)
            ])
            return type(r).__module__, text, type(e).__name__, len({type(m) for m in many}), len(many)
        print("async", *asyncio.run(main()))

        server.enqueue(Reply(status=429, body={"error": {"message": "slow down"}}))
        try:
            litellm.completion(model=model, messages=payloads.USER, api_base=BASE, api_key="k")
        except litellm.RateLimitError as e:  # litellm's name, edgequake's class
            print("429", type(e).__module__, type(e.__cause__).__module__)

        import importlib
        print("after", sys.modules["litellm"] is edgequake, importlib.import_module("litellm") is edgequake)
        # edgequake's own submodules become attributes as they are imported; nothing else may appear
        added = {k: v for k, v in vars(edgequake).items() if k not in before}
        foreign = [k for k, v in added.items() if not getattr(v, "__name__", "").startswith("edgequake.")]
        print("untouched", sorted(foreign))
        server.stop()
    """))
    assert out == [
        "sync edgequake.types Hello there!",
        "stream edgequake.types ab",
        "async edgequake.types cd EmbeddingResponse 1 8",
        "429 edgequake.exceptions litellm.exceptions",
        "after True True",
        "untouched []",
    ]


def test_installed_as_litellm_after_litellm_was_imported() -> None:
    # A process that used litellm itself first and swaps later: litellm's imports turn to the
    # registry from the first call that finds its name taken.
    out = _run(_SERVED + textwrap.dedent("""
        import litellm as real
        import edgequake
        edgequake.suppress_debug_info = True
        kinds = []
        for swap in (False, True):
            if swap:
                sys.modules["litellm"] = edgequake
            server.enqueue(Reply(body=payloads.chat()))
            r = edgequake.completion(model="hosted_vllm/m", messages=payloads.USER, api_base=BASE,
                                     api_key="k")
            kinds.append(type(r).__module__)
        print(kinds, sys.modules["litellm"] is edgequake, real is not edgequake)
        server.stop()
    """))
    assert out == ["['edgequake.types', 'edgequake.types'] True True"]


def test_installed_as_litellm_with_threads() -> None:
    # Delegated calls on several threads, the first one importing litellm, while another thread keeps
    # importing `litellm` by name and must keep getting edgequake once that first import is done.
    out = _run(_SERVED + textwrap.dedent("""
        import edgequake
        sys.modules["litellm"] = edgequake
        edgequake.suppress_debug_info = True
        edgequake.completion  # noqa
        from edgequake._delegate.locate import real_litellm
        real_litellm()  # the one import, with its documented window, before the threads start
        results, wrong = [], []
        stop = threading.Event()

        def user_code():
            while not stop.is_set():
                import litellm
                if litellm is not edgequake:
                    wrong.append(litellm)

        def call(i):
            for _ in range(5):
                server.enqueue(Reply(body=payloads.chat()))
            for _ in range(5):
                r = edgequake.completion(model="hosted_vllm/m", messages=payloads.USER, api_base=BASE,
                                         api_key="k")
                results.append(type(r).__module__)

        watcher = threading.Thread(target=user_code)
        watcher.start()
        threads = [threading.Thread(target=call, args=(i,)) for i in range(4)]
        for t in threads: t.start()
        for t in threads: t.join()
        stop.set(); watcher.join()
        print(len(results), set(results), len(wrong))
        server.stop()
    """))
    assert out == ["20 {'edgequake.types'} 0"]


@pytest.mark.parametrize("how", ["none", "blocker", "swapped-and-blocked"])
def test_without_litellm_it_is_unsupported_provider_error(how: str) -> None:
    out = _run(f"""
        import sys
        how = {how!r}
        import edgequake

        class Blocker:
            def find_spec(self, name, path=None, target=None):
                if name == "litellm" or name.startswith("litellm."):
                    raise ImportError("litellm is blocked here")
                return None

        if how == "none":
            sys.modules["litellm"] = None
        else:
            sys.meta_path.insert(0, Blocker())
        if how == "swapped-and-blocked":
            sys.modules["litellm"] = edgequake
        try:
            edgequake.completion(model="hosted_vllm/m", messages=[{{"role": "user", "content": "hi"}}])
        except edgequake.UnsupportedProviderError as e:
            print(type(e).__name__, "hosted_vllm" in str(e), "litellm is not installed" in str(e))
        print(sys.modules.get("litellm") is (edgequake if how == "swapped-and-blocked" else None))
    """)
    assert out == ["UnsupportedProviderError True True", "True"]
