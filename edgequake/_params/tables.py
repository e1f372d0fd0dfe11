"""The generated JSON tables beside this module, each read once, on first use (never at import:
``import edgequake`` must stay cheap)."""

from __future__ import annotations

import json
import os
from functools import cache
from typing import Any, Dict

_HERE = os.path.dirname(os.path.abspath(__file__))


@cache
def table(name: str) -> Dict[str, Any]:
    with open(os.path.join(_HERE, name), encoding="utf-8") as file:
        data: Dict[str, Any] = json.load(file)
    return data
