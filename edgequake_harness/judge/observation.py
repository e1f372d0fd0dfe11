"""What a target did with one call, as plain JSON data.

Everything here turns live objects (responses, chunks, exceptions) into data at once, so that
observations can be normalised, diffed, written to reports and sent across pytest-xdist workers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Optional


@dataclass
class Observation:
    """What one target did with one call; every field is JSON data."""

    response: Optional[Dict[str, Any]] = None  # model_dump() of a non-stream result
    attributes: Dict[str, Any] = field(default_factory=dict)  # paths where attribute access != dump
    # what the target priced a non-stream response at (its _hidden_params["response_cost"])
    cost: Optional[Dict[str, Any]] = None
    chunks: Optional[List[Dict[str, Any]]] = None  # model_dump() of each stream chunk
    assembled: Optional[Dict[str, Any]] = None  # stream_chunk_builder(chunks).model_dump()
    exception: Optional[Dict[str, Any]] = None  # describe_exception(...)
    # the things the user gets (exception, response, stream, chunks, assembled) that are another
    # library's objects where the target has its own class of that name (judge.identity)
    identity: Dict[str, Any] = field(default_factory=dict)
    phase: Optional[str] = None  # where the exception happened: call, stream, assemble, harness
    delegated: Optional[str] = None  # reason, when the target says it delegated the call
    requests: List[Dict[str, Any]] = field(default_factory=list)  # what the server received (runner)
    misses: List[str] = field(default_factory=list)  # requests the cassette could not answer (runner)
    sandbox: List[str] = field(default_factory=list)  # outside connections, leaked canaries (run.sandbox)
    duration_s: float = 0.0

    def to_json(self) -> Dict[str, Any]:
        return asdict(self)


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


def priced(obj: Any) -> Optional[Dict[str, Any]]:
    """The cost a target put on a response, when it keeps litellm's ``_hidden_params`` bookkeeping."""
    hidden = getattr(obj, "_hidden_params", None)
    if isinstance(hidden, dict) and hidden.get("response_cost") is not None:
        return {"response_cost": _jsonable(hidden["response_cost"])}
    return None  # unpriced, or no bookkeeping: nothing to compare


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
