"""litellm-compatible response types (mirrors ``litellm.types.utils``).

Why the models look the way they do:

* litellm's ``model_dump()`` output depends on which fields were *set*, not on which are None
  (``ModelResponse.model_dump()`` defaults to ``exclude_unset=True``), and litellm *deletes* optional
  fields it did not receive (``Message.audio``, ``Message.reasoning_content``, ``Choices.logprobs``...),
  so reading them raises ``AttributeError`` and even ``model_dump(exclude_unset=False)`` omits them.
  We reproduce that by declaring only the fields litellm always keeps; the optional ones live in
  pydantic's ``extra`` storage and exist only when present, exactly like a deleted-or-set litellm field.
* Construction on the hot path goes through :func:`_new`, which fills ``__dict__`` /
  ``__pydantic_extra__`` / ``__pydantic_fields_set__`` directly (what ``model_construct`` does, minus
  its per-field Python loop). ``edgequake._shaping.response`` has already normalised the data, so
  validating it again would only cost time. The public ``__init__`` of each class keeps litellm's
  keyword signature for users who build these objects themselves.
* Nothing here imports litellm or openai (``import edgequake`` must stay cheap), so ``isinstance``
  checks against litellm's classes do not hold; checks against these classes do.

Layout: ``_base`` holds ``_new`` and the shared ``_Obj``; ``_message`` the tool calls, messages, deltas
and choices; ``_response`` usage, the responses and embeddings. ``edgequake.types.utils`` is litellm's
import path for the same classes. Every class is re-homed to this module (``__module__``), so pickles,
tracebacks and ``type(x).__module__`` name ``edgequake.types`` whatever file defines the class.
"""

import sys

# `import edgequake as litellm; litellm.types.utils.ModelResponse` needs the submodule as an attribute.
from edgequake.types import utils as utils
from edgequake.types._base import _new as _new
from edgequake.types._base import _Obj

# The public classes and their list live in `utils` (litellm's path); this module re-exports them.
from edgequake.types.utils import *  # noqa: F403
from edgequake.types.utils import __all__ as _public

__all__ = list(_public)

for _cls in (_Obj, *(getattr(utils, _name) for _name in _public)):
    _cls.__module__ = __name__
del _cls

# Submodules users reach as attributes (`litellm.types.llms.openai.ResponsesAPIResponse`), loaded on
# first access: they import pydantic models and openai's types that `import edgequake` must not load.
_LAZY_SUBMODULES = frozenset({"llms", "responses", "rerank"})


def __getattr__(name: str) -> object:
    if name in _LAZY_SUBMODULES:
        from importlib import import_module

        return import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def present_as_litellm() -> None:
    """With edgequake installed as ``litellm``: the classes name ``litellm.types.utils`` as their module,
    as litellm's own do. Libraries recognise litellm's objects by that name (dspy's ``streamify`` takes a
    chunk for a stream chunk only if ``type(chunk).__module__.startswith("litellm")``), and pickles then
    load through the alias, which answers ``litellm.types.utils`` with this package's ``utils``."""
    held = sys.modules.get("litellm.types.utils")
    if held is not None and held is not utils:
        return  # the real litellm's module holds the name: a pickle naming it would load litellm's class
    for name in _public:
        getattr(utils, name).__module__ = "litellm.types.utils"


if sys.modules.get("litellm") is sys.modules.get("edgequake"):  # imported after install_as_litellm()
    present_as_litellm()
