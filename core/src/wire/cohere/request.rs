//! OpenAI-shaped request bodies (built by `edgequake._params.cohere`, which already dropped what
//! litellm drops and refused what it refuses) to Cohere v2's names, as litellm's `CohereChatConfig`
//! maps them (its v2 route reuses that mapping) and `CohereEmbeddingConfig` builds `/v2/embed`.

use serde_json::{Map, Value};

use crate::error::CoreError;

/// litellm's default `input_type` for text embeddings (`COHERE_DEFAULT_EMBEDDING_INPUT_TYPE`).
const DEFAULT_INPUT_TYPE: &str = "search_document";

fn object(body: Value) -> Result<Map<String, Value>, CoreError> {
    match body {
        Value::Object(map) => Ok(map),
        other => Err(CoreError::InvalidRequest {
            detail: format!("cohere: the request body must be a JSON object, got {other}"),
        }),
    }
}

/// `/v2/chat`: messages and tools are already OpenAI-shaped, which v2 takes as they are; the
/// sampling params get Cohere's names. Keys litellm passes through unchanged (provider params
/// such as `k`, `documents`) stay as they are.
pub fn chat(body: Value) -> Result<Value, CoreError> {
    let map = object(body)?;
    let has_completion_cap = map.contains_key("max_completion_tokens");
    let mut out = Map::with_capacity(map.len());
    for (key, value) in map {
        match key.as_str() {
            "top_p" => {
                out.insert("p".to_owned(), value);
            }
            "n" => {
                out.insert("num_generations".to_owned(), value);
            }
            "stop" => {
                let stops = match value {
                    Value::String(s) => Value::Array(vec![Value::String(s)]),
                    other => other,
                };
                out.insert("stop_sequences".to_owned(), stops);
            }
            // litellm maps both to `max_tokens`; max_completion_tokens wins when both are given.
            "max_tokens" if has_completion_cap => {}
            "max_completion_tokens" => {
                out.insert("max_tokens".to_owned(), value);
            }
            _ => {
                out.insert(key, value);
            }
        }
    }
    Ok(Value::Object(out))
}

/// `/v2/embed`: `input` becomes `texts` (or `images` when it is base64 data URLs, judged on the last
/// item as litellm does) with litellm's default `input_type`; the caller's params follow and so
/// override it (`input_type`), `encoding_format` becomes `embedding_types`, `dimensions`
/// `output_dimension`.
pub fn embed(body: Value) -> Result<Value, CoreError> {
    let mut map = object(body)?;
    let inputs = match map.remove("input") {
        Some(Value::String(s)) => vec![Value::String(s)],
        // litellm reads `input[0]` first.
        Some(Value::Array(items)) if items.is_empty() => {
            return Err(CoreError::InvalidRequest {
                detail: "list index out of range".to_owned(),
            })
        }
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => items,
        _ => {
            return Err(CoreError::InvalidRequest {
                detail: "Input must be a list of strings".to_owned(),
            })
        }
    };
    let images = inputs
        .last()
        .and_then(Value::as_str)
        .is_some_and(is_base64_data_url);
    let mut out = Map::with_capacity(map.len() + 2);
    if let Some(model) = map.remove("model") {
        out.insert("model".to_owned(), model);
    }
    let (field, input_type) = if images {
        ("images", "image")
    } else {
        ("texts", DEFAULT_INPUT_TYPE)
    };
    out.insert(field.to_owned(), Value::Array(inputs));
    out.insert(
        "input_type".to_owned(),
        Value::String(input_type.to_owned()),
    );
    for (key, value) in map {
        match key.as_str() {
            "encoding_format" => {
                let types = match value {
                    Value::Array(items) => Value::Array(items),
                    other => Value::Array(vec![other]),
                };
                out.insert("embedding_types".to_owned(), types);
            }
            "dimensions" => {
                out.insert("output_dimension".to_owned(), value);
            }
            _ => {
                out.insert(key, value);
            }
        }
    }
    Ok(Value::Object(out))
}

/// `/v2/rerank`: litellm's rerank params are Cohere's own names; unset ones are not sent.
pub fn rerank(body: Value) -> Result<Value, CoreError> {
    let map = object(body)?;
    for required in ["query", "documents"] {
        if !map.contains_key(required) {
            return Err(CoreError::InvalidRequest {
                detail: format!("{required} is required for Cohere rerank"),
            });
        }
    }
    Ok(Value::Object(
        map.into_iter().filter(|(_, v)| !v.is_null()).collect(),
    ))
}

/// litellm's `is_base64_encoded`: a `data:` URL whose part after the first comma is canonical
/// base64 (it decodes strictly and re-encodes to the same text).
pub(super) fn is_base64_data_url(s: &str) -> bool {
    if !s.starts_with("data:") {
        return false;
    }
    match s.split(',').nth(1) {
        Some(payload) => is_canonical_base64(payload),
        None => false,
    }
}

fn sextet(byte: u8) -> Option<u8> {
    match byte {
        b'A'..=b'Z' => Some(byte - b'A'),
        b'a'..=b'z' => Some(byte - b'a' + 26),
        b'0'..=b'9' => Some(byte - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Strict base64 (standard alphabet, `=` padding to a multiple of 4) whose unused trailing bits are
/// zero, so that encoding the decoded bytes gives the same text back.
fn is_canonical_base64(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() % 4 != 0 {
        return false;
    }
    let padding = bytes.iter().rev().take_while(|b| **b == b'=').count();
    if padding > 2 {
        return false;
    }
    let data = &bytes[..bytes.len() - padding];
    let mut last = 0u8;
    for byte in data {
        match sextet(*byte) {
            Some(v) => last = v,
            None => return false,
        }
    }
    // With one `=` the last sextet carries 2 unused bits, with two `=` it carries 4.
    match padding {
        1 => last & 0b11 == 0,
        2 => last & 0b1111 == 0,
        _ => true,
    }
}
