"""The route families litellm's mappers differ by (as in core/src/classify/), and the stub texts
they attach; shared by ``from_core`` and ``messages``."""

# Route families, as in core/src/classify/: they decide which litellm mapper ran and what it attached.
_SDK = "sdk"  # litellm calls the openai SDK
_AZURE = "azure"
_COMPAT = "compat"  # litellm's own httpx handler, mapped as openai-compatible
_OPENROUTER = "openrouter"
_HUGGINGFACE = "huggingface"
_OLLAMA = "ollama"  # litellm's own httpx handler with Ollama's transformations
_COHERE = "cohere"  # litellm's httpx handler with its Cohere mapper (core/src/wire/cohere/errors.rs)
_GEMINI = "gemini"  # litellm's vertex mapper (whole requests as gemini, streams as vertex_ai_beta)

_FAMILY = {
    "openai": _SDK,
    "cerebras": _SDK,
    "azure": _AZURE,
    "mistral": _COMPAT,
    "xai": _COMPAT,
    "groq": _COMPAT,
    "deepseek": _COMPAT,
    "together_ai": _COMPAT,
    "fireworks_ai": _COMPAT,
    "openrouter": _OPENROUTER,
    "huggingface": _HUGGINGFACE,
    "ollama": _OLLAMA,
    "ollama_chat": _OLLAMA,
    "cohere": _COHERE,
    "cohere_chat": _COHERE,
    "anthropic": _COMPAT,  # litellm's own httpx handler; its message rules are in core/src/wire/anthropic
    "gemini": _GEMINI,
    "vertex_ai_beta": _GEMINI,
}

# Request URLs of the stub responses litellm attaches where it has no upstream reply.
_OPENAI_STUB = "https://api.openai.com/v1"
_DOCS_STUB = "https://docs.litellm.ai/docs"

_SDK_DECODE_TAIL = (
    ", Received response - <APIResponse [200 OK] "
    "type=<class 'openai.types.chat.chat_completion.ChatCompletion'>>"
    ", Type of response - <class 'openai._legacy_response.LegacyAPIResponse'>"
)
