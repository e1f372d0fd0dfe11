"""``isinstance(usage, openai.types.CompletionUsage)``, without importing openai for it.

litellm's ``Usage`` subclasses openai's ``CompletionUsage``, and libraries rely on it: instructor adds
up the usage of its retries only when ``isinstance(usage, CompletionUsage)`` holds (with edgequake's
own class its totals stayed 0). Subclassing outright would import openai (half a second idle, more
on a busy machine) on the first call of every program, for a check only programs that use openai
themselves can make. pydantic refuses virtual subclasses (``ABCMeta.register``), so instead: once
openai is loaded (by whoever will make the check), usage objects are built as a class deriving from
both edgequake's ``Usage`` and openai's ``CompletionUsage`` (also named ``Usage``, as litellm's is);
before that, as the plain ``Usage``. Both pass ``isinstance(x, edgequake.Usage)``.
See docs/adr/0010-usage-as-openai-completion-usage.md.
"""

from __future__ import annotations

import sys
from typing import Any, Optional

_hybrid: Optional[type] = None


def usage_class(plain: type) -> type:
    """The class to build a usage object as: ``OpenAIUsage`` once openai is imported, else ``plain``.
    A dictionary lookup per call until openai appears."""
    if _hybrid is not None:
        return _hybrid
    if "openai" not in sys.modules:
        return plain
    return _make_hybrid(plain)


def _make_hybrid(plain: type) -> type:
    global _hybrid
    from openai.types.completion_usage import CompletionUsage

    # Our Usage first in the MRO: its fields, defaults, dump behaviour and methods win.
    hybrid = type("Usage", (plain, CompletionUsage), {"__module__": __name__})
    hybrid.__doc__ = plain.__doc__
    _hybrid = hybrid
    return hybrid


def __getattr__(name: str) -> Any:
    # Unpickling the openai-based Usage in a fresh process finds the class here (importing openai).
    if name == "Usage":
        import openai  # noqa: F401 - the class derives from openai's

        from edgequake.types._response import Usage

        return usage_class(Usage)
    raise AttributeError(name)
