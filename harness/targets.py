"""Targets: importable modules with litellm's API, run the way a user runs them.

A target is named by its module (`litellm`, `edgequake`, or any drop-in). Each call is made with
the same kwargs on every target, synchronously, and a stream is consumed chunk by chunk with a
plain `for` loop, then assembled with the target's own `stream_chunk_builder`, as users do.

What a run observes is plain JSON data (`Observation`), so it can be normalised, diffed, written
to reports and sent across pytest-xdist workers.

Optional hook for candidates that hand some providers to another library: a module-level
`__compat_delegates__(function: str, model: str) -> str | None` returning a reason when the
call is delegated. Such cases are reported as "delegated", never as conformant.
"""

from __future__ import annotations

import importlib
import os
import threading
import time
import warnings
from dataclasses import asdict, dataclass, field
from types import ModuleType
from typing import Any, Dict, List, Optional

from harness.derive import Call

PINNED_LITELLM = "1.110.2"
# litellm releases that shipped a credential stealer (oracle section 5): never import them.
COMPROMISED_LITELLM = frozenset({"1.82.7", "1.82.8"})
DEFAULT_DEADLINE_S = 60.0


class TargetError(Exception):
    """A target that cannot be used at all (not importable, compromised, not litellm-shaped)."""


def offline_environment() -> None:
    """Environment every target runs in: loopback only, litellm's classic Python path.

    Without these, litellm fetches its cost map at import and, for huggingface models, tries to
    download a tokenizer from the Hub when assembling a stream (retrying for ~25 s offline).
    """
    os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
    os.environ["LITELLM_RUST"] = "0"
    os.environ["HF_HUB_OFFLINE"] = "1"


@dataclass
class Observation:
    """What one target did with one call; every field is JSON data."""

    response: Optional[Dict[str, Any]] = None  # model_dump() of a non-stream result
    attributes: Dict[str, Any] = field(default_factory=dict)  # paths where attribute access != dump
    chunks: Optional[List[Dict[str, Any]]] = None  # model_dump() of each stream chunk
    assembled: Optional[Dict[str, Any]] = None  # stream_chunk_builder(chunks).model_dump()
    exception: Optional[Dict[str, Any]] = None  # describe_exception(...)
    phase: Optional[str] = None  # where the exception happened: call, stream, assemble, harness
    delegated: Optional[str] = None  # reason, when the target says it delegated the call
    requests: List[Dict[str, Any]] = field(default_factory=list)  # what the server received (runner)
    misses: List[str] = field(default_factory=list)  # requests the cassette could not answer (runner)
    duration_s: float = 0.0

    def to_json(self) -> Dict[str, Any]:
        return asdict(self)


class Target:
    def __init__(self, name: str, module: ModuleType, version: str) -> None:
        self.name, self.module, self.version = name, module, version

    @classmethod
    def load(cls, name: str) -> Target:
        offline_environment()
        try:
            module = importlib.import_module(name)
        except Exception as exc:  # any import failure makes the target unusable, with the reason
            raise TargetError(f"cannot import target {name!r}: {type(exc).__name__}: {exc}") from exc
        version = module_version(name, module)
        if name == "litellm" and version in COMPROMISED_LITELLM:
            raise TargetError(
                f"litellm {version} is a compromised release; install litellm=={PINNED_LITELLM}"
            )
        if not callable(getattr(module, "completion", None)):
            raise TargetError(f"target {name!r} has no completion() function: not litellm-compatible")
        if hasattr(module, "suppress_debug_info"):
            # litellm prints "Provider List"/"Give Feedback" banners on stdout otherwise.
            setattr(module, "suppress_debug_info", True)  # noqa: B010  (module attribute, not typed)
        return cls(name, module, version)

    def run(self, call: Call, server_url: str, deadline_s: float = DEFAULT_DEADLINE_S) -> Observation:
        """Run the call against the server; never raises (everything lands in the observation)."""
        observation = Observation()
        started = time.perf_counter()
        worker = threading.Thread(target=self._run, args=(call, server_url, observation), daemon=True)
        worker.start()
        # A target that hangs must not hang the run: it is abandoned (daemon thread) and reported.
        worker.join(deadline_s)
        if worker.is_alive():
            observation.exception = {
                "class": "HarnessTimeout",
                "message": f"no result after {deadline_s:.0f} s",
            }
            observation.phase = "harness"
        observation.duration_s = round(time.perf_counter() - started, 4)
        return observation

    def _run(self, call: Call, server_url: str, observation: Observation) -> None:
        # Targets warn about odd data (pydantic serializer warnings on base64 embeddings); that is
        # their business and must not turn into errors under `filterwarnings = error`.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self._call(call, server_url, observation)

    def _call(self, call: Call, server_url: str, observation: Observation) -> None:
        arguments = call.arguments(server_url)
        hook = getattr(self.module, "__compat_delegates__", None)
        if callable(hook):
            observation.delegated = hook(call.function, call.model) or None
        function = getattr(self.module, call.function, None)
        if not callable(function):
            observation.exception = {
                "class": "HarnessMissingFunction",
                "message": f"{self.name}.{call.function}",
            }
            observation.phase = "harness"
            return
        phase = "call"
        try:
            result = function(**arguments)
            if not call.stream:
                observation.response = dump(result)
                observation.attributes = attribute_mismatches(result, observation.response)
                return
            phase = "stream"
            chunks: List[Any] = []
            observation.chunks = []
            for chunk in result:
                chunks.append(chunk)
                observation.chunks.append(dump(chunk))
            phase = "assemble"
            builder = getattr(self.module, "stream_chunk_builder", None)
            if callable(builder):
                observation.assembled = dump(builder(chunks, messages=arguments.get("messages")))
        except BaseException as exc:  # the exception *is* the observation, whatever it is
            observation.exception = describe_exception(exc)
            observation.phase = phase


def module_version(name: str, module: ModuleType) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return str(getattr(module, "__version__", "unknown"))


def describe_exception(exc: BaseException) -> Dict[str, Any]:
    """The parts of an exception users rely on; the message is normalised later by the policy."""
    cls = type(exc)
    openai_base = next(
        (f"openai.{k.__name__}" for k in cls.__mro__ if k.__module__.split(".")[0] == "openai"), None
    )
    message = getattr(exc, "message", None)
    return {
        "class": cls.__name__,
        "openai_base": openai_base,
        "status_code": _jsonable(getattr(exc, "status_code", None)),
        "llm_provider": _jsonable(getattr(exc, "llm_provider", None)),
        "model": _jsonable(getattr(exc, "model", None)),
        "message": str(message if isinstance(message, str) else exc),
    }


def dump(obj: Any) -> Any:
    """model_dump() as plain JSON data (litellm's default is exclude_unset, which we keep)."""
    if hasattr(obj, "model_dump"):
        return _jsonable(obj.model_dump())
    return _jsonable(obj)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "model_dump"):
        return _jsonable(value.model_dump())
    return repr(value)


_MISSING = "<no attribute>"


def attribute_mismatches(obj: Any, dumped: Any, path: str = "") -> Dict[str, Any]:
    """Paths where `obj.a.b[0].c` disagrees with `model_dump()["a"]["b"][0]["c"]`.

    Users read responses by attribute (`response.choices[0].message.content`); a drop-in whose
    dump is right but whose attributes are not would pass a dump-only diff.
    """
    out: Dict[str, Any] = {}
    if isinstance(dumped, dict) and not isinstance(obj, dict):
        for key, value in dumped.items():
            child = getattr(obj, key, _MISSING)
            sub = f"{path}.{key}" if path else key
            if child is _MISSING:
                out[sub] = _MISSING
            else:
                out.update(attribute_mismatches(child, value, sub))
    elif isinstance(dumped, list) and isinstance(obj, (list, tuple)) and len(obj) == len(dumped):
        for index, (item, value) in enumerate(zip(obj, dumped)):
            out.update(attribute_mismatches(item, value, f"{path}[{index}]"))
    elif not isinstance(dumped, (dict, list)) and _jsonable(obj) != dumped:
        out[path] = _jsonable(obj)
    return out
