"""A candidate that claims its own classes but hands back litellm's objects: a wrapper, not a drop-in.

Everything it returns and raises dumps exactly as litellm's, so only the harness's identity check
can see that ``except litellm_foreign.NotFoundError`` would not catch its errors and
``isinstance(r, litellm_foreign.ModelResponse)`` is False. ``DELEGATE`` makes it also say, through
the harness hook, that it delegated the call: identity is judged then too.
"""

from __future__ import annotations

from typing import Any, Optional

import litellm
from litellm import acompletion, completion, embedding, stream_chunk_builder  # noqa: F401

suppress_debug_info = True
DELEGATE = False


class ModelResponse(litellm.ModelResponse):
    """Its own response class, which litellm's objects are not instances of."""


class ModelResponseStream(litellm.ModelResponseStream):
    pass


class NotFoundError(litellm.NotFoundError):
    pass


def __compat_delegates__(function: str, model: str, custom_llm_provider: Optional[str] = None) -> Any:
    return f"{function}: handed to litellm" if DELEGATE else None
