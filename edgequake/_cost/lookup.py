"""Model names to price-table entries, as litellm 1.110.2 looks them up, and ``get_model_info``.

litellm tries, in order: ``provider/model``, the name as given, the name without its prefix, then the
same with a dated snapshot (``-2024-08-06``), a Gemini/Vertex version (``-001``) or an OpenAI
fine-tune suffix stripped; each exactly, then case-insensitively; and an entry counts only when its
``litellm_provider`` agrees with the provider (measured in ``tests/test_cost.py``).
"""

from __future__ import annotations

import json
import os
import re
import threading
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Dict, Iterator, Optional, Tuple

from edgequake._cost import rules, table

__all__ = [
    "candidates",
    "entry",
    "get_max_tokens",
    "get_model_info",
    "model_info_base",
    "provider_of",
    "register_model",
]

_KEYS_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "model_info_keys.json")
_ABOVE_THRESHOLD = re.compile(r"_above_\d+k?_tokens(?:_batches)?$")
_DATED = re.compile(r"-\d{4}-\d{2}-\d{2}$")
_VERSION = re.compile(r"-\d+$")
_FINETUNE = re.compile(r"(:[^:]*){3}$")
# litellm's aliases for Azure deployment names it prices under another key.
_AZURE_ALIASES = {
    "gpt-35-turbo": "azure/gpt-35-turbo",
    "gpt-35-turbo-instruct": "azure/gpt-35-turbo-instruct",
    "azure/gpt-41": "gpt-4.1",
    "azure/gpt-41-mini": "gpt-4.1-mini",
    "azure/gpt-41-nano": "gpt-4.1-nano",
    "ada": "azure/ada",
}
# What a provider adds to every model's info (litellm's provider configs' get_provider_info).
_PROVIDER_INFO: Dict[str, Dict[str, Any]] = {"xai": {"supports_web_search": True}}


def __getattr__(name: str) -> Any:
    # litellm's ModelNotMappedError is edgequake.exceptions' (built lazily: it imports openai)
    if name == "ModelNotMappedError":
        from edgequake import exceptions

        return exceptions.ModelNotMappedError
    raise AttributeError(name)


class _Unpriced(Exception):
    """What an unlisted model raises while the call path prices a response (``quietly``), where any
    failure only means ``response_cost`` None: litellm's ModelNotMappedError lives among the
    exception classes that import openai, which a first call on an unpriced model (a local Ollama
    model) would otherwise pay for (hundreds of ms)."""


_quiet = threading.local()


@contextmanager
def quietly() -> Iterator[None]:
    """Within: a model the table does not list raises ``_Unpriced``, not litellm's exception."""
    before = getattr(_quiet, "on", False)
    _quiet.on = True
    try:
        yield
    finally:
        _quiet.on = before


def _is_not_mapped(err: BaseException) -> bool:
    return isinstance(err, _Unpriced) or type(err).__name__ == "ModelNotMappedError"


def _not_mapped(model: str, provider: Optional[str]) -> Exception:
    message = (
        f"This model isn't mapped yet. model={model}, custom_llm_provider={provider}. Add it here - "
        "https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json."
    )
    if getattr(_quiet, "on", False):
        return _Unpriced(message)
    from edgequake import exceptions

    return exceptions.ModelNotMappedError(message)


def provider_of(model: str) -> Tuple[str, Optional[str]]:
    """(model without the provider prefix, provider) as litellm's get_llm_provider answers; the name
    as given and None when it cannot route it."""
    from edgequake._call.provider_info import get_llm_provider

    try:
        bare, provider, _, _ = get_llm_provider(model)
    except Exception:
        return model, None
    return bare, provider


def _strip(model: str, provider: Optional[str]) -> str:
    if provider in ("gemini", "vertex_ai", "databricks"):
        return _VERSION.sub("", model)
    if "ft:" in model:
        return _FINETUNE.sub("", model)
    return _DATED.sub("", model)


def candidates(model: str, provider: Optional[str]) -> Tuple[Tuple[str, ...], Optional[str]]:
    """The names litellm tries for ``model``, in its order, and the provider it settles on."""
    if provider is None:
        split, provider = provider_of(model)
        stripped = _strip(model, provider)
        names = (model, model, model, split, stripped, stripped, model)
    elif model.startswith(provider + "/"):
        split = model.split("/", 1)[1]
        stripped = _strip(split, provider)
        names = (model, model, model, split, f"{provider}/{stripped}", stripped, f"{provider}/{model}")
    else:
        stripped = _strip(model, provider)
        combined = f"{provider}/{model}"
        names = (combined, model, combined, model, f"{provider}/{stripped}", stripped, combined)
    return names, provider


def _key(name: str) -> Optional[str]:
    return table.find_key(name)


def _provider_matches(info: Dict[str, Any], provider: Optional[str]) -> bool:
    listed = info.get("litellm_provider")
    if not provider or listed is None or listed == provider:
        return True
    if provider in ("vertex_ai", "fireworks_ai") and str(listed).startswith(provider):
        return True
    if provider.startswith("bedrock") and str(listed).startswith("bedrock"):
        return True
    if provider == "azure_ai" and listed in ("azure", "openai"):
        return True
    return provider in ("litellm_proxy", "github", "nadir")


_Found = Tuple[str, Dict[str, Any], Optional[str]]
# entry()'s answers while nobody holds the whole table (table.model_cost() not called, so nobody can
# have edited it): pricing every call looks the same one or two names up several times.
_found: Dict[Tuple[str, Optional[str]], _Found] = {}


def entry(model: str, custom_llm_provider: Optional[str] = None) -> _Found:
    """(key, raw table entry, provider) for ``model``; raises ModelNotMappedError."""
    if not table.editable():
        found = _found.get((model, custom_llm_provider))
        if found is None:
            found = _entry(model, custom_llm_provider)
            if len(_found) >= 1024:
                _found.clear()
            _found[(model, custom_llm_provider)] = found
        return found
    return _entry(model, custom_llm_provider)


def _entry(model: str, custom_llm_provider: Optional[str]) -> _Found:
    model = _AZURE_ALIASES.get(model, model)
    if custom_llm_provider == "vertex_ai_beta":
        custom_llm_provider = "vertex_ai"
    names, provider = candidates(model, custom_llm_provider)
    keys = [_key(name) for name in names]
    for key in keys:
        if key is not None:
            info = table.get_entry(key)
            if isinstance(info, dict) and _provider_matches(info, provider):
                extra = rules.fill_missing(key, info)
                return key, ({**extra, **info} if extra else info), provider
    if not any(keys):  # rules lose to any exact entry, even one of another provider
        for name in names:
            general = rules.capabilities(name)
            if general is not None:
                return name, ({**general, "litellm_provider": provider} if provider else general), provider
    raise _not_mapped(model, provider)


@lru_cache(maxsize=1)
def _info_keys() -> Tuple[str, ...]:
    with open(_KEYS_PATH, encoding="utf-8") as file:
        return tuple(json.load(file)["keys"])


def _native_structured_output(info: Dict[str, Any]) -> Optional[bool]:
    if info.get("supports_bedrock_native_structured_output_by_default"):
        return info.get("supports_bedrock_native_structured_output") is not False
    declared = info.get("supports_native_structured_output")
    return declared if isinstance(declared, bool) else None


def model_info_base(model: str, custom_llm_provider: Optional[str] = None) -> Dict[str, Any]:
    """litellm's get_model_info without ``supported_openai_params``: every ModelInfo key in litellm's
    order, missing prices as 0 (litellm defaults them and says so in its debug log)."""
    try:
        key, raw, provider = entry(model, custom_llm_provider)
    except Exception as err:
        if not _is_not_mapped(err):
            raise
        bare, provider = (model, custom_llm_provider) if custom_llm_provider else provider_of(model)
        if provider not in ("ollama", "ollama_chat"):
            raise
        # litellm asks the Ollama server (/api/show) about a model it does not list and, when that
        # fails, answers this free chat model; edgequake answers the same without asking.
        return {
            "key": bare,
            "litellm_provider": "ollama",
            "mode": "chat",
            "input_cost_per_token": 0.0,
            "output_cost_per_token": 0.0,
            "max_tokens": None,
            "max_input_tokens": None,
            "max_output_tokens": None,
        }
    out: Dict[str, Any] = {}
    for name in _info_keys():
        if name == "supported_openai_params":
            continue
        out[name] = raw.get(name)
    out["key"] = key
    out["max_tokens"] = raw.get("max_output_tokens") or raw.get("max_input_tokens")
    for price in ("input_cost_per_token", "output_cost_per_token"):
        if out[price] is None:
            out[price] = 0
    out["supports_native_structured_output"] = _native_structured_output(raw)
    for name, value in raw.items():
        if name not in out and _ABOVE_THRESHOLD.search(name):
            out[name] = value
    # litellm adds a provider's own facts only when the caller named the provider
    out.update(_PROVIDER_INFO.get(custom_llm_provider or "", {}))
    if custom_llm_provider == "fireworks_ai":
        out.update(_fireworks_info(raw))
    return out


def _fireworks_info(raw: Dict[str, Any]) -> Dict[str, Any]:
    # litellm's Fireworks config: every model calls tools and caches prompts unless its entry says
    # otherwise; reasoning only when the entry says True; vision and PDF as the entry says.
    extra: Dict[str, Any] = {"supports_function_calling": True, "supports_prompt_caching": True}
    if raw.get("supports_function_calling") is not None:
        extra["supports_function_calling"] = raw["supports_function_calling"]
    if raw.get("supports_reasoning"):
        extra["supports_reasoning"] = raw["supports_reasoning"]
    for name in ("supports_vision", "supports_pdf_input"):
        if raw.get(name) is not None:
            extra[name] = raw[name]
    return extra


def get_model_info(
    model: str,
    custom_llm_provider: Optional[str] = None,
    api_base: Optional[str] = None,
    api_key: Optional[str] = None,
) -> Dict[str, Any]:
    """litellm.get_model_info: the model's context window, prices and capabilities (litellm's
    ``ModelInfo`` keys), with ``supported_openai_params``; raises litellm's "This model isn't mapped
    yet" for a model the table does not list. ``api_base``/``api_key`` are accepted as litellm's
    are; edgequake never asks a server (litellm asks a local Ollama for models it does not list)."""
    from edgequake.utils import get_supported_openai_params

    info = model_info_base(model, custom_llm_provider)
    info["supported_openai_params"] = get_supported_openai_params(
        model=model, custom_llm_provider=custom_llm_provider
    )
    return info


def get_max_tokens(model: str) -> Optional[int]:
    """litellm.get_max_tokens: the model's ``max_output_tokens`` from the table (looked up as given,
    then without its provider prefix); None when the entry has none; litellm's "isn't mapped"
    Exception for a model it does not list."""
    cost = table.model_cost()
    raw = cost.get(model)
    if isinstance(raw, dict) and "max_output_tokens" in raw:
        return raw["max_output_tokens"]  # type: ignore[no-any-return]
    bare, provider = provider_of(model)
    raw = cost.get(bare) if provider is not None else None
    if not isinstance(raw, dict):
        raise Exception(
            f"Model {model} isn't mapped yet. Add it here - "
            "https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json"
        )
    return raw.get("max_output_tokens")  # type: ignore[no-any-return]


def register_model(model_cost: Any) -> Dict[str, Any]:
    """litellm.register_model: merge ``{name: {prices...}}`` into the table (an entry already there
    is updated key by key, as litellm merges it), so completion_cost and get_model_info see it."""
    if isinstance(model_cost, str):
        raise ValueError(
            "register_model(url) downloads a price map; edgequake never downloads at run time: pass the dict"
        )
    cost = table.model_cost()
    for key, value in dict(model_cost).items():
        existing = cost.get(key)
        cost[key] = {**existing, **value} if isinstance(existing, dict) else dict(value)
    table.touch()
    return cost
