"""Non-streaming chat and embeddings through the real core against the loopback server: what the
caller gets back, and what went on the wire."""

from __future__ import annotations

import asyncio

import pytest

import edgequake
from tests import payloads
from tests.loopback import LoopbackServer, Reply

# provider model, api_base suffix passed, expected request path, expected auth header (name, value)
PROVIDERS = [
    ("openai/gpt-4o-mini", "/v1", "/v1/chat/completions", ("authorization", "Bearer k")),
    ("gpt-4o-mini", "/v1", "/v1/chat/completions", ("authorization", "Bearer k")),
    ("mistral/mistral-small-latest", "", "/v1/chat/completions", ("authorization", "Bearer k")),
    ("xai/grok-3", "/v1", "/v1/chat/completions", ("authorization", "Bearer k")),
    ("openrouter/openai/gpt-4o", "/api/v1", "/api/v1/chat/completions", ("authorization", "Bearer k")),
    ("groq/llama-3.1-8b-instant", "/openai/v1", "/openai/v1/chat/completions", ("authorization", "Bearer k")),
    ("deepseek/deepseek-chat", "/beta", "/beta/chat/completions", ("authorization", "Bearer k")),
    ("together_ai/meta-llama/Llama-3-8b", "/v1", "/v1/chat/completions", ("authorization", "Bearer k")),
    (
        "fireworks_ai/accounts/f/models/m",
        "/inference/v1",
        "/inference/v1/chat/completions",
        ("authorization", "Bearer k"),
    ),
    (
        "huggingface/together/meta-llama/L",
        "/together",
        "/together/v1/chat/completions",
        ("authorization", "Bearer k"),
    ),
    ("cerebras/llama3.1-8b", "/v1", "/v1/chat/completions", ("authorization", "Bearer k")),
]


@pytest.mark.parametrize(
    ("model", "suffix", "path", "auth"), PROVIDERS, ids=[p[0].split("/")[0] for p in PROVIDERS]
)
def test_each_provider_route_and_auth(
    server: LoopbackServer, model: str, suffix: str, path: str, auth: tuple
) -> None:
    server.enqueue(Reply(body=payloads.chat()))
    resp = edgequake.completion(
        model=model, messages=payloads.USER, api_base=server.url + suffix, api_key="k"
    )
    assert resp.choices[0].message.content == "Hello there!"
    seen = server.seen[-1]
    assert seen.method == "POST"
    assert seen.path == path
    assert seen.headers[auth[0]] == auth[1]
    assert seen.json()["messages"] == payloads.USER
    assert seen.json()["model"] == model.split("/", 1)[1] if "/" in model else model


def test_azure_deployment_url_and_api_key_header(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=payloads.chat()))
    edgequake.completion(
        model="azure/my-deploy",
        messages=payloads.USER,
        api_base=server.url,
        api_key="az",
        api_version="2024-10-21",
    )
    seen = server.seen[-1]
    assert seen.path == "/openai/deployments/my-deploy/chat/completions?api-version=2024-10-21"
    assert seen.headers["api-key"] == "az"
    assert "authorization" not in seen.headers


def test_response_keeps_what_the_provider_sent(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=payloads.chat(), headers={"x-request-id": "req_1"}))
    resp = edgequake.completion(
        model="openai/gpt-4o-mini", messages=payloads.USER, api_base=server.url + "/v1", api_key="k"
    )
    assert resp.id == "chatcmpl-SERVER0001"
    assert resp.created == 1700000000
    assert resp.model == "gpt-4o-mini-2024-07-18"
    assert resp.system_fingerprint == "fp_server"
    assert resp["choices"][0]["message"]["content"] == "Hello there!"
    assert resp.usage.prompt_tokens_details.cached_tokens == 2
    dump = resp.model_dump()
    assert dump["service_tier"] == "default"
    assert dump["object"] == "chat.completion"
    assert resp._hidden_params["custom_llm_provider"] == "openai"
    assert resp._hidden_params["additional_headers"]["llm_provider-x-request-id"] == "req_1"
    assert resp._response_ms > 0


def test_tool_calls_and_params_reach_the_wire(server: LoopbackServer) -> None:
    call = {
        "id": "call_1",
        "type": "function",
        "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
    }
    server.enqueue(Reply(body=payloads.chat(None, tool_calls=[call], finish_reason="tool_calls")))
    tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]
    resp = edgequake.completion(
        model="openai/gpt-4o-mini",
        messages=payloads.USER,
        api_base=server.url + "/v1",
        api_key="k",
        tools=tools,
        tool_choice="auto",
        parallel_tool_calls=False,
        temperature=0.2,
        seed=7,
        n=1,
        stop=["x"],
        user="u1",
        logprobs=True,
        top_logprobs=2,
        max_completion_tokens=50,
        response_format={"type": "json_object"},
    )
    tc = resp.choices[0].message.tool_calls[0]
    assert (tc.id, tc.function.name, tc.function.arguments) == ("call_1", "get_weather", '{"city":"Paris"}')
    assert resp.choices[0].finish_reason == "tool_calls"
    sent = server.seen[-1].json()
    for key, value in {
        "tools": tools,
        "tool_choice": "auto",
        "parallel_tool_calls": False,
        "temperature": 0.2,
        "seed": 7,
        "stop": ["x"],
        "user": "u1",
        "logprobs": True,
        "top_logprobs": 2,
        "max_completion_tokens": 50,
        "response_format": {"type": "json_object"},
    }.items():
        assert sent[key] == value, key


def test_vision_content_parts_pass_through(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=payloads.chat()))
    messages = [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "what is this?"},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
            ],
        }
    ]
    edgequake.completion(
        model="openai/gpt-4o-mini", messages=messages, api_base=server.url + "/v1", api_key="k"
    )
    assert server.seen[-1].json()["messages"] == messages


def test_message_objects_from_a_response_can_be_sent_back(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=payloads.chat()), Reply(body=payloads.chat()))
    first = edgequake.completion(
        model="openai/gpt-4o-mini", messages=payloads.USER, api_base=server.url + "/v1", api_key="k"
    )
    history = [*payloads.USER, first.choices[0].message, {"role": "user", "content": "more"}]
    edgequake.completion(
        model="openai/gpt-4o-mini", messages=history, api_base=server.url + "/v1", api_key="k"
    )
    sent = server.seen[-1].json()["messages"]
    assert sent[1]["role"] == "assistant"
    assert sent[1]["content"] == "Hello there!"


def test_extra_headers_and_headers_are_sent(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=payloads.chat()))
    edgequake.completion(
        model="openai/gpt-4o-mini",
        messages=payloads.USER,
        api_base=server.url + "/v1",
        api_key="k",
        extra_headers={"X-Trace": "t1"},
        headers={"X-Other": "o"},
    )
    assert server.seen[-1].headers["x-trace"] == "t1"
    assert server.seen[-1].headers["x-other"] == "o"


def test_base_url_alias(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=payloads.chat()))
    edgequake.completion(
        model="openai/gpt-4o-mini", messages=payloads.USER, base_url=server.url + "/v1", api_key="k"
    )
    assert server.seen[-1].path == "/v1/chat/completions"


def test_environment_variables_as_litellm_reads_them(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "from-env")
    monkeypatch.setenv("GROQ_API_BASE", server.url + "/openai/v1")
    server.enqueue(Reply(body=payloads.chat()))
    edgequake.completion(model="groq/llama-3.1-8b-instant", messages=payloads.USER)
    assert server.seen[-1].headers["authorization"] == "Bearer from-env"
    assert server.seen[-1].path == "/openai/v1/chat/completions"


def test_module_globals_and_call_arguments_precedence(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "env-key")
    monkeypatch.setattr(edgequake, "api_base", server.url + "/v1")
    monkeypatch.setattr(edgequake, "api_key", "global-key")
    server.enqueue(Reply(body=payloads.chat()), Reply(body=payloads.chat()), Reply(body=payloads.chat()))
    edgequake.completion(model="gpt-4o-mini", messages=payloads.USER)
    assert server.seen[-1].headers["authorization"] == "Bearer global-key"
    monkeypatch.setattr(edgequake, "openai_key", "provider-global")
    edgequake.completion(model="gpt-4o-mini", messages=payloads.USER)
    assert server.seen[-1].headers["authorization"] == "Bearer provider-global"
    edgequake.completion(model="gpt-4o-mini", messages=payloads.USER, api_key="call-key")
    assert server.seen[-1].headers["authorization"] == "Bearer call-key"


def test_async_completion(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=payloads.chat()))

    async def main() -> str:
        resp = await edgequake.acompletion(
            model="openai/gpt-4o-mini", messages=payloads.USER, api_base=server.url + "/v1", api_key="k"
        )
        return resp.choices[0].message.content

    assert asyncio.run(main()) == "Hello there!"


def test_many_concurrent_async_calls(server: LoopbackServer) -> None:
    server.enqueue(*[Reply(body=payloads.chat(f"answer {i}")) for i in range(50)])

    async def main() -> list:
        calls = [
            edgequake.acompletion(
                model="openai/gpt-4o-mini", messages=payloads.USER, api_base=server.url + "/v1", api_key="k"
            )
            for _ in range(50)
        ]
        return await asyncio.gather(*calls)

    contents = sorted(r.choices[0].message.content for r in asyncio.run(main()))
    assert contents == sorted(f"answer {i}" for i in range(50))


def test_embedding_sync_and_async(server: LoopbackServer) -> None:
    server.enqueue(Reply(body=payloads.embedding(2)), Reply(body=payloads.embedding(1)))
    resp = edgequake.embedding(
        model="openai/text-embedding-3-small",
        input=["a", "b"],
        api_base=server.url + "/v1",
        api_key="k",
        dimensions=3,
    )
    assert [d["embedding"] for d in resp.data] == [[0.0, -0.5, 0.25], [0.1, -0.5, 0.25]]
    assert resp.usage.prompt_tokens == 4
    assert server.seen[-1].path == "/v1/embeddings"
    assert server.seen[-1].json()["input"] == ["a", "b"]
    assert server.seen[-1].json()["dimensions"] == 3

    async def main() -> object:
        return await edgequake.aembedding(
            model="text-embedding-3-small", input="a", api_base=server.url + "/v1", api_key="k"
        )

    assert len(asyncio.run(main()).data) == 1


def test_other_providers_are_delegated_to_litellm(server: LoopbackServer) -> None:
    pytest.importorskip("litellm")
    # databricks: an OpenAI-compatible provider edgequake leaves to litellm
    server.enqueue(Reply(body=payloads.chat("Hi from litellm")))
    resp = edgequake.completion(
        model="databricks/some-endpoint", messages=payloads.USER, api_key="k", api_base=server.url
    )
    assert resp.choices[0].message.content == "Hi from litellm"
    assert isinstance(resp, edgequake.ModelResponse), "delegated calls return edgequake's objects"
    assert server.seen[-1].path.endswith("/chat/completions")


def test_unsupported_provider_without_litellm_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "litellm", None)  # makes `import litellm` fail
    with pytest.raises(edgequake.UnsupportedProviderError, match=r"databricks.*litellm is not installed"):
        edgequake.completion(model="databricks/some-endpoint", messages=payloads.USER, api_key="k")
