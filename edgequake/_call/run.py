"""``completion``, ``acompletion``, ``embedding``, ``aembedding``: litellm's signatures, resolved into one
core request each. Everything on the wire happens in ``edgequake._core`` with the GIL released; this
module only sorts arguments, and turns results and failures into litellm's objects.
"""

from __future__ import annotations

import sys
import time
from typing import Any, Dict, Optional, Tuple

from edgequake import _core
from edgequake._call.aio import await_core
from edgequake._call.routing import NotNative, Route, UnsupportedProviderError, resolve, split_model

# Arguments that steer the call rather than go into the provider's body.
_CONTROL = frozenset(
    {
        "api_key",
        "api_base",
        "base_url",
        "api_version",
        "timeout",
        "request_timeout",
        "extra_headers",
        "headers",
        "max_retries",
        "num_retries",
        "drop_params",
        "additional_drop_params",
        "custom_llm_provider",
        "azure_ad_token",
        "organization",
        "deployment_id",
        "model_list",
        "shared_session",
        "enable_json_schema_validation",
        "metadata",
        "litellm_call_id",
        "litellm_logging_obj",
        "logger_fn",
        "caching",
        "cache",
        "mock_response",
        "client",
        "proxy_server_request",
        "model_info",
        "preset_cache_key",
        "acompletion",
        "aembedding",
        "input_cost_per_token",
        "output_cost_per_token",
        "tags",
        "fallbacks",
        "api_type",
        "context_window_fallback_dict",
        "litellm_metadata",
        "no-log",
        "user_continue_message",
    }
)

_DEFAULT_TIMEOUT = 600.0


def _pkg() -> Any:
    return sys.modules["edgequake"]  # the package, whose module globals users set


def _timeout_seconds(value: Any) -> float:
    """litellm accepts a number, a numeric string or an httpx/openai Timeout object."""
    if value is None:
        value = getattr(_pkg(), "request_timeout", None) or _DEFAULT_TIMEOUT
    read = getattr(value, "read", None)
    if read is not None or hasattr(value, "connect"):
        value = read if read is not None else getattr(value, "connect", None) or _DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"timeout must be a number of seconds, got {value!r}") from None
    if not seconds > 0:
        raise ValueError(f"timeout must be positive, got {value!r}")
    return seconds


def _retries(provider: str, max_retries: Any, num_retries: Any) -> Tuple[int, Optional[int]]:
    """How many times the core retries, and the num_retries litellm reports on its exceptions.

    litellm's openai and azure routes retry twice by default through the openai SDK (``max_retries``);
    no other route retries unless ``num_retries`` (or ``litellm.num_retries``) asks for it. litellm
    implements ``num_retries`` with tenacity, which it does not install; edgequake retries in the core
    with the same backoff, bounded by the same count.
    """
    if num_retries is None:
        num_retries = getattr(_pkg(), "num_retries", None)
    if num_retries is not None:
        return _non_negative("num_retries", num_retries), int(num_retries)
    if provider in ("openai", "azure"):
        return (2 if max_retries is None else _non_negative("max_retries", max_retries)), None
    return 0, None


def _non_negative(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return value


class _Call:
    """One resolved call: the route, the core request, and what errors and responses need."""

    __slots__ = (
        "api_base_shown",
        "messages",
        "num_retries",
        "request",
        "requested_model",
        "route",
        "route_name",
        "started",
        "timeout",
    )

    def __init__(
        self,
        route: Route,
        request: Any,
        messages: Any,
        num_retries: Optional[int],
        started: float,
        timeout: Optional[float] = None,
        route_name: str = "chat",
    ):
        self.timeout = timeout
        self.route_name = route_name
        self.route = route
        self.request = request
        self.messages = messages
        self.num_retries = num_retries
        self.started = started
        self.requested_model = route.model
        self.api_base_shown = route.api_base or ""

    def error(self, exc: BaseException) -> BaseException:
        """The litellm exception for a core failure; other exceptions pass through unchanged."""
        if isinstance(exc, _core.CoreError):
            from edgequake._errors.from_core import from_core

            info = dict(exc.args[0])
            info.setdefault("url", self.request.url)
            info.setdefault("route", self.route_name)
            info.setdefault("timeout", self.timeout)
            info.setdefault("elapsed", time.perf_counter() - self.started)
            return from_core(
                info,
                model=self.route.model,
                llm_provider=self.route.provider,
                api_base=self.route.api_base or self.request.url,
                messages=self.messages,
                max_retries=None,
                num_retries=self.num_retries,
            )
        return exc


def _split_kwargs(params: Dict[str, Any], kwargs: Dict[str, Any]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """(body params, control args): None values are "not given", as in litellm."""
    body: Dict[str, Any] = {}
    control: Dict[str, Any] = {}
    for source in (params, kwargs):
        for key, value in source.items():
            if key in _CONTROL:
                if value is not None:
                    control[key] = value
            elif value is not None:
                body[key] = value
    return body, control


def _route_for(model: str, control: Dict[str, Any]) -> Route:
    return resolve(
        model,
        custom_llm_provider=control.get("custom_llm_provider"),
        api_key=control.get("api_key"),
        api_base=control.get("api_base") or control.get("base_url"),
        api_version=control.get("api_version"),
    )


def _headers(route: Route, control: Dict[str, Any]) -> Dict[str, str]:
    headers: Dict[str, str] = {}
    if route.provider == "openai":
        org = control.get("organization") or getattr(_pkg(), "organization", None)
        if org:
            headers["openai-organization"] = str(org)
    for key in ("headers", "extra_headers"):
        extra = control.get(key)
        if extra:
            if not isinstance(extra, dict):
                raise ValueError(
                    f"{key} must be a dict of header names to values, got {type(extra).__name__}"
                )
            headers.update({str(k): str(v) for k, v in extra.items()})
    return headers


def _drop_params(control: Dict[str, Any]) -> bool:
    return bool(control.get("drop_params") or getattr(_pkg(), "drop_params", False))


class _NoRequest:
    """Stands in for the request when building it failed (no URL was made)."""

    url = ""


def _new_call(
    model: str,
    route_name: str,
    params: Dict[str, Any],
    kwargs: Dict[str, Any],
    messages: Any,
    build_body: Any,
) -> _Call:
    """Resolves the route, builds the body and the core request; raises litellm's exception on failure."""
    started = time.perf_counter()
    body_params, control = _split_kwargs(params, kwargs)
    route = _route_for(model, control)
    body = build_body(route, body_params, control)
    max_retries, num_retries = _retries(
        route.provider, control.get("max_retries"), control.get("num_retries")
    )
    timeout = _timeout_seconds(control.get("timeout", control.get("request_timeout")))
    try:
        request = _core.prepare(
            route.provider,
            route_name,
            route.model,
            body,
            api_base=route.api_base,
            api_key=route.api_key,
            api_version=route.api_version,
            azure_ad_token=control.get("azure_ad_token"),
            headers=_headers(route, control),
            timeout=timeout,
            max_retries=max_retries,
        )
    except _core.CoreError as exc:
        raise _Call(route, _NoRequest(), messages, None, started, timeout, route_name).error(exc) from None
    return _Call(route, request, messages, num_retries, started, timeout, route_name)


def _chat_body(messages: Any) -> Any:
    def build(route: Route, body_params: Dict[str, Any], control: Dict[str, Any]) -> Dict[str, Any]:
        from edgequake._params.body import chat_body

        if not isinstance(messages, list):
            raise _bad_messages(route.model, messages)
        return chat_body(
            route.provider,
            route.model,
            messages,
            body_params,
            drop_params=_drop_params(control),
            additional_drop_params=control.get("additional_drop_params"),
        )

    return build


def _embedding_body(input: Any) -> Any:
    def build(route: Route, body_params: Dict[str, Any], control: Dict[str, Any]) -> Dict[str, Any]:
        from edgequake._params.body import embedding_body

        return embedding_body(
            route.provider, route.model, input, body_params, drop_params=_drop_params(control)
        )

    return build


def _bad_messages(model: str, messages: Any) -> Exception:
    from edgequake import exceptions

    return exceptions.BadRequestError(
        message=f"messages must be a list of message dicts, got {type(messages).__name__}",
        model=model,
        llm_provider="",
    )


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


def _finish_chat(call: _Call, result: Tuple[int, Dict[str, str], Any]) -> Any:
    from edgequake._shaping.response import model_response_from_openai

    return _finish(call, result, model_response_from_openai)


def _finish_embedding(call: _Call, result: Tuple[int, Dict[str, str], Any]) -> Any:
    from edgequake._shaping.response import embedding_response_from_openai

    return _finish(call, result, embedding_response_from_openai)


def _finish(call: _Call, result: Tuple[int, Dict[str, str], Any], shape: Any) -> Any:
    _status, headers, body = result
    if not isinstance(body, dict):
        raise call.error(_core.CoreError(_decode_info(body)))
    return shape(
        body,
        provider=call.route.provider,
        requested_model=call.requested_model,
        response_headers=headers,
        api_base=call.api_base_shown or call.request.url,
        response_ms=(time.perf_counter() - call.started) * 1000.0,
    )


def _stream_api_base(call: _Call) -> str:
    """What litellm shows as a stream's api_base: the SDK routes show the base with a trailing slash,
    azure its root, litellm's own HTTP routes the full endpoint URL."""
    if call.route.provider in ("openai", "cerebras"):
        base = call.route.api_base or call.request.url.rsplit("/chat/completions", 1)[0]
        return base.rstrip("/") + "/"
    if call.route.provider == "azure":
        return call.route.api_base or ""
    return call.request.url


def _stream_wrapper(call: _Call, core_stream: Any, include_usage: bool) -> Any:
    from edgequake._call.stream import CustomStreamWrapper
    from edgequake._shaping.response import StreamShaper

    shaper = StreamShaper(
        provider=call.route.provider,
        requested_model=call.requested_model,
        include_usage=include_usage,
        api_base=_stream_api_base(call),
        response_headers=dict(core_stream.headers),
        messages=call.messages,
    )
    return CustomStreamWrapper(
        core_stream, shaper, call.error, model=call.requested_model, custom_llm_provider=call.route.provider
    )


def _include_usage(params: Dict[str, Any]) -> bool:
    options = params.get("stream_options")
    return bool(isinstance(options, dict) and options.get("include_usage"))


def _run(call: _Call, finish: Any, stream: bool = False, include_usage: bool = False) -> Any:
    try:
        if stream:
            return _stream_wrapper(call, call.request.open_stream(), include_usage)
        return finish(call, call.request.send())
    except _core.CoreError as exc:
        raise call.error(exc) from None


async def _arun(call: _Call, finish: Any, stream: bool = False, include_usage: bool = False) -> Any:
    try:
        if stream:
            core_stream = await await_core(call.request.open_stream_async)
            return _stream_wrapper(call, core_stream, include_usage)
        return finish(call, await await_core(call.request.send_async))
    except _core.CoreError as exc:
        raise call.error(exc) from None


def _litellm_for(exc: NotNative) -> Any:
    """Providers edgequake does not speak natively go to litellm when it is installed."""
    try:
        import litellm
    except ImportError:
        raise UnsupportedProviderError(exc.args[0]) from None
    return litellm


# -- entry points used by _api -----------------------------------------------------------------------


def _mocked(model: str, params: Dict[str, Any], kwargs: Dict[str, Any]) -> Any:
    from edgequake._call.mock import respond

    provider, wire_model = split_model(model, kwargs.get("custom_llm_provider"))
    return respond(
        kwargs["mock_response"],
        provider=provider,
        model=wire_model,
        stream=bool(params.get("stream")),
        include_usage=_include_usage(params),
    )


def run_chat(model: str, messages: Any, params: Dict[str, Any], kwargs: Dict[str, Any]) -> Any:
    if kwargs.get("mock_response") is not None:
        return _mocked(model, params, kwargs)
    try:
        call = _new_call(model, "chat", params, kwargs, messages, _chat_body(messages))
    except NotNative as exc:
        return _litellm_for(exc).completion(model=model, messages=messages, **params, **kwargs)
    return _run(call, _finish_chat, bool(params.get("stream")), _include_usage(params))


async def arun_chat(model: str, messages: Any, params: Dict[str, Any], kwargs: Dict[str, Any]) -> Any:
    if kwargs.get("mock_response") is not None:
        return _mocked(model, params, kwargs)
    try:
        call = _new_call(model, "chat", params, kwargs, messages, _chat_body(messages))
    except NotNative as exc:
        return await _litellm_for(exc).acompletion(model=model, messages=messages, **params, **kwargs)
    return await _arun(call, _finish_chat, bool(params.get("stream")), _include_usage(params))


def run_embedding(model: str, input: Any, params: Dict[str, Any], kwargs: Dict[str, Any]) -> Any:
    try:
        call = _new_call(model, "embedding", params, kwargs, None, _embedding_body(input))
    except NotNative as exc:
        return _litellm_for(exc).embedding(model=model, input=input, **params, **kwargs)
    return _run(call, _finish_embedding)


async def arun_embedding(model: str, input: Any, params: Dict[str, Any], kwargs: Dict[str, Any]) -> Any:
    try:
        call = _new_call(model, "embedding", params, kwargs, None, _embedding_body(input))
    except NotNative as exc:
        return await _litellm_for(exc).aembedding(model=model, input=input, **params, **kwargs)
    return await _arun(call, _finish_embedding)
