"""litellm 1.110.2's argument handling for Cohere (``cohere/``, ``cohere_chat/``), measured against it.

Which route a model takes and which params a call may carry are litellm's per-model tables and
param validation, kept here; the Cohere names the params go out under (``top_p`` -> ``p``, ``input``
-> ``texts``...) are the wire's (``core/src/wire/cohere``). This module builds the OpenAI-shaped body
the wire translates:

* chat: litellm's supported list for both Cohere chat configs; the others in its validated list raise
  ``UnsupportedParamsError`` (``drop_params`` leaves them out), ``user``/``stream_options`` are left
  out silently, provider params (``k``, ``documents``...) pass through. ``tool_choice`` is accepted
  and never sent: litellm maps a call's params with the v1 config, which has no mapping for it.
  ``max_completion_tokens`` wins over ``max_tokens``.
* embeddings: ``encoding_format`` and ``dimensions`` are supported; ``user`` and the rest of
  OpenAI's embedding params raise; provider params (``input_type``, ``truncate``) pass through.
"""

from __future__ import annotations

import sys
from typing import Any, Dict, FrozenSet, List, Optional, Tuple

from edgequake._params.messages import rewrite_messages
from edgequake._params.rules import EMBED_UNSUPPORTED, UNSUPPORTED, UNVALIDATED, VALIDATED, VALIDATED_SET

__all__ = [
    "COHERE_PROVIDERS",
    "chat_body",
    "embedding_body",
    "provider_for",
]

COHERE_PROVIDERS: FrozenSet[str] = frozenset({"cohere", "cohere_chat"})

# litellm.cohere_chat_models (1.110.2): a `cohere/` model named here takes the `cohere_chat` route
# (get_llm_provider's handle_cohere_chat_model_custom_llm_provider); bare names route to it too.
COHERE_CHAT_MODELS: FrozenSet[str] = frozenset(
    {
        "c4ai-aya-expanse-32b",
        "command-a-03-2025",
        "command-a-plus-05-2026",
        "command-r-08-2024",
        "command-r-plus-08-2024",
        "command-r7b-12-2024",
    }
)
# CohereChatConfig / CohereV2ChatConfig.get_supported_openai_params (the same list).
_CHAT_SUPPORTED: FrozenSet[str] = frozenset(
    {
        "stream",
        "temperature",
        "max_tokens",
        "max_completion_tokens",
        "top_p",
        "frequency_penalty",
        "presence_penalty",
        "stop",
        "n",
        "tools",
        "tool_choice",
        "seed",
        "extra_headers",
    }
)
# Accepted, and never sent: the v1 param mapping litellm applies has no entry for it.
_CHAT_NOT_SENT: FrozenSet[str] = frozenset({"tool_choice"})

# OpenAI's embedding params litellm validates, and the two CohereEmbeddingConfig supports.
_EMBED_VALIDATED: Tuple[str, ...] = ("user", "encoding_format", "dimensions")
_EMBED_SUPPORTED: FrozenSet[str] = frozenset({"encoding_format", "dimensions"})


def provider_for(head: str, model: str) -> str:
    """litellm's provider for ``cohere/<model>``: ``cohere_chat`` for its listed chat models."""
    if head == "cohere" and model in COHERE_CHAT_MODELS:
        return "cohere_chat"
    return head


def uses_v1(model: str) -> bool:
    """litellm's ``CohereModelInfo.get_cohere_route``: a model naming ``v1/`` takes Cohere's v1 chat
    API (its own request and stream formats), which edgequake leaves to litellm."""
    return "v1/" in model


def _drop_params(drop_params: bool) -> bool:
    mod = sys.modules.get("edgequake")
    return drop_params or getattr(mod, "drop_params", False) is True


def _unsupported(message: str) -> Exception:
    from edgequake.exceptions import UnsupportedParamsError

    return UnsupportedParamsError(message=message, status_code=400)  # type: ignore[no-any-return]


def chat_body(
    provider: str,
    model: str,
    messages: List[Any],
    params: Dict[str, Any],
    *,
    drop_params: bool,
    additional_drop_params: Optional[List[str]],
) -> Dict[str, Any]:
    """The OpenAI-shaped chat body litellm's Cohere route would send, before Cohere's renames."""
    if additional_drop_params:
        params = {k: v for k, v in params.items() if k not in additional_drop_params}
    bad = [k for k in params if k in VALIDATED_SET and k not in _CHAT_SUPPORTED and k not in UNVALIDATED]
    if bad and not _drop_params(drop_params):
        bad.sort(key=VALIDATED.index)
        raise _unsupported(UNSUPPORTED.format(provider=provider, keys=bad, model=model))
    # v2 takes the model without a `v2/` prefix (litellm strips it before the call).
    body: Dict[str, Any] = {
        "model": model.replace("v2/", ""),
        "messages": rewrite_messages(messages, {}, False),
    }
    extra_body: Any = None
    for key, value in params.items():
        if key == "extra_body":
            extra_body = value
        elif key in VALIDATED_SET and (key not in _CHAT_SUPPORTED or key in _CHAT_NOT_SENT):
            continue
        elif key == "extra_headers":
            continue  # headers, not body (edgequake._call.arguments sends them)
        else:
            body[key] = value
    if "max_completion_tokens" in body:
        body.pop("max_tokens", None)
    if isinstance(extra_body, dict):
        body.update(extra_body)
    return body


def embedding_body(
    provider: str, model: str, input: Any, params: Dict[str, Any], *, drop_params: bool
) -> Dict[str, Any]:
    """The OpenAI-shaped embedding body for Cohere's ``/v2/embed`` (the wire names its fields)."""
    bad = {k: v for k, v in params.items() if k in _EMBED_VALIDATED and k not in _EMBED_SUPPORTED}
    if bad and not _drop_params(drop_params):
        raise _unsupported(EMBED_UNSUPPORTED.format(provider=provider, params=bad, model=model))
    body: Dict[str, Any] = {"model": model, "input": input}
    for key, value in params.items():
        if key in bad:
            continue
        if key == "extra_body" and isinstance(value, dict):
            body.update(value)
        else:
            body[key] = value
    return body
