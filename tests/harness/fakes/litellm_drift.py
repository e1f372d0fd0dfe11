"""litellm, wrong in exactly one way chosen by `DRIFT` ("field", "chunk", "exception", "request").

The harness's honesty tests name this module as the candidate and litellm as the reference: the
harness must catch each drift and name where it is.
"""

from __future__ import annotations

from typing import Any

import litellm
from litellm import embedding, stream_chunk_builder  # noqa: F401  (the rest of the target API)

suppress_debug_info = True
DRIFT = "none"


class ModelGoneError(litellm.NotFoundError):
    """Same attributes as litellm.NotFoundError; only the class differs."""


def completion(**kwargs: Any) -> Any:
    if DRIFT == "request":
        kwargs["temperature"] = 0.5
    try:
        result = litellm.completion(**kwargs)
    except litellm.NotFoundError as exc:
        if DRIFT == "exception":
            exc.__class__ = ModelGoneError
        raise
    if DRIFT == "field" and not kwargs.get("stream"):
        result.choices[0].message.content = "Lyon"
    if DRIFT == "chunk" and kwargs.get("stream"):
        return _drift_second_chunk(result)
    return result


def _drift_second_chunk(stream: Any) -> Any:
    for index, chunk in enumerate(stream):
        if index == 1:
            chunk.choices[0].delta.content = "drifted"
        yield chunk
