//! Cohere v2 chat streams (SSE, `event: <type>` beside a `data:` JSON whose `type` says the same) to
//! OpenAI-shaped chunks.
//!
//! litellm 1.110.2 cannot read these streams: it hands each raw line, `event: ...` and `data: ...`
//! included, to `json.loads` and fails with `MidStreamFallbackError` on the first one
//! (`CohereV2ModelResponseIterator`, replay-notes "Where litellm itself fails"). edgequake reads
//! them and yields what litellm's iterator yields for the same events once they are JSON: a text
//! delta per `content-delta`, a tool-call delta per `tool-call-start`/`tool-call-delta` (content
//! `""`, as litellm's generic chunks carry), `{}` arguments at `tool-call-end` for a call that
//! streamed none. `message-start`, `content-start`/`-end`, `tool-plan-delta` and `citation-*`
//! yield nothing there either. `message-end` carries the finish reason and Cohere's usage, which
//! litellm's iterator would drop (it looks for them under an `event` key the data never has); they
//! are handed on, so the stream ends with the provider's finish and token counts.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::response::finish_reason;
use crate::error::CoreError;
use crate::sse::SseEvent;
use crate::wire::ChunkTranslator;

#[derive(Default)]
pub struct Chunks {
    /// Tool calls (by index) that streamed some arguments.
    with_arguments: BTreeSet<u64>,
}

impl Chunks {
    pub fn new() -> Self {
        Self::default()
    }
}

/// `value[a][b]...` through objects, None where the path ends.
fn at<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter().try_fold(value, |v, key| v.get(key))
}

fn delta_chunk(delta: Value) -> Value {
    json!({"choices": [{"index": 0, "delta": delta, "finish_reason": null}]})
}

impl Chunks {
    fn tool_delta(&mut self, data: &Value, index: u64) -> Value {
        let call = at(data, &["delta", "message", "tool_calls"]);
        let field = |path: &[&str]| call.and_then(|c| at(c, path)).cloned();
        let arguments = field(&["function", "arguments"])
            .filter(|a| !a.is_null())
            .unwrap_or(json!(""));
        if arguments.as_str().is_some_and(|a| !a.is_empty()) {
            self.with_arguments.insert(index);
        }
        let tool = json!({
            "id": field(&["id"]).unwrap_or(Value::Null),
            "type": "function",
            "function": {"name": field(&["function", "name"]).unwrap_or(Value::Null), "arguments": arguments},
            "index": index,
        });
        delta_chunk(json!({"content": "", "tool_calls": [tool]}))
    }

    fn tool_end(&mut self, index: u64) -> Option<Value> {
        if self.with_arguments.contains(&index) {
            return None;
        }
        let tool = json!({
            "id": null,
            "type": "function",
            "function": {"name": null, "arguments": "{}"},
            "index": index,
        });
        Some(delta_chunk(json!({"content": "", "tool_calls": [tool]})))
    }
}

fn content_text(data: &Value) -> String {
    match at(data, &["delta", "message", "content"]) {
        Some(Value::Object(content)) => content
            .get("text")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
        Some(Value::String(text)) => text.clone(),
        _ => String::new(),
    }
}

/// The finish chunk, then a choice-less chunk with Cohere's usage (`usage.tokens`) when it sent one.
fn message_end(data: &Value, out: &mut Vec<Value>) {
    let native = at(data, &["delta", "finish_reason"])
        .and_then(Value::as_str)
        .unwrap_or("COMPLETE");
    out.push(json!({
        "choices": [{"index": 0, "delta": {}, "finish_reason": finish_reason(native)}],
    }));
    if let Some(tokens) = at(data, &["delta", "usage", "tokens"]).filter(|t| t.is_object()) {
        let count = |k: &str| tokens.get(k).and_then(Value::as_i64).unwrap_or(0);
        let (prompt, completion) = (count("input_tokens"), count("output_tokens"));
        out.push(json!({
            "choices": [],
            "usage": {
                "prompt_tokens": prompt,
                "completion_tokens": completion,
                "total_tokens": prompt + completion,
            },
        }));
    }
}

impl ChunkTranslator for Chunks {
    fn event(&mut self, event: SseEvent, out: &mut Vec<Value>) -> Result<bool, CoreError> {
        let data = event.data.trim();
        if data.is_empty() {
            return Ok(false);
        }
        if data == "[DONE]" {
            return Ok(true);
        }
        let value: Value = serde_json::from_str(data).map_err(|e| CoreError::Decode {
            status: 200,
            detail: format!("stream event is not JSON: {e}"),
            body: data.to_owned(),
            headers: Vec::new(),
        })?;
        if !value.is_object() {
            return Err(CoreError::Decode {
                status: 200,
                detail: format!(
                    "'{}' object has no attribute 'get'",
                    crate::pytext::type_name(&value)
                ),
                body: data.to_owned(),
                headers: Vec::new(),
            });
        }
        let kind = value
            .get("type")
            .and_then(Value::as_str)
            .or(event.event.as_deref())
            .unwrap_or("");
        let index = value.get("index").and_then(Value::as_u64).unwrap_or(0);
        match kind {
            "content-delta" => out.push(delta_chunk(json!({"content": content_text(&value)}))),
            "tool-call-start" | "tool-call-delta" => out.push(self.tool_delta(&value, index)),
            "tool-call-end" => out.extend(self.tool_end(index)),
            "message-end" => {
                message_end(&value, out);
                return Ok(true);
            }
            // message-start, content-start/-end, tool-plan-delta, citation-start/-end, debug.
            _ => {}
        }
        Ok(false)
    }
}
