"""Cases: a cassette, the call it reproduces, and the optional metadata file beside it.

A case's metadata lives next to its cassette as `<stem>.case.yaml` (for `foo.yaml`, `foo.har` or
`foo.json`):

    provider: openai            # report row; default: derived from the recorded host. Also read
                                # as the provider of every recorded request, whatever its host
                                # (127.0.0.1, a private gateway)
    route: hosted_vllm          # litellm's model prefix for such recordings (default: the
                                # provider's own; `openai` for a provider the harness does not know)
    request: {method: POST, path: /v1/chat/completions}   # response-only fixtures: what to answer
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
    mode: async                 # judge in this mode only (default: both sync and async)

Loading a case never raises: anything wrong becomes a skip with the reason, so one bad file can
neither crash a run nor pass silently. Discovery accounts for every file under a cassette directory:
each is a case (loaded, or skipped with the reason: an unknown file type, unreadable bytes, metadata
with no cassette beside it), except the library's own files (`LIBRARY_FILES`, and metadata beside
its cassette), which are known not to be cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from edgequake_harness.cassettes.derive import Call, ExplicitCall, Unsupported, derive_call
from edgequake_harness.cassettes.fixtures import FORMAT as RESPONSE_ONLY
from edgequake_harness.cassettes.fixtures import fixture_call
from edgequake_harness.cassettes.formats import CASSETTE_SUFFIXES, Cassette, CassetteError, load_cassette
from edgequake_harness.cassettes.providers import Provider, provider_for_host, stated_provider
from edgequake_harness.modes import CONSUMPTION_MODES

META_SUFFIX = ".case.yaml"
# The library's own files: they live among cassettes and are known not to be cases.
LIBRARY_FILES: Dict[str, str] = {
    "divergences.yaml": "the divergence registry",
    "divergences.yml": "the divergence registry",
    "coverage-gaps.yaml": "the coverage-gap reasons",
    "PROVENANCE.tsv": "the provenance table",
    "EXCLUDED.tsv": "the list of corpus files not imported",
    "NOTICE.md": "the library's credits and licenses",
    "README.md": "documentation",
}
RESERVED_NAMES = frozenset(LIBRARY_FILES)  # kept for callers of the old name
# The retry policy the oracle notes recommend: one attempt, so a recorded 429 is seen as a 429.
DEFAULT_KWARGS: Dict[str, Any] = {"max_retries": 0}
MODES = CONSUMPTION_MODES


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
    route: Optional[str] = None
    request: Optional[Tuple[str, str]] = None  # (method, path) for a response-only fixture

    def stated_provider(self) -> Optional[Provider]:
        """The provider this metadata names for every recorded request, if it names one."""
        if self.provider is None and self.route is None:
            return None
        return stated_provider(self.provider or str(self.route), self.route)


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
    """Every file under the given files or directories that may be a case, sorted.

    A directory's files are all listed except the library's own (`is_library_file`); a file named
    explicitly is always listed, so that what it yields (or why it yields nothing) is reported.
    """
    found = set()
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            found.add(path)
            continue
        for candidate in path.rglob("*"):
            if candidate.is_file() and not is_library_file(candidate):
                found.add(candidate)
    return sorted(found)


def is_library_file(path: Path) -> bool:
    """One of the library's own files, or case metadata with its cassette beside it."""
    if path.name in LIBRARY_FILES:
        return True
    return path.name.endswith(META_SUFFIX) and cassette_beside(path) is not None


def cassette_beside(metadata: Path) -> Optional[Path]:
    stem = metadata.name[: -len(META_SUFFIX)]
    for suffix in CASSETTE_SUFFIXES:
        candidate = metadata.with_name(stem + suffix)
        if candidate.is_file():
            return candidate
    return None


def meta_path(cassette_path: Path) -> Path:
    return cassette_path.with_name(cassette_path.stem + META_SUFFIX)


def not_a_cassette(path: Path) -> Optional[str]:
    """Why a discovered file is not a cassette at all, or None when it may be one."""
    if path.name in LIBRARY_FILES:
        return f"{path}: {LIBRARY_FILES[path.name]}, not a cassette"
    if path.name.endswith(META_SUFFIX):
        if cassette_beside(path) is not None:
            return f"{path}: case metadata, not a cassette (its case is {cassette_beside(path)})"
        stem = path.name[: -len(META_SUFFIX)]
        return (
            f"{path}: case metadata with no cassette beside it (no {stem}{{{','.join(CASSETTE_SUFFIXES)}}})"
        )
    if path.suffix.lower() not in CASSETTE_SUFFIXES:
        kind = f"'{path.suffix}'" if path.suffix else "no suffix"
        return f"{path}: not a cassette ({kind}; cassettes are {', '.join(CASSETTE_SUFFIXES)} files)"
    return None


def load_meta(cassette_path: Path) -> CaseMeta:
    """The case metadata beside a cassette; raises CassetteError naming the file if it is malformed."""
    path = meta_path(cassette_path)
    if not path.exists():
        return CaseMeta()
    import yaml

    from edgequake_harness.cassettes.bounded_yaml import YamlBoundsError, load

    try:
        raw = load(path.read_text(encoding="utf-8"), getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError, YamlBoundsError) as exc:
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
        "route",
        "request",
    }
    if unknown:
        raise CassetteError(path, f"unknown case metadata keys: {', '.join(sorted(unknown))}")
    if raw.get("mode") not in (None, *MODES):
        raise CassetteError(path, f"'mode' must be one of {', '.join(MODES)}")
    _check_types(path, raw)
    call = raw.get("call")
    explicit = None
    if call is not None:
        if not isinstance(call, dict) or not {"function", "model"} <= set(call):
            raise CassetteError(path, "'call' needs at least 'function' and 'model'")
        if not isinstance(call.get("kwargs") or {}, dict):
            raise CassetteError(path, "'call.kwargs' must be a mapping of keyword arguments")
        base_path = call.get("base_path")
        if base_path is not None:
            problem = base_path_problem(base_path)
            if problem:
                raise CassetteError(path, f"'call.base_path': {problem}")
        explicit = ExplicitCall(
            str(call["function"]),
            str(call["model"]),
            dict(call.get("kwargs") or {}),
            base_path,
            call.get("provider"),
        )
    request = raw.get("request")
    if request is not None:
        if not isinstance(request, dict) or not isinstance(request.get("path") or request.get("uri"), str):
            raise CassetteError(path, "'request' needs a 'path' (and optionally 'method')")
        request = (str(request.get("method") or "POST"), str(request.get("path") or request.get("uri")))
    return CaseMeta(
        provider=raw.get("provider"),
        feature=raw.get("feature"),
        skip=raw.get("skip"),
        interaction=raw.get("interaction"),
        kwargs=dict(raw.get("kwargs") or {}),
        call=explicit,
        volatile=tuple(raw.get("volatile") or ()),
        mode=raw.get("mode"),
        route=raw.get("route"),
        request=request,
    )


# Metadata keys and the types they must have (None is always allowed: the key is then unset);
# `notes` is free-form.
_META_TYPES: Dict[str, Tuple[type, ...]] = {
    "provider": (str,),
    "feature": (str,),
    "route": (str,),
    "skip": (str,),
    "kwargs": (dict,),
    "volatile": (list,),
}


_TYPE_WORDS = {dict: "a mapping", list: "a list", str: "a string"}


def _check_types(path: Path, raw: Dict[str, Any]) -> None:
    for key, types in _META_TYPES.items():
        value = raw.get(key)
        if value is not None and not isinstance(value, types):
            wanted = " or ".join(_TYPE_WORDS[t] for t in types)
            raise CassetteError(path, f"'{key}' must be {wanted}, got {type(value).__name__} {value!r:.60}")
    interaction = raw.get("interaction")
    if interaction is not None and (type(interaction) is not int or interaction < 0):
        raise CassetteError(
            path, f"'interaction' must be a recorded request's index (0, 1, ...), got {interaction!r:.60}"
        )
    if not all(isinstance(v, str) for v in raw.get("volatile") or ()):
        raise CassetteError(path, "'volatile' must be a list of paths (strings)")


# Any host would do: what matters is that appending the path cannot change it.
_PROBE_BASE = "http://127.0.0.1:9"


def base_path_problem(base_path: Any) -> Optional[str]:
    """Why a case's ``base_path`` is refused, or None. It is appended to the replay server's URL, so
    it must be a path on that server: a value such as ``@host:port`` or ``.evil.example`` would turn
    the loopback URL into another host's and send both targets (and their keys) there."""
    from urllib.parse import urlsplit

    if not isinstance(base_path, str):
        return f"must be a string, got {type(base_path).__name__}"
    if base_path and (not base_path.startswith("/") or base_path.startswith("//")):
        return f"must be empty or a path starting with a single '/', got {base_path!r:.60}"
    if any(ch in base_path for ch in "\\@") or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in base_path):
        return f"must not contain '\\', '@', spaces or control characters, got {base_path!r:.60}"
    probe = urlsplit(_PROBE_BASE + base_path)
    if (probe.hostname, probe.port) != ("127.0.0.1", 9):
        return f"would leave the replay server ({base_path!r:.60})"
    return None


def load_case(path: Path) -> Case:
    """Load a cassette and derive its case; problems become the case's skip reason."""
    fallback_provider = path.parent.name
    problem = not_a_cassette(path)
    if problem is not None:
        return Case(fallback_provider, "unknown", path.name, path, skip=problem)
    try:
        return _load_case(path, fallback_provider)
    except Exception as exc:  # one bad file is one skipped case, never an aborted run
        reason = f"{path}: the harness cannot read this case ({type(exc).__name__}: {exc})"
        return Case(fallback_provider, "unknown", path.stem, path, skip=reason[:2000])


def _load_case(path: Path, fallback_provider: str) -> Case:
    name = path.stem
    try:
        meta = load_meta(path)
        cassette = load_cassette(path)
    except CassetteError as exc:
        return Case(fallback_provider, "unknown", name, path, skip=str(exc))
    provider = meta.provider or _provider_of(cassette) or fallback_provider
    try:
        if cassette.format == RESPONSE_ONLY:
            cassette, call = fixture_call(
                cassette, meta.call, meta.stated_provider(), meta.request, fallback_provider
            )
            call = replace(call, kwargs={**DEFAULT_KWARGS, **call.kwargs})
        else:
            stated = meta.stated_provider() if meta.call is None else None
            call = derive_call(cassette, meta.call, meta.interaction, DEFAULT_KWARGS, stated)
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
    if call.function == "rerank":
        return "other"
    if call.stream:
        return "stream"
    if call.kwargs.get("tools") or call.kwargs.get("functions"):
        return "tools"
    if any(_has_image(m) for m in _messages(call)):
        return "vision"
    text = call.kwargs.get("text") if call.function == "responses" else None
    text_format = text.get("format") if isinstance(text, dict) else None
    if call.kwargs.get("response_format") or (
        isinstance(text_format, dict) and text_format.get("type") != "text"
    ):
        return "json"
    return "chat"


def _messages(call: Call) -> List[Any]:
    """The chat messages of a call: `messages`, or a Responses call's `input` items."""
    messages = call.kwargs.get("messages")
    if messages is None and call.function == "responses":
        messages = call.kwargs.get("input")
    return messages if isinstance(messages, list) else []


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
