"""Apply the declarative normalisation policy (policy.yaml) to an observation before diffing.

The policy is data so that what the diff ignores is reviewed in one place; this module only knows
how to apply the four kinds of entry (missing == None, volatile, ignore, rewrites).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Pattern, Sequence, Tuple

DEFAULT_POLICY = Path(__file__).with_name("policy.yaml")
VOLATILE = "<volatile>"


def path_regex(pattern: str) -> Pattern[str]:
    """`chunks[*].usage.*` -> a regex over rendered paths such as `chunks[3].usage.cost`."""
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("[*]", i):
            out.append(r"\[\d+\]")
            i += 3
        elif pattern.startswith("**", i):
            out.append(r".*")
            i += 2
        elif pattern[i] == "*":
            out.append(r"[^.\[]+")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


@dataclass(frozen=True)
class Rewrite:
    paths: Tuple[Pattern[str], ...]
    pattern: Pattern[str]
    replace: str


@dataclass(frozen=True)
class Policy:
    missing_equals_none: bool = True
    float_tolerance: float = 0.0
    volatile: Tuple[str, ...] = ()
    ignore: Tuple[str, ...] = ()
    rewrites: Tuple[Rewrite, ...] = ()
    providers: Dict[str, Dict[str, Tuple[str, ...]]] = field(default_factory=dict)

    def for_case(self, provider: str, extra_volatile: Sequence[str] = ()) -> Normaliser:
        entry = self.providers.get(provider, {})
        volatile = (*self.volatile, *entry.get("volatile", ()), *extra_volatile)
        ignore = (*self.ignore, *entry.get("ignore", ()))
        return Normaliser(self, _compile(volatile), _compile(ignore))


def _compile(patterns: Iterable[str]) -> Tuple[Pattern[str], ...]:
    return tuple(path_regex(p) for p in patterns)


def load_policy(path: Optional[Path] = None) -> Policy:
    import yaml

    source = path or DEFAULT_POLICY
    raw = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    if raw.get("version") != 1:
        raise ValueError(f"{source}: unsupported policy version {raw.get('version')!r}")
    rewrites = tuple(
        Rewrite(_compile(r.get("paths") or ["**"]), re.compile(r["pattern"]), r.get("replace", ""))
        for r in raw.get("rewrites") or []
    )
    providers = {
        name: {kind: tuple(entry.get(kind) or ()) for kind in ("volatile", "ignore")}
        for name, entry in (raw.get("providers") or {}).items()
    }
    return Policy(
        missing_equals_none=bool(raw.get("missing_equals_none", True)),
        float_tolerance=float(raw.get("float_tolerance", 0.0)),
        volatile=tuple(raw.get("volatile") or ()),
        ignore=tuple(raw.get("ignore") or ()),
        rewrites=rewrites,
        providers=providers,
    )


class Normaliser:
    def __init__(
        self, policy: Policy, volatile: Tuple[Pattern[str], ...], ignore: Tuple[Pattern[str], ...]
    ) -> None:
        self.policy, self._volatile, self._ignore = policy, volatile, ignore

    def apply(self, value: Any, path: str = "") -> Any:
        """A normalised deep copy of `value`, whose location is `path`."""
        if path and _matches(self._volatile, path):
            return None if value is None else VOLATILE
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                sub = f"{path}.{key}" if path else str(key)
                if _matches(self._ignore, sub):
                    continue
                if item is None and self.policy.missing_equals_none:
                    continue
                out[key] = self.apply(item, sub)
            return out
        if isinstance(value, list):
            return [self.apply(item, f"{path}[{i}]") for i, item in enumerate(value)]
        if isinstance(value, str):
            return self._rewrite(value, path)
        return value

    def _rewrite(self, text: str, path: str) -> str:
        for rule in self.policy.rewrites:
            if _matches(rule.paths, path):
                text = rule.pattern.sub(rule.replace, text)
        return text


def _matches(patterns: Sequence[Pattern[str]], path: str) -> bool:
    return any(p.match(path) for p in patterns)


def render_path(parts: List[Any]) -> str:
    """A diff path (keys and indices) -> the policy's notation (`chunks[2].choices[0].delta`)."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
