"""litellm's utility API that libraries call before or around completion(): ``get_llm_provider``,
``get_supported_openai_params``, bare-model routing, and the module paths they import them from
(dspy, crewai and langchain-litellm; issue 10). Compared with the pinned litellm where it is installed."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator, List, Optional

import pytest

import edgequake
from edgequake._call.routing import bare_provider
from tests.litellm_cases import answer

ROOT = Path(__file__).resolve().parents[1]


# --- bare model names ---------------------------------------------------------------------------


def test_every_bare_name_routes_as_litellm_routes_it(litellm: Any) -> None:
    names = sorted(k for k in litellm.model_cost if "/" not in k)
    names += [
        "gpt-9-foo",
        "o3-x",
        "claude-x",
        "llama3",
        "ft:gpt-4o:org:custom:id",
        "gpt-image-9",
        "ft:davinci",
    ]
    wrong = []
    for name in names:
        theirs = answer(lambda n: litellm.get_llm_provider(n)[1], name)
        ours = bare_provider(name)
        if (ours or "BadRequestError") != theirs:
            wrong.append((name, ours, theirs))
    assert not wrong, wrong[:10]


def test_an_unroutable_bare_name_is_litellms_bad_request() -> None:
    with pytest.raises(edgequake.BadRequestError, match="LLM Provider NOT provided"):
        edgequake.completion(model="gpt-9-foo", messages=[{"role": "user", "content": "hi"}])


# --- get_llm_provider ---------------------------------------------------------------------------

MODELS = [
    "openai/gpt-4o",
    "azure/my-deploy",
    "mistral/mistral-small",
    "xai/grok-2",
    "openrouter/openai/gpt-4o",
    "groq/llama3",
    "deepseek/deepseek-chat",
    "together_ai/meta/llama",
    "fireworks_ai/accounts/x/models/y",
    "huggingface/org/m",
    "cerebras/llama3",
    "anthropic/claude-sonnet-4-5",
    "gemini/gemini-2.0-flash",
    "ollama/llama3",
    "ollama_chat/llama3",
    "cohere/command-r",
    "gpt-4o",
    "claude-sonnet-4-5",
    "text-embedding-3-small",
]
ENV_KEYS = [
    "OPENAI_API_KEY",
    "GROQ_API_KEY",
    "MISTRAL_API_KEY",
    "XAI_API_KEY",
    "DEEPSEEK_API_KEY",
    "CEREBRAS_API_KEY",
    "OPENROUTER_API_KEY",
    "TOGETHERAI_API_KEY",
    "FIREWORKS_API_KEY",
    "HF_TOKEN",
    "ANTHROPIC_API_KEY",
    "GEMINI_API_KEY",
    "COHERE_API_KEY",
]


@pytest.fixture(params=["no-env", "env"])
def environment(request: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if request.param == "env":
        for name in ENV_KEYS:
            monkeypatch.setenv(name, f"env-{name}")
        monkeypatch.setenv("OLLAMA_API_BASE", "http://ollama.local:11434")
    yield


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize(
    "arguments", [{}, {"api_key": "k"}, {"api_base": "http://b"}, {"api_key": "k", "api_base": "http://b/"}]
)
def test_get_llm_provider_answers_as_litellm(
    litellm: Any, environment: None, model: str, arguments: Any
) -> None:
    assert answer(edgequake.get_llm_provider, model, **arguments) == answer(
        litellm.get_llm_provider, model, **arguments
    )


def test_get_llm_provider_with_custom_llm_provider(litellm: Any) -> None:
    for model, provider in [("llama3", "groq"), ("gpt-4o", "openai"), ("claude-x", "anthropic")]:
        ours = edgequake.get_llm_provider(model, custom_llm_provider=provider)
        assert ours == litellm.get_llm_provider(model, custom_llm_provider=provider)


# --- get_supported_openai_params ----------------------------------------------------------------

PARAM_CALLS: List[Any] = [
    ("gpt-4o", None, "chat_completion"),
    ("openai/gpt-4o", None, "chat_completion"),
    ("gpt-4o", "openai", "chat_completion"),
    ("o3-mini", None, "chat_completion"),
    ("text-embedding-3-small", None, "embeddings"),
    ("claude-sonnet-4-5", None, "chat_completion"),
    ("claude-3-5-haiku-20241022", "anthropic", "chat_completion"),
    ("anthropic/claude-3-5-haiku-20241022", "anthropic", "chat_completion"),
    ("gemini/gemini-2.0-flash", None, "chat_completion"),
    ("mistral/mistral-embed", None, "embeddings"),
    ("groq/llama-3.3-70b-versatile", None, "chat_completion"),
    ("my-deploy", "azure", "chat_completion"),
    ("ollama/llama3", None, "chat_completion"),
    ("cohere/command-r", None, "chat_completion"),
    ("unroutable-model", None, "chat_completion"),
    ("gpt-4o", None, "no-such-request-type"),
]


@pytest.mark.parametrize(("model", "provider", "request_type"), PARAM_CALLS)
def test_get_supported_openai_params_answers_as_litellm(
    litellm: Any, model: str, provider: Optional[str], request_type: str
) -> None:
    def ask(module: Any) -> Any:
        return module.get_supported_openai_params(
            model, custom_llm_provider=provider, request_type=request_type
        )

    assert answer(ask, edgequake) == answer(ask, litellm)


def test_the_generated_table_matches_litellm_model_by_model(litellm: Any) -> None:
    """Every model the table lists, per provider and request type (regenerate with
    tools/gen_supported_params.py after a litellm upgrade)."""
    table = json.loads((ROOT / "edgequake" / "_params" / "supported.json").read_text())
    wrong = []
    for provider, per_type in table["models"].items():
        for request_type, models in per_type.items():
            for model in list(models)[:60]:
                theirs = answer(litellm.get_supported_openai_params, model, provider, request_type)
                ours = edgequake.get_supported_openai_params(model, provider, request_type)
                if ours != theirs:
                    wrong.append((provider, request_type, model))
    assert not wrong, wrong[:10]


def test_a_delegated_provider_is_answered_by_litellm(litellm: Any) -> None:
    model = "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0"
    assert edgequake.get_supported_openai_params(model) == litellm.get_supported_openai_params(model)


def test_the_list_is_the_callers_to_change() -> None:
    first = edgequake.get_supported_openai_params("gpt-4o")
    assert first is not None
    first.append("mine")
    assert "mine" not in (edgequake.get_supported_openai_params("gpt-4o") or [])


# --- module paths -------------------------------------------------------------------------------


def test_the_module_paths_libraries_import() -> None:
    from edgequake._logging import verbose_logger
    from edgequake.litellm_core_utils.get_llm_provider_logic import get_llm_provider
    from edgequake.litellm_core_utils.get_supported_openai_params import get_supported_openai_params
    from edgequake.utils import ModelResponse, Usage, supports_response_schema  # noqa: F401

    assert ModelResponse is edgequake.ModelResponse and Usage is edgequake.Usage
    assert get_supported_openai_params is edgequake.get_supported_openai_params
    assert get_llm_provider is edgequake.get_llm_provider
    assert verbose_logger.name == "LiteLLM"
    assert edgequake.utils is importlib.import_module("edgequake.utils")


def test_router_is_reachable_where_litellm_has_it_and_refuses_what_it_lacks() -> None:
    from edgequake.router import Router

    assert edgequake.Router is Router
    with pytest.raises(NotImplementedError, match=r"Router does not implement redis_host"):
        Router(model_list=[], redis_host="localhost")


IMPORTS_UNDER_THE_SWAP = """
import sys
import edgequake
sys.modules["litellm"] = edgequake
import litellm
from litellm.types.utils import ModelResponse, Usage, Delta
from litellm.litellm_core_utils.get_supported_openai_params import get_supported_openai_params
from litellm.utils import supports_response_schema, supports_function_calling
from litellm._logging import verbose_logger
assert ModelResponse is edgequake.ModelResponse and Usage is edgequake.Usage
assert "response_format" in get_supported_openai_params("gpt-4o")
assert litellm.get_llm_provider("claude-sonnet-4-5")[1] == "anthropic"
print("ok")
"""


def test_libraries_imports_work_with_edgequake_installed_as_litellm() -> None:
    out = subprocess.run(
        [sys.executable, "-c", IMPORTS_UNDER_THE_SWAP],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={k: v for k, v in os.environ.items()},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


# --- supports_* -----------------------------------------------------------------------------------

SUPPORTS_QUERIES = [
    ("gpt-4o", None),
    ("openai/gpt-4o", None),
    ("gpt-4o", "openai"),
    ("o3-mini", None),
    ("claude-sonnet-4-5", None),
    ("anthropic/claude-sonnet-4-5", None),
    ("claude-sonnet-4-5", "anthropic"),
    ("anthropic/claude-3-5-haiku-20241022", None),
    ("gemini/gemini-2.5-flash", None),
    ("gemini-2.5-flash", "gemini"),
    ("mistral/mistral-large-latest", None),
    ("groq/llama-3.3-70b-versatile", None),
    ("xai/grok-3", None),
    ("deepseek/deepseek-chat", None),
    ("ollama/llama3", None),
    ("cohere/command-r", None),
    ("openrouter/openai/gpt-4o", None),
    ("azure/my-deploy", None),
    ("anthropic/claude-unknown-9", None),
    ("gemini/gemini-unknown-9", None),
    ("unroutable-model", None),
]


@pytest.mark.parametrize(("model", "provider"), SUPPORTS_QUERIES)
def test_supports_functions_answer_as_litellm(litellm: Any, model: str, provider: Optional[str]) -> None:
    from edgequake.utils import SUPPORTS_FUNCTIONS

    wrong = []
    import litellm.utils as their_utils

    for name in SUPPORTS_FUNCTIONS:
        ours = getattr(edgequake.utils, name)(model, custom_llm_provider=provider)
        theirs = getattr(their_utils, name)(model=model, custom_llm_provider=provider)
        assert hasattr(edgequake, name) == hasattr(litellm, name), name
        if ours is not theirs:
            wrong.append((name, ours, theirs))
    assert not wrong


def test_supports_functions_never_import_litellm() -> None:
    code = (
        "import sys, edgequake\n"
        "assert edgequake.supports_function_calling('claude-sonnet-4-5')\n"
        "assert edgequake.utils.supports_response_schema('gpt-4o')\n"
        "assert not edgequake.supports_vision('unroutable-model')\n"
        "assert 'litellm' not in sys.modules\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 0, out.stderr
