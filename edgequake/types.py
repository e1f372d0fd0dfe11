"""litellm-compatible response types (mirrors ``litellm.types.utils``).

Why the models look the way they do:

* litellm's ``model_dump()`` output depends on which fields were *set*, not on which are None
  (``ModelResponse.model_dump()`` defaults to ``exclude_unset=True``), and litellm *deletes* optional
  fields it did not receive (``Message.audio``, ``Message.reasoning_content``, ``Choices.logprobs``...),
  so reading them raises ``AttributeError`` and even ``model_dump(exclude_unset=False)`` omits them.
  We reproduce that by declaring only the fields litellm always keeps; the optional ones live in
  pydantic's ``extra`` storage and exist only when present, exactly like a deleted-or-set litellm field.
* Construction on the hot path goes through :func:`_new`, which fills ``__dict__`` /
  ``__pydantic_extra__`` / ``__pydantic_fields_set__`` directly (what ``model_construct`` does, minus
  its per-field Python loop). ``edgequake._shaping.response`` has already normalised the data, so
  validating it again would only cost time. The public ``__init__`` of each class keeps litellm's
  keyword signature for users who build these objects themselves.
* Nothing here imports litellm or openai (``import edgequake`` must stay cheap), so ``isinstance``
  checks against litellm's classes do not hold; checks against these classes do.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, ClassVar, Dict, List, Optional, Union

from pydantic import BaseModel, ConfigDict, PrivateAttr

__all__ = [
    "ChatCompletionAudioResponse",
    "ChatCompletionDeltaToolCall",
    "ChatCompletionMessageToolCall",
    "Choices",
    "CompletionTokensDetailsWrapper",
    "Delta",
    "Embedding",
    "EmbeddingResponse",
    "Function",
    "FunctionCall",
    "Message",
    "ModelResponse",
    "ModelResponseBase",
    "ModelResponseStream",
    "PromptTokensDetailsWrapper",
    "StreamingChoices",
    "Usage",
]


def _new(
    cls: Any,
    fields: Dict[str, Any],
    extra: Optional[Dict[str, Any]] = None,
    private: Optional[Dict[str, Any]] = None,
) -> Any:
    """Build a model instance without validation.

    ``fields`` holds the declared fields that count as *set*; declared fields missing from it get their
    default and stay unset (so ``exclude_unset`` drops them, as in litellm). ``extra`` is the
    ``__pydantic_extra__`` dict (always "set").
    """
    obj = cls.__new__(cls)
    d = dict(cls._defaults)
    d.update(fields)
    object.__setattr__(obj, "__dict__", d)
    object.__setattr__(obj, "__pydantic_extra__", extra if extra is not None else {})
    fs = set(fields)
    if extra:
        fs.update(extra)
    object.__setattr__(obj, "__pydantic_fields_set__", fs)
    if private is None and cls.__private_attributes__:
        private = {k: v.get_default() for k, v in cls.__private_attributes__.items()}
    object.__setattr__(obj, "__pydantic_private__", private)
    return obj


class _Obj(BaseModel):
    """Shared base: extra="allow" (provider extras land on the object) and dict-style access."""

    model_config = ConfigDict(extra="allow", protected_namespaces=(), arbitrary_types_allowed=True)
    _defaults: ClassVar[Dict[str, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        # Precompute declared-field defaults once per class for _new().
        cls._defaults = {
            name: f.get_default(call_default_factory=True) for name, f in cls.model_fields.items()
        }

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key, default)

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def __setitem__(self, key: str, value: Any) -> None:
        setattr(self, key, value)

    def __contains__(self, key: str) -> bool:
        return hasattr(self, key)

    def json(self, **kwargs: Any) -> Any:  # type: ignore[override]
        # litellm's .json() returns the model_dump() dict, not a string.
        return self.model_dump(**kwargs)


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


class CompletionTokensDetailsWrapper(_Obj):
    accepted_prediction_tokens: Optional[int] = None
    audio_tokens: Optional[int] = None
    reasoning_tokens: Optional[int] = None
    rejected_prediction_tokens: Optional[int] = None
    text_tokens: Optional[int] = None
    image_tokens: Optional[int] = None
    video_tokens: Optional[int] = None


class PromptTokensDetailsWrapper(_Obj):
    """``cache_write_tokens``/``cache_creation_tokens`` (kept equal), ``web_search_requests`` and the
    other occasional counters are extras: litellm deletes them when None."""

    audio_tokens: Optional[int] = None
    cached_tokens: Optional[int] = None
    text_tokens: Optional[int] = None
    image_tokens: Optional[int] = None
    video_tokens: Optional[int] = None
    initial_prompt_tokens: Optional[int] = None


class Usage(_Obj):
    """Token usage. The five base fields are always set (so always dumped); ``cost``,
    ``server_tool_use`` and provider extras (``prompt_cache_hit_tokens``, ``queue_time``...) are extras."""

    completion_tokens: int = 0
    prompt_tokens: int = 0
    total_tokens: int = 0
    completion_tokens_details: Optional[CompletionTokensDetailsWrapper] = None
    prompt_tokens_details: Optional[PromptTokensDetailsWrapper] = None

    def __init__(
        self,
        prompt_tokens: Optional[int] = None,
        completion_tokens: Optional[int] = None,
        total_tokens: Optional[int] = None,
        **params: Any,
    ) -> None:
        from edgequake._shaping.usage import usage_fields

        fields, extra = usage_fields(
            {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": total_tokens,
                **params,
            }
        )
        super().__init__(**fields)
        if extra:
            assert self.__pydantic_extra__ is not None
            self.__pydantic_extra__.update(extra)
            self.__pydantic_fields_set__.update(extra)


class ModelResponseBase(_Obj):
    id: str
    created: int
    model: Optional[str] = None
    object: str
    system_fingerprint: Optional[str] = None

    _hidden_params: Dict[str, Any] = PrivateAttr(default_factory=dict)
    _response_headers: Optional[Dict[str, str]] = PrivateAttr(default=None)
    _response_ms: Optional[float] = PrivateAttr(default=None)

    @property
    def hidden_params(self) -> Dict[str, Any]:
        return self._hidden_params

    @hidden_params.setter
    def hidden_params(self, value: Dict[str, Any]) -> None:
        self._hidden_params = value

    def model_dump(self, **kwargs: Any) -> Dict[str, Any]:  # type: ignore[override]
        # litellm: exclude_unset=True unless the caller chose exclude_unset or exclude_none.
        if "exclude_unset" not in kwargs and "exclude_none" not in kwargs:
            kwargs["exclude_unset"] = True
        return super().model_dump(**kwargs)


class ModelResponseStream(ModelResponseBase):
    choices: List[StreamingChoices]
    provider_specific_fields: Optional[Dict[str, Any]] = None

    def __init__(
        self,
        choices: Any = None,
        id: Optional[str] = None,
        created: Optional[int] = None,
        provider_specific_fields: Optional[Dict[str, Any]] = None,
        **kwargs: Any,
    ) -> None:
        if isinstance(choices, list):
            choices = [StreamingChoices(**c) if isinstance(c, dict) else c for c in choices]
        else:
            choices = [StreamingChoices()]
        usage = kwargs.pop("usage", None)
        kwargs.setdefault("model", None)
        super().__init__(
            choices=choices,
            id=id if id is not None else f"chatcmpl-{uuid.uuid4()}",
            created=created if created is not None else int(time.time()),
            object="chat.completion.chunk",
            provider_specific_fields=provider_specific_fields,
            **{k: v for k, v in kwargs.items() if k != "object"},
        )
        if usage is not None:
            self.usage = Usage(**usage) if isinstance(usage, dict) else usage


class ModelResponse(ModelResponseBase):
    choices: List[Choices]

    def __init__(
        self,
        id: Optional[str] = None,
        choices: Any = None,
        created: Optional[int] = None,
        model: Optional[str] = None,
        object: Any = None,
        usage: Any = None,
        **params: Any,
    ) -> None:
        hidden = params.pop("hidden_params", None)
        headers = params.pop("_response_headers", None)
        for k in ("stream", "stream_options", "response_ms"):
            params.pop(k, None)
        if isinstance(choices, list):
            choices = [Choices(**c) if isinstance(c, dict) else c for c in choices]
        else:
            choices = [Choices()]
        values: Dict[str, Any] = {
            "id": id if id is not None else f"chatcmpl-{uuid.uuid4()}",
            "choices": choices,
            "created": created if created is not None else int(time.time()),
            "model": model,
            "object": "chat.completion",
        }
        if usage is not None:
            values["usage"] = Usage(**usage) if isinstance(usage, dict) else usage
        super().__init__(**values, **params)
        if hidden:
            self._hidden_params = hidden
        if headers:
            self._response_headers = headers


class Embedding(_Obj):
    embedding: Union[List[Any], str] = []
    index: int
    object: str = "embedding"


class EmbeddingResponse(_Obj):
    """Unlike ModelResponse, litellm's EmbeddingResponse dumps with plain pydantic defaults."""

    model: Optional[str] = None
    data: List[Any]
    object: str = "list"
    usage: Optional[Usage] = None

    _hidden_params: Dict[str, Any] = PrivateAttr(default_factory=dict)
    _response_headers: Optional[Dict[str, str]] = PrivateAttr(default=None)
    _response_ms: Optional[float] = PrivateAttr(default=None)

    def __init__(
        self,
        model: Optional[str] = None,
        usage: Optional[Usage] = None,
        response_ms: Optional[float] = None,
        data: Optional[List[Any]] = None,
        hidden_params: Optional[Dict[str, Any]] = None,
        _response_headers: Optional[Dict[str, str]] = None,
        **params: Any,
    ) -> None:
        super().__init__(model=model, object="list", data=data or [], usage=usage or Usage())
        if hidden_params:
            self._hidden_params = hidden_params
        if _response_headers:
            self._response_headers = _response_headers

    @property
    def hidden_params(self) -> Dict[str, Any]:
        return self._hidden_params

    @hidden_params.setter
    def hidden_params(self, value: Dict[str, Any]) -> None:
        self._hidden_params = value
