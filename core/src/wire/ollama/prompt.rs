//! litellm's `ollama_pt`: the chat messages as the one prompt `/api/generate` takes.
//!
//! Runs of user/tool/function messages become a `### User:` block (texts joined by newlines,
//! image URLs collected), then consecutive system messages a `### System:` block, then consecutive
//! assistant messages an `### Assistant:` block (tool calls as `{"name", "arguments"}` JSON lines).

use serde_json::{Map, Value};

use crate::error::CoreError;
use crate::pytext::type_name;

use super::request::{content_text, prompt_tool_call};

fn bad(role: &str, index: usize, detail: &str) -> CoreError {
    CoreError::InvalidRequest {
        detail: format!("Invalid Message the {role} message at index {index} {detail}"),
    }
}

fn role(m: &Value) -> &str {
    m.get("role").and_then(Value::as_str).unwrap_or("")
}

/// The texts and image URLs of one user-side message.
fn user_parts(m: &Value, index: usize) -> Result<(Vec<String>, Vec<String>), CoreError> {
    let r = role(m);
    match m.get("content") {
        None | Some(Value::Null) => Ok((Vec::new(), Vec::new())),
        Some(Value::String(s)) if s.is_empty() => Ok((Vec::new(), Vec::new())),
        Some(Value::String(s)) => Ok((vec![s.clone()], Vec::new())),
        Some(Value::Array(parts)) => {
            let mut texts = Vec::new();
            let mut images = Vec::new();
            for part in parts {
                let Some(p) = part.as_object() else {
                    let what = format!(
                        "has a {} content part; content parts must be objects",
                        type_name(part)
                    );
                    return Err(bad(r, index, &what));
                };
                let (text, image) = content_part(p, r, index)?;
                if !text.is_empty() {
                    texts.push(text);
                }
                if !image.is_empty() {
                    images.push(image);
                }
            }
            Ok((texts, images))
        }
        Some(other) => {
            let what = format!(
                "has {} content; content must be a string or a list of content parts",
                type_name(other)
            );
            Err(bad(r, index, &what))
        }
    }
}

fn content_part(
    p: &Map<String, Value>,
    r: &str,
    index: usize,
) -> Result<(String, String), CoreError> {
    const IMAGE_SHAPE: &str = "image_url must be a URL string or an object with a url";
    match p.get("type").and_then(Value::as_str) {
        Some("text") => match p.get("text") {
            Some(Value::String(t)) => Ok((t.clone(), String::new())),
            Some(other) => Err(bad(
                r,
                index,
                &format!(
                    "has a {} text part; text must be a string",
                    type_name(other)
                ),
            )),
            None => Err(bad(
                r,
                index,
                "has a text part with no text; text must be a string",
            )),
        },
        Some("image_url") => match p.get("image_url") {
            Some(Value::String(url)) => Ok((String::new(), url.clone())),
            Some(Value::Object(o)) => match o.get("url") {
                Some(Value::String(url)) => Ok((String::new(), url.clone())),
                _ => Err(bad(
                    r,
                    index,
                    &format!("has an image_url object without a url string; {IMAGE_SHAPE}"),
                )),
            },
            Some(other) => Err(bad(
                r,
                index,
                &format!("has a {} image_url; {IMAGE_SHAPE}", type_name(other)),
            )),
            None => Err(bad(
                r,
                index,
                &format!("has an image_url part with no image_url; {IMAGE_SHAPE}"),
            )),
        },
        _ => Ok((String::new(), String::new())),
    }
}

/// The prompt and the image URLs, in message order.
pub fn render(messages: Option<&Value>) -> Result<(String, Vec<String>), CoreError> {
    let Some(messages) = messages.and_then(Value::as_array) else {
        return Err(CoreError::InvalidRequest {
            detail: "messages must be a list".into(),
        });
    };
    let mut prompt = String::new();
    let mut images = Vec::new();
    let mut i = 0;
    while i < messages.len() {
        let start = i;
        let mut user_texts = Vec::new();
        while let Some(m) = messages.get(i) {
            if !matches!(role(m), "user" | "tool" | "function") {
                break;
            }
            let (texts, urls) = user_parts(m, i)?;
            if !texts.is_empty() {
                user_texts.push(texts.join("\n"));
            }
            images.extend(urls);
            i += 1;
        }
        let user = user_texts.join("\n");
        if !user.is_empty() {
            prompt.push_str(&format!("### User:\n{user}\n\n"));
        }
        let mut system = String::new();
        while let Some(m) = messages.get(i).filter(|m| role(m) == "system") {
            system.push_str(&text_of(m));
            i += 1;
        }
        if !system.is_empty() {
            prompt.push_str(&format!("### System:\n{system}\n\n"));
        }
        let mut assistant = String::new();
        while let Some(m) = messages.get(i).filter(|m| role(m) == "assistant") {
            assistant.push_str(&text_of(m));
            if let Some(calls) = m
                .get("tool_calls")
                .and_then(Value::as_array)
                .filter(|c| !c.is_empty())
            {
                if !assistant.is_empty() {
                    assistant.push('\n');
                }
                let lines = calls
                    .iter()
                    .map(prompt_tool_call)
                    .collect::<Result<Vec<_>, _>>()?;
                assistant.push_str(&lines.join("\n"));
            }
            i += 1;
        }
        if !assistant.is_empty() {
            prompt.push_str(&format!("### Assistant:\n{assistant}\n\n"));
        }
        if i == start {
            let shown = messages.get(i).map(crate::pytext::repr).unwrap_or_default();
            return Err(CoreError::InvalidRequest {
                detail: format!("Invalid Message passed in {shown}"),
            });
        }
    }
    Ok((prompt, images))
}

fn text_of(m: &Value) -> String {
    m.as_object().map(content_text).unwrap_or_default()
}
