"""Which OpenAI-named params litellm accepts per provider and model, loaded from ``models.json``.

The data is generated (``tests/fixtures/params/record.py`` from litellm 1.110.2, never edited by hand)
and lives in JSON rather than Python so a regeneration diffs by entry and no module carries it as code.

* ``SETS``: the distinct supported-param sets; models refer to one by its index.
* ``DEFAULT``: per provider, ``(set index, flags)`` for a model the table does not list.
* ``MODELS``: per provider and model, ``(set index, flags)`` where it differs from ``DEFAULT``. Flags is
  a comma-separated family tag (oseries, gpt5) plus nosystem (no system role) and schema (native
  json_schema on groq), or "".
"""

import json
import os
from typing import Any, Dict, FrozenSet, Tuple

_TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models.json")

Entry = Tuple[int, str]  # (index into SETS, flags)


def _entries(raw: Dict[str, Any]) -> Dict[str, Entry]:
    # JSON has no tuples: each [index, flags] pair becomes the tuple the old generated module held.
    return {name: (index, flags) for name, (index, flags) in raw.items()}


with open(_TABLE, encoding="utf-8") as _file:
    _data = json.load(_file)

SETS: Tuple[FrozenSet[str], ...] = tuple(frozenset(params) for params in _data["sets"])
DEFAULT: Dict[str, Entry] = _entries(_data["default"])
MODELS: Dict[str, Dict[str, Entry]] = {provider: _entries(raw) for provider, raw in _data["models"].items()}

del _file, _data
