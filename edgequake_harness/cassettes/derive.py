"""Turn a recorded request into the litellm call a user would have made to produce it.

The OpenAI wire format (openai, azure and the OpenAI-compatible providers in `providers.py`) is
read directly: its JSON body is already litellm's kwargs. Anthropic `/v1/messages` and Gemini
`generateContent` bodies are reverse-translated (`derive_native.py`). What derivation cannot
recover is skipped with the reason, unless the case's metadata states the call (`CaseMeta.call`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Dict, Optional
from urllib.parse import parse_qs, urlsplit

from edgequake_harness.cassettes.derive_native import NotExpressible, anthropic_kwargs, gemini_kwargs
from edgequake_harness.cassettes.formats import Cassette, RecordedRequest
from edgequake_harness.cassettes.providers import BY_NAME, Provider, openai_endpoint, provider_for_host

# A fixed, obviously fake key: targets need *some* key, and both must send the same one.
REPLAY_API_KEY = "sk-edgequake-harness-replay"


class Unsupported(Exception):
    """The case cannot be turned into a call; the message is the skip reason."""


@dataclass(frozen=True)
class Call:
    """One call, identical for every target except the server URL it is pointed at."""

    function: str  # "completion" or "embedding"
    model: str  # "provider/model", litellm style
    kwargs: Dict[str, Any]  # everything but model, api_base and api_key
    provider: str  # the harness provider id (providers.py)
    base_path: str = ""  # appended to the server URL to form api_base
    interaction: int = 0  # the recorded interaction this call reproduces
    mode: str = "sync"  # "sync" (completion, for) or "async" (acompletion, async for)

    @property
    def stream(self) -> bool:
        return bool(self.kwargs.get("stream"))

    def arguments(self, server_url: str) -> Dict[str, Any]:
        """The keyword arguments for `target.<function>(**arguments)`; a deep copy per target."""
        args = copy.deepcopy(self.kwargs)
        args.update(model=self.model, api_base=server_url + self.base_path)
        args.setdefault("api_key", REPLAY_API_KEY)
        return args


@dataclass(frozen=True)
class ExplicitCall:
    """A call stated in case metadata, for what derivation cannot recover."""

    function: str
    model: str
    kwargs: Dict[str, Any] = field(default_factory=dict)
    base_path: Optional[str] = None
    provider: Optional[str] = None


def derive_call(
    cassette: Cassette,
    explicit: Optional[ExplicitCall] = None,
    interaction: Optional[int] = None,
    defaults: Optional[Dict[str, Any]] = None,
) -> Call:
    """The call for this cassette. `defaults` (e.g. max_retries=0) apply unless the case sets them."""
    index = interaction if interaction is not None else _first_llm_request(cassette)
    if not 0 <= index < len(cassette.interactions):
        raise Unsupported(
            f"metadata names interaction {index}, the cassette has {len(cassette.interactions)}"
        )
    request = cassette.interactions[index].request
    call = _from_explicit(explicit, request, index) if explicit else _from_request(request, index)
    merged = {**(defaults or {}), **call.kwargs}
    return Call(call.function, call.model, merged, call.provider, call.base_path, call.interaction)


def _first_llm_request(cassette: Cassette) -> int:
    """The first request a derivable call would make; else the first POST to a known provider.

    Telemetry, OAuth and model look-ups that some cassettes record first are passed over; the
    fallback makes an underivable endpoint (say `/v1/responses`) the stated skip reason.
    """
    known = [
        (index, recorded.request)
        for index, recorded in enumerate(cassette.interactions)
        if provider_for_host(recorded.request.host) is not None
    ]
    for index, request in known:
        if openai_endpoint(request.path):
            return index
    for index, request in known:
        if request.method == "POST":
            return index
    seen = sorted({f"{i.request.method} {i.request.host}{i.request.path}" for i in cassette.interactions})
    raise Unsupported(f"no request to a known provider host; recorded: {', '.join(seen[:3])}")


def _from_request(request: RecordedRequest, index: int) -> Call:
    provider = provider_for_host(request.host)
    if provider is None:
        raise Unsupported(f"unknown provider host {request.host!r}")
    if provider.wire != "openai":
        return _from_native(provider, request, index)
    endpoint = openai_endpoint(request.path)
    if endpoint is None:
        raise Unsupported(f"endpoint {request.method} {request.path} has no litellm call derivation yet")
    function, prefix = endpoint
    body = request.json()
    if not isinstance(body, dict) or not isinstance(body.get("model", ""), str):
        raise Unsupported(f"request body of {request.method} {request.path} is not a JSON object")
    kwargs = {k: v for k, v in body.items() if k != "model"}
    _check_shape(function, kwargs, request)
    if provider.base == "azure":
        return _azure(request, function, body, kwargs, index)
    model = body.get("model")
    if not model:
        raise Unsupported(f"request body of {request.path} has no model")
    return Call(function, f"{provider.prefix}/{model}", kwargs, provider.name, prefix, index)


def _from_native(provider: Provider, request: RecordedRequest, index: int) -> Call:
    body = request.json()
    if not isinstance(body, dict):
        raise Unsupported(f"request body of {request.method} {request.path} is not a JSON object")
    path = request.path.rstrip("/")
    try:
        if provider.wire == "anthropic" and path.endswith("/v1/messages"):
            model, kwargs = anthropic_kwargs(body)
            if not model:
                raise Unsupported(f"request body of {request.path} has no model")
            return Call(
                "completion", f"anthropic/{model}", kwargs, provider.name, path[: -len("/v1/messages")], index
            )
        if provider.wire == "gemini" and "/models/" in path and ":" in path.rsplit("/", 1)[-1]:
            prefix, _, rest = path.partition("/models/")
            model, _, action = rest.partition(":")
            if action in ("generateContent", "streamGenerateContent"):
                kwargs = gemini_kwargs(body)
                if action == "streamGenerateContent":
                    kwargs["stream"] = True
                return Call("completion", f"gemini/{model}", kwargs, provider.name, prefix, index)
    except NotExpressible as exc:
        raise Unsupported(str(exc)) from exc
    raise Unsupported(f"endpoint {request.method} {request.path} has no litellm call derivation yet")


def _check_shape(function: str, kwargs: Dict[str, Any], request: RecordedRequest) -> None:
    if function == "completion" and not isinstance(kwargs.get("messages"), list):
        raise Unsupported(f"{request.path}: 'messages' is not a list; litellm cannot express this request")
    if function == "embedding" and "input" not in kwargs:
        raise Unsupported(f"{request.path}: embeddings request without 'input'")


def _azure(
    request: RecordedRequest, function: str, body: Dict[str, Any], kwargs: Dict[str, Any], index: int
) -> Call:
    parts = request.path.strip("/").split("/")
    query = parse_qs(urlsplit(request.uri).query)
    if len(parts) >= 3 and parts[:2] == ["openai", "deployments"]:
        deployment = parts[2]
        version = next(iter(query.get("api-version", [])), None)
        if version is None:
            raise Unsupported(f"azure request {request.path} has no api-version query parameter")
    elif parts[:2] == ["openai", "v1"] and body.get("model"):
        # The "v1" Azure API: litellm builds /openai/v1/... when api_version is "v1".
        deployment, version = body["model"], "v1"
    else:
        raise Unsupported(f"azure path {request.path} is neither a deployment nor the v1 API")
    kwargs = {**kwargs, "api_version": version}
    return Call(function, f"azure/{deployment}", kwargs, "azure", "", index)


def _from_explicit(explicit: ExplicitCall, request: RecordedRequest, index: int) -> Call:
    provider_name = explicit.provider or explicit.model.split("/", 1)[0]
    provider: Optional[Provider] = BY_NAME.get(provider_name) or provider_for_host(request.host)
    base_path = explicit.base_path
    if base_path is None:
        endpoint = (
            openai_endpoint(request.path) if provider is not None and provider.base == "mirror" else None
        )
        base_path = endpoint[1] if endpoint else ""
    name = provider.name if provider is not None else provider_name
    return Call(explicit.function, explicit.model, dict(explicit.kwargs), name, base_path, index)
