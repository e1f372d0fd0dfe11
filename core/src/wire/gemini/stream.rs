//! `streamGenerateContent?alt=sse`: each event is one `GenerateContentResponse`; litellm's
//! `ModelResponseIterator` turns it into one OpenAI-shaped chunk (the stream's first `responseId`
//! as id, tool-call indices counted across chunks, a finish after tool calls reported as
//! `tool_calls`). An event carrying `error` fails the stream. Gemini sends no end marker: the stream
//! ends with the body.

use serde_json::{json, Map, Value};

use crate::error::CoreError;
use crate::sse::SseEvent;
use crate::wire::ChunkTranslator;

use super::grounding::{grounding_requests, with_grounding};
use super::response::{candidate, finish_for};
use super::usage::usage_billed;

#[derive(Default)]
pub struct Chunks {
    first_id: Option<Value>,
    tool_index: usize,
    saw_tool_calls: bool,
    /// Set once an event is not JSON: litellm's iterator then takes it for a fragment of a value
    /// split across events (its "accumulated_json" mode, for good) and buffers every event after
    /// it, handing on the values that complete. A fragment that never completes ends nothing: the
    /// stream ends with the chunks before it (measured: the fault matrix's malformed-JSON cells).
    pending: Option<String>,
}

impl Chunks {
    pub fn new() -> Self {
        Chunks::default()
    }

    /// One decoded chunk into the OpenAI-shaped chunk litellm yields for it.
    pub fn translate(&mut self, chunk: &Value) -> Value {
        let id = match &self.first_id {
            Some(id) => id.clone(),
            None => {
                let id = chunk.get("responseId").cloned().unwrap_or(Value::Null);
                if !id.is_null() {
                    self.first_id = Some(id.clone());
                }
                id
            }
        };
        let model = chunk
            .get("modelVersion")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(|s| json!(s.split('@').next().unwrap_or(s)))
            .unwrap_or(Value::Null);
        let mut choices = Vec::new();
        let (mut grounding, mut url_context, mut safety, mut citation) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let blocked = chunk
            .get("promptFeedback")
            .is_some_and(|f| f.get("blockReason").is_some());
        if blocked {
            choices.push(json!({
                "index": 0,
                "delta": {"content": null, "role": "assistant"},
                "finish_reason": "content_filter",
            }));
        }
        let candidates = chunk.get("candidates").and_then(Value::as_array);
        for (idx, c) in candidates.into_iter().flatten().enumerate() {
            let Some(cand) = candidate(c, idx, &mut self.tool_index, true) else {
                continue;
            };
            grounding.extend(cand.grounding);
            url_context.extend(cand.url_context);
            safety.extend(cand.safety);
            citation.extend(cand.citation);
            let mut delta: Map<String, Value> = Map::new();
            let message = cand.message;
            let has_tools = cand.tool_calls.is_some();
            let mut finish = finish_for(&message, has_tools, cand.native_finish.as_deref());
            if cand.native_finish.is_none() {
                // litellm's wrapper reports a finish only once Gemini sends one.
                finish = Value::Null;
            }
            for key in ["content", "reasoning_content", "images", "annotations"] {
                if let Some(v) = message.get(key) {
                    delta.insert(key.into(), v.clone());
                }
            }
            if !delta.contains_key("content") {
                delta.insert("content".into(), Value::Null);
            }
            delta.insert(
                "provider_specific_fields".into(),
                message
                    .get("provider_specific_fields")
                    .cloned()
                    .unwrap_or(Value::Null),
            );
            if let Some(tools) = cand.tool_calls {
                delta.insert("tool_calls".into(), Value::Array(tools));
            }
            let mut choice = json!({
                "index": cand.index,
                "delta": Value::Object(delta),
                "finish_reason": finish,
            });
            if let (Some(lp), Some(o)) = (cand.logprobs, choice.as_object_mut()) {
                o.insert("logprobs".into(), lp);
            }
            choices.push(choice);
        }
        if !self.saw_tool_calls {
            self.saw_tool_calls = choices.iter().any(|c| {
                c.get("delta")
                    .and_then(|d| d.get("tool_calls"))
                    .and_then(Value::as_array)
                    .is_some_and(|t| !t.is_empty())
            });
        }
        if choices.is_empty() {
            // A metadata-only chunk: litellm emits an empty delta per candidate.
            for (idx, c) in candidates.into_iter().flatten().enumerate() {
                let finish = match c.get("finishReason").and_then(Value::as_str) {
                    Some(_) if self.saw_tool_calls => json!("tool_calls"),
                    Some(r) => json!(super::response::map_finish(r)),
                    None => Value::Null,
                };
                choices.push(json!({
                    "index": c.get("index").cloned().unwrap_or(json!(idx)),
                    "delta": {"content": null, "role": null},
                    "finish_reason": finish,
                }));
            }
        }
        if self.saw_tool_calls {
            for c in &mut choices {
                if c.get("finish_reason").and_then(Value::as_str) == Some("stop") {
                    if let Some(o) = c.as_object_mut() {
                        o.insert("finish_reason".into(), json!("tool_calls"));
                    }
                }
            }
        }
        let mut out = Map::new();
        out.insert("id".into(), id);
        out.insert("model".into(), model);
        out.insert("object".into(), json!("chat.completion.chunk"));
        out.insert("choices".into(), Value::Array(choices));
        if let Some(meta) = chunk.get("usageMetadata") {
            let grounded = {
                let (web, maps) = grounding_requests(&grounding);
                web.is_some() || maps.is_some()
            };
            out.insert(
                "usage".into(),
                with_grounding(usage_billed(meta, grounded), &grounding),
            );
        }
        out.insert(
            "vertex_ai_grounding_metadata".into(),
            Value::Array(grounding),
        );
        out.insert(
            "vertex_ai_url_context_metadata".into(),
            Value::Array(url_context),
        );
        out.insert(
            "vertex_ai_safety_ratings".into(),
            Value::Array(safety.clone()),
        );
        out.insert("vertex_ai_safety_results".into(), Value::Array(safety));
        out.insert("vertex_ai_citation_metadata".into(), Value::Array(citation));
        Value::Object(out)
    }
}

/// litellm's `_check_streaming_error`: an `error` member fails the stream with its code.
fn stream_error(chunk: &Value, data: &str) -> Option<CoreError> {
    chunk.get("error")?;
    Some(CoreError::StreamEvent {
        body: data.to_owned(),
    })
}

impl ChunkTranslator for Chunks {
    fn event(&mut self, event: SseEvent, out: &mut Vec<Value>) -> Result<bool, CoreError> {
        let data = event.data.trim();
        if data.is_empty() {
            return Ok(false);
        }
        if let Some(buf) = self.pending.as_mut() {
            buf.push_str(data);
            return self.drain(out, false).map(|()| false);
        }
        let Ok(value) = serde_json::from_str::<Value>(data) else {
            self.pending = Some(data.to_owned());
            return self.drain(out, false).map(|()| false);
        };
        if !value.is_object() {
            return Err(CoreError::Decode {
                status: 200,
                detail: "stream chunk is not a JSON object".to_owned(),
                body: data.to_owned(),
                headers: Vec::new(),
            });
        }
        if let Some(err) = stream_error(&value, data) {
            return Err(err);
        }
        out.push(self.translate(&value));
        Ok(false)
    }

    fn end(&mut self, out: &mut Vec<Value>) -> Result<(), CoreError> {
        self.drain(out, true)
    }
}

impl Chunks {
    /// The complete values at the front of the accumulation buffer, as litellm peels them: tried
    /// only when the buffer could end a value (or at the end); a front that is not JSON stays.
    fn drain(&mut self, out: &mut Vec<Value>, at_end: bool) -> Result<(), CoreError> {
        let Some(mut buf) = self.pending.take() else {
            return Ok(());
        };
        let could_close = buf.trim_end().ends_with(['}', ']']);
        let result = if at_end || could_close {
            self.peel(&mut buf, out)
        } else {
            Ok(())
        };
        self.pending = Some(buf);
        result
    }

    fn peel(&mut self, buf: &mut String, out: &mut Vec<Value>) -> Result<(), CoreError> {
        loop {
            let front = buf.trim_start();
            if front.is_empty() {
                buf.clear();
                return Ok(());
            }
            let mut values = serde_json::Deserializer::from_str(front).into_iter::<Value>();
            let Some(Ok(value)) = values.next() else {
                return Ok(());
            };
            let used = values.byte_offset();
            let text = front.get(..used).unwrap_or_default().to_owned();
            *buf = front.get(used..).unwrap_or_default().to_owned();
            if value.is_object() {
                if let Some(err) = stream_error(&value, &text) {
                    return Err(err);
                }
                out.push(self.translate(&value));
            }
        }
    }
}
