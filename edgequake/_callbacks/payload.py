"""The ``kwargs`` dict litellm hands every callback (its ``model_call_details``), rebuilt with the
keys and value types litellm 1.110.2 puts there (measured: ``tools/measure_callbacks.py``).

What users read is filled: ``model`` (without the provider prefix), ``messages``, ``optional_params``,
``litellm_params`` (its ``metadata`` is the call's ``metadata=``), ``litellm_call_id``, ``start_time``,
``end_time``, ``stream``, ``call_type``, ``custom_llm_provider``, ``response_cost``,
``standard_logging_object``, ``complete_streaming_response`` at a stream's end, ``exception`` and
``traceback_exception`` on failure. Keys only litellm's proxy or router fill are present with
litellm's empty values. litellm also writes timing data into the caller's ``metadata`` dict in place;
edgequake leaves the caller's dict alone and hands a copy.
"""

from __future__ import annotations

import datetime
import traceback
import uuid
from typing import Any, Dict, Optional

from edgequake._callbacks.standard import standard_logging_object

# litellm_params' keys (litellm 1.110.2, measured); the ones edgequake knows are filled per call.
LITELLM_PARAMS_KEYS = (
    "acompletion", "aembedding", "allm_passthrough_route", "api_base", "api_key", "api_version",
    "async_call", "azure_ad_token", "azure_ad_token_provider", "azure_password", "azure_scope",
    "azure_username", "base_model", "chatgpt_auth_file", "client_id", "client_secret",
    "completion_call_id", "cooldown_time", "cost_per_query", "cost_per_second", "custom_llm_provider",
    "custom_prompt_dict", "data_residency", "disable_add_transform_inline_image_block", "drop_params",
    "force_timeout", "gigachat_access_token", "gigachat_auth_url", "gigachat_scope", "hf_model_name",
    "input_cost_per_second", "input_cost_per_token", "litellm_call_id", "litellm_metadata",
    "litellm_request_debug", "litellm_session_id", "litellm_trace_id", "logger_fn", "max_retries",
    "merge_reasoning_content_in_choices", "metadata", "model_alias_map", "model_info", "no-log",
    "output_cost_per_second", "output_cost_per_token", "preset_cache_key", "prompt_id",
    "prompt_variables", "proxy_server_request", "rpm", "ssl_verify", "stream_response", "tenant_id",
    "text_completion", "timeout", "tpm", "use_litellm_proxy", "use_xai_oauth", "user_continue_message",
    "verbose",
)  # fmt: skip


class CallRecord:
    """One call as the callbacks see it; ``details`` is the dict passed as ``kwargs``."""

    def __init__(
        self,
        model: str,
        messages: Any,
        params: Dict[str, Any],
        kwargs: Dict[str, Any],
        *,
        awaited: bool,
        call_id: Optional[str] = None,
    ) -> None:
        self.started = datetime.datetime.now()
        self.caller_model = model
        self.provider, self.model = _split(model, kwargs.get("custom_llm_provider"))
        self.stream = bool(params.get("stream"))
        self.call_id = call_id or kwargs.get("litellm_call_id") or str(uuid.uuid4())
        self.trace_id = kwargs.get("litellm_trace_id") or str(uuid.uuid4())
        self.metadata = dict(kwargs.get("metadata") or {})
        optional = _optional_params(params, kwargs)
        api_base = params.get("base_url") or kwargs.get("api_base")
        litellm_params = dict.fromkeys(LITELLM_PARAMS_KEYS)
        litellm_params.update(
            {
                "acompletion": awaited,
                "api_base": api_base,
                "api_key": params.get("api_key"),
                "api_version": params.get("api_version"),
                "custom_llm_provider": self.provider,
                "litellm_call_id": self.call_id,
                "litellm_trace_id": self.trace_id,
                "metadata": self.metadata,
                "force_timeout": 600,
                "timeout": params.get("timeout") or 600.0,
                "max_retries": kwargs.get("max_retries"),
                "model_info": kwargs.get("model_info"),
                "drop_params": kwargs.get("drop_params"),
            }
        )
        self.details: Dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "optional_params": optional,
            "litellm_params": litellm_params,
            "start_time": self.started,
            "stream": self.stream,
            "user": params.get("user"),
            "call_type": "acompletion" if awaited else "completion",
            "litellm_call_id": self.call_id,
            "litellm_trace_id": self.trace_id,
            "completion_start_time": None,
            "stream_options": params.get("stream_options"),
            "input": messages,
            "api_key": params.get("api_key"),
            "additional_args": {},
            "log_event_type": "pre_api_call",
            "custom_llm_provider": self.provider,
            "max_retries": kwargs.get("max_retries"),
            "model_id": None,
            "standard_callback_dynamic_params": {},
            "extra_body": {},
            "agentic_loop_params": {"model": model, "custom_llm_provider": self.provider},
            "applied_guardrails": [],
            "api_call_start_time": self.started,
            "first_api_call_start_time": self.started,
            "current_attempt_api_call_start_time": self.started,
        }

    # -- events ---------------------------------------------------------------------------------
    def posted(self, response: Any, *, headers: bool = False) -> Dict[str, Any]:
        """After the provider answered (or a stream opened). ``headers``: litellm's sync HTTP path
        records the reply's headers here (its async path and its mock do not)."""
        d = self.details
        d["log_event_type"] = "post_api_call"
        # a stream's "original response" is the stream object itself, as litellm hands it
        d["original_response"] = response if hasattr(response, "chunks") else _original(response)
        d["additional_args"] = {"complete_input_dict": _input_dict(self)}
        if headers:
            d["response_headers"] = _headers(response)
        now = datetime.datetime.now()
        d["llm_api_duration_ms"] = (now - self.started).total_seconds() * 1000.0
        return d

    def succeeded(
        self, response: Any, end: datetime.datetime, *, streamed: bool = False, awaited: bool = False
    ) -> Dict[str, Any]:
        d = self.details
        if "original_response" not in d:
            self.posted(response)
        d["log_event_type"] = "successful_api_call"
        d["completion_start_time"] = d.get("completion_start_time") or end
        d["end_time"] = end
        d["cache_hit"] = False if streamed else None
        d["zero_cost_diagnostic"] = None
        d["response_headers"] = _headers(response)
        hidden = getattr(response, "_hidden_params", None)
        if isinstance(hidden, dict):
            hidden["litellm_call_id"] = self.call_id
            self.metadata["hidden_params"] = hidden
        d["response_cost"] = response_cost(response, self.caller_model)
        if streamed and awaited:  # litellm's async stream path names it so (and has no other)
            d["async_complete_streaming_response"] = response
            d["has_dispatched_final_stream_success"] = True
        elif streamed:
            d["complete_streaming_response"] = response
            d["complete_response"] = response
        else:
            d["has_logged_async_success" if awaited else "has_logged_sync_success"] = True
        d["standard_logging_object"] = standard_logging_object(self, response, None, end)
        return d

    def failed(self, exc: BaseException, end: datetime.datetime, *, awaited: bool = False) -> Dict[str, Any]:
        d = self.details
        d["log_event_type"] = "failed_api_call"
        d["end_time"] = end
        d["exception"] = exc
        d["traceback_exception"] = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        d.setdefault("original_response", None if awaited else str(exc))
        d["additional_args"] = {"headers": None}
        d["response_cost"] = 0
        d["has_logged_sync_failure"] = True
        d["llm_api_duration_ms"] = (end - self.started).total_seconds() * 1000.0
        d["standard_logging_object"] = standard_logging_object(self, None, exc, end)
        return d


_NOT_OPTIONAL = frozenset(
    {
        "api_key", "api_version", "base_url", "model_list", "timeout", "extra_headers",
        "deployment_id", "shared_session", "enable_json_schema_validation", "metadata", "api_base",
        "custom_llm_provider", "litellm_call_id", "litellm_trace_id", "model_info", "mock_response",
        "mock_tool_calls", "mock_timeout", "mock_delay", "fallbacks", "context_window_fallback_dict",
        "num_retries", "drop_params",
    }
)  # fmt: skip


def _optional_params(params: Dict[str, Any], kwargs: Dict[str, Any]) -> Dict[str, Any]:
    """What litellm lists as ``optional_params``: the provider parameters, then ``max_retries``."""
    from edgequake._call.arguments import split_kwargs

    try:
        body, control = split_kwargs(params, kwargs)
    except Exception:
        body, control = {}, {}
    optional = {k: v for k, v in body.items() if v is not None and k not in _NOT_OPTIONAL}
    if control.get("max_retries") is not None:
        optional["max_retries"] = control["max_retries"]
    optional["extra_body"] = {}
    return optional


def _split(model: str, provider: Optional[str]) -> tuple[str, str]:
    from edgequake._call.routing import split_model

    try:
        return split_model(model, provider)
    except Exception:
        return provider or "", model


def _input_dict(record: CallRecord) -> Dict[str, Any]:
    body = {"model": record.model, "messages": record.details["messages"]}
    body.update({k: v for k, v in record.details["optional_params"].items() if k != "max_retries"})
    return body


def _original(response: Any) -> str:
    if response is None or not hasattr(response, "model_dump_json"):
        return ""
    try:
        return str(response.model_dump_json())
    except Exception:
        return ""


def _headers(response: Any) -> Dict[str, Any]:
    raw = getattr(response, "_response_headers", None)
    return dict(raw) if isinstance(raw, dict) else {}


def response_cost(response: Any, model: str) -> Optional[float]:
    """litellm's cost of the call: the response's own ``_hidden_params['response_cost']`` when the
    call path priced it, else the price table's bill for it (an assembled stream); None if unpriced."""
    hidden = getattr(response, "_hidden_params", None)
    known = hidden.get("response_cost") if isinstance(hidden, dict) else None
    if known is not None:
        return known
    from edgequake._cost.calculator import completion_cost

    try:
        return float(completion_cost(completion_response=response, model=model))
    except Exception:  # an unpriced model: None, as litellm leaves it
        return None
