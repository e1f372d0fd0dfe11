//! What can go wrong on the wire, as data. Classification into litellm's exception classes lives in
//! `classify/`; the mapping to Python exceptions lives in `python/errors.rs`. Nothing here is ever
//! derived from the text of our own messages.

use std::fmt;

/// A failure of one request, carrying everything the classifier and the Python exception need.
#[derive(Debug, Clone, PartialEq)]
pub enum CoreError {
    /// The provider answered with a non-success HTTP status.
    Status {
        status: u16,
        body: String,
        headers: Vec<(String, String)>,
    },
    /// No answer in time: `during` is "connect" or "read".
    Timeout { during: &'static str },
    /// The connection could not be made (refused, DNS, TLS handshake). `errno` is the OS error
    /// when there is one; `detail` then reads like Python's `[Errno 111] Connection refused`.
    Connect { detail: String, errno: Option<i32> },
    /// The connection broke after it was made (reset mid-body, protocol error).
    Transport { detail: String },
    /// A success status whose body is not the JSON the route expects.
    Decode {
        status: u16,
        detail: String,
        body: String,
        headers: Vec<(String, String)>,
    },
    /// An error event inside a success-status stream (`event: error` or a `{"error": ...}` chunk).
    StreamEvent { body: String },
    /// Bad arguments, found before any I/O.
    InvalidRequest { detail: String },
}

impl CoreError {
    /// The short machine-readable kind that crosses into Python as `info["kind"]`.
    pub fn kind(&self) -> &'static str {
        match self {
            CoreError::Status { .. } => "status",
            CoreError::Timeout { .. } => "timeout",
            CoreError::Connect { .. } => "connect",
            CoreError::Transport { .. } => "transport",
            CoreError::Decode { .. } => "decode",
            CoreError::StreamEvent { .. } => "stream_event",
            CoreError::InvalidRequest { .. } => "invalid_request",
        }
    }

    /// Whether the OpenAI-SDK retry policy would try this failure again.
    pub fn is_retryable(&self) -> bool {
        match self {
            CoreError::Status {
                status, headers, ..
            } => {
                match header(headers, "x-should-retry") {
                    Some("true") => return true,
                    Some("false") => return false,
                    _ => {}
                }
                matches!(status, 408 | 409 | 429) || *status >= 500
            }
            CoreError::Timeout { .. } | CoreError::Connect { .. } | CoreError::Transport { .. } => {
                true
            }
            CoreError::Decode { .. }
            | CoreError::StreamEvent { .. }
            | CoreError::InvalidRequest { .. } => false,
        }
    }
}

/// Case-insensitive header lookup over the owned header list.
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

impl fmt::Display for CoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CoreError::Status { status, body, .. } => write!(f, "HTTP {status}: {body}"),
            CoreError::Timeout { during } => write!(f, "Request timed out during {during}."),
            CoreError::Connect { detail, .. } => write!(f, "Connection error: {detail}"),
            CoreError::Transport { detail } => write!(f, "Connection broken: {detail}"),
            CoreError::Decode { detail, .. } => write!(f, "Invalid response body: {detail}"),
            CoreError::StreamEvent { body } => write!(f, "Error event in stream: {body}"),
            CoreError::InvalidRequest { detail } => write!(f, "{detail}"),
        }
    }
}

impl std::error::Error for CoreError {}
