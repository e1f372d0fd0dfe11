"""Turn a recorded request into the litellm call a user would have made to produce it.

The OpenAI wire format (openai, azure and the OpenAI-compatible providers in `providers.py`) is
read directly: its JSON body is already litellm's kwargs, for `completion`, `embedding`,
`responses` and `text_completion` alike; rerank bodies keep litellm's rerank parameters. Anthropic
`/v1/messages` and Gemini `generateContent`/`batchEmbedContents` bodies are reverse-translated
(`derive_native.py`). The provider comes from the recorded host, or from the case's metadata
(`provider`/`route`), which then applies whatever host the recording was made against (127.0.0.1,
a private gateway). What derivation cannot recover is skipped with the reason, unless the case's
metadata states the call (`CaseMeta.call`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Dict, Optional
from urllib.parse import parse_qs, urlsplit

from edgequake_harness.cassettes.derive_native import (
    NotExpressible,
    anthropic_kwargs,
    gemini_embedding_kwargs,
    gemini_kwargs,
)
from edgequake_harness.cassettes.formats import Cassette, RecordedRequest
from edgequake_harness.cassettes.providers import (
    BY_NAME,
    NATIVE_RESPONSES,
    Provider,
    openai_endpoint,
    provider_for_host,
)

# litellm.rerank's own parameters; a recorded body's other fields (Voyage's `truncation`) are the
# client's, not something a litellm user passes.
_RERANK_PARAMS = (
    "query",
    "documents",
    "top_n",
    "rank_fields",
    "return_documents",
    "max_chunks_per_doc",
    "max_tokens_per_doc",
)
_GEMINI_ACTIONS = {"generateContent": False, "streamGenerateContent": True}

# A fixed, obviously fake key: targets need *some* key, and both must send the same one.
REPLAY_API_KEY = "sk-edgequake-harness-replay"


class Unsupported(Exception):
    """The case cannot be turned into a call; the message is the skip reason."""


@dataclass(frozen=True)
class Call:
    """One call, identical for every target except the server URL it is pointed at."""

    function: str  # completion, embedding, responses, text_completion, rerank (a litellm function)
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
    stated: Optional[Provider] = None,
) -> Call:
    """The call for this cassette. `defaults` (e.g. max_retries=0) apply unless the case sets them.

    `stated` is the provider the case's metadata names: it then applies to every recorded request,
    whatever its host.
    """
    index = interaction if interaction is not None else _first_llm_request(cassette, stated)
    if not 0 <= index < len(cassette.interactions):
        raise Unsupported(
            f"metadata names interaction {index}, the cassette has {len(cassette.interactions)}"
        )
    request = cassette.interactions[index].request
    call = _from_explicit(explicit, request, index) if explicit else _from_request(request, index, stated)
    merged = {**(defaults or {}), **call.kwargs}
    return Call(call.function, call.model, merged, call.provider, call.base_path, call.interaction)


def _first_llm_request(cassette: Cassette, stated: Optional[Provider] = None) -> int:
    """The first request a derivable call would make; else the first POST to a known provider.

    Telemetry, OAuth and model look-ups that some cassettes record first are passed over; the
    fallback makes an underivable endpoint (say `/v1/messages/count_tokens`) the stated skip reason.
    """
    known = [
        (index, recorded.request, stated or provider_for_host(recorded.request.host))
        for index, recorded in enumerate(cassette.interactions)
    ]
    known = [(index, request, provider) for index, request, provider in known if provider is not None]
    for index, request, provider in known:
        if _derivable(request, provider):
            return index
    for index, request, _ in known:
        if request.method == "POST":
            return index
    seen = sorted({f"{i.request.method} {i.request.host}{i.request.path}" for i in cassette.interactions})
    raise Unsupported(
        f"no request to a known provider host; recorded: {', '.join(seen[:3])} "
        "(a case's metadata can name the provider: `provider:` and `route:` in <stem>.case.yaml)"
    )


def _derivable(request: RecordedRequest, provider: Provider) -> bool:
    path = request.path.rstrip("/")
    if provider.wire == "anthropic":
        return path.endswith("/v1/messages")
    if provider.wire == "gemini":
        return path.rsplit(":", 1)[-1] in (*_GEMINI_ACTIONS, "batchEmbedContents")
    return openai_endpoint(path, provider) is not None


def _from_request(request: RecordedRequest, index: int, stated: Optional[Provider] = None) -> Call:
    provider = stated or provider_for_host(request.host)
    if provider is None:
        raise Unsupported(f"unknown provider host {request.host!r}")
    if provider.wire != "openai":
        return _from_native(provider, request, index)
    endpoint = openai_endpoint(request.path, provider)
    if endpoint is None:
        raise Unsupported(f"endpoint {request.method} {request.path} has no litellm call derivation yet")
    function, prefix = endpoint
    body = request.json()
    if not isinstance(body, dict) or not isinstance(body.get("model", ""), str):
        raise Unsupported(f"request body of {request.method} {request.path} is not a JSON object")
    kwargs = {k: v for k, v in body.items() if k != "model"}
    if function == "rerank":
        kwargs = _rerank_kwargs(kwargs)
    _check_shape(function, kwargs, request)
    if provider.base == "azure":
        return _azure(request, function, body, kwargs, index)
    model = body.get("model")
    if not model:
        raise Unsupported(f"request body of {request.path} has no model")
    route = provider.prefix
    if function == "responses" and route not in NATIVE_RESPONSES:
        route = "openai"  # litellm's own route would bridge to /chat/completions, never /responses
    base_path = "" if provider.base == "root" else prefix
    return Call(function, f"{route}/{model}", kwargs, provider.name, base_path, index)


def _rerank_kwargs(body: Dict[str, Any]) -> Dict[str, Any]:
    kwargs = {k: body[k] for k in _RERANK_PARAMS if k in body}
    if "top_n" not in kwargs and body.get("top_k") is not None:  # Voyage's name for it
        kwargs["top_n"] = body["top_k"]
    return kwargs


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
                "completion",
                f"{provider.prefix}/{model}",
                kwargs,
                provider.name,
                path[: -len("/v1/messages")],
                index,
            )
        if provider.wire == "gemini" and "/models/" in path and ":" in path.rsplit("/", 1)[-1]:
            prefix, _, rest = path.partition("/models/")
            model, _, action = rest.partition(":")
            route = f"{provider.prefix}/{model}"
            if action in _GEMINI_ACTIONS:
                kwargs = gemini_kwargs(body)
                if _GEMINI_ACTIONS[action]:
                    kwargs["stream"] = True
                return Call("completion", route, kwargs, provider.name, prefix, index)
            if action == "batchEmbedContents":
                return Call("embedding", route, gemini_embedding_kwargs(body), provider.name, prefix, index)
    except NotExpressible as exc:
        raise Unsupported(str(exc)) from exc
    raise Unsupported(f"endpoint {request.method} {request.path} has no litellm call derivation yet")


_REQUIRED = {
    "embedding": ("input",),
    "responses": ("input",),
    "text_completion": ("prompt",),
    "rerank": ("query", "documents"),
}


def _check_shape(function: str, kwargs: Dict[str, Any], request: RecordedRequest) -> None:
    if function == "completion" and not isinstance(kwargs.get("messages"), list):
        raise Unsupported(f"{request.path}: 'messages' is not a list; litellm cannot express this request")
    missing = [k for k in _REQUIRED.get(function, ()) if k not in kwargs]
    if missing:
        raise Unsupported(f"{request.path}: {function} request without {', '.join(map(repr, missing))}")


def _azure(
    request: RecordedRequest, function: str, body: Dict[str, Any], kwargs: Dict[str, Any], index: int
) -> Call:
    parts = request.path.strip("/").split("/")
    query = parse_qs(urlsplit(request.uri).query)
    version = next(iter(query.get("api-version", [])), None)
    if len(parts) >= 3 and parts[:2] == ["openai", "deployments"]:
        deployment = parts[2]
        if version is None:
            raise Unsupported(f"azure request {request.path} has no api-version query parameter")
    elif parts == ["openai", "responses"] and body.get("model") and version is not None:
        # Azure's Responses API: litellm posts /openai/responses?api-version=... for azure/<model>.
        deployment = body["model"]
    elif parts[:2] == ["openai", "v1"] and body.get("model"):
        # The "v1" Azure API: litellm builds /openai/v1/... when api_version is "v1".
        deployment, version = body["model"], "v1"
    else:
        raise Unsupported(f"azure path {request.path} is neither a deployment nor the v1 API")
    kwargs = {**kwargs, "api_version": version}
    # litellm's azure/ text_completion() goes through chat; a deployment's /completions is azure_text/.
    prefix = "azure_text" if function == "text_completion" else "azure"
    return Call(function, f"{prefix}/{deployment}", kwargs, "azure", "", index)


def _from_explicit(explicit: ExplicitCall, request: RecordedRequest, index: int) -> Call:
    provider_name = explicit.provider or explicit.model.split("/", 1)[0]
    provider: Optional[Provider] = BY_NAME.get(provider_name) or provider_for_host(request.host)
    base_path = explicit.base_path
    if base_path is None:
        endpoint = (
            openai_endpoint(request.path, provider)
            if provider is not None and provider.base == "mirror"
            else None
        )
        base_path = endpoint[1] if endpoint else ""
    name = provider.name if provider is not None else provider_name
    return Call(explicit.function, explicit.model, dict(explicit.kwargs), name, base_path, index)
