"""edgequake: litellm's SDK API with a Rust wire core. ``import edgequake as litellm`` and keep your code.

Importing this package loads only the native core and the call functions; response types (pydantic)
load on first use and exception classes (which subclass ``openai``'s) on first access, so
``import edgequake`` stays in the milliseconds.
"""

from __future__ import annotations

import atexit
import os
from importlib import import_module
from typing import Any, Dict, List, Optional

from . import _core
from ._as_litellm import install_as_litellm
from ._call.api import acompletion, aembedding, completion, embedding
from ._call.rerank import arerank, rerank
from ._call.responses import aresponses, responses
from ._call.routing import UnsupportedProviderError
from ._call.text_completion import atext_completion, text_completion

__version__: str = _core.__version__

# -- module globals, read at call time (litellm's names and defaults) ---------------------------------
api_key: Optional[str] = None
api_base: Optional[str] = None
api_version: Optional[str] = None
organization: Optional[str] = None
drop_params: bool = False
num_retries: Optional[int] = None
request_timeout: float = 600.0
suppress_debug_info: bool = False
set_verbose: bool = False
AZURE_DEFAULT_API_VERSION: str = "2025-02-01-preview"
openai_key: Optional[str] = None
azure_key: Optional[str] = None
groq_key: Optional[str] = None
xai_key: Optional[str] = None
openrouter_key: Optional[str] = None
huggingface_key: Optional[str] = None
togetherai_api_key: Optional[str] = None
cohere_key: Optional[str] = None
# Callbacks (edgequake._callbacks): read at call time, never written by edgequake.
callbacks: List[Any] = []
success_callback: List[Any] = []
failure_callback: List[Any] = []
input_callback: List[Any] = []
_async_success_callback: List[Any] = []
_async_failure_callback: List[Any] = []
model_fallbacks: Optional[List[Any]] = None
# litellm's stream loop guard: this many identical chunks in a row end a stream (edgequake._call.stream).
REPEATED_STREAMING_CHUNK_LIMIT: int = int(os.getenv("REPEATED_STREAMING_CHUNK_LIMIT", "100"))

# Settings libraries read before a call (langchain-litellm, dspy), with litellm's defaults. edgequake
# has no response cache, model fallbacks, proxy mode or custom providers: a call that needs one raises
# NotImplementedError saying so (edgequake._call.settings), never ignores it.
cache: Any = None
model_alias_map: Dict[str, str] = {}
use_litellm_proxy: bool = False
modify_params: bool = bool(os.getenv("LITELLM_MODIFY_PARAMS", False))
custom_provider_map: List[Dict[str, Any]] = []

# Before finalisation: from then on no core thread enters the interpreter (docs/adr/0006).
atexit.register(_core.shutdown)

_LAZY_TYPES = frozenset(
    {
        "ModelResponse",
        "ModelResponseStream",
        "Choices",
        "StreamingChoices",
        "Message",
        "Delta",
        "Usage",
        "ChatCompletionMessageToolCall",
        "ChatCompletionDeltaToolCall",
        "Function",
        "EmbeddingResponse",
        "PromptTokensDetailsWrapper",
        "CompletionTokensDetailsWrapper",
        "TextCompletionResponse",
        "TextChoices",
    }
)


def stream_chunk_builder(
    chunks: list, messages: Any = None, start_time: Any = None, end_time: Any = None, **kwargs: Any
) -> Any:
    """litellm.stream_chunk_builder: one ``ModelResponse`` assembled from a stream's chunks."""
    if chunks and all("_litellm_chunk" in getattr(c, "__dict__", ()) for c in chunks):
        # Chunks of a delegated stream (edgequake's types, each linked to litellm's own chunk).
        from ._delegate.stream import build_delegated

        return build_delegated(chunks, messages=messages, start_time=start_time, end_time=end_time)
    from ._shaping.chunk_builder import stream_chunk_builder as build

    return build(chunks, messages=messages, start_time=start_time, end_time=end_time)


def __compat_delegates__(
    function: str, model: str, custom_llm_provider: Optional[str] = None
) -> Optional[str]:
    """For the conformance harness: why a call would be handed to litellm, or None if edgequake runs it."""
    from ._call.routing import NATIVE, split_model

    try:
        provider, wire_model = split_model(model, custom_llm_provider)
    except Exception:
        return None  # edgequake raises litellm's own error for it: not delegated
    if function == "responses":
        from ._call.responses import NATIVE_RESPONSES

        if provider in NATIVE_RESPONSES:
            return None
        return f"responses: provider {provider!r} has no native Responses route; delegated to litellm"
    from ._params.cohere import COHERE_PROVIDERS, uses_v1

    if provider in NATIVE and not (provider in COHERE_PROVIDERS and uses_v1(wire_model)):
        return None
    if function == "text_completion" and provider in ("text-completion-openai", "azure_text"):
        return None  # their native /completions routes are edgequake's own
    return f"{function}: provider {provider!r} is not native to edgequake; the call is delegated to litellm"


# litellm's Responses API names on the package (litellm re-exports them from types.llms.openai).
_RESPONSES_TYPES = frozenset(
    {
        "ResponsesAPIResponse",
        "ResponseAPIUsage",
        "ResponsesAPIStreamEvents",
        "ResponseInputParam",
        "ResponsesAPIStreamingResponse",
    }
)

# litellm's submodules that libraries reach as attributes (`litellm.utils.supports_function_calling`).
_SUBMODULES = frozenset(
    {"types", "exceptions", "utils", "router", "litellm_core_utils", "_logging", "integrations"}
    | {"constants", "secret_managers", "llms"}
)
# litellm's logging helpers that it also has on the package.
_LOGGING = frozenset({"_turn_on_debug", "verbose_logger", "print_verbose", "_is_debugging_on"})
# names litellm re-exports on the package from other modules: name -> module
_REEXPORTS = {
    "OPENAI_CHAT_COMPLETION_PARAMS": "edgequake.constants",
    "OPENAI_FINISH_REASONS": "edgequake.constants",
    "get_secret": "edgequake.secret_managers.main",
    "get_secret_str": "edgequake.secret_managers.main",
    "get_secret_bool": "edgequake.secret_managers.main",
    "CustomLLM": "edgequake.llms.custom_llm",
}
# litellm.utils functions litellm also has on the package (not every supports_* is there).
_UTILS = frozenset(
    {
        "get_supported_openai_params",
        "get_llm_provider",
        "supports_function_calling",
        "supports_parallel_function_calling",
        "supports_response_schema",
        "supports_vision",
        "supports_reasoning",
        "supports_system_messages",
        "supports_pdf_input",
        "supports_audio_input",
        "supports_audio_output",
        "supports_video_input",
        "supports_web_search",
        "supports_url_context",
    }
)


# litellm's cost and token utilities (edgequake._cost): the price table loads on first use.
_COST = {
    "completion_cost": "calculator",
    "cost_per_token": "calculator",
    "response_cost_calculator": "calculator",
    "get_model_info": "lookup",
    "get_max_tokens": "lookup",
    "register_model": "lookup",
    "token_counter": "counting",
    "encode": "counting",
    "decode": "counting",
}


def __getattr__(name: str) -> Any:
    # import_module, not `from . import x`: the latter asks this very hook for `x` first.
    if name in _COST:
        return getattr(import_module(f"edgequake._cost.{_COST[name]}"), name)
    if name == "model_cost":  # litellm.model_cost: the table itself (a dict users may edit)
        return import_module("edgequake._cost.table").model_cost()
    if name in _LAZY_TYPES:
        return getattr(import_module("edgequake.types"), name)
    if name in _RESPONSES_TYPES:
        return getattr(import_module("edgequake.types.llms.openai"), name)
    if name in _SUBMODULES:
        return import_module(f"edgequake.{name}")
    if name in _UTILS:
        return getattr(import_module("edgequake.utils"), name)
    if name in _LOGGING:
        return getattr(import_module("edgequake._logging"), name)
    if name in _REEXPORTS:
        return getattr(import_module(_REEXPORTS[name]), name)
    if name == "Router":
        return import_module("edgequake.router").Router
    if name == "CustomStreamWrapper":
        return import_module("edgequake._call.stream").CustomStreamWrapper
    if name == "TextCompletionStreamWrapper":
        return import_module("edgequake._call.text_stream").TextCompletionStreamWrapper
    exceptions = import_module("edgequake.exceptions")
    if name in exceptions.__all__:
        return getattr(exceptions, name)
    raise AttributeError(f"module 'edgequake' has no attribute {name!r}")


__all__: List[str] = [
    "Router",
    "UnsupportedProviderError",
    "acompletion",
    "aembedding",
    "arerank",
    "aresponses",
    "atext_completion",
    "completion",
    "completion_cost",
    "cost_per_token",
    "decode",
    "embedding",
    "encode",
    "get_llm_provider",
    "get_max_tokens",
    "get_model_info",
    "get_supported_openai_params",
    "install_as_litellm",
    "register_model",
    "rerank",
    "response_cost_calculator",
    "responses",
    "stream_chunk_builder",
    "text_completion",
    "token_counter",
]
