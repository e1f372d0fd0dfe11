//! Gemini replies -> OpenAI-shaped JSON, as litellm's `VertexGeminiConfig` reads them: candidates
//! into choices (text, thoughts, function calls with litellm's tool-call ids, thought signatures),
//! `usageMetadata` into usage (thoughts and cached tokens included), finish reasons mapped, and the
//! `vertex_ai_*` metadata lists litellm attaches. The same candidate reader serves whole replies and
//! stream chunks (`stream.rs`), which differ only in how a choice is wrapped.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{json, Map, Value};

use crate::error::{CoreError, Problem};

use super::grounding::{annotations, billable_grounding, with_grounding};
use super::request::THOUGHT_SEPARATOR;
use super::usage::usage_billed;

/// Finish reasons litellm treats as a flagged response (choice replaced by an empty
/// `content_filter` answer).
const FLAGGED: [&str; 7] = [
    "SAFETY",
    "RECITATION",
    "BLOCKLIST",
    "PROHIBITED_CONTENT",
    "SPII",
    "IMAGE_SAFETY",
    "IMAGE_PROHIBITED_CONTENT",
];

/// litellm's `map_finish_reason` for Gemini's values; unknown values become "stop".
pub fn map_finish(reason: &str) -> &'static str {
    match reason {
        "MAX_TOKENS" | "CONTINUATION" => "length",
        "SAFETY"
        | "RECITATION"
        | "LANGUAGE"
        | "OTHER"
        | "BLOCKLIST"
        | "PROHIBITED_CONTENT"
        | "SPII"
        | "IMAGE_SAFETY"
        | "IMAGE_PROHIBITED_CONTENT"
        | "NO_IMAGE"
        | "IMAGE_RECITATION"
        | "IMAGE_OTHER"
        | "ESCALATION" => "content_filter",
        _ => "stop",
    }
}

/// `call_` + 28 hex digits, as litellm's `f"call_{uuid.uuid4().hex[:28]}"`: random per call.
pub fn tool_call_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let state = RandomState::new();
    let mut hex = String::with_capacity(32);
    for round in 0..2u64 {
        let mut h = state.build_hasher();
        h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        h.write_u64(round);
        hex.push_str(&format!("{:016x}", h.finish()));
    }
    hex.truncate(28);
    format!("call_{hex}")
}

pub(super) fn as_i64(v: Option<&Value>) -> i64 {
    v.and_then(Value::as_i64).unwrap_or(0)
}

/// What one candidate says, read as litellm's `_process_candidates` does.
pub struct Candidate {
    pub index: Value,
    /// litellm's `ChoiceLogprobs` from `logprobsResult`, when Gemini sent one.
    pub logprobs: Option<Value>,
    pub message: Map<String, Value>,
    pub tool_calls: Option<Vec<Value>>,
    pub native_finish: Option<String>,
    pub grounding: Vec<Value>,
    pub url_context: Vec<Value>,
    pub safety: Vec<Value>,
    pub citation: Vec<Value>,
}

pub(super) fn per_hop(v: &Value) -> Vec<Value> {
    match v {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    }
}

/// One candidate, or None when it has neither content nor a finish reason (litellm skips it).
/// `tool_index` counts tool calls across a stream's chunks.
pub fn candidate(c: &Value, idx: usize, tool_index: &mut usize, stream: bool) -> Option<Candidate> {
    if c.get("content").is_none() && c.get("finishReason").is_none() {
        return None;
    }
    let mut out = Candidate {
        index: c.get("index").cloned().unwrap_or(json!(idx)),
        logprobs: c.get("logprobsResult").and_then(logprobs),
        message: Map::new(),
        tool_calls: None,
        native_finish: c
            .get("finishReason")
            .and_then(Value::as_str)
            .map(str::to_owned),
        grounding: c.get("groundingMetadata").map(per_hop).unwrap_or_default(),
        url_context: c.get("urlContextMetadata").map(per_hop).unwrap_or_default(),
        safety: c
            .get("safetyRatings")
            .map(|s| vec![s.clone()])
            .unwrap_or_default(),
        citation: c.get("citationMetadata").map(per_hop).unwrap_or_default(),
    };
    out.message.insert("role".into(), json!("assistant"));
    let parts = c
        .get("content")
        .filter(|v| crate::pytext::truthy(v))
        .and_then(|content| content.get("parts"))
        .and_then(Value::as_array);
    let Some(parts) = parts else {
        return Some(out);
    };
    let mut content: Option<String> = None;
    let mut reasoning: Option<String> = None;
    let mut thinking = Vec::new();
    let mut signatures = Vec::new();
    let mut images = Vec::new();
    let mut tools = Vec::new();
    for part in parts {
        let thought = part.get("thought").and_then(Value::as_bool) == Some(true);
        let mut piece = String::new();
        if let Some(text) = part.get("text").and_then(Value::as_str) {
            if !(text.starts_with("data:audio") && text.contains(";base64,")) {
                piece.push_str(text);
            }
        } else if let Some(inline) = part.get("inlineData") {
            let mime = inline.get("mimeType").and_then(Value::as_str).unwrap_or("");
            let data = inline.get("data").and_then(Value::as_str).unwrap_or("");
            if mime.starts_with("image/") {
                // litellm numbers every image 0
                images.push(json!({
                    "image_url": {"url": format!("data:{mime};base64,{data}"), "detail": "auto"},
                    "index": 0,
                    "type": "image_url",
                }));
            } else if !mime.starts_with("audio/") {
                piece.push_str(&format!("data:{mime};base64,{data}"));
            }
        }
        if !piece.is_empty() {
            let slot = if thought {
                &mut reasoning
            } else {
                &mut content
            };
            slot.get_or_insert_with(String::new).push_str(&piece);
        }
        if thought {
            let mut block = Map::new();
            block.insert("type".into(), json!("thinking"));
            block.insert(
                "thinking".into(),
                part.get("text").cloned().unwrap_or(json!("")),
            );
            if let Some(sig) = part.get("thoughtSignature") {
                block.insert("signature".into(), sig.clone());
            }
            thinking.push(Value::Object(block));
        }
        if let Some(sig) = part.get("thoughtSignature").filter(|s| !s.is_null()) {
            signatures.push(sig.clone());
        }
        if let Some(call) = part.get("functionCall") {
            let args = call.get("args").cloned().unwrap_or(Value::Null);
            let mut id = call
                .get("id")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .unwrap_or_else(tool_call_id);
            let mut tc = Map::new();
            let signature = part
                .get("thoughtSignature")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty());
            if let Some(sig) = signature {
                id = format!("{id}{THOUGHT_SEPARATOR}{sig}");
                tc.insert(
                    "provider_specific_fields".into(),
                    json!({ "thought_signature": sig }),
                );
            }
            tc.insert("id".into(), json!(id));
            tc.insert("type".into(), json!("function"));
            tc.insert(
                "function".into(),
                json!({
                    "name": call.get("name").cloned().unwrap_or(Value::Null),
                    "arguments": python_json(&args),
                }),
            );
            tc.insert("index".into(), json!(*tool_index));
            *tool_index += 1;
            tools.push(Value::Object(tc));
        }
    }
    if !images.is_empty() {
        out.message.insert("images".into(), Value::Array(images));
    }
    if !out.grounding.is_empty() {
        let notes = annotations(&out.grounding);
        if !notes.is_empty() {
            out.message
                .insert("annotations".into(), Value::Array(notes));
        }
    }
    if let Some(content) = content {
        out.message.insert("content".into(), json!(content));
    }
    if stream && reasoning.is_none() {
        let joined: Vec<&str> = thinking
            .iter()
            .filter_map(|b| b.get("thinking").and_then(Value::as_str))
            .filter(|t| !t.is_empty())
            .collect();
        if !joined.is_empty() {
            reasoning = Some(joined.join("\n"));
        }
    }
    if let Some(reasoning) = reasoning {
        out.message
            .insert("reasoning_content".into(), json!(reasoning));
    }
    out.message
        .insert("thinking_blocks".into(), Value::Array(thinking));
    if !signatures.is_empty() {
        out.message.insert(
            "provider_specific_fields".into(),
            json!({ "thought_signatures": signatures }),
        );
    }
    if !tools.is_empty() {
        out.tool_calls = Some(tools);
    }
    Some(out)
}

/// litellm's `_transform_logprobs`: each chosen token with the top candidates at its position.
fn logprobs(result: &Value) -> Option<Value> {
    let chosen = result.get("chosenCandidates")?.as_array()?;
    let top = result.get("topCandidates").and_then(Value::as_array);
    let content: Vec<Value> = chosen
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let tops: Vec<Value> = top
                .and_then(|t| t.get(i))
                .and_then(|t| t.get("candidates"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|o| {
                    json!({
                        "token": o.get("token").cloned().unwrap_or(Value::Null),
                        "logprob": o.get("logProbability").cloned().unwrap_or(Value::Null),
                    })
                })
                .collect();
            json!({
                "token": c.get("token").cloned().unwrap_or(Value::Null),
                "logprob": c.get("logProbability").cloned().unwrap_or(Value::Null),
                "top_logprobs": tops,
            })
        })
        .collect();
    Some(json!({ "content": content }))
}

/// `json.dumps(args, ensure_ascii=False)`: Python's separators, non-ASCII kept.
fn python_json(v: &Value) -> String {
    match v {
        Value::String(s) => serde_json::to_string(s).unwrap_or_default(),
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(python_json).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Object(map) => {
            let inner: Vec<String> = map
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}: {}",
                        serde_json::to_string(k).unwrap_or_default(),
                        python_json(v)
                    )
                })
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
        other => crate::pytext::json_dumps(other),
    }
}

/// The finish reason litellm reports for a candidate's message.
pub fn finish_for(message: &Map<String, Value>, has_tools: bool, native: Option<&str>) -> Value {
    if message.get("function_call").is_some_and(|f| !f.is_null()) {
        return json!("function_call");
    }
    if has_tools {
        return json!("tool_calls");
    }
    match native {
        Some(n) if !n.is_empty() => json!(map_finish(n)),
        _ => json!("stop"),
    }
}

/// `x-gemini-service-tier`, as litellm sets `service_tier` ("standard" reads "default").
pub fn service_tier(headers: &[(String, String)]) -> Option<String> {
    let (_, v) = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("x-gemini-service-tier"))?;
    if v.is_empty() {
        return None;
    }
    let v = v.to_ascii_lowercase();
    Some(if v == "standard" { "default".into() } else { v })
}

fn served_model(body: &Value) -> Value {
    body.get("modelVersion")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(|s| json!(s.split('@').next().unwrap_or(s)))
        .unwrap_or(Value::Null)
}

fn short_usage(body: &Value) -> Value {
    let meta = body.get("usageMetadata").cloned().unwrap_or(json!({}));
    json!({
        "prompt_tokens": as_i64(meta.get("promptTokenCount")),
        "completion_tokens": as_i64(meta.get("candidatesTokenCount")),
        "total_tokens": as_i64(meta.get("totalTokenCount")),
    })
}

fn conversion_error(detail: &str, raw: &[u8], headers: &[(String, String)]) -> CoreError {
    CoreError::Decode {
        status: 422,
        detail: format!("gemini: {detail}"),
        body: String::from_utf8_lossy(raw).into_owned(),
        headers: headers.to_vec(),
    }
}

/// A whole `generateContent` reply as the OpenAI-shaped completion litellm builds from it.
pub fn completion(
    body: &Value,
    raw: &[u8],
    headers: &[(String, String)],
) -> Result<Value, CoreError> {
    let Some(obj) = body.as_object() else {
        return Err(CoreError::Unusable {
            body: String::from_utf8_lossy(raw).into_owned(),
            problem: Problem::BodyNotAnObject,
        });
    };
    let model = served_model(body);
    let blocked = obj
        .get("promptFeedback")
        .is_some_and(|f| f.get("blockReason").is_some());
    let candidates = obj.get("candidates").and_then(Value::as_array);
    let flagged = candidates
        .and_then(|c| c.first())
        .and_then(|c| c.get("finishReason"))
        .and_then(Value::as_str)
        .is_some_and(|r| FLAGGED.contains(&r));
    if blocked || flagged {
        if obj.get("usageMetadata").is_none() {
            return Err(conversion_error("usageMetadata missing", raw, headers));
        }
        // litellm returns before it reads `responseId`: the id is its own.
        return Ok(json!({
            "id": Value::Null,
            "model": model,
            "object": "chat.completion",
            "choices": [{
                "finish_reason": "content_filter",
                "index": 0,
                "message": {"role": "assistant", "content": null},
            }],
            "usage": short_usage(body),
            "flagged": true,
        }));
    }
    let mut choices = Vec::new();
    let (mut grounding, mut url_context, mut safety, mut citation) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut tool_index = 0;
    for (idx, c) in candidates.into_iter().flatten().enumerate() {
        let Some(cand) = candidate(c, idx, &mut tool_index, false) else {
            continue;
        };
        grounding.extend(cand.grounding);
        url_context.extend(cand.url_context);
        safety.extend(cand.safety);
        citation.extend(cand.citation);
        let mut message = cand.message;
        let has_tools = cand.tool_calls.is_some();
        if let Some(tools) = cand.tool_calls {
            message.insert("tool_calls".into(), Value::Array(tools));
        }
        let finish = finish_for(&message, has_tools, cand.native_finish.as_deref());
        let psf = match &cand.native_finish {
            Some(n) => json!({ "native_finish_reason": n }),
            None => Value::Null,
        };
        let mut choice = json!({
            "finish_reason": finish,
            "index": cand.index,
            "message": Value::Object(message),
            "provider_specific_fields": psf,
        });
        if let (Some(lp), Some(o)) = (cand.logprobs, choice.as_object_mut()) {
            o.insert("logprobs".into(), lp);
        }
        choices.push(choice);
    }
    let Some(meta) = obj.get("usageMetadata") else {
        return Err(conversion_error("usageMetadata not found", raw, headers));
    };
    let mut out = Map::new();
    out.insert(
        "id".into(),
        obj.get("responseId")
            .filter(|v| crate::pytext::truthy(v))
            .cloned()
            .unwrap_or(Value::Null),
    );
    out.insert("model".into(), model);
    out.insert("object".into(), json!("chat.completion"));
    out.insert("choices".into(), Value::Array(choices));
    let billed = usage_billed(meta, billable_grounding(body));
    out.insert("usage".into(), with_grounding(billed, &grounding));
    out.insert(
        "vertex_ai_grounding_metadata".into(),
        Value::Array(grounding),
    );
    out.insert(
        "vertex_ai_url_context_metadata".into(),
        Value::Array(url_context),
    );
    out.insert("vertex_ai_safety_results".into(), Value::Array(safety));
    out.insert("vertex_ai_citation_metadata".into(), Value::Array(citation));
    if let Some(tier) = service_tier(headers) {
        out.insert("service_tier".into(), json!(tier));
    }
    Ok(Value::Object(out))
}

/// A `batchEmbedContents` reply as an OpenAI embeddings body (usage: `usageMetadata` when sent,
/// else None, for Python to count the input as litellm does).
pub fn embeddings(body: &Value, raw: &[u8]) -> Result<Value, CoreError> {
    let items = body
        .get("embeddings")
        .and_then(Value::as_array)
        .ok_or_else(|| CoreError::Unusable {
            body: String::from_utf8_lossy(raw).into_owned(),
            problem: Problem::BodyNotAnObject,
        })?;
    let data: Vec<Value> = items
        .iter()
        .enumerate()
        .map(|(i, e)| {
            json!({
                "object": "embedding",
                "index": i,
                "embedding": e.get("values").cloned().unwrap_or(json!([])),
            })
        })
        .collect();
    let usage = body.get("usageMetadata").map(|m| {
        let prompt = as_i64(m.get("promptTokenCount"));
        let total = m
            .get("totalTokenCount")
            .and_then(Value::as_i64)
            .filter(|t| *t != 0)
            .unwrap_or(prompt);
        json!({"prompt_tokens": prompt, "total_tokens": total})
    });
    Ok(json!({
        "object": "list",
        "data": data,
        "usage": usage.unwrap_or(Value::Null),
    }))
}
