"""Shards: split one run's cases into `n` disjoint parts that CI machines judge in parallel.

`--shard i/n` (CLI) and `--compat-shard i/n` (pytest) keep shard `i` of `n` (1-based). The partition
is by sorted case id, dealt round robin: the k-th case id in sorted order goes to shard `k % n + 1`.
So it depends only on the selection (the same checkout and filters give the same shards on every
machine, whatever the file system's listing order), every selected case is in exactly one shard,
the shards' sizes differ by at most one, and all modes of a case travel together (a case id is
never split across shards, so the registry's per-case view and the gate's per-mode view both hold).

A shard report records `run.shard = {index, count, cases}` (`cases`: how many case ids the whole
selection has, where the run knows it) so that `merge` can tell a missing or doubled shard.
This module imports nothing heavy: the pytest plugin parses `--compat-shard` at configure time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Optional, TypeVar

T = TypeVar("T")

# Said where a shard's summary is shown (CLI and pytest): its stale entries are not final.
NOTE = "stale divergences are decided when the shards are merged (edgequake-harness merge)"
_FORM = re.compile(r"\A\s*(\d+)\s*/\s*(\d+)\s*\Z")


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """`i/n` with 1 <= i <= n; anything else is a ValueError that says what was expected."""
        match = _FORM.match(str(text))
        if match is None:
            raise ValueError(f"shard {text!r}: expected i/n with whole numbers, e.g. 1/4")
        index, count = int(match.group(1)), int(match.group(2))
        if count < 1:
            raise ValueError(f"shard {text!r}: the shard count must be at least 1")
        if not 1 <= index <= count:
            raise ValueError(f"shard {text!r}: the index must be between 1 and {count} (shards are 1-based)")
        return cls(index, count)

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def owns(self, position: int) -> bool:
        """Whether the case at this position of the sorted distinct ids is in this shard."""
        return position % self.count == self.index - 1

    def select(self, items: Iterable[T], case_id: Callable[[T], str]) -> List[T]:
        """The items whose case id falls in this shard, in their original order."""
        items = list(items)
        ids = sorted({case_id(item) for item in items})
        mine = {cid for position, cid in enumerate(ids) if self.owns(position)}
        return [item for item in items if case_id(item) in mine]

    def to_json(self, cases: Optional[int] = None) -> Dict[str, Any]:
        out: Dict[str, Any] = {"index": self.index, "count": self.count}
        if cases is not None:
            out["cases"] = cases
        return out


def from_report(run: Dict[str, Any]) -> Optional[Shard]:
    """The shard a report's `run` block says it judged, or None for a whole (unsharded) run."""
    raw = run.get("shard")
    if not isinstance(raw, dict):
        return None
    try:
        return Shard.parse(f"{raw.get('index')}/{raw.get('count')}")
    except ValueError:
        return None
