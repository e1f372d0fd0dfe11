//! Anthropic's SSE event stream -> OpenAI-shaped chunks, one per event that carries something, as
//! litellm 1.110.2's `ModelResponseIterator.chunk_parser` reads the events:
//!
//! * `message_start`: the served model and the first usage (a chunk with an empty delta and
//!   `usage`, so the Python layer sees the usage as litellm's iterator reports it);
//! * `content_block_start`: a tool_use block opens a tool call (id, name, empty arguments) at the
//!   next tool index; a redacted_thinking block is a thinking block of its own; `*_tool_result`
//!   blocks are gathered into `provider_specific_fields.tool_results`;
//! * `content_block_delta`: `text_delta` text, `input_json_delta` arguments of the open tool call,
//!   `thinking_delta` and `signature_delta` thinking blocks (with `reasoning_content`),
//!   `citations_delta` a citation;
//! * `content_block_stop`: a tool call whose arguments stayed empty gets `"{}"`;
//! * `message_delta`: the mapped finish reason and the cumulative usage (merged over
//!   message_start's, since message_delta may leave fields out);
//! * `message_stop` ends the stream; `ping` and unknown events carry nothing;
//! * `error` fails the stream (`CoreError::StreamEvent`, classified in `errors`).
//!
//! Each chunk also carries `native_finish_reason` and the raw usage under `usage`: litellm's `Usage`
//! is built in Python from it.

use serde_json::{json, Map, Value};

use crate::error::CoreError;
use crate::pytext::json_dumps;
use crate::sse::SseEvent;

use super::response::{finish_reason, stop_reason_fields};
use crate::wire::ChunkTranslator;

#[derive(Default)]
pub struct Chunks {
    served_model: Option<Value>,
    usage: Map<String, Value>,
    tool_index: i64,
    thinking_index: i64,
    block_type: Option<String>,
    /// `partial_json` received for the open block (an empty tool call gets `"{}"` at its stop).
    block_args: String,
    block_had_delta: bool,
    tool_results: Vec<Value>,
    /// Server tool calls (code execution, advisor, ...) so far, with the input each was given.
    server_calls: Vec<Value>,
    server_inputs: Map<String, Value>,
    server_open: Option<(String, Value)>,
    container_id: Option<Value>,
}

impl Chunks {
    pub fn new() -> Self {
        Chunks {
            tool_index: -1,
            thinking_index: -1,
            ..Chunks::default()
        }
    }

    fn chunk(&self, delta: Map<String, Value>, finish: Option<&str>, usage: bool) -> Value {
        let mut chunk = Map::new();
        chunk.insert(
            "model".into(),
            self.served_model.clone().unwrap_or(Value::Null),
        );
        chunk.insert(
            "choices".into(),
            json!([{
                "index": 0,
                "delta": Value::Object(delta),
                "finish_reason": finish.map(|f| Value::String(finish_reason(f).into())).unwrap_or(Value::Null),
            }]),
        );
        if let Some(f) = finish {
            chunk.insert("native_finish_reason".into(), Value::String(f.into()));
        }
        if usage {
            chunk.insert("usage".into(), Value::Object(self.usage.clone()));
        }
        Value::Object(chunk)
    }

    fn merge_usage(&mut self, usage: Option<&Value>) -> bool {
        match usage {
            Some(Value::Object(u)) => {
                for (k, v) in u {
                    self.usage.insert(k.clone(), v.clone());
                }
                true
            }
            _ => false,
        }
    }

    fn block_start(&mut self, event: &Map<String, Value>) -> Option<Map<String, Value>> {
        let block = event.get("content_block").and_then(Value::as_object)?;
        let kind = block.get("type").and_then(Value::as_str).unwrap_or("");
        self.block_type = Some(kind.to_owned());
        self.block_args.clear();
        self.block_had_delta = false;
        if kind == "thinking" || kind == "redacted_thinking" {
            self.thinking_index += 1;
        }
        let mut delta = Map::new();
        match kind {
            "text" => {
                let text = block.get("text").and_then(Value::as_str).unwrap_or("");
                delta.insert("content".into(), Value::String(text.to_owned()));
            }
            "tool_use" => {
                self.tool_index += 1;
                let mut call = json!({
                    "id": block.get("id").cloned().unwrap_or(Value::Null),
                    "type": "function",
                    "function": {
                        "name": block.get("name").cloned().unwrap_or(Value::Null),
                        "arguments": "",
                    },
                    "index": self.tool_index,
                });
                if let (Some(caller), Value::Object(c)) =
                    (block.get("caller").filter(|c| !c.is_null()), &mut call)
                {
                    c.insert("caller".into(), caller.clone());
                }
                delta.insert("tool_calls".into(), json!([call]));
            }
            "redacted_thinking" => {
                let blocks = json!([{
                    "type": "redacted_thinking",
                    "data": block.get("data").cloned().unwrap_or(Value::Null),
                    "index": self.thinking_index,
                }]);
                delta.insert("thinking_blocks".into(), blocks.clone());
                delta.insert(
                    "provider_specific_fields".into(),
                    json!({ "thinking_blocks": blocks }),
                );
            }
            "server_tool_use" => {
                let id = block.get("id").and_then(Value::as_str).unwrap_or("");
                let name = block.get("name").cloned().unwrap_or(Value::Null);
                let input = block.get("input").cloned().unwrap_or_else(|| json!({}));
                self.server_inputs.insert(id.to_owned(), input);
                self.server_open = Some((id.to_owned(), name));
            }
            k if k.ends_with("_tool_result")
                && k != "web_search_tool_result"
                && k != "web_fetch_tool_result" =>
            {
                self.tool_results
                    .push(event.get("content_block").cloned().unwrap_or(Value::Null));
                let mut psf = Map::new();
                psf.insert(
                    "tool_results".into(),
                    Value::Array(self.tool_results.clone()),
                );
                if k != "tool_search_tool_result" {
                    psf.insert(
                        "code_interpreter_results".into(),
                        self.code_interpreter_results(),
                    );
                }
                delta.insert("provider_specific_fields".into(), Value::Object(psf));
            }
            _ => {}
        }
        Some(delta)
    }

    fn block_delta(&mut self, event: &Map<String, Value>) -> Option<Map<String, Value>> {
        let d = event.get("delta").and_then(Value::as_object)?;
        let mut delta = Map::new();
        if let Some(text) = d.get("text") {
            delta.insert(
                "content".into(),
                Value::String(text.as_str().unwrap_or("").to_owned()),
            );
            return Some(delta);
        }
        self.block_had_delta = true;
        if let Some(partial) = d.get("partial_json") {
            let partial = partial.as_str().unwrap_or("");
            self.block_args.push_str(partial);
            if self.block_type.as_deref() == Some("tool_use") {
                delta.insert(
                    "tool_calls".into(),
                    json!([{
                        "id": null,
                        "type": "function",
                        "function": {"name": null, "arguments": partial},
                        "index": self.tool_index,
                    }]),
                );
            }
        } else if let Some(citation) = d.get("citation") {
            delta.insert(
                "provider_specific_fields".into(),
                json!({ "citation": citation }),
            );
        } else if d.contains_key("thinking") || d.contains_key("signature") {
            let mut reasoning: Option<String> = None;
            let mut blocks = None;
            if let Some(thinking) = d
                .get("thinking")
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty())
            {
                reasoning = Some(thinking.to_owned());
                blocks = Some(json!([{
                    "type": "thinking", "thinking": thinking, "index": self.thinking_index,
                }]));
            }
            if let Some(signature) = d
                .get("signature")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
            {
                blocks = Some(json!([{
                    "type": "thinking", "thinking": "", "signature": signature,
                    "index": self.thinking_index,
                }]));
                reasoning.get_or_insert_with(String::new);
            }
            if let Some(blocks) = blocks {
                delta.insert("thinking_blocks".into(), blocks.clone());
                delta.insert(
                    "provider_specific_fields".into(),
                    json!({ "thinking_blocks": blocks }),
                );
            }
            if let Some(r) = reasoning {
                delta.insert("reasoning_content".into(), Value::String(r));
            }
        }
        Some(delta)
    }

    /// litellm's provider-neutral view of the bash code execution results so far (the whole list
    /// each time: stream_chunk_builder keeps the last value).
    fn code_interpreter_results(&self) -> Value {
        let results = self
            .tool_results
            .iter()
            .filter(|r| {
                r.get("type").and_then(Value::as_str) == Some("bash_code_execution_tool_result")
            })
            .map(|r| {
                let id = r
                    .get("tool_use_id")
                    .cloned()
                    .unwrap_or(Value::String(String::new()));
                let code = id
                    .as_str()
                    .and_then(|id| self.server_inputs.get(id))
                    .and_then(|input| input.get("command"))
                    .cloned()
                    .unwrap_or(Value::String(String::new()));
                json!({
                    "type": "code_interpreter_call",
                    "id": id,
                    "code": code,
                    "container_id": self.container_id.clone().unwrap_or(Value::Null),
                    "status": "completed",
                    "outputs": log_outputs(r.get("content")),
                })
            })
            .collect();
        Value::Array(results)
    }

    fn block_stop(&mut self) -> Option<Map<String, Value>> {
        let kind = self.block_type.take();
        let mut delta = Map::new();
        if kind.as_deref() == Some("server_tool_use") {
            if let Some((id, name)) = self.server_open.take() {
                if let Ok(parsed) = serde_json::from_str::<Value>(&self.block_args) {
                    self.server_inputs.insert(id.clone(), parsed);
                }
                let arguments = if self.block_args.is_empty() {
                    json_dumps(self.server_inputs.get(&id).unwrap_or(&json!({})))
                } else {
                    self.block_args.clone()
                };
                let call = json!({
                    "id": id,
                    "type": "function",
                    "function": {"name": name, "arguments": arguments},
                    "index": self.server_calls.len(),
                });
                self.server_calls.push(call);
                delta.insert(
                    "provider_specific_fields".into(),
                    json!({ "server_tool_calls": self.server_calls.clone() }),
                );
            }
        }
        // litellm's `check_empty_tool_call_args`: only a block that had deltas, all of them empty.
        let args_empty = self.block_had_delta && self.block_args.is_empty();
        if kind.as_deref() == Some("tool_use") && args_empty {
            delta.insert(
                "tool_calls".into(),
                json!([{
                    "id": null,
                    "type": "function",
                    "function": {"name": null, "arguments": "{}"},
                    "index": self.tool_index,
                }]),
            );
        }
        self.block_args.clear();
        Some(delta)
    }
}

impl ChunkTranslator for Chunks {
    fn event(&mut self, event: SseEvent, out: &mut Vec<Value>) -> Result<bool, CoreError> {
        let data = event.data.trim();
        if data.is_empty() {
            return Ok(false);
        }
        let value: Value = serde_json::from_str(data).map_err(|e| CoreError::Decode {
            status: 200,
            detail: format!("stream chunk is not JSON: {e}"),
            body: data.to_owned(),
            headers: Vec::new(),
        })?;
        let Value::Object(ev) = &value else {
            return Ok(false);
        };
        match ev.get("type").and_then(Value::as_str).unwrap_or("") {
            "message_start" => {
                let message = ev.get("message").and_then(Value::as_object);
                if let Some(model) = message.and_then(|m| m.get("model")) {
                    self.served_model = Some(model.clone());
                }
                let has_usage = self.merge_usage(message.and_then(|m| m.get("usage")));
                out.push(self.chunk(Map::new(), None, has_usage));
            }
            "content_block_start" => {
                if let Some(delta) = self.block_start(ev) {
                    out.push(self.chunk(delta, None, false));
                }
            }
            "content_block_delta" => {
                if let Some(delta) = self.block_delta(ev) {
                    out.push(self.chunk(delta, None, false));
                }
            }
            "content_block_stop" => {
                if let Some(delta) = self.block_stop() {
                    out.push(self.chunk(delta, None, false));
                }
            }
            "message_delta" => {
                let d = ev.get("delta").and_then(Value::as_object);
                let stop = d
                    .and_then(|d| d.get("stop_reason"))
                    .and_then(Value::as_str)
                    .unwrap_or("stop")
                    .to_owned();
                let has_usage = self.merge_usage(ev.get("usage"));
                let mut delta = Map::new();
                if let Some(d) = d {
                    let mut psf = Map::new();
                    stop_reason_fields(d, &mut psf);
                    if let Some(c) = d.get("container").filter(|c| !c.is_null()) {
                        psf.insert("container".into(), c.clone());
                        let id = c.get("id").filter(|id| crate::pytext::truthy(id));
                        if let (Some(id), false) = (id, self.tool_results.is_empty()) {
                            self.container_id = Some(id.clone());
                            psf.insert(
                                "code_interpreter_results".into(),
                                self.code_interpreter_results(),
                            );
                        }
                    }
                    if !psf.is_empty() {
                        delta.insert("provider_specific_fields".into(), Value::Object(psf));
                    }
                    // litellm's `refusal_params`: a refusal's explanation as the delta's refusal.
                    let explanation = d
                        .get("stop_details")
                        .and_then(|s| s.get("explanation"))
                        .and_then(Value::as_str)
                        .filter(|e| !e.is_empty());
                    if let (Some(e), "refusal") = (explanation, stop.as_str()) {
                        delta.insert("refusal".into(), Value::String(e.to_owned()));
                    }
                }
                out.push(self.chunk(delta, Some(&stop), has_usage));
            }
            "message_stop" => return Ok(true),
            "error" => {
                return Err(CoreError::StreamEvent {
                    body: data.to_owned(),
                })
            }
            _ => {}
        }
        Ok(false)
    }
}

/// litellm's `build_code_interpreter_log_outputs`: stdout, then stderr behind `STDERR: `, as one log.
fn log_outputs(content: Option<&Value>) -> Value {
    let Some(Value::Object(c)) = content else {
        return Value::Null;
    };
    let mut logs = String::new();
    for (key, prefix) in [("stdout", ""), ("stderr", "STDERR: ")] {
        if let Some(text) = c.get(key).and_then(Value::as_str).filter(|t| !t.is_empty()) {
            logs.push_str(prefix);
            logs.push_str(text);
        }
    }
    if logs.is_empty() {
        Value::Null
    } else {
        json!([{"type": "logs", "logs": logs}])
    }
}
