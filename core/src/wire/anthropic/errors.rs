//! Anthropic's error replies as litellm 1.110.2 maps them (`_map_anthropic_exception` in
//! `exception_mapping_utils.py`): body substrings first (a too-long prompt, an overload, an invalid
//! key, a content filter), then the status. The label is `AnthropicError` on the substring rules and
//! `AnthropicException` on the status rules, as litellm words them.
//!
//! Failures without a reply (timeouts, refused connections) fall to the shared mapper
//! (`crate::classify`), which words them as litellm's own HTTP handler does for every such route.

use crate::classify::{is_context_window_text, Classification, ErrorClass};
use crate::error::CoreError;

fn done(class: ErrorClass, status_code: u16, message: String) -> Classification {
    Classification {
        class,
        status_code,
        message,
        provider_status_code: None,
    }
}

/// The classification for a failure the Anthropic wire maps itself; `None` for those left to the
/// shared mapper.
pub fn classify(err: &CoreError) -> Option<Classification> {
    match err {
        CoreError::Status { status, body, .. } => Some(map_reply(*status, body)),
        // An `error` event inside a stream: litellm raises it with status 500 and the event's
        // `error.message` (else the whole event) as its text.
        CoreError::StreamEvent { body } => Some(map_reply(500, &stream_error_text(body))),
        // litellm's httpx handler waited for a reply that did not come (a server that accepted
        // the connection: httpx's read timeout); `from_core` adds the limit and the time waited.
        // No connection: litellm maps its httpx error like a 500 reply quoting the OS error
        // (`from_core` renders `[Errno 111] Connection refused` as Python does).
        CoreError::Connect { detail, .. } | CoreError::Transport { detail } => {
            let mut c = map_reply(500, detail);
            c.provider_status_code = None;
            Some(c)
        }
        CoreError::Timeout { .. } => Some(done(
            ErrorClass::Timeout,
            408,
            "AnthropicException - litellm.Timeout: Read timed out.".to_owned(),
        )),
        // litellm's `transform_response` cannot parse the body: an APIConnectionError whose message
        // quotes Python's json error (rebuilt by `edgequake._errors.from_core`).
        CoreError::Decode { detail, body, .. } => {
            // JSON of the wrong shape: litellm fails reading it (a KeyError such as `'content'`)
            // and quotes only that error; a body that is no JSON is quoted whole.
            let message = if serde_json::from_str::<serde_json::Value>(body).is_ok() {
                detail.clone()
            } else {
                format!(
                    "AnthropicException - Unable to get json response - {detail}, Original Response: {body}"
                )
            };
            Some(done(ErrorClass::APIConnectionError, 500, message))
        }
        _ => None,
    }
}

/// `error.message` of an `event: error` payload, else the payload as Python's `str(dict)`.
pub fn stream_error_text(body: &str) -> String {
    let parsed: Option<serde_json::Value> = serde_json::from_str(body).ok();
    let message = parsed
        .as_ref()
        .and_then(|v| v.get("error"))
        .and_then(|e| e.get("message"))
        .and_then(|m| m.as_str())
        .filter(|m| !m.is_empty());
    match (message, &parsed) {
        (Some(m), _) => m.to_owned(),
        (None, Some(v)) => crate::pytext::str_of(v),
        (None, None) => body.to_owned(),
    }
}

/// litellm's rules over the reply text (`error_str`) and the status.
pub fn map_reply(status: u16, error_str: &str) -> Classification {
    use ErrorClass::*;
    let e = error_str;
    let substring =
        |class: ErrorClass, code: u16| done(class, code, format!("AnthropicError - {e}"));
    if is_generic_timeout(e) {
        return done(
            Timeout,
            408,
            format!("APITimeoutError - Request timed out. Error_str: {e}"),
        );
    }
    if e.contains("prompt is too long") || e.contains("prompt: length") || is_context_window_text(e)
    {
        return substring(ContextWindowExceededError, 400);
    }
    if e.contains("overloaded_error") || e.contains("Overloaded") {
        let mut c = substring(InternalServerError, 500);
        c.provider_status_code = (status >= 500).then_some(529);
        return c;
    }
    if e.contains("Invalid API Key") {
        return substring(AuthenticationError, 401);
    }
    if e.contains("content filtering policy") {
        return substring(ContentPolicyViolationError, 400);
    }
    if e.contains("Client error '400 Bad Request'") {
        return substring(BadRequestError, 400);
    }
    let plain =
        |class: ErrorClass, code: u16| done(class, code, format!("AnthropicException - {e}"));
    match status {
        401 => plain(AuthenticationError, 401),
        403 => plain(PermissionDeniedError, 403),
        400 | 413 => plain(BadRequestError, 400),
        404 => plain(NotFoundError, 404),
        408 => plain(Timeout, 408),
        429 => plain(RateLimitError, 429),
        500 | 529 => {
            let mut c = done(
                InternalServerError,
                500,
                format!("AnthropicException - {e}. Handle with `litellm.InternalServerError`."),
            );
            c.provider_status_code = Some(status);
            c
        }
        502 => done(
            BadGatewayError,
            502,
            format!("AnthropicException BadGatewayError - {e}"),
        ),
        503 => done(
            ServiceUnavailableError,
            503,
            format!("AnthropicException - {e}. Handle with `litellm.ServiceUnavailableError`."),
        ),
        504 => done(Timeout, 504, format!("AnthropicException Timeout - {e}")),
        // No rule matched: litellm's generic fallback by status class (an error body under a
        // success status is a connection error there).
        402 => plain(PaymentRequiredError, 402),
        s @ 400..=499 => plain(BadRequestError, s),
        s @ 500..=599 => plain(APIError, s),
        _ => done(APIConnectionError, 500, format!("AnthropicException - {e}")),
    }
}

/// The timeout phrases litellm checks before any provider rule.
fn is_generic_timeout(e: &str) -> bool {
    [
        "Request Timeout Error",
        "Request timed out",
        "Timed out generating response",
        "The read operation timed out",
    ]
    .iter()
    .any(|p| e.contains(p))
}
