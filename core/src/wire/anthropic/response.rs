//! A whole Anthropic Messages reply -> an OpenAI-shaped chat completion body, read as litellm
//! 1.110.2's `AnthropicConfig.transform_parsed_response` reads it: text blocks joined into
//! `content`, `tool_use`/`server_tool_use` blocks into `tool_calls` (arguments as Python's
//! `json.dumps` writes them, the block's index kept), thinking and redacted thinking into
//! `thinking_blocks` and `reasoning_content`, `stop_reason` mapped as `map_finish_reason` maps it.
//!
//! `usage` is handed on as Anthropic sent it: litellm's `Usage` (prompt tokens counting the cache
//! reads and writes, the details objects, a reasoning-token estimate) is built by the Python layer,
//! which owns litellm's objects.

use serde_json::{json, Map, Value};

use crate::error::CoreError;
use crate::pytext::{json_dumps, repr};

use crate::wire::Reply;

/// `map_finish_reason` for Anthropic's stop reasons (unknown ones become "stop", as in litellm).
pub fn finish_reason(stop_reason: &str) -> &'static str {
    match stop_reason {
        "max_tokens" | "compaction" | "pause_turn" | "model_context_window_exceeded" => "length",
        "tool_use" | "tool_calls" => "tool_calls",
        "refusal" | "content_filtered" | "content_filter" => "content_filter",
        "length" => "length",
        "function_call" => "function_call",
        _ => "stop",
    }
}

/// The stop-reason fields litellm keeps in `provider_specific_fields`.
pub fn stop_reason_fields(message: &Map<String, Value>, out: &mut Map<String, Value>) {
    let stop_reason = message.get("stop_reason").cloned().unwrap_or(Value::Null);
    if let Some(details) = message.get("stop_details").filter(|d| !d.is_null()) {
        out.insert("stop_reason".into(), stop_reason);
        out.insert("stop_details".into(), details.clone());
    } else if matches!(stop_reason.as_str(), Some("refusal" | "pause_turn")) {
        out.insert("stop_reason".into(), stop_reason);
    }
}

/// A tool_use block as litellm's `convert_tool_use_to_openai_format` writes it.
pub fn tool_call(block: &Map<String, Value>, index: usize) -> Value {
    let input = block.get("input").cloned().unwrap_or(Value::Null);
    let mut call = json!({
        "id": block.get("id").cloned().unwrap_or(Value::Null),
        "type": "function",
        "function": {
            "name": block.get("name").cloned().unwrap_or(Value::Null),
            "arguments": json_dumps(&input),
        },
        "index": index,
    });
    if let (Some(caller), Value::Object(c)) = (block.get("caller"), &mut call) {
        c.insert("caller".into(), caller.clone());
    }
    call
}

fn unusable(reply: &Reply<'_>, detail: &str) -> CoreError {
    CoreError::Decode {
        status: reply.status,
        detail: detail.to_owned(),
        body: String::from_utf8_lossy(reply.raw).into_owned(),
        headers: reply.headers.to_vec(),
    }
}

pub fn incoming(reply: Reply<'_>) -> Result<Value, CoreError> {
    let Value::Object(msg) = &reply.value else {
        return Err(unusable(
            &reply,
            "list indices must be integers or slices, not str",
        ));
    };
    if let Some(error) = msg.get("error") {
        // litellm raises `AnthropicError(message=str(response["error"]), status_code=<the status>)`.
        return Err(CoreError::Status {
            status: reply.status,
            body: match error {
                Value::String(s) => s.clone(),
                other => repr(other),
            },
            headers: reply.headers.to_vec(),
        });
    }
    let Some(Value::Array(content)) = msg.get("content") else {
        return Err(unusable(&reply, "'content'"));
    };
    let mut text = String::new();
    let mut tool_calls = Vec::new();
    let mut thinking: Option<Vec<Value>> = None;
    let mut citations: Option<Vec<Value>> = None;
    let mut web_search_results: Option<Vec<Value>> = None;
    let mut tool_results: Option<Vec<Value>> = None;
    let mut compaction: Option<Vec<Value>> = None;
    let mut server_ids = Vec::new();
    for (index, block) in content.iter().enumerate() {
        let Value::Object(b) = block else {
            return Err(unusable(&reply, "a content block is not an object"));
        };
        let kind = b.get("type").and_then(Value::as_str).unwrap_or("");
        match kind {
            "text" => {
                if let Some(t) = b.get("text").and_then(Value::as_str) {
                    text.push_str(t);
                }
            }
            "tool_use" | "server_tool_use" => {
                if kind == "server_tool_use" {
                    server_ids.push(b.get("id").cloned().unwrap_or(Value::Null));
                }
                tool_calls.push(tool_call(b, index));
            }
            "web_search_tool_result" | "web_fetch_tool_result" => {
                web_search_results
                    .get_or_insert_with(Vec::new)
                    .push(block.clone());
            }
            k if k.ends_with("_tool_result") => {
                tool_results
                    .get_or_insert_with(Vec::new)
                    .push(block.clone());
            }
            "thinking" | "redacted_thinking" => {
                thinking.get_or_insert_with(Vec::new).push(block.clone());
            }
            "compaction" => compaction.get_or_insert_with(Vec::new).push(block.clone()),
            _ => {}
        }
        if let Some(Value::Array(cites)) = b.get("citations") {
            let supported = b
                .get("text")
                .cloned()
                .unwrap_or(Value::String(String::new()));
            let group = cites
                .iter()
                .map(|c| {
                    let mut c = c.as_object().cloned().unwrap_or_default();
                    c.insert("supported_text".into(), supported.clone());
                    Value::Object(c)
                })
                .collect();
            citations
                .get_or_insert_with(Vec::new)
                .push(Value::Array(group));
        }
    }
    let reasoning = thinking.as_ref().map(|blocks| {
        blocks
            .iter()
            .filter_map(|b| b.get("thinking").and_then(Value::as_str))
            .collect::<String>()
    });

    let mut psf = Map::new();
    psf.insert(
        "citations".into(),
        citations.map(Value::Array).unwrap_or(Value::Null),
    );
    psf.insert(
        "thinking_blocks".into(),
        thinking.clone().map(Value::Array).unwrap_or(Value::Null),
    );
    for key in ["context_management", "input_transformations"] {
        if let Some(v) = msg.get(key).filter(|v| !v.is_null()) {
            psf.insert(key.into(), v.clone());
        }
    }
    let web_calls = web_search_calls(content, web_search_results.as_deref().unwrap_or(&[]));
    let had_results = web_search_results.is_some();
    if let Some(results) = web_search_results {
        psf.insert("web_search_results".into(), Value::Array(results));
    }
    if had_results || !web_calls.is_empty() {
        psf.insert("web_search_calls".into(), Value::Array(web_calls));
    }
    if let Some(results) = tool_results {
        psf.insert("tool_results".into(), Value::Array(results));
    }
    if let Some(container) = msg.get("container").filter(|v| !v.is_null()) {
        psf.insert("container".into(), container.clone());
    }
    if let Some(blocks) = compaction {
        psf.insert("compaction_blocks".into(), Value::Array(blocks));
    }
    let (server_calls, client_calls): (Vec<Value>, Vec<Value>) = tool_calls
        .into_iter()
        .partition(|c| c.get("id").is_some_and(|id| server_ids.contains(id)));
    if !server_calls.is_empty() {
        psf.insert("server_tool_calls".into(), Value::Array(server_calls));
    }
    stop_reason_fields(msg, &mut psf);

    let stop_reason = msg.get("stop_reason").and_then(Value::as_str).unwrap_or("");
    let mut message = Map::new();
    message.insert(
        "content".into(),
        if text.is_empty() {
            Value::Null
        } else {
            Value::String(text)
        },
    );
    message.insert("role".into(), Value::String("assistant".into()));
    message.insert(
        "tool_calls".into(),
        if client_calls.is_empty() {
            Value::Null
        } else {
            Value::Array(client_calls)
        },
    );
    if let Some(blocks) = thinking {
        message.insert("thinking_blocks".into(), Value::Array(blocks));
    }
    if let Some(r) = reasoning {
        message.insert("reasoning_content".into(), Value::String(r));
    }
    if stop_reason == "refusal" {
        let explanation = msg
            .get("stop_details")
            .and_then(|d| d.get("explanation"))
            .and_then(Value::as_str)
            .filter(|e| !e.is_empty());
        if let Some(e) = explanation {
            message.insert("refusal".into(), Value::String(e.to_owned()));
        }
    }
    message.insert("provider_specific_fields".into(), Value::Object(psf));
    Ok(json!({
        "id": msg.get("id").cloned().unwrap_or(Value::Null),
        "object": "chat.completion",
        "model": msg.get("model").cloned().unwrap_or(Value::Null),
        "choices": [{
            "index": 0,
            "finish_reason": finish_reason(stop_reason),
            "message": Value::Object(message),
        }],
        "usage": msg.get("usage").cloned().unwrap_or(Value::Null),
    }))
}

/// litellm's `_build_web_search_calls`: each hosted web search or fetch as a Responses-API
/// `web_search_call`, completed (or failed) by its result block, in progress without one.
fn web_search_calls(content: &[Value], results: &[Value]) -> Vec<Value> {
    content
        .iter()
        .filter(|b| b.get("type").and_then(Value::as_str) == Some("server_tool_use"))
        .filter_map(|b| {
            let name = b.get("name").and_then(Value::as_str)?;
            let id = b.get("id").and_then(Value::as_str)?;
            if name != "web_search" && name != "web_fetch" {
                return None;
            }
            let input = b.get("input")?;
            let kind = format!("{name}_tool_result");
            let result = results.iter().find(|r| {
                r.get("tool_use_id").and_then(Value::as_str) == Some(id)
                    && r.get("type").and_then(Value::as_str) == Some(kind.as_str())
            });
            let result_content = result.and_then(|r| r.get("content"));
            let failed = result_content
                .and_then(|c| c.get("type"))
                .and_then(Value::as_str)
                .is_some_and(|t| t == format!("{name}_tool_result_error"));
            let status = match (result, failed) {
                (None, _) => "in_progress",
                (Some(_), true) => "failed",
                (Some(_), false) => "completed",
            };
            let action = if name == "web_fetch" {
                json!({"type": "open_page", "url": input.get("url").filter(|u| u.is_string())})
            } else {
                let query = input.get("query").and_then(Value::as_str).unwrap_or("");
                let sources: Vec<Value> = match result_content {
                    Some(Value::Array(items)) => items
                        .iter()
                        .filter(|i| {
                            i.get("type").and_then(Value::as_str) == Some("web_search_result")
                        })
                        .filter_map(|i| i.get("url").filter(|u| u.is_string()))
                        .map(|url| json!({"type": "url", "url": url}))
                        .collect(),
                    _ => Vec::new(),
                };
                let queries = if query.is_empty() {
                    json!([])
                } else {
                    json!([query])
                };
                json!({"type": "search", "queries": queries, "query": query, "sources": sources})
            };
            Some(json!({
                "id": format!("ws_{id}"),
                "action": action,
                "status": status,
                "type": "web_search_call",
            }))
        })
        .collect()
}
