"""litellm's ``litellm.constants`` names that libraries read (langchain-litellm builds its parameter
filter from ``litellm.OPENAI_CHAT_COMPLETION_PARAMS``). Values are litellm 1.110.2's, as data."""

from __future__ import annotations

from typing import List

# the parameters litellm treats as OpenAI chat-completion parameters (litellm/constants.py, 1.110.2;
# its duplicate "temperature" kept, since code may count or index the list)
OPENAI_CHAT_COMPLETION_PARAMS: List[str] = [
    "functions",
    "function_call",
    "temperature",
    "temperature",
    "top_p",
    "n",
    "stream",
    "stream_options",
    "stop",
    "max_completion_tokens",
    "modalities",
    "prediction",
    "audio",
    "max_tokens",
    "presence_penalty",
    "frequency_penalty",
    "logit_bias",
    "user",
    "request_timeout",
    "api_base",
    "api_version",
    "api_key",
    "deployment_id",
    "organization",
    "base_url",
    "default_headers",
    "timeout",
    "response_format",
    "seed",
    "tools",
    "tool_choice",
    "max_retries",
    "parallel_tool_calls",
    "logprobs",
    "top_logprobs",
    "reasoning_effort",
    "extra_headers",
    "thinking",
    "web_search_options",
    "include_server_side_tool_invocations",
    "service_tier",
    "prompt_cache_key",
    "prompt_cache_retention",
    "safety_identifier",
    "verbosity",
    "store",
]

OPENAI_FINISH_REASONS: List[str] = ["stop", "length", "function_call", "tool_calls", "content_filter"]

__all__ = ["OPENAI_CHAT_COMPLETION_PARAMS", "OPENAI_FINISH_REASONS"]
