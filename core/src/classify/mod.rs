//! Which litellm exception a wire failure becomes, and the message litellm gives it.
//!
//! litellm 1.110.2 maps provider errors in `exception_mapping_utils.py` by rules over the provider's
//! reply: substrings of the body first (rate limit, context window, content policy), then the HTTP
//! status. The rules differ per route family, and so does the text the rules look at:
//!
//! | family            | providers                                   | text searched (`error_str`)       | text shown     |
//! |-------------------|---------------------------------------------|-----------------------------------|----------------|
//! | `OpenAiSdk`       | openai, cerebras (litellm uses the SDK)     | `Error code: N - <error.message>` | error.message  |
//! | `Azure`           | azure (own mapper, SDK text)                | as above                          | error.message  |
//! | `OpenAiCompatible`| mistral, xai, groq, deepseek, together_ai, fireworks_ai | the raw body          | the raw body   |
//! | `OpenRouter`      | openrouter (status only)                    | the raw body                      | the raw body   |
//! | `HuggingFace`     | huggingface (own mapper)                    | the raw body                      | the raw body   |
//!
//! Every rule here reads the provider's status and body, never a message edgequake wrote.
//!
//! `Classification::message` is the text litellm passes as `message=` to the exception constructor,
//! e.g. `RateLimitError: OpenAIException - Rate limit reached ...`; the class adds its own
//! `litellm.RateLimitError: ` prefix in Python. For timeouts, refused connections and undecodable
//! bodies litellm quotes Python's own error text (`[Errno 111] Connection refused`, `Expecting value:
//! line 1 column 1 (char 0)`), which only Python can reproduce exactly, so `edgequake._errors.from_core`
//! rebuilds those messages and the text here is the closest Rust rendering of the same shape.
//!
//! The work is split by what failed: `reply` maps an error reply the provider sent (the per-family
//! mappers), `inband` an error inside a success reply (an error body or chunk, JSON the route cannot
//! read), `failure` everything else (timeout, failed connection, undecodable body), and `text` holds
//! the substring and word rules the mappers apply to a reply.

mod failure;
mod inband;
mod reply;
mod text;

#[cfg(test)]
mod inband_tests;
#[cfg(test)]
mod measured_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod unusable_tests;

pub use text::{is_context_window_text, is_generic_timeout_text, is_rate_limit_text};

use crate::error::CoreError;
use crate::provider::Provider;
use failure::{connection, decode, timeout};
use inband::{error_body, stream_event, unusable_chunk};
use reply::{classify_reply, Reply};

/// One variant per litellm exception class edgequake raises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    AuthenticationError,
    BadRequestError,
    ContextWindowExceededError,
    ContentPolicyViolationError,
    UnsupportedParamsError,
    RejectedRequestError,
    PaymentRequiredError,
    NotFoundError,
    PermissionDeniedError,
    UnprocessableEntityError,
    RateLimitError,
    Timeout,
    InternalServerError,
    ServiceUnavailableError,
    MidStreamFallbackError,
    BadGatewayError,
    APIError,
    APIConnectionError,
    APIResponseValidationError,
    JSONSchemaValidationError,
}

impl ErrorClass {
    /// The Python class name in `edgequake.exceptions` (and `litellm.exceptions`).
    pub fn name(&self) -> &'static str {
        match self {
            ErrorClass::AuthenticationError => "AuthenticationError",
            ErrorClass::BadRequestError => "BadRequestError",
            ErrorClass::ContextWindowExceededError => "ContextWindowExceededError",
            ErrorClass::ContentPolicyViolationError => "ContentPolicyViolationError",
            ErrorClass::UnsupportedParamsError => "UnsupportedParamsError",
            ErrorClass::RejectedRequestError => "RejectedRequestError",
            ErrorClass::PaymentRequiredError => "PaymentRequiredError",
            ErrorClass::NotFoundError => "NotFoundError",
            ErrorClass::PermissionDeniedError => "PermissionDeniedError",
            ErrorClass::UnprocessableEntityError => "UnprocessableEntityError",
            ErrorClass::RateLimitError => "RateLimitError",
            ErrorClass::Timeout => "Timeout",
            ErrorClass::InternalServerError => "InternalServerError",
            ErrorClass::ServiceUnavailableError => "ServiceUnavailableError",
            ErrorClass::MidStreamFallbackError => "MidStreamFallbackError",
            ErrorClass::BadGatewayError => "BadGatewayError",
            ErrorClass::APIError => "APIError",
            ErrorClass::APIConnectionError => "APIConnectionError",
            ErrorClass::APIResponseValidationError => "APIResponseValidationError",
            ErrorClass::JSONSchemaValidationError => "JSONSchemaValidationError",
        }
    }
}

/// The outcome: class, the exception's final `status_code`, and litellm's constructor message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    pub class: ErrorClass,
    pub status_code: u16,
    pub message: String,
    pub provider_status_code: Option<u16>,
}

/// How litellm reaches a provider, which decides the mapper and the text it searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    OpenAiSdk,
    Azure,
    OpenAiCompatible,
    OpenRouter,
    HuggingFace,
}

pub fn family(provider: Provider) -> Family {
    match provider {
        Provider::OpenAI | Provider::Cerebras => Family::OpenAiSdk,
        Provider::Azure => Family::Azure,
        Provider::Mistral
        | Provider::Xai
        | Provider::Groq
        | Provider::DeepSeek
        | Provider::TogetherAi
        | Provider::FireworksAi
        | Provider::Ollama
        | Provider::OllamaChat
        | Provider::Gemini => Family::OpenAiCompatible,
        Provider::OpenRouter => Family::OpenRouter,
        Provider::HuggingFace => Family::HuggingFace,
        // Every Cohere failure is classified by its wire (`wire::cohere::errors`).
        Provider::Cohere | Provider::CohereChat => Family::OpenAiCompatible,
        // Its own mapper lives in `crate::wire::anthropic`; this family is never consulted for it.
        Provider::Anthropic => Family::OpenAiCompatible,
    }
}

/// litellm's provider label: `OpenAIException`, else the provider name with a capital first letter
/// (`Together_aiException`, `HuggingfaceException`).
pub fn exception_provider(provider: Provider) -> String {
    if provider == Provider::OpenAI {
        return "OpenAIException".to_owned();
    }
    let name = provider.name();
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => format!("{}{}Exception", first.to_uppercase(), chars.as_str()),
        None => "Exception".to_owned(),
    }
}

pub fn classify(provider: Provider, err: &CoreError) -> Classification {
    if let Some(own) = crate::wire::classify(provider, err) {
        return own;
    }
    let fam = family(provider);
    let label = exception_provider(provider);
    match err {
        CoreError::Status { status, body, .. } => {
            classify_reply(fam, &label, Some(*status), &Reply::http(fam, *status, body))
        }
        CoreError::StreamEvent { body } => stream_event(provider, fam, &label, body),
        CoreError::ErrorBody {
            status, message, ..
        } => error_body(fam, &label, *status, message),
        CoreError::Unusable { body, problem } => {
            unusable_chunk(provider, fam, &label, body, *problem)
        }
        CoreError::Timeout { during } => timeout(fam, &label, during),
        CoreError::Connect { detail, .. } => connection(fam, &label, detail),
        CoreError::Transport { detail } => connection(fam, &label, detail),
        CoreError::Decode {
            status,
            detail,
            body,
            ..
        } => decode(provider, &label, *status, detail, body),
        CoreError::InvalidRequest { detail } => {
            done(ErrorClass::BadRequestError, 400, detail.clone())
        }
    }
}

/// A failure of a Responses API call (`litellm.responses()` on its native routes). litellm's Responses
/// handler is its own HTTP client, not the openai SDK: an error reply reaches the provider's mapper as
/// the raw body, which is what the message quotes, and a reply that does not parse is an `APIError`
/// quoting it with the reply's status. Other failures classify as on the route's chat call.
pub fn classify_responses(provider: Provider, err: &CoreError) -> Classification {
    let label = exception_provider(provider);
    let fam = match family(provider) {
        Family::OpenAiSdk => Family::OpenAiCompatible,
        other => other,
    };
    match err {
        CoreError::Status { status, body, .. } => {
            classify_reply(fam, &label, Some(*status), &Reply::text(body))
        }
        // A 200 whose body is an error object is no response litellm can build: the same APIError.
        CoreError::ErrorBody { body, .. } => {
            classify_reply(fam, &label, Some(200), &Reply::text(body))
        }
        CoreError::Decode { status, body, .. } => done(
            ErrorClass::APIError,
            *status,
            format!("APIError: {label} - {body}"),
        ),
        // Its own HTTP client's timeouts and connection failures, worded as on litellm's httpx routes;
        // a reply that does not come in time is httpx's read timeout there (measured), whereas the
        // core counts the wait for the headers as connecting.
        CoreError::Timeout { .. } => timeout(fam, &label, "read"),
        CoreError::Connect { detail, .. } | CoreError::Transport { detail } => {
            connection(fam, &label, detail)
        }
        _ => classify(provider, err),
    }
}

fn done(class: ErrorClass, status_code: u16, message: String) -> Classification {
    Classification {
        class,
        status_code,
        message,
        provider_status_code: None,
    }
}
