"""Corpus files `tools/import_corpus.py` does not import, with the reason (`EXCLUDE`).

A reason describes the recording and why no litellm call can replay it: not HTTP, signed cloud
credentials, hand-edited bytes, an endpoint litellm 1.110.2 never calls (checked against its
source and by replaying the recording through it). Never a function the candidate lacks: a
recording of a call litellm makes is imported, and a candidate without that function fails the
case. Files the harness cannot load or derive a call for get their reason from the loader.
"""

from __future__ import annotations

from typing import Dict

# Files that load, but are not ground truth (their reason is what EXCLUDED.tsv says).
EXCLUDE: Dict[str, str] = {
    "azure/openllmetry__test_prompt_content_filtering.yaml": (
        "hand-edited upstream: an Azure error body recorded under HTTP 200 (corpus README, Traps); "
        "not ground truth for either target"
    ),
}


_LITELLM = "litellm 1.110.2"
EXCLUDE.update(
    {
        "ollama/openllmetry__test_ollama_embeddings_legacy.yaml": (
            f"Ollama's legacy POST /api/embeddings ({{model, prompt}}): {_LITELLM}'s ollama embedding route "
            "posts /api/embed, so no litellm call sends this request (replayed: the request misses)"
        ),
        "cohere/openllmetry__test_cohere_chat_legacy.yaml": (
            f"Cohere v1 /v1/chat (message/chat_history): {_LITELLM} speaks only Cohere v2 chat (cohere_chat/ "
            "with api_base .../v1/chat posts a v2 body and fails on the v1 reply, KeyError 'message')"
        ),
        "cohere/openllmetry__test_cohere_chat_legacy_with_streaming.yaml": (
            f"Cohere v1 /v1/chat stream (NDJSON): {_LITELLM} speaks only Cohere v2 chat"
        ),
        "cohere/openllmetry__test_cohere_completion_legacy.yaml": (
            f"Cohere's legacy POST /v1/generate ({{prompt}}): {_LITELLM} has no Cohere generate route "
            "(text_completion on cohere/ posts a v2 chat body and fails on the generate reply, KeyError "
            "'message')"
        ),
        "cohere/openllmetry__test_agent_with_multiple_tools.yaml": (
            f"Cohere v1 /v1/chat agent loop: {_LITELLM} speaks only Cohere v2 chat"
        ),
        "openrouter/llm-openrouter__test_llm_models.yaml": (
            "a model listing (GET /api/v1/models) only: not an inference call; litellm reads model lists "
            "only inside get_valid_models, which returns names, not the response"
        ),
        "cerebras/pydantic-ai__test_known_model_names.yaml": (
            "model listings only (GET /v1/models on Cerebras, then Heroku's /available-models): not an "
            "inference call; litellm reads model lists only inside get_valid_models, which returns names"
        ),
        "gemini/pydantic-ai__test_google_model_file_search_tool.yaml": (
            "File Search store set-up (POST /v1beta/fileSearchStores, uploads) then generateContent with "
            f"Gemini's fileSearch server tool, which {_LITELLM}'s gemini route drops from the request "
            "(tools: [] when replayed)"
        ),
        "huggingface/openllmetry__test_custom_llm.yaml": (
            "TGI text-generation on a dedicated endpoint root ({inputs, parameters}): no litellm chat call "
            "produces that body"
        ),
        "huggingface/hf-hub__cassettes__TestInferenceClient.test_chat_completion_unprocessable_entity.yaml": (
            "the recorded chat request sends 'messages' as a string (a huggingface_hub error test); "
            "litellm's completion() takes a list of messages, so no litellm call sends it"
        ),
        "huggingface/hf-hub__cassettes__TestInferenceClient"
        ".test_chat_completion_unprocessable_entity__blob-8ab4c74a.yaml": (
            "huggingface.co/api/inference-proxy URL from an old huggingface_hub: litellm's huggingface route "
            "cannot produce that path"
        ),
        "azure/crewai__test_openai_is_default_provider_without_explicit_llm_set_on_agent.yaml": (
            "requests to a bare /chat/completions on an Azure host (404 x3, then 200): neither a deployment "
            "URL nor the v1 API, so no litellm azure call produces it"
        ),
        "anthropic/pydantic-ai__test_anthropic_count_tokens_error.yaml": (
            "token counting (POST /v1/messages/count_tokens): litellm's call for it is acount_tokens, "
            "async-only and without max_retries; the harness has no form for an async-only call yet "
            "(it would also fall back to a local count on this recorded 404)"
        ),
    }
)
for _name in (
    "pydantic-ai__TestGoogle.test_count_tokens.yaml",
    "pydantic-ai__TestGoogle.test_count_tokens_error.yaml",
    "pydantic-ai__test_google_model_usage_limit_exceeded.yaml",
):
    EXCLUDE[f"gemini/{_name}"] = (
        "Gemini token counting (POST :countTokens): no litellm call sends it; litellm 1.110.2's "
        "acount_tokens counts Gemini tokens locally (replayed: no request reaches the server)"
    )
for _name in (
    "pydantic-ai__test_google_model_vertex_provider.yaml",
    "pydantic-ai__test_google_url_input[ImageUrl].yaml",
    "pydantic-ai__test_google_vertex_service_tier_flex_stream.yaml",
    "pydantic-ai__test_multimodal_tool_return_matrix[direct-uploaded_file-image-google_vertex].yaml",
    "pydantic-ai__test_multimodal_tool_return_matrix[direct-url-image-google_vertex].yaml",
    "pydantic-ai__TestGoogle.test_vertex_query.yaml",
    "mirascope__test_call__anthropic-vertex_claude_haiku_4_5@20251001__stream.yaml",
    "mirascope__test_call_with_tools__anthropic-vertex_claude_haiku_4_5@20251001__sync.yaml",
):
    EXCLUDE[f"vertex_ai/{_name}"] = (
        "Vertex AI: signed Google credentials; litellm's vertex_ai route gets an OAuth access token "
        "through google-auth (service account or ADC) before the call, which an offline replay with a "
        "fake key cannot satisfy"
    )
