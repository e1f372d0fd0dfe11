//! Cohere failures as litellm 1.110.2 raises them (measured; `exception_mapping_utils.py`,
//! `_map_cohere_exception`).
//!
//! litellm searches the reply's raw text. Its Cohere mapper raises for four phrases and for the
//! statuses 400/498, 408 and 500, always as `CohereException` with `llm_provider="cohere"` and no
//! debug info. Every other status falls through it (the mapper's status branch has no `else`) to
//! litellm's generic status mapping, which names the route's provider: `Cohere_chatException` and
//! `llm_provider="cohere_chat"` on the chat route, with debug info. A connection failure and a
//! timeout reach the mapper as Cohere errors of status 500 and 408.

use crate::classify::{exception_provider, Classification, ErrorClass};
use crate::error::CoreError;
use crate::provider::Provider;

/// litellm's Cohere mapper's own label and provider name.
const OWN_LABEL: &str = "CohereException";
const OWN_PROVIDER: &str = "cohere";

/// A classification, and which of litellm's mappers raised it: `Some(name)` when its Cohere mapper
/// did (the `llm_provider` it names, empty for its catch-all re-raise; no debug info), None for its
/// generic status mapping (the route's provider, with debug info).
struct Mapped {
    classification: Classification,
    own_mapper: Option<&'static str>,
}

fn own(class: ErrorClass, status_code: u16, message: String) -> Mapped {
    let mapped = generic(class, status_code, format!("{OWN_LABEL} - {message}"));
    Mapped {
        own_mapper: Some(OWN_PROVIDER),
        ..mapped
    }
}

fn generic(class: ErrorClass, status_code: u16, message: String) -> Mapped {
    Mapped {
        classification: Classification {
            class,
            status_code,
            message,
            provider_status_code: None,
        },
        own_mapper: None,
    }
}

/// The exception litellm raises for `err` on a Cohere route.
pub fn classify(provider: Provider, err: &CoreError) -> Classification {
    mapped(provider, err).classification
}

/// Which of litellm's mappers raised it (see `Mapped`); `edgequake._errors.cohere` reads it.
pub fn own_mapper(provider: Provider, err: &CoreError) -> Option<&'static str> {
    mapped(provider, err).own_mapper
}

/// The phrases litellm's `exception_type` maps to a timeout before any provider mapper runs (as in
/// `crate::classify`, whose helper is private to it).
const TIMEOUT_PHRASES: [&str; 4] = [
    "Request Timeout Error",
    "Request timed out",
    "Timed out generating response",
    "The read operation timed out",
];

/// The Cohere mapper's rules, then the generic status mapping, over an error reply's text.
fn reply(provider: Provider, status: u16, text: &str) -> Mapped {
    use ErrorClass::*;
    if TIMEOUT_PHRASES.iter().any(|p| text.contains(p)) {
        let message = format!("APITimeoutError - Request timed out. Error_str: {text}");
        return generic(Timeout, 408, message);
    }
    if text.contains("invalid api token") || text.contains("No API key provided.") {
        // The class takes its status from the reply it carries, whatever that reply's status.
        return own(AuthenticationError, status, text.to_owned());
    }
    if text.contains("invalid type: parameter") {
        return own(BadRequestError, status, text.to_owned());
    }
    if text.contains("too many tokens") {
        return own(ContextWindowExceededError, status, text.to_owned());
    }
    if text.to_lowercase().contains("internal server error") {
        return own(InternalServerError, 500, text.to_owned());
    }
    match status {
        400 | 498 => return own(BadRequestError, status, text.to_owned()),
        408 => return own(Timeout, 408, text.to_owned()),
        500 => return own(InternalServerError, 500, text.to_owned()),
        _ => {}
    }
    let message = format!("{} - {text}", exception_provider(provider));
    let class = match status {
        401 => AuthenticationError,
        402 => PaymentRequiredError,
        403 => PermissionDeniedError,
        404 => NotFoundError,
        429 => RateLimitError,
        502 => BadGatewayError,
        503 => ServiceUnavailableError,
        504 => Timeout,
        s if s < 500 => BadRequestError,
        _ => APIError,
    };
    generic(class, status, message)
}

fn mapped(provider: Provider, err: &CoreError) -> Mapped {
    use ErrorClass::*;
    match err {
        CoreError::Status { status, body, .. } => reply(provider, *status, body),
        // litellm's httpx handler raises a Cohere error of status 408 with its own timeout text
        // (`edgequake._errors.from_core` adds what was waited).
        // The core's "connect" phase runs until the reply's headers arrive; httpx, connected at
        // once, calls waiting for them a read timeout, which is what a stalled provider gives.
        CoreError::Timeout { .. } => {
            own(Timeout, 408, "litellm.Timeout: Read timed out.".to_owned())
        }
        // ... and a failed connection as one of status 500 quoting the OS error.
        CoreError::Connect { detail, .. } | CoreError::Transport { detail } => {
            own(InternalServerError, 500, detail.clone())
        }
        // A success body that is not JSON: a Cohere error of the reply's status, which no rule
        // maps, so litellm's catch-all raises APIConnectionError with the route's label. One that
        // is JSON litellm cannot read (`response`): the Python error, re-raised unmapped, naming
        // no provider.
        CoreError::Decode { detail, body, .. } => {
            if serde_json::from_str::<serde_json::Value>(body).is_ok() {
                Mapped {
                    own_mapper: Some(""),
                    ..generic(APIConnectionError, 500, detail.clone())
                }
            } else {
                let label = exception_provider(provider);
                generic(APIConnectionError, 500, format!("{label} - {body}"))
            }
        }
        CoreError::StreamEvent { body }
        | CoreError::ErrorBody { body, .. }
        | CoreError::Unusable { body, .. } => reply(provider, 500, body),
        // A request litellm's Cohere transformation refuses (`ValueError`, an `IndexError` on an
        // empty input) is re-raised unmapped, as APIConnectionError naming no provider.
        CoreError::InvalidRequest { detail } => Mapped {
            own_mapper: Some(""),
            ..generic(APIConnectionError, 500, detail.clone())
        },
    }
}
