"""Running ``completion``, ``acompletion``, ``embedding``, ``aembedding``: one core request each.

Everything on the wire happens in ``edgequake._core`` with the GIL released; the Python side only sorts
arguments (``edgequake._call.arguments``), prepares the core request (``edgequake._call.prepare``) and,
here, runs it and turns results and failures into litellm's objects (or hands the call to litellm for
providers edgequake does not speak).
"""

from __future__ import annotations

import functools
import time
from functools import partial
from typing import Any, Dict, Tuple

from edgequake import _core
from edgequake._call.aio import await_core
from edgequake._call.arguments import include_usage
from edgequake._call.prepare import PreparedCall, chat_body_builder, embedding_body_builder, prepare_call
from edgequake._call.routing import NotNative
from edgequake._call.settings import apply_settings
from edgequake._callbacks.gate import wanted as _extras_wanted
from edgequake._cost.stamp import set_response_cost
from edgequake._params.cohere import COHERE_PROVIDERS


def _decode_info(body: Any) -> Dict[str, Any]:
    return {
        "kind": "decode",
        "class": "APIError",
        "status_code": 500,
        "message": "response body is not a JSON object",
        "body": repr(body)[:2000],
        "headers": {},
        "provider_status_code": None,
        "detail": "",
    }


def _finish_chat(call: PreparedCall, result: Tuple[int, Dict[str, str], Any]) -> Any:
    if call.route.provider in COHERE_PROVIDERS:
        from edgequake._shaping import cohere

        return _finish(call, result, partial(cohere.model_response, caller_model=call.caller_model))
    if call.route.provider == "anthropic":
        from edgequake._shaping.anthropic import model_response_from_anthropic

        shape = partial(model_response_from_anthropic, json_mode=call.json_mode)
        return _finish(call, result, _shaper_without_provider(shape))
    if call.route.provider == "gemini":
        from edgequake._shaping.gemini import model_response_from_gemini

        return _finish(call, result, model_response_from_gemini)
    if call.route.provider in ("ollama", "ollama_chat"):
        from edgequake._shaping.ollama import model_response

        return _finish(call, result, partial(model_response, messages=call.messages, **call.hints))
    return _finish(call, result, _openai_shaper())


@functools.cache
def _openai_shaper() -> Any:
    # Imported on first use (the shaping modules load the response types), then kept: an import
    # statement per call costs more than the rest of this dispatch.
    from edgequake._shaping.response import model_response_from_openai

    return model_response_from_openai


def _shaper_without_provider(shape: Any) -> Any:
    def shaped(body: Any, *, provider: str, **kwargs: Any) -> Any:
        return shape(body, **kwargs)

    return shaped


def _finish_embedding(call: PreparedCall, result: Tuple[int, Dict[str, str], Any]) -> Any:
    if call.route.provider in COHERE_PROVIDERS:
        from edgequake._shaping import cohere

        shape = partial(cohere.embedding_response, caller_model=call.caller_model, inputs=call.inputs)
        return _finish(call, result, shape)
    from edgequake._shaping.response import embedding_response_from_openai

    if call.route.provider in ("ollama", "ollama_chat"):
        from edgequake._shaping.ollama import embedding_response

        return _finish(call, result, partial(embedding_response, **call.hints))
    return _finish(call, result, embedding_response_from_openai)


def _embedding_finisher(input: Any) -> Any:
    """gemini counts the input when its reply carries no usage, as litellm does."""

    def finish(call: PreparedCall, result: Tuple[int, Dict[str, str], Any]) -> Any:
        if call.route.provider != "gemini":
            return _finish_embedding(call, result)
        from edgequake._shaping.gemini import embedding_response_from_gemini

        return _finish(call, result, functools.partial(embedding_response_from_gemini, input=input))

    return finish


def _finish(call: PreparedCall, result: Tuple[int, Dict[str, str], Any], shape: Any) -> Any:
    _status, headers, body = result
    if not isinstance(body, dict):  # mapped by _run/_arun like any other core failure
        raise _core.CoreError(_decode_info(body))
    response = shape(
        body,
        provider=call.route.provider,
        requested_model=call.requested_model,
        response_headers=headers,
        api_base=call.api_base_shown or call.request.url,
        response_ms=(time.perf_counter() - call.started) * 1000.0,
    )
    # litellm prices every response from its table (edgequake._cost): _hidden_params["response_cost"]
    return set_response_cost(response, call.requested_model, call.route.provider)


def _stream_api_base(call: PreparedCall) -> str:
    """What litellm shows as a stream's api_base: the SDK routes show the base with a trailing slash,
    azure its root, litellm's own HTTP routes the full endpoint URL."""
    if call.route.provider in ("openai", "cerebras"):
        base = call.route.api_base or call.request.url.rsplit("/chat/completions", 1)[0]
        return base.rstrip("/") + "/"
    if call.route.provider == "azure":
        return call.route.api_base or ""
    return call.request.url


def _stream_wrapper(call: PreparedCall, core_stream: Any, include_usage: bool) -> Any:
    from edgequake._call.stream import CustomStreamWrapper
    from edgequake._shaping.response import StreamShaper

    shaper_class: Any = StreamShaper
    extra: Dict[str, Any] = {}
    if call.route.provider in COHERE_PROVIDERS:
        from edgequake._shaping.cohere import CohereStreamShaper

        shaper_class = CohereStreamShaper
    if call.route.provider == "anthropic":
        from edgequake._shaping.anthropic_stream import AnthropicStreamShaper

        shaper_class = AnthropicStreamShaper
        extra["json_tool"] = call.json_mode == "tool"
    shaper = shaper_class(
        provider=call.route.provider,
        requested_model=call.requested_model,
        include_usage=include_usage,
        api_base=_stream_api_base(call),
        response_headers=dict(core_stream.headers),
        messages=call.messages,
        **extra,
    )
    map_error, shown_provider = call.error, call.route.provider
    if shown_provider == "gemini":  # litellm streams gemini through its vertex handler
        from edgequake._call.gemini import STREAM_PROVIDER, stream_error_mapper

        map_error, shown_provider = stream_error_mapper(call), STREAM_PROVIDER
    return CustomStreamWrapper(
        core_stream, shaper, map_error, model=call.requested_model, custom_llm_provider=shown_provider
    )


def _include_usage(params: Dict[str, Any]) -> bool:
    options = params.get("stream_options")
    return bool(isinstance(options, dict) and options.get("include_usage"))


def _run(call: PreparedCall, finish: Any, stream: bool = False, include_usage: bool = False) -> Any:
    try:
        if stream:
            return _stream_wrapper(call, _open_stream(call), include_usage)
        return finish(call, call.request.send())
    except _core.CoreError as exc:
        raise call.error(exc, stream=stream) from None


def _open_stream(call: PreparedCall) -> Any:
    try:
        return call.request.open_stream()
    except _core.CoreError as exc:
        if call.route.provider != "gemini":
            raise
        from edgequake._call.gemini import deferred_failure

        return deferred_failure(call, exc)


async def _open_stream_async(call: PreparedCall) -> Any:
    try:
        return await await_core(call.request.open_stream_async)
    except _core.CoreError as exc:
        if call.route.provider != "gemini":
            raise
        from edgequake._call.gemini import deferred_failure

        return deferred_failure(call, exc)


async def _arun(call: PreparedCall, finish: Any, stream: bool = False, include_usage: bool = False) -> Any:
    # A failure here is what litellm's async twins re-raise from their own `except` (the model as the
    # caller wrote it); once a stream is open, its chunks fail as in sync iteration (the wrapper maps).
    try:
        if stream:
            core_stream = await _open_stream_async(call)
            return _stream_wrapper(call, core_stream, include_usage)
        return finish(call, await await_core(call.request.send_async))
    except _core.CoreError as exc:
        raise call.error(exc, awaited=True, stream=stream) from None


def _delegate() -> Any:
    """Providers edgequake does not speak natively go to litellm when it is installed
    (``edgequake._delegate``: found even under ``sys.modules["litellm"] = edgequake``, with
    edgequake's settings, exceptions and response types)."""
    from edgequake._delegate import call

    return call


def _wants_mock(kwargs: Dict[str, Any]) -> bool:
    """litellm mocks the call when any of its three mock arguments is set."""
    if kwargs.get("mock_response") is not None:
        return True
    return bool(kwargs.get("mock_tool_calls") or kwargs.get("mock_timeout"))


def _extras() -> Any:
    from edgequake import _callbacks

    return _callbacks


# -- entry points used by _api -----------------------------------------------------------------------


def run_chat(model: str, messages: Any, params: Dict[str, Any], kwargs: Dict[str, Any]) -> Any:
    if _extras_wanted(kwargs):  # callbacks, fallbacks, debug logging: edgequake._callbacks
        return _extras().run_chat(_run_chat, model, messages, params, kwargs)
    return _run_chat(model, messages, params, kwargs)


def _run_chat(model: str, messages: Any, params: Dict[str, Any], kwargs: Dict[str, Any]) -> Any:
    model = apply_settings(model)
    if _wants_mock(kwargs):
        from edgequake._call import mock

        return mock.run(model, params, kwargs)
    try:
        call = prepare_call(model, "chat", params, kwargs, messages, chat_body_builder(messages))
    except NotNative as exc:
        first = {"model": model, "messages": messages}
        return _delegate().run(exc.args[0], "completion", first, params, kwargs)
    return _run(call, _finish_chat, bool(params.get("stream")), include_usage(params))


async def arun_chat(model: str, messages: Any, params: Dict[str, Any], kwargs: Dict[str, Any]) -> Any:
    if _extras_wanted(kwargs):
        return await _extras().arun_chat(_arun_chat, model, messages, params, kwargs)
    return await _arun_chat(model, messages, params, kwargs)


async def _arun_chat(model: str, messages: Any, params: Dict[str, Any], kwargs: Dict[str, Any]) -> Any:
    model = apply_settings(model)
    if _wants_mock(kwargs):
        from edgequake._call import mock

        return await mock.arun(model, params, kwargs)
    try:
        build = chat_body_builder(messages)
        call = prepare_call(model, "chat", params, kwargs, messages, build, awaited=True)
    except NotNative as exc:
        first = {"model": model, "messages": messages}
        return await _delegate().arun(exc.args[0], "acompletion", first, params, kwargs)
    return await _arun(call, _finish_chat, bool(params.get("stream")), include_usage(params))


def run_embedding(model: str, input: Any, params: Dict[str, Any], kwargs: Dict[str, Any]) -> Any:
    model = apply_settings(model, aliases=False)
    try:
        call = prepare_call(model, "embedding", params, kwargs, None, embedding_body_builder(input))
    except NotNative as exc:
        return _delegate().run(exc.args[0], "embedding", {"model": model, "input": input}, params, kwargs)
    call.inputs = input if isinstance(input, list) else [input]
    return _run(call, _embedding_finisher(input))


async def arun_embedding(model: str, input: Any, params: Dict[str, Any], kwargs: Dict[str, Any]) -> Any:
    model = apply_settings(model, aliases=False)
    try:
        call = prepare_call(
            model, "embedding", params, kwargs, None, embedding_body_builder(input), awaited=True
        )
    except NotNative as exc:
        first = {"model": model, "input": input}
        return await _delegate().arun(exc.args[0], "aembedding", first, params, kwargs)
    call.inputs = input if isinstance(input, list) else [input]
    return await _arun(call, _embedding_finisher(input))
