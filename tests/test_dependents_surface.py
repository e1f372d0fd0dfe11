"""Names and behaviours the libraries built on litellm (dspy, langchain-litellm, crewai, smolagents)
reach, compared with litellm 1.110.2 where litellm answers: found by the dependents suite."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
from typing import Iterator

import litellm
import pytest

import edgequake
from tests import payloads
from tests.loopback import LoopbackServer, Reply


def test_openai_chat_completion_params_are_litellms() -> None:
    # langchain-litellm builds its parameter filter from it at import time
    assert edgequake.OPENAI_CHAT_COMPLETION_PARAMS == litellm.OPENAI_CHAT_COMPLETION_PARAMS
    assert edgequake.OPENAI_FINISH_REASONS == litellm.OPENAI_FINISH_REASONS
    from edgequake.constants import OPENAI_CHAT_COMPLETION_PARAMS

    assert OPENAI_CHAT_COMPLETION_PARAMS is edgequake.OPENAI_CHAT_COMPLETION_PARAMS


@pytest.mark.parametrize("value", ["true", " FALSE ", "yes", "1", None])
@pytest.mark.parametrize("default", [None, True])
def test_secrets_read_like_litellms(monkeypatch: pytest.MonkeyPatch, value: str, default: bool) -> None:
    if value is None:
        monkeypatch.delenv("EQ_DEP_SECRET", raising=False)
    else:
        monkeypatch.setenv("EQ_DEP_SECRET", value)
    for name in ("get_secret", "get_secret_bool", "get_secret_str"):
        for key in ("EQ_DEP_SECRET", "os.environ/EQ_DEP_SECRET"):
            assert getattr(edgequake, name)(key, default) == getattr(litellm, name)(key, default), (name, key)


def test_module_settings_have_litellms_defaults() -> None:
    for name in (
        "cache",
        "model_alias_map",
        "model_fallbacks",
        "use_litellm_proxy",
        "modify_params",
        "custom_provider_map",
    ):
        assert getattr(edgequake, name) == getattr(litellm, name), name


@pytest.mark.parametrize(
    "model,provider",
    [
        ("openai/gpt-4o-mini", "openai"),
        ("anthropic/claude-sonnet-4-5", "anthropic"),
        ("gpt-4o-mini", "openai"),
    ],
)
def test_supports_with_the_prefixed_name_and_its_provider(model: str, provider: str) -> None:
    # dspy asks supports_response_schema(model="openai/gpt-4o-mini", custom_llm_provider="openai")
    for name in ("supports_response_schema", "supports_function_calling", "supports_vision"):
        expected = getattr(litellm.utils, name)(model=model, custom_llm_provider=provider)
        assert getattr(edgequake.utils, name)(model=model, custom_llm_provider=provider) == expected, name


@pytest.fixture
def restore_settings() -> Iterator[None]:
    saved = {
        n: getattr(edgequake, n) for n in ("cache", "model_alias_map", "model_fallbacks", "use_litellm_proxy")
    }
    yield
    for name, value in saved.items():
        setattr(edgequake, name, value)


def test_model_alias_map_renames_a_chat_model(server: LoopbackServer, restore_settings: None) -> None:
    edgequake.model_alias_map = {"fast": "openai/gpt-4o-mini"}
    server.enqueue(Reply(body=payloads.chat()))
    edgequake.completion(
        model="fast", messages=[{"role": "user", "content": "hi"}], api_base=server.url + "/v1"
    )
    assert server.seen[0].json()["model"] == "gpt-4o-mini"


@pytest.mark.parametrize("name,value", [("cache", object()), ("use_litellm_proxy", True)])
def test_a_setting_edgequake_lacks_is_refused_not_ignored(
    server: LoopbackServer, restore_settings: None, name: str, value: object
) -> None:
    setattr(edgequake, name, value)
    with pytest.raises(NotImplementedError, match=name):
        edgequake.completion(model="openai/gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
    assert not server.seen


def test_types_keep_edgequakes_module_until_installed_as_litellm() -> None:
    response = edgequake.ModelResponse()
    assert type(response).__module__ == "edgequake.types"
    assert pickle.loads(pickle.dumps(response)).id == response.id


def test_installed_as_litellm_types_name_litellms_module_and_still_pickle() -> None:
    # dspy's streamify takes a chunk for a stream chunk only if its class's module starts with "litellm"
    code = textwrap.dedent(
        """
        import copy, pickle, sys
        import edgequake
        edgequake.install_as_litellm()
        import litellm
        from litellm.types.utils import ModelResponse, ModelResponseStream
        chunk = ModelResponseStream()
        assert type(chunk).__module__.startswith("litellm"), type(chunk).__module__
        assert litellm.__name__ == "edgequake"
        response = litellm.ModelResponse()
        again = pickle.loads(pickle.dumps(response))
        assert type(again) is type(response) is ModelResponse
        assert type(copy.deepcopy(chunk)) is ModelResponseStream
        print("ok")
        """
    )
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    done = subprocess.run([sys.executable, "-c", code, root], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr[-2000:]


def test_custom_llm_is_importable_and_a_custom_provider_is_refused(restore_settings: None) -> None:
    from edgequake.llms.custom_llm import CustomLLM, CustomLLMError

    assert edgequake.CustomLLM is CustomLLM
    with pytest.raises(CustomLLMError, match="Not implemented yet!"):
        CustomLLM().completion()

    class Mine(CustomLLM):
        def completion(self, *args: object, **kwargs: object) -> str:
            return "mine"

    saved = list(edgequake.custom_provider_map)
    edgequake.custom_provider_map = [{"provider": "my-llm", "custom_handler": Mine()}]
    try:
        with pytest.raises(NotImplementedError, match="my-llm"):
            edgequake.completion(model="my-llm/x", messages=[{"role": "user", "content": "hi"}])
    finally:
        edgequake.custom_provider_map = saved
