"""The less common litellm exceptions: subclasses of the core ones, proxy and guardrail errors, and the
rate-limit enums. Split from ``_exceptions.py`` only to keep modules short; built at the same moment.
"""

from __future__ import annotations

import enum
import sys
from typing import Any

import httpx

from edgequake._errors.bases import OPENAI_STUB_URL, retry_suffix, stub_response

_UNKNOWN_PROVIDER = (
    "Unmapped LLM provider for this endpoint. "
    "You passed model={model}, custom_llm_provider={custom_llm_provider}. "
    "Check supported provider and route: https://docs.litellm.ai/docs/providers"
)


def build_enums() -> dict[str, Any]:
    class RateLimitErrorCategory(str, enum.Enum):
        """Where a rate limit came from: the upstream vendor or litellm's own limiter."""

        VENDOR_RATE_LIMIT = "vendor_rate_limit"
        VENDOR_BATCH_RATE_LIMIT = "vendor_batch_rate_limit"
        LITELLM_RATE_LIMIT = "litellm_rate_limit"
        LITELLM_BATCH_RATE_LIMIT = "litellm_batch_rate_limit"

    class RateLimitType(str, enum.Enum):
        """Which limit was exceeded."""

        REQUESTS = "requests"
        TOKENS = "tokens"
        CONCURRENT_REQUESTS = "concurrent_requests"
        BUDGET = "budget"
        MAX_ITERATIONS = "max_iterations"

    return {"RateLimitErrorCategory": RateLimitErrorCategory, "RateLimitType": RateLimitType}


def build_dependents(o: Any, core: dict[str, Any]) -> dict[str, Any]:
    """Classes defined on top of the core set in ``core`` (and ``o``, the openai bases)."""
    BadRequestError = core["BadRequestError"]
    ServiceUnavailableError = core["ServiceUnavailableError"]

    class ImageFetchError(BadRequestError):
        def __init__(self, message, model=None, llm_provider=None, response=None, litellm_debug_info=None,
                     max_retries=None, num_retries=None, body=None):
            super().__init__(message=message, model=model, llm_provider=llm_provider, response=response,
                             litellm_debug_info=litellm_debug_info, max_retries=max_retries,
                             num_retries=num_retries, body=body)

    class VectorStoreSearchError(BadRequestError):
        def __init__(self, failures, model=None, llm_provider=None):
            self.failures = tuple(failures)
            detail = "; ".join(f"{f['vector_store_id']}: {f['error']}" for f in self.failures)
            super().__init__(
                message=("The request could not be grounded in every configured vector store. "
                         f"{len(self.failures)} vector store search(es) failed: {detail}"),
                model=model, llm_provider=llm_provider,
                body={"type": "invalid_request_error", "code": "vector_store_search_failed"},
            )

    class MalformedRequestFieldError(BadRequestError):
        pass

    class UnsupportedEndpointError(BadRequestError):
        pass

    class EndpointNotSupportedByModelError(BadRequestError):
        def __init__(self, message, model, llm_provider=""):
            super().__init__(message=message, model=model, llm_provider=llm_provider)
            self.message = message
            self.type = "invalid_request_error"
            self.param = "model"
            self.code = "400"

    class LiteLLMUnknownProvider(BadRequestError):
        def __init__(self, model, custom_llm_provider=None):
            self.message = _UNKNOWN_PROVIDER.format(model=model, custom_llm_provider=custom_llm_provider)
            super().__init__(self.message, model=model, llm_provider=custom_llm_provider, response=None)

        def __str__(self) -> str:
            return self.message

    class InvalidRequestError(o.BadRequestError):
        """Deprecated in litellm; kept so old ``except`` clauses still resolve."""

        def __init__(self, message, model, llm_provider):
            self.status_code = 400
            self.message = message
            self.model, self.llm_provider = model, llm_provider
            self.response = stub_response(400)
            super().__init__(message=self.message, response=self.response, body=None)

    class MockException(o.APIError):
        def __init__(self, status_code, message, llm_provider, model, request=None, litellm_debug_info=None,
                     max_retries=None, num_retries=None):
            self.status_code = status_code
            self.message = f"litellm.MockException: {message}"
            self.llm_provider, self.model = llm_provider, model
            self.litellm_debug_info = litellm_debug_info
            self.max_retries, self.num_retries = max_retries, num_retries
            if request is None:
                request = httpx.Request(method="POST", url=OPENAI_STUB_URL)
            super().__init__(self.message, request=request, body=None)

    class MidStreamFallbackError(ServiceUnavailableError):
        def __init__(self, message, model, llm_provider, original_exception=None, response=None,
                     litellm_debug_info=None, max_retries=None, num_retries=None, generated_content="",
                     is_pre_first_chunk=False, emitted_disqualifying_content=False):
            original_status = getattr(original_exception, "status_code", None)
            status = int(original_status) if original_status is not None else 503
            self.status_code = status
            self.message = f"litellm.MidStreamFallbackError: {message}"
            self.model, self.llm_provider = model, llm_provider
            self.original_exception = original_exception
            self.litellm_debug_info = litellm_debug_info
            self.max_retries, self.num_retries = max_retries, num_retries
            self.generated_content = generated_content
            self.is_pre_first_chunk = is_pre_first_chunk
            self.emitted_disqualifying_content = emitted_disqualifying_content
            fake_url = f"https://{llm_provider}.com/v1/"
            self.response = response if response is not None else stub_response(status, fake_url, "POST")
            saved_response, saved_message = self.response, self.message
            saved_request = getattr(saved_response, "request", None) or httpx.Request(
                method="POST", url=fake_url
            )
            super().__init__(message=self.message, llm_provider=llm_provider, model=model,
                             response=self.response, litellm_debug_info=litellm_debug_info,
                             max_retries=max_retries, num_retries=num_retries)
            # The base forces 503 and re-prefixes; the original status, response and message win.
            self.status_code = status
            self.response, self.request, self.message = saved_response, saved_request, saved_message
            self.args = (saved_message,)
            headers = getattr(original_exception, "litellm_response_headers", None)
            if headers is not None:
                self.litellm_response_headers = headers

        def __str__(self) -> str:
            text = self.message + retry_suffix(self.num_retries, self.max_retries)
            if self.original_exception:
                original = self.original_exception
                text += f" Original exception: {type(original).__name__}: {original}"
            return text

        __repr__ = __str__

    class ModelNotMappedError(Exception):
        pass

    class BudgetExceededError(Exception):
        def __init__(self, current_cost, max_budget, message=None, llm_provider=None, entity_type=None,
                     entity_id=None):
            self.current_cost, self.max_budget = current_cost, max_budget
            # litellm reads its module global at raise time; ours lives on the edgequake module.
            self.status_code = getattr(sys.modules.get("edgequake"), "budget_exceeded_status_code", 422)
            self.llm_provider = llm_provider or ""
            self.entity_type, self.entity_id = entity_type, entity_id
            self.category = "litellm_rate_limit"
            self.rate_limit_type = "budget"
            self.message = message or (
                f"Budget has been exceeded! Current cost: {current_cost}, Max budget: {max_budget}"
            )
            super().__init__(self.message)

    class GuardrailRaisedException(Exception):
        def __init__(self, guardrail_name=None, message="", should_wrap_with_default_message=True,
                     status_code=400, blocked_content=False):
            self.guardrail_name = guardrail_name
            self.status_code = status_code
            self.blocked_content = blocked_content
            wrapped = f"Guardrail raised an exception, Guardrail: {guardrail_name}, Message: {message}"
            self.message = wrapped if should_wrap_with_default_message else message
            super().__init__(self.message)

    class BlockedPiiEntityError(Exception):
        def __init__(self, entity_type, guardrail_name=None, status_code=400):
            self.entity_type, self.guardrail_name, self.status_code = entity_type, guardrail_name, status_code
            self.message = (f"Blocked entity detected: {entity_type} by Guardrail: {guardrail_name}. "
                            "This entity is not allowed to be used in this request.")
            super().__init__(self.message)

    class ModifyResponseException(Exception):
        def __init__(self, message, model, request_data, guardrail_name=None, detection_info=None,
                     original_response=None):
            self.message, self.model, self.request_data = message, model, request_data
            self.guardrail_name = guardrail_name
            self.detection_info = detection_info or {}
            self.original_response = original_response
            super().__init__(message)

    class SensitiveDataRouteException(Exception):
        def __init__(self, route_to_model, session_id, guardrail_name=None, detection_info=None, message=None,
                     sticky_session_routing=True):
            self.route_to_model, self.session_id = route_to_model, session_id
            self.guardrail_name = guardrail_name
            self.detection_info = detection_info or {}
            self.sticky_session_routing = sticky_session_routing
            self.message = message or (
                f"Sensitive data detected by {guardrail_name}. Routing to model: {route_to_model}"
            )
            super().__init__(self.message)

    return {
        cls.__name__: cls
        for cls in (
            ImageFetchError, VectorStoreSearchError, MalformedRequestFieldError, UnsupportedEndpointError,
            EndpointNotSupportedByModelError, LiteLLMUnknownProvider, InvalidRequestError, MockException,
            MidStreamFallbackError, ModelNotMappedError, BudgetExceededError, GuardrailRaisedException,
            BlockedPiiEntityError, ModifyResponseException, SensitiveDataRouteException,
        )
    }
