"""litellm's ``StandardLoggingPayload`` (``kwargs["standard_logging_object"]``): the flat, JSON-able
summary observability integrations read. Same keys as litellm 1.110.2 (measured); values edgequake
cannot know (proxy keys, teams, guardrails, litellm's cost breakdown) are litellm's empty values.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Dict, Optional

if TYPE_CHECKING:
    from edgequake._callbacks.payload import CallRecord

_METADATA_NONE = (
    "applied_guardrails", "cold_storage_object_key", "kubernetes_pod_routing", "mcp_tool_call_metadata",
    "prompt_management_metadata", "requester_custom_headers", "requester_ip_address",
    "requester_metadata", "routing_decision", "spend_logs_metadata", "team_alias", "team_id",
    "usage_object", "used_client_oauth_token", "user_agent", "user_api_key_alias",
    "user_api_key_auth_metadata", "user_api_key_budget_reset_at", "user_api_key_end_user_id",
    "user_api_key_hash", "user_api_key_max_budget", "user_api_key_org_alias", "user_api_key_org_id",
    "user_api_key_project_alias", "user_api_key_project_id", "user_api_key_request_route",
    "user_api_key_spend", "user_api_key_team_alias", "user_api_key_team_id",
    "user_api_key_team_max_budget", "user_api_key_team_spend", "user_api_key_user_email",
    "user_api_key_user_id", "user_api_key_user_max_budget", "user_api_key_user_spend",
    "vector_store_request_metadata",
)  # fmt: skip
_ERROR_NONE = (
    "error_budget_entity_id", "error_budget_entity_type", "error_budget_limit", "error_budget_spend",
    "error_cooldown_deployments", "error_provider_request_id", "error_rate_limit_category",
    "error_rate_limit_type", "normalized_error",
)  # fmt: skip


def _ts(value: Optional[datetime.datetime]) -> Optional[float]:
    return value.timestamp() if isinstance(value, datetime.datetime) else None


def _usage(response: Any) -> Dict[str, Any]:
    usage = getattr(response, "usage", None)
    if usage is None:
        return {}
    try:
        return dict(usage.model_dump(exclude_none=True))
    except Exception:
        return {}


def _metadata(record: CallRecord, usage: Dict[str, Any]) -> Dict[str, Any]:
    out: Dict[str, Any] = dict.fromkeys(_METADATA_NONE)
    out["applied_guardrails"] = []
    # litellm's SDK leaves requester_metadata None (the proxy fills it): the call's metadata is in
    # kwargs["litellm_params"]["metadata"]
    out["usage_object"] = usage or None
    return out


# litellm's normalized error codes (litellm_core_utils/error_normalization.py), by class then status.
_NORMALIZED_BY_CLASS = {
    "RateLimitError": "429_RATE_LIMIT_EXCEEDED",
    "AuthenticationError": "401_AUTHENTICATION_FAILED",
    "PermissionDeniedError": "403_PERMISSION_DENIED",
    "ContextWindowExceededError": "400_CONTEXT_WINDOW_EXCEEDED",
    "ContentPolicyViolationError": "400_CONTENT_POLICY_VIOLATION",
    "BadRequestError": "400_INVALID_REQUEST",
    "NotFoundError": "404_RESOURCE_NOT_FOUND",
    "Timeout": "408_UPSTREAM_TIMEOUT",
    "APIConnectionError": "500_PROVIDER_CONNECTION_ERROR",
    "ServiceUnavailableError": "503_PROVIDER_OVERLOADED",
    "InternalServerError": "500_PROVIDER_INTERNAL_ERROR",
}


def _error_information(exc: Optional[BaseException], provider: str) -> Dict[str, Any]:
    info: Dict[str, Any] = dict.fromkeys(_ERROR_NONE)
    if exc is None:
        info.update(error_class="", error_code="", error_message="", llm_provider="", traceback="")
        return info
    import traceback

    status = getattr(exc, "status_code", None)
    info.update(
        error_class=type(exc).__name__,
        error_code=str(status) if status is not None else "",
        error_message=str(exc),
        llm_provider=getattr(exc, "llm_provider", None) or provider,
        traceback="".join(traceback.format_tb(exc.__traceback__)),
        normalized_error=_NORMALIZED_BY_CLASS.get(type(exc).__name__, "UNCLASSIFIED"),
    )
    return info


def standard_logging_object(
    record: CallRecord, response: Any, exc: Optional[BaseException], end: datetime.datetime
) -> Dict[str, Any]:
    details = record.details
    usage = _usage(response)
    hidden = getattr(response, "_hidden_params", None)
    hidden = hidden if isinstance(hidden, dict) else {}
    started = _ts(record.started)
    ended = _ts(end)
    first = _ts(details.get("completion_start_time")) or ended
    cost = details.get("response_cost")
    try:
        response_dump: Any = response.model_dump() if response is not None else {}
    except Exception:
        response_dump = {}
    ok = exc is None
    model_parameters = {
        k: v for k, v in details["optional_params"].items() if k not in ("max_retries", "extra_body")
    }
    return {
        "id": getattr(response, "id", None) or record.call_id,
        "trace_id": record.trace_id,
        "litellm_call_id": record.call_id,
        "call_type": details["call_type"],
        "stream": True if record.stream else None,
        "cache_hit": None if ok and not record.stream else False,
        "cache_key": None,
        "saved_cache_cost": 0.0,
        "status": "success" if ok else "failure",
        "status_fields": {"llm_api_status": "success" if ok else "failure", "guardrail_status": "not_run"},
        "response_cost": cost if cost is not None else 0.0,
        "response_cost_failure_debug_info": None,
        "cost_breakdown": None,
        "cost_finalized": False,
        "custom_llm_provider": record.provider,
        "api_base": hidden.get("api_base") or details["litellm_params"].get("api_base") or "",
        "model": record.model,
        "model_id": "",
        "model_group": "",
        "model_map_information": None,
        "request_model_access_groups": (),
        "metadata": _metadata(record, usage),
        "prompt_tokens": int(usage.get("prompt_tokens") or 0),
        "completion_tokens": int(usage.get("completion_tokens") or 0),
        "total_tokens": int(usage.get("total_tokens") or 0),
        "startTime": started,
        "endTime": ended,
        "completionStartTime": first,
        "response_time": (ended or 0.0) - (started or 0.0),
        "messages": details["messages"],
        "response": response_dump if ok else {},
        "model_parameters": model_parameters,
        "hidden_params": {
            "model_id": None,
            "cache_key": None,
            "api_base": hidden.get("api_base"),
            "response_cost": hidden.get("response_cost"),
            "additional_headers": hidden.get("additional_headers"),
            "litellm_overhead_time_ms": hidden.get("litellm_overhead_time_ms"),
            "batch_models": None,
            "batch_successful_requests": None,
            "batch_failed_requests": None,
            "litellm_model_name": record.caller_model,
            "usage_object": None,
        },
        "error_str": None if ok else str(exc),
        "error_information": _error_information(exc, record.provider),
        "end_user": details.get("user"),
        "requester_ip_address": None,
        "request_tags": list(record.metadata.get("tags") or []),
        "session_id": "",
        "user_agent": None,
        "guardrail_information": None,
        "standard_built_in_tools_params": {"web_search_options": None, "file_search": None},
        "autorouter_baseline_observation": None,
        "autorouter_savings": None,
        "autorouter_savings_estimate": None,
        "zero_cost_diagnostic": None,
    }
