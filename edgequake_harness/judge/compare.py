"""One `compare()`: both observations normalised, then diffed section by section (judge/tree_diff).

Sections: `response` (model_dump), `attributes` (where attribute access disagrees with the dump),
`cost` (the response's ``_hidden_params["response_cost"]``, litellm's price from its table),
`chunks` (each stream chunk, in order), `assembled` (stream_chunk_builder), `exception` (class,
openai base, status_code, llm_provider, model, normalised message), `requests` (what the replay
server received: method, path, query, JSON body semantically, auth header names). Differences are
reported in deepdiff's vocabulary (`values_changed`, `dictionary_item_added`, ...); ADR 0015 says
why the walk is ours.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any, Dict, List, Optional, Sequence
from urllib.parse import parse_qs

from edgequake_harness.judge.normalise import Normaliser, render_path
from edgequake_harness.judge.tree_diff import tree_diff

SECTIONS = ("response", "attributes", "cost", "chunks", "assembled", "exception", "identity", "requests")
# Header names that carry credentials; which one a target uses is part of the wire contract.
AUTH_HEADERS = ("authorization", "api-key", "x-api-key", "x-goog-api-key")
CLOCK_KEYS = frozenset({"created", "created_at"})
CLOCK = "<clock>"


def unclocked(value: Any) -> Any:
    """Wall-clock stamps (`created`, `created_at` in epoch seconds) inside a reported value as CLOCK,
    so the report of a re-run, or of a shard, is the same bytes: the policy leaves those unmasked
    where both sides stamp the same second (an equal value is no difference), yet they change from
    run to run."""
    if isinstance(value, dict):
        return {
            k: CLOCK if k in CLOCK_KEYS and isinstance(v, (int, float)) and v >= 1e9 else unclocked(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [unclocked(v) for v in value]
    return value


@dataclass(frozen=True)
class Diff:
    kind: str  # values_changed, type_changes, dictionary_item_added, ... (judge/tree_diff)
    path: str  # section-rooted path, e.g. chunks[2].choices[0].delta.content
    reference: Any = None
    candidate: Any = None

    def to_json(self) -> Dict[str, Any]:
        # A value that holds a clock (a whole response one side lacks) is reported without it; a
        # difference *of* clocks is a scalar at its own path and is shown as it is.
        out = asdict(self)
        out["reference"], out["candidate"] = unclocked(self.reference), unclocked(self.candidate)
        return out

    def describe(self, width: int = 200) -> str:
        left, right = _short(self.reference, width), _short(self.candidate, width)
        return f"{self.path}: {self.kind}: reference={left} candidate={right}"


def _short(value: Any, width: int) -> str:
    text = json.dumps(value, ensure_ascii=False, default=repr) if not isinstance(value, str) else repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def request_view(method: str, target: str, headers: Dict[str, List[str]], body: bytes) -> Dict[str, Any]:
    """A received request reduced to what the wire contract is about (no ports, no user-agents)."""
    path, _, query = target.partition("?")
    try:
        parsed: Any = json.loads(body) if body else None
    except (ValueError, UnicodeDecodeError):
        parsed = {"<raw>": body.decode("utf-8", "replace")}
    return {
        "method": method,
        "path": path,
        "query": {k: sorted(v) for k, v in sorted(parse_qs(query, keep_blank_values=True).items())},
        "json": parsed,
        "auth": sorted(name for name in AUTH_HEADERS if name in headers),
    }


def view(observation: Dict[str, Any], sections: Sequence[str] = SECTIONS) -> Dict[str, Any]:
    """The comparable part of an observation (an `Observation.to_json()`)."""
    return {section: observation.get(section) for section in sections}


def compare(
    reference: Dict[str, Any],
    candidate: Dict[str, Any],
    normaliser: Normaliser,
    sections: Sequence[str] = SECTIONS,
) -> List[Diff]:
    """Differences between two observations after normalisation, in a stable order."""
    left = normaliser.apply(view(reference, sections))
    right = normaliser.apply(view(candidate, sections))
    epsilon: Optional[float] = normaliser.policy.float_tolerance or None
    diffs = [
        Diff(kind, render_path(list(path)), a, b) for kind, path, a, b in tree_diff(left, right, epsilon)
    ]
    return sorted(diffs, key=lambda d: (SECTIONS.index(d.path.split(".")[0].split("[")[0]), d.path, d.kind))
