"""What litellm 1.110.2's per-provider Responses configs change in the body on the native routes
(xAI, Azure), and the calls whose input or tools litellm rewrites in ways left to it."""

from __future__ import annotations

from typing import Any, Dict

from edgequake._params.responses_input import keeps_cache_marks

__all__ = ["azure_body", "litellm_rewrites", "xai_body"]


def xai_body(body: Dict[str, Any]) -> None:
    """litellm's xAI Responses config: no ``metadata``; a code interpreter tool without its container."""
    body.pop("metadata", None)
    tools = body.get("tools")
    if isinstance(tools, list):
        body["tools"] = [
            {"type": "code_interpreter"}
            if isinstance(tool, dict) and tool.get("type") == "code_interpreter"
            else tool
            for tool in tools
        ]


def azure_body(body: Dict[str, Any], drop_params: bool) -> None:
    """litellm's Azure Responses config: tools flattened (a chat-style ``function`` member's fields at
    the top level); ``context_management`` unsupported (still sent under drop_params, as litellm does)."""
    tools = body.get("tools")
    if isinstance(tools, list):
        flat = []
        for tool in tools:
            if isinstance(tool, dict) and isinstance(tool.get("function"), dict):
                tool = {**{k: v for k, v in tool.items() if k != "function"}, **tool["function"]}
            flat.append(tool)
        body["tools"] = flat
    if "context_management" in body and not drop_params:
        from edgequake import exceptions as ex

        unsupported = {"context_management": body["context_management"]}
        raise ex.UnsupportedParamsError(
            message=(
                f"LlmProviders.AZURE does not support parameters: {unsupported}, for model={body['model']}. "
                "To drop these, set `litellm.drop_params=True` or for proxy:\n\n`litellm_settings:\n "
                "drop_params: true`\n"
            )
        )


# xAI tools litellm rewrites into xAI's own shapes: such a call is litellm's.
_XAI_REWRITTEN_TOOLS = frozenset({"web_search", "x_search"})


def litellm_rewrites(provider: str, input: Any, tools: Any) -> bool:
    """Whether litellm rewrites this call's input or tools in ways edgequake leaves to it."""
    if keeps_cache_marks(provider, input, tools):
        return True
    return provider == "xai" and any(
        isinstance(t, dict) and t.get("type") in _XAI_REWRITTEN_TOOLS for t in (tools or [])
    )
