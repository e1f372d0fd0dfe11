"""Response-only fixtures: recorded responses without the request that produced them.

JavaScript projects often record just what the server answered, one JSON file per call:

    {"status": 200, "headers": {"content-type": "application/json"}, "body": {...}}

(`statusText` optional; `headers` a mapping or a list of `{name, value}`; `body` an object, a list
or a string, SSE text included; a list of such objects is a sequence, a 429 then a 200, say).

With no request recorded, the case states or infers the rest:
- the call: `call:` in the case's metadata, or inferred from the response body when it says what
  answered it (an OpenAI `chat.completion`/chunk, `embedding` list, `response`, `text_completion`;
  an Anthropic `message`; a Gemini `candidates` body) and names its model. The user's input was not
  recorded, so required arguments get a placeholder; both targets get the same call, and what they
  send is diffed as for any case;
- the request the replay server answers: `request: {method, path}` in the metadata, or the path
  litellm posts to for that call (e.g. `/v1/chat/completions` with `api_base` at `/v1`).
What neither says is a skip whose reason names the missing metadata.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from edgequake_harness.cassettes.derive import Call, ExplicitCall, Unsupported
from edgequake_harness.cassettes.formats import (
    Cassette,
    CassetteError,
    Headers,
    Interaction,
    RecordedRequest,
    RecordedResponse,
    decoded_response,
    har_headers,
)
from edgequake_harness.cassettes.providers import (
    BY_NAME,
    BY_PREFIX,
    NATIVE_RESPONSES,
    Provider,
    openai_endpoint,
    stated_provider,
)

FORMAT = "response-only"
PLACEHOLDER = "(not recorded: response-only fixture)"
# The host of a synthesised request: `.invalid` is reserved, so it can never name a real server.
SYNTHETIC_HOST = "http://response-only.invalid"
_KEYS = {"status", "statusText", "headers", "body"}


def is_response_only(data: Any) -> bool:
    items = data if isinstance(data, list) else [data]
    return bool(items) and all(
        isinstance(item, dict) and "status" in item and set(item) <= _KEYS for item in items
    )


def load_response_only(p: Path, data: Any) -> Cassette:
    interactions = []
    for i, item in enumerate(data if isinstance(data, list) else [data]):
        where = f"[{i}]" if isinstance(data, list) else "fixture"
        status = item["status"]
        if not isinstance(status, int):
            raise CassetteError(p, f"{where}: 'status' must be an integer")
        headers = _headers(p, where, item.get("headers"))
        body = item.get("body")
        if isinstance(body, str):
            raw = body.encode("utf-8")
        else:
            raw = b"" if body is None else json.dumps(body).encode("utf-8")
        if "content-type" not in headers and raw:
            sse = raw.lstrip().startswith((b"data:", b"event:"))
            headers["content-type"] = ["text/event-stream" if sse else "application/json"]
        response = decoded_response(p, where, status, str(item.get("statusText") or ""), headers, raw)
        interactions.append(Interaction(RecordedRequest("", ""), response))
    return Cassette(p, FORMAT, tuple(interactions))


def _headers(p: Path, where: str, raw: Any) -> Headers:
    if raw is None:
        return {}
    if isinstance(raw, list):
        return har_headers(raw)
    if not isinstance(raw, dict):
        raise CassetteError(p, f"{where}: 'headers' must be a mapping or a list of {{name, value}}")
    out: Headers = {}
    for name, value in raw.items():
        values = value if isinstance(value, list) else [value]
        out.setdefault(str(name).lower(), []).extend(str(v) for v in values)
    return out


def fixture_call(
    cassette: Cassette,
    explicit: Optional[ExplicitCall],
    stated: Optional[Provider],
    request: Optional[Tuple[str, str]],
    folder: str,
) -> Tuple[Cassette, Call]:
    """The cassette with its request filled in, and the call; Unsupported says what is missing."""
    if explicit is not None:
        provider = stated or _explicit_provider(explicit)
        function, model, base_path = explicit.function, explicit.model, explicit.base_path
        kwargs = {**_placeholders(function), **explicit.kwargs}
    else:
        provider, function, model, stream = _inferred(cassette, stated, folder)
        kwargs = {**_placeholders(function), **({"stream": True} if stream else {})}
        base_path = None
    rule = _recorded_path(provider, function, model.split("/", 1)[-1], bool(kwargs.get("stream")))
    if request is None and rule is None:
        raise Unsupported(
            f"response-only fixture: no path rule for {function} on {provider.name!r}; "
            "state `request: {method: POST, path: ...}` in <stem>.case.yaml"
        )
    method, path = request if request is not None else ("POST", rule[0] if rule else "/")
    if base_path is None:
        endpoint = openai_endpoint(path, provider) if request is not None else None
        base_path = endpoint[1] if endpoint else rule[1] if rule else ""
    synthetic = RecordedRequest(method.upper(), SYNTHETIC_HOST + path)
    filled = tuple(Interaction(synthetic, i.response) for i in cassette.interactions)
    call = Call(function, model, kwargs, provider.name, base_path)
    return replace(cassette, interactions=filled), call


def _explicit_provider(explicit: ExplicitCall) -> Provider:
    prefix = explicit.model.split("/", 1)[0]
    known = BY_NAME.get(explicit.provider or prefix) or BY_PREFIX.get(prefix)
    return known or stated_provider(explicit.provider or prefix, prefix)


def _inferred(cassette: Cassette, stated: Optional[Provider], folder: str) -> Tuple[Provider, str, str, bool]:
    for recorded in cassette.interactions:
        shape = _shape(recorded.response)
        if shape is None:
            continue
        wire, function, stream, model = shape
        if model is None:
            break
        provider = stated or _provider(wire, folder)
        route = provider.prefix
        if function == "responses" and route not in NATIVE_RESPONSES:
            route = "openai"
        return provider, function, f"{route}/{model}", stream
    statuses = ", ".join(str(i.response.status) for i in cassette.interactions)
    raise Unsupported(
        f"response-only fixture (HTTP {statuses}): the request was not recorded and the response "
        "does not say which call produced it (model and endpoint); state `call:` in <stem>.case.yaml"
    )


def _provider(wire: str, folder: str) -> Provider:
    """The folder's provider when it speaks this wire format, else the wire's own provider."""
    known = BY_NAME.get(folder)
    if known is not None and known.wire == wire and known.base == "mirror":
        return known
    return BY_NAME[wire]


def _shape(response: RecordedResponse) -> Optional[Tuple[str, str, bool, Optional[str]]]:
    """(wire, function, stream, model) the response body says it answers, or None."""
    if response.status >= 400:
        return None
    content_type = response.header("content-type") or ""
    stream = "event-stream" in content_type
    body = _first_event(response.body) if stream else response.json()
    if not isinstance(body, dict):
        return None
    kind, model = body.get("object"), body.get("model")
    if kind in ("chat.completion", "chat.completion.chunk"):
        return "openai", "completion", stream, model
    data = body.get("data") if isinstance(body.get("data"), list) else []
    if kind == "list" and any(isinstance(d, dict) and d.get("object") == "embedding" for d in data):
        return "openai", "embedding", False, model
    if kind == "text_completion":
        return "openai", "text_completion", stream, model
    if kind == "response" or str(body.get("type", "")).startswith("response."):
        return "openai", "responses", stream, model or (body.get("response") or {}).get("model")
    if body.get("type") in ("message", "message_start"):
        return "anthropic", "completion", stream, model or (body.get("message") or {}).get("model")
    if "candidates" in body:
        return "gemini", "completion", stream, body.get("modelVersion")
    return None


def _first_event(body: bytes) -> Any:
    for line in body.decode("utf-8", "replace").splitlines():
        if line.startswith("data:") and line[5:].strip() not in ("", "[DONE]"):
            try:
                return json.loads(line[5:])
            except ValueError:
                return None
    return None


def _placeholders(function: str) -> Dict[str, Any]:
    if function == "embedding":
        return {"input": [PLACEHOLDER]}
    if function == "responses":
        return {"input": PLACEHOLDER}
    if function == "text_completion":
        return {"prompt": PLACEHOLDER}
    if function == "rerank":
        return {"query": PLACEHOLDER, "documents": [PLACEHOLDER]}
    messages: List[Dict[str, Any]] = [{"role": "user", "content": PLACEHOLDER}]
    return {"messages": messages}


def _recorded_path(provider: Provider, function: str, model: str, stream: bool) -> Optional[Tuple[str, str]]:
    """(request path, api_base path) litellm uses for this call, where there is one rule for it."""
    if provider.wire == "anthropic" and function == "completion":
        return "/v1/messages", ""
    if provider.wire == "gemini" and function in ("completion", "embedding"):
        action = "streamGenerateContent" if stream else "generateContent"
        if function == "embedding":
            action = "batchEmbedContents"
        return f"/v1beta/models/{model}:{action}", "/v1beta"
    if provider.wire == "openai" and provider.base == "mirror":
        for suffix, name in provider.endpoints:
            if name == function:
                return "/v1" + suffix, "/v1"
    return None
