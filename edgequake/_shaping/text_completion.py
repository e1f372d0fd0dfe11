"""Legacy completions in litellm's shapes: a provider's ``/completions`` body, a chat completion
converted, and stream chunks (both routes), as litellm 1.110.2 builds them.

* Native (``/completions``): litellm reads the body with the openai SDK's ``Completion`` and builds
  ``TextCompletionResponse(**completion.model_dump())``: the SDK's fields are always there (``None``
  when the body lacks them), the body's other keys ride along, finish reasons are mapped, a missing
  id/created is made up locally, a missing usage is an all-zero one.
* Bridged (chat completion): litellm's ``convert_chat_to_text_completion``: id, created, model and
  usage of the chat response, one ``TextChoices`` per chat choice with the message text and the
  chat finish reason as it is, ``logprobs=None`` (litellm converts them for no provider).
* Streams: a native ``/completions`` SSE chunk is read as litellm's stream handler reads it (the
  first choice's text and finish reason, the usage) into a chat chunk, so the chat stream shaping
  applies; each chat chunk then becomes a ``TextCompletionResponse`` as litellm's
  ``TextCompletionStreamWrapper`` converts it.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from edgequake._shaping.usage import new_usage
from edgequake.types import Usage
from edgequake.types.text_completion import TextChoices, TextCompletionResponse

__all__ = ["chat_chunk", "from_body", "from_chat", "from_chat_chunk", "via_chat"]

# The openai SDK's Completion / CompletionChoice / Logprobs fields (dumped even when absent).
_COMPLETION_FIELDS = ("id", "choices", "created", "model", "object", "system_fingerprint", "usage")
_CHOICE_FIELDS = ("finish_reason", "index", "logprobs", "text")
_LOGPROBS_FIELDS = ("text_offset", "token_logprobs", "tokens", "top_logprobs")


def _sdk_view(value: Any, fields: tuple) -> Dict[str, Any]:
    """What the openai SDK's ``model_dump()`` gives for a JSON object: its fields, then the rest."""
    out: Dict[str, Any] = {k: value.get(k) for k in fields}
    out.update((k, v) for k, v in value.items() if k not in out)
    return out


def _usage(value: Any) -> Optional[Usage]:
    """A body's usage as litellm validates it into its ``Usage``: the counters, details as given."""
    if not isinstance(value, dict):
        return None
    from edgequake.types import CompletionTokensDetailsWrapper, PromptTokensDetailsWrapper, _new

    fields: Dict[str, Any] = {k: value.get(k) for k in ("completion_tokens", "prompt_tokens", "total_tokens")}
    for key, cls in (
        ("completion_tokens_details", CompletionTokensDetailsWrapper),
        ("prompt_tokens_details", PromptTokensDetailsWrapper),
    ):
        detail = value.get(key)
        fields[key] = _new(cls, dict(detail)) if isinstance(detail, dict) else None
    extra = {k: v for k, v in value.items() if k not in fields}
    return new_usage(fields, extra or None)


def from_body(body: Dict[str, Any], hidden: Dict[str, Any], response_ms: float) -> TextCompletionResponse:
    """litellm's ``TextCompletionResponse`` for a native ``/completions`` body."""
    view = _sdk_view(body, _COMPLETION_FIELDS)
    choices = view.pop("choices")
    if isinstance(choices, list):
        choices = [_choice(c) for c in choices]
    view["usage"] = _usage(view.get("usage"))
    response = TextCompletionResponse(choices=choices, **view)
    response._hidden_params = hidden
    response._response_ms = response_ms
    return response


def _choice(choice: Any) -> Any:
    if not isinstance(choice, dict):
        return choice
    view = _sdk_view(choice, _CHOICE_FIELDS)
    logprobs = view.get("logprobs")
    if isinstance(logprobs, dict):
        view["logprobs"] = _sdk_view(logprobs, _LOGPROBS_FIELDS)
    return TextChoices(**view)


def _set(obj: Any, **values: Any) -> None:
    """litellm assigns these fields after construction (``response["id"] = ...``): no validation."""
    for key, value in values.items():
        setattr(obj, key, value)


def from_chat(response: Any) -> TextCompletionResponse:
    """litellm's ``convert_chat_to_text_completion`` of a chat ``ModelResponse``."""
    out = TextCompletionResponse()
    choices = []
    for choice in response.choices:
        text_choice = TextChoices()
        message = getattr(choice, "message", None)
        _set(
            text_choice,
            text=getattr(message, "content", None),
            index=choice.index,
            logprobs=None,
            finish_reason=choice.finish_reason,
        )
        choices.append(text_choice)
    _set(
        out,
        id=getattr(response, "id", None),
        object="text_completion",
        created=getattr(response, "created", None),
        model=getattr(response, "model", None),
        choices=choices,
        usage=getattr(response, "usage", None),
    )
    out._hidden_params = dict(getattr(response, "_hidden_params", None) or {})
    return out


def via_chat(response: TextCompletionResponse) -> TextCompletionResponse:
    """litellm's azure_text route: the text completion made a chat ``ModelResponse``
    (``convert_to_chat_model_response_object``: id, model, usage kept, ``created`` the local time,
    each choice's text as the message, finish reasons mapped with "stop" for none) and converted
    back (``from_chat``): provider extras and logprobs do not survive the round trip."""
    from edgequake._shaping.routes import map_finish_reason

    out = TextCompletionResponse(id=response.id, model=response.model, usage=response.usage)
    choices = []
    for index, choice in enumerate(response.choices):
        text_choice = TextChoices()
        reason = getattr(choice, "finish_reason", None)
        _set(
            text_choice,
            text=getattr(choice, "text", None),
            index=index,
            logprobs=None,
            finish_reason=map_finish_reason(reason) if reason is not None else "stop",
        )
        choices.append(text_choice)
    out.choices = choices
    out._hidden_params = response._hidden_params
    out._response_ms = response._response_ms
    return out


def chat_chunk(raw: Any) -> Any:
    """A native ``/completions`` stream chunk as a chat chunk: the first choice's text as the delta's
    content and its finish reason (litellm's stream handler reads no more of it), the usage."""
    if not isinstance(raw, dict):
        return raw
    out = {k: v for k, v in raw.items() if k not in ("choices", "object")}
    out["object"] = "chat.completion.chunk"
    choices = raw.get("choices")
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        first = choices[0]
        out["choices"] = [
            {
                "index": first.get("index", 0),
                "delta": {"content": first.get("text")},
                "finish_reason": first.get("finish_reason"),
            }
        ]
    else:
        out["choices"] = []
    return out


def from_chat_chunk(chunk: Any, include_usage: bool) -> TextCompletionResponse:
    """litellm's ``TextCompletionStreamWrapper.convert_to_text_completion_object``."""
    out = TextCompletionResponse()
    _set(
        out,
        id=getattr(chunk, "id", None),
        object="text_completion",
        created=getattr(chunk, "created", None),
        model=getattr(chunk, "model", None),
    )
    choices = getattr(chunk, "choices", None) or []
    if choices:
        first = choices[0]
        delta = first.delta
        text_choice = TextChoices(index=0)
        _set(
            text_choice,
            text=getattr(delta, "content", None),
            reasoning_content=getattr(delta, "reasoning_content", None),
            index=first.index,
            finish_reason=first.finish_reason,
        )
        out.choices = [text_choice]
    else:
        out.choices = []
    out.usage = getattr(chunk, "usage", None) if include_usage else None
    return out
