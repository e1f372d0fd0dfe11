"""litellm-only call keywords never reach the provider; every other keyword does, as litellm sends it.

litellm 1.110.2 keeps a keyword for itself when ``is_litellm_owned_kwarg`` says so: the name is in
``all_litellm_params`` (406 names) or starts with ``_litellm_``. ``completion()`` and ``embedding()``
filter those out before mapping params; anything else not an OpenAI param is handed on (into the
OpenAI SDK's ``extra_body`` on the OpenAI-compatible routes, which lands at the body's top level).
Measured on the wire by ``tools/measure_litellm_params.py``: on openai/, groq/ and mistral/ (chat) and
openai/ (embeddings), no listed name was in the body and every unlisted unknown name was, unchanged.
"""

from __future__ import annotations

import asyncio
import importlib.util
import pathlib
from typing import Any, Dict, List

import pytest

import edgequake
from edgequake._call.arguments import CONTROL_ARGS, litellm_owned, split_kwargs
from edgequake._call.litellm_params import LITELLM_OWNED_PARAMS, LITELLM_OWNED_PREFIX
from tests import payloads
from tests.loopback import LoopbackServer, Reply

ROOT = pathlib.Path(__file__).resolve().parent.parent
OWNED = sorted(LITELLM_OWNED_PARAMS)

# route: (model, api_base suffix)
ROUTES = {
    "openai": ("openai/gpt-4o-mini", "/v1"),
    "groq": ("groq/llama-3.1-8b-instant", "/openai/v1"),
    "mistral": ("mistral/mistral-small-latest", ""),
}

# Owned names edgequake reads, given values that keep the call on the loopback server; `base` is
# filled in per test. The mock names answer without a request (mock_response's own test below).
STEERING: Dict[str, Any] = {
    "api_key": "k",
    "api_version": "2024-10-21",
    "custom_llm_provider": None,  # the route's provider, per test
    "request_timeout": 30,
    "max_retries": 0,
    "num_retries": 0,
    "headers": {"x-test": "1"},
}
NO_REQUEST = ("mock_response", "mock_timeout", "mock_tool_calls")


def _value(name: str) -> Any:
    """A plausible value for an owned name edgequake does not read (it is never looked at)."""
    if "cost" in name or "multiplier" in name or "rate" in name:
        return 0.5
    if name in ("metadata", "litellm_metadata", "model_info", "proxy_server_request", "cache"):
        return {"k": "v"}
    if name in ("callbacks", "success_callback", "failure_callback", "_async_success_callback"):
        return []  # read by edgequake._callbacks: a list of callbacks (none here)
    if name in ("fallbacks", "tags", "guardrails", "model_list", "litellm_disabled_callbacks"):
        return ["x"]
    if name in ("caching", "verbose", "acompletion", "aembedding", "turn_off_message_logging", "no-log"):
        return True
    return "x"


def _kwargs(names: List[str], base: str, provider: str) -> Dict[str, Any]:
    out: Dict[str, Any] = {"api_base": base, "api_key": "k"}
    for name in names:
        if name == "api_base":
            continue
        if name in STEERING:
            out[name] = provider if name == "custom_llm_provider" else STEERING[name]
        else:
            out[name] = _value(name)
    return out


def _sendable(names: List[str]) -> List[str]:
    return [n for n in names if n not in NO_REQUEST]


# -- (1) the table is litellm's ----------------------------------------------------------------------


def test_table_is_the_installed_litellms_lists() -> None:
    pytest.importorskip("litellm", reason="litellm (the reference) is not installed")
    from litellm.constants import INTERNAL_KWARG_PREFIX
    from litellm.types.utils import all_litellm_params, is_litellm_owned_kwarg

    assert set(all_litellm_params) == LITELLM_OWNED_PARAMS, "run python tools/gen_litellm_params.py"
    assert INTERNAL_KWARG_PREFIX == LITELLM_OWNED_PREFIX
    probes = [*OWNED, *CONTROL_ARGS, "foo_bar", "_litellm_x", "litellm_x", "model_group", "user_api_key"]
    assert [litellm_owned(n) for n in probes] == [is_litellm_owned_kwarg(n) for n in probes]


def test_table_file_is_the_generators_output() -> None:
    pytest.importorskip("litellm", reason="litellm (the reference) is not installed")
    spec = importlib.util.spec_from_file_location(
        "gen_litellm_params", ROOT / "tools" / "gen_litellm_params.py"
    )
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert (ROOT / "edgequake" / "_call" / "litellm_params.py").read_text() == gen.render()


def test_split_kwargs_drops_owned_names_and_keeps_controls() -> None:
    params = {"temperature": 0.1, "timeout": 5, "user": None}
    kwargs = {"retry_strategy": "exponential_backoff_retry", "_litellm_x": 1, "num_retries": 2, "foo": 3}
    body, control = split_kwargs(params, kwargs)
    assert body == {"temperature": 0.1, "foo": 3}
    assert control == {"timeout": 5, "num_retries": 2}


# -- (2) no owned name reaches the body ----------------------------------------------------------------


@pytest.mark.parametrize("name", _sendable(OWNED))
def test_owned_name_not_in_chat_body(server: LoopbackServer, name: str) -> None:
    model, suffix = ROUTES["openai"]
    server.enqueue(Reply(body=payloads.chat()))
    resp = edgequake.completion(
        model=model, messages=payloads.USER, **_kwargs([name], server.url + suffix, "openai")
    )
    assert resp.choices[0].message.content == "Hello there!"
    body = server.seen[-1].json()
    assert name not in body
    assert body == {"model": "gpt-4o-mini", "messages": payloads.USER}


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_all_owned_names_at_once_on_each_route(server: LoopbackServer, route: str) -> None:
    model, suffix = ROUTES[route]
    server.enqueue(Reply(body=payloads.chat()))
    edgequake.completion(
        model=model, messages=payloads.USER, **_kwargs(_sendable(OWNED), server.url + suffix, route)
    )
    body = server.seen[-1].json()
    assert sorted(set(body) & LITELLM_OWNED_PARAMS) == []
    assert set(body) <= {"model", "messages", "stream"}


def test_all_owned_names_async(server: LoopbackServer) -> None:
    model, suffix = ROUTES["openai"]
    server.enqueue(Reply(body=payloads.chat()))

    async def main() -> Any:
        kwargs = _kwargs(_sendable(OWNED), server.url + suffix, "openai")
        return await edgequake.acompletion(model=model, messages=payloads.USER, **kwargs)

    assert asyncio.run(main()).choices[0].message.content == "Hello there!"
    assert server.seen[-1].json() == {"model": "gpt-4o-mini", "messages": payloads.USER}


def test_all_owned_names_embedding(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=payloads.embedding(1)), Reply(body=payloads.embedding(1)))
    kwargs = _kwargs(_sendable(OWNED), server.url + "/v1", "openai")
    edgequake.embedding(model="openai/text-embedding-3-small", input=["a"], **kwargs)
    assert server.seen[-1].json() == {"model": "text-embedding-3-small", "input": ["a"]}

    async def main() -> Any:
        return await edgequake.aembedding(model="openai/text-embedding-3-small", input=["a"], **kwargs)

    assert len(asyncio.run(main()).data) == 1
    assert server.seen[-1].json() == {"model": "text-embedding-3-small", "input": ["a"]}


def test_internal_prefix_is_owned(server: LoopbackServer) -> None:
    model, suffix = ROUTES["openai"]
    server.enqueue(Reply(body=payloads.chat()))
    edgequake.completion(
        model=model, messages=payloads.USER, api_base=server.url + suffix, api_key="k", _litellm_anything=1
    )
    assert "_litellm_anything" not in server.seen[-1].json()


def test_mock_response_keeps_its_meaning(server: LoopbackServer) -> None:
    resp = edgequake.completion(
        model="openai/gpt-4o-mini", messages=payloads.USER, mock_response="canned", retry_strategy="x"
    )
    assert resp.choices[0].message.content == "canned"
    assert server.seen == []


def test_steering_names_keep_their_meaning(server: LoopbackServer) -> None:
    """Owned names edgequake reads still steer the call: headers are sent as headers, the route's
    provider and base come from the call."""
    server.enqueue(Reply(body=payloads.chat()))
    edgequake.completion(
        model="gpt-4o-mini",
        messages=payloads.USER,
        custom_llm_provider="openai",
        api_base=server.url + "/v1",
        api_key="k",
        headers={"x-test": "1"},
        num_retries=0,
    )
    seen = server.seen[-1]
    assert seen.path == "/v1/chat/completions"
    assert seen.headers["x-test"] == "1"
    assert seen.json() == {"model": "gpt-4o-mini", "messages": payloads.USER}


@pytest.mark.parametrize("kind", ["chat", "embedding"])
def test_litellms_transport_names_not_sent(server: LoopbackServer, kind: str) -> None:
    """Not in litellm's table, yet kept out of the body (measured): its completion() and embedding()
    read them as the connection's, not the provider's."""
    kept = {
        "organization": "org",
        "default_headers": {"x-d": "1"},
        "drop_params": True,
        "additional_drop_params": ["foo"],
        "extra_headers": {"x-e": "1"},
    }
    base = {"api_base": server.url + "/v1", "api_key": "k", **kept}
    if kind == "chat":
        server.enqueue(Reply(body=payloads.chat()))
        edgequake.completion(model="openai/gpt-4o-mini", messages=payloads.USER, **base)
        assert server.seen[-1].json() == {"model": "gpt-4o-mini", "messages": payloads.USER}
    else:
        server.enqueue(Reply(body=payloads.embedding(1)))
        edgequake.embedding(model="openai/text-embedding-3-small", input=["a"], **base)
        assert server.seen[-1].json() == {"model": "text-embedding-3-small", "input": ["a"]}
    assert server.seen[-1].headers["openai-organization"] == "org"


# -- (3) dspy ------------------------------------------------------------------------------------------


def test_dspy_retry_strategy_is_not_sent(server: LoopbackServer) -> None:
    """dspy's LM calls ``litellm.completion(cache=..., num_retries=..., retry_strategy=..., **request)``."""
    server.enqueue(Reply(body=payloads.chat()))
    edgequake.completion(
        model="openai/gpt-4o-mini",
        messages=payloads.USER,
        api_base=server.url + "/v1",
        api_key="k",
        temperature=0.0,
        max_tokens=1000,
        cache={"no-cache": True, "no-store": True},
        num_retries=3,
        retry_strategy="exponential_backoff_retry",
    )
    assert server.seen[-1].json() == {
        "model": "gpt-4o-mini",
        "messages": payloads.USER,
        "temperature": 0.0,
        "max_tokens": 1000,
    }


# -- (4) other keywords reach the body, as litellm sends them --------------------------------------------

# Not litellm's: passed on unchanged. Measured: litellm also sends a top-level `model_group` and the
# proxy's `user_api_key*` names (the router and proxy put theirs inside `metadata`).
UNKNOWN = {"foo_bar": 1, "safe_prompt": True, "frobnicate": {"a": [1, 2]}, "model_group": "g"}


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_unknown_kwargs_reach_the_chat_body(server: LoopbackServer, route: str) -> None:
    model, suffix = ROUTES[route]
    server.enqueue(Reply(body=payloads.chat()))
    edgequake.completion(
        model=model,
        messages=payloads.USER,
        api_base=server.url + suffix,
        api_key="k",
        retry_strategy="exponential_backoff_retry",
        **UNKNOWN,
    )
    body = server.seen[-1].json()
    assert {k: body.get(k) for k in UNKNOWN} == UNKNOWN
    assert "retry_strategy" not in body


def test_unknown_kwargs_reach_the_body_async(server: LoopbackServer) -> None:
    model, suffix = ROUTES["openai"]
    server.enqueue(Reply(body=payloads.chat()))

    async def main() -> Any:
        return await edgequake.acompletion(
            model=model,
            messages=payloads.USER,
            api_base=server.url + suffix,
            api_key="k",
            metadata={"trace": "t"},
            **UNKNOWN,
        )

    asyncio.run(main())
    assert server.seen[-1].json() == {"model": "gpt-4o-mini", "messages": payloads.USER, **UNKNOWN}


def test_unknown_kwargs_reach_the_embedding_body(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=payloads.embedding(1)))
    edgequake.embedding(
        model="openai/text-embedding-3-small",
        input=["a"],
        api_base=server.url + "/v1",
        api_key="k",
        litellm_trace_id="t",
        **UNKNOWN,
    )
    assert server.seen[-1].json() == {"model": "text-embedding-3-small", "input": ["a"], **UNKNOWN}


def test_body_matches_litellms_for_mixed_kwargs(server: LoopbackServer) -> None:
    """The same call through litellm and edgequake: the same body on the wire."""
    litellm = pytest.importorskip("litellm", reason="litellm (the reference) is not installed")
    kwargs = {
        "api_base": server.url + "/v1",
        "api_key": "k",
        "temperature": 0.5,
        "retry_strategy": "exponential_backoff_retry",
        "litellm_call_id": "c",
        "metadata": {"m": 1},
        "litellm_trace_id": "t",
        "mock_timeout": False,
        "caching_groups": [["a", "b"]],
        "ttl": 60,
        "base_model": "gpt-4o",
        "preset_cache_key": "p",
        "stream_timeout": 30,
        "_litellm_internal": 1,
        "num_retries": 0,
        **UNKNOWN,
    }
    import openai

    server.enqueue(Reply(body=payloads.chat()), Reply(body=payloads.chat()))
    with openai.OpenAI(base_url=server.url + "/v1", api_key="k", max_retries=0) as client:  # closed after
        litellm.completion(model="openai/gpt-4o-mini", messages=payloads.USER, client=client, **kwargs)
    theirs = server.seen[-1].json()
    edgequake.completion(model="openai/gpt-4o-mini", messages=payloads.USER, **kwargs)
    assert server.seen[-1].json() == theirs
