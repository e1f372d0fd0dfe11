"""Case metadata `tools/import_corpus.py` writes for corpus files, beyond what the harness derives.

`META`: case metadata for corpus files whose recorded host or endpoint is not one the harness
derives a call for (keyed by the manifest's `local_file`); written as `<stem>.case.yaml`.
Keys starting with `_` tell the importer to read the call's kwargs from the recorded request.

Exclusions are in `corpus_exclusions.py`.
"""

from __future__ import annotations

from typing import Any, Dict

# Case metadata for corpus files whose call derivation is not enough (keyed by manifest local_file).
_OLLAMA_JOKE = [{"role": "user", "content": "Tell me a joke about OpenTelemetry"}]
_COHERE_TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Get the current weather in a given location",
            "parameters": {
                "type": "object",
                "properties": {"location": {"type": "string", "description": "The city and state"}},
                "required": ["location"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "get_time",
            "description": "Get the current time in a given location",
            "parameters": {
                "type": "object",
                "properties": {"location": {"type": "string", "description": "The city and state"}},
                "required": ["location"],
            },
        },
    },
]
_TOKYO = [{"role": "user", "content": "What is the weather and current time in Tokyo?"}]

META: Dict[str, Dict[str, Any]] = {
    # Ollama native API (/api/chat, /api/generate, /api/embeddings): litellm's ollama routes.
    "ollama/openllmetry__test_ollama_chat_legacy.yaml": {
        "provider": "ollama",
        "call": {
            "function": "completion",
            "model": "ollama_chat/llama3",
            "kwargs": {"messages": _OLLAMA_JOKE},
        },
    },
    "ollama/openllmetry__test_ollama_streaming_chat_legacy.yaml": {
        "provider": "ollama",
        "call": {
            "function": "completion",
            "model": "ollama_chat/llama3",
            "kwargs": {"messages": _OLLAMA_JOKE, "stream": True},
        },
    },
    "ollama/openllmetry__test_ollama_generation_legacy.yaml": {
        "provider": "ollama",
        "feature": "chat",  # the manifest's "vision" is an empty `images: []` list, not an image
        "call": {"function": "completion", "model": "ollama/llama3", "kwargs": {"messages": _OLLAMA_JOKE}},
    },
    "ollama/openllmetry__test_ollama_streaming_generation_legacy.yaml": {
        "provider": "ollama",
        "call": {
            "function": "completion",
            "model": "ollama/llama3",
            "kwargs": {"messages": _OLLAMA_JOKE, "stream": True},
        },
    },
    "ollama/openllmetry__test_ollama_embeddings_legacy.yaml": {
        "provider": "ollama",
        "call": {"function": "embedding", "model": "ollama/llama3", "kwargs": {"input": ["all-minilm"]}},
    },
    # Ollama's OpenAI-compatible endpoint (local and ollama.com): users reach it with `openai/`.
    "ollama/mirascope__test_ollama_provider__ollama_gemma3_4b.yaml": {
        "provider": "ollama",
        "call": {
            "function": "completion",
            "model": "openai/gemma3:4b",
            "kwargs": {"messages": [{"role": "user", "content": "What is 4200 + 42?"}]},
            "base_path": "/v1",
        },
    },
    # Cohere v2 chat and embed: litellm's cohere_chat / cohere routes take api_base as the full URL.
    "cohere/pydantic-ai__test_request_simple_success_with_vcr.yaml": {
        "provider": "cohere",
        "call": {
            "function": "completion",
            "model": "cohere_chat/command-r7b-12-2024",
            "kwargs": {"messages": [{"role": "user", "content": "hello"}]},
            "base_path": "/v2/chat",
        },
    },
    "cohere/pydantic-ai__test_tool_choice_matrix[required-cohere].yaml": {
        "provider": "cohere",
        "call": {
            "function": "completion",
            "model": "cohere_chat/command-r7b-12-2024",
            "kwargs": {
                "messages": [{"role": "user", "content": "What's the weather in Paris?"}],
                "tools": [
                    {
                        "type": "function",
                        "function": {
                            "name": "get_weather",
                            "description": "Get weather for a city",
                            "parameters": {
                                "type": "object",
                                "properties": {"city": {"type": "string"}},
                                "required": ["city"],
                            },
                        },
                    }
                ],
                "tool_choice": "required",
            },
            "base_path": "/v2/chat",
        },
    },
    "cohere/openllmetry__test_cohere_v2_chat_legacy_with_tool_calls_and_history.yaml": {
        "provider": "cohere",
        "call": {
            "function": "completion",
            "model": "cohere_chat/command-r",
            "kwargs": {"messages": _TOKYO, "tools": _COHERE_TOOLS},
            "base_path": "/v2/chat",
        },
    },
    "cohere/openllmetry__test_cohere_v2_chat_legacy_with_tool_calls_and_streaming.yaml": {
        "provider": "cohere",
        "call": {
            "function": "completion",
            "model": "cohere_chat/command-r",
            "kwargs": {"messages": _TOKYO, "tools": _COHERE_TOOLS, "stream": True},
            "base_path": "/v2/chat",
        },
    },
    "cohere/pydantic-ai__TestCohere.test_query.yaml": {
        "provider": "cohere",
        "call": {
            "function": "embedding",
            "model": "cohere/embed-v4.0",
            "kwargs": {"input": ["Hello, world!"], "input_type": "search_query"},
            "base_path": "/v2/embed",
        },
    },
    "cohere/pydantic-ai__TestCohere.test_embed_error.yaml": {
        "provider": "cohere",
        "call": {
            "function": "embedding",
            "model": "cohere/nonexistent",
            "kwargs": {"input": ["Hello, world!"], "input_type": "search_query"},
            "base_path": "/v2/embed",
        },
    },
    # Voyage embeddings (litellm's voyage route appends /embeddings to api_base).
    "voyage/pydantic-ai__TestVoyageAI.test_query_voyage_4.yaml": {
        "provider": "voyage",
        "call": {
            "function": "embedding",
            "model": "voyage/voyage-4",
            "kwargs": {"input": ["Hello, world!"], "input_type": "query"},
            "base_path": "/v1",
        },
    },
    "voyage/pydantic-ai__TestVoyageAI.test_embed_error.yaml": {
        "provider": "voyage",
        "call": {
            "function": "embedding",
            "model": "voyage/nonexistent",
            "kwargs": {"input": ["Hello, world!"], "input_type": "query"},
            "base_path": "/v1",
        },
    },
    # Z.ai's OpenAI-compatible API (litellm's zai route).
    "zai/pydantic-ai__test_zai_reasoning_effort.yaml": {
        "provider": "zai",
        "call": {
            "function": "completion",
            "model": "zai/glm-5.2",
            "kwargs": {
                "messages": [{"role": "user", "content": "What is 2 + 2?"}],
                "reasoning_effort": "high",
            },
            "base_path": "/api/paas/v4",
        },
    },
    # OpenAI-compatible endpoints of other services, reached with litellm's `openai/` or own prefix;
    # kwargs are the recorded body (`_openai_wire`), as derivation does for known hosts.
    "ollama/pydantic-ai__test_ollama_cloud_prompted_output.yaml": {
        "provider": "ollama",
        "call": {"function": "completion", "model": "openai/gpt-oss:20b", "base_path": "/v1"},
        "_openai_wire": True,
    },
    "ollama/pydantic-ai__test_ollama_cloud_tool_output.yaml": {
        "provider": "ollama",
        "call": {"function": "completion", "model": "openai/gpt-oss:20b", "base_path": "/v1"},
        "_openai_wire": True,
    },
    "gemini/pydantic-ai__test_compatible_api_with_tool_calls_without_id.yaml": {
        "provider": "gemini",
        "call": {
            "function": "completion",
            "model": "openai/gemini-2.5-pro-preview-05-06",
            "base_path": "/v1beta/openai",
        },
        "_openai_wire": True,
    },
    "zai/pydantic-ai__test_zai_vision_thinking.yaml": {
        "provider": "zai",
        "call": {"function": "completion", "model": "zai/glm-4.6v", "base_path": "/api/paas/v4"},
        "_openai_wire": True,
    },
    "zai/pydantic-ai__test_zai_thinking_stream.yaml": {
        "provider": "zai",
        "call": {"function": "completion", "model": "zai/glm-4.7", "base_path": "/api/paas/v4"},
        "_openai_wire": True,
    },
    "cohere/openllmetry__test_cohere_v2_embed_legacy.yaml": {
        "provider": "cohere",
        "call": {
            "function": "embedding",
            "model": "cohere/embed-english-light-v3.0",
            "base_path": "/v2/embed",
        },
        "_cohere_embed": True,
    },
    # HF router to novita: the recorded path has no /v1 before /chat/completions, and litellm's
    # huggingface route adds one unless api_base already ends with /chat/completions (kept as is).
    "huggingface/pydantic-ai__test_cancel_recorded_provider_stream[huggingface].yaml": {
        "provider": "huggingface",
        "interaction": 1,
        "call": {
            "function": "completion",
            "model": "huggingface/{model}",
            "base_path": "/novita/v3/openai/chat/completions",
        },
        "_openai_wire": True,
    },
    "novita/hf-hub__TestInferenceClient.test_chat_completion_with_stream[novita,conversational].yaml": {
        "provider": "huggingface",
        "interaction": 1,
        "call": {
            "function": "completion",
            "model": "huggingface/{model}",
            "base_path": "/novita/v3/openai/chat/completions",
        },
        "_openai_wire": True,
    },
}

# Amazon Bedrock Converse: litellm's bedrock route sends a bearer `api_key` instead of SigV4
# (`bedrock_bearer_token`, llms/bedrock/base_aws_llm.py), so the recordings replay offline.
_BEDROCK = {"aws_region_name": "us-east-1"}
META.update(
    {
        "bedrock/pydantic-ai__test_bedrock_zai_native_output.yaml": {
            "provider": "bedrock",
            "feature": "json",
            "call": {
                "function": "completion",
                "model": "bedrock/converse/zai.glm-4.7-flash",
                "kwargs": {
                    **_BEDROCK,
                    "messages": [
                        {"role": "system", "content": "You are a helpful chatbot."},
                        {"role": "user", "content": "Where is the Eiffel Tower?"},
                    ],
                    "response_format": {
                        "type": "json_schema",
                        "json_schema": {
                            "name": "City",
                            "schema": {
                                "properties": {"city": {"type": "string"}, "country": {"type": "string"}},
                                "required": ["city", "country"],
                                "type": "object",
                                "additionalProperties": False,
                            },
                        },
                    },
                },
                "base_path": "",
            },
        },
        "bedrock/pydantic-ai__test_bedrock_strict_tool_with_native_output.yaml": {
            "provider": "bedrock",
            "call": {
                "function": "completion",
                "model": "bedrock/converse/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                "kwargs": {
                    **_BEDROCK,
                    "messages": [
                        {"role": "user", "content": "Give me details about Paris including its population"}
                    ],
                    "tools": [
                        {
                            "type": "function",
                            "function": {
                                "name": "lookup_population",
                                "strict": True,
                                "parameters": {
                                    "additionalProperties": False,
                                    "properties": {"city": {"type": "string"}},
                                    "required": ["city"],
                                    "type": "object",
                                },
                            },
                        }
                    ],
                    "tool_choice": "auto",
                    "response_format": {
                        "type": "json_schema",
                        "json_schema": {
                            "name": "CityInfo",
                            "description": "Information about a city.",
                            "schema": {
                                "additionalProperties": False,
                                "properties": {
                                    "city": {"type": "string"},
                                    "country": {"type": "string"},
                                    "population": {"type": "integer"},
                                },
                                "required": ["city", "country", "population"],
                                "type": "object",
                            },
                        },
                    },
                },
                "base_path": "",
            },
        },
        # The first call (a tool call); the recorded second one sends an S3 video in a tool result.
        "bedrock/pydantic-ai__test_multimodal_tool_return_matrix"
        "[direct-uploaded_file-video-bedrock_nova].yaml": {
            "provider": "bedrock",
            "call": {
                "function": "completion",
                "model": "bedrock/converse/us.amazon.nova-2-lite-v1:0",
                "kwargs": {
                    **_BEDROCK,
                    "messages": [
                        {
                            "role": "user",
                            "content": "Use the get_file tool now to retrieve a video file, then "
                            "describe what you received.",
                        }
                    ],
                    "tools": [
                        {
                            "type": "function",
                            "function": {
                                "name": "get_file",
                                "parameters": {
                                    "additionalProperties": False,
                                    "properties": {},
                                    "type": "object",
                                },
                            },
                        }
                    ],
                    "tool_choice": "auto",
                },
                "base_path": "",
            },
        },
    }
)
