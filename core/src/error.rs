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
    /// An error event inside a success-status stream (`event: error`, or a chunk carrying an
    /// `error` litellm acts on: see `inband::chunk_verdict`). `body` is the whole event data.
    StreamEvent { body: String },
    /// A success-status JSON body that is an error object (`{"error": {...}}`), which litellm raises
    /// as the error it describes. `status` is the one litellm gives it (`error.code`, 422 without
    /// one); None when `error.code` is not a number.
    ErrorBody {
        status: Option<u16>,
        message: String,
        body: String,
        headers: Vec<(String, String)>,
    },
    /// A success-status reply (a whole body, or one stream chunk) that is JSON but not the shape
    /// the route reads, where litellm fails reading it instead of answering.
    Unusable { body: String, problem: Problem },
    /// Bad arguments, found before any I/O.
    InvalidRequest { detail: String },
}

/// What is wrong with an [`CoreError::Unusable`] reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// A whole body is JSON but not an object (an array, a number, a string...).
    BodyNotAnObject,
    /// A stream chunk is JSON but not an object.
    NotAnObject,
    /// A stream chunk's `choices` is null, on the routes whose parser iterates it anyway.
    NullChoices,
    /// A stream chunk's `choices` is neither a list nor null.
    ChoicesNotAList,
    /// A stream chunk's `choices` holds something that is not an object.
    ChoiceNotAnObject,
    /// A choice's `delta` is null, which litellm's own routes cannot read.
    NullDelta,
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
            CoreError::ErrorBody { .. } => "error_body",
            CoreError::Unusable { .. } => "unusable",
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
            | CoreError::ErrorBody { .. }
            | CoreError::Unusable { .. }
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
            CoreError::ErrorBody { message, .. } => {
                write!(f, "Error object in response: {message}")
            }
            CoreError::Unusable { problem, .. } => write!(f, "Unusable response: {problem:?}"),
            CoreError::InvalidRequest { detail } => write!(f, "{detail}"),
        }
    }
}

impl std::error::Error for CoreError {}
