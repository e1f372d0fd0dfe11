"""litellm's cost and token utilities (``edgequake._cost``), each compared with the pinned litellm over
a table of models and usages: the price table itself, ``get_model_info``'s lookup rules, prices per
token (cache reads and writes, reasoning, audio, long-context tiers, custom prices, unknown models),
``completion_cost`` on responses, embeddings and streams, and the cost the call path records."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

import edgequake
from edgequake._cost import lookup, table
from tests import payloads
from tests.litellm_cases import answer
from tests.loopback import LoopbackServer, Reply, sse

ROOT = Path(__file__).resolve().parents[1]


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-12 + 1e-9 * abs(a)
    return bool(a == b)


# --- the table --------------------------------------------------------------------------------------


def test_the_shipped_table_is_the_pinned_litellm_file(litellm: Any) -> None:
    shipped = json.loads((ROOT / "edgequake/_cost/model_prices.json").read_text(encoding="utf-8"))
    pinned = Path(litellm.__file__).parent / "model_prices_and_context_window_backup.json"
    assert shipped == json.loads(pinned.read_text(encoding="utf-8")), "run tools/refresh_model_prices.py"


def test_model_cost_is_litellm_model_cost_after_loading(litellm: Any) -> None:
    # litellm takes the generalisation rules out and serves alias rows as their owner's entry
    assert edgequake.model_cost == litellm.model_cost
    assert list(edgequake.model_cost) == list(litellm.model_cost)
    assert edgequake.model_cost is table.model_cost()


def test_model_info_keys_are_litellms(litellm: Any) -> None:
    assert list(edgequake.get_model_info("gpt-3.5-turbo")) == list(litellm.get_model_info("gpt-3.5-turbo"))


def test_import_does_not_load_the_table() -> None:
    code = "import sys, edgequake; print('edgequake._cost.table' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_public_names_as_litellm_has_them(litellm: Any) -> None:
    names = (
        "completion_cost",
        "cost_per_token",
        "response_cost_calculator",
        "token_counter",
        "get_model_info",
        "register_model",
        "get_max_tokens",
        "encode",
        "decode",
    )
    for name in names:
        assert callable(getattr(edgequake, name)), name
        assert getattr(edgequake.utils, name) is getattr(edgequake, name), name
        assert hasattr(litellm.utils, name), name


# --- get_model_info ---------------------------------------------------------------------------------

_INFO_NAMES: List[Tuple[str, Optional[str]]] = [
    ("gpt-4o", None),
    ("openai/gpt-4o", None),
    ("gpt-4o", "openai"),
    ("GPT-4O", None),
    ("gpt-4o-2024-99-99", None),  # an unknown dated snapshot of a listed model
    ("ft:gpt-4o-mini:org:suffix:id", None),
    ("claude-sonnet-4-5", None),
    ("anthropic/claude-sonnet-4-5", None),
    ("claude-newfamily-9", None),  # only litellm's generalisation rules know it
    ("gemini/gemini-2.5-flash", None),
    ("gemini-2.5-pro", "gemini"),
    ("gemini/gemini-2.5-flash-001", None),
    ("mistral/mistral-large-latest", None),
    ("deepseek/deepseek-chat", None),
    ("xai/grok-4", None),
    ("grok-4", "xai"),
    ("groq/llama-3.3-70b-versatile", None),
    ("together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", None),
    ("ollama/llama3", None),
    ("ollama/not-listed", None),
    ("text-embedding-3-small", None),
    ("azure/gpt-4o", None),
    ("gpt-35-turbo", None),
    ("no-such-model", None),
    ("openai/no-such-model", None),
]


@pytest.mark.parametrize("model,provider", _INFO_NAMES)
def test_get_model_info_as_litellm(litellm: Any, model: str, provider: Optional[str]) -> None:
    ours = answer(edgequake.get_model_info, model, provider)
    theirs = answer(litellm.get_model_info, model, provider)
    if isinstance(theirs, dict) and isinstance(ours, dict):
        params = answer(litellm.get_supported_openai_params, model=model, custom_llm_provider=provider)
        if edgequake.get_supported_openai_params(model=model, custom_llm_provider=provider) != params:
            # get_supported_openai_params' own gap (tests/test_utils_api.py), not the info lookup's
            ours.pop("supported_openai_params")
            theirs.pop("supported_openai_params")
        assert {k: v for k, v in ours.items() if v != theirs.get(k)} == {}
        assert list(ours) == list(theirs)
    else:
        assert ours == theirs


def test_get_model_info_over_a_sample_of_the_table(litellm: Any) -> None:
    """Every entry as users name it (the key, with its prefix, with custom_llm_provider): a random
    sample of 1500 queries, compared without supported_openai_params (tested on its own)."""
    queries: List[Tuple[str, Optional[str]]] = []
    for key, entry in litellm.model_cost.items():
        provider = entry.get("litellm_provider")
        queries.append((key, None))
        if isinstance(provider, str) and key.startswith(provider + "/"):
            queries.append((key[len(provider) + 1 :], provider))
        elif isinstance(provider, str):
            queries += [(f"{provider}/{key}", None), (key, provider)]
    sample = random.Random(7).sample(queries, 1500)
    differ = []
    for model, provider in sample:
        theirs = answer(litellm.get_model_info, model, provider)
        if isinstance(theirs, dict):
            theirs.pop("supported_openai_params", None)
        ours = answer(lookup.model_info_base, model, provider)
        if ours != theirs:
            differ.append((model, provider))
    # measured: a few dozen names litellm resolves through provider configs edgequake does not
    # model (bedrock_converse, ai21, lemonade routing); everything else agrees
    assert len(differ) <= 0.02 * len(sample), differ[:20]


def test_get_max_tokens_as_litellm(litellm: Any) -> None:
    for model in ("gpt-4o", "openai/gpt-4o", "claude-sonnet-4-5", "gemini/gemini-2.5-flash", "no-such-model"):
        assert answer(edgequake.get_max_tokens, model) == answer(litellm.get_max_tokens, model), model


def test_unknown_model_raises_litellms_error() -> None:
    with pytest.raises(edgequake.ModelNotMappedError, match="This model isn't mapped yet"):
        edgequake.get_model_info("openai/no-such-model")


# --- cost_per_token ---------------------------------------------------------------------------------

_USAGES: Dict[str, Dict[str, Any]] = {
    "plain": {"prompt_tokens": 1000, "completion_tokens": 200, "total_tokens": 1200},
    "cached": {
        "prompt_tokens": 1000,
        "completion_tokens": 200,
        "total_tokens": 1200,
        "prompt_tokens_details": {"cached_tokens": 600},
    },
    "reasoning_audio": {
        "prompt_tokens": 1000,
        "completion_tokens": 500,
        "total_tokens": 1500,
        "prompt_tokens_details": {"cached_tokens": 300, "audio_tokens": 100},
        "completion_tokens_details": {"reasoning_tokens": 300, "audio_tokens": 50},
    },
    "anthropic_cache": {
        "prompt_tokens": 1700,
        "completion_tokens": 100,
        "total_tokens": 1800,
        "cache_read_input_tokens": 400,
        "cache_creation_input_tokens": 300,
        "prompt_tokens_details": {"cached_tokens": 400, "cache_creation_tokens": 300},
    },
    "long_context": {"prompt_tokens": 250_000, "completion_tokens": 1000, "total_tokens": 251_000},
}
_PRICED = [
    "gpt-4o",
    "openai/gpt-4o-mini",
    "o3-mini",
    "gpt-4o-audio-preview-2024-12-17",
    "azure/gpt-4o",
    "claude-sonnet-4-5",
    "anthropic/claude-haiku-4-5",
    "claude-sonnet-4-5-20250929",
    "gemini/gemini-2.5-pro",
    "gemini/gemini-2.5-flash",
    "mistral/mistral-large-latest",
    "deepseek/deepseek-chat",
    "deepseek/deepseek-reasoner",
    "deepseek/deepseek-v4-flash",  # off-peak prices: both sides read the same clock
    "xai/grok-4.3",
    "xai/grok-4.20-0309-reasoning",
    "groq/openai/gpt-oss-120b",
    "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo",
    "openrouter/openai/gpt-4o",
    "command-r-08-2024",
    "cohere_chat/command-r-plus-08-2024",
    "mistral/codestral-latest",
    "ollama/llama3",
    "text-embedding-3-small",
    "no-such-model",
    "openai/no-such-model",
]


@pytest.mark.parametrize("model", _PRICED)
@pytest.mark.parametrize("usage", sorted(_USAGES))
def test_cost_per_token_as_litellm(litellm: Any, model: str, usage: str) -> None:
    data = _USAGES[usage]
    kwargs = {"prompt_tokens": data["prompt_tokens"], "completion_tokens": data["completion_tokens"]}
    theirs = answer(litellm.cost_per_token, model=model, usage_object=litellm.Usage(**data), **kwargs)
    ours = answer(edgequake.cost_per_token, model=model, usage_object=edgequake.Usage(**data), **kwargs)
    assert _close(ours, theirs), (ours, theirs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"model": "gpt-4o", "prompt_tokens": 10, "completion_tokens": 5},
        {"model": "gpt-4o", "custom_llm_provider": "openai", "prompt_tokens": 10, "completion_tokens": 5},
        {"model": "claude-sonnet-4-5", "prompt_tokens": 100, "cache_read_input_tokens": 40},
        {"model": "claude-sonnet-4-5", "prompt_tokens": 100, "cache_creation_input_tokens": 40},
        {
            "model": "gpt-4o",
            "prompt_tokens": 10,
            "completion_tokens": 5,
            "custom_cost_per_token": {"input_cost_per_token": 1.0, "output_cost_per_token": 2.0},
        },
        {"model": "gpt-4o", "custom_cost_per_second": 0.5, "response_time_ms": 2000},
        {"model": "no-such-model", "prompt_tokens": 1},
    ],
)
def test_cost_per_token_argument_forms(litellm: Any, kwargs: Dict[str, Any]) -> None:
    assert _close(answer(edgequake.cost_per_token, **kwargs), answer(litellm.cost_per_token, **kwargs))


# --- completion_cost --------------------------------------------------------------------------------


def _response(module: Any, model: str, usage: Dict[str, Any]) -> Any:
    message = {"role": "assistant", "content": "Hello there!"}
    return module.ModelResponse(model=model, choices=[{"message": message}], usage=module.Usage(**usage))


@pytest.mark.parametrize("model", [m for m in _PRICED if "embedding" not in m])
@pytest.mark.parametrize("usage", ["plain", "cached", "reasoning_audio"])
def test_completion_cost_of_a_response_as_litellm(litellm: Any, model: str, usage: str) -> None:
    data = _USAGES[usage]
    theirs = answer(litellm.completion_cost, completion_response=_response(litellm, model, data))
    ours = answer(edgequake.completion_cost, completion_response=_response(edgequake, model, data))
    assert _close(ours, theirs), (ours, theirs)


def test_a_cost_the_upstream_states_is_the_bill(litellm: Any) -> None:
    # OpenRouter states what it charged in usage.cost; litellm bills that (the table lists no
    # openrouter model), as it does any OpenAI-compatible upstream but xAI's
    data = {**_USAGES["plain"], "cost": 0.0123}
    for model in ("openrouter/openai/gpt-4o", "gpt-4o", "xai/grok-4.3"):
        theirs = answer(litellm.completion_cost, completion_response=_response(litellm, model, data))
        ours = answer(edgequake.completion_cost, completion_response=_response(edgequake, model, data))
        assert _close(ours, theirs), (model, ours, theirs)


def test_completion_cost_prices_the_served_model(litellm: Any) -> None:
    # asked for one model, served by another: litellm prices the one that served the call
    data = _USAGES["cached"]
    args = {"model": "deepseek/deepseek-reasoner"}
    theirs = litellm.completion_cost(completion_response=_response(litellm, "deepseek-chat", data), **args)
    ours = edgequake.completion_cost(completion_response=_response(edgequake, "deepseek-chat", data), **args)
    assert _close(ours, theirs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"model": "gpt-4o", "prompt": "Hello there, how are you?", "completion": "Fine, thanks."},
        {"model": "gpt-3.5-turbo", "messages": [{"role": "user", "content": "hi"}], "completion": "hello"},
        {"model": "claude-sonnet-4-5", "prompt": "Hello", "completion": "Hi"},
        {
            "model": "gpt-4o",
            "prompt": "Hello",
            "completion": "Hi",
            "custom_cost_per_token": {"input_cost_per_token": 0.1, "output_cost_per_token": 0.2},
        },
        {"model": "no-such-model", "prompt": "x", "completion": "y"},
    ],
)
def test_completion_cost_from_text_as_litellm(litellm: Any, kwargs: Dict[str, Any]) -> None:
    assert _close(answer(edgequake.completion_cost, **kwargs), answer(litellm.completion_cost, **kwargs))


def test_completion_cost_of_an_embedding_response(litellm: Any) -> None:
    def build(module: Any) -> Any:
        return module.EmbeddingResponse(
            model="text-embedding-3-small",
            data=[{"object": "embedding", "index": 0, "embedding": [0.1]}],
            usage=module.Usage(prompt_tokens=1000, total_tokens=1000),
        )

    ours = edgequake.completion_cost(completion_response=build(edgequake))
    assert _close(ours, litellm.completion_cost(completion_response=build(litellm)))
    assert ours > 0


def test_register_model_prices_a_new_model(litellm: Any) -> None:
    entry = {
        "my-house-model": {
            "input_cost_per_token": 0.001,
            "output_cost_per_token": 0.002,
            "litellm_provider": "openai",
            "mode": "chat",
        }
    }
    try:
        edgequake.register_model(json.loads(json.dumps(entry)))
        litellm.register_model(json.loads(json.dumps(entry)))
        args = {"model": "my-house-model", "prompt_tokens": 10, "completion_tokens": 10}
        assert _close(edgequake.cost_per_token(**args), litellm.cost_per_token(**args))
        assert edgequake.get_model_info("my-house-model")["input_cost_per_token"] == 0.001
    finally:  # both tables as they were: other tests walk litellm's model lists
        table.model_cost().pop("my-house-model", None)
        table.touch()
        litellm.model_cost.pop("my-house-model", None)
        for names in (litellm.open_ai_chat_completion_models, litellm.model_list_set):
            names.discard("my-house-model")
        litellm.utils._invalidate_model_cost_lowercase_map()


def test_response_cost_calculator(litellm: Any) -> None:
    data = _USAGES["plain"]
    args = {"model": "gpt-4o", "custom_llm_provider": "openai", "call_type": "completion"}
    args["optional_params"] = {}
    ours = edgequake.response_cost_calculator(_response(edgequake, "gpt-4o", data), **args)
    theirs = litellm.response_cost_calculator(_response(litellm, "gpt-4o", data), **args)
    assert _close(ours, theirs)
    response = _response(edgequake, "gpt-4o", data)
    hit = edgequake.response_cost_calculator(response, cache_hit=True, **args)
    assert hit == 0


# --- the call path ----------------------------------------------------------------------------------


def _call(module: Any, server: LoopbackServer, **kwargs: Any) -> Any:
    args = {"model": "openai/gpt-4o-mini", "messages": payloads.USER, "api_key": "k"}
    if module is edgequake:
        return list(module.completion(**args, api_base=server.url + "/v1", **kwargs)) if kwargs.get(
            "stream"
        ) else module.completion(**args, api_base=server.url + "/v1", **kwargs)
    import openai

    # litellm's openai route keeps the client it makes open: give it one that is closed after
    with openai.OpenAI(base_url=server.url + "/v1", api_key="k", max_retries=0) as client:
        result = module.completion(**args, client=client, **kwargs)
        result = list(result) if kwargs.get("stream") else result
    _collect_litellm_leftovers()
    return result


def _collect_litellm_leftovers() -> None:
    """litellm's sync call leaves the thread's event loop (its logging path asks for one) open; close
    it here, as asyncio.run does with its own, rather than in whichever test collects it next."""
    import asyncio
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        policy = asyncio.get_event_loop_policy()
        loop = getattr(getattr(policy, "_local", None), "_loop", None)
    if loop is not None and not loop.is_running():
        loop.close()
        asyncio.set_event_loop(None)


def test_responses_carry_litellms_response_cost(litellm: Any, server: LoopbackServer) -> None:
    server.enqueue(Reply(body=payloads.chat()))
    ours = _call(edgequake, server)
    server.enqueue(Reply(body=payloads.chat()))
    theirs = _call(litellm, server)
    assert ours._hidden_params["response_cost"] == pytest.approx(theirs._hidden_params["response_cost"])
    assert ours._hidden_params["response_cost"] > 0


# litellm's stream wrapper touches a pydantic attribute pydantic 2.11 deprecates (its warning, not ours)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_stream_usage_chunk_carries_litellms_cost(litellm: Any, server: LoopbackServer) -> None:
    events = [*payloads.text_stream("hi"), payloads.usage_chunk()]
    options = {"stream": True, "stream_options": {"include_usage": True}}
    server.enqueue(Reply(events=sse(*events)))
    ours = _call(edgequake, server, **options)
    server.enqueue(Reply(events=sse(*events)))
    theirs = _call(litellm, server, **options)
    assert ours[-1].usage.cost == pytest.approx(theirs[-1].usage.cost)
    built = edgequake.stream_chunk_builder(ours, messages=payloads.USER)
    built_theirs = litellm.stream_chunk_builder(theirs, messages=payloads.USER)
    assert built.usage.cost == pytest.approx(built_theirs.usage.cost)
    assert _close(
        edgequake.completion_cost(completion_response=built, model="gpt-4o-mini"),
        litellm.completion_cost(completion_response=built_theirs, model="gpt-4o-mini"),
    )


@pytest.mark.parametrize("model", ["gpt-4o", "anthropic/claude-sonnet-4-5", "openai/my-unlisted-model"])
def test_a_mocked_response_is_priced_as_litellm_prices_it(litellm: Any, model: str) -> None:
    args = {"model": model, "messages": payloads.USER, "mock_response": "Hello"}
    ours = edgequake.completion(**args)._hidden_params["response_cost"]
    theirs = litellm.completion(**args)._hidden_params["response_cost"]
    _collect_litellm_leftovers()
    assert ours == pytest.approx(theirs) if theirs is not None else ours is None


def test_an_unpriced_model_costs_none_and_the_call_succeeds(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=payloads.chat(model="my-unlisted-model")))
    resp = edgequake.completion(
        model="openai/my-unlisted-model", messages=payloads.USER, api_key="k", api_base=server.url + "/v1"
    )
    assert resp.choices[0].message.content == "Hello there!"
    assert resp._hidden_params["response_cost"] is None


# --- token counting ---------------------------------------------------------------------------------

_MESSAGES = [
    [{"role": "user", "content": "hi"}],
    [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "Hello there!", "name": "bob"},
    ],
    [{"role": "user", "content": [{"type": "text", "text": "hi there"}, {"type": "text", "text": "again"}]}],
    [
        {"role": "user", "content": "weather?"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": "c1", "type": "function", "function": {"name": "get_weather", "arguments": '{"a":1}'}}
            ],
        },
        {"role": "tool", "tool_call_id": "c1", "content": "sunny"},
    ],
]


@pytest.mark.parametrize("model", ["gpt-4o", "gpt-3.5-turbo", "gemini/gemini-2.5-flash", "ollama/llama3"])
@pytest.mark.parametrize("index", range(len(_MESSAGES)))
def test_token_counter_messages_as_litellm(litellm: Any, model: str, index: int) -> None:
    messages = _MESSAGES[index]
    assert edgequake.token_counter(model=model, messages=messages) == litellm.token_counter(
        model=model, messages=messages
    )


@pytest.mark.parametrize("text", ["", "hello world", "Ünïcödé and emoji 🎉", "a " * 500])
def test_token_counter_text_and_encode_as_litellm(litellm: Any, text: str) -> None:
    for model in ("gpt-4o", "gpt-3.5-turbo", "mistral/mistral-large-latest"):
        ours = edgequake.token_counter(model=model, text=text)
        assert ours == litellm.token_counter(model=model, text=text), model
    assert edgequake.encode(model="gpt-4o", text=text) == list(litellm.encode(model="gpt-4o", text=text))
    tokens = litellm.encode(model="gpt-4o", text=text)
    assert edgequake.decode(model="gpt-4o", tokens=tokens) == litellm.decode(model="gpt-4o", tokens=tokens)


def test_token_counter_rejects_tools_with_text() -> None:
    with pytest.raises(ValueError, match="tools or tool_choice cannot be set if using text"):
        edgequake.token_counter(model="gpt-4o", text="x", tools=[{"type": "function"}])
