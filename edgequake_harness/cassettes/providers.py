"""Providers the harness can derive calls for: how to recognise them and where to point `api_base`.

One declarative table, so adding an OpenAI-compatible provider is one line. The URL rules come from
litellm-oracle.md section 3 and were re-checked against the replay server: for every
OpenAI-wire provider below, litellm appends the endpoint (`/chat/completions`, `/embeddings`) to
`api_base`, so pointing `api_base` at the server root plus the *recorded* path prefix reproduces the
recorded path exactly (`/openai/v1` for groq, `/api/v1` for openrouter, `/inference/v1` for
fireworks, `/<router>/v1` for huggingface). Azure is the exception: litellm builds
`/openai/deployments/<deployment>/...` itself, so `api_base` is the root and the deployment and
`api-version` come from the recorded URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple


@dataclass(frozen=True)
class Provider:
    name: str  # the harness's provider id, as the corpus names it (report rows, case ids)
    prefix: str  # litellm's model prefix (`together_ai/...`)
    hosts: Tuple[str, ...]  # host suffixes that identify it in a recorded URI
    wire: str = "openai"  # request format: "openai" (read as is), "anthropic", "gemini" (derive_native)
    base: str = "mirror"  # "mirror": server root + recorded prefix; "azure": root + deployment URL


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
    # Native wire formats, reverse-translated by derive_native; api_base mirrors the recorded
    # prefix too (the root for anthropic, `/v1beta` for gemini).
    Provider("anthropic", "anthropic", ("api.anthropic.com",), wire="anthropic"),
    Provider("gemini", "gemini", ("generativelanguage.googleapis.com",), wire="gemini"),
)

BY_NAME = {p.name: p for p in PROVIDERS}

# OpenAI-wire endpoints: recorded path suffix -> litellm function.
OPENAI_ENDPOINTS: Tuple[Tuple[str, str], ...] = (
    ("/chat/completions", "completion"),
    ("/embeddings", "embedding"),
)


def provider_for_host(host: str) -> Optional[Provider]:
    host = host.lower()
    for provider in PROVIDERS:
        if any(host == h or host.endswith(h) for h in provider.hosts):
            return provider
    return None


def openai_endpoint(path: str) -> Optional[Tuple[str, str]]:
    """(function, path prefix) for an OpenAI-wire path.

    `/openai/v1/chat/completions` gives ("completion", "/openai/v1"); None for other endpoints.
    """
    trimmed = path.rstrip("/")
    for suffix, function in OPENAI_ENDPOINTS:
        if trimmed.endswith(suffix):
            return function, trimmed[: -len(suffix)]
    return None
