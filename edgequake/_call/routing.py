"""From litellm's ``model`` string and per-call arguments to a route: which provider, which model name
goes on the wire, and which key and base URL, with litellm's precedence (call argument, then module
globals, then environment). URL building and auth headers are the core's job; this only resolves.
"""

from __future__ import annotations

import os
import sys
from typing import Any, NamedTuple, Optional, Tuple

from edgequake._call.provider_names import LITELLM_PROVIDERS


class ProviderConfig(NamedTuple):
    """Where litellm looks for a provider's key and base URL, in order."""

    key_globals: Tuple[str, ...]
    key_env: Tuple[str, ...]
    base_env: Tuple[str, ...]


# The providers the Rust core speaks natively over the OpenAI wire format.
NATIVE: dict[str, ProviderConfig] = {
    "openai": ProviderConfig(("openai_key",), ("OPENAI_API_KEY",), ("OPENAI_BASE_URL", "OPENAI_API_BASE")),
    "azure": ProviderConfig(("azure_key",), ("AZURE_OPENAI_API_KEY", "AZURE_API_KEY"), ("AZURE_API_BASE",)),
    "mistral": ProviderConfig((), ("MISTRAL_API_KEY",), ("MISTRAL_API_BASE",)),
    "xai": ProviderConfig(("xai_key",), ("XAI_API_KEY",), ("XAI_API_BASE",)),
    "openrouter": ProviderConfig(
        ("openrouter_key",), ("OPENROUTER_API_KEY", "OR_API_KEY"), ("OPENROUTER_API_BASE",)
    ),
    "groq": ProviderConfig(("groq_key",), ("GROQ_API_KEY",), ("GROQ_API_BASE",)),
    "deepseek": ProviderConfig((), ("DEEPSEEK_API_KEY",), ("DEEPSEEK_API_BASE",)),
    "together_ai": ProviderConfig(
        ("togetherai_api_key",),
        ("TOGETHERAI_API_KEY", "TOGETHER_API_KEY", "TOGETHER_AI_API_KEY", "TOGETHER_AI_TOKEN"),
        ("TOGETHERAI_API_BASE", "TOGETHER_AI_API_BASE"),
    ),
    "fireworks_ai": ProviderConfig(
        (),
        ("FIREWORKS_API_KEY", "FIREWORKS_AI_API_KEY", "FIREWORKSAI_API_KEY", "FIREWORKS_AI_TOKEN"),
        ("FIREWORKS_API_BASE", "FIREWORKS_AI_API_BASE"),
    ),
    "huggingface": ProviderConfig(
        ("huggingface_key",), ("HF_TOKEN", "HUGGINGFACE_API_KEY"), ("HF_API_BASE", "HUGGINGFACE_API_BASE")
    ),
    "cerebras": ProviderConfig((), ("CEREBRAS_API_KEY",), ("CEREBRAS_API_BASE",)),
    "gemini": ProviderConfig((), ("GOOGLE_API_KEY", "GEMINI_API_KEY", "PALM_API_KEY"), ("GEMINI_API_BASE",)),
}

# Bare model names litellm routes to OpenAI (its cost map lists them; these prefixes cover that list).
_OPENAI_BARE_PREFIXES = (
    "gpt-",
    "o1",
    "o3",
    "o4",
    "chatgpt-",
    "ft:gpt-",
    "gpt-image",
    "codex-",
    "computer-use",
    "text-embedding-",
    "omni-moderation",
    "davinci",
    "babbage",
)


class Route(NamedTuple):
    provider: str
    model: str  # as sent on the wire: no provider prefix (Azure: the deployment)
    api_key: Optional[str]
    api_base: Optional[str]
    api_version: Optional[str]


class NotNative(Exception):
    """Internal signal: litellm knows this provider, the core does not speak it (args[0]: provider)."""


class UnsupportedProviderError(ValueError):
    """A provider edgequake does not speak natively, with litellm not installed to delegate to."""

    def __init__(self, provider: str) -> None:
        self.provider = provider
        native = ", ".join(sorted(NATIVE))
        super().__init__(
            f"edgequake does not speak provider {provider!r} natively ({native} are native), and litellm "
            f"is not installed to delegate the call to. Install it (`pip install 'edgequake[compat]'`) "
            f"or use a native provider."
        )


def _package() -> Any:
    return sys.modules["edgequake"]  # the package, whose module globals users set


def _first_env(names: Tuple[str, ...]) -> Optional[str]:
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    return None


def split_model(model: str, custom_llm_provider: Optional[str]) -> Tuple[str, str]:
    """``(provider, model)`` by litellm's rules; raises litellm's BadRequestError when it cannot tell."""
    if not isinstance(model, str) or not model:
        raise _bad_request(f"model must be a non-empty string, got {model!r}", str(model))
    if custom_llm_provider:
        prefix = custom_llm_provider + "/"
        return custom_llm_provider, model[len(prefix) :] if model.startswith(prefix) else model
    head, sep, rest = model.partition("/")
    if sep and head in LITELLM_PROVIDERS:
        return head, rest
    if model.startswith(_OPENAI_BARE_PREFIXES):
        return "openai", model
    raise _bad_request(
        "LLM Provider NOT provided. Pass in the LLM provider you are trying to call. "
        f"You passed model={model}\n Pass model as E.g. For 'Huggingface' inference endpoints pass in "
        "`completion(model='huggingface/starcoder',..)` Learn more: https://docs.litellm.ai/docs/providers",
        model,
    )


def _bad_request(message: str, model: str) -> Exception:
    from edgequake import exceptions

    return exceptions.BadRequestError(message=message, model=model, llm_provider="")


def resolve(
    model: str,
    *,
    custom_llm_provider: Optional[str] = None,
    api_key: Optional[str] = None,
    api_base: Optional[str] = None,
    api_version: Optional[str] = None,
) -> Route:
    provider, wire_model = split_model(model, custom_llm_provider)
    config = NATIVE.get(provider)
    if config is None:
        raise NotNative(provider)
    pkg = _package()
    key = api_key
    if not key:
        for name in config.key_globals:
            key = getattr(pkg, name, None)
            if key:
                break
    if provider == "gemini":  # litellm reads the environment before its api_key global here
        key = key or _first_env(config.key_env) or getattr(pkg, "api_key", None)
    else:
        key = key or getattr(pkg, "api_key", None) or _first_env(config.key_env)
    base = api_base or getattr(pkg, "api_base", None) or _first_env(config.base_env)
    version = None
    if provider == "azure":
        version = (
            api_version
            or getattr(pkg, "api_version", None)
            or os.environ.get("AZURE_API_VERSION")
            or getattr(pkg, "AZURE_DEFAULT_API_VERSION", None)
        )
    return Route(provider=provider, model=wire_model, api_key=key, api_base=base, api_version=version)
