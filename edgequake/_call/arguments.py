"""litellm's call arguments sorted and read: which ones steer the call rather than go into the body,
and how the control ones (timeout, retries, headers, drop_params, route overrides) are interpreted,
falling back to the ``edgequake`` module globals users set, as litellm falls back to its own.

Which keywords never reach the provider is litellm's own list (``_call.litellm_params``, generated from
the pinned litellm): a caller passing litellm-only arguments (dspy's ``retry_strategy``, a router's
``metadata``, a proxy's ``litellm_call_id``...) gets them accepted and left out of the request, and any
other unknown keyword goes into the body, as litellm sends it.
"""

from __future__ import annotations

import sys
from typing import Any, Dict, Optional, Tuple

from edgequake._call.litellm_params import LITELLM_OWNED_PARAMS, LITELLM_OWNED_PREFIX
from edgequake._call.routing import Route, resolve

# Arguments that steer the call rather than go into the provider's body, kept for the call to read
# (``split_kwargs``' control dict); the rest of litellm's own names (``LITELLM_OWNED_PARAMS``) are
# accepted and dropped. Of the names here not in that table, ``timeout``, ``base_url``,
# ``extra_headers`` and ``deployment_id`` are ``completion()`` parameters, ``organization`` and
# ``default_headers`` transport names in litellm's ``OPENAI_CHAT_COMPLETION_PARAMS`` (and embedding's
# own list), and ``drop_params`` and ``additional_drop_params`` read by its param mapping.
# litellm does send ``api_type`` (chat) and ``azure_ad_token`` (off azure) in the body; edgequake
# keeps them out, as it did before.
CONTROL_ARGS = frozenset(
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
        "default_headers",
    }
)

_DEFAULT_TIMEOUT = 600.0


def _pkg() -> Any:
    return sys.modules["edgequake"]  # the package, whose module globals users set


def timeout_seconds(value: Any, provider: str = "openai") -> float:
    """litellm accepts a number, a numeric string or an httpx/openai Timeout object. One it cannot use
    fails as it fails in litellm (``edgequake._call.bad_arguments``)."""
    from edgequake._call.bad_arguments import check_timeout, unreadable_timeout

    if value is None:
        value = getattr(_pkg(), "request_timeout", None) or _DEFAULT_TIMEOUT
    read = getattr(value, "read", None)
    if read is not None or hasattr(value, "connect"):
        value = read if read is not None else getattr(value, "connect", None) or _DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise unreadable_timeout(exc) from None
    check_timeout(value, seconds, provider)
    return seconds


def retry_counts(provider: str, max_retries: Any, num_retries: Any) -> Tuple[int, Optional[int]]:
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
        if max_retries is None:
            return 2, None
        from edgequake._call.bad_arguments import check_max_retries

        check_max_retries(max_retries)  # the openai SDK's check; litellm's other routes ignore it
        return max_retries, None
    return 0, None


def _non_negative(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return value


def litellm_owned(name: str) -> bool:
    """litellm's ``is_litellm_owned_kwarg``: a keyword litellm keeps for itself, never sent."""
    return name in LITELLM_OWNED_PARAMS or name.startswith(LITELLM_OWNED_PREFIX)


def split_kwargs(params: Dict[str, Any], kwargs: Dict[str, Any]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """(body params, control args): None values are "not given", as in litellm. litellm's own keywords
    that edgequake does not read are in neither: accepted, and not sent."""
    body: Dict[str, Any] = {}
    control: Dict[str, Any] = {}
    for source in (params, kwargs):
        for key, value in source.items():
            if value is None:
                continue
            if key in CONTROL_ARGS:
                control[key] = value
            elif not litellm_owned(key):
                body[key] = value  # OpenAI params, and provider-specific kwargs litellm passes on
    return body, control


def route_for(model: str, control: Dict[str, Any]) -> Route:
    """The route for ``model`` with the call's own overrides (litellm's ``base_url`` is ``api_base``)."""
    return resolve(
        model,
        custom_llm_provider=control.get("custom_llm_provider"),
        api_key=control.get("api_key"),
        api_base=control.get("api_base") or control.get("base_url"),
        api_version=control.get("api_version"),
    )


def request_headers(route: Route, control: Dict[str, Any]) -> Dict[str, str]:
    """Headers the call adds: openai's organization, then ``headers`` and ``extra_headers``."""
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


def drop_params_on(control: Dict[str, Any]) -> bool:
    """``drop_params`` given to the call, or the module global."""
    return bool(control.get("drop_params") or getattr(_pkg(), "drop_params", False))


def include_usage(params: Dict[str, Any]) -> bool:
    """Whether a stream should end with a usage chunk (``stream_options.include_usage``)."""
    options = params.get("stream_options")
    return bool(isinstance(options, dict) and options.get("include_usage"))
