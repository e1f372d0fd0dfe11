//! Failures other than an error status: no reply in time, a connection that failed, a success body
//! that is not JSON. (Errors inside a success reply are `inband`'s.) litellm reaches each through a different
//! code path per route, so the class and message follow the route family, not the failure alone.

use super::{done, family, Classification, ErrorClass, Family};
use crate::provider::Provider;

/// No reply in time. The SDK routes report the SDK's own text; the httpx routes quote litellm's
/// inner `litellm.Timeout` (with the limit and elapsed time, which `from_core` fills in).
pub(super) fn timeout(fam: Family, label: &str, during: &str) -> Classification {
    let phase = if during == "connect" {
        "Connection"
    } else {
        "Read"
    };
    let inner = format!("litellm.Timeout: {phase} timed out.");
    match fam {
        Family::OpenAiSdk | Family::Azure => done(
            ErrorClass::Timeout,
            408,
            "APITimeoutError - Request timed out. Error_str: Request timed out.".to_owned(),
        ),
        Family::OpenAiCompatible | Family::OpenRouter => done(
            ErrorClass::Timeout,
            408,
            format!("Timeout Error: {label} - {inner}"),
        ),
        Family::HuggingFace => done(ErrorClass::Timeout, 408, format!("{label} - {inner}")),
    }
}

/// The connection failed (refused, reset). The SDK says "Connection error."; the httpx routes quote
/// the OS error, which `from_core` renders the way Python does.
pub(super) fn connection(fam: Family, label: &str, detail: &str) -> Classification {
    use ErrorClass::*;
    match fam {
        Family::OpenAiSdk => done(
            InternalServerError,
            500,
            format!("InternalServerError: {label} - Connection error."),
        ),
        Family::Azure => done(
            APIConnectionError,
            500,
            "AzureException APIConnectionError - Connection error.".to_owned(),
        ),
        Family::OpenAiCompatible => done(
            InternalServerError,
            500,
            format!("InternalServerError: {label} - {detail}"),
        ),
        Family::OpenRouter => done(
            APIConnectionError,
            500,
            format!("APIConnectionError: {label} - {detail}"),
        ),
        Family::HuggingFace => done(APIError, 500, format!("{label} - {detail}")),
    }
}

/// A success status whose body is not JSON. Each route fails somewhere different in litellm, hence
/// the spread of classes; `detail` stands in for Python's JSONDecodeError text.
pub(super) fn decode(
    provider: Provider,
    label: &str,
    status: u16,
    detail: &str,
    body: &str,
) -> Classification {
    use ErrorClass::*;
    match family(provider) {
        Family::OpenAiSdk => done(
            InternalServerError,
            500,
            format!(
                "InternalServerError: {label} - error - {detail}, Received response - <APIResponse [200 OK] \
                 type=<class 'openai.types.chat.chat_completion.ChatCompletion'>>, Type of response - \
                 <class 'openai._legacy_response.LegacyAPIResponse'>"
            ),
        ),
        Family::Azure => done(APIError, 500, format!("AzureException APIError - {detail}")),
        // Mistral and Groq parse in their own transformation, which litellm reports as a connection error.
        Family::OpenAiCompatible if matches!(provider, Provider::Mistral | Provider::Groq) => {
            done(APIConnectionError, 500, format!("APIConnectionError: {label} - {detail}"))
        }
        Family::OpenAiCompatible | Family::OpenRouter => done(
            APIError,
            status,
            format!("APIError: {label} - Unable to get json response - {detail}, Original Response: {body}"),
        ),
        Family::HuggingFace => done(
            APIError,
            status,
            format!("{label} - Unable to get json response - {detail}, Original Response: {body}"),
        ),
    }
}
