"""Module settings litellm applies to every call, read when a call starts.

``model_alias_map`` renames a chat call's model as litellm's ``completion`` does (an exact key match,
before routing). Settings edgequake does not implement (a response cache, proxy mode, a custom
provider the model names) raise NotImplementedError when set, rather than being ignored: a program
that relies on one would otherwise run silently differently (e.g. pay for calls it expects cached).
"""

from __future__ import annotations

import sys
from typing import Any


def _module() -> Any:
    return sys.modules["edgequake"]


def apply_settings(model: str, aliases: bool = True) -> str:
    """The model to call after ``model_alias_map`` (chat only: litellm's embedding ignores the map);
    raises for a set, unimplemented setting."""
    eq = _module()
    if getattr(eq, "cache", None) is not None:
        raise NotImplementedError(
            "edgequake does not implement litellm's response cache (litellm.cache is set); "
            "set it to None, or run this program on litellm itself"
        )
    # litellm.model_fallbacks is honoured (edgequake._callbacks: fallbacks), not refused
    if getattr(eq, "use_litellm_proxy", False) is True:
        raise NotImplementedError(
            "edgequake does not implement litellm's proxy mode (litellm.use_litellm_proxy)"
        )
    custom = {entry.get("provider") for entry in getattr(eq, "custom_provider_map", None) or ()}
    if custom and isinstance(model, str) and model.split("/", 1)[0] in custom:
        raise NotImplementedError(
            f"edgequake does not call litellm custom providers (custom_provider_map names "
            f"{model.split('/', 1)[0]!r}); run this program on litellm itself"
        )
    alias_map = getattr(eq, "model_alias_map", None) if aliases else None
    if alias_map and isinstance(model, str) and model in alias_map:
        return alias_map[model]
    return model
