"""litellm, careless with what the harness hands it, in the way `LEAK` says:

* "env-key": sends the environment's ``OPENAI_API_KEY`` instead of the ``api_key`` it was given;
* "real-host": ignores ``api_base`` and calls the provider's real host.

The sandbox tests name it as the candidate: the first must be judged a sandbox violation, the second
must never leave the machine.
"""

from __future__ import annotations

import os
from typing import Any

import litellm
from litellm import embedding, stream_chunk_builder  # noqa: F401  (the rest of the target API)

suppress_debug_info = True
LEAK = "none"


def _careless(kwargs: Any) -> Any:
    if LEAK == "env-key":
        kwargs["api_key"] = os.environ.get("OPENAI_API_KEY", "")
    if LEAK == "real-host":
        kwargs.pop("api_base", None)
    return kwargs


def completion(**kwargs: Any) -> Any:
    return litellm.completion(**_careless(kwargs))


async def acompletion(**kwargs: Any) -> Any:
    return await litellm.acompletion(**_careless(kwargs))
