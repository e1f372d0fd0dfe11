"""``reasoning_effort`` and ``thinking`` as litellm 1.110.2 maps them to Gemini's ``thinkingConfig``:
a token budget before Gemini 3, a thinking level from Gemini 3 on; thoughts included unless the caller
(or ``gemini_include_thoughts_default``) says otherwise."""

from __future__ import annotations

import sys
from typing import Any, Dict, Optional

__all__ = ["from_reasoning_effort", "from_thinking"]

_BUDGETS = {"low": 1024, "medium": 2048, "high": 4096}
_SUPPORTED = ("minimal", "low", "medium", "high", "none", "disable")


def _unsupported(effort: Any) -> Exception:
    from edgequake.exceptions import UnsupportedParamsError

    return UnsupportedParamsError(  # type: ignore[no-any-return]
        message=(
            f"Invalid `reasoning_effort`: {effort!r}. "
            f"Must be one of: {', '.join(repr(e) for e in _SUPPORTED)}. "
            "To drop this param, set `litellm.drop_params = True` or pass in `(.., drop_params=True)` "
            "in the request - https://docs.litellm.ai/docs/completion/drop_params"
        ),
        status_code=400,
    )


def _include_thoughts(requested: Optional[bool]) -> bool:
    if requested is not None:
        return requested
    default = getattr(sys.modules.get("edgequake"), "gemini_include_thoughts_default", True)
    return default is not False and str(default).lower() != "false"


def _minimal_level(model: str, gemini3: bool) -> bool:
    return gemini3 and "flash" in model.lower()


def _minimal_budget(model: str) -> int:
    lowered = model.lower()
    if "gemini-2.5-flash-lite" in lowered:
        return 512
    if "gemini-2.5-pro" in lowered:
        return 128
    if "gemini-2.5-flash" in lowered:
        return 1
    return 128


def from_reasoning_effort(value: Any, model: str, gemini3: bool) -> Optional[Dict[str, Any]]:
    """The ``thinkingConfig`` for a ``reasoning_effort`` (a level, or ``{"effort", "summary"}``)."""
    effort = value.get("effort") if isinstance(value, dict) else value
    if effort is None:
        return None
    requested = True if isinstance(value, dict) and isinstance(value.get("summary"), str) else None
    thoughts = _include_thoughts(requested)
    if gemini3:
        minimal = _minimal_level(model, gemini3)
        if effort == "minimal":
            return {"thinkingLevel": "minimal" if minimal else "low", "includeThoughts": thoughts}
        if effort in ("low", "medium", "high"):
            return {"thinkingLevel": effort, "includeThoughts": thoughts}
        if effort in ("disable", "none"):
            return {"thinkingLevel": "minimal" if minimal else "low", "includeThoughts": False}
        raise _unsupported(effort)
    if effort == "minimal":
        return {"thinkingBudget": _minimal_budget(model), "includeThoughts": thoughts}
    if effort in _BUDGETS:
        return {"thinkingBudget": _BUDGETS[effort], "includeThoughts": thoughts}
    if effort in ("disable", "none"):
        return {"thinkingBudget": 0, "includeThoughts": False}
    raise _unsupported(effort)


def from_thinking(value: Any, gemini3: bool) -> Dict[str, Any]:
    """The ``thinkingConfig`` for an Anthropic-style ``thinking={"type", "budget_tokens"}``."""
    param = value if isinstance(value, dict) else {}
    enabled = param.get("type") == "enabled"
    budget = param.get("budget_tokens")
    display = param.get("display")
    asks = isinstance(param.get("summary"), str) or (display is not None and display != "omitted")
    thoughts = _include_thoughts(True if asks else None)
    out: Dict[str, Any] = {}
    if gemini3:
        out["includeThoughts"] = thoughts if enabled and budget != 0 else False
        return out
    if enabled and budget != 0:
        out["includeThoughts"] = thoughts
    if isinstance(budget, int) and not isinstance(budget, bool):
        out["thinkingBudget"] = budget
    return out
