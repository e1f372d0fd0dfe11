//! Ollama's failures as litellm 1.110.2 maps them (`exception_mapping_utils.py`): its generic
//! timeout phrases, then `_map_ollama_exception`'s phrases, then `_map_exception_by_status`, which
//! quotes the raw body as `<Label>Exception - <body>` (`OllamaException` / `Ollama_chatException`).
//! A stream line litellm's iterator cannot read, and a 200 body it cannot parse, have their own
//! messages; a timeout and a failed connection are litellm's httpx errors as its mapper sees them.

use serde_json::Value;

use crate::classify::{exception_provider, Classification, ErrorClass};
use crate::error::CoreError;
use crate::provider::Provider;
use crate::pytext::repr;

fn done(class: ErrorClass, status_code: u16, message: String) -> Classification {
    Classification {
        class,
        status_code,
        message,
        provider_status_code: None,
    }
}

pub fn classify(provider: Provider, err: &CoreError) -> Option<Classification> {
    let label = exception_provider(provider);
    match err {
        CoreError::Status { status, body, .. } => Some(status_reply(&label, *status, body)),
        CoreError::StreamEvent { body } => Some(stream_line(provider, &label, body)),
        // litellm fails parsing the reply inside its transformation, which it reports as a
        // connection error quoting Python's exception text (rebuilt in `edgequake._errors`).
        CoreError::Decode { detail, .. } => {
            Some(done(ErrorClass::APIConnectionError, 500, detail.clone()))
        }
        // httpx's timeout, which `_map_ollama_exception` matches ("Read timed out") and quotes
        // (`from_core` appends litellm's "Timeout passed=..., time taken=..."). A reply that never
        // started is a read timeout to httpx, whichever phase the transport saw it in.
        CoreError::Timeout { .. } => Some(done(
            ErrorClass::Timeout,
            408,
            "OllamaException: litellm.Timeout: Read timed out.".to_owned(),
        )),
        // litellm's httpx handler raises the OS error, which no Ollama rule matches
        CoreError::Connect { detail, .. } | CoreError::Transport { detail } => Some(done(
            ErrorClass::APIConnectionError,
            500,
            format!("{label} - {detail}"),
        )),
        _ => None,
    }
}

fn status_reply(label: &str, status: u16, body: &str) -> Classification {
    use ErrorClass::*;
    const TIMEOUT_PHRASES: [&str; 4] = [
        "Request Timeout Error",
        "Request timed out",
        "Timed out generating response",
        "The read operation timed out",
    ];
    if TIMEOUT_PHRASES.iter().any(|p| body.contains(p)) {
        let msg = format!("APITimeoutError - Request timed out. Error_str: {body}");
        return done(Timeout, 408, msg);
    }
    // litellm's BadRequestError takes its status from the reply it wraps
    if body.contains("no such file or directory") {
        let msg = format!("OllamaException: Invalid Model/Model not loaded - {body}");
        return done(BadRequestError, status, msg);
    }
    if body.contains("Failed to establish a new connection") {
        return done(
            ServiceUnavailableError,
            503,
            format!("OllamaException: {body}"),
        );
    }
    if body.contains("Invalid response object from API") {
        return done(BadRequestError, status, format!("OllamaException: {body}"));
    }
    if body.contains("Read timed out") {
        return done(Timeout, 408, format!("OllamaException: {body}"));
    }
    let message = format!("{label} - {body}");
    let class = match status {
        401 => AuthenticationError,
        403 => PermissionDeniedError,
        404 => NotFoundError,
        408 | 504 => Timeout,
        429 => RateLimitError,
        500 => InternalServerError,
        502 => BadGatewayError,
        503 => ServiceUnavailableError,
        402 => PaymentRequiredError,
        s if s < 500 => BadRequestError,
        _ => APIError,
    };
    done(class, status, message)
}

/// A stream line the iterator cannot read. The chat iterator turns the `KeyError` into a 400
/// quoting the line as a Python dict; the generate iterator raises `Ollama Error - <line>` for an
/// error line, which litellm's mapper reports as a connection error.
fn stream_line(provider: Provider, label: &str, body: &str) -> Classification {
    let parsed: Value = serde_json::from_str(body).unwrap_or(Value::String(body.to_owned()));
    let shown = repr(&parsed);
    if provider == Provider::Ollama {
        if let Err(e) = serde_json::from_str::<Value>(body) {
            // the base iterator's `RuntimeError` (Python's JSON error text is put in by `from_core`)
            return done(
                ErrorClass::APIConnectionError,
                500,
                format!("Error parsing chunk: {e},\nReceived chunk: {body}"),
            );
        }
        let missing = ["done", "response"]
            .into_iter()
            .find(|k| parsed.get(k).is_none())
            .unwrap_or("done");
        let text = if let Value::String(s) = &parsed {
            format!("Ollama Error - {s}")
        } else if parsed.get("error").is_some() {
            format!("Ollama Error - {shown}")
        } else {
            format!("'{missing}'")
        };
        // the iterator's bare Exception, quoted as it is by litellm's mapper
        return done(ErrorClass::APIConnectionError, 500, text);
    }
    let missing = if parsed.get("message").is_none() {
        "message"
    } else if parsed.get("done").is_none() {
        "done"
    } else {
        "model"
    };
    done(
        ErrorClass::BadRequestError,
        400,
        format!("{label} - KeyError: '{missing}', Got unexpected response from Ollama: {shown}"),
    )
}
