"""``token_counter``, ``encode`` and ``decode`` over the offline encoders edgequake already uses for
streams without usage (``edgequake._shaping.tokens``: tiktoken's files via ``bpe_openai``, else about
four characters per token).

Messages count as litellm counts OpenAI chat: 3 per message, 1 more per ``name``, 3 to prime the
reply, plus every string field, every text part of a content list and tool-call arguments.
Images, files and tool definitions are estimates here (litellm sizes images from their pixels and
renders tool schemas its own way), so counts with them can differ from litellm's.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

from edgequake._shaping import tokens

_tokens = tokens  # decode's parameter is named ``tokens``, as litellm's

__all__ = ["decode", "encode", "token_counter"]


def _encoder(model: Optional[str]) -> Any:
    return tokens.encoder(tokens.encoding_name(model))


def _message_text(message: Dict[str, Any]) -> List[str]:
    parts: List[str] = []
    for key, value in message.items():
        if isinstance(value, str):
            parts.append(value)
        elif key == "content" and isinstance(value, list):
            parts.extend(p["text"] for p in value if isinstance(p, dict) and isinstance(p.get("text"), str))
        elif key == "tool_calls" and isinstance(value, list):
            for call in value:
                function = call.get("function") if isinstance(call, dict) else None
                if isinstance(function, dict):  # litellm counts the arguments, not the name
                    parts.append(str(function.get("arguments") or ""))
    return parts


def token_counter(
    model: str = "",
    custom_tokenizer: Any = None,
    text: Any = None,
    messages: Optional[List[Dict[str, Any]]] = None,
    count_response_tokens: Optional[bool] = False,
    tools: Optional[List[Dict[str, Any]]] = None,
    tool_choice: Any = None,
    use_default_image_token_count: Optional[bool] = False,
    default_token_count: Optional[int] = None,
) -> int:
    """litellm.token_counter: tokens in ``text`` or in chat ``messages`` (with ``tools``) for ``model``."""
    if text is not None and messages is None and (tools or tool_choice):
        raise ValueError("tools or tool_choice cannot be set if using text")
    enc = _encoder(model)
    if text is None and messages is None:
        raise ValueError("text and messages cannot both be None")
    if messages is None:
        text_value = text if isinstance(text, str) else "".join(str(t) for t in (text or []))
        return tokens.count_tokens(enc, text_value)
    count = 0
    for message in messages:
        count += 3
        for part in _message_text(message):
            count += tokens.count_tokens(enc, part)
        if isinstance(message.get("name"), str):
            count += 1
    if not count_response_tokens:
        count += 3
    if tools:
        count += tokens.count_tokens(enc, json.dumps(tools))
    return count


def encode(model: str = "", text: str = "", custom_tokenizer: Any = None) -> List[int]:
    """litellm.encode: the token ids of ``text`` (litellm encodes with cl100k_base for OpenAI names)."""
    enc = tokens.encoder("cl100k_base")
    if enc is None:
        raise RuntimeError("no tokenizer available offline: install edgequake[tokens] (bpe-openai)")
    return list(enc.encode(text, disallowed_special=()))


def decode(
    model: str = "", tokens: Any = (), custom_tokenizer: Any = None, skip_special_tokens: bool = True
) -> str:
    """litellm.decode: the text of token ids."""
    ids = tokens
    enc = _tokens.encoder("cl100k_base")
    if enc is None:
        raise RuntimeError("no tokenizer available offline: install edgequake[tokens] (bpe-openai)")
    return str(enc.decode(list(ids)))
