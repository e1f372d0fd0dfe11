"""Per-provider request rules litellm 1.110.2 applies on the OpenAI-wire routes (measured, see
tests/fixtures/params/record.py). Which OpenAI params a model accepts lives in ``_params.models``
(generated); this table says what each route does with the ones it accepts.
"""

from __future__ import annotations

from typing import Dict, FrozenSet, Tuple

# OpenAI-named params litellm validates, in the order its error message lists them.
VALIDATED: Tuple[str, ...] = (
    "functions", "function_call", "temperature", "top_p", "n", "stream", "stream_options", "stop",
    "max_tokens", "max_completion_tokens", "modalities", "prediction", "audio", "presence_penalty",
    "frequency_penalty", "logit_bias", "user", "response_format", "seed", "tools", "tool_choice",
    "logprobs", "top_logprobs", "parallel_tool_calls", "reasoning_effort", "verbosity", "thinking",
    "web_search_options", "safety_identifier", "store", "prompt_cache_key",
    "include_server_side_tool_invocations", "service_tier", "prompt_cache_retention", "context_management",
)  # fmt: skip
VALIDATED_SET: FrozenSet[str] = frozenset(VALIDATED)
# Never rejected: silently left out of the body when the model does not list them (n only when 1).
UNVALIDATED: FrozenSet[str] = frozenset({"user", "stream_options", "stream"})

# Flags per route:
#   drop_stream_false  `stream: false` and `stream_options` without streaming are not sent
#   max_tokens_to      max_completion_tokens is sent as this key (max_completion_tokens wins over max_tokens)
#   renames            other renamed keys
#   required_to_any    tool_choice "required" is sent as "any"
#   tool_choice_free   tool_choice is sent even without tools (elsewhere it is dropped)
#   stream_usage       streaming adds stream_options {include_usage: true}
#   add                constant keys added to every body
#   flatten_text       text-only content lists become one string
#   strip_name         roles whose `name` is kept ("*" = none stripped)
#   drop_empty_assistant  assistant messages with nothing to say are removed
RULES: Dict[str, Dict[str, object]] = {
    "openai": {"drop_stream_false": True},
    "azure": {},
    "mistral": {
        "drop_stream_false": True, "max_tokens_to": "max_tokens", "renames": {"seed": "random_seed"},
        "required_to_any": True, "flatten_text": True, "keep_name_roles": (), "drop_empty_assistant": True,
        "reasoning_prompt": True,
    },
    "xai": {"max_tokens_to": "max_tokens", "keep_name_roles": ("user",)},
    "openrouter": {"add": {"usage": {"include": True}}},
    "groq": {"max_tokens_to": "max_tokens", "json_schema_as_tool": True, "web_search_tool": "browser_search"},
    "deepseek": {"flatten_text": True, "deepseek_thinking": True},
    "together_ai": {},
    "fireworks_ai": {"max_tokens_to": "max_tokens", "required_to_any": True, "stream_usage": True},
    "huggingface": {"tool_choice_free": True},
    "cerebras": {"drop_stream_false": True, "max_tokens_to": "max_tokens"},
}  # fmt: skip

# Reasoning families of the openai/azure routes: max_tokens goes out as max_completion_tokens and only
# temperature=1 is accepted. o-series also drop `stream: false`.
FAMILY_RULES: Dict[str, Dict[str, object]] = {
    "oseries": {"drop_stream_false": True, "max_tokens_to": "max_completion_tokens"},
    "gpt5": {"max_tokens_to": "max_completion_tokens"},
}

OSERIES_TEMPERATURE = (
    "O-series models don't support temperature={value}. Only temperature=1 is supported. To drop "
    "unsupported openai params from the call, set `litellm.drop_params = True`"
)
GPT5_TEMPERATURE = (
    "{model} doesn't support temperature={value} while reasoning is active. Only temperature=1 is "
    "supported unless reasoning_effort resolves to 'none', either set explicitly on the request or "
    "declared as the model's default_reasoning_effort. To drop unsupported params set "
    "`litellm.drop_params = True`"
)
UNSUPPORTED = (
    "{provider} does not support parameters: {keys}, for model={model}. To drop these, set "
    "`litellm.drop_params=True` or for proxy:\n\n`litellm_settings:\n drop_params: true`\n. \n If you want "
    "to use these params dynamically send allowed_openai_params={keys} in your request."
)
EMBED_UNSUPPORTED = (
    "{provider} does not support parameters: {params}, for model={model}. To drop these, set "
    "`litellm.drop_params=True` or for proxy:\n\n`litellm_settings:\n drop_params: true`\n"
)
EMBED_DIMENSIONS = (
    "Setting dimensions is not supported for OpenAI `text-embedding-3` and later models. To drop it "
    "from the call, set `litellm.drop_params = True`."
)
# embedding params each route rejects; openai accepts `dimensions` only on text-embedding-3 models
EMBED_REJECTS: Dict[str, Tuple[str, ...]] = {"mistral": ("user", "dimensions")}
EMBED_DEFAULTS: Dict[str, Dict[str, object]] = {"azure": {"encoding_format": "base64"}}

# reasoning_effort levels litellm's model map declares for the mistral models that take the param
# (litellm 1.110.2, ``reasoning_effort_levels``); models not listed declare none (sent as given).
_MISTRAL_NONE_HIGH = ("none", "high")
_MISTRAL_LOW_HIGH_MAX = ("low", "high", "max")
MISTRAL_EFFORT_LEVELS: Dict[str, Tuple[str, ...]] = {
    **dict.fromkeys(
        (
            "devstral-latest", "devstral-medium-latest", "devstral-small-latest",
            "mistral-code-agent-latest", "mistral-large-4", "mistral-large-4-0", "mistral-medium",
            "mistral-medium-2604", "mistral-medium-3", "mistral-medium-3-5", "mistral-medium-3.5",
            "mistral-medium-latest", "mistral-small", "mistral-small-2603", "mistral-small-latest",
            "mistral-vibe-cli-fast", "mistral-vibe-cli-latest", "mistral-vibe-cli-with-tools",
        ),
        _MISTRAL_NONE_HIGH,
    ),
    **dict.fromkeys(
        ("zai-glm-5", "zai-glm-5-3", "zai-glm-5-3-flash", "zai-glm-latest"), _MISTRAL_LOW_HIGH_MAX
    ),
}  # fmt: skip
# litellm's strength order for rounding a level to a declared one ("none" is the off switch, not ranked)
EFFORT_STRENGTH = ("minimal", "low", "medium", "high", "xhigh", "max")
MISTRAL_EFFORT_UNSUPPORTED = (
    "mistral does not support parameters: ['reasoning_effort'], for model={model}, since the Mistral API "
    "takes it only as a level such as 'high', with no reasoning summary. To drop it, set "
    "`litellm.drop_params=True` or for proxy:\n\n`litellm_settings:\n drop_params: true`\n"
)

# The system prompt litellm's mistral route sends to magistral models when reasoning is requested.
MAGISTRAL_PROMPT = "\n        <s>[SYSTEM_PROMPT]system_prompt\n        A user will ask you to solve a task. You should first draft your thinking process (inner monologue) until you have derived the final answer. Afterwards, write a self-contained summary of your thoughts (i.e. your summary should be succinct but contain all the critical steps you needed to reach the conclusion). You should use Markdown to format your response. Write both your thoughts and summary in the same language as the task posed by the user. NEVER use \x08oxed{} in your response.\n\n        Your thinking process must follow the template below:\n        <think>\n        Your thoughts or/and draft, like working through an exercise on scratch paper. Be as casual and as long as you want until you are confident to generate a correct answer.\n        </think>\n\n        Here, provide a concise summary that reflects your reasoning and presents a clear final answer to the user. Don't mention that this is a summary.\n\n        Problem:\n\n        [/SYSTEM_PROMPT][INST]user_message[/INST]<think>\n        reasoning_traces\n        </think>\n        assistant_response</s>[INST]user_message[/INST]\n        "  # noqa: E501
