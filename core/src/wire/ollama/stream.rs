//! Ollama's NDJSON streams -> OpenAI-shaped chunks, as litellm 1.110.2's iterators read them
//! (`OllamaChatCompletionResponseIterator` for `/api/chat`, `OllamaTextCompletionResponseIterator`
//! for `/api/generate`). Each line is one JSON object; the one with `done: true` ends the stream and
//! carries the finish reason and the token counts.
//!
//! Tool calls carry `ollama_id_prefix` when litellm gives them an id (a fresh uuid4, `call_`-prefixed
//! on the generate route): ids are made in Python (`edgequake._shaping.ollama`), beside litellm's
//! other local ids.

use serde_json::{json, Map, Value};

use crate::error::CoreError;
use crate::provider::Provider;
use crate::sse::SseEvent;

use super::super::ChunkTranslator;
use super::response::openai_tool_calls;

pub struct Chunks {
    generate: bool,
    started_reasoning: bool,
    finished_reasoning: bool,
    seen_tool_calls: bool,
    /// generate: content has been handed on (nothing is held back any more)
    streamed_content: bool,
    /// generate: content held back while it may be the start of a JSON object
    held: String,
    holding_json_object: bool,
}

impl Chunks {
    pub fn new(provider: Provider) -> Self {
        Chunks {
            generate: provider == Provider::Ollama,
            started_reasoning: false,
            finished_reasoning: false,
            seen_tool_calls: false,
            streamed_content: false,
            held: String::new(),
            holding_json_object: false,
        }
    }
}

/// The line as litellm quotes it when it cannot read it: the route's parser failed on this key.
fn key_error(line: &str) -> CoreError {
    CoreError::StreamEvent {
        body: line.to_owned(),
    }
}

fn done_usage(obj: &Map<String, Value>) -> Option<Value> {
    let prompt = obj.get("prompt_eval_count").filter(|v| v.is_i64())?;
    let completion = obj.get("eval_count").filter(|v| v.is_i64())?;
    let total = prompt.as_i64()?.checked_add(completion.as_i64()?)?;
    Some(json!({"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": total}))
}

fn chunk(delta: Value, finish: Option<&str>, usage: Option<Value>, model: Option<&Value>) -> Value {
    let mut out = Map::new();
    if let Some(m) = model {
        out.insert("model".into(), m.clone());
    }
    out.insert(
        "choices".into(),
        json!([{"index": 0, "delta": delta, "finish_reason": finish}]),
    );
    if let Some(u) = usage {
        out.insert("usage".into(), u);
    }
    Value::Object(out)
}

/// The `TypeError` Python raises subscripting (`chunk["message"]`) a JSON value that is no object.
fn not_subscriptable(value: &Value) -> String {
    match value {
        Value::Array(_) => "list indices must be integers or slices, not str".to_owned(),
        Value::String(_) => "string indices must be integers, not 'str'".to_owned(),
        other => format!(
            "'{}' object is not subscriptable",
            crate::pytext::type_name(other)
        ),
    }
}

/// A line litellm's parser fails on with a Python error (not a `KeyError`): an
/// `APIConnectionError` quoting it.
fn python_error(detail: String, line: &str) -> CoreError {
    CoreError::Decode {
        status: 200,
        detail,
        body: line.to_owned(),
        headers: Vec::new(),
    }
}

impl ChunkTranslator for Chunks {
    fn event(&mut self, event: SseEvent, out: &mut Vec<Value>) -> Result<bool, CoreError> {
        let line = event.data.trim();
        if line.is_empty() {
            return Ok(false);
        }
        if self.generate {
            // the generate iterator parses every line itself: one that is not JSON fails the stream
            let Ok(value) = serde_json::from_str::<Value>(line) else {
                return Err(key_error(line));
            };
            return match value.as_object() {
                Some(obj) => self.generate_line(obj, line, out),
                None if value.as_str().is_some_and(|s| s.contains("error")) => Err(key_error(line)),
                None if value.is_array() || value.is_string() => {
                    Err(python_error(not_subscriptable(&value), line))
                }
                None => Err(python_error(
                    format!(
                        "argument of type '{}' is not iterable",
                        crate::pytext::type_name(&value)
                    ),
                    line,
                )),
            };
        }
        // litellm's shared line parser: an SSE `data:` prefix is dropped, `[DONE]` ends the stream,
        // and a line that is not JSON, or is falsy JSON, is passed over
        let data = line
            .strip_prefix("data: ")
            .or_else(|| line.strip_prefix("data:"))
            .unwrap_or(line);
        if data.trim() == "[DONE]" {
            out.push(chunk(json!({"content": ""}), Some("stop"), None, None));
            return Ok(true);
        }
        let Ok(value) = serde_json::from_str::<Value>(data) else {
            return Ok(false);
        };
        if !crate::pytext::truthy(&value) {
            return Ok(false);
        }
        match value.as_object() {
            Some(obj) => self.chat_line(obj, data, out),
            None => Err(python_error(not_subscriptable(&value), line)),
        }
    }
}

impl Chunks {
    fn chat_line(
        &mut self,
        obj: &Map<String, Value>,
        line: &str,
        out: &mut Vec<Value>,
    ) -> Result<bool, CoreError> {
        let Some(message) = obj.get("message").and_then(Value::as_object) else {
            return Err(key_error(line));
        };
        let mut tool_calls = Value::Null;
        if let Some(calls) = message.get("tool_calls").filter(|c| !c.is_null()) {
            self.seen_tool_calls = true;
            tool_calls = with_ids(calls);
        }
        let mut reasoning = Value::Null;
        let mut content = Value::Null;
        if let Some(thinking) = message.get("thinking").filter(|t| crate::pytext::truthy(t)) {
            reasoning = thinking.clone();
            self.started_reasoning = true;
        }
        if let Some(text) = message
            .get("content")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
        {
            if self.started_reasoning && !self.finished_reasoning {
                self.finished_reasoning = true;
            }
            let mut text = text.to_owned();
            if text.contains("<think>") {
                text = text.replace("<think>", "");
                self.started_reasoning = true;
            }
            if text.contains("</think>") && self.started_reasoning {
                text = text.replace("</think>", "");
                self.finished_reasoning = true;
            }
            if self.started_reasoning && !self.finished_reasoning {
                reasoning = Value::String(text);
            } else {
                content = Value::String(text);
            }
        }
        let delta =
            json!({"content": content, "reasoning_content": reasoning, "tool_calls": tool_calls});
        let Some(done) = obj.get("done") else {
            return Err(key_error(line));
        };
        let model = obj.get("model");
        if model.is_none() {
            return Err(key_error(line));
        }
        if done == &Value::Bool(true) {
            let reason = obj
                .get("done_reason")
                .and_then(Value::as_str)
                .filter(|r| !r.is_empty())
                .unwrap_or("stop");
            let reason = if self.seen_tool_calls {
                "tool_calls"
            } else {
                reason
            };
            out.push(chunk(delta, Some(reason), done_usage(obj), model));
            return Ok(true);
        }
        out.push(chunk(delta, None, None, model));
        Ok(false)
    }

    fn generate_line(
        &mut self,
        obj: &Map<String, Value>,
        line: &str,
        out: &mut Vec<Value>,
    ) -> Result<bool, CoreError> {
        if obj.contains_key("error") {
            return Err(key_error(line));
        }
        let Some(done) = obj.get("done") else {
            return Err(key_error(line));
        };
        if done == &Value::Bool(true) {
            let usage = done_usage(obj);
            if !self.held.is_empty() {
                let held = std::mem::take(&mut self.held);
                out.push(flush_held(held, usage));
            } else {
                out.push(chunk(json!({"content": ""}), Some("stop"), usage, None));
            }
            return Ok(true);
        }
        let Some(response) = obj.get("response") else {
            return Err(key_error(line));
        };
        if let Some(text) = response.as_str().filter(|t| !t.is_empty()) {
            let mut text = text.to_owned();
            if text.contains("<think>") {
                text = text.replace("<think>", "");
                self.started_reasoning = true;
            } else if text.contains("</think>") {
                text = text.replace("</think>", "");
                self.finished_reasoning = true;
            }
            let delta = if self.started_reasoning && !self.finished_reasoning {
                json!({"content": null, "reasoning_content": text})
            } else {
                json!({"content": self.hold_json_object_start(&text), "reasoning_content": null})
            };
            out.push(chunk(delta, None, None, None));
        } else if obj.contains_key("thinking") && !crate::pytext::truthy(response) {
            let thinking = obj
                .get("thinking")
                .filter(|t| crate::pytext::truthy(t))
                .cloned()
                .unwrap_or_else(|| json!(""));
            out.push(chunk(
                json!({"reasoning_content": thinking}),
                None,
                None,
                None,
            ));
        } else {
            out.push(chunk(json!({"reasoning_content": ""}), None, None, None));
        }
        Ok(false)
    }

    /// litellm holds back a reply that starts like a JSON object (or a ```json fence) until the
    /// end, where it may turn out to be a tool call; any other text is handed on at once.
    fn hold_json_object_start(&mut self, content: &str) -> Value {
        if self.streamed_content {
            return Value::String(content.to_owned());
        }
        self.held.push_str(content);
        if self.holding_json_object {
            return Value::Null;
        }
        let candidate = self.held.trim_start();
        if json_object_start(candidate) {
            self.holding_json_object = true;
            return Value::Null;
        }
        if partial_json_start(candidate) {
            return Value::Null;
        }
        self.streamed_content = true;
        Value::String(std::mem::take(&mut self.held))
    }
}

/// Tool calls with OpenAI string arguments, marked for an id where litellm gives one: when the
/// arguments are complete (an object, or a string that parses as JSON).
fn with_ids(calls: &Value) -> Value {
    let mut calls = calls.clone();
    if let Some(list) = calls.as_array_mut() {
        for call in list.iter_mut() {
            let complete = match call.get("function").and_then(|f| f.get("arguments")) {
                Some(Value::Object(o)) => !o.is_empty(),
                Some(Value::Array(a)) => !a.is_empty(),
                Some(Value::String(s)) => !s.is_empty() && serde_json::from_str::<Value>(s).is_ok(),
                _ => false,
            };
            if complete {
                if let Some(o) = call.as_object_mut() {
                    o.insert("ollama_id_prefix".into(), json!(""));
                }
            }
        }
    }
    openai_tool_calls(&calls)
}

/// `(?:```(?:json)?\s*)?\{` at the start.
fn json_object_start(text: &str) -> bool {
    if text.starts_with('{') {
        return true;
    }
    let Some(rest) = text.strip_prefix("```") else {
        return false;
    };
    let rest = rest.strip_prefix("json").unwrap_or(rest);
    rest.trim_start().starts_with('{')
}

/// The whole text is `` `{0,3} `` or a ```json fence still being typed (`` ```(?:j|js|jso|json)?\s* ``).
fn partial_json_start(text: &str) -> bool {
    if matches!(text, "" | "`" | "``" | "```") {
        return true;
    }
    let Some(rest) = text.strip_prefix("```") else {
        return false;
    };
    matches!(rest.trim_end(), "" | "j" | "js" | "jso" | "json")
}

/// `^```(?:json)?\s*(.*?)\s*(?:```)?$` over the stripped text, else the text as it is.
fn strip_json_fence(text: &str) -> &str {
    let stripped = text.trim();
    let Some(rest) = stripped.strip_prefix("```") else {
        return text;
    };
    let rest = rest.strip_prefix("json").unwrap_or(rest).trim_start();
    rest.strip_suffix("```").unwrap_or(rest).trim_end()
}

/// The end of a generate stream whose reply was held back: a `{"name", "arguments"}` object is a
/// tool call, anything else the text it is.
fn flush_held(held: String, usage: Option<Value>) -> Value {
    if let Ok(Value::Object(parsed)) = serde_json::from_str::<Value>(strip_json_fence(&held)) {
        if let (Some(name), Some(arguments)) = (parsed.get("name"), parsed.get("arguments")) {
            let call = json!({
                "index": 0,
                "type": "function",
                "ollama_id_prefix": "call_",
                "function": {"name": name, "arguments": crate::pytext::json_dumps(arguments)},
            });
            let delta = json!({"content": "", "tool_calls": [call]});
            return chunk(delta, Some("tool_calls"), usage, None);
        }
    }
    chunk(json!({"content": held}), Some("stop"), usage, None)
}
