//! Whole Cohere v2 replies to OpenAI-shaped JSON, as litellm 1.110.2 reads them
//! (`CohereV2ChatConfig.transform_response`, `cohere_embedding_response`).
//!
//! What litellm makes locally (the response id, `created`, the model name) is left to
//! `edgequake._shaping.cohere`. A reply litellm cannot read fails as it fails there: a chat body that
//! is JSON but no object is answered as Cohere's 422 (litellm raises `CohereError(422, text)`); one
//! whose `message` or `usage` cannot be read is a `Decode` failure quoting Python's error
//! (`'message'`, `'str' object has no attribute 'get'`), which litellm re-raises unmapped.

use serde_json::{json, Map, Value};

use crate::error::CoreError;
use crate::pytext::{truthy, type_name};
use crate::wire::Reply;

/// Cohere's finish reasons, mapped as litellm's `map_finish_reason` maps them (unknown: "stop").
pub(super) fn finish_reason(native: &str) -> &'static str {
    match native {
        "MAX_TOKENS" => "length",
        "TOOL_CALL" => "tool_calls",
        "ERROR_TOXIC" => "content_filter",
        _ => "stop",
    }
}

fn unreadable(reply: &Reply<'_>, detail: String) -> CoreError {
    CoreError::Decode {
        status: reply.status,
        detail,
        body: String::from_utf8_lossy(reply.raw).into_owned(),
        headers: reply.headers.to_vec(),
    }
}

/// Python's `AttributeError` text for `value.get(...)` on something that is not a dict.
fn no_get(value: &Value) -> String {
    format!("'{}' object has no attribute 'get'", type_name(value))
}

/// `value.get(key)` as Python runs it: None for a missing key, an error for a non-dict.
fn get<'v>(value: &'v Value, key: &str) -> Result<Option<&'v Value>, String> {
    match value {
        Value::Object(map) => Ok(map.get(key)),
        other => Err(no_get(other)),
    }
}

fn int(value: Option<&Value>) -> i64 {
    value.and_then(Value::as_i64).unwrap_or(0)
}

pub fn chat(reply: Reply<'_>) -> Result<Value, CoreError> {
    let Value::Object(body) = &reply.value else {
        return Err(CoreError::Status {
            status: 422,
            body: String::from_utf8_lossy(reply.raw).into_owned(),
            headers: reply.headers.to_vec(),
        });
    };
    chat_body(body).map_err(|detail| unreadable(&reply, detail))
}

fn chat_body(body: &Map<String, Value>) -> Result<Value, String> {
    let message = body.get("message").ok_or("'message'")?;
    let mut out = Map::new();
    out.insert("role".to_owned(), json!("assistant"));
    let mut content = Value::Null;
    if let Some(parts) = get(message, "content")?.filter(|c| !c.is_null()) {
        content = Value::String(joined_text(parts)?);
    }
    let annotations = match get(message, "citations")? {
        Some(citations) if truthy(citations) => annotations(citations)?,
        _ => Vec::new(),
    };
    let tool_calls = match get(message, "tool_calls")? {
        Some(Value::Array(calls)) if !calls.is_empty() => Some(tool_calls(calls)?),
        Some(Value::Null) | None => None,
        Some(Value::Array(_)) => None,
        Some(other) => return Err(format!("'{}' object is not iterable", type_name(other))),
    };
    // With tool calls litellm replaces the message: the text goes, the annotations stay.
    if let Some(calls) = tool_calls {
        out.insert("content".to_owned(), Value::Null);
        out.insert("tool_calls".to_owned(), Value::Array(calls));
    } else {
        out.insert("content".to_owned(), content);
    }
    if !annotations.is_empty() {
        out.insert("annotations".to_owned(), Value::Array(annotations));
    }
    let usage = body.get("usage").ok_or("'usage'")?;
    let tokens = get(usage, "tokens")?;
    let (prompt, completion) = match tokens {
        None => (0, 0),
        Some(t) => (int(get(t, "input_tokens")?), int(get(t, "output_tokens")?)),
    };
    let native = body
        .get("finish_reason")
        .and_then(Value::as_str)
        .unwrap_or("COMPLETE");
    Ok(json!({
        "object": "chat.completion",
        "choices": [{
            "index": 0,
            "finish_reason": finish_reason(native),
            "message": Value::Object(out),
        }],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        },
    }))
}

/// litellm joins the `text` of every content block (a missing `text` adds nothing).
fn joined_text(parts: &Value) -> Result<String, String> {
    let Value::Array(parts) = parts else {
        return match parts {
            Value::String(s) if s.is_empty() => Ok(String::new()),
            Value::String(_) => Err(no_get(&Value::String(String::new()))),
            other => Err(format!("'{}' object is not iterable", type_name(other))),
        };
    };
    let mut text = String::new();
    for part in parts.iter().filter(|p| !p.is_null()) {
        match get(part, "text")? {
            Some(Value::String(s)) => text.push_str(s),
            None => {}
            Some(other) => {
                return Err(format!(
                    "sequence item: expected str instance, {} found",
                    type_name(other)
                ))
            }
        }
    }
    Ok(text)
}

/// `{**tool, "index": i}` for each Cohere tool call (already OpenAI-shaped on v2).
fn tool_calls(calls: &[Value]) -> Result<Vec<Value>, String> {
    calls
        .iter()
        .enumerate()
        .map(|(i, call)| match call {
            Value::Object(map) => {
                let mut call = map.clone();
                call.insert("index".to_owned(), json!(i));
                Ok(Value::Object(call))
            }
            other => Err(format!("'{}' object is not a mapping", type_name(other))),
        })
        .collect()
}

/// Cohere citations as OpenAI `url_citation` annotations: one per `document` source (tool sources
/// have no URL and are left out, as litellm leaves them).
fn annotations(citations: &Value) -> Result<Vec<Value>, String> {
    let Value::Array(citations) = citations else {
        return Err(format!("'{}' object is not iterable", type_name(citations)));
    };
    let mut out = Vec::new();
    for citation in citations {
        let start = get(citation, "start")?.cloned().unwrap_or(json!(0));
        let end = get(citation, "end")?.cloned().unwrap_or(json!(0));
        let Some(Value::Array(sources)) = get(citation, "sources")? else {
            continue;
        };
        for source in sources {
            if get(source, "type")?.and_then(Value::as_str) != Some("document") {
                continue;
            }
            let Some(document) = get(source, "document")? else {
                continue;
            };
            let title = get(document, "title")?.cloned().unwrap_or(json!(""));
            let url = match get(source, "url")? {
                Some(url) if truthy(url) => url.clone(),
                _ => {
                    let id = get(source, "id")?
                        .map(crate::pytext::str_of)
                        .unwrap_or_else(|| "unknown".to_owned());
                    Value::String(format!("source:{id}"))
                }
            };
            out.push(json!({
                "type": "url_citation",
                "url_citation": {"start_index": start, "end_index": end, "title": title, "url": url},
            }));
        }
    }
    Ok(out)
}

pub fn embed(reply: Reply<'_>) -> Result<Value, CoreError> {
    embed_body(&reply.value).map_err(|detail| unreadable(&reply, detail))
}

/// Rows for every embedding type in order (each type numbered from 0, as litellm numbers them), or
/// for a plain list; usage from `meta.billed_units`, or null when Cohere billed nothing, for
/// `edgequake._shaping.cohere` to count the input as litellm does.
fn embed_body(value: &Value) -> Result<Value, String> {
    let Value::Object(body) = value else {
        return Err(format!(
            "Input should be a valid dictionary, got {}",
            type_name(value)
        ));
    };
    let embeddings = body.get("embeddings").ok_or(
        "1 validation error for _CohereEmbedBody\nembeddings\n  Field required [type=missing]",
    )?;
    let mut data = Vec::new();
    match embeddings {
        Value::Object(by_type) => {
            for vectors in by_type.values() {
                rows(vectors, &mut data)?;
            }
        }
        Value::Array(_) => rows(embeddings, &mut data)?,
        other => {
            return Err(format!(
                "embeddings: expected a mapping or a list, got {}",
                type_name(other)
            ))
        }
    }
    let billed = match body.get("meta") {
        Some(Value::Object(meta)) => meta.get("billed_units"),
        _ => None,
    };
    Ok(json!({
        "object": "list",
        "data": data,
        "usage": billed.map_or(Ok(Value::Null), billed_usage)?,
    }))
}

fn rows(vectors: &Value, data: &mut Vec<Value>) -> Result<(), String> {
    let Value::Array(vectors) = vectors else {
        return Err(format!(
            "embeddings: expected a list of vectors, got {}",
            type_name(vectors)
        ));
    };
    for (index, vector) in vectors.iter().enumerate() {
        data.push(json!({"object": "embedding", "index": index, "embedding": vector}));
    }
    Ok(())
}

/// litellm's billed usage: images and image tokens count as prompt tokens beside the text tokens.
/// Null when no unit is reported (litellm then counts the input with its tokenizer).
fn billed_usage(billed: &Value) -> Result<Value, String> {
    let Value::Object(units) = billed else {
        return Ok(Value::Null);
    };
    let unit = |name: &str| units.get(name).and_then(Value::as_i64);
    let (text, image_tokens, images) = (unit("input_tokens"), unit("image_tokens"), unit("images"));
    if text.is_none() && image_tokens.is_none() && images.is_none() {
        return Ok(Value::Null);
    }
    let image_units = image_tokens.unwrap_or(0) + images.unwrap_or(0);
    let prompt = text.unwrap_or(0) + image_units;
    Ok(json!({
        "prompt_tokens": prompt,
        "completion_tokens": 0,
        "total_tokens": prompt,
        "prompt_tokens_details": {
            "text_tokens": text,
            "image_tokens": if image_units == 0 { Value::Null } else { json!(image_units) },
            "image_count": images,
        },
    }))
}

/// A rerank reply as Cohere sends it (litellm validates it into its `RerankResponse`, whose fields
/// are Cohere's): a body that is no object cannot be read.
pub fn rerank(reply: Reply<'_>) -> Result<Value, CoreError> {
    match &reply.value {
        Value::Object(_) => Ok(reply.value),
        other => {
            let detail = format!(
                "1 validation error for RerankResponse\n  Input should be a valid dictionary or instance of RerankResponse, got {}",
                type_name(other)
            );
            Err(unreadable(&reply, detail))
        }
    }
}
