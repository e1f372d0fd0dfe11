"""``responses`` and ``aresponses`` (the OpenAI Responses API) with litellm 1.110.2's signatures.

Native on the routes where litellm has a Responses API config the core can serve over the OpenAI wire
(openai, ``openai/`` with any api_base, azure, openrouter, xai): the body is litellm's (model, input,
and the Responses parameters it knows, unset ones left out, ``extra_body`` merged last), posted to the
route's ``/responses`` URL; the reply is litellm's ``ResponsesAPIResponse`` and a stream yields its
typed events (``edgequake._shaping.responses``). Every other route, where litellm bridges the call to
``/chat/completions`` or has its own transformation, is handed to litellm (``edgequake._delegate``).

Measured against litellm:
* keywords that are not Responses parameters (litellm's own, or unknown ones such as OpenRouter's
  ``provider``) never reach the body;
* a stream for a model litellm's map does not say streams natively (``supports_native_streaming``) is
  litellm's *fake* stream: the request goes without ``stream`` and the whole reply is read as JSON;
* failures map as litellm's exception mapping maps them on that route; ``aresponses`` names the model
  as the caller wrote it.
"""

from __future__ import annotations

import os
import re
from typing import Any, Dict, Optional, Tuple

from edgequake import _core
from edgequake._call.aio import await_core
from edgequake._call.prepare import prepare_call
from edgequake._call.routing import Route, split_model

__all__ = ["aresponses", "responses"]

# litellm's Responses providers the core serves over the OpenAI wire.
NATIVE_RESPONSES = frozenset({"openai", "azure", "openrouter", "xai"})

# litellm's ResponsesAPIOptionalRequestParams: what goes in the body besides model and input.
BODY_PARAMS = (
    "include",
    "instructions",
    "max_output_tokens",
    "metadata",
    "parallel_tool_calls",
    "previous_response_id",
    "reasoning",
    "store",
    "background",
    "stream",
    "temperature",
    "text",
    "tool_choice",
    "tools",
    "top_p",
    "truncation",
    "user",
    "service_tier",
    "safety_identifier",
    "prompt",
    "max_tool_calls",
    "prompt_cache_key",
    "prompt_cache_retention",
    "prompt_cache_options",
    "moderation",
    "stream_options",
    "top_logprobs",
    "partial_images",
    "context_management",
)

# The call's own arguments that steer it (the rest of its keywords is sorted by `prepare_call`).
_CONTROL = ("extra_headers", "timeout", "custom_llm_provider")


def _native_provider(model: str, custom_llm_provider: Optional[str], kwargs: Dict[str, Any]) -> Optional[str]:
    """The provider when edgequake runs this call itself, else None (litellm runs it)."""
    if kwargs.get("mock_response") is not None or kwargs.get("use_chat_completions_api"):
        return None
    if kwargs.get("text_format") is not None or kwargs.get("extra_query"):
        return None  # litellm's own handling (a pydantic model as the text format; query params)
    if not isinstance(model, str) or model.startswith("openai/chat_completions/") or "o_series/" in model:
        return None  # litellm's chat bridge; its Azure o-series config
    try:
        provider, _ = split_model(model, custom_llm_provider)
    except Exception:
        return None
    return provider if provider in NATIVE_RESPONSES else None


def fake_stream(model: str, provider: str) -> bool:
    """litellm fakes a stream for a model its map does not say streams natively (an unknown one too)."""
    from edgequake._params.capabilities import supports

    return not supports("supports_native_streaming", model, provider)


def azure_version(control: Dict[str, Any]) -> str:
    """litellm's Azure Responses API version: ``responses_api_version``, else the call's ``api_version``
    unless it is a dated GA version (those predate the Responses API on Azure), else ``preview``."""
    chosen = control.pop("responses_api_version", None)
    if chosen:
        return str(chosen)
    version = control.get("api_version")
    if not version or re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(version)):
        return os.environ.get("AZURE_DEFAULT_RESPONSES_API_VERSION", "preview")
    return str(version)


def _body_builder(input: Any, args: Dict[str, Any], extra_body: Any, faked: bool, drop: Any) -> Any:
    def build(route: Route, body_params: Dict[str, Any], control: Dict[str, Any]) -> Dict[str, Any]:
        from edgequake._call.arguments import drop_params_on
        from edgequake._params.responses_input import wire_input, wire_metadata, wire_tools
        from edgequake._params.responses_routes import azure_body, xai_body

        body: Dict[str, Any] = {
            "model": route.model,
            "input": wire_input(input, route.provider, drop_params_on(control)),
        }
        for name in BODY_PARAMS:
            value = args.get(name)
            if name == "stream" and faked:
                continue  # a faked stream fetches the whole reply
            if name == "tools":
                value = wire_tools(value)
            if name == "metadata" and value is not None:
                value = wire_metadata(value)
            if value is not None:
                body[name] = value
        if route.provider == "xai":
            xai_body(body)
        if route.provider == "azure":
            azure_body(body, drop_params_on(control))
        if isinstance(extra_body, dict):
            body.update(extra_body)
        for name in drop if isinstance(drop, list) else []:
            if name not in ("model", "input"):
                body.pop(name, None)  # litellm's additional_drop_params
        return body

    return build


def _litellm_rewrites(provider: str, input: Any, args: Dict[str, Any], kwargs: Dict[str, Any]) -> bool:
    from edgequake._params.responses_routes import litellm_rewrites

    tools = args.get("tools") if args.get("tools") is not None else kwargs.get("tools")
    return litellm_rewrites(provider, input, tools)


def _split(kwargs: Dict[str, Any], args: Dict[str, Any]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """(Responses params given as keywords, the keywords that steer the call)."""
    control: Dict[str, Any] = {}
    for key, value in kwargs.items():
        if key in BODY_PARAMS:
            args.setdefault(key, value)
        else:
            control[key] = value
    for key in _CONTROL:
        if args.get(key) is not None:
            control[key] = args[key]
    control.pop("stream", None)
    return args, control


def _prepare(model: str, input: Any, args: Dict[str, Any], kwargs: Dict[str, Any], awaited: bool) -> Any:
    args, control = _split(kwargs, args)
    stream = args.get("stream") is True
    provider, wire_model = split_model(model, args.get("custom_llm_provider"))
    faked = stream and fake_stream(wire_model, provider)
    if provider == "azure":
        control["api_version"] = azure_version(control)
    build = _body_builder(input, args, args.get("extra_body"), faked, control.get("additional_drop_params"))
    # litellm's Responses handler is its own HTTP client: no SDK retries unless asked for.
    control.setdefault("max_retries", 0)
    call = prepare_call(model, "responses", {}, control, None, build, awaited=awaited)
    return call, stream, faked


def _delegate(model: str, input: Any, args: Dict[str, Any], kwargs: Dict[str, Any]) -> Tuple[str, Any]:
    from edgequake._delegate import call as delegated

    try:
        provider, _ = split_model(model, args.get("custom_llm_provider"))
    except Exception:
        provider = str(model).split("/", 1)[0]
    return provider, delegated


def _edgequake_types(result: Any) -> Any:
    from edgequake._delegate.responses import convert

    return convert(result)


def _named(args: Dict[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in args.items() if v is not None or k == "custom_llm_provider"}


def _litellms(
    input: Any, model: str, args: Dict[str, Any], kwargs: Dict[str, Any]
) -> Optional[Tuple[str, Any, Any]]:
    """The start ``responses`` and ``aresponses`` share: ``args`` (their ``locals()``) reduced to the
    Responses parameters, the ones only litellm acts on moved into ``kwargs``; then, when litellm serves
    the call (a route edgequake does not speak, or a rewrite only litellm makes), the provider, the
    delegate and the named arguments to hand it. None: edgequake makes the call."""
    del args["kwargs"], args["input"], args["model"]
    if args.get("text_format") is not None:
        kwargs["text_format"] = args["text_format"]
    if args.get("extra_query"):
        kwargs["extra_query"] = args["extra_query"]
    native = _native_provider(model, args.get("custom_llm_provider"), kwargs)
    if native is not None and not _litellm_rewrites(native, input, args, kwargs):
        return None
    provider, delegated = _delegate(model, input, args, kwargs)
    named = _named({k: v for k, v in args.items() if k not in ("text_format", "extra_query")})
    return provider, delegated, named


def responses(
    input: Any,
    model: str,
    include: Any = None,
    instructions: Optional[str] = None,
    max_output_tokens: Optional[int] = None,
    prompt: Any = None,
    metadata: Optional[Dict[str, Any]] = None,
    parallel_tool_calls: Optional[bool] = None,
    previous_response_id: Optional[str] = None,
    reasoning: Any = None,
    store: Optional[bool] = None,
    background: Optional[bool] = None,
    stream: Optional[bool] = None,
    temperature: Optional[float] = None,
    text: Any = None,
    text_format: Any = None,
    tool_choice: Any = None,
    tools: Any = None,
    top_p: Optional[float] = None,
    truncation: Optional[str] = None,
    user: Optional[str] = None,
    service_tier: Optional[str] = None,
    safety_identifier: Optional[str] = None,
    extra_headers: Optional[Dict[str, Any]] = None,
    extra_query: Optional[Dict[str, Any]] = None,
    extra_body: Optional[Dict[str, Any]] = None,
    timeout: Any = None,
    allowed_openai_params: Optional[list] = None,
    custom_llm_provider: Optional[str] = None,
    **kwargs: Any,
) -> Any:
    """litellm.responses: one Responses API call (a ``ResponsesAPIResponse``, or its event stream)."""
    args = dict(locals())
    litellms = _litellms(input, model, args, kwargs)
    if litellms is not None:
        provider, delegated, named = litellms
        result = delegated.run(provider, "responses", {"input": input, "model": model}, named, kwargs)
        return _edgequake_types(result)
    call, is_stream, faked = _prepare(model, input, args, kwargs, awaited=False)
    from edgequake._shaping import responses as shaping

    try:
        if is_stream and not faked:
            return shaping.event_stream(call, call.request.open_stream())
        result = call.request.send()
    except _core.CoreError as exc:
        raise call.error(exc, stream=is_stream) from None
    return shaping.finish(call, result, stream=is_stream)


async def aresponses(
    input: Any,
    model: str,
    include: Any = None,
    instructions: Optional[str] = None,
    max_output_tokens: Optional[int] = None,
    prompt: Any = None,
    metadata: Optional[Dict[str, Any]] = None,
    parallel_tool_calls: Optional[bool] = None,
    previous_response_id: Optional[str] = None,
    reasoning: Any = None,
    store: Optional[bool] = None,
    background: Optional[bool] = None,
    stream: Optional[bool] = None,
    temperature: Optional[float] = None,
    text: Any = None,
    text_format: Any = None,
    tool_choice: Any = None,
    tools: Any = None,
    top_p: Optional[float] = None,
    truncation: Optional[str] = None,
    user: Optional[str] = None,
    service_tier: Optional[str] = None,
    safety_identifier: Optional[str] = None,
    extra_headers: Optional[Dict[str, Any]] = None,
    extra_query: Optional[Dict[str, Any]] = None,
    extra_body: Optional[Dict[str, Any]] = None,
    timeout: Any = None,
    custom_llm_provider: Optional[str] = None,
    **kwargs: Any,
) -> Any:
    """litellm.aresponses: ``responses`` for asyncio."""
    args = dict(locals())
    litellms = _litellms(input, model, args, kwargs)
    if litellms is not None:
        provider, delegated, named = litellms
        first = {"input": input, "model": model}
        return _edgequake_types(await delegated.arun(provider, "aresponses", first, named, kwargs))
    call, is_stream, faked = _prepare(model, input, args, kwargs, awaited=True)
    from edgequake._shaping import responses as shaping

    try:
        if is_stream and not faked:
            return shaping.event_stream(call, await await_core(call.request.open_stream_async))
        result = await await_core(call.request.send_async)
    except _core.CoreError as exc:
        raise call.error(exc, awaited=True, stream=is_stream) from None
    return shaping.finish(call, result, stream=is_stream)
