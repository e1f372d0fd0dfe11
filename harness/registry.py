"""The divergence registry: reviewed, justified differences between candidate and reference.

    version: 1
    divergences:
      - case: "groq/*"                      # glob over case ids (provider/feature/name)
        path: "response.service_tier"       # policy path notation; covers that node and below
        reason: "litellm 1.110.2 raises on Groq bodies without service_tier (replay-notes.md)"

A registered divergence must still differ: an entry that matched judged cases but covered no
difference in the whole run is stale, and stale entries fail the gate. It is never a place to
hide work: every entry needs a reason.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Pattern, Sequence, Tuple

from harness.compare import Diff
from harness.normalise import path_regex


@dataclass(frozen=True)
class Entry:
    case: str
    path: str
    reason: str

    def covers_case(self, case_id: str) -> bool:
        return fnmatch.fnmatchcase(case_id, self.case)

    def covers(self, diff: Diff) -> bool:
        exact, below = _regexes(self.path)
        return bool(exact.match(diff.path) or below.match(diff.path))

    def to_json(self) -> Dict[str, str]:
        return {"case": self.case, "path": self.path, "reason": self.reason}


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
        self._used: Dict[int, int] = {}  # entry index -> differences covered this run
        self._matched: Dict[int, List[str]] = {}  # entry index -> judged cases it applied to

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
            entries.append(Entry(str(item["case"]), str(item["path"]), str(item["reason"])))
        return cls(entries, str(path))

    def split(self, case_id: str, diffs: Sequence[Diff]) -> Tuple[List[Diff], List[Dict[str, Any]]]:
        """(unregistered diffs, registered [{diff, entry}]) for one judged case; records usage."""
        applicable = [(i, e) for i, e in enumerate(self.entries) if e.covers_case(case_id)]
        for i, _ in applicable:
            self._matched.setdefault(i, []).append(case_id)
        unregistered, registered = [], []
        for diff in diffs:
            hit = next(((i, e) for i, e in applicable if e.covers(diff)), None)
            if hit is None:
                unregistered.append(diff)
            else:
                self._used[hit[0]] = self._used.get(hit[0], 0) + 1
                registered.append({"diff": diff.to_json(), "entry": hit[1].to_json()})
        return unregistered, registered

    def stale(self) -> List[Dict[str, Any]]:
        """Entries that applied to judged cases this run but no longer covered any difference."""
        return [
            {**entry.to_json(), "cases": self._matched[i]}
            for i, entry in enumerate(self.entries)
            if i in self._matched and not self._used.get(i)
        ]
