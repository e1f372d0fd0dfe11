"""The price table: litellm 1.110.2's ``model_prices_and_context_window_backup.json`` (MIT, see
``PROVENANCE.md``), parsed once on first use and shared as ``edgequake.model_cost``.

It is never downloaded: litellm fetches a newer map from GitHub at import unless told not to, which
makes its prices depend on the day; edgequake's depend only on the installed version.

Pricing a call needs one or two entries, and parsing the whole 2.6 MB file costs 15-55 ms of CPU and a few MB:
so until someone asks for the whole table (``model_cost()``: ``edgequake.model_cost``,
``register_model``...), lookups go through ``model_prices.index.json`` (written beside the table by
``tools/refresh_model_prices.py``): every key, in the table's order, with the span of its entry's
JSON text, and the rules' span. An entry is parsed on first use; an index that does not match the
file (another size) is ignored and the whole table is loaded, as before.
"""

from __future__ import annotations

import json
import os
import threading
from typing import Any, Dict, List, Optional, Tuple

__all__ = ["find_key", "generalization_rules", "get_entry", "lowercase_keys", "model_cost", "touch"]

_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "model_prices.json")
INDEX_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "model_prices.index.json")
_LOCK = threading.Lock()
_cost: Optional[Dict[str, Any]] = None
_sparse: Optional[_Sparse] = None
_sparse_failed = False
_lower: Optional[Dict[str, str]] = None
_rules: List[Dict[str, Any]] = []
_generation = 0  # bumped when register_model changes the table: derived caches compare it


def model_cost() -> Dict[str, Any]:
    """The table (a plain dict users may read and edit, as ``litellm.model_cost``)."""
    global _cost, _sparse
    if _cost is None:
        with _LOCK:
            if _cost is None:
                with open(_PATH, encoding="utf-8") as file:
                    _cost = _finalise(json.load(file))
                _sparse = None  # from now on every lookup reads the whole table (users may edit it)
    return _cost


def generalization_rules() -> List[Dict[str, Any]]:
    """The file's ``fallback_generalizations`` rules (litellm takes them out of the table on load)."""
    sparse = _cost is None and _sparse_table()
    if sparse:
        return sparse.rules()
    model_cost()
    return _rules


def editable() -> bool:
    """Whether the whole table has been handed out (``model_cost()``), so its entries may change."""
    return _cost is not None


def find_key(name: str) -> Optional[str]:
    """The table's key for ``name``: itself, else its case-insensitive match, else None."""
    sparse = _cost is None and _sparse_table()
    if sparse:
        if name in sparse.spans:
            return name
        found = sparse.lower().get(name.lower())
        return found if found is not None and found in sparse.spans else None
    cost = model_cost()
    if name in cost:
        return name
    found = lowercase_keys().get(name.lower())
    return found if found is not None and found in cost else None


def get_entry(key: str) -> Any:
    """The entry under ``key`` (a key ``find_key`` returned)."""
    sparse = _cost is None and _sparse_table()
    if sparse:
        return sparse.entry(key)
    return model_cost()[key]


class _Sparse:
    """The table read entry by entry through the index (see the module docstring)."""

    def __init__(self, text: Any, index: Dict[str, Any]) -> None:
        self.text = text
        spans = index["spans"]
        self.keys: List[str] = index["keys"]
        self.spans: Dict[str, Tuple[int, int]] = {
            k: (spans[i][0], spans[i][1]) for k, i in zip(self.keys, index["owners"])
        }
        self.rules_span = index.get("rules")
        self.parsed: Dict[int, Any] = {}  # by span start: an alias and its owner share one dict
        self._lower: Optional[Dict[str, str]] = None
        self._rules: Optional[List[Dict[str, Any]]] = None

    def entry(self, key: str) -> Any:
        start, end = self.spans[key]
        found = self.parsed.get(start)
        if found is None:
            found = json.loads(self.text[start:end])
            if isinstance(found, dict) and found.get("aliases") is not None:
                found.pop("aliases")  # as _finalise does for an entry that names aliases
            self.parsed[start] = found
        return found

    def lower(self) -> Dict[str, str]:
        if self._lower is None:
            self._lower = {k.lower(): k for k in self.keys}
        return self._lower

    def rules(self) -> List[Dict[str, Any]]:
        if self._rules is None:
            span = self.rules_span
            block = json.loads(self.text[span[0] : span[1]]) if span else None
            rules = block.get("rules") if isinstance(block, dict) else None
            self._rules = [r for r in rules if isinstance(r, dict)] if isinstance(rules, list) else []
        return self._rules


def _sparse_table() -> Optional[_Sparse]:
    global _sparse, _sparse_failed
    if _sparse is None and not _sparse_failed:
        with _LOCK:
            if _sparse is None and not _sparse_failed:
                try:
                    with open(INDEX_PATH, encoding="utf-8") as file:
                        index = json.load(file)
                    with open(_PATH, "rb") as file:
                        text: Any = file.read()
                    if not index.get("ascii"):  # spans count characters: slice the decoded text
                        text = text.decode("utf-8")
                    if index.get("size") != len(text):
                        raise ValueError("the index is not this table's")
                    _sparse = _Sparse(text, index)
                except (OSError, ValueError, KeyError, TypeError, IndexError, UnicodeDecodeError):
                    _sparse_failed = True
    return _sparse


def _finalise(raw: Dict[str, Any]) -> Dict[str, Any]:
    """What litellm does to the file when it loads it: the generalisation rules come out of the
    table, and alias rows (``alias_of``) and ``aliases`` lists become names for their owner's entry
    (the same dict object under every name, without the alias keys)."""
    global _rules
    block = raw.pop("fallback_generalizations", None)
    rules = block.get("rules") if isinstance(block, dict) else None
    _rules = [r for r in rules if isinstance(r, dict)] if isinstance(rules, list) else []
    pointers = {name: t for name, info in raw.items() if isinstance(t := info.get("alias_of"), str)}
    owners: Dict[str, str] = {}
    listing: List[str] = []
    for name, info in raw.items():
        aliases = info.get("aliases")
        if aliases is None or name in pointers:
            continue
        listing.append(name)
        if not isinstance(aliases, list):
            continue
        for alias in aliases:
            if (alias in raw and alias not in pointers) or alias in owners:
                continue  # litellm warns and skips an alias that collides
            owners[alias] = name
    for alias, target in pointers.items():
        if target in raw and target not in pointers and alias not in owners:
            owners[alias] = target
    for name in listing:
        raw[name].pop("aliases", None)
    for alias in pointers.keys() - owners.keys():
        raw.pop(alias)
    for alias, owner in owners.items():
        raw[alias] = raw[owner]
    return raw


def touch() -> None:
    """The table changed (register_model): rebuild derived lookups on next use."""
    global _lower, _generation
    _lower = None
    _generation += 1


def generation() -> int:
    return _generation


def lowercase_keys() -> Dict[str, str]:
    """lower-cased key -> key, for litellm's case-insensitive fallback lookup."""
    global _lower
    table = model_cost()
    lower = _lower
    if lower is None or len(lower) != len(table):
        lower = {k.lower(): k for k in table}
        _lower = lower
    return lower


def build_index(text: str) -> Dict[str, Any]:
    """The index of the table file ``text`` (``tools/refresh_model_prices.py`` writes it): the
    finalised table's keys in order, each with the span of the JSON text of the entry it names."""
    decoder = json.JSONDecoder()
    members: Dict[str, Tuple[int, int]] = {}
    pos = text.index("{") + 1
    while True:
        pos = _skip(text, pos)
        if text[pos] == "}":
            break
        key, pos = json.decoder.scanstring(text, pos + 1)  # type: ignore[attr-defined]
        pos = _skip(text, _skip(text, pos) + 1)  # past the colon
        _, end = decoder.raw_decode(text, pos)
        members[key] = (pos, end)
        pos = _skip(text, end)
        if text[pos] == ",":
            pos += 1
    raw = json.loads(text)
    source = {id(value): key for key, value in raw.items()}
    saved = list(_rules)
    final = _finalise(raw)
    _rules[:] = saved  # _finalise sets the live rules: leave them as they were
    owners: List[str] = [source[id(value)] for value in final.values()]
    spans = sorted(set(owners), key=lambda k: members[k][0])
    slot = {k: i for i, k in enumerate(spans)}
    rules = members.get("fallback_generalizations")
    return {
        "size": len(text),
        "ascii": text.isascii(),  # then character spans are byte spans: the file is read as bytes
        "keys": list(final),
        "owners": [slot[k] for k in owners],
        "spans": [list(members[k]) for k in spans],
        "rules": list(rules) if rules else None,
    }


def _skip(text: str, pos: int) -> int:
    while text[pos] in " \t\r\n":
        pos += 1
    return pos
