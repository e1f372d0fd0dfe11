"""Load recorded HTTP interactions from the cassette formats found in the corpus.

Formats: vcrpy YAML (`version: 1`, bodies as plain strings or `!!binary` gzip), pydantic-ai's variant
(JSON bodies stored parsed under `parsed_body`, sometimes without `version:`), HAR 1.2 (Polly.js), and
JSON files: a HAR log, a vcrpy cassette in vcrpy's JSON serialisation, or a response-only fixture
(`{status, headers, body}`, or a list of them, as JavaScript projects record; `fixtures.py`).

Everything is normalised once, here, so the replay server and call derivation never care which
format a case came from:
- header names are lower-cased; values are lists of strings;
- response bodies are bytes with gzip removed and `content-encoding: gzip` dropped, because corpus
  files disagree (gzip bytes with the header, plain bytes with the header); decoding once and
  serving identity bytes gives every target the same input;
- framing headers (`content-length`, `transfer-encoding`) are kept here for the record but the
  server never replays them (they are unreliable in the corpus).

A malformed file raises `CassetteError` naming the file and the problem; callers turn it into a
skipped case with that reason, never a crash and never a pass.
"""

from __future__ import annotations

import base64
import gzip
import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple
from urllib.parse import urlsplit

Headers = Dict[str, List[str]]

CASSETTE_SUFFIXES = (".yaml", ".yml", ".har", ".json")


class CassetteError(Exception):
    """A cassette that cannot be used; the message names the file and the problem."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    uri: str
    headers: Headers = field(default_factory=dict)
    body: bytes = b""

    @property
    def path(self) -> str:
        return urlsplit(self.uri).path or "/"

    @property
    def host(self) -> str:
        return urlsplit(self.uri).hostname or ""

    @property
    def query(self) -> str:
        return urlsplit(self.uri).query

    def json(self) -> Any:
        """The body parsed as JSON, or None when it is empty or not JSON."""
        return _parse_json(self.body)


@dataclass(frozen=True)
class RecordedResponse:
    status: int
    reason: str = ""
    headers: Headers = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> Optional[str]:
        values = self.headers.get(name.lower())
        return values[0] if values else None

    def json(self) -> Any:
        return _parse_json(self.body)


@dataclass(frozen=True)
class Interaction:
    request: RecordedRequest
    response: RecordedResponse


@dataclass(frozen=True)
class Cassette:
    path: Path
    format: str  # "vcrpy", "vcrpy+parsed_body", "har" or "response-only" (no request recorded)
    interactions: Tuple[Interaction, ...]


def _parse_json(body: bytes) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None


def load_cassette(path: Path | str) -> Cassette:
    """Load one cassette file; raises CassetteError for anything unusable."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CassetteError(p, f"cannot read file ({exc})") from exc
    if p.suffix == ".har":
        return _load_har(p, _json(p, text))
    if p.suffix == ".json":
        return _load_json(p, _json(p, text))
    return _load_vcr_yaml(p, text)


def _json(p: Path, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise CassetteError(p, f"invalid JSON ({exc})") from exc


def _load_json(p: Path, data: Any) -> Cassette:
    from edgequake_harness.cassettes.fixtures import is_response_only, load_response_only

    if isinstance(data, dict) and "log" in data:
        return _load_har(p, data)
    if isinstance(data, dict) and "interactions" in data:
        return _vcr_cassette(p, data)
    if is_response_only(data):
        return load_response_only(p, data)
    raise CassetteError(
        p,
        "JSON, but not a cassette: expected a HAR log ('log.entries'), a vcrpy cassette ('interactions') "
        "or a response-only fixture ({status, headers, body}, or a list of them)",
    )


# --- vcrpy YAML and the pydantic-ai variant -----------------------------------------------------


def _cassette_loader() -> Any:
    """vcrpy's own safe loader: it understands `!!binary` and the few python tags old cassettes
    carry. Its class is private to vcrpy, so a vcrpy without it gets PyYAML's safe loader."""
    import yaml

    try:
        from vcr.serializers.yamlserializer import _CassetteLoader

        return _CassetteLoader
    except ImportError:
        return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_vcr_yaml(p: Path, text: str) -> Cassette:
    import yaml

    from edgequake_harness.cassettes.bounded_yaml import YamlBoundsError, load

    try:
        data = load(text, _cassette_loader())
    except yaml.YAMLError as exc:
        raise CassetteError(p, f"invalid YAML ({_first_line(exc)})") from exc
    except YamlBoundsError as exc:
        raise CassetteError(p, f"refused YAML: {exc}") from exc
    return _vcr_cassette(p, data)


def _vcr_cassette(p: Path, data: Any) -> Cassette:
    if not isinstance(data, dict) or not isinstance(data.get("interactions"), list):
        raise CassetteError(p, "not a vcrpy cassette: no 'interactions' list at top level")
    version = data.get("version")
    if version not in (None, 1):
        raise CassetteError(p, f"unsupported vcrpy cassette version {version!r} (expected 1)")
    if not data["interactions"]:
        raise CassetteError(p, "cassette has no interactions")
    parsed_body = False
    interactions = []
    for i, raw in enumerate(data["interactions"]):
        where = f"interactions[{i}]"
        if isinstance(raw, dict) and ("request_sample" in raw or "request_stream" in raw):
            raise CassetteError(p, f"{where}: an xai-sdk gRPC recording, not HTTP; it cannot be replayed")
        if not isinstance(raw, dict) or not isinstance(raw.get("request"), dict):
            raise CassetteError(p, f"{where}: missing 'request' mapping")
        if not isinstance(raw.get("response"), dict):
            raise CassetteError(p, f"{where}: missing 'response' mapping")
        req, resp = raw["request"], raw["response"]
        parsed_body = parsed_body or "parsed_body" in req or "parsed_body" in resp
        method, uri = req.get("method"), req.get("uri")
        if not isinstance(method, str) or not isinstance(uri, str):
            raise CassetteError(p, f"{where}.request: 'method' and 'uri' must be strings")
        status = resp.get("status")
        code = status.get("code") if isinstance(status, dict) else None
        if not isinstance(code, int):
            raise CassetteError(p, f"{where}.response: 'status.code' must be an integer")
        req_headers = _headers(p, f"{where}.request", req.get("headers"))
        resp_headers = _headers(p, f"{where}.response", resp.get("headers"))
        req_body = _request_body(p, f"{where}.request", req)
        resp_body = _response_body(p, f"{where}.response", resp)
        interactions.append(
            Interaction(
                RecordedRequest(method.upper(), uri, req_headers, req_body),
                decoded_response(p, where, code, str(status.get("message") or ""), resp_headers, resp_body),
            )
        )
    fmt = "vcrpy+parsed_body" if parsed_body else "vcrpy"
    return Cassette(p, fmt, tuple(interactions))


def _headers(p: Path, where: str, raw: Any) -> Headers:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise CassetteError(p, f"{where}.headers must be a mapping")
    out: Headers = {}
    for name, value in raw.items():
        values = value if isinstance(value, list) else [value]
        out.setdefault(str(name).lower(), []).extend(str(v) for v in values)
    return out


def _to_bytes(value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (dict, list)):  # a JSON body stored as YAML structure (pydantic-ai, older)
        return json.dumps(value).encode("utf-8")
    if hasattr(value, "read"):  # vcrpy's BytesIO request bodies
        return bytes(value.read())
    raise TypeError(type(value).__name__)


def _request_body(p: Path, where: str, req: Mapping[str, Any]) -> bytes:
    # pydantic-ai stores JSON bodies parsed; re-serialising them (as its own deserializer does) gives
    # the same JSON value, which is all that call derivation and request diffs look at.
    if "parsed_body" in req:
        return json.dumps(req["parsed_body"]).encode("utf-8")
    try:
        return _to_bytes(req.get("body"))
    except TypeError as exc:
        raise CassetteError(p, f"{where}.body has unsupported type {exc}") from exc


def _response_body(p: Path, where: str, resp: Mapping[str, Any]) -> bytes:
    if "parsed_body" in resp:
        return json.dumps(resp["parsed_body"]).encode("utf-8")
    body = resp.get("body")
    if isinstance(body, dict):
        body = body.get("string")
    try:
        return _to_bytes(body)
    except TypeError as exc:
        raise CassetteError(p, f"{where}.body.string has unsupported type {exc}") from exc


def decoded_response(
    p: Path, where: str, code: int, reason: str, headers: Headers, body: bytes
) -> RecordedResponse:
    """The response as served: gzip removed, `content-encoding` dropped (module docstring)."""
    encoding = ",".join(headers.get("content-encoding", [])).strip().lower()
    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError, zlib.error) as exc:
            raise CassetteError(p, f"{where}: body looks gzipped but does not decompress ({exc})") from exc
        headers = {k: v for k, v in headers.items() if k != "content-encoding"}
    elif encoding == "gzip":
        # The header survived but the bytes were stored decoded: serving the header would break clients.
        headers = {k: v for k, v in headers.items() if k != "content-encoding"}
    elif encoding in ("", "identity", "chunked"):
        # "chunked" is a mislabelled transfer-encoding seen in the corpus: framing, not a coding.
        headers = {k: v for k, v in headers.items() if k != "content-encoding"}
    else:
        raise CassetteError(p, f"{where}: unsupported content-encoding {encoding!r}")
    return RecordedResponse(code, reason, headers, body)


# --- HAR 1.2 ------------------------------------------------------------------------------------


def _order(entry: Dict[str, Any]) -> int:
    order = entry.get("_order", 0)
    return order if type(order) is int else 0


def _load_har(p: Path, data: Any) -> Cassette:
    log = data.get("log") if isinstance(data, dict) else None
    entries = log.get("entries") if isinstance(log, dict) else None
    if not isinstance(entries, list) or not entries:
        raise CassetteError(p, "not a HAR 1.2 file: no 'log.entries' list, or it is empty")
    if not all(isinstance(e, dict) for e in entries):
        raise CassetteError(p, "not a HAR 1.2 file: every 'log.entries' item must be an object")
    # Polly.js records `_order`; replay in recorded order even if entries were re-sorted on save.
    entries = sorted(entries, key=lambda e: (str(e.get("startedDateTime", "")), _order(e)))
    interactions = []
    for i, entry in enumerate(entries):
        where = f"log.entries[{i}]"
        req, resp = entry.get("request"), entry.get("response")
        if not isinstance(req, dict) or not isinstance(resp, dict):
            raise CassetteError(p, f"{where}: missing 'request' or 'response'")
        if not isinstance(req.get("method"), str) or not isinstance(req.get("url"), str):
            raise CassetteError(p, f"{where}.request: 'method' and 'url' must be strings")
        if not isinstance(resp.get("status"), int):
            raise CassetteError(p, f"{where}.response: 'status' must be an integer")
        post = req.get("postData") or {}
        content = resp.get("content") or {}
        if not isinstance(post, dict) or not isinstance(content, dict):
            raise CassetteError(p, f"{where}: 'request.postData' and 'response.content' must be objects")
        if not isinstance(content.get("text") or "", str) or not isinstance(post.get("text") or "", str):
            raise CassetteError(p, f"{where}: body 'text' must be a string")
        body = (content.get("text") or "").encode("utf-8")
        if content.get("encoding") == "base64":
            try:
                body = base64.b64decode(body, validate=True)
            except ValueError as exc:
                raise CassetteError(p, f"{where}.response.content: invalid base64 text ({exc})") from exc
        headers = har_headers(resp.get("headers"))
        interactions.append(
            Interaction(
                RecordedRequest(
                    req["method"].upper(),
                    req["url"],
                    har_headers(req.get("headers")),
                    (post.get("text") or "").encode("utf-8"),
                ),
                decoded_response(p, where, resp["status"], str(resp.get("statusText") or ""), headers, body),
            )
        )
    return Cassette(p, "har", tuple(interactions))


def har_headers(raw: Any) -> Headers:
    out: Headers = {}
    for item in raw or []:
        if isinstance(item, dict) and "name" in item:
            out.setdefault(str(item["name"]).lower(), []).append(str(item.get("value", "")))
    return out


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
