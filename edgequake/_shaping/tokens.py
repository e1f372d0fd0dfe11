"""Token counts for usage litellm estimates itself (streams without a usage chunk, providers that
report no counts): tiktoken's encodings as litellm uses them, from tiktoken's cache or ``bpe_openai``,
else ~4 characters per token (see ``edgequake._shaping.chunk_builder`` for the order and why).
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

__all__ = ["count_tokens", "encoder", "encoding_name", "prompt_tokens"]

_ENCODERS: Dict[str, Any] = {}  # memo: encoding name -> encoder or None

# OpenAI models litellm counts with o200k_base (its token_counter resolves the name through tiktoken's
# model table, names containing ``gpt-4o``, and gpt-5+/o-series release names); others: cl100k_base
_O200K_MODEL = re.compile(
    r"(?:.*gpt-4o|chatgpt-4o|gpt-4\.[15]|gpt-oss|gpt-(?:[5-9]|[1-9]\d+)|o[1-9]\d*)(?:[.-]|$)"
)


def encoding_name(model: Optional[str]) -> str:
    name = (model or "").rsplit("/", 1)[-1]
    if name.startswith("gpt-35"):  # Azure's gpt-3.5 spelling: a listed cl100k model, not a "gpt-35" release
        return "cl100k_base"
    return "o200k_base" if ("gpt-4o" in name or _O200K_MODEL.match(name)) else "cl100k_base"


def encoder(name: str = "cl100k_base") -> Any:
    """The named encoding from the first source that works offline (see the module docstring); memoised."""
    if name in _ENCODERS:
        return _ENCODERS[name]
    import os
    import warnings

    enc = None
    if os.environ.get("TIKTOKEN_CACHE_DIR") or os.environ.get("DATA_GYM_CACHE_DIR"):
        try:  # fast, but only from an existing cache: tiktoken would otherwise download
            import tiktoken

            enc = tiktoken.get_encoding(name)
        except Exception:
            enc = None
    if enc is None:
        try:  # exact and offline; its first load takes seconds (it builds the whole vocabulary)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # its importlib.resources use
                import bpe_openai

                enc = bpe_openai.get_encoding(name)
        except Exception:
            enc = None
    _ENCODERS[name] = enc
    return enc


def count_tokens(enc: Any, text: str) -> int:
    if not text:
        return 0
    return len(enc.encode(text, disallowed_special=())) if enc is not None else max(1, (len(text) + 3) // 4)


def prompt_tokens(enc: Any, messages: Optional[List[Dict[str, Any]]]) -> int:
    if not messages:
        return 0
    n = 3  # reply priming
    for m in messages:
        n += 3
        for k, v in m.items():
            if isinstance(v, str):
                n += count_tokens(enc, v)
                if k == "name":
                    n += 1
    return n


# litellm counts reasoning text with its default tokenizer whatever the model (fuzz-found).
