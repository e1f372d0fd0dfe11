"""litellm's legacy-completion types (``litellm.types.utils.TextCompletionResponse``, ``TextChoices``,
``Logprobs``): what ``text_completion()`` returns, and each chunk of its stream.

As litellm 1.110.2 has them: a response dumps ``id``, ``object`` (``"text_completion"``), ``created``,
``model``, ``choices`` and ``usage`` (all always set) plus whatever else the provider's body carried
(``system_fingerprint``, together's ``prompt``); a choice dumps ``finish_reason``, ``index``, ``text``
and ``logprobs`` (stream chunks add ``reasoning_content``). Loaded on first use only (pydantic).
"""

# Annotations are evaluated eagerly on purpose (no `from __future__ import annotations`): see _base.

import time
import uuid
from typing import Any, Dict, List, Optional

from pydantic import (
    Field,
    PrivateAttr,
)

from edgequake.types._base import _new, _Obj, _WithHiddenParams
from edgequake.types._response import Usage

__all__ = ["Logprobs", "TextChoices", "TextCompletionResponse"]


class Logprobs(_Obj):
    """A legacy completion's per-token log probabilities (the openai SDK's four lists)."""

    text_offset: Optional[List[int]] = None
    token_logprobs: Optional[List[Optional[float]]] = None
    tokens: Optional[List[str]] = None
    top_logprobs: Optional[List[Optional[Dict[str, float]]]] = None


class TextChoices(_Obj):
    """One completion: its text, why it ended (litellm's mapped finish reason) and its logprobs."""

    finish_reason: Optional[str] = None
    index: int = 0
    text: Optional[str] = None
    logprobs: Any = None

    def __init__(
        self, finish_reason: Any = None, index: int = 0, text: Any = None, logprobs: Any = None, **params: Any
    ) -> None:
        from edgequake._shaping.routes import map_finish_reason

        super().__init__(**params)
        self.finish_reason = map_finish_reason(finish_reason) if finish_reason else None
        self.index = index
        self.text = text
        self.logprobs = Logprobs(**logprobs) if isinstance(logprobs, dict) else logprobs


class TextCompletionResponse(_WithHiddenParams):
    """litellm's ``TextCompletionResponse``; ``stream=True`` builds an empty stream chunk as litellm's
    constructor does (``object="text_completion.chunk"``)."""

    id: str = ""
    object: str = "text_completion"
    created: int = 0
    model: Optional[str] = None
    choices: List[Any] = Field(default_factory=list)
    usage: Any = None

    _response_ms: Optional[float] = PrivateAttr(default=None)

    def __init__(
        self,
        id: Optional[str] = None,
        choices: Any = None,
        created: Optional[int] = None,
        model: Optional[str] = None,
        usage: Any = None,
        stream: bool = False,
        response_ms: Optional[float] = None,
        object: Optional[str] = None,
        **params: Any,
    ) -> None:
        if stream:
            object, choices = "text_completion.chunk", [TextChoices()]
        else:
            object = "text_completion"
            if isinstance(choices, list):
                choices = [TextChoices(**c) if isinstance(c, dict) else c for c in choices]
            else:
                choices = [TextChoices()]
        super().__init__(
            id=id if id is not None else f"chatcmpl-{uuid.uuid4()}",
            object=object,
            created=created if created is not None else int(time.time()),
            model=model,
            choices=choices,
            usage=usage or _new(Usage, {k: Usage._defaults[k] for k in Usage.model_fields}),
            **params,
        )
        self._response_ms = response_ms or None


for _cls in (Logprobs, TextChoices, TextCompletionResponse):
    _cls.__module__ = __name__
del _cls
