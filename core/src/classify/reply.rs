//! An error reply the provider sent (an HTTP error status, or an error event the route treats like
//! one): what litellm's mappers see of it, and the mapper each route family runs over it.

use super::text::{
    is_azure_content_policy_text, is_context_window_text, is_generic_timeout_text,
    is_rate_limit_text,
};
use super::{done, Classification, ErrorClass, Family};

/// What litellm's mappers see of a provider reply.
pub(super) struct Reply {
    /// The text the substring rules search.
    error_str: String,
    /// The text quoted in the message.
    shown: String,
    /// `error.code` (Azure's mapper reads it).
    code: Option<String>,
}

impl Reply {
    pub(super) fn http(fam: Family, status: u16, body: &str) -> Reply {
        let trimmed = body.trim();
        let data = error_object(trimmed);
        let parsed_message = data
            .as_ref()
            .and_then(|d| d.get("message"))
            .and_then(|m| m.as_str())
            .filter(|m| !m.is_empty())
            .map(str::to_owned);
        let code = data
            .as_ref()
            .and_then(|d| d.get("code"))
            .and_then(|c| c.as_str())
            .map(str::to_owned);
        match fam {
            // The openai SDK's message is "Error code: N" plus " - <error.message>" when there is one;
            // litellm shows the parsed error.message and falls back to the SDK message.
            Family::OpenAiSdk | Family::Azure => {
                let sdk = match &parsed_message {
                    Some(m) => format!("Error code: {status} - {m}"),
                    None => format!("Error code: {status}"),
                };
                Reply {
                    shown: parsed_message.unwrap_or_else(|| sdk.clone()),
                    error_str: sdk,
                    code,
                }
            }
            Family::OpenAiCompatible | Family::OpenRouter | Family::HuggingFace => Reply {
                error_str: body.to_owned(),
                shown: body.to_owned(),
                code,
            },
        }
    }

    /// An error litellm raised with this text as its message (an error object in a 200 body or
    /// stream chunk): the mappers search it and quote it.
    pub(super) fn text(message: &str) -> Reply {
        Reply {
            error_str: message.to_owned(),
            shown: message.to_owned(),
            code: None,
        }
    }
}

/// The SDK's `body`: the JSON object's `"error"` member when it has one, else the object itself.
pub(super) fn error_object(text: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let obj = value.as_object()?;
    match obj.get("error") {
        Some(inner) => inner.as_object().cloned(),
        None => Some(obj.clone()),
    }
}

const ENCRYPTED_CONTENT_HELP: &str = "\n\n This error occurs when load balancing Responses API across deployments \
with different API keys.\n   Encrypted content is tied to the organization that created it and cannot be decrypted \
by other organizations.\n\n   Solution: Enable 'encrypted_content_affinity' to route follow-up requests to the \
correct deployment:\n\n   router_settings:\n     enable_pre_call_checks: true\n     optional_pre_call_checks:\n       \
- encrypted_content_affinity\n\n   Learn more: https://docs.litellm.ai/docs/response_api#encrypted-content-affinity-\
multi-region-load-balancing";

pub(super) fn classify_reply(
    fam: Family,
    label: &str,
    status: Option<u16>,
    reply: &Reply,
) -> Classification {
    let s = status.unwrap_or(500);
    if is_generic_timeout_text(&reply.error_str) {
        let msg = format!(
            "APITimeoutError - Request timed out. Error_str: {}",
            reply.error_str
        );
        return done(ErrorClass::Timeout, 408, msg);
    }
    match fam {
        Family::OpenAiSdk | Family::OpenAiCompatible => openai_mapper(label, s, reply),
        Family::Azure => azure_mapper(s, reply),
        Family::OpenRouter => openrouter_mapper(label, s, reply),
        Family::HuggingFace => huggingface_mapper(s, reply),
    }
}

/// litellm's `_map_openai_exception`: body rules in its order, then the status.
fn openai_mapper(label: &str, s: u16, r: &Reply) -> Classification {
    use ErrorClass::*;
    let e = r.error_str.as_str();
    let plain =
        |class: ErrorClass, status: u16| done(class, status, format!("{label} - {}", r.shown));
    let tagged = |class: ErrorClass, tag: &str, status: u16| {
        done(class, status, format!("{tag}: {label} - {}", r.shown))
    };
    if is_rate_limit_text(e, Some(s)) {
        return tagged(RateLimitError, "RateLimitError", 429);
    }
    if is_context_window_text(e) {
        // The status is the upstream one: litellm's BadRequestError takes it from the response.
        return tagged(ContextWindowExceededError, "ContextWindowExceededError", s);
    }
    if e.contains("invalid_request_error") && e.contains("model_not_found") {
        return plain(NotFoundError, s);
    }
    if e.contains("A timeout occurred") {
        return plain(Timeout, 408);
    }
    if (e.contains("invalid_request_error") && e.contains("content_policy_violation"))
        || (e.contains("Invalid prompt") && e.contains("violating our usage policy"))
        || e.to_lowercase()
            .contains("request was rejected as a result of the safety system")
    {
        return tagged(
            ContentPolicyViolationError,
            "ContentPolicyViolationError",
            s,
        );
    }
    if e.contains("invalid_encrypted_content") || e.contains("could not be verified") {
        return done(
            BadRequestError,
            s,
            format!("{label} - {}{ENCRYPTED_CONTENT_HELP}", r.shown),
        );
    }
    if e.contains("invalid_request_error") && !e.contains("Incorrect API key provided") {
        return match s {
            401 => plain(AuthenticationError, 401),
            404 => plain(NotFoundError, 404),
            _ => plain(BadRequestError, s),
        };
    }
    if e.contains("Web server is returning an unknown error")
        || e.contains("The server had an error processing your request.")
    {
        return plain(InternalServerError, 500);
    }
    if e.contains("Request too large") {
        return tagged(RateLimitError, "RateLimitError", 429);
    }
    if e.contains("Mistral API raised a streaming error") {
        return plain(APIError, 500);
    }
    match s {
        400 | 422 => plain(BadRequestError, s),
        401 => tagged(AuthenticationError, "AuthenticationError", 401),
        404 => tagged(NotFoundError, "NotFoundError", 404),
        408 | 504 => tagged(Timeout, "Timeout Error", s),
        429 => tagged(RateLimitError, "RateLimitError", 429),
        500 => tagged(InternalServerError, "InternalServerError", 500),
        502 => tagged(BadGatewayError, "BadGatewayError", 502),
        503 => tagged(ServiceUnavailableError, "ServiceUnavailableError", 503),
        _ => tagged(APIError, "APIError", s),
    }
}

/// litellm's `_map_azure_exception`.
fn azure_mapper(s: u16, r: &Reply) -> Classification {
    use ErrorClass::*;
    let e = r.error_str.as_str();
    let code = r.code.as_deref();
    let az = |class: ErrorClass, tag: &str, status: u16| {
        let sep = if tag.is_empty() {
            String::new()
        } else {
            format!(" {tag}")
        };
        done(class, status, format!("AzureException{sep} - {}", r.shown))
    };
    if e.contains("Internal server error") {
        return az(InternalServerError, "Internal server error", 500);
    }
    if e.contains("DeploymentNotFound") {
        return az(NotFoundError, "NotFoundError", 404);
    }
    if code == Some("content_policy_violation") || is_azure_content_policy_text(e) {
        // Azure's content-policy error carries the bare provider message.
        return done(ContentPolicyViolationError, s, r.shown.clone());
    }
    if code == Some("invalid_encrypted_content") || e.contains("could not be verified") {
        return done(
            BadRequestError,
            s,
            format!("AzureException - {}{ENCRYPTED_CONTENT_HELP}", r.shown),
        );
    }
    if s == 400 && (code == Some("context_length_exceeded") || is_context_window_text(e)) {
        return az(
            ContextWindowExceededError,
            "ContextWindowExceededError",
            400,
        );
    }
    if s == 400 && e.contains("invalid_request_error") {
        return az(BadRequestError, "BadRequestError", 400);
    }
    if e.contains("Connection error") {
        return az(APIConnectionError, "APIConnectionError", 500);
    }
    match s {
        400 => az(BadRequestError, "", 400),
        401 => az(AuthenticationError, "AuthenticationError", 401),
        404 => az(NotFoundError, "NotFoundError", 404),
        408 | 504 => az(Timeout, "Timeout", s),
        422 => az(BadRequestError, "BadRequestError", 422),
        429 => az(RateLimitError, "RateLimitError", 429),
        502 => az(BadGatewayError, "BadGatewayError", 502),
        503 => az(ServiceUnavailableError, "ServiceUnavailableError", 503),
        _ => az(APIError, "APIError", s),
    }
}

/// litellm's `_map_openrouter_exception`: status only.
fn openrouter_mapper(label: &str, s: u16, r: &Reply) -> Classification {
    use ErrorClass::*;
    let tagged = |class: ErrorClass, tag: &str, status: u16| {
        done(class, status, format!("{tag}: {label} - {}", r.shown))
    };
    match s {
        400 => done(BadRequestError, 400, format!("{label} - {}", r.shown)),
        401 => tagged(AuthenticationError, "AuthenticationError", 401),
        404 => tagged(NotFoundError, "NotFoundError", 404),
        408 | 504 => tagged(Timeout, "Timeout Error", s),
        422 => tagged(BadRequestError, "BadRequestError", 422),
        429 => tagged(RateLimitError, "RateLimitError", 429),
        503 => tagged(ServiceUnavailableError, "ServiceUnavailableError", 503),
        _ => tagged(APIError, "APIError", s),
    }
}

/// litellm's `_map_huggingface_exception`: three body phrases (quoted bare), then the status.
fn huggingface_mapper(s: u16, r: &Reply) -> Classification {
    use ErrorClass::*;
    let e = r.error_str.as_str();
    if e.contains("length limit exceeded") {
        return done(ContextWindowExceededError, s, e.to_owned());
    }
    if e.contains("A valid user token is required") {
        return done(BadRequestError, s, e.to_owned());
    }
    if e.contains("Rate limit reached") {
        return done(RateLimitError, 429, e.to_owned());
    }
    let hf = |class: ErrorClass, status: u16| {
        done(class, status, format!("HuggingfaceException - {}", r.shown))
    };
    match s {
        401 => hf(AuthenticationError, 401),
        400 => hf(BadRequestError, 400),
        408 => hf(Timeout, 408),
        429 => hf(RateLimitError, 429),
        503 => hf(ServiceUnavailableError, 503),
        _ => hf(APIError, s),
    }
}
