"""litellm's secret lookups as libraries call them (langchain-litellm asks
``litellm.get_secret_bool("USE_LITELLM_PROXY")``): the environment only. litellm can also consult a
hosted key manager (``litellm._key_management_system``); edgequake has none, so a name is read from
``os.environ`` as litellm does when no manager is configured."""

from __future__ import annotations

import os
from typing import Optional, Union

__all__ = ["get_secret", "get_secret_bool", "get_secret_str", "str_to_bool"]


def str_to_bool(value: Optional[str]) -> Optional[bool]:
    """ "true"/"false" (any case, outer spaces ignored) as a bool; anything else None."""
    if value is None:
        return None
    lowered = value.strip().lower()
    return True if lowered == "true" else False if lowered == "false" else None


def get_secret(secret_name: str, default_value: Union[str, bool, None] = None) -> Union[str, bool, None]:
    """The environment's value for ``secret_name`` (``os.environ/NAME`` accepted), "true"/"false" as
    bools, None when unset. litellm uses ``default_value`` only when a key manager fails, and answers
    None for an unset name even with a default (measured on 1.110.2); so does this."""
    name = secret_name[len("os.environ/") :] if secret_name.startswith("os.environ/") else secret_name
    value = os.environ.get(name)
    if value is None:
        return None
    as_bool = str_to_bool(value)
    return as_bool if as_bool is not None else value


def get_secret_str(secret_name: str, default_value: Union[str, bool, None] = None) -> Optional[str]:
    value = get_secret(secret_name, default_value)
    return value if isinstance(value, str) else None


def get_secret_bool(secret_name: str, default_value: Optional[bool] = None) -> Optional[bool]:
    value = get_secret(secret_name, default_value)
    if value is None or isinstance(value, bool):
        return value
    return str_to_bool(value)
