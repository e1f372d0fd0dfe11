"""What a stream ends with that no upstream chunk carried: the usage of litellm's closing usage chunk,
and the error litellm raises when the stream stopped before a finish_reason.

``StreamShaper.finish`` decides which of these applies; this module only builds them.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from edgequake._shaping.usage import build_usage
from edgequake.types import ModelResponseStream, Usage

# of the provider's usage extras, stream_chunk_builder's Usage keeps only these
_USAGE_KEPT_EXTRAS = frozenset({"cost", "server_tool_use"})
_PROVIDER_EXCEPTION_NAMES = {
    "openai": "OpenAIException",
    "azure": "AzureException",
    "cerebras": "OpenAIException",
    "ollama_chat": "Ollama_chatException",
}


def closing_usage_from_provider(
    usage_in: Dict[str, Any],
    content_chunks: List[ModelResponseStream],
    model: str,
    *,
    fill_reasoning: bool = False,
) -> Usage:
    """The closing chunk's usage when the provider reported one: it is stream_chunk_builder's Usage,
    declared fields and of the provider's extras only ``cost``/``server_tool_use`` (openrouter's
    is_byok/cost_details are dropped), with the completion split estimated when the provider gave none."""
    usage = build_usage(usage_in, full_details=True)
    for k in list(usage.__pydantic_extra__ or {}):
        if k not in _USAGE_KEPT_EXTRAS:
            del usage.__pydantic_extra__[k]  # type: ignore[union-attr]
            usage.__pydantic_fields_set__.discard(k)
    details = usage.completion_tokens_details
    # gemini: litellm's builder also fills a reasoning count its details lack
    if details is None or (fill_reasoning and details.reasoning_tokens is None):
        from edgequake._shaping.chunk_builder import completion_split_for

        split = completion_split_for(content_chunks, usage, model=model)
        if split is not None:
            usage.__dict__["completion_tokens_details"] = split
            usage.__pydantic_fields_set__.add("completion_tokens_details")
    return usage


def closing_usage_estimated(
    chunks: List[ModelResponseStream], messages: Optional[List[Dict[str, Any]]]
) -> Optional[Usage]:
    """The closing chunk's usage when the provider sent none (its route drops ``stream_options``):
    litellm counts it with ``stream_chunk_builder`` over the chunks it returned and the messages."""
    from edgequake._shaping.chunk_builder import stream_chunk_builder

    built = stream_chunk_builder(chunks, messages=messages)
    return built.usage if built is not None else None


def truncated_stream_error(provider: str, model: str) -> Exception:
    """litellm's ``MidStreamFallbackError`` for a stream that ended without a finish_reason, wrapping
    the ``APIConnectionError`` its provider mapper would have raised."""
    from edgequake import exceptions  # lazy: exceptions import openai

    name = (
        _PROVIDER_EXCEPTION_NAMES.get(provider)
        or "".join(p.capitalize() for p in provider.split("_")) + "Exception"
    )
    reason = "Stream ended before a finish_reason was received"
    # litellm's azure mapper puts the class after the label ("AzureException APIConnectionError").
    text = (
        f"{name} APIConnectionError - {reason}"
        if provider == "azure"
        # litellm's Ollama mapper raises it by status alone, untagged; its anthropic mapper quotes
        # the label alone
        else f"{name} - {reason}"
        if provider in ("ollama", "ollama_chat", "anthropic")
        else f"APIConnectionError: {name} - {reason}"
    )
    original = exceptions.APIConnectionError(message=text, llm_provider=provider, model=model)
    return exceptions.MidStreamFallbackError(
        message=str(original),
        model=model,
        llm_provider=provider,
        original_exception=original,
    )
