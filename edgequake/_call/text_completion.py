"""``text_completion`` and ``atext_completion`` (legacy completions) with litellm 1.110.2's signatures.

Routing, as litellm's ``text_completion`` decides it:

* a provider's own ``/completions`` endpoint, natively in the core (``_core`` route
  ``text_completion``): ``text-completion-openai/`` (and bare davinci/babbage/instruct names),
  ``openai/<model>`` for any model that is not one of OpenAI's chat models (vLLM and other
  OpenAI-compatible servers), ``together_ai/`` and ``fireworks_ai/``;
* any other provider edgequake speaks: through edgequake's own ``completion`` with the prompt as user
  messages (a list of strings is one message each), converted into a ``TextCompletionResponse``;
* providers edgequake does not speak (``azure_text/``, ...): handed to litellm, as ``completion`` is.

Failures are litellm's as measured: the sync native route names the provider ``text-completion-openai``
(the route's) and quotes the SDK's ``Error code: N - ``; ``atext_completion`` maps every failure again
as litellm's ``atext_completion`` does (provider ``openai``, the model as the caller wrote it).
"""

from __future__ import annotations

import time
from typing import Any, Dict, Optional, Tuple

from edgequake import _core
from edgequake._call.aio import await_core
from edgequake._call.prepare import PreparedCall
from edgequake._call.routing import split_model
from edgequake._call.text_errors import awaited_error, native_error
from edgequake._call.text_stream import TextChunks, TextCompletionStreamWrapper

__all__ = ["TextCompletionStreamWrapper", "atext_completion", "text_completion"]

# text_completion's own parameters that go on the wire when given (litellm's `optional_params`).
_OPTIONAL = (
    "best_of",
    "echo",
    "frequency_penalty",
    "logit_bias",
    "logprobs",
    "max_tokens",
    "n",
    "presence_penalty",
    "stop",
    "stream",
    "stream_options",
    "suffix",
    "temperature",
    "top_p",
    "user",
)
_CONTROL = ("api_base", "api_version", "api_key", "custom_llm_provider")
# litellm's `openai_text_completion_compatible_providers` that edgequake's core speaks.
_NATIVE_COMPATIBLE = frozenset({"together_ai", "fireworks_ai"})
# litellm's api_base for them (get_llm_provider's), where the call and environment set none.
_DEFAULT_BASES = {
    "together_ai": "https://api.together.xyz/v1",
    "fireworks_ai": "https://api.fireworks.ai/inference/v1",
}
_TOKEN_PROMPT_PROVIDERS = frozenset(
    {"openai", "azure", "azure_text", "text-completion-codestral", "text-completion-openai"}
)
_chat_models: Optional[frozenset] = None


def _openai_chat_models() -> frozenset:
    """litellm's ``open_ai_chat_completion_models``: the cost map's openai names, fine-tunes aside
    (``ft:<model>`` with one colon), from the same generated table bare-name routing reads."""
    global _chat_models
    if _chat_models is None:
        import json

        from edgequake._call import routing

        with open(routing._BARE_TABLE, encoding="utf-8") as file:
            routes = json.load(file)["routes"]
        _chat_models = frozenset(
            name
            for name, provider in routes.items()
            if provider == "openai" and not (name.startswith("ft:") and name.count(":") <= 1)
        )
    return _chat_models


def _messages(prompt: Any, provider: str) -> list:
    """litellm's prompt handling: a string is one user message, a list of strings one each; token
    lists go as they are on the routes that take them; anything else is refused as litellm does."""
    if isinstance(prompt, list) and prompt and isinstance(prompt[0], str):
        return [{"role": "user", "content": p} for p in prompt]
    if isinstance(prompt, str):
        return [{"role": "user", "content": prompt}]
    if (
        provider in _TOKEN_PROMPT_PROVIDERS
        and isinstance(prompt, list)
        and prompt
        and isinstance(prompt[0], (list, int))
    ):
        return [{"role": "user", "content": prompt}]
    raise Exception(
        "Unmapped prompt format. Your prompt is neither a list of strings nor a string. "
        f"prompt={prompt}. File an issue - https://github.com/BerriAI/litellm/issues"
    )


def _native_provider(provider: str, wire_model: str, model: str) -> Optional[str]:
    """The core provider of litellm's native ``/completions`` route for this call, or None."""
    if provider == "text-completion-openai" or "ft:babbage-002" in model or "ft:davinci-002" in model:
        return "openai"
    if provider == "openai" and wire_model not in _openai_chat_models():
        return "openai"
    if provider in _NATIVE_COMPATIBLE or provider == "azure_text":
        return provider
    return None


def _split(model: Any, kwargs: Dict[str, Any]) -> Tuple[str, str]:
    return split_model(model, kwargs.get("custom_llm_provider"))


def _native_for(provider: str, wire_model: str, model: str, kwargs: Dict[str, Any]) -> Optional[str]:
    # litellm's completion() answers a mock_response before any route: edgequake's completion does.
    if kwargs.get("mock_response") is not None:
        return None
    return _native_provider(provider, wire_model, model)


def _arguments(local: Dict[str, Any]) -> Tuple[Any, Any, Dict[str, Any], Dict[str, Any]]:
    """(prompt, model, params, kwargs) from ``text_completion``'s locals, ``engine`` read as litellm does."""
    kwargs = dict(local.pop("kwargs"))
    local.pop("args", None)
    prompt, model = local.pop("prompt"), local.pop("model")
    engine = kwargs.pop("engine", None)
    if model is None and isinstance(engine, str):
        model = engine
    kwargs.pop("model_list", None)
    local.pop("model_list", None)
    for key in _CONTROL:
        if local.get(key) is not None:
            kwargs[key] = local[key]
        local.pop(key, None)
    params = {k: local[k] for k in _OPTIONAL if local.get(k) is not None}
    return prompt, model, params, kwargs


def _check_model(model: Any) -> None:
    if model is None:
        raise ValueError("model is not set. Set either via 'model' or 'engine' param.")


# -- the native /completions route ------------------------------------------------------------


def _prepare_native(
    core_provider: str,
    wire_model: str,
    model: str,
    prompt: Any,
    params: Dict[str, Any],
    kwargs: Dict[str, Any],
) -> PreparedCall:
    """litellm posts every native text completion with the openai SDK: the core is asked as for
    ``openai/`` with the provider's own key and base (its defaults where none is set); ``azure_text/``
    as for ``azure/`` (the deployment URL, ``api-key``)."""
    from edgequake._call.arguments import route_for
    from edgequake._call.prepare import prepare_call
    from edgequake._call.text_body import body_builder

    control = {k: v for k, v in kwargs.items() if k != "custom_llm_provider"}
    core = "azure" if core_provider == "azure_text" else "openai"
    if core_provider in _NATIVE_COMPATIBLE:
        route = route_for(f"{core_provider}/{wire_model}", control)
        control["api_key"] = route.api_key
        control["api_base"] = route.api_base or _DEFAULT_BASES[core_provider]
    messages = _messages(prompt, "text-completion-openai")
    call = prepare_call(
        f"{core}/{wire_model}", "text_completion", params, control, messages, body_builder(prompt)
    )
    call.caller_model = model
    shown = {"openai": "text-completion-openai", "azure_text": "azure"}.get(core_provider, core_provider)
    call.hints["shown_provider"] = shown
    return call


def _shown_provider(call: PreparedCall) -> str:
    return str(call.hints.get("shown_provider") or "text-completion-openai")


def _finish_native(call: PreparedCall, result: Tuple[int, Dict[str, str], Any]) -> Any:
    from edgequake._shaping.routes import call_record
    from edgequake._shaping.text_completion import from_body

    _status, _headers, body = result
    if not isinstance(body, dict):
        from edgequake._call.run import _decode_info

        raise _core.CoreError(_decode_info(body))
    ms = (time.perf_counter() - call.started) * 1000.0
    hidden = {
        **call_record(call.route.api_base or call.request.url.rsplit("/completions", 1)[0]),
        "additional_headers": {},
        "litellm_model_name": call.caller_model,
        "provider_response_model": None,
    }
    response = from_body(body, hidden, ms)
    if call.route.provider == "azure":
        from edgequake._shaping.text_completion import via_chat

        return via_chat(response)  # litellm's azure_text makes it a chat response and back
    return response


def _native_stream(call: PreparedCall, core_stream: Any, params: Dict[str, Any]) -> Any:
    from edgequake._call.stream import CustomStreamWrapper
    from edgequake._shaping.response import StreamShaper

    chunks = TextChunks(core_stream)
    options = params.get("stream_options")
    include_usage = isinstance(options, dict) and bool(options.get("include_usage"))
    # One stream handler in litellm for every native route: chunks named by the requested model.
    shaper = StreamShaper(
        provider="openai",
        requested_model=call.route.model,
        include_usage=include_usage,
        api_base=(call.route.api_base or "").rstrip("/") + "/",
        response_headers=dict(core_stream.headers),
        messages=call.messages,
    )
    # Failures while iterating: litellm maps them as openai's, named by its rewritten model.
    mapper = native_error(call, _shown_provider(call), stream=True)
    chat = CustomStreamWrapper(chunks, shaper, mapper, model=call.route.model, custom_llm_provider="openai")
    return TextCompletionStreamWrapper(chat, call.route.model, options, _shown_provider(call))


def _run_native(call: PreparedCall, params: Dict[str, Any]) -> Any:
    stream = bool(params.get("stream"))
    try:
        if stream:
            return _native_stream(call, call.request.open_stream(), params)
        return _finish_native(call, call.request.send())
    except _core.CoreError as exc:
        raise native_error(call, _shown_provider(call), stream=stream)(exc) from None


async def _arun_native(call: PreparedCall, params: Dict[str, Any]) -> Any:
    stream = bool(params.get("stream"))
    try:
        if stream:
            return _native_stream(call, await await_core(call.request.open_stream_async), params)
        return _finish_native(call, await await_core(call.request.send_async))
    except _core.CoreError as exc:
        raise native_error(call, _shown_provider(call), stream=stream, awaited=True)(exc) from None


# -- the chat-completion bridge ---------------------------------------------------------------


def _chat_kwargs(provider: str, params: Dict[str, Any], kwargs: Dict[str, Any]) -> Dict[str, Any]:
    out = {**kwargs, **params}
    if provider == "huggingface" and params.get("echo") is True:
        out.setdefault("top_n_tokens", 3)  # litellm asks TGI for the top tokens an echo shows
    return out


def _bridged(response: Any, model: str, params: Dict[str, Any]) -> Any:
    from edgequake._call.stream import CustomStreamWrapper
    from edgequake._shaping.text_completion import from_chat

    if isinstance(response, CustomStreamWrapper) or params.get("stream"):
        return TextCompletionStreamWrapper(response, model, params.get("stream_options"), None)
    return from_chat(response)


def _delegated_stream(response: Any, params: Dict[str, Any]) -> Any:
    from edgequake._delegate.convert import from_litellm

    if hasattr(response, "__next__") or hasattr(response, "__anext__"):
        return TextCompletionStreamWrapper(response, None, params.get("stream_options"), convert=from_litellm)
    return response


def _speaks(provider: str, wire_model: str) -> bool:
    """Whether edgequake runs this provider's chat completions (else litellm gets the whole call)."""
    from edgequake._call.routing import NATIVE
    from edgequake._params.cohere import COHERE_PROVIDERS, uses_v1

    return provider in NATIVE and not (provider in COHERE_PROVIDERS and uses_v1(wire_model))


def _delegate() -> Any:
    from edgequake._delegate import call

    return call


# -- entry points -------------------------------------------------------------------------------


def text_completion(
    prompt: Any,
    model: Optional[str] = None,
    best_of: Optional[int] = None,
    echo: Optional[bool] = None,
    frequency_penalty: Optional[float] = None,
    logit_bias: Optional[Dict[int, int]] = None,
    logprobs: Optional[int] = None,
    max_tokens: Optional[int] = None,
    n: Optional[int] = None,
    presence_penalty: Optional[float] = None,
    stop: Any = None,
    stream: Optional[bool] = None,
    stream_options: Optional[dict] = None,
    suffix: Optional[str] = None,
    temperature: Optional[float] = None,
    top_p: Optional[float] = None,
    user: Optional[str] = None,
    api_base: Optional[str] = None,
    api_version: Optional[str] = None,
    api_key: Optional[str] = None,
    model_list: Optional[list] = None,
    custom_llm_provider: Optional[str] = None,
    *args: Any,
    **kwargs: Any,
) -> Any:
    """litellm.text_completion: a legacy completion of ``prompt`` (a ``TextCompletionResponse``), or a
    stream of them with ``stream=True``."""
    prompt, model, params, kwargs = _arguments(dict(locals()))
    _check_model(model)
    provider, wire_model = _split(model, kwargs)
    native = _native_for(provider, wire_model, model, kwargs)
    if native is not None:
        _messages(prompt, provider)  # litellm refuses a bad prompt before the call
        return _run_native(_prepare_native(native, wire_model, model, prompt, params, kwargs), params)
    if not _speaks(provider, wire_model):
        first = {"prompt": prompt, "model": model}
        return _delegated_stream(_delegate().run(provider, "text_completion", first, params, kwargs), params)
    messages = _messages(prompt, provider)
    from edgequake._call import api

    return _bridged(api.completion(model, messages, **_chat_kwargs(provider, params, kwargs)), model, params)


async def atext_completion(*args: Any, **kwargs: Any) -> Any:
    """litellm.atext_completion: ``text_completion`` for asyncio (same arguments); failures are mapped
    again as litellm's async twin maps them."""
    import inspect

    bound = inspect.signature(text_completion).bind(*args, **kwargs)
    local = dict(bound.arguments)
    local.setdefault("kwargs", {})
    for name, parameter in inspect.signature(text_completion).parameters.items():
        if name not in local and parameter.default is not inspect.Parameter.empty:
            local[name] = parameter.default
    prompt, model, params, extra = _arguments(local)
    try:
        _check_model(model)
        provider, wire_model = _split(model, extra)
        native = _native_for(provider, wire_model, model, extra)
        if native is not None:
            _messages(prompt, provider)
            call = _prepare_native(native, wire_model, model, prompt, params, extra)
            return await _arun_native(call, params)
        if not _speaks(provider, wire_model):
            first = {"prompt": prompt, "model": model}
            result = await _delegate().arun(provider, "atext_completion", first, params, extra)
            return _delegated_stream(result, params)
        messages = _messages(prompt, provider)
        from edgequake._call import api

        response = await api.acompletion(model, messages, **_chat_kwargs(provider, params, extra))
        return _bridged(response, model, params)
    except Exception as exc:
        raise awaited_error(exc, model) from None
