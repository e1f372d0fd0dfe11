"""litellm, wrong in exactly one way chosen by `DRIFT` ("field", "chunk", "exception", "request",
"globals": its module globals are not read, "leak": litellm-only arguments reach the provider).

The harness's honesty tests name this module as the candidate and litellm as the reference: the
harness must catch each drift and name where it is.
"""

from __future__ import annotations

from typing import Any

import litellm
from litellm import embedding, stream_chunk_builder  # noqa: F401  (the rest of the target API)

suppress_debug_info = True
DRIFT = "none"
api_key = None  # module globals, as litellm's: handed to litellm for each call unless DRIFT == "globals"
api_base = None


class ModelGoneError(litellm.NotFoundError):
    """Same attributes as litellm.NotFoundError; only the class differs."""


def completion(**kwargs: Any) -> Any:
    if DRIFT == "request":
        kwargs["temperature"] = 0.5
    if DRIFT == "leak" and "retry_strategy" in kwargs:
        kwargs["extra_body"] = {"retry_strategy": kwargs["retry_strategy"]}
    saved = litellm.api_key, litellm.api_base
    if DRIFT != "globals":
        litellm.api_key, litellm.api_base = api_key or litellm.api_key, api_base or litellm.api_base
    try:
        result = litellm.completion(**kwargs)
    except litellm.NotFoundError as exc:
        if DRIFT == "exception":
            exc.__class__ = ModelGoneError
        raise
    finally:
        litellm.api_key, litellm.api_base = saved
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
