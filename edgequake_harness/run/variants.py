"""Call variants: the same recorded call made the other ways users and libraries make it.

The derived call passes ``api_key`` and ``api_base`` per call. Users set them once, as module globals
(``litellm.api_key = ...``) or in the environment (``OPENAI_API_KEY``, ``OPENAI_API_BASE``), and
libraries built on litellm pass litellm's own control arguments (dspy's ``retry_strategy``, tracing
``metadata``, ``litellm_call_id``), which must never reach the provider. Each variant is judged as a
mode of its own, ``sync/<variant>`` (sync consumption), against the reference making the same call the
same way, and the requests each target sent are diffed as in every mode.

A variant applies to a case only where litellm reads that way of configuring the call: the
environment variables below are the ones litellm 1.110.2 reads for each route (its provider configs'
``get_secret_str`` names); the module globals are read on every route listed.
"""

from __future__ import annotations

import contextlib
import copy
import os
from types import ModuleType
from typing import TYPE_CHECKING, Any, Dict, Iterator, Optional, Tuple

from edgequake_harness.modes import SEPARATOR, VARIANTS

if TYPE_CHECKING:
    from edgequake_harness.cassettes.derive import Call


# litellm model prefix -> (API key variable, base URL variable), as litellm reads them.
ENVIRONMENT: Dict[str, Tuple[str, str]] = {
    "openai": ("OPENAI_API_KEY", "OPENAI_API_BASE"),
    "azure": ("AZURE_API_KEY", "AZURE_API_BASE"),
    "mistral": ("MISTRAL_API_KEY", "MISTRAL_AZURE_API_BASE"),
    "xai": ("XAI_API_KEY", "XAI_API_BASE"),
    "openrouter": ("OPENROUTER_API_KEY", "OPENROUTER_API_BASE"),
    "groq": ("GROQ_API_KEY", "GROQ_API_BASE"),
    "deepseek": ("DEEPSEEK_API_KEY", "DEEPSEEK_API_BASE"),
    "together_ai": ("TOGETHERAI_API_KEY", "TOGETHER_AI_API_BASE"),
    "fireworks_ai": ("FIREWORKS_API_KEY", "FIREWORKS_API_BASE"),
    "cerebras": ("CEREBRAS_API_KEY", "CEREBRAS_API_BASE"),
    "anthropic": ("ANTHROPIC_API_KEY", "ANTHROPIC_API_BASE"),
    "gemini": ("GEMINI_API_KEY", "GEMINI_API_BASE"),
    "cohere": ("COHERE_API_KEY", "COHERE_API_BASE"),
    "cohere_chat": ("COHERE_API_KEY", "COHERE_API_BASE"),
    "ollama": ("OLLAMA_API_KEY", "OLLAMA_API_BASE"),
    "ollama_chat": ("OLLAMA_API_KEY", "OLLAMA_API_BASE"),
}
# Routes where litellm reads both ``litellm.api_base`` and ``litellm.api_key`` (measured, see
# tests/test_settings_sources.py; on the others it fills in the provider's host or skips the global key).
GLOBALS = frozenset({"openai", "azure", "openrouter", "anthropic", "gemini", "cohere_chat", "ollama_chat"})
# Functions a route reads these settings for, where not every one does (Cohere's embed and rerank
# take neither COHERE_API_BASE nor litellm.api_base: measured, both targets go to api.cohere.ai).
FUNCTIONS = {"cohere": frozenset({"completion"}), "cohere_chat": frozenset({"completion"})}

# litellm's own arguments as real libraries pass them (dspy, tracing integrations): litellm keeps
# every one of them out of the provider's request.
LIBRARY_ARGS: Dict[str, Any] = {
    "metadata": {"trace_id": "harness-trace", "tags": ["harness"]},
    "litellm_call_id": "harness-call-id",
    "litellm_trace_id": "harness-trace-id",
    "retry_strategy": "exponential_backoff_retry",
    "caching": False,
    "cache": {"no-cache": True, "no-store": True},
    "proxy_server_request": {"url": "http://127.0.0.1/", "body": {}},
    "litellm_metadata": {"source": "harness"},
}


def split(mode: str) -> Tuple[str, Optional[str]]:
    """``"sync/env"`` -> ``("sync", "env")``; ``"async"`` -> ``("async", None)``."""
    consumption, _, variant = mode.partition(SEPARATOR)
    return consumption, variant or None


def modes(call: Optional[Call]) -> Tuple[str, ...]:
    """The variant modes that apply to a call (none for a call that cannot be made)."""
    if call is None:
        return ()
    prefix = call.model.split("/", 1)[0]
    if call.function not in FUNCTIONS.get(prefix, (call.function,)):
        return ("sync" + SEPARATOR + "library-args",)
    out = []
    for variant in VARIANTS:
        if variant == "env" and prefix not in ENVIRONMENT:
            continue
        if variant == "globals" and prefix not in GLOBALS:
            continue
        out.append(f"sync{SEPARATOR}{variant}")  # one of modes.VARIANT_MODES
    return tuple(out)


@contextlib.contextmanager
def applied(
    variant: Optional[str], module: ModuleType, call: Call, arguments: Dict[str, Any]
) -> Iterator[None]:
    """Make ``arguments`` (the per-call form, edited in place) the variant's call, for one call.

    Globals and environment are put back afterwards, also when the call was abandoned."""
    if variant is None:
        yield
        return
    if variant == "library-args":
        # a copy per call: litellm writes into the caller's `metadata` (hidden params, timings)
        arguments.update(copy.deepcopy(LIBRARY_ARGS))
        yield
        return
    key, base = arguments.pop("api_key", None), arguments.pop("api_base", None)
    if variant == "globals":
        saved = {name: getattr(module, name, None) for name in ("api_key", "api_base")}
        setattr(module, "api_key", key)  # noqa: B010  (a module attribute of any target)
        setattr(module, "api_base", base)  # noqa: B010
        try:
            yield
        finally:
            for name, value in saved.items():
                setattr(module, name, value)
        return
    if variant == "env":
        names = ENVIRONMENT[call.model.split("/", 1)[0]]
        saved_env = {name: os.environ.get(name) for name in names}
        os.environ.update({names[0]: str(key or ""), names[1]: str(base or "")})
        try:
            yield
        finally:
            for name, old in saved_env.items():
                if old is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = old
        return
    raise ValueError(f"unknown call variant {variant!r} (known: {', '.join(VARIANTS)})")
