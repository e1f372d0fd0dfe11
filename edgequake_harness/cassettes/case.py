"""Cases: a cassette, the call it reproduces, and the optional metadata file beside it.

A case's metadata lives next to its cassette as `<stem>.case.yaml` (for `foo.yaml` or `foo.har`):

    provider: openai            # report row; default: derived from the recorded host
    feature: stream             # report column; default: derived from the call and response
    skip: "why this case cannot run"
    interaction: 2              # which recorded request the call reproduces (default: first LLM one)
    kwargs: {max_retries: 2}    # merged over the derived kwargs (e.g. to state a retry policy)
    call:                       # replaces derivation entirely
      function: completion
      model: anthropic/claude-3-5-haiku-20241022
      kwargs: {messages: [...], max_tokens: 64}
      base_path: ""             # appended to the server URL for api_base (default: provider rule)
    volatile: [response.system_fingerprint]   # extra normalisation paths for this case only
    mode: async                 # consume with acompletion/async for (default: the run's mode, sync)

Loading a case never raises: anything wrong becomes a skip with the reason, so one bad file can
neither crash a run nor pass silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from edgequake_harness.cassettes.derive import Call, ExplicitCall, Unsupported, derive_call
from edgequake_harness.cassettes.formats import CASSETTE_SUFFIXES, Cassette, CassetteError, load_cassette
from edgequake_harness.cassettes.providers import provider_for_host

META_SUFFIX = ".case.yaml"
# Files that live among cassettes but are not cassettes.
RESERVED_NAMES = frozenset({"divergences.yaml", "divergences.yml", "coverage-gaps.yaml"})
# The retry policy the oracle notes recommend: one attempt, so a recorded 429 is seen as a 429.
DEFAULT_KWARGS: Dict[str, Any] = {"max_retries": 0}
MODES = ("sync", "async")


@dataclass(frozen=True)
class CaseMeta:
    provider: Optional[str] = None
    feature: Optional[str] = None
    skip: Optional[str] = None
    interaction: Optional[int] = None
    kwargs: Dict[str, Any] = field(default_factory=dict)
    call: Optional[ExplicitCall] = None
    volatile: Tuple[str, ...] = ()
    mode: Optional[str] = None


@dataclass(frozen=True)
class Case:
    provider: str
    feature: str
    name: str
    path: Path
    cassette: Optional[Cassette] = None
    call: Optional[Call] = None
    skip: Optional[str] = None
    meta: CaseMeta = field(default_factory=CaseMeta)

    @property
    def id(self) -> str:
        return f"{self.provider}/{self.feature}/{self.name}"


def discover(paths: Iterable[Path | str]) -> List[Path]:
    """Cassette files under the given files or directories, sorted for a stable order."""
    found = set()
    for raw in paths:
        path = Path(raw)
        candidates = [path] if path.is_file() else path.rglob("*")
        for candidate in candidates:
            if _is_cassette(candidate):
                found.add(candidate)
    return sorted(found)


def _is_cassette(path: Path) -> bool:
    return (
        path.is_file()
        and path.suffix in CASSETTE_SUFFIXES
        and not path.name.endswith(META_SUFFIX)
        and path.name not in RESERVED_NAMES
    )


def meta_path(cassette_path: Path) -> Path:
    return cassette_path.with_name(cassette_path.stem + META_SUFFIX)


def load_meta(cassette_path: Path) -> CaseMeta:
    """The case metadata beside a cassette; raises CassetteError naming the file if it is malformed."""
    path = meta_path(cassette_path)
    if not path.exists():
        return CaseMeta()
    import yaml

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise CassetteError(path, f"invalid case metadata ({exc})") from exc
    if not isinstance(raw, dict):
        raise CassetteError(path, "case metadata must be a mapping")
    unknown = set(raw) - {
        "provider",
        "feature",
        "skip",
        "interaction",
        "kwargs",
        "call",
        "volatile",
        "mode",
        "notes",
    }
    if unknown:
        raise CassetteError(path, f"unknown case metadata keys: {', '.join(sorted(unknown))}")
    if raw.get("mode") not in (None, *MODES):
        raise CassetteError(path, f"'mode' must be one of {', '.join(MODES)}")
    call = raw.get("call")
    explicit = None
    if call is not None:
        if not isinstance(call, dict) or not {"function", "model"} <= set(call):
            raise CassetteError(path, "'call' needs at least 'function' and 'model'")
        explicit = ExplicitCall(
            str(call["function"]),
            str(call["model"]),
            dict(call.get("kwargs") or {}),
            call.get("base_path"),
            call.get("provider"),
        )
    return CaseMeta(
        provider=raw.get("provider"),
        feature=raw.get("feature"),
        skip=raw.get("skip"),
        interaction=raw.get("interaction"),
        kwargs=dict(raw.get("kwargs") or {}),
        call=explicit,
        volatile=tuple(raw.get("volatile") or ()),
        mode=raw.get("mode"),
    )


def load_case(path: Path) -> Case:
    """Load a cassette and derive its case; problems become the case's skip reason."""
    fallback_provider = path.parent.name
    name = path.stem
    try:
        meta = load_meta(path)
        cassette = load_cassette(path)
    except CassetteError as exc:
        return Case(fallback_provider, "unknown", name, path, skip=str(exc))
    provider = meta.provider or _provider_of(cassette) or fallback_provider
    try:
        call = derive_call(cassette, meta.call, meta.interaction, DEFAULT_KWARGS)
    except Unsupported as exc:
        return Case(provider, meta.feature or "unknown", name, path, cassette, skip=str(exc), meta=meta)
    if meta.kwargs:  # stated by the case, so it wins over both derivation and defaults
        call = replace(call, kwargs={**call.kwargs, **meta.kwargs})
    if meta.mode:
        call = replace(call, mode=meta.mode)
    feature = meta.feature or derive_feature(cassette, call)
    return Case(meta.provider or call.provider, feature, name, path, cassette, call, meta.skip, meta)


def _provider_of(cassette: Cassette) -> Optional[str]:
    for recorded in cassette.interactions:
        provider = provider_for_host(recorded.request.host)
        if provider is not None:
            return provider.name
    return None


def derive_feature(cassette: Cassette, call: Call) -> str:
    """The corpus's primary-feature vocabulary: error, embedding, stream, tools, vision, json, chat."""
    if cassette.interactions[call.interaction].response.status >= 400:
        return "error"
    if call.function == "embedding":
        return "embedding"
    if call.stream:
        return "stream"
    if call.kwargs.get("tools") or call.kwargs.get("functions"):
        return "tools"
    if any(_has_image(m) for m in call.kwargs.get("messages") or []):
        return "vision"
    if call.kwargs.get("response_format"):
        return "json"
    return "chat"


def _has_image(message: Any) -> bool:
    content = message.get("content") if isinstance(message, dict) else None
    return isinstance(content, list) and any(
        isinstance(part, dict) and part.get("type") in ("image_url", "input_image") for part in content
    )


def collect(paths: Sequence[Path | str]) -> List[Case]:
    """All cases under the paths, with ids made unique in a stable way."""
    cases = [load_case(p) for p in discover(paths)]
    seen: Dict[str, int] = {}
    unique = []
    for case in cases:
        count = seen.get(case.id, 0)
        seen[case.id] = count + 1
        if count:
            case = replace(case, name=f"{case.name}~{count + 1}")
        unique.append(case)
    return unique
