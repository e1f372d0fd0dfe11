"""Call derivation for the OpenAI wire format, case metadata and discovery."""

from __future__ import annotations

from pathlib import Path

import pytest

from edgequake_harness.cassettes.case import collect, discover, load_case
from edgequake_harness.cassettes.derive import REPLAY_API_KEY

HELLO = {"model": "m-1", "messages": [{"role": "user", "content": "hi"}]}


@pytest.mark.parametrize(
    ("uri", "model", "base_path"),
    [
        ("https://api.openai.com/v1/chat/completions", "openai/m-1", "/v1"),
        ("https://api.groq.com/openai/v1/chat/completions", "groq/m-1", "/openai/v1"),
        ("https://openrouter.ai/api/v1/chat/completions", "openrouter/m-1", "/api/v1"),
        ("https://api.deepseek.com/chat/completions", "deepseek/m-1", ""),
        ("https://api.mistral.ai/v1/chat/completions#stream", "mistral/m-1", "/v1"),
        ("https://api.x.ai/v1/chat/completions", "xai/m-1", "/v1"),
        ("https://api.together.xyz/v1/chat/completions", "together_ai/m-1", "/v1"),
        ("https://api.fireworks.ai/inference/v1/chat/completions", "fireworks_ai/m-1", "/inference/v1"),
        ("https://api.cerebras.ai/v1/chat/completions", "cerebras/m-1", "/v1"),
        ("https://router.huggingface.co/together/v1/chat/completions", "huggingface/m-1", "/together/v1"),
    ],
)
def test_openai_wire_providers(write_cassette, interaction, uri: str, model: str, base_path: str) -> None:
    case = load_case(write_cassette(interaction(uri, request=HELLO, body={})))
    assert case.skip is None and case.call is not None
    assert (case.call.function, case.call.model, case.call.base_path) == ("completion", model, base_path)
    args = case.call.arguments("http://127.0.0.1:1")
    assert args["api_base"] == "http://127.0.0.1:1" + base_path
    assert args["messages"] == HELLO["messages"] and args["api_key"] == REPLAY_API_KEY
    assert args["max_retries"] == 0  # the oracle notes' policy: one attempt


def test_azure_deployment_and_api_version(write_cassette, interaction) -> None:
    uri = "https://x.openai.azure.com/openai/deployments/dep-1/chat/completions?api-version=2024-10-21"
    case = load_case(write_cassette(interaction(uri, request={"messages": []}, body={}), provider="azure"))
    assert case.call.model == "azure/dep-1" and case.call.base_path == ""
    assert case.call.kwargs["api_version"] == "2024-10-21"


def test_azure_v1_api(write_cassette, interaction) -> None:
    case = load_case(
        write_cassette(interaction("https://x.openai.azure.com/openai/v1/chat/completions", request=HELLO))
    )
    assert case.call.model == "azure/m-1" and case.call.kwargs["api_version"] == "v1"


def test_embeddings(write_cassette, interaction) -> None:
    request = {"model": "e-1", "input": ["a"], "encoding_format": "float"}
    case = load_case(write_cassette(interaction("https://api.openai.com/v1/embeddings", request=request)))
    assert case.call.function == "embedding" and case.feature == "embedding"
    assert case.call.kwargs["input"] == ["a"]


def test_telemetry_before_the_llm_call_is_passed_over(write_cassette, interaction) -> None:
    path = write_cassette(
        interaction("https://telemetry.crewai.com/v1/traces", request={}),
        interaction("https://api.openai.com/v1/chat/completions", request=HELLO),
    )
    assert load_case(path).call.interaction == 1


@pytest.mark.parametrize(
    ("uri", "request_body", "reason"),
    [
        (
            "https://api.anthropic.com/v1/messages/count_tokens",
            HELLO,
            "/v1/messages/count_tokens has no litellm",
        ),
        (
            "https://generativelanguage.googleapis.com/v1beta/models/g:generateContent",
            {"contents": [{"parts": [{"text": "hi"}]}], "tools": [{"googleSearch": {}}]},
            "server tool",
        ),
        (
            "https://generativelanguage.googleapis.com/v1beta/models/g:generateContent",
            {"cachedContent": "x"},
            "gemini",
        ),
        (
            "https://api.openai.com/v1/moderations",
            HELLO,
            "POST /v1/moderations has no litellm call derivation",
        ),
        ("https://llm.example.com/v1/chat/completions", HELLO, "no request to a known provider host"),
        ("https://api.openai.com/v1/chat/completions", {"model": "m", "messages": "hi"}, "not a list"),
    ],
)
def test_underivable_cases_are_skipped_with_a_reason(
    write_cassette, interaction, uri, request_body, reason
) -> None:
    case = load_case(write_cassette(interaction(uri, request=request_body)))
    assert case.call is None and reason in case.skip


def test_features(write_cassette, interaction) -> None:
    chat = "https://api.openai.com/v1/chat/completions"
    tools = {**HELLO, "tools": [{"type": "function", "function": {"name": "f"}}]}
    image = {
        "model": "m",
        "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}],
    }
    cases = {
        "error": interaction(chat, request={**HELLO, "stream": True}, status=429),
        "stream": interaction(chat, request={**HELLO, "stream": True}),
        "tools": interaction(chat, request=tools),
        "vision": interaction(chat, request=image),
        "json": interaction(chat, request={**HELLO, "response_format": {"type": "json_object"}}),
        "chat": interaction(chat, request=HELLO),
    }
    for feature, recorded in cases.items():
        assert load_case(write_cassette(recorded, name=feature)).feature == feature


def test_metadata_states_call_provider_feature_and_kwargs(write_cassette, interaction) -> None:
    path = write_cassette(interaction("https://api.anthropic.com/v1/messages", request=HELLO), name="c")
    path.with_name("c.case.yaml").write_text(
        "provider: anthropic\nfeature: chat\nkwargs: {max_retries: 2}\nvolatile: [response.id]\n"
        "call:\n  function: completion\n  model: anthropic/claude-x\n"
        "  kwargs: {messages: [{role: user, content: hi}], max_tokens: 5}\n"
    )
    case = load_case(path)
    assert case.skip is None and case.id == "anthropic/chat/c"
    assert case.call.model == "anthropic/claude-x" and case.call.base_path == ""
    assert case.call.kwargs["max_retries"] == 2 and case.call.kwargs["max_tokens"] == 5
    assert case.meta.volatile == ("response.id",)


def test_metadata_skip_is_kept(write_cassette, interaction) -> None:
    path = write_cassette(interaction(request=HELLO), name="s")
    path.with_name("s.case.yaml").write_text("skip: needs an authored cassette\n")
    assert load_case(path).skip == "needs an authored cassette"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[1, 2]", "must be a mapping"),
        ("colour: red", "unknown case metadata keys: colour"),
        ("call: {model: x}", "'call'"),
    ],
)
def test_malformed_metadata_skips_naming_the_file(
    write_cassette, interaction, text: str, problem: str
) -> None:
    path = write_cassette(interaction(request=HELLO), name="m")
    path.with_name("m.case.yaml").write_text(text)
    case = load_case(path)
    assert case.call is None and "m.case.yaml" in case.skip and problem in case.skip


def test_discovery_skips_metadata_and_registry_and_makes_ids_unique(
    tmp_path: Path, write_cassette, interaction
) -> None:
    first = write_cassette(interaction(request=HELLO), name="dup")
    (tmp_path / "cassettes" / "divergences.yaml").write_text("divergences: []\n")
    first.with_name("dup.case.yaml").write_text("feature: chat\n")
    other = tmp_path / "cassettes" / "more" / "openai"
    other.mkdir(parents=True)
    (other / "dup.yaml").write_text(first.read_text())
    assert discover([tmp_path / "cassettes"]) == sorted([first, other / "dup.yaml"])
    assert [c.id for c in collect([tmp_path / "cassettes"])] == ["openai/chat/dup", "openai/chat/dup~2"]


def test_bundled_cassettes_all_derive(bundled: Path) -> None:
    cases = collect([bundled])
    assert len(cases) >= 10
    assert [c.id for c in cases if c.skip] == []


def test_anthropic_messages_are_reverse_translated(write_cassette, interaction) -> None:
    body = {
        "model": "claude-x",
        "max_tokens": 64,
        "stream": True,
        "system": [{"type": "text", "text": "be brief"}],
        "stop_sequences": ["END"],
        "messages": [
            {"role": "user", "content": "weather?"},
            {
                "role": "assistant",
                "content": [{"type": "tool_use", "id": "t1", "name": "wx", "input": {"c": "Paris"}}],
            },
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "sunny"}]},
        ],
        "tools": [{"name": "wx", "description": "weather", "input_schema": {"type": "object"}}],
        "tool_choice": {"type": "any"},
    }
    case = load_case(write_cassette(interaction("https://api.anthropic.com/v1/messages", request=body)))
    call = case.call
    assert (call.model, call.base_path, call.stream, case.feature) == (
        "anthropic/claude-x",
        "",
        True,
        "stream",
    )
    assert call.kwargs["messages"] == [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "weather?"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": "t1", "type": "function", "function": {"name": "wx", "arguments": '{"c": "Paris"}'}}
            ],
        },
        {"role": "tool", "tool_call_id": "t1", "content": "sunny"},
    ]
    assert call.kwargs["tools"][0]["function"] == {
        "name": "wx",
        "parameters": {"type": "object"},
        "description": "weather",
    }
    assert (call.kwargs["tool_choice"], call.kwargs["stop"], call.kwargs["max_tokens"]) == (
        "required",
        ["END"],
        64,
    )


def test_gemini_generate_content_is_reverse_translated(write_cassette, interaction) -> None:
    body = {
        "systemInstruction": {"parts": [{"text": "be brief"}]},
        "contents": [
            {
                "role": "user",
                "parts": [{"text": "hi"}, {"inlineData": {"mimeType": "image/png", "data": "AA=="}}],
            },
            {"role": "model", "parts": [{"functionCall": {"name": "f", "args": {"a": 1}}}]},
        ],
        "generationConfig": {
            "temperature": 0.1,
            "maxOutputTokens": 9,
            "responseMimeType": "application/json",
            "thinkingConfig": {"thinkingBudget": 0},
        },
        "tools": [{"functionDeclarations": [{"name": "f", "parameters": {"type": "OBJECT"}}]}],
    }
    uri = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
    call = load_case(write_cassette(interaction(uri, request=body))).call
    assert (call.model, call.base_path, call.stream) == ("gemini/gemini-2.5-flash", "/v1beta", True)
    messages = call.kwargs["messages"]
    assert messages[0] == {"role": "system", "content": "be brief"}
    assert messages[1]["content"][1] == {
        "type": "image_url",
        "image_url": {"url": "data:image/png;base64,AA=="},
    }
    assert messages[2]["tool_calls"][0]["function"] == {"name": "f", "arguments": '{"a": 1}'}
    assert (call.kwargs["temperature"], call.kwargs["max_tokens"]) == (0.1, 9)
    assert call.kwargs["response_format"] == {"type": "json_object"}
    assert call.kwargs["tools"] == [
        {"type": "function", "function": {"name": "f", "parameters": {"type": "OBJECT"}}}
    ]
