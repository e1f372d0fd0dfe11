"""Message-side types: tool calls, the assistant ``Message``, the stream ``Delta``, and the choices that
hold them (``Choices`` for a full response, ``StreamingChoices`` for a chunk).

Which keys exist only when set (litellm deletes unset optional fields) is decided per class below.
"""

# Annotations are evaluated eagerly on purpose (no `from __future__ import annotations`): see _base.

import uuid
from typing import Any, Dict, List, Optional, Union

from edgequake.types._base import _new, _Obj, extras_as_attributes


class FunctionCall(_Obj):
    arguments: str = ""
    name: Optional[str] = None


class Function(_Obj):
    arguments: str = ""
    name: Optional[str] = None

    def __init__(
        self, arguments: Union[Dict[str, Any], str, None] = None, name: Optional[str] = None, **params: Any
    ) -> None:
        import json

        if arguments is None:
            parameters = params.pop("parameters", None)
            arguments = json.dumps(parameters) if isinstance(parameters, dict) else ""
        elif isinstance(arguments, dict):
            arguments = json.dumps(arguments)
        # litellm drops any other keys given to Function.
        super().__init__(arguments=arguments, name=name)


class ChatCompletionMessageToolCall(_Obj):
    function: Function
    id: str
    type: str = "function"

    def __init__(
        self,
        function: Union[Dict[str, Any], Function],
        id: Optional[str] = None,
        type: Optional[str] = None,
        **params: Any,
    ) -> None:
        super().__init__(
            function=Function(**function) if isinstance(function, dict) else function,
            id=id if id is not None else str(uuid.uuid4()),  # litellm invents a bare uuid4
            type=type if type is not None else "function",
            **params,
        )


class ChatCompletionDeltaToolCall(_Obj):
    id: Optional[str] = None
    function: Function
    type: Optional[str] = None
    index: int = 0


class ChatCompletionAudioResponse(_Obj):
    id: str
    data: str
    expires_at: int
    transcript: str

    def __init__(
        self, data: str, expires_at: int, transcript: str, id: Optional[str] = None, **params: Any
    ) -> None:
        super().__init__(
            id=id if id is not None else str(uuid.uuid4()),
            data=data,
            expires_at=expires_at,
            transcript=transcript,
            **params,
        )


_MESSAGE_OPTIONAL = (
    "audio",
    "images",
    "reasoning_content",
    "thinking_blocks",
    "reasoning_items",
    "annotations",
)


class Message(_Obj):
    """Assistant message. Optional keys (refusal, audio, reasoning_content, annotations, ...) exist only
    when set, as in litellm (which deletes them in ``__init__``)."""

    content: Optional[str] = None
    role: str = "assistant"
    tool_calls: Optional[List[ChatCompletionMessageToolCall]] = None
    function_call: Optional[FunctionCall] = None
    provider_specific_fields: Optional[Dict[str, Any]] = None

    def __init__(
        self,
        content: Optional[str] = None,
        role: str = "assistant",
        function_call: Any = None,
        tool_calls: Optional[List[Any]] = None,
        provider_specific_fields: Optional[Dict[str, Any]] = None,
        **params: Any,
    ) -> None:
        super().__init__(
            content=content,
            role=role or "assistant",
            function_call=FunctionCall(**function_call) if isinstance(function_call, dict) else function_call,
            tool_calls=[ChatCompletionMessageToolCall(**t) if isinstance(t, dict) else t for t in tool_calls]
            if tool_calls
            else None,
        )
        extra = self.__pydantic_extra__
        assert extra is not None
        for k in _MESSAGE_OPTIONAL:
            v = params.pop(k, None)
            if v is not None:
                if k == "audio" and isinstance(v, dict):
                    v = ChatCompletionAudioResponse(**v)
                extra[k] = v
                self.__pydantic_fields_set__.add(k)
        for k, v in params.items():  # refusal (kept even when None) and provider extras
            extra[k] = v
            self.__pydantic_fields_set__.add(k)
        if provider_specific_fields:
            self.provider_specific_fields = provider_specific_fields


class Delta(_Obj):
    """Stream delta. ``content``, ``role``, ``function_call``, ``tool_calls`` and ``audio`` always dump;
    the rest only when set (as in litellm, where they live in the extra storage too)."""

    provider_specific_fields: Optional[Dict[str, Any]] = None

    def __init__(
        self,
        content: Any = None,
        role: Any = None,
        function_call: Any = None,
        tool_calls: Any = None,
        audio: Any = None,
        **params: Any,
    ) -> None:
        if params.get("reasoning_content") is None and "reasoning" in params:
            params["reasoning_content"] = params.pop("reasoning")
        psf = params.pop("provider_specific_fields", None)
        super().__init__()
        if psf:
            self.provider_specific_fields = psf
        if isinstance(function_call, dict):
            function_call = FunctionCall(**function_call)
        if isinstance(tool_calls, (list, tuple)):
            out = []
            for i, t in enumerate(tool_calls):
                if isinstance(t, dict):
                    t = dict(t)
                    if t.get("index") is None:
                        t["index"] = i
                    if t.get("type") is None:
                        t["type"] = "function"
                    fn = t.get("function") or {}
                    t["function"] = (
                        _new(Function, {"arguments": fn.get("arguments") or "", "name": fn.get("name")})
                        if isinstance(fn, dict)
                        else fn
                    )
                    t = ChatCompletionDeltaToolCall(**t)
                out.append(t)
            tool_calls = out
        extra = self.__pydantic_extra__
        assert extra is not None
        extra.update(
            content=content, role=role, function_call=function_call, tool_calls=tool_calls, audio=audio
        )
        for k in ("reasoning_content", "thinking_blocks", "reasoning_items", "annotations"):
            v = params.pop(k, None)
            if v is not None:
                extra[k] = v
        images = params.pop("images", None)
        if images:
            extra["images"] = images
        extra.update(params)
        self.__pydantic_fields_set__.update(extra)


class Choices(_Obj):
    finish_reason: str = "stop"
    index: int = 0
    message: Message

    def __init__(
        self,
        finish_reason: Optional[str] = None,
        index: Optional[int] = 0,
        message: Any = None,
        logprobs: Any = None,
        provider_specific_fields: Optional[Dict[str, Any]] = None,
        **params: Any,
    ) -> None:
        from edgequake._shaping.routes import map_finish_reason

        psf: Optional[Dict[str, Any]] = provider_specific_fields
        if finish_reason is not None:
            mapped = map_finish_reason(finish_reason)
            if mapped != finish_reason:
                psf = dict(psf or {})
                psf["native_finish_reason"] = finish_reason
            finish_reason = mapped
        if message is None:
            message = Message()
        elif isinstance(message, dict):
            message = Message(**message)
        super().__init__(
            finish_reason=finish_reason or "stop",
            index=index if index is not None else 0,
            message=message,
            **params,
        )
        extra = self.__pydantic_extra__
        assert extra is not None
        if logprobs is not None:
            extra["logprobs"] = logprobs
        if psf is not None:
            extra["provider_specific_fields"] = psf
        self.__pydantic_fields_set__.update(extra)


class StreamingChoices(_Obj):
    """All of finish_reason, index, delta and logprobs are "extra" keys in litellm too."""

    def __init__(
        self,
        finish_reason: Optional[str] = None,
        index: int = 0,
        delta: Any = None,
        logprobs: Any = None,
        **params: Any,
    ) -> None:
        from edgequake._shaping.routes import map_finish_reason

        params.pop("message", None)
        super().__init__(**params)
        extra = self.__pydantic_extra__
        assert extra is not None
        extra["finish_reason"] = map_finish_reason(finish_reason) if finish_reason else None
        extra["index"] = index
        extra["delta"] = (
            Delta(**delta) if isinstance(delta, dict) else (delta if delta is not None else Delta())
        )
        extra["logprobs"] = logprobs
        self.__pydantic_fields_set__.update(extra)


# The extras every chunk carries, read by every consumer of every chunk.
extras_as_attributes(StreamingChoices, "finish_reason", "index", "delta", "logprobs")
extras_as_attributes(
    Delta,
    "content",
    "role",
    "function_call",
    "tool_calls",
    "audio",
    "refusal",
    "reasoning_content",
    "thinking_blocks",
    "annotations",
)
