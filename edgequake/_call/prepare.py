"""One call made ready to run: the route resolved, the body built, the core request prepared; and how
that call's core failures become litellm's exceptions (they need the route, URL, timings and retries).
"""

from __future__ import annotations

import os
import time
from typing import Any, Dict, Optional

from edgequake import _core
from edgequake._call.arguments import (
    drop_params_on,
    request_headers,
    retry_counts,
    route_for,
    split_kwargs,
    timeout_seconds,
)
from edgequake._call.bad_arguments import BadArgument, body_problem, litellm_error
from edgequake._call.routing import Route
from edgequake._params.cohere import COHERE_PROVIDERS


class PreparedCall:
    """One resolved call: the route, the core request, and what errors and responses need."""

    __slots__ = (
        "api_base_shown",
        "caller_model",
        "hints",
        "inputs",
        "json_mode",
        "messages",
        "num_retries",
        "request",
        "requested_model",
        "route",
        "route_name",
        "started",
        "timeout",
        "timeout_shown",
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
        *,
        caller_model: Optional[str] = None,
        timeout_shown: Any = None,
    ):
        self.timeout = timeout
        self.timeout_shown = timeout if timeout_shown is None else timeout_shown
        self.route_name = route_name
        self.caller_model = route.model if caller_model is None else caller_model
        self.route = route
        self.request = request
        self.messages = messages
        self.num_retries = num_retries
        self.started = started
        self.requested_model = route.model
        self.api_base_shown = route.api_base or ""
        self.hints: Dict[str, Any] = {}  # what a provider's shaping needs of the request body
        self.inputs: Any = None  # an embedding call's input (Cohere counts it when unbilled)
        # a response_format was given; "tool" when it went out as anthropic's json_tool_call tool
        self.json_mode: Any = False

    def error(
        self,
        exc: BaseException,
        *,
        awaited: bool = False,
        stream: bool = False,
        iterating: Optional[str] = None,
        llm_provider: Optional[str] = None,
    ) -> BaseException:
        """The litellm exception for a core failure; other exceptions pass through unchanged.

        ``awaited``: the failure surfaced while ``acompletion``/``aembedding`` awaited the request
        (opening a stream included; not a failure while iterating it). litellm's async twins run the
        request in a coroutine whose provider error is mapped by the twin's own ``except``, through
        ``exception_type(model=<the model as the caller wrote it>)``, and their awaited code words a few
        failures differently (``edgequake._errors.from_core``); the sync path and a stream's iteration
        map with the model without its provider prefix. ``stream``: the failure opened a stream.
        ``iterating``: "sync" or "async" for a failure while iterating an open stream.
        ``llm_provider``: the provider name litellm's mapper ran under, when not the route's (gemini
        streams: ``vertex_ai_beta``).
        """
        if isinstance(exc, _core.CoreError):
            from edgequake._errors.from_core import from_core

            info = dict(exc.args[0])
            info.setdefault("url", self.request.url)
            info.setdefault("route", self.route_name)
            info.setdefault("timeout", self.timeout)
            info.setdefault("timeout_shown", self.timeout_shown)
            info.setdefault("elapsed", time.perf_counter() - self.started)
            info.setdefault("awaited", awaited)
            info.setdefault("stream", stream)
            info.setdefault("iterating", iterating)
            model = self.caller_model if awaited else self.route.model
            provider = llm_provider or self.route.provider
            if self.route.provider == "gemini" and info.get("kind") == "timeout":
                from edgequake._call.gemini import TIMEOUT_SHOWN

                provider, model = TIMEOUT_SHOWN
            return from_core(
                info,
                model=model,
                llm_provider=provider,
                api_base=self.route.api_base or self.request.url,
                messages=self.messages,
                max_retries=None,
                num_retries=self.num_retries,
                api_key=self.route.api_key,
            )
        return exc


class _NoRequest:
    """Stands in for the request when building it failed (no URL was made)."""

    url = ""


def prepare_call(
    model: str,
    route_name: str,
    params: Dict[str, Any],
    kwargs: Dict[str, Any],
    messages: Any,
    build_body: Any,
    *,
    awaited: bool = False,
) -> PreparedCall:
    """Resolves the route, builds the body and the core request; raises litellm's exception on failure.

    ``awaited``: for ``acompletion``/``aembedding``, where litellm prepares the HTTP request inside the
    awaited coroutine, so a failure preparing it is re-raised as ``PreparedCall.error(awaited=True)``.
    """
    started = time.perf_counter()
    body_params, control = split_kwargs(params, kwargs)
    route = route_for(model, control)
    if route_name == "embedding" and route.provider in COHERE_PROVIDERS:
        # litellm's Cohere embedding reads only the call's api_base (no global, no COHERE_API_BASE)
        route = route._replace(api_base=control.get("api_base") or control.get("base_url"))
    try:
        return _prepare(
            route, model, route_name, body_params, control, messages, build_body, started, awaited
        )
    except BadArgument as problem:
        shown = model if awaited and not problem.before_call else route.model
        raise litellm_error(problem, provider=route.provider, model=shown) from None


def _prepare(
    route: Route,
    model: str,
    route_name: str,
    body_params: Dict[str, Any],
    control: Dict[str, Any],
    messages: Any,
    build_body: Any,
    started: float,
    awaited: bool,
) -> PreparedCall:
    if route.provider == "anthropic" and not route.api_key and not os.environ.get("ANTHROPIC_AUTH_TOKEN"):
        from edgequake._params.anthropic import missing_key_error

        raise missing_key_error(route.model)  # sync and async alike (measured)
    raw_timeout = control.get("timeout", control.get("request_timeout"))
    timeout = timeout_seconds(raw_timeout, route.provider)  # litellm reads it before the body
    body = build_body(route, body_params, control)
    if route.provider == "gemini" and not route.api_key:  # litellm checks it after the params
        from edgequake._call.gemini import missing_key

        raise missing_key(model if awaited else route.model)
    max_retries, num_retries = retry_counts(
        route.provider, control.get("max_retries"), control.get("num_retries")
    )
    # How litellm's async openai-SDK route quotes the timeout: a Timeout object as itself, else seconds.
    shown = raw_timeout if hasattr(raw_timeout, "read") or hasattr(raw_timeout, "connect") else timeout
    extra: Dict[str, Any] = {"caller_model": model, "timeout_shown": shown}
    try:
        request = _core.prepare(
            route.provider,
            route_name,
            route.model,
            body,
            api_base=route.api_base,
            api_key=_api_key(route),
            api_version=route.api_version,
            azure_ad_token=control.get("azure_ad_token"),
            headers=_headers(route, control, body),
            timeout=timeout,
            max_retries=max_retries,
        )
    except _core.CoreError as exc:
        failed = PreparedCall(route, _NoRequest(), messages, None, started, timeout, route_name, **extra)
        raise failed.error(exc, awaited=awaited) from None
    except (TypeError, ValueError, UnicodeEncodeError, OverflowError):
        # The body cannot be encoded: say why as litellm's stack does, else the core's error stands.
        problem = body_problem(route.model, body, messages)
        if problem is None:
            raise
        raise problem from None
    call = PreparedCall(route, request, messages, num_retries, started, timeout, route_name, **extra)
    if route.provider in ("ollama", "ollama_chat"):
        from edgequake._shaping.ollama import request_hints

        call.hints = request_hints(body)
    call.json_mode = body_params.get("response_format") is not None
    if call.json_mode and route.provider == "anthropic":
        from edgequake._params.anthropic import uses_json_tool

        call.json_mode = "tool" if uses_json_tool(route.model, body_params["response_format"]) else True
    return call


def _headers(route: Route, control: Dict[str, Any], body: Dict[str, Any]) -> Dict[str, str]:
    headers = request_headers(route, control)
    if route.provider == "anthropic":  # bearer auth and the beta headers litellm adds
        from edgequake._params.anthropic import auth_headers, beta_headers

        headers = beta_headers(body, {**auth_headers(route.api_key), **headers})
    return headers


def _api_key(route: Route) -> Optional[str]:
    """The key the core sends in the provider's key header (anthropic's bearer tokens go as
    ``authorization`` instead, from ``_headers``)."""
    if route.provider == "anthropic":
        from edgequake._params.anthropic import x_api_key

        return x_api_key(route.api_key)
    return route.api_key


def chat_body_builder(messages: Any) -> Any:
    """``prepare_call``'s ``build_body`` for a chat call: litellm's body for the route's provider."""

    def build(route: Route, body_params: Dict[str, Any], control: Dict[str, Any]) -> Dict[str, Any]:
        from edgequake._params.body import chat_body

        if not isinstance(messages, list):
            raise _bad_messages(route.model, messages)
        if route.provider == "anthropic":  # litellm sends its metadata kwarg's user_id to Anthropic
            from edgequake._params.anthropic import anthropic_chat_body

            return anthropic_chat_body(
                route.model,
                messages,
                body_params,
                drop_params=drop_params_on(control),
                additional_drop_params=control.get("additional_drop_params"),
                metadata=control.get("metadata"),
            )
        return chat_body(
            route.provider,
            route.model,
            messages,
            body_params,
            drop_params=drop_params_on(control),
            additional_drop_params=control.get("additional_drop_params"),
        )

    return build


def embedding_body_builder(input: Any) -> Any:
    """``prepare_call``'s ``build_body`` for an embedding call."""

    def build(route: Route, body_params: Dict[str, Any], control: Dict[str, Any]) -> Dict[str, Any]:
        from edgequake._params.body import embedding_body

        return embedding_body(
            route.provider, route.model, input, body_params, drop_params=drop_params_on(control)
        )

    return build


def _bad_messages(model: str, messages: Any) -> Exception:
    from edgequake import exceptions

    return exceptions.BadRequestError(
        message=f"messages must be a list of message dicts, got {type(messages).__name__}",
        model=model,
        llm_provider="",
    )
