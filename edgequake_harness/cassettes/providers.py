"""Providers the harness can derive calls for: how to recognise them and where to point `api_base`.

One declarative table, so adding an OpenAI-compatible provider is one line. The URL rules come from
litellm-oracle.md section 3 and were re-checked against the replay server: for every
OpenAI-wire provider below, litellm appends the endpoint (`/chat/completions`, `/embeddings`,
`/responses`, `/completions`) to `api_base`, so pointing `api_base` at the server root plus the
*recorded* path prefix reproduces the recorded path exactly (`/openai/v1` for groq, `/api/v1` for
openrouter, `/inference/v1` for fireworks, `/<router>/v1` for huggingface). Azure is the exception:
litellm builds `/openai/deployments/<deployment>/...` itself, so `api_base` is the root and the
deployment and `api-version` come from the recorded URL; Bedrock Mantle (`base="root"`) builds its
whole path too.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Optional, Tuple

Endpoint = Tuple[str, str]  # (recorded path suffix, litellm function)

# OpenAI-wire endpoints: recorded path suffix -> litellm function. `/chat/completions` before
# `/completions`, which it ends with.
OPENAI_ENDPOINTS: Tuple[Endpoint, ...] = (
    ("/chat/completions", "completion"),
    ("/embeddings", "embedding"),
    ("/responses", "responses"),
    ("/completions", "text_completion"),
)
# litellm routes with a native Responses API (`ProviderConfigManager.get_provider_responses_api_config`
# in litellm 1.110.2); on any other route `litellm.responses()` bridges to /chat/completions, so a
# recorded /responses call on an OpenAI-compatible host is the `openai/` route with that api_base.
NATIVE_RESPONSES = frozenset({"openai", "azure", "openrouter", "xai", "fireworks_ai", "bedrock_mantle"})


@dataclass(frozen=True)
class Provider:
    name: str  # the harness's provider id, as the corpus names it (report rows, case ids)
    prefix: str  # litellm's model prefix (`together_ai/...`)
    hosts: Tuple[str, ...]  # host suffixes (or `*` patterns) that identify it in a recorded URI
    wire: str = "openai"  # request format: "openai" (read as is), "anthropic", "gemini" (derive_native)
    base: str = "mirror"  # "mirror": root + recorded prefix; "azure": root + deployment URL; "root"
    endpoints: Tuple[Endpoint, ...] = OPENAI_ENDPOINTS


PROVIDERS: Tuple[Provider, ...] = (
    Provider("openai", "openai", ("api.openai.com",)),
    Provider("azure", "azure", (".openai.azure.com", ".cognitiveservices.azure.com"), base="azure"),
    Provider("mistral", "mistral", ("api.mistral.ai",)),
    Provider("groq", "groq", ("api.groq.com",)),
    Provider("deepseek", "deepseek", ("api.deepseek.com",)),
    Provider("openrouter", "openrouter", ("openrouter.ai",)),
    Provider("xai", "xai", ("api.x.ai",)),
    Provider("together", "together_ai", ("api.together.xyz", "api.together.ai")),
    Provider("fireworks", "fireworks_ai", ("api.fireworks.ai",)),
    Provider("huggingface", "huggingface", ("router.huggingface.co", "api-inference.huggingface.co")),
    Provider("cerebras", "cerebras", ("api.cerebras.ai",)),
    # Amazon Bedrock's OpenAI-compatible Mantle endpoint (bearer key, no SigV4).
    Provider("bedrock", "bedrock_mantle", ("bedrock-mantle.*.api.aws",), base="root"),
    # Cohere v2 rerank; v2 chat/embed need stated calls (litellm takes their full URL as api_base),
    # and litellm 1.110.2 has no route for the legacy /v1/generate or v1 chat.
    Provider("cohere", "cohere", ("api.cohere.com", "api.cohere.ai"), endpoints=(("/v2/rerank", "rerank"),)),
    Provider("voyage", "voyage", ("api.voyageai.com",), endpoints=(("/rerank", "rerank"),)),
    # Native wire formats, reverse-translated by derive_native; api_base mirrors the recorded
    # prefix too (the root for anthropic, `/v1beta` for gemini).
    Provider("anthropic", "anthropic", ("api.anthropic.com",), wire="anthropic"),
    Provider("gemini", "gemini", ("generativelanguage.googleapis.com",), wire="gemini"),
)

BY_NAME = {p.name: p for p in PROVIDERS}
BY_PREFIX = {p.prefix: p for p in PROVIDERS}


def provider_for_host(host: str) -> Optional[Provider]:
    host = host.lower()
    for provider in PROVIDERS:
        if any(_host_matches(host, h) for h in provider.hosts):
            return provider
    return None


def _host_matches(host: str, pattern: str) -> bool:
    if "*" in pattern:
        return fnmatchcase(host, pattern)
    return host == pattern or host.endswith(pattern)


def stated_provider(name: str, route: Optional[str] = None) -> Provider:
    """The provider a case's metadata names, for recordings made against any host.

    `name` is the report row; `route` is litellm's model prefix (default: the named provider's).
    The request format and endpoints follow the known provider with that route (or name); one the
    harness does not know is read as the OpenAI wire format and called with litellm's `openai/`
    route unless `route` names another.
    """
    known = (
        (BY_PREFIX.get(route) or BY_NAME.get(route)) if route else (BY_NAME.get(name) or BY_PREFIX.get(name))
    )
    if known is None:
        return Provider(name, route or "openai", ())
    prefix = route or known.prefix
    base = known.base if prefix == known.prefix else "mirror"  # azure/root build their own paths
    return Provider(name, prefix, (), known.wire, base, known.endpoints)


def openai_endpoint(path: str, provider: Optional[Provider] = None) -> Optional[Tuple[str, str]]:
    """(function, api_base path) for a recorded path on an OpenAI-wire provider.

    `/openai/v1/chat/completions` gives ("completion", "/openai/v1"); None for other endpoints.
    """
    trimmed = path.rstrip("/")
    for suffix, function in provider.endpoints if provider is not None else OPENAI_ENDPOINTS:
        if trimmed.endswith(suffix):
            return function, trimmed[: -len(suffix)]
    return None
