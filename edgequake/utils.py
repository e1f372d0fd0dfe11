"""``litellm.utils``: the helpers libraries import from litellm's utils module, under that path.

dspy, crewai and langchain-litellm import ``get_supported_openai_params``, ``supports_*``, the cost
and token utilities (``completion_cost``, ``token_counter``, ``get_model_info``, ...) and the
response types from here (``from litellm.utils import supports_response_schema``). Everything here is
also on the package (``edgequake.get_llm_provider``) as on litellm's.
"""

from __future__ import annotations

from typing import Any, List, Optional

from edgequake._call.provider_info import get_llm_provider
from edgequake._cost.calculator import completion_cost, cost_per_token, response_cost_calculator
from edgequake._cost.counting import decode, encode, token_counter
from edgequake._cost.lookup import get_max_tokens, get_model_info, register_model
from edgequake._params.capabilities import make as _make_supports
from edgequake.types.utils import (
    ChatCompletionDeltaToolCall,
    ChatCompletionMessageToolCall,
    Choices,
    CompletionTokensDetailsWrapper,
    Delta,
    Embedding,
    EmbeddingResponse,
    Function,
    Message,
    ModelResponse,
    ModelResponseStream,
    PromptTokensDetailsWrapper,
    StreamingChoices,
    Usage,
)

# litellm's supports_* functions, each answered from the generated table (edgequake._params.capabilities).
SUPPORTS_FUNCTIONS = (
    "supports_function_calling",
    "supports_parallel_function_calling",
    "supports_tool_choice",
    "supports_response_schema",
    "supports_vision",
    "supports_reasoning",
    "supports_prompt_caching",
    "supports_system_messages",
    "supports_pdf_input",
    "supports_audio_input",
    "supports_audio_output",
    "supports_video_input",
    "supports_web_search",
    "supports_url_context",
    "supports_computer_use",
    "supports_assistant_prefill",
    "supports_native_streaming",
    "supports_native_structured_output",
    "supports_embedding_image_input",
    "supports_none_reasoning_effort",
)
__all__ = [
    "ChatCompletionDeltaToolCall",
    "ChatCompletionMessageToolCall",
    "Choices",
    "CompletionTokensDetailsWrapper",
    "Delta",
    "Embedding",
    "EmbeddingResponse",
    "Function",
    "Message",
    "ModelResponse",
    "ModelResponseStream",
    "PromptTokensDetailsWrapper",
    "StreamingChoices",
    "Usage",
    "completion_cost",
    "cost_per_token",
    "decode",
    "encode",
    "get_llm_provider",
    "get_max_tokens",
    "get_model_info",
    "get_supported_openai_params",
    "register_model",
    "response_cost_calculator",
    "token_counter",
    *SUPPORTS_FUNCTIONS,
]


def get_supported_openai_params(
    model: str,
    custom_llm_provider: Optional[str] = None,
    request_type: str = "chat_completion",
) -> Optional[List[str]]:
    """The OpenAI parameters litellm accepts for ``model``, in litellm's order; None when litellm
    cannot route the model or has no list for its provider.

    Providers edgequake does not speak natively are answered by litellm itself when it is installed
    (as the call would be delegated to it); without litellm, None."""
    from edgequake._params.supported import known_provider, supported_params

    provider = custom_llm_provider
    if not provider:
        try:
            provider = get_llm_provider(model)[1]
        except Exception:  # litellm returns None for a model it cannot route
            return None
    # litellm looks the model up as given (prefix and all): so does the table.
    if known_provider(provider):
        return supported_params(provider, model, request_type)
    return _delegated_params(model, provider, request_type)


def _real_litellm() -> Any:
    """The litellm distribution when it is installed (also under ``sys.modules["litellm"] =
    edgequake``: edgequake._delegate finds it), else None."""
    from edgequake._delegate.locate import LitellmMissing, real_litellm

    try:
        return real_litellm()
    except LitellmMissing:
        return None


def _delegated_params(model: str, provider: str, request_type: str) -> Optional[List[str]]:
    litellm = _real_litellm()
    if litellm is None:
        return None
    answer = litellm.get_supported_openai_params(
        model=model, custom_llm_provider=provider, request_type=request_type
    )
    return list(answer) if answer is not None else None


supports_function_calling = _make_supports("supports_function_calling")
supports_parallel_function_calling = _make_supports("supports_parallel_function_calling")
supports_tool_choice = _make_supports("supports_tool_choice")
supports_response_schema = _make_supports("supports_response_schema")
supports_vision = _make_supports("supports_vision")
supports_reasoning = _make_supports("supports_reasoning")
supports_prompt_caching = _make_supports("supports_prompt_caching")
supports_system_messages = _make_supports("supports_system_messages")
supports_pdf_input = _make_supports("supports_pdf_input")
supports_audio_input = _make_supports("supports_audio_input")
supports_audio_output = _make_supports("supports_audio_output")
supports_video_input = _make_supports("supports_video_input")
supports_web_search = _make_supports("supports_web_search")
supports_url_context = _make_supports("supports_url_context")
supports_computer_use = _make_supports("supports_computer_use")
supports_assistant_prefill = _make_supports("supports_assistant_prefill")
supports_native_streaming = _make_supports("supports_native_streaming")
supports_native_structured_output = _make_supports("supports_native_structured_output")
supports_embedding_image_input = _make_supports("supports_embedding_image_input")
supports_none_reasoning_effort = _make_supports("supports_none_reasoning_effort")
