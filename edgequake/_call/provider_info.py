"""``get_llm_provider``: litellm's answer to "which provider, which model name, which key and base URL"
for a model string, as libraries ask it (dspy, crewai, langchain-litellm call it before every call).

Measured against litellm 1.110.2 (``tests/test_utils_api.py``): the OpenAI-compatible routes litellm
runs itself report the key from the call or the environment and their default base URL; Ollama its
base URL; the other routes pass the call's ``api_key``/``api_base`` through; a bare model name routed
reports no key at all (litellm drops it there).
"""

from __future__ import annotations

import os
from typing import Any, Optional, Tuple

from edgequake._call.routing import NATIVE, first_env, split_model

# The routes whose get_llm_provider resolves a key and base URL, and the base URL litellm reports.
_RESOLVED_BASES = {
    "mistral": "https://api.mistral.ai/v1",
    "xai": "https://api.x.ai/v1",
    "groq": "https://api.groq.com/openai/v1",
    "deepseek": "https://api.deepseek.com/beta",
    "together_ai": "https://api.together.ai/v1",
    "fireworks_ai": "https://api.fireworks.ai/inference/v1",
    "cerebras": "https://api.cerebras.ai/v1",
}


def get_llm_provider(
    model: str,
    custom_llm_provider: Optional[str] = None,
    api_base: Optional[str] = None,
    api_key: Optional[str] = None,
    litellm_params: Any = None,
) -> Tuple[str, str, Optional[str], Optional[str]]:
    """``(model, custom_llm_provider, dynamic_api_key, api_base)``; raises litellm's BadRequestError
    ("LLM Provider NOT provided") for a model string litellm cannot route."""
    provider, wire_model = split_model(model, custom_llm_provider)
    bare = custom_llm_provider is None and not model.startswith(provider + "/")
    if provider in _RESOLVED_BASES:
        config = NATIVE.get(provider)
        key = api_key or (first_env(config.key_env) if config else None)
        base = api_base or _RESOLVED_BASES[provider]
        if provider == "mistral" and api_base and not api_base.rstrip("/").endswith("/v1"):
            base = api_base.rstrip("/") + "/v1"
        return wire_model, provider, key, base
    if provider == "ollama":
        base = api_base or os.environ.get("OLLAMA_API_BASE") or "http://localhost:11434"
        return wire_model, provider, api_key, base
    if bare:  # litellm drops the key for a model it routed by name alone
        return wire_model, provider, None, api_base
    return wire_model, provider, api_key, api_base
