//! The OpenAI-shaped body Python builds -> Ollama's request, as litellm 1.110.2 sends it:
//! `/api/chat` (`OllamaChatConfig.transform_request`), `/api/generate` (`OllamaConfig`, with the
//! messages rendered by litellm's `ollama_pt` template) and `/api/embed`.
//!
//! Python has already sorted the arguments (supported, dropped, refused: `edgequake._params.ollama`);
//! what reaches here is litellm's OpenAI parameters for the route plus provider-specific kwargs,
//! which litellm forwards inside `options` (a few go at the top level).

use serde_json::{json, Map, Value};

use crate::error::CoreError;
use crate::pytext::json_dumps;

use super::reasoning::split_think;

/// Which Ollama endpoint a chat call takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    Chat,
    Generate,
}

fn invalid(detail: impl Into<String>) -> CoreError {
    CoreError::InvalidRequest {
        detail: detail.into(),
    }
}

/// litellm's `ollama_think`: gpt-oss takes the level as given, every other model a boolean.
fn think(model: &str, effort: &Value) -> Value {
    if model.starts_with("gpt-oss") {
        return effort.clone();
    }
    Value::Bool(matches!(effort.as_str(), Some("low" | "medium" | "high")))
}

/// The parameters both routes share, mapped as litellm's `map_openai_params` does; everything else
/// (provider kwargs such as `num_ctx`, `mirostat`, `keep_alive`) is kept under its own name.
fn optional_params(api: Api, model: &str, body: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, value) in body {
        match key.as_str() {
            "model" | "messages" | "tool_choice" => {}
            "max_tokens" | "max_completion_tokens" => {
                out.insert("num_predict".into(), value.clone());
            }
            "frequency_penalty" => {
                let name = match api {
                    Api::Chat => "repeat_penalty",
                    Api::Generate => "frequency_penalty",
                };
                out.insert(name.into(), value.clone());
            }
            "response_format" => {
                if let Some(format) = response_format(value) {
                    out.insert("format".into(), format);
                }
            }
            "reasoning_effort" => {
                if !value.is_null() {
                    out.insert("think".into(), think(model, value));
                }
            }
            "functions" if api == Api::Chat => {
                out.insert("tools".into(), value.clone());
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    out
}

/// `response_format` as Ollama's `format`: "json" for JSON mode, the schema for a JSON schema.
fn response_format(value: &Value) -> Option<Value> {
    let obj = value.as_object()?;
    match obj.get("type").and_then(Value::as_str) {
        Some("json_object") => Some(json!("json")),
        Some("json_schema") => {
            let schema = obj.get("json_schema")?.get("schema")?;
            crate::pytext::truthy(schema).then(|| schema.clone())
        }
        _ => None,
    }
}

/// The `/api/chat` body.
pub fn chat(model: &str, body: &Map<String, Value>) -> Result<Value, CoreError> {
    let mut options = optional_params(Api::Chat, model, body);
    let stream = options.remove("stream").unwrap_or(Value::Bool(false));
    let mut data = Map::new();
    data.insert("model".into(), json!(model));
    data.insert("messages".into(), chat_messages(body.get("messages"))?);
    // litellm pops these out of the options to the top level; `function_name` is its own control.
    let top: Vec<(&str, Option<Value>)> = ["format", "tools", "keep_alive", "think"]
        .into_iter()
        .map(|k| (k, options.remove(k)))
        .collect();
    options.remove("function_name");
    data.insert("options".into(), Value::Object(options));
    data.insert("stream".into(), stream);
    for (key, value) in top {
        if let Some(v) = value.filter(|v| !v.is_null()) {
            data.insert(key.into(), v);
        }
    }
    Ok(Value::Object(data))
}

fn chat_messages(messages: Option<&Value>) -> Result<Value, CoreError> {
    let Some(list) = messages.and_then(Value::as_array) else {
        return Err(invalid("messages must be a list"));
    };
    list.iter()
        .map(chat_message)
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
}

fn chat_message(m: &Value) -> Result<Value, CoreError> {
    let Some(m) = m.as_object() else {
        return Err(invalid("each message must be an object"));
    };
    let mut out = Map::new();
    out.insert("role".into(), m.get("role").cloned().unwrap_or(Value::Null));
    if let Some(reasoning) = message_reasoning(m) {
        out.insert("thinking".into(), Value::String(reasoning));
    }
    out.insert("content".into(), Value::String(content_text(m)));
    out.insert("images".into(), Value::Array(message_images(m)));
    if let Some(calls) = m.get("tool_calls").and_then(Value::as_array) {
        let mut converted = Vec::with_capacity(calls.len());
        for call in calls {
            if call.get("type").and_then(Value::as_str) == Some("function") {
                converted.push(tool_call(call)?);
            }
        }
        out.insert("tool_calls".into(), Value::Array(converted));
    }
    if let Some(id) = m.get("tool_call_id").filter(|v| !v.is_null()) {
        out.insert("tool_call_id".into(), id.clone());
    }
    Ok(Value::Object(out))
}

/// An assistant tool call as Ollama takes it back: arguments as an object, not a JSON string.
fn tool_call(call: &Value) -> Result<Value, CoreError> {
    let function = call.get("function").and_then(Value::as_object);
    let name = function
        .and_then(|f| f.get("name"))
        .filter(|n| crate::pytext::truthy(n))
        .cloned()
        .unwrap_or_else(|| json!(""));
    let arguments = match function.and_then(|f| f.get("arguments")) {
        None => json!({}),
        Some(Value::String(text)) => serde_json::from_str(text)
            .map_err(|e| invalid(format!("tool call arguments are not JSON: {e}")))?,
        Some(other) => other.clone(),
    };
    let mut out = Map::new();
    if let Some(id) = call.get("id").filter(|v| !v.is_null()) {
        out.insert("id".into(), id.clone());
    }
    out.insert(
        "function".into(),
        json!({"name": name, "arguments": arguments}),
    );
    Ok(Value::Object(out))
}

/// litellm's `extract_reasoning_content`: the message's reasoning field, else a leading
/// `<think>` block of a string content.
fn message_reasoning(m: &Map<String, Value>) -> Option<String> {
    if let Some(r) = m.get("reasoning_content").or_else(|| m.get("reasoning")) {
        return r.as_str().map(str::to_owned);
    }
    let content = m.get("content")?.as_str()?;
    split_think(content).map(|(reasoning, _)| reasoning.to_owned())
}

/// litellm's `convert_content_list_to_str`: a string content, or its list's text parts joined.
pub(super) fn content_text(m: &Map<String, Value>) -> String {
    match m.get("content") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect(),
        _ => String::new(),
    }
}

/// A data URL's base64 payload; any other URL as it is.
fn base64_payload(url: &str) -> &str {
    if url.starts_with("data:") {
        if let Some((_, data)) = url.split_once(";base64,") {
            return data;
        }
    }
    url
}

/// litellm's `extract_images_from_message` (chat): each image part's base64 payload.
fn message_images(m: &Map<String, Value>) -> Vec<Value> {
    let Some(parts) = m.get("content").and_then(Value::as_array) else {
        return Vec::new();
    };
    parts
        .iter()
        .filter_map(|p| match p.get("image_url") {
            Some(Value::String(url)) if !url.is_empty() => Some(url.as_str()),
            Some(Value::Object(o)) if !o.is_empty() => o.get("url").and_then(Value::as_str),
            _ => None,
        })
        .map(|url| Value::String(base64_payload(url).to_owned()))
        .collect()
}

/// The `/api/generate` body: the messages as one prompt, images beside it.
pub fn generate(model: &str, body: &Map<String, Value>) -> Result<Value, CoreError> {
    let mut options = optional_params(Api::Generate, model, body);
    let (prompt, images) = super::prompt::render(body.get("messages"))?;
    let stream = options.remove("stream").unwrap_or(Value::Bool(false));
    let format = options.remove("format");
    options.remove("images");
    let think = options.remove("think");
    let mut data = Map::new();
    data.insert("model".into(), json!(model));
    data.insert("prompt".into(), Value::String(prompt));
    data.insert("options".into(), Value::Object(options));
    data.insert("stream".into(), stream);
    if let Some(f) = format.filter(|v| !v.is_null()) {
        data.insert("format".into(), f);
    }
    let images = images
        .iter()
        .map(|url| generate_image(url).map(Value::String))
        .collect::<Result<Vec<_>, _>>()?;
    data.insert("images".into(), Value::Array(images));
    if let Some(t) = think.filter(|v| !v.is_null()) {
        data.insert("think".into(), t);
    }
    Ok(Value::Object(data))
}

/// litellm's `convert_to_ollama_image`: the base64 payload of a `data:image/` URL. Its
/// `convert_image` step (PNG/JPEG kept, anything else re-encoded to JPEG with Pillow) runs in Python
/// before the body reaches the core (`edgequake._params.ollama`), which leaves the part as that text.
/// litellm downloads http(s) images; the core does not, and says so rather than send something else.
fn generate_image(url: &str) -> Result<String, CoreError> {
    if url.starts_with("http") {
        return Err(invalid(
            "ollama/ (api/generate): image URLs are not fetched by edgequake; pass the image as a \
             base64 data URL, or use ollama_chat/",
        ));
    }
    match url.strip_prefix("data:image/") {
        Some(rest) => match rest.split_once(";base64,") {
            Some((_, data)) => Ok(data.to_owned()),
            None => Err(invalid(
                "Image url not in expected format. Example Expected input - \"image_url\": \
                 \"data:image/jpeg;base64,{base64_image}\". ",
            )),
        },
        None => Ok(url.to_owned()),
    }
}

/// The `/api/embed` body: litellm keeps `truncate`, `options`, `keep_alive` and `dimensions` at the
/// top level and puts any other parameter in `options`.
pub fn embed(model: &str, body: &Map<String, Value>) -> Value {
    let mut data = Map::new();
    data.insert("model".into(), json!(model));
    data.insert(
        "input".into(),
        body.get("input").cloned().unwrap_or_else(|| json!([])),
    );
    for (key, value) in body {
        match key.as_str() {
            "model" | "input" => {}
            "truncate" | "options" | "keep_alive" | "dimensions" => {
                data.insert(key.clone(), value.clone());
            }
            _ => {
                let options = data
                    .entry("options")
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(o) = options {
                    o.insert(key.clone(), value.clone());
                }
            }
        }
    }
    Value::Object(data)
}

/// `json.dumps` of a tool call as the generate prompt shows it.
pub(super) fn prompt_tool_call(call: &Value) -> Result<String, CoreError> {
    let function = call.get("function");
    let name = function
        .and_then(|f| f.get("name"))
        .cloned()
        .unwrap_or(Value::Null);
    let arguments = match function.and_then(|f| f.get("arguments")) {
        Some(Value::String(text)) => serde_json::from_str(text)
            .map_err(|e| invalid(format!("tool call arguments are not JSON: {e}")))?,
        Some(other) => other.clone(),
        None => return Err(invalid("a tool call has no function arguments")),
    };
    Ok(json_dumps(&json!({"name": name, "arguments": arguments})))
}
