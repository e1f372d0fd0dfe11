"""Calls litellm makes besides completion/embedding, derived from the recorded request.

`litellm.responses`, `litellm.text_completion` and `litellm.rerank` recordings are cases like any
other (a candidate without the function fails them); Anthropic server tools and Gemini `topK`,
file-URI parts and `batchEmbedContents` are derived as litellm 1.110.2 expresses them.
"""

from __future__ import annotations

import pytest

from edgequake_harness.cassettes.case import load_case

HELLO_INPUT = [{"role": "user", "content": "hi"}]


@pytest.mark.parametrize(
    ("uri", "body", "expected"),
    [
        (
            "https://api.openai.com/v1/responses",
            {"model": "gpt-4o", "input": HELLO_INPUT, "stream": True},
            ("responses", "openai/gpt-4o", "/v1", "stream"),
        ),
        (  # DeepSeek has no native Responses route in litellm: the openai/ route with its api_base
            "https://api.deepseek.com/responses",
            {"model": "deepseek-v4", "input": HELLO_INPUT},
            ("responses", "openai/deepseek-v4", "", "chat"),
        ),
        (
            "https://openrouter.ai/api/v1/responses",
            {"model": "openai/gpt-5", "input": HELLO_INPUT},
            ("responses", "openrouter/openai/gpt-5", "/api/v1", "chat"),
        ),
        (
            "https://bedrock-mantle.us-east-1.api.aws/openai/v1/responses",
            {"model": "openai.gpt-5", "input": HELLO_INPUT},
            ("responses", "bedrock_mantle/openai.gpt-5", "", "chat"),
        ),
        (
            "https://api.openai.com/v1/completions",
            {"model": "davinci-002", "prompt": "tell me"},
            ("text_completion", "openai/davinci-002", "/v1", "chat"),
        ),
        (
            "https://api.together.xyz/v1/completions",
            {"model": "m/x", "prompt": "tell me", "max_tokens": 5},
            ("text_completion", "together_ai/m/x", "/v1", "chat"),
        ),
        (
            "https://api.cohere.com/v2/rerank",
            {"model": "rerank-v3", "query": "q", "documents": ["a", "b"], "top_n": 1},
            ("rerank", "cohere/rerank-v3", "", "other"),
        ),
    ],
)
def test_responses_text_completion_and_rerank_derive(
    write_cassette, interaction, uri, body, expected
) -> None:
    case = load_case(write_cassette(interaction(uri, request=body)))
    assert case.skip is None
    assert (case.call.function, case.call.model, case.call.base_path, case.feature) == expected


def test_azure_responses_take_deployment_and_version(write_cassette, interaction) -> None:
    uri = "https://x.openai.azure.com/openai/responses?api-version=2025-03-01-preview"
    case = load_case(write_cassette(interaction(uri, request={"model": "gpt-4o-mini", "input": "hi"})))
    assert (case.call.function, case.call.model, case.call.kwargs["api_version"]) == (
        "responses",
        "azure/gpt-4o-mini",
        "2025-03-01-preview",
    )
    v1 = load_case(
        write_cassette(
            interaction(
                "https://x.openai.azure.com/openai/v1/responses", request={"model": "d", "input": "hi"}
            ),
            name="v1",
        )
    )
    assert (v1.call.model, v1.call.kwargs["api_version"]) == ("azure/d", "v1")


def test_voyage_rerank_keeps_litellms_parameters(write_cassette, interaction) -> None:
    body = {"model": "rerank-2-lite", "query": "q", "documents": ["a"], "top_k": 3, "truncation": True}
    case = load_case(write_cassette(interaction("https://api.voyageai.com/v1/rerank", request=body)))
    assert (case.call.model, case.call.base_path) == ("voyage/rerank-2-lite", "/v1")
    assert case.call.kwargs == {"max_retries": 0, "query": "q", "documents": ["a"], "top_n": 3}


def test_responses_features_read_the_input_and_text_format(write_cassette, interaction) -> None:
    image = [{"role": "user", "content": [{"type": "input_image", "image_url": "https://x/y.png"}]}]
    uri = "https://api.openai.com/v1/responses"
    vision = load_case(write_cassette(interaction(uri, request={"model": "m", "input": image}), name="v"))
    schema = {"model": "m", "input": "hi", "text": {"format": {"type": "json_schema", "schema": {}}}}
    structured = load_case(write_cassette(interaction(uri, request=schema), name="j"))
    assert (vision.feature, structured.feature) == ("vision", "json")


def test_responses_without_input_are_skipped_with_the_reason(write_cassette, interaction) -> None:
    case = load_case(
        write_cassette(interaction("https://api.openai.com/v1/responses", request={"model": "m"}))
    )
    assert case.call is None and "responses request without 'input'" in case.skip


def test_anthropic_server_tools_pass_through(write_cassette, interaction) -> None:
    tool = {"name": "code_execution", "type": "code_execution_20260120"}
    body = {
        "model": "claude-x",
        "max_tokens": 8,
        "messages": [{"role": "user", "content": "2+2"}],
        "tools": [tool],
    }
    case = load_case(write_cassette(interaction("https://api.anthropic.com/v1/messages", request=body)))
    assert case.skip is None and case.call.kwargs["tools"] == [tool]


def test_gemini_top_k_and_file_uri_parts(write_cassette, interaction) -> None:
    file_part = {
        "fileData": {
            "fileUri": "https://generativelanguage.googleapis.com/v1beta/files/f1",
            "mimeType": "image/jpeg",
        }
    }
    body = {
        "contents": [{"role": "user", "parts": [{"text": "what is this?"}, file_part]}],
        "generationConfig": {"topK": 5, "temperature": 0.1},
    }
    uri = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent"
    case = load_case(write_cassette(interaction(uri, request=body)))
    assert case.skip is None
    assert case.call.kwargs["top_k"] == 5
    assert case.call.kwargs["messages"] == [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "what is this?"},
                {
                    "type": "file",
                    "file": {
                        "file_id": "https://generativelanguage.googleapis.com/v1beta/files/f1",
                        "format": "image/jpeg",
                    },
                },
            ],
        }
    ]


def test_gemini_batch_embed_contents_is_an_embedding(write_cassette, interaction) -> None:
    body = {
        "requests": [
            {
                "model": "models/e",
                "content": {"parts": [{"text": "a"}]},
                "outputDimensionality": 8,
                "taskType": "Q",
            },
            {
                "model": "models/e",
                "content": {"parts": [{"text": "b"}]},
                "outputDimensionality": 8,
                "taskType": "Q",
            },
        ]
    }
    uri = "https://generativelanguage.googleapis.com/v1beta/models/e:batchEmbedContents"
    case = load_case(write_cassette(interaction(uri, request=body)))
    assert (case.call.function, case.call.model, case.call.base_path, case.feature) == (
        "embedding",
        "gemini/e",
        "/v1beta",
        "embedding",
    )
    assert case.call.kwargs == {"max_retries": 0, "input": ["a", "b"], "dimensions": 8, "task_type": "Q"}
    body["requests"][1]["outputDimensionality"] = 4
    mixed = load_case(write_cassette(interaction(uri, request=body), name="mixed"))
    assert mixed.call is None and "different settings" in mixed.skip
