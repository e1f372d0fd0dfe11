"""Response-level types: token usage, ``ModelResponse`` / ``ModelResponseStream`` and the embedding
response, with litellm's dump defaults and private attributes (hidden params, headers)."""

# Annotations are evaluated eagerly on purpose (no `from __future__ import annotations`): see _base.

import time
import uuid
from typing import Any, Dict, List, Optional, Union

from pydantic import PrivateAttr

from edgequake.types._base import _Obj, _WithHiddenParams
from edgequake.types._message import Choices, StreamingChoices
from edgequake.types._openai_bases import usage_class


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

    def __new__(cls, *args: Any, **kwargs: Any) -> "Usage":
        # `Usage(...)` is an openai CompletionUsage too once openai is loaded, as litellm's is.
        if cls.__name__ == "Usage" and cls.__module__ == "edgequake.types":
            cls = usage_class(cls)
        return super().__new__(cls)

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


class ModelResponseBase(_WithHiddenParams):
    id: str
    created: int
    model: Optional[str] = None
    object: str
    system_fingerprint: Optional[str] = None

    _response_headers: Optional[Dict[str, str]] = PrivateAttr(default=None)
    _response_ms: Optional[float] = PrivateAttr(default=None)

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
    # pydantic copies a mutable default per instance; ruff cannot see that _Obj is a BaseModel.
    embedding: Union[List[Any], str] = []  # noqa: RUF012
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
