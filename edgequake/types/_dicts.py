"""litellm's TypedDicts that code written for litellm annotates with (``GenericStreamingChunk``: what a
custom provider's ``streaming`` yields). Shapes only, litellm 1.110.2's keys."""

from __future__ import annotations

from typing import Any, Dict, Optional

from typing_extensions import Required, TypedDict


class GenericStreamingChunk(TypedDict, total=False):
    text: Required[str]
    tool_use: Optional[Dict[str, Any]]  # litellm's ChatCompletionToolCallChunk
    is_finished: Required[bool]
    finish_reason: Required[str]
    usage: Required[Optional[Dict[str, Any]]]  # litellm's ChatCompletionUsageBlock
    index: int
    provider_specific_fields: Optional[Dict[str, Any]]
