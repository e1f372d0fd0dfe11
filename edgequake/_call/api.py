"""The public call functions, with litellm 1.110.2's signatures (same parameter names and order, so
positional and keyword calls written for litellm work unchanged). Generated shape, hand-kept: when
the pinned litellm changes its signatures, `tests/test_api_signatures.py` says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Literal, Union, overload

from edgequake._call import run as _main

if TYPE_CHECKING:
    from edgequake._call.stream import CustomStreamWrapper
    from edgequake.types import EmbeddingResponse, ModelResponse

_NOT_BODY = ("model", "messages", "kwargs")


def _params(frame_locals: Dict[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in frame_locals.items() if k not in _NOT_BODY}


@overload
def completion(
    model: str,
    messages: Any = ...,
    *,
    stream: Literal[True],
    **kwargs: Any,
) -> CustomStreamWrapper: ...


@overload
def completion(
    model: str,
    messages: Any = ...,
    *,
    stream: Literal[False, None] = ...,
    **kwargs: Any,
) -> ModelResponse: ...


def completion(
    model: str,
    messages: Any = [],  # noqa: B006 - litellm's default; never mutated
    timeout: Any = None,
    temperature: Any = None,
    top_p: Any = None,
    n: Any = None,
    stream: Any = None,
    stream_options: Any = None,
    stop: Any = None,
    max_completion_tokens: Any = None,
    max_tokens: Any = None,
    modalities: Any = None,
    prediction: Any = None,
    audio: Any = None,
    presence_penalty: Any = None,
    frequency_penalty: Any = None,
    logit_bias: Any = None,
    user: Any = None,
    reasoning_effort: Any = None,
    verbosity: Any = None,
    response_format: Any = None,
    seed: Any = None,
    tools: Any = None,
    tool_choice: Any = None,
    logprobs: Any = None,
    top_logprobs: Any = None,
    parallel_tool_calls: Any = None,
    web_search_options: Any = None,
    include_server_side_tool_invocations: Any = None,
    deployment_id: Any = None,
    extra_headers: Any = None,
    safety_identifier: Any = None,
    service_tier: Any = None,
    store: Any = None,
    prompt_cache_key: Any = None,
    prompt_cache_retention: Any = None,
    functions: Any = None,
    function_call: Any = None,
    base_url: Any = None,
    api_version: Any = None,
    api_key: Any = None,
    model_list: Any = None,
    thinking: Any = None,
    shared_session: Any = None,
    enable_json_schema_validation: Any = None,
    **kwargs: Any,
) -> Union[ModelResponse, CustomStreamWrapper]:
    """litellm.completion: a chat completion, or a stream of chunks with ``stream=True``."""
    return _main.run_chat(model, messages, _params(locals()), kwargs)


@overload
async def acompletion(
    model: str,
    messages: Any = ...,
    *,
    stream: Literal[True],
    **kwargs: Any,
) -> CustomStreamWrapper: ...


@overload
async def acompletion(
    model: str,
    messages: Any = ...,
    *,
    stream: Literal[False, None] = ...,
    **kwargs: Any,
) -> ModelResponse: ...


async def acompletion(
    model: str,
    messages: Any = [],  # noqa: B006 - litellm's default; never mutated
    functions: Any = None,
    function_call: Any = None,
    timeout: Any = None,
    temperature: Any = None,
    top_p: Any = None,
    n: Any = None,
    stream: Any = None,
    stream_options: Any = None,
    stop: Any = None,
    max_tokens: Any = None,
    max_completion_tokens: Any = None,
    modalities: Any = None,
    prediction: Any = None,
    audio: Any = None,
    presence_penalty: Any = None,
    frequency_penalty: Any = None,
    logit_bias: Any = None,
    user: Any = None,
    response_format: Any = None,
    seed: Any = None,
    tools: Any = None,
    tool_choice: Any = None,
    parallel_tool_calls: Any = None,
    logprobs: Any = None,
    top_logprobs: Any = None,
    deployment_id: Any = None,
    reasoning_effort: Any = None,
    verbosity: Any = None,
    safety_identifier: Any = None,
    service_tier: Any = None,
    store: Any = None,
    prompt_cache_key: Any = None,
    prompt_cache_retention: Any = None,
    base_url: Any = None,
    api_version: Any = None,
    api_key: Any = None,
    model_list: Any = None,
    extra_headers: Any = None,
    thinking: Any = None,
    web_search_options: Any = None,
    include_server_side_tool_invocations: Any = None,
    shared_session: Any = None,
    enable_json_schema_validation: Any = None,
    **kwargs: Any,
) -> Union[ModelResponse, CustomStreamWrapper]:
    """litellm.acompletion: ``completion`` for asyncio; cancelling the task cancels the request."""
    return await _main.arun_chat(model, messages, _params(locals()), kwargs)


def embedding(
    model: str,
    input: Any = [],  # noqa: B006 - litellm's signature; never mutated
    dimensions: Any = None,
    encoding_format: Any = None,
    timeout: Any = 600,
    api_base: Any = None,
    api_version: Any = None,
    api_key: Any = None,
    api_type: Any = None,
    caching: bool = False,
    user: Any = None,
    custom_llm_provider: Any = None,
    litellm_call_id: Any = None,
    logger_fn: Any = None,
    **kwargs: Any,
) -> EmbeddingResponse:
    """litellm.embedding: vectors for ``input`` (a string or a list of strings or token lists)."""
    params = {k: v for k, v in locals().items() if k not in ("model", "input", "kwargs")}
    return _main.run_embedding(model, input, params, kwargs)


async def aembedding(*args: Any, **kwargs: Any) -> EmbeddingResponse:
    """litellm.aembedding: ``embedding`` for asyncio (same arguments)."""
    import inspect  # only here: importing it costs more than the rest of `import edgequake`

    bound = inspect.signature(embedding).bind(*args, **kwargs)
    bound.apply_defaults()
    arguments = dict(bound.arguments)
    extra = arguments.pop("kwargs", {})
    model, input_ = arguments.pop("model"), arguments.pop("input")
    return await _main.arun_embedding(model, input_, arguments, extra)
