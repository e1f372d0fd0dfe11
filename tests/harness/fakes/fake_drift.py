"""`fake_llm`, wrong wherever a test says: the candidate in fast honesty tests."""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional

import fake_llm
from fake_llm import stream_chunk_builder

__all__ = ["acompletion", "completion", "stream_chunk_builder"]
__version__ = "0.0.2"
MUTATE_RESPONSE: Optional[Callable[[Dict[str, Any]], Any]] = None  # applied to non-stream bodies
MUTATE_BODY: Optional[Callable[[Dict[str, Any]], Any]] = None  # applied to request bodies


def completion(**kwargs: Any) -> Any:
    return fake_llm.completion(_mutate_body=MUTATE_BODY, _mutate_response=MUTATE_RESPONSE, **kwargs)


async def acompletion(**kwargs: Any) -> Any:
    return await fake_llm.acompletion(_mutate_body=MUTATE_BODY, _mutate_response=MUTATE_RESPONSE, **kwargs)
