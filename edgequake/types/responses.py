"""litellm's Responses API types (mirrors ``litellm.types.llms.openai``): ``ResponsesAPIResponse``, its
usage, and the stream's typed events.

Shape facts, measured against litellm 1.110.2 and the OpenAI Responses API:

* the response keeps the provider's body as it is (pydantic ``extra="allow"``), with ``output`` items
  validated as the ``openai`` SDK's ``ResponseOutputItem`` union (so their dumps carry the SDK's
  defaults, ``phase``/``logprobs`` and the rest) and ``usage`` as ``ResponseAPIUsage``; ``model_dump()``
  is a full dump (not ``exclude_unset``), and drops the nulls the SDK types add but providers never
  send (``created_by`` on any item; ``status``/``content``/``encrypted_content`` on reasoning items);
* stream events keep their payload as sent, except the lifecycle events' ``response``, which is a
  ``ResponsesAPIResponse``.

Loaded on first use (it imports pydantic and openai's types), never by ``import edgequake``.
"""

# Annotations are evaluated eagerly on purpose (no `from __future__ import annotations`): see _base.

import math
from typing import Any, Dict, List, Optional, Union

from openai.types.responses.response import IncompleteDetails, ResponseOutputItem, Tool
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_serializer, field_validator

__all__ = [
    "EVENT_CLASSES",
    "BaseResponsesStreamEvent",
    "ContentPartAddedEvent",
    "ContentPartDoneEvent",
    "ErrorEvent",
    "FunctionCallArgumentsDeltaEvent",
    "FunctionCallArgumentsDoneEvent",
    "GenericEvent",
    "InputTokensDetails",
    "OutputItemAddedEvent",
    "OutputItemDoneEvent",
    "OutputTextDeltaEvent",
    "OutputTextDoneEvent",
    "OutputTokensDetails",
    "ReasoningSummaryPartDoneEvent",
    "ReasoningSummaryTextDeltaEvent",
    "ReasoningSummaryTextDoneEvent",
    "RefusalDeltaEvent",
    "RefusalDoneEvent",
    "ResponseAPIUsage",
    "ResponseCompletedEvent",
    "ResponseCreatedEvent",
    "ResponseFailedEvent",
    "ResponseInProgressEvent",
    "ResponseIncompleteEvent",
    "ResponsePartAddedEvent",
    "ResponsesAPIResponse",
]


class _Obj(BaseModel):
    """Dict-like access as litellm's response objects allow (``r["id"]``, ``r.get("id")``)."""

    model_config = ConfigDict(extra="allow", protected_namespaces=())

    def __getitem__(self, key: str) -> Any:
        return self.__dict__[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.__dict__.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self.__dict__

    def items(self) -> Any:
        return self.__dict__.items()


class _Hidden(_Obj):
    _hidden_params: Dict[str, Any] = PrivateAttr(default_factory=dict)

    @property
    def hidden_params(self) -> Dict[str, Any]:
        return self._hidden_params

    @hidden_params.setter
    def hidden_params(self, value: Dict[str, Any]) -> None:
        self._hidden_params = value


class CachedTokensDetails(_Obj):
    pass


class InputTokensDetails(_Obj):
    audio_tokens: Optional[int] = None
    cached_tokens: int = 0
    cached_tokens_details: Optional[CachedTokensDetails] = None
    # Shown only when the provider reports them (litellm excludes them when None).
    cache_write_tokens: Optional[int] = Field(default=None, exclude_if=lambda v: v is None)
    cache_write_tokens_details: Optional[Dict[str, Any]] = Field(default=None, exclude_if=lambda v: v is None)
    image_tokens: Optional[int] = None
    text_tokens: Optional[int] = None
    video_tokens: Optional[int] = None


class OutputTokensDetails(_Obj):
    audio_tokens: Optional[int] = None
    reasoning_tokens: Optional[int] = None
    text_tokens: Optional[int] = None


class ResponseAPIUsage(_Obj):
    input_tokens: int
    input_tokens_details: Optional[InputTokensDetails] = None
    output_tokens: int
    output_tokens_details: Optional[OutputTokensDetails] = None
    total_tokens: int
    cost: Optional[float] = None

    @field_validator("cost", mode="before")
    @classmethod
    def _cost(cls, value: Any) -> Any:
        # OpenRouter may send a dict with a total; a non-finite number is no cost.
        cost = value.get("total_cost") if isinstance(value, dict) else value
        if isinstance(cost, float) and not math.isfinite(cost):
            return None
        return cost


# Null fields the openai SDK's output item types default in, which providers never send and which a
# replayed `output` must not carry (OpenAI rejects `created_by` in input; some SDKs crash on
# `status: null` in reasoning items).
_REASONING_NULLS = frozenset({"status", "content", "encrypted_content"})


def _replayable(item: Any) -> Any:
    if not isinstance(item, dict):
        return item
    kind = item.get("type")
    return {
        k: v
        for k, v in item.items()
        if not (v is None and (k == "created_by" or (kind == "reasoning" and k in _REASONING_NULLS)))
    }


class ResponsesAPIResponse(_Hidden):
    id: str
    created_at: int
    error: Optional[Dict[str, Any]] = None
    incomplete_details: Optional[IncompleteDetails] = None
    instructions: Optional[str] = None
    metadata: Optional[Dict[str, Any]] = None
    model: Optional[str] = None
    object: Optional[str] = None
    output: List[Union[ResponseOutputItem, Dict[str, Any]]]
    parallel_tool_calls: Optional[bool] = None
    temperature: Optional[float] = None
    tool_choice: Optional[Any] = None
    tools: Optional[Union[List[Tool], List[Dict[str, Any]]]] = None
    top_p: Optional[float] = None
    max_output_tokens: Optional[int] = None
    previous_response_id: Optional[str] = None
    reasoning: Optional[Dict[str, Any]] = None
    status: Optional[str] = None
    text: Optional[Dict[str, Any]] = None
    truncation: Optional[str] = None
    usage: Optional[ResponseAPIUsage] = None
    user: Optional[str] = None
    store: Optional[bool] = None

    @field_serializer("output", mode="wrap")
    def _output(self, value: Any, handler: Any) -> Any:
        dumped = handler(value)
        return [_replayable(item) for item in dumped] if isinstance(dumped, list) else dumped

    @property
    def output_text(self) -> str:
        """The text of every ``output_text`` part of the message items, joined (the SDK's property)."""
        texts: List[str] = []
        for item in self.output:
            get = item.get if isinstance(item, dict) else lambda k, d=None, i=item: getattr(i, k, d)
            if get("type") != "message":
                continue
            for part in get("content", None) or []:
                pget = part.get if isinstance(part, dict) else lambda k, d=None, p=part: getattr(p, k, d)
                if pget("type") == "output_text":
                    texts.append(pget("text", "") or "")
        return "".join(texts)


class BaseResponsesStreamEvent(_Obj):
    type: str


class _LifecycleEvent(BaseResponsesStreamEvent):
    response: ResponsesAPIResponse


class ResponseCreatedEvent(_LifecycleEvent):
    pass


class ResponseInProgressEvent(_LifecycleEvent):
    pass


class ResponseCompletedEvent(_LifecycleEvent, _Hidden):
    pass


class ResponseFailedEvent(_LifecycleEvent):
    pass


class ResponseIncompleteEvent(_LifecycleEvent):
    pass


class OutputItemAddedEvent(BaseResponsesStreamEvent):
    pass


class OutputItemDoneEvent(BaseResponsesStreamEvent):
    sequence_number: int = 1  # litellm's default when the provider sends none


class ContentPartAddedEvent(BaseResponsesStreamEvent):
    pass


class ContentPartDoneEvent(BaseResponsesStreamEvent):
    part: Any = None

    @field_validator("part", mode="before")
    @classmethod
    def _part(cls, value: Any) -> Any:
        # litellm types the finished part: an output_text part gains `logprobs: null` when absent.
        if (
            isinstance(value, dict)
            and value.get("type") == "output_text"
            and isinstance(value.get("text"), str)
            and isinstance(value.get("annotations"), list)
        ):
            return {**value, "logprobs": value.get("logprobs")}
        return value


class OutputTextDeltaEvent(BaseResponsesStreamEvent):
    pass


class OutputTextDoneEvent(BaseResponsesStreamEvent):
    pass


class RefusalDeltaEvent(BaseResponsesStreamEvent):
    pass


class RefusalDoneEvent(BaseResponsesStreamEvent):
    pass


class FunctionCallArgumentsDeltaEvent(BaseResponsesStreamEvent):
    pass


class FunctionCallArgumentsDoneEvent(BaseResponsesStreamEvent):
    pass


class _SummaryEvent(BaseResponsesStreamEvent):
    summary_index: int = 0  # litellm's default when the provider sends none


class ReasoningSummaryTextDeltaEvent(_SummaryEvent):
    pass


class ReasoningSummaryTextDoneEvent(_SummaryEvent):
    pass


class ResponsePartAddedEvent(_SummaryEvent):
    pass


class ReasoningSummaryPartDoneEvent(_SummaryEvent):
    pass


class ErrorEvent(BaseResponsesStreamEvent):
    pass


class GenericEvent(BaseResponsesStreamEvent):
    pass


# The class litellm gives each event type (any other type: GenericEvent).
EVENT_CLASSES: Dict[str, type] = {
    "response.created": ResponseCreatedEvent,
    "response.in_progress": ResponseInProgressEvent,
    "response.completed": ResponseCompletedEvent,
    "response.failed": ResponseFailedEvent,
    "response.incomplete": ResponseIncompleteEvent,
    "response.output_item.added": OutputItemAddedEvent,
    "response.output_item.done": OutputItemDoneEvent,
    "response.content_part.added": ContentPartAddedEvent,
    "response.content_part.done": ContentPartDoneEvent,
    "response.output_text.delta": OutputTextDeltaEvent,
    "response.output_text.done": OutputTextDoneEvent,
    "response.refusal.delta": RefusalDeltaEvent,
    "response.refusal.done": RefusalDoneEvent,
    "response.function_call_arguments.delta": FunctionCallArgumentsDeltaEvent,
    "response.function_call_arguments.done": FunctionCallArgumentsDoneEvent,
    "response.reasoning_summary_text.delta": ReasoningSummaryTextDeltaEvent,
    "response.reasoning_summary_text.done": ReasoningSummaryTextDoneEvent,
    "response.reasoning_summary_part.added": ResponsePartAddedEvent,
    "response.reasoning_summary_part.done": ReasoningSummaryPartDoneEvent,
    "error": ErrorEvent,
}
