"""Which recorded interaction answers a live request: method + path, in recorded order.

Host, scheme, port, query strings and fragments are ignored on purpose: the targets talk to
127.0.0.1, some SDKs add or reorder query parameters (`api-version`, `alt=sse`, `beta=true`), and
Mistral's SDK records a `#stream` fragment. Recorded order matters because a retry must get the
*next* recording for the same endpoint (a 429 then a 200), never the same one twice.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import List, Optional, Sequence
from urllib.parse import unquote, urlsplit

from edgequake_harness.cassettes.formats import Interaction


def endpoint_key(method: str, target: str) -> str:
    """`METHOD /path` for a request target or full URI, without query, fragment or trailing slash."""
    path = unquote(urlsplit(target).path or "/")
    if len(path) > 1:
        path = path.rstrip("/")
    return f"{method.upper()} {path}"


@dataclass(frozen=True)
class Miss:
    """Why nothing matched, and the recorded request a human would most likely have meant."""

    key: str
    closest_key: Optional[str]
    closest_index: Optional[int]
    closest_served: bool

    def describe(self) -> str:
        if self.closest_key is None:
            return f"no recorded interaction for {self.key}: the cassette has none"
        state = "already served" if self.closest_served else "not yet served"
        if self.closest_key == self.key:
            return (
                f"no unserved recorded interaction for {self.key}: every recording of it was already "
                f"served (closest: interaction {self.closest_index}, {state})"
            )
        return (
            f"no recorded interaction for {self.key}; closest recorded request: {self.closest_key} "
            f"(interaction {self.closest_index}, {state})"
        )


class Matcher:
    """Hands out recorded interactions in order; each is served at most once."""

    def __init__(self, interactions: Sequence[Interaction]) -> None:
        self._interactions = list(interactions)
        self._keys = [endpoint_key(i.request.method, i.request.uri) for i in self._interactions]
        self._served: List[bool] = [False] * len(self._interactions)

    def take(self, method: str, target: str) -> tuple[Optional[int], Optional[Miss]]:
        key = endpoint_key(method, target)
        for index, candidate in enumerate(self._keys):
            if candidate == key and not self._served[index]:
                self._served[index] = True
                return index, None
        return None, self._miss(key)

    def interaction(self, index: int) -> Interaction:
        return self._interactions[index]

    def _miss(self, key: str) -> Miss:
        if not self._keys:
            return Miss(key, None, None, False)
        scores = [
            (difflib.SequenceMatcher(None, key, candidate).ratio(), -index, index)
            for index, candidate in enumerate(self._keys)
        ]
        _, _, best = max(scores)
        return Miss(key, self._keys[best], best, self._served[best])
