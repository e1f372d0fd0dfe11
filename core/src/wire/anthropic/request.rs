//! OpenAI-shaped chat body -> Anthropic `/v1/messages` body, as litellm 1.110.2 translates it
//! (`AnthropicConfig.transform_request`, `anthropic_messages_pt`).
//!
//! The Python layer has already applied litellm's per-model decisions (which params the model takes,
//! the default `max_tokens`, `thinking` from `reasoning_effort`, `output_format` for a
//! `response_format`): what reaches here is the wire work. Messages, tools, `tool_choice`, `stop`,
//! `user` and `max_completion_tokens` are translated; any other key (Anthropic's own `thinking`,
//! `top_k`, `output_format`, `metadata`, ...) is sent as given.

use serde_json::{json, Map, Value};

use crate::error::CoreError;

use super::tools::{tool_choice, tools_to_anthropic};

/// litellm's wording for a system message found after the conversation started: it becomes a
/// user-turn text block behind this note (`mid_conversation_system.py`).
/// What litellm puts in place of an empty text (Anthropic rejects empty text blocks and turns).
pub(super) const EMPTY_TEXT_PLACEHOLDER: &str =
    "[System: Empty message content sanitised to satisfy protocol]";

fn blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// An empty text block as litellm's `_sanitize_empty_text_content` leaves it: the placeholder.
fn placeholder_if_blank(mut block: Value) -> Value {
    let empty = block.get("type").and_then(Value::as_str) == Some("text")
        && block.get("text").and_then(Value::as_str).is_none_or(blank);
    if let (true, Value::Object(b)) = (empty, &mut block) {
        b.insert("text".into(), Value::String(EMPTY_TEXT_PLACEHOLDER.into()));
    }
    block
}

const MID_CONVERSATION_NOTE: &str = "Operator note (not from the user): the following was originally a mid-conversation system-role reminder.";

fn invalid(detail: impl Into<String>) -> CoreError {
    CoreError::InvalidRequest {
        detail: detail.into(),
    }
}

/// The Anthropic body for an OpenAI-shaped chat `body` (an object).
pub fn translate(body: Value) -> Result<Value, CoreError> {
    let Value::Object(src) = body else {
        return Err(invalid("request body must be a JSON object"));
    };
    let mut out = Map::new();
    if let Some(model) = src.get("model") {
        out.insert("model".into(), model.clone());
    }
    let messages = src.get("messages").cloned().unwrap_or(Value::Array(vec![]));
    let (system, turns) = messages_to_anthropic(&messages)?;
    out.insert("messages".into(), Value::Array(turns));
    let parallel = src.get("parallel_tool_calls").and_then(Value::as_bool);
    let mut tool_choice_done = false;
    for (key, value) in &src {
        match key.as_str() {
            "model" | "messages" => {}
            "max_completion_tokens" | "max_tokens" => {
                if key == "max_tokens" && src.contains_key("max_completion_tokens") {
                    continue;
                }
                out.insert("max_tokens".into(), value.clone());
            }
            "stop" => {
                if let Some(stops) = stop_sequences(value) {
                    out.insert("stop_sequences".into(), stops);
                }
            }
            "tools" => {
                let tools = tools_to_anthropic(value)?;
                // A response_format tool Python added goes after the caller's own tools.
                match out.get_mut("tools") {
                    Some(Value::Array(existing)) => existing.extend(tools),
                    _ => {
                        out.insert("tools".into(), Value::Array(tools));
                    }
                }
            }
            "tool_choice" | "parallel_tool_calls" => {
                if tool_choice_done {
                    continue;
                }
                tool_choice_done = true;
                if let Some(choice) = tool_choice(src.get("tool_choice"), parallel) {
                    out.insert("tool_choice".into(), choice);
                }
            }
            "user" => {
                if let Some(user) = value.as_str().filter(|u| valid_user_id(u)) {
                    out.insert("metadata".into(), json!({ "user_id": user }));
                }
            }
            "stream" => {
                if value.as_bool() == Some(true) {
                    out.insert("stream".into(), Value::Bool(true));
                }
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if !system.is_empty() {
        out.insert("system".into(), Value::Array(system));
    }
    Ok(Value::Object(out))
}

/// litellm leaves out a user id Anthropic rejects (an e-mail address).
fn valid_user_id(user: &str) -> bool {
    !user.is_empty() && !user.contains('@')
}

/// `stop` as Anthropic's `stop_sequences` (which stops to leave out is litellm's param handling,
/// done in Python).
fn stop_sequences(value: &Value) -> Option<Value> {
    match value {
        Value::String(s) => Some(json!([s])),
        Value::Array(items) if !items.is_empty() => Some(value.clone()),
        _ => None,
    }
}

/// (system blocks, turns): leading system messages become `system`; the rest become alternating
/// user/assistant turns, consecutive same-role messages (tool results included, as user content)
/// merged into one turn.
fn messages_to_anthropic(messages: &Value) -> Result<(Vec<Value>, Vec<Value>), CoreError> {
    let Value::Array(messages) = messages else {
        return Err(invalid("messages must be a list"));
    };
    let mut system = Vec::new();
    let mut turns: Vec<(String, Vec<Value>)> = Vec::new();
    let mut started = false;
    for message in messages {
        let Value::Object(m) = message else {
            return Err(invalid("each message must be an object"));
        };
        let role = m.get("role").and_then(Value::as_str).unwrap_or("");
        let (turn_role, blocks) = match role {
            "system" | "developer" if !started => {
                system.extend(system_blocks(m));
                continue;
            }
            "system" | "developer" => {
                let mut blocks = vec![text_block(MID_CONVERSATION_NOTE)];
                blocks.extend(system_blocks(m));
                ("user", blocks)
            }
            "user" => ("user", user_blocks(m)?),
            "tool" | "function" => ("user", vec![tool_result(m)?]),
            "assistant" => ("assistant", assistant_blocks(m)?),
            other => return Err(invalid(format!("Invalid message role: {other:?}"))),
        };
        started = true;
        match turns.last_mut() {
            Some((last_role, last)) if last_role == turn_role => last.extend(blocks),
            _ => turns.push((turn_role.to_owned(), blocks)),
        }
    }
    let turns = turns
        .into_iter()
        .map(|(role, content)| json!({"role": role, "content": content}))
        .collect();
    Ok((system, turns))
}

fn text_block(text: &str) -> Value {
    json!({"type": "text", "text": text})
}

fn with_cache_control(mut block: Value, source: &Map<String, Value>) -> Value {
    if let (Some(c), Value::Object(b)) = (source.get("cache_control"), &mut block) {
        b.insert("cache_control".into(), c.clone());
    }
    block
}

fn system_blocks(m: &Map<String, Value>) -> Vec<Value> {
    match m.get("content") {
        Some(Value::String(s)) if !s.is_empty() => vec![with_cache_control(text_block(s), m)],
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(Value::as_object)
            .filter(|p| {
                p.get("type").and_then(Value::as_str) != Some("text")
                    || p.get("text")
                        .and_then(Value::as_str)
                        .is_some_and(|t| !t.is_empty())
            })
            .map(|p| {
                let mut b = Map::new();
                b.insert("type".into(), p.get("type").cloned().unwrap_or(Value::Null));
                b.insert("text".into(), p.get("text").cloned().unwrap_or(Value::Null));
                with_cache_control(Value::Object(b), p)
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn user_blocks(m: &Map<String, Value>) -> Result<Vec<Value>, CoreError> {
    match m.get("content") {
        Some(Value::String(s)) => Ok(vec![with_cache_control(
            placeholder_if_blank(text_block(s)),
            m,
        )]),
        Some(Value::Array(parts)) => {
            let mut blocks = Vec::with_capacity(parts.len());
            for part in parts {
                if let Some(block) = content_part(part)? {
                    blocks.push(placeholder_if_blank(block));
                }
            }
            // A message-level cache_control marks the message's last block.
            if let (Some(c), Some(Value::Object(last))) =
                (m.get("cache_control"), blocks.last_mut())
            {
                last.insert("cache_control".into(), c.clone());
            }
            Ok(blocks)
        }
        Some(Value::Null) | None => Ok(Vec::new()),
        Some(_) => Err(invalid(
            "message content must be a string or a list of parts",
        )),
    }
}

/// One OpenAI content part as an Anthropic block (text, image, document).
fn content_part(part: &Value) -> Result<Option<Value>, CoreError> {
    let Value::Object(p) = part else {
        return Err(invalid("each content part must be an object"));
    };
    let block = match p.get("type").and_then(Value::as_str) {
        Some("text") => {
            let text = p
                .get("text")
                .cloned()
                .unwrap_or(Value::String(String::new()));
            json!({"type": "text", "text": text})
        }
        Some("image_url") => {
            let url = match p.get("image_url") {
                Some(Value::String(u)) => u.as_str(),
                Some(Value::Object(o)) => o.get("url").and_then(Value::as_str).unwrap_or(""),
                _ => "",
            };
            media_block("image", url)?
        }
        Some("file") => {
            let file = p.get("file").and_then(Value::as_object);
            let data = file
                .and_then(|f| f.get("file_data"))
                .and_then(Value::as_str);
            let id = file.and_then(|f| f.get("file_id")).and_then(Value::as_str);
            match (data, id) {
                (Some(data), _) => media_block("document", data)?,
                (None, Some(id)) => {
                    json!({"type": "document", "source": {"type": "file", "file_id": id}})
                }
                _ => return Err(invalid("a file part needs file_data or file_id")),
            }
        }
        Some("document") | Some("image") | Some("thinking") | Some("redacted_thinking") => {
            Value::Object(p.clone())
        }
        other => {
            return Err(invalid(format!(
                "content part type {other:?} has no Anthropic form"
            )))
        }
    };
    Ok(Some(with_cache_control(block, p)))
}

/// An image (or a document) from a `data:` URL (base64 source) or a URL (url source).
fn media_block(kind: &str, url: &str) -> Result<Value, CoreError> {
    if let Some(rest) = url.strip_prefix("data:") {
        let (meta, data) = rest
            .split_once(',')
            .ok_or_else(|| invalid("a data: URL needs a comma before its data"))?;
        let media_type = meta.split(';').next().unwrap_or("");
        let kind = if media_type == "application/pdf" || media_type.starts_with("text/") {
            "document"
        } else {
            kind
        };
        return Ok(json!({
            "type": kind,
            "source": {"type": "base64", "media_type": media_type, "data": data}
        }));
    }
    if url.is_empty() {
        return Err(invalid("an image part needs a url"));
    }
    let kind = if url.to_ascii_lowercase().ends_with(".pdf") {
        "document"
    } else {
        kind
    };
    Ok(json!({"type": kind, "source": {"type": "url", "url": url}}))
}

fn tool_result(m: &Map<String, Value>) -> Result<Value, CoreError> {
    let id = m
        .get("tool_call_id")
        .cloned()
        .unwrap_or(Value::String(String::new()));
    let content = match m.get("content") {
        Some(Value::String(s)) => Value::String(s.clone()),
        Some(Value::Array(parts)) => {
            let mut blocks = Vec::with_capacity(parts.len());
            for part in parts {
                if let Some(block) = content_part(part)? {
                    blocks.push(block);
                }
            }
            Value::Array(blocks)
        }
        Some(Value::Null) | None => Value::String(String::new()),
        Some(other) => Value::String(crate::pytext::str_of(other)),
    };
    let block = json!({"type": "tool_result", "tool_use_id": id, "content": content});
    Ok(with_cache_control(block, m))
}

fn assistant_blocks(m: &Map<String, Value>) -> Result<Vec<Value>, CoreError> {
    let mut blocks = Vec::new();
    if let Some(Value::Array(thinking)) = m.get("thinking_blocks") {
        for block in thinking.iter().filter_map(Value::as_object) {
            let mut b = block.clone();
            b.remove("index");
            blocks.push(Value::Object(b));
        }
    }
    let calls: &[Value] = match m.get("tool_calls") {
        Some(Value::Array(calls)) => calls,
        _ => &[],
    };
    // litellm drops an empty text of a turn that carries something else, and otherwise puts its
    // placeholder in (an empty assistant turn is rejected by Anthropic).
    let mut parts = Vec::new();
    match m.get("content") {
        Some(Value::String(s)) => parts.push(with_cache_control(text_block(s), m)),
        Some(Value::Array(list)) => {
            for part in list {
                if let Some(block) = content_part(part)? {
                    parts.push(block);
                }
            }
        }
        _ => {}
    }
    let is_blank_text = |b: &Value| {
        b.get("type").and_then(Value::as_str) == Some("text")
            && b.get("text").and_then(Value::as_str).is_none_or(blank)
    };
    let carries_more = !calls.is_empty() || parts.iter().any(|b| !is_blank_text(b));
    for part in parts {
        if !is_blank_text(&part) {
            blocks.push(part);
        } else if !carries_more && blocks.is_empty() {
            blocks.push(placeholder_if_blank(part));
        }
    }
    for call in calls {
        blocks.push(tool_use(call)?);
    }
    if blocks.is_empty() {
        blocks.push(text_block(EMPTY_TEXT_PLACEHOLDER));
    }
    Ok(blocks)
}

fn tool_use(call: &Value) -> Result<Value, CoreError> {
    let function = call
        .get("function")
        .and_then(Value::as_object)
        .ok_or_else(|| invalid("a tool call needs a `function` object"))?;
    let arguments = function
        .get("arguments")
        .and_then(Value::as_str)
        .unwrap_or("");
    let input: Value = if arguments.trim().is_empty() {
        json!({})
    } else {
        serde_json::from_str(arguments)
            .map_err(|e| invalid(format!("tool call arguments are not JSON: {e}")))?
    };
    Ok(json!({
        "type": "tool_use",
        "id": call.get("id").cloned().unwrap_or(Value::Null),
        "name": function.get("name").cloned().unwrap_or(Value::Null),
        "input": input,
    }))
}
