//! The providers the core speaks to natively, and their fixed facts: default base URL, how a base
//! URL becomes an endpoint, and how the key is sent. litellm's rules are the reference
//! (`shared/reference/litellm-oracle.md`, section 3).

/// A provider route, by litellm's `custom_llm_provider` name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    OpenAI,
    Azure,
    Mistral,
    Xai,
    OpenRouter,
    Groq,
    DeepSeek,
    TogetherAi,
    FireworksAi,
    HuggingFace,
    Cerebras,
    /// `ollama/`: Ollama's `/api/generate` (a prompt built from the messages).
    Ollama,
    /// `ollama_chat/`: Ollama's `/api/chat`.
    OllamaChat,
    Cohere,
    CohereChat,
    Anthropic,
    Gemini,
}

/// How the API key travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    Bearer,
    /// Azure's `api-key:` header.
    ApiKeyHeader,
    /// Anthropic's `x-api-key:` header.
    XApiKey,
    /// Gemini's `x-goog-api-key:` header (set by `wire::gemini`).
    GoogApiKey,
}

impl Provider {
    pub const ALL: [Provider; 17] = [
        Provider::OpenAI,
        Provider::Azure,
        Provider::Mistral,
        Provider::Xai,
        Provider::OpenRouter,
        Provider::Groq,
        Provider::DeepSeek,
        Provider::TogetherAi,
        Provider::FireworksAi,
        Provider::HuggingFace,
        Provider::Cerebras,
        Provider::Ollama,
        Provider::OllamaChat,
        Provider::Cohere,
        Provider::CohereChat,
        Provider::Anthropic,
        Provider::Gemini,
    ];

    /// litellm's provider name (the `provider/` model prefix and `custom_llm_provider`).
    pub fn name(self) -> &'static str {
        match self {
            Provider::OpenAI => "openai",
            Provider::Azure => "azure",
            Provider::Mistral => "mistral",
            Provider::Xai => "xai",
            Provider::OpenRouter => "openrouter",
            Provider::Groq => "groq",
            Provider::DeepSeek => "deepseek",
            Provider::TogetherAi => "together_ai",
            Provider::FireworksAi => "fireworks_ai",
            Provider::HuggingFace => "huggingface",
            Provider::Cerebras => "cerebras",
            Provider::Ollama => "ollama",
            Provider::OllamaChat => "ollama_chat",
            Provider::Cohere => "cohere",
            Provider::CohereChat => "cohere_chat",
            Provider::Anthropic => "anthropic",
            Provider::Gemini => "gemini",
        }
    }

    pub fn from_name(name: &str) -> Option<Provider> {
        Provider::ALL.iter().copied().find(|p| p.name() == name)
    }

    /// The base URL used when neither the call, the module globals nor the environment give one.
    pub fn default_base(self) -> Option<&'static str> {
        match self {
            Provider::OpenAI => Some("https://api.openai.com/v1"),
            Provider::Azure => None,
            Provider::Mistral => Some("https://api.mistral.ai/v1"),
            Provider::Xai => Some("https://api.x.ai/v1"),
            Provider::OpenRouter => Some("https://openrouter.ai/api/v1"),
            Provider::Groq => Some("https://api.groq.com/openai/v1"),
            Provider::DeepSeek => Some("https://api.deepseek.com/beta"),
            Provider::TogetherAi => Some("https://api.together.xyz/v1"),
            Provider::FireworksAi => Some("https://api.fireworks.ai/inference/v1"),
            Provider::HuggingFace => Some("https://router.huggingface.co/v1"),
            Provider::Cerebras => Some("https://api.cerebras.ai/v1"),
            Provider::Ollama | Provider::OllamaChat => Some("http://localhost:11434"),
            // The chat URL; the embed URL is the wire's own default (`wire::cohere`).
            Provider::Cohere | Provider::CohereChat => Some("https://api.cohere.com/v2/chat"),
            Provider::Anthropic => Some("https://api.anthropic.com"),
            Provider::Gemini => Some("https://generativelanguage.googleapis.com/v1beta"),
        }
    }

    /// How the API key is sent.
    pub fn auth(self) -> Auth {
        match self {
            Provider::Azure => Auth::ApiKeyHeader,
            Provider::Anthropic => Auth::XApiKey,
            Provider::Gemini => Auth::GoogApiKey,
            _ => Auth::Bearer,
        }
    }

    /// Whether this route goes through the openai SDK in litellm, and so retries by default.
    pub fn retries_by_default(self) -> bool {
        matches!(self, Provider::OpenAI | Provider::Azure)
    }
}
