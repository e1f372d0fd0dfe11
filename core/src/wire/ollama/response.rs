//! Ollama's whole replies -> OpenAI-shaped JSON, as litellm 1.110.2 reads them
//! (`OllamaChatConfig.transform_response`, `OllamaConfig.transform_response`,
//! `_process_ollama_embedding_response`).
//!
//! What litellm fills in locally (id, created, the response's `model` name, token estimates when
//! Ollama sends no counts, the finish-reason mapping) is left to `edgequake._shaping.ollama`: the
//! choice carries Ollama's raw `done_reason`, and `usage` carries only the counts Ollama sent.

use serde_json::{json, Map, Value};

use crate::error::CoreError;
use crate::pytext::{json_dumps, type_name};

use super::reasoning::split_think;

/// A reply litellm fails to read: the Python error text litellm reports (an `APIConnectionError`).
fn unreadable(detail: String, raw: &[u8]) -> CoreError {
    CoreError::Decode {
        status: 200,
        detail,
        body: String::from_utf8_lossy(raw).into_owned(),
        headers: Vec::new(),
    }
}

fn object<'a>(value: &'a Value, raw: &[u8]) -> Result<&'a Map<String, Value>, CoreError> {
    value.as_object().ok_or_else(|| {
        unreadable(
            format!("'{}' object has no attribute 'get'", type_name(value)),
            raw,
        )
    })
}

/// The counts Ollama sent, under OpenAI's names (absent ones are estimated in Python, as litellm
/// does with its tokenizer).
fn usage(obj: &Map<String, Value>) -> Value {
    let mut u = Map::new();
    if let Some(p) = obj.get("prompt_eval_count") {
        u.insert("prompt_tokens".into(), p.clone());
    }
    if let Some(c) = obj.get("eval_count") {
        u.insert("completion_tokens".into(), c.clone());
    }
    Value::Object(u)
}

/// Tool-call arguments as the JSON string OpenAI's shape has (`json.dumps` of Ollama's object).
pub(super) fn openai_tool_calls(calls: &Value) -> Value {
    let Some(list) = calls.as_array() else {
        return calls.clone();
    };
    let converted = list
        .iter()
        .map(|call| {
            let mut call = call.clone();
            if let Some(f) = call.get_mut("function").and_then(Value::as_object_mut) {
                if let Some(args) = f.get("arguments") {
                    if !args.is_string() && !args.is_null() {
                        let text = json_dumps(args);
                        f.insert("arguments".into(), Value::String(text));
                    }
                }
            }
            call
        })
        .collect();
    Value::Array(converted)
}

/// `/api/chat`: `message` becomes the choice's message (`thinking` as `reasoning_content`, else a
/// leading `<think>` block split out of the content).
pub fn chat(value: &Value, raw: &[u8]) -> Result<Value, CoreError> {
    let obj = object(value, raw)?;
    let mut message = match obj.get("message") {
        Some(Value::Object(m)) => m.clone(),
        other => {
            let got = other.map_or("NoneType", type_name);
            return Err(unreadable(
                format!(
                    "litellm.types.utils.Message() argument after ** must be a mapping, not {got}"
                ),
                raw,
            ));
        }
    };
    if let Some(thinking) = message.remove("thinking") {
        message.insert("reasoning_content".into(), thinking);
    } else if let Some(Value::String(content)) = message.get("content") {
        let (reasoning, content) = match split_think(content) {
            Some((r, c)) => (Value::String(r.to_owned()), Value::String(c.to_owned())),
            None => (Value::Null, Value::String(content.clone())),
        };
        message.insert("reasoning_content".into(), reasoning);
        message.insert("content".into(), content);
    }
    if let Some(calls) = message.get("tool_calls") {
        let converted = openai_tool_calls(calls);
        message.insert("tool_calls".into(), converted);
    }
    let done_reason = obj
        .get("done_reason")
        .and_then(Value::as_str)
        .filter(|r| !r.is_empty())
        .unwrap_or("stop");
    Ok(json!({
        "model": obj.get("model").cloned().unwrap_or(Value::Null),
        "choices": [{"index": 0, "finish_reason": done_reason, "message": Value::Object(message)}],
        "usage": usage(obj),
    }))
}

/// `/api/generate`: `response` is the content, `thinking` (or a leading `<think>` block) the
/// reasoning. The raw `response`/`thinking` ride along under `ollama_generate` for litellm's JSON
/// mode, which re-reads them (`edgequake._shaping.ollama`).
pub fn generate(value: &Value, raw: &[u8]) -> Result<Value, CoreError> {
    let obj = object(value, raw)?;
    // litellm's model defaults a missing `response` to "" and keeps an explicit null
    let response = obj.get("response").cloned().unwrap_or_else(|| json!(""));
    let thinking = obj.get("thinking").cloned().unwrap_or(Value::Null);
    let (reasoning, content) = match (&thinking, &response) {
        (Value::String(t), _) if !t.is_empty() => (thinking.clone(), response.clone()),
        (_, Value::String(text)) => match split_think(text) {
            Some((r, c)) => (json!(r), json!(c)),
            None => (Value::Null, response.clone()),
        },
        _ => (Value::Null, Value::Null),
    };
    Ok(json!({
        "model": obj.get("model").cloned().unwrap_or(Value::Null),
        "choices": [{
            "index": 0,
            "finish_reason": "stop",
            "message": {"role": "assistant", "content": content, "reasoning_content": reasoning},
        }],
        "usage": usage(obj),
        "ollama_generate": {"response": response, "thinking": thinking},
    }))
}

/// `/api/embed`: one data item per embedding; `prompt_eval_count` is the prompt's token count.
pub fn embed(value: &Value, raw: &[u8]) -> Result<Value, CoreError> {
    let obj = object(value, raw)?;
    let Some(embeddings) = obj.get("embeddings").and_then(Value::as_array) else {
        return Err(unreadable("'embeddings'".to_owned(), raw));
    };
    let data: Vec<Value> = embeddings
        .iter()
        .enumerate()
        .map(|(i, e)| json!({"object": "embedding", "index": i, "embedding": e}))
        .collect();
    let mut u = Map::new();
    if let Some(p) = obj.get("prompt_eval_count") {
        u.insert("prompt_tokens".into(), p.clone());
    }
    Ok(json!({
        "model": obj.get("model").cloned().unwrap_or(Value::Null),
        "data": data,
        "usage": Value::Object(u),
    }))
}
