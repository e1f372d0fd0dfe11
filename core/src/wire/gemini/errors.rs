//! Gemini failures as litellm classifies them: `_map_vertex_exception` in litellm's
//! `exception_mapping_utils.py`, over the reply text (`error_str`), then the status.
//!
//! litellm reaches Gemini two ways, and they label errors differently:
//! * a whole request (and the 4xx/5xx that answers it) goes through `gemini`: `GeminiException`,
//!   the body quoted as text;
//! * a stream is read by the Vertex handler: `Vertex_ai_betaException`, and a reply that fails
//!   the stream is quoted as Python bytes (`b'...'`); an error event inside a stream reads
//!   `<STATUS> - <message>`.

use serde_json::Value;

use crate::classify::{
    is_context_window_text, is_generic_timeout_text, Classification, ErrorClass,
};
use crate::error::CoreError;

/// The provider name litellm maps a whole request's errors under.
pub const WHOLE: &str = "gemini";
/// The provider name litellm maps a stream's errors under.
pub const STREAM: &str = "vertex_ai_beta";

const FILE_AN_ISSUE: &str =
    "File an issue if litellm error - https://github.com/BerriAI/litellm/issues";

fn done(class: ErrorClass, status_code: u16, message: String) -> Classification {
    Classification {
        class,
        status_code,
        message,
        provider_status_code: None,
    }
}

fn capitalized(provider: &str) -> String {
    let mut chars = provider.chars();
    match chars.next() {
        Some(first) => format!("{}{}", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// `error.code` of a JSON error body, as litellm's `_get_body_error_code` reads it.
fn body_code(text: &str) -> Option<i64> {
    let value: Value = serde_json::from_str(text).ok()?;
    let code = value.get("error")?.get("code")?;
    match code {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `403` standing alone (no letter or digit on either side).
fn has_403(text: &str) -> bool {
    let bytes = text.as_bytes();
    text.match_indices("403").any(|(i, _)| {
        let before = i.checked_sub(1).and_then(|j| bytes.get(j));
        let after = bytes.get(i + 3);
        !before.is_some_and(u8::is_ascii_alphanumeric)
            && !after.is_some_and(u8::is_ascii_alphanumeric)
    })
}

/// litellm's `_map_vertex_exception` for `provider` ("gemini" or "vertex_ai_beta").
pub fn map_vertex(provider: &str, status: Option<u16>, error_str: &str) -> Classification {
    use ErrorClass::*;
    let cap = capitalized(provider);
    let s = error_str;
    let code = body_code(s);
    // litellm's check before any provider mapper
    if is_generic_timeout_text(s) {
        return done(
            Timeout,
            408,
            format!("APITimeoutError - Request timed out. Error_str: {s}"),
        );
    }
    if s.contains("Vertex AI API has not been used in project")
        || s.contains("Unable to find your project")
    {
        return done(
            BadRequestError,
            400,
            format!("litellm.BadRequestError: {provider}Exception - {s}"),
        );
    }
    if s.contains("400 Request payload size exceeds") {
        return done(
            ContextWindowExceededError,
            400,
            format!("{cap}Exception - {s}"),
        );
    }
    if is_context_window_text(s) {
        return done(
            ContextWindowExceededError,
            400,
            format!("ContextWindowExceededError: {cap}Exception - {s}"),
        );
    }
    if s.contains("None Unknown Error.") || s.contains("Content has no parts.") {
        return done(
            InternalServerError,
            500,
            format!("litellm.InternalServerError: {provider}Exception - {s}"),
        );
    }
    if s.contains("API key not valid.") {
        return done(AuthenticationError, 401, format!("{cap}Exception - {s}"));
    }
    if status.is_none_or(|st| st == 403 || st == 500)
        && matches!(code, None | Some(403))
        && has_403(s)
    {
        return done(
            BadRequestError,
            403,
            format!("{cap}Exception BadRequestError - {s}"),
        );
    }
    if s.contains("The response was blocked.")
        || s.contains("Output blocked by content filtering policy")
    {
        return done(
            ContentPolicyViolationError,
            400,
            format!("{cap}Exception ContentPolicyViolationError - {s}"),
        );
    }
    let rate_phrases = [
        "429 Quota exceeded",
        "Quota exceeded for",
        "Resource exhausted",
        "IndexError: list index out of range",
        "429 Unable to submit request because the service is temporarily out of capacity.",
    ];
    if rate_phrases.iter().any(|p| s.contains(p))
        || (status.is_some_and(|st| (500..600).contains(&st)) && code == Some(429))
    {
        return done(
            RateLimitError,
            429,
            format!("litellm.RateLimitError: {provider}Exception - {s}"),
        );
    }
    if s.contains("500 Internal Server Error") || s.contains("The model is overloaded.") {
        return done(
            InternalServerError,
            500,
            format!("litellm.InternalServerError: {provider}Exception - {s}"),
        );
    }
    match status {
        Some(400) => done(
            BadRequestError,
            400,
            format!("{cap}Exception BadRequestError - {s}"),
        ),
        Some(401) => done(AuthenticationError, 401, format!("{cap}Exception - {s}")),
        Some(403) => done(PermissionDeniedError, 403, format!("{cap}Exception - {s}")),
        Some(404) => done(NotFoundError, 404, format!("{cap}Exception - {s}")),
        Some(408) => done(Timeout, 408, format!("{cap}Exception - {s}")),
        Some(429) => done(
            RateLimitError,
            429,
            format!("litellm.RateLimitError: {cap}Exception - {s}"),
        ),
        Some(500) => done(
            InternalServerError,
            500,
            format!("{cap}Exception InternalServerError - {s}"),
        ),
        Some(502) => done(APIConnectionError, 500, format!("{cap}Exception - {s}")),
        Some(503) => done(
            ServiceUnavailableError,
            503,
            format!("{cap}Exception - {s}"),
        ),
        // litellm's generic fallback: an APIError with the reply's status.
        other => done(
            APIError,
            other.unwrap_or(500),
            format!("{cap}Exception - {s}"),
        ),
    }
}

/// Python's `repr(bytes)`: `b'...'` with `\n`, `\r`, `\t`, `\\`, the quote and non-printable or
/// non-ASCII bytes escaped (`\xNN`); double quotes when the bytes hold `'` and no `"`.
pub fn bytes_repr(raw: &[u8]) -> String {
    let quote = if raw.contains(&b'\'') && !raw.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    let mut out = String::with_capacity(raw.len() + 3);
    out.push('b');
    out.push(quote as char);
    for &b in raw {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            b if b == quote => {
                out.push('\\');
                out.push(b as char);
            }
            0x20..=0x7e => out.push(b as char),
            other => out.push_str(&format!("\\x{other:02x}")),
        }
    }
    out.push(quote as char);
    out
}

/// A reply that failed a stream before its first chunk: mapped under `vertex_ai_beta`, the body
/// quoted as bytes.
pub fn stream_status(status: u16, body: &str) -> Classification {
    map_vertex(STREAM, Some(status), &bytes_repr(body.as_bytes()))
}

/// An `error` event inside a stream: litellm raises `VertexAIError(code, "<status> - <message>")`.
fn stream_event(body: &str) -> Classification {
    let value: Option<Value> = serde_json::from_str(body.trim()).ok();
    let error = value.as_ref().and_then(|v| v.get("error"));
    let Some(error) = error.and_then(Value::as_object) else {
        let shown = error.map(crate::pytext::repr).unwrap_or_default();
        return map_vertex(
            STREAM,
            Some(500),
            &format!("Unexpected error format in mid-stream chunk: {shown}"),
        );
    };
    let code = match error.get("code") {
        None | Some(Value::Null) => 500,
        Some(Value::Number(n)) => n
            .as_u64()
            .and_then(|c| u16::try_from(c).ok())
            .unwrap_or(500),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(500),
        Some(_) => 500,
    };
    let message = error
        .get("message")
        .map(crate::pytext::str_of)
        .unwrap_or_else(|| "Unknown error".to_owned());
    let state = error
        .get("status")
        .map(crate::pytext::str_of)
        .unwrap_or_else(|| "UNKNOWN".to_owned());
    map_vertex(STREAM, Some(code), &format!("{state} - {message}"))
}

/// The Gemini wire's classification of every failure.
pub fn classify(err: &CoreError) -> Classification {
    use ErrorClass::*;
    let cap = capitalized(WHOLE);
    match err {
        CoreError::Status { status, body, .. } => map_vertex(WHOLE, Some(*status), body),
        CoreError::StreamEvent { body } => stream_event(body),
        CoreError::Decode { detail, .. } => {
            let detail = detail.strip_prefix("gemini: ").unwrap_or(detail);
            done(
                BadRequestError,
                422,
                format!("{cap}Exception - Error converting to valid response block={detail}. {FILE_AN_ISSUE}"),
            )
        }
        CoreError::ErrorBody {
            message, status, ..
        } => map_vertex(WHOLE, Some(status.unwrap_or(500)), message),
        CoreError::Unusable { body, .. } => done(
            BadRequestError,
            422,
            format!(
                "{cap}Exception - Error converting to valid response block={body}. {FILE_AN_ISSUE}"
            ),
        ),
        // litellm's httpx handler raises its own Timeout before any mapping ("Timeout passed=...,
        // time taken=..." is added in Python). The core's "connect" phase is a reply that did not
        // start in time, which httpx reports as a read timeout.
        CoreError::Timeout { .. } => done(Timeout, 408, "Read timed out.".to_owned()),
        CoreError::Connect { detail, .. } | CoreError::Transport { detail } => done(
            APIConnectionError,
            500,
            format!("{cap}Exception - {detail}"),
        ),
        CoreError::InvalidRequest { detail } => done(BadRequestError, 400, detail.clone()),
    }
}
