"""The Responses API names libraries import from ``litellm.types.llms.openai``: edgequake's response
and event types (``edgequake.types.responses``), litellm's event-type enum, and the request param types
litellm re-exports from the ``openai`` SDK (``ResponseInputParam``, ``ToolParam``, ...)."""

import sys
from enum import Enum
from typing import Union

from openai.types.responses.response_create_params import (
    Reasoning,
    ResponseIncludable,
    ResponseInputParam,
    ToolChoice,
    ToolParam,
)
from openai.types.responses.response_text_config_param import ResponseTextConfigParam as ResponseText

from edgequake.types.responses import *  # noqa: F403
from edgequake.types.responses import (
    BaseResponsesStreamEvent,
    ResponseCompletedEvent,
    ResponseCreatedEvent,
    ResponseInProgressEvent,
)
from edgequake.types.responses import __all__ as _responses_all


class ResponsesAPIStreamEvents(str, Enum):
    """The Responses stream's event types (litellm's enum of the OpenAI names)."""

    RESPONSE_CREATED = "response.created"
    RESPONSE_IN_PROGRESS = "response.in_progress"
    RESPONSE_COMPLETED = "response.completed"
    RESPONSE_FAILED = "response.failed"
    RESPONSE_INCOMPLETE = "response.incomplete"
    RESPONSE_PART_ADDED = "response.reasoning_summary_part.added"
    REASONING_SUMMARY_TEXT_DELTA = "response.reasoning_summary_text.delta"
    REASONING_SUMMARY_TEXT_DONE = "response.reasoning_summary_text.done"
    REASONING_SUMMARY_PART_DONE = "response.reasoning_summary_part.done"
    OUTPUT_ITEM_ADDED = "response.output_item.added"
    OUTPUT_ITEM_DONE = "response.output_item.done"
    CONTENT_PART_ADDED = "response.content_part.added"
    CONTENT_PART_DONE = "response.content_part.done"
    OUTPUT_TEXT_DELTA = "response.output_text.delta"
    OUTPUT_TEXT_ANNOTATION_ADDED = "response.output_text.annotation.added"
    OUTPUT_TEXT_DONE = "response.output_text.done"
    REFUSAL_DELTA = "response.refusal.delta"
    REFUSAL_DONE = "response.refusal.done"
    FUNCTION_CALL_ARGUMENTS_DELTA = "response.function_call_arguments.delta"
    FUNCTION_CALL_ARGUMENTS_DONE = "response.function_call_arguments.done"
    ERROR = "error"


# Any event a Responses stream yields (litellm's union; every class shares the base).
ResponsesAPIStreamingResponse = Union[
    ResponseCreatedEvent, ResponseInProgressEvent, ResponseCompletedEvent, BaseResponsesStreamEvent
]

__all__ = [
    *_responses_all,
    "Reasoning",
    "ResponseIncludable",
    "ResponseInputParam",
    "ResponseText",
    "ResponsesAPIStreamEvents",
    "ResponsesAPIStreamingResponse",
    "ToolChoice",
    "ToolParam",
]


def present_as_litellm() -> None:
    """With edgequake installed as ``litellm``: the Responses types name ``litellm.types.llms.openai``
    as their module, as litellm's do (dspy's disk cache admits only classes from litellm's modules;
    a pickle then loads through the alias, which answers that name with this module)."""
    held = sys.modules.get("litellm.types.llms.openai")
    if held is not None and held is not sys.modules[__name__]:
        return  # the real litellm's module holds the name: a pickle naming it would load litellm's class
    for name in _responses_all:
        cls = globals().get(name)
        if isinstance(cls, type) and cls.__module__ == "edgequake.types.responses":
            cls.__module__ = "litellm.types.llms.openai"


if sys.modules.get("litellm") is sys.modules.get("edgequake"):  # imported after install_as_litellm()
    present_as_litellm()
