"""Identity: whether what a target returned and raised are *its own* objects.

Comparing dumps and class names cannot tell a drop-in from a wrapper around another library: a
candidate that hands a call to litellm and lets litellm's ``RateLimitError`` escape passes a name
check, yet ``except candidate.RateLimitError`` does not catch it; a response of litellm's type fails
``isinstance(r, candidate.ModelResponse)``. So each observation records the things the user gets
that are *not* instances of the target module's class of that name (where the module has one): the
reference records nothing by construction, so every entry on the candidate's side is a difference in
the ``identity`` section. A module without a class of that name (a test fake) is not judged on it.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any, Optional

# What the user gets back, by the class litellm gives it.
RESULT_CLASSES = {
    "completion": "ModelResponse",
    "embedding": "EmbeddingResponse",
    "text_completion": "TextCompletionResponse",
    "responses": "ResponsesAPIResponse",
}


def own_instance(module: ModuleType, obj: Any, name: Optional[str] = None) -> Optional[bool]:
    """Whether ``obj`` is an instance of ``module.<name>`` (default: the object's own class name);
    None when the module has no class of that name."""
    cls = _class(module, name or type(obj).__name__)
    return None if cls is None else isinstance(obj, cls)


def _class(module: ModuleType, name: str) -> Optional[type]:
    try:
        cls = getattr(module, name, None)
    except Exception:  # a module whose lazy attribute lookup fails has no such class to compare
        return None
    return cls if isinstance(cls, type) else None
