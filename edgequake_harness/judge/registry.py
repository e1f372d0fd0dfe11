"""The divergence registry: reviewed, justified differences between candidate and reference.

    version: 1
    divergences:
      - case: "groq/*"                      # glob over case ids (provider/feature/name)
        path: "response.service_tier"       # policy path notation; covers that node and below
        reason: "litellm 1.110.2 raises on Groq bodies without service_tier (replay-notes.md)"
        mode: async                         # optional: only in this consumption mode (default: both)

A registered divergence must still differ: an entry that matched judged cases but covered no
difference in the whole run is stale, and stale entries fail the gate. It is never a place to
hide work: every entry needs a reason.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Pattern, Sequence, Tuple

from edgequake_harness.cassettes.case import MODES
from edgequake_harness.judge.compare import Diff
from edgequake_harness.judge.normalise import path_regex


@dataclass(frozen=True)
class Entry:
    case: str
    path: str
    reason: str
    mode: Optional[str] = None  # None: both modes

    def covers_case(self, case_id: str, mode: Optional[str] = None) -> bool:
        # A call variant ("sync/env") is judged in its consumption mode's entries too.
        in_mode = self.mode is None or mode is None or self.mode in (mode, mode.partition("/")[0])
        return in_mode and fnmatch.fnmatchcase(case_id, self.case)

    def covers(self, diff: Diff) -> bool:
        exact, below = _regexes(self.path)
        return bool(exact.match(diff.path) or below.match(diff.path))

    def to_json(self) -> Dict[str, str]:
        out = {"case": self.case, "path": self.path, "reason": self.reason}
        if self.mode is not None:
            out["mode"] = self.mode
        return out


_CACHE: Dict[str, Tuple[Pattern[str], Pattern[str]]] = {}


def _regexes(path: str) -> Tuple[Pattern[str], Pattern[str]]:
    if path not in _CACHE:
        exact = path_regex(path)
        below = re.compile(exact.pattern[: -len(r"\Z")] + r"(?:\.|\[).*\Z")
        _CACHE[path] = (exact, below)
    return _CACHE[path]


class Registry:
    def __init__(self, entries: Sequence[Entry] = (), source: Optional[str] = None) -> None:
        self.entries = list(entries)
        self.source = source

    @classmethod
    def load(cls, path: Optional[Path]) -> Registry:
        if path is None or not path.exists():
            return cls(source=str(path) if path else None)
        import yaml

        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if raw.get("version", 1) != 1 or not isinstance(raw.get("divergences", []), list):
            raise ValueError(f"{path}: expected 'version: 1' and a 'divergences' list")
        entries = []
        for i, item in enumerate(raw.get("divergences") or []):
            missing = {"case", "path", "reason"} - set(item or {})
            if missing or not str(item.get("reason", "")).strip():
                raise ValueError(f"{path}: divergences[{i}] needs case, path and a non-empty reason")
            mode = item.get("mode")
            if mode is not None and mode not in MODES:
                raise ValueError(f"{path}: divergences[{i}]: mode must be one of {', '.join(MODES)}")
            entries.append(Entry(str(item["case"]), str(item["path"]), str(item["reason"]), mode))
        return cls(entries, str(path))

    def split(
        self, case_id: str, diffs: Sequence[Diff], mode: Optional[str] = None
    ) -> Tuple[List[Diff], List[Dict[str, Any]]]:
        """(unregistered diffs, registered [{diff, entry}]) for one judged case in one mode."""
        applicable = [e for e in self.entries if e.covers_case(case_id, mode)]
        unregistered, registered = [], []
        for diff in diffs:
            entry = next((e for e in applicable if e.covers(diff)), None)
            if entry is None:
                unregistered.append(diff)
            else:
                registered.append({"diff": diff.to_json(), "entry": entry.to_json()})
        return unregistered, registered

    def stale(self, judged: Iterable[Tuple[str, str, Sequence[Dict[str, Any]]]]) -> List[Dict[str, Any]]:
        """Entries that applied to judged cases but covered no difference in any of them.

        `judged` is (case id, mode, registered pairs) for every case and mode whose two sides were
        compared. It is computed from results, not from state kept while running, so that results
        gathered from pytest-xdist workers give the same answer as a single-process run. An entry
        for both modes is stale only if it covered nothing in either.
        """
        judged = list(judged)
        stale = []
        for entry in self.entries:
            cases = [f"{i} [{m}]" for i, m, _ in judged if entry.covers_case(i, m)]
            used = any(pair["entry"] == entry.to_json() for _, _, pairs in judged for pair in pairs)
            if cases and not used:
                stale.append({**entry.to_json(), "cases": cases})
        return stale
