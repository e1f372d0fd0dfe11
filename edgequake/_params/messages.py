"""How litellm 1.110.2 rewrites ``messages`` on the OpenAI-wire routes before sending them.

Every route: message objects (pydantic ``Message``) become dicts and None-valued keys are left out
(so an assistant tool-call message loses ``content: null``). Per route (``_param_rules.RULES``):
text-only content lists flattened to a string, ``name`` stripped, empty assistant turns removed,
and the system role sent as user for models without system messages.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping

__all__ = ["add_system_prefix", "rewrite_messages"]


def _as_dict(message: Any) -> Dict[str, Any]:
    if isinstance(message, dict):
        if None in message.values():
            return {k: v for k, v in message.items() if v is not None}
        return message
    dump = message.model_dump(exclude_none=True)
    dump.pop("provider_specific_fields", None)
    return dump  # type: ignore[no-any-return]


def _flat_text(content: List[Any]) -> Any:
    if all(isinstance(part, dict) and part.get("type") == "text" for part in content):
        return "".join(part.get("text") or "" for part in content)
    return content


def rewrite_messages(messages: List[Any], rules: Mapping[str, object], no_system: bool) -> List[Any]:
    flatten = rules.get("flatten_text")
    keep_name: Any = rules.get("keep_name_roles")
    drop_empty = rules.get("drop_empty_assistant")
    out: List[Any] = []
    for message in messages:
        msg = _as_dict(message)
        changed = msg is not message
        role = msg.get("role")
        if drop_empty and role == "assistant" and not (
            msg.get("content") or msg.get("tool_calls") or msg.get("function_call")
        ):
            continue
        if no_system and role == "system":
            msg = {**msg, "role": "user"} if not changed else msg
            msg["role"] = "user"
            changed = True
        if flatten and isinstance(msg.get("content"), list):
            flat = _flat_text(msg["content"])
            if flat is not msg["content"]:
                msg = dict(msg) if not changed else msg
                msg["content"] = flat
                changed = True
        if keep_name is not None and "name" in msg and role not in keep_name:
            msg = dict(msg) if not changed else msg
            del msg["name"]
        out.append(msg)
    return out


def add_system_prefix(messages: List[Any], prompt: str) -> List[Any]:
    """Prepend ``prompt`` to the first system message, or add one in front."""
    out = list(messages)
    for i, msg in enumerate(out):
        if msg.get("role") == "system":
            content = msg.get("content", "")
            if isinstance(content, list):
                content = [{"type": "text", "text": prompt + "\n\n"}, *content]
            else:
                content = f"{prompt}\n\n{content}"
            out[i] = {**msg, "content": content}
            return out
    return [{"role": "system", "content": prompt}, *out]
