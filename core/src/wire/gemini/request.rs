//! OpenAI-shaped request -> Gemini `generateContent` / `batchEmbedContents` body, as litellm's
//! `transform_request_body` and `gemini_convert_messages_with_history` build it.
//!
//! Python (`edgequake._params.gemini`) has already done litellm's per-model argument handling
//! (`map_openai_params`: which params are kept, how `response_format` and tools are mapped), so
//! the body that arrives here is:
//!
//! | key                  | meaning                                                           |
//! |----------------------|-------------------------------------------------------------------|
//! | `messages`           | the OpenAI messages, as the caller gave them                      |
//! | `stream`             | whether the call streams (selects the endpoint)                   |
//! | `gemini3`            | Gemini 3 or newer: call ids forwarded, a placeholder signature    |
//! | `api_version`        | `v1alpha` for the models litellm sends there by default (Gemini 3+) |
//! | `system_instruction` | whether the model takes system messages as `system_instruction`   |
//! | `generation_config`  | litellm's `GenerationConfig` (sent when non-empty)                |
//! | `tools`, `tool_config` | Gemini tools and `toolConfig`, already mapped                    |
//! | `top`                | top-level keys merged last (safety settings, `extra_body`)        |
//!
//! The message conversion (roles merged into alternating `user`/`model` turns, parts, media,
//! tool calls and their results) is the wire's and lives here.

use serde_json::{json, Map, Value};

use crate::error::CoreError;

/// The Files API prefix litellm passes through as a file reference.
const FILES_API_PREFIX: &str = "https://generativelanguage.googleapis.com/v1beta/files/";
/// How litellm carries a thought signature inside an OpenAI tool-call id.
pub const THOUGHT_SEPARATOR: &str = "__thought__";

fn bad(detail: impl Into<String>) -> CoreError {
    CoreError::InvalidRequest {
        detail: detail.into(),
    }
}

/// The `generateContent` body for an OpenAI-shaped chat request.
pub fn chat_body(body: &Value) -> Result<Value, CoreError> {
    let messages = body
        .get("messages")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("gemini: messages must be a list"))?;
    let takes_system = body
        .get("system_instruction")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let gemini3 = body.get("gemini3").and_then(Value::as_bool) == Some(true);
    let (system, rest) = split_system(messages, takes_system);
    let contents = contents(&rest, gemini3)?;
    let mut out = Map::new();
    out.insert("contents".into(), Value::Array(contents));
    if let Some(system) = system {
        out.insert("system_instruction".into(), system);
    }
    if let Some(tools) = body.get("tools").filter(|t| !t.is_null()) {
        out.insert("tools".into(), tools.clone());
    }
    if let Some(config) = body.get("tool_config").filter(|t| !t.is_null()) {
        out.insert("toolConfig".into(), config.clone());
    }
    if let Some(config) = body
        .get("generation_config")
        .and_then(Value::as_object)
        .filter(|c| !c.is_empty())
    {
        out.insert("generationConfig".into(), Value::Object(config.clone()));
    }
    if let Some(top) = body.get("top").and_then(Value::as_object) {
        for (k, v) in top {
            out.insert(k.clone(), v.clone());
        }
    }
    Ok(Value::Object(out))
}

/// System messages become `system_instruction` parts (list contents joined into one text) when
/// the model takes them; otherwise they stay and are merged into the user turn.
fn split_system(messages: &[Value], takes_system: bool) -> (Option<Value>, Vec<Value>) {
    if !takes_system {
        return (None, messages.to_vec());
    }
    let mut parts = Vec::new();
    let mut rest = Vec::with_capacity(messages.len());
    for m in messages {
        if role(m) != "system" {
            rest.push(m.clone());
            continue;
        }
        match m.get("content") {
            Some(Value::String(s)) => parts.push(json!({ "text": s })),
            Some(Value::Array(items)) => {
                let text: String = items
                    .iter()
                    .filter_map(|c| c.get("text").and_then(Value::as_str))
                    .collect();
                parts.push(json!({ "text": text }));
            }
            _ => rest.push(m.clone()),
        }
    }
    if parts.is_empty() {
        return (None, rest);
    }
    if rest.is_empty() {
        // litellm adds a placeholder user turn: Gemini rejects a request with no contents.
        rest.push(json!({"role": "user", "content": "."}));
    }
    (Some(json!({ "parts": parts })), rest)
}

fn role(m: &Value) -> &str {
    m.get("role").and_then(Value::as_str).unwrap_or("")
}

fn contents(messages: &[Value], gemini3: bool) -> Result<Vec<Value>, CoreError> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut tool_results: Vec<Value> = Vec::new();
    let mut last_tool_calls: Option<&Value> = None;
    while i < messages.len() {
        let start = i;
        let mut user = Vec::new();
        while i < messages.len() && matches!(role(&messages[i]), "user" | "system") {
            user_parts(&messages[i], i, &mut user)?;
            i += 1;
        }
        if !user.is_empty() {
            if !user.iter().any(|p| p.get("text").is_some()) {
                // litellm: Gemini refuses a user turn without a text part.
                user.push(json!({"text": " "}));
            }
            out.push(json!({"role": "user", "parts": user}));
        }
        let mut model = Vec::new();
        while i < messages.len() && role(&messages[i]) == "assistant" {
            let m = &messages[i];
            assistant_parts(m, gemini3, &mut model)?;
            if m.get("tool_calls")
                .and_then(Value::as_array)
                .is_some_and(|t| !t.is_empty())
                || m.get("function_call").is_some_and(|f| !f.is_null())
            {
                last_tool_calls = Some(m);
            }
            i += 1;
        }
        if !model.is_empty() {
            out.push(json!({"role": "model", "parts": model}));
        }
        if i < messages.len() && matches!(role(&messages[i]), "tool" | "function") {
            tool_results.push(tool_result(&messages[i], last_tool_calls, gemini3)?);
            i += 1;
        }
        if i < messages.len()
            && !matches!(role(&messages[i]), "tool" | "function")
            && !tool_results.is_empty()
        {
            out.push(json!({"role": "user", "parts": std::mem::take(&mut tool_results)}));
        }
        if i == start {
            return Err(bad(format!(
                "Invalid Message passed in - {}",
                messages.get(i).map(crate::pytext::repr).unwrap_or_default()
            )));
        }
    }
    if !tool_results.is_empty() {
        out.push(json!({"role": "user", "parts": tool_results}));
    }
    if out.is_empty() {
        out.push(json!({"role": "user", "parts": [{"text": " "}]}));
    }
    Ok(out)
}

fn user_parts(m: &Value, index: usize, out: &mut Vec<Value>) -> Result<(), CoreError> {
    match m.get("content") {
        Some(Value::String(s)) => out.push(json!({ "text": s })),
        Some(Value::Array(items)) => {
            for item in items {
                match item.get("type").and_then(Value::as_str) {
                    Some("text") => {
                        if let Some(t) = item.get("text").and_then(Value::as_str) {
                            if !t.is_empty() {
                                out.push(json!({ "text": t }));
                            }
                        }
                    }
                    _ => {
                        if let Some(part) = media_part(item, Some(index))? {
                            out.push(part);
                        }
                    }
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn assistant_parts(m: &Value, gemini3: bool, out: &mut Vec<Value>) -> Result<(), CoreError> {
    if let Some(reasoning) = m.get("reasoning_content").and_then(Value::as_str) {
        out.push(json!({"thought": true, "text": reasoning}));
    }
    let call_signatures = tool_call_signatures(m);
    match m.get("content") {
        Some(Value::String(s)) => {
            let signature = m
                .get("provider_specific_fields")
                .and_then(|p| p.get("thought_signatures"))
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .and_then(Value::as_str)
                .filter(|s| !call_signatures.contains(s));
            match signature {
                Some(sig) => out.push(json!({"text": s, "thoughtSignature": sig})),
                None => out.push(json!({ "text": s })),
            }
        }
        Some(Value::Array(items)) => {
            for item in items {
                if item.get("type").and_then(Value::as_str) == Some("text") {
                    let text = item.get("text").cloned().unwrap_or(Value::Null);
                    out.push(json!({ "text": text }));
                } else if let Some(part) = media_part(item, None)? {
                    out.push(part);
                }
            }
        }
        _ => {}
    }
    for part in tool_call_parts(m, gemini3)? {
        let same = |p: &Value| {
            let strip = |v: &Value| {
                let mut v = v.clone();
                if let Some(o) = v.as_object_mut() {
                    o.remove("thoughtSignature");
                }
                v
            };
            strip(p) == strip(&part)
        };
        if !out.iter().any(same) {
            out.push(part);
        }
    }
    Ok(())
}

/// litellm's `get_thought_signature_from_tool`: the call's own field, its function's, or the
/// signature carried in its id (`call_x__thought__<sig>`).
fn call_signature(tc: &Value) -> Option<&str> {
    signature_field(Some(tc))
        .or_else(|| signature_field(tc.get("function")))
        .or_else(|| {
            tc.get("id")
                .and_then(Value::as_str)
                .and_then(|id| id.split_once(THOUGHT_SEPARATOR))
                .map(|(_, sig)| sig)
        })
}

fn signature_field(v: Option<&Value>) -> Option<&str> {
    v.and_then(|f| f.get("provider_specific_fields"))
        .and_then(|p| p.get("thought_signature"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// The signatures this message's tool calls carry.
fn tool_call_signatures(m: &Value) -> Vec<&str> {
    m.get("tool_calls")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(call_signature)
        .collect()
}

/// The placeholder litellm sends Gemini 3 for a call that carries no signature (Google's
/// documented "skip the validator" value).
const DUMMY_SIGNATURE: &str = "c2tpcF90aG91Z2h0X3NpZ25hdHVyZV92YWxpZGF0b3I=";

/// litellm's `json.loads(arguments)` (an empty string reads as `{"type": "object"}`).
fn arguments(args: Option<&Value>) -> Result<Value, CoreError> {
    match args {
        None | Some(Value::Null) => Ok(json!({"type": "object"})),
        Some(Value::String(s)) if s.is_empty() => Ok(json!({"type": "object"})),
        Some(Value::String(s)) => serde_json::from_str(s).map_err(|e| {
            bad(format!(
                "Unable to convert openai tool calls to gemini tool calls: arguments are not JSON ({e})"
            ))
        }),
        Some(other) => Ok(other.clone()),
    }
}

fn tool_call_parts(m: &Value, gemini3: bool) -> Result<Vec<Value>, CoreError> {
    let mut out = Vec::new();
    for tc in m
        .get("tool_calls")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(function) = tc.get("function") else {
            continue;
        };
        let name = function
            .get("name")
            .filter(|n| !n.is_null())
            .cloned()
            .unwrap_or(json!(""));
        let mut call = Map::new();
        call.insert("name".into(), name);
        call.insert("args".into(), arguments(function.get("arguments"))?);
        if gemini3 {
            let id = tc.get("id").and_then(Value::as_str).unwrap_or("");
            let clean = id.split(THOUGHT_SEPARATOR).next().unwrap_or("");
            if !clean.is_empty() {
                call.insert("id".into(), json!(clean));
            }
        }
        let mut part = Map::new();
        part.insert("function_call".into(), Value::Object(call));
        // Gemini signs only the first call of a parallel batch: the placeholder goes there alone.
        let signature =
            call_signature(tc).or((gemini3 && out.is_empty()).then_some(DUMMY_SIGNATURE));
        if let Some(sig) = signature {
            part.insert("thoughtSignature".into(), json!(sig));
        }
        out.push(Value::Object(part));
    }
    if out.is_empty() {
        if let Some(fc) = m.get("function_call").filter(|f| f.is_object()) {
            let name = fc.get("name").cloned().unwrap_or(json!(""));
            let mut part = Map::new();
            part.insert(
                "function_call".into(),
                json!({"name": name, "args": arguments(fc.get("arguments"))?}),
            );
            let signature = fc
                .get("provider_specific_fields")
                .and_then(|p| p.get("thought_signature"))
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .or(gemini3.then_some(DUMMY_SIGNATURE));
            if let Some(sig) = signature {
                part.insert("thoughtSignature".into(), json!(sig));
            }
            out.push(Value::Object(part));
        }
    }
    Ok(out)
}

/// A `tool`/`function` message as a `function_response` part, named after the call it answers
/// (else its own `name`), as litellm's `convert_to_gemini_tool_call_result`.
fn tool_result(m: &Value, calls: Option<&Value>, gemini3: bool) -> Result<Value, CoreError> {
    let call_id = m
        .get("tool_call_id")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    let called = call_id.and_then(|id| {
        calls?
            .get("tool_calls")
            .and_then(Value::as_array)?
            .iter()
            .find(|tc| tc.get("id").and_then(Value::as_str) == Some(id))
            .and_then(|tc| tc.get("function")?.get("name")?.as_str())
    });
    let name = called
        .or_else(|| m.get("name").and_then(Value::as_str))
        .filter(|n| !n.is_empty())
        .ok_or_else(|| bad("Missing corresponding tool call for tool response message"))?;
    let content = match m.get("content") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .filter(|c| c.get("type").and_then(Value::as_str) == Some("text"))
            .filter_map(|c| c.get("text").and_then(Value::as_str))
            .collect(),
        _ => String::new(),
    };
    let trimmed = content.trim();
    let parsed = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        serde_json::from_str::<Value>(&content)
            .ok()
            .filter(Value::is_object)
    } else {
        None
    };
    let response = parsed.unwrap_or_else(|| json!({ "content": content }));
    let mut reply = Map::new();
    reply.insert("name".into(), json!(name));
    reply.insert("response".into(), response);
    if gemini3 {
        if let Some(clean) = call_id
            .and_then(|id| id.split(THOUGHT_SEPARATOR).next())
            .filter(|c| !c.is_empty())
        {
            reply.insert("id".into(), json!(clean));
        }
    }
    Ok(json!({ "function_response": reply }))
}

/// The media URL of an `image_url`, `file`, `input_audio`... element, and its declared format.
fn media_source(item: &Value) -> Option<(String, Option<String>)> {
    match item.get("type").and_then(Value::as_str)? {
        "image_url" => match item.get("image_url")? {
            Value::String(s) => Some((s.clone(), None)),
            Value::Object(o) => {
                let url = o.get("url")?.as_str()?.to_owned();
                let format = ["format", "mime_type", "content_type"]
                    .iter()
                    .find_map(|k| o.get(*k).and_then(Value::as_str))
                    .map(str::to_owned);
                Some((url, format))
            }
            _ => None,
        },
        "file" => {
            let file = item.get("file")?;
            let format = ["format", "mime_type", "content_type"]
                .iter()
                .find_map(|k| file.get(*k).and_then(Value::as_str))
                .map(str::to_owned);
            let url = file
                .get("file_data")
                .or_else(|| file.get("file_id"))?
                .as_str()?
                .to_owned();
            Some((url, format))
        }
        "input_audio" => {
            let audio = item.get("input_audio")?;
            let data = audio.get("data")?.as_str()?;
            let format = audio.get("format").and_then(Value::as_str).unwrap_or("wav");
            Some((
                format!("data:audio/{format};base64,{data}"),
                Some(format!("audio/{format}")),
            ))
        }
        _ => None,
    }
}

fn media_part(item: &Value, index: Option<usize>) -> Result<Option<Value>, CoreError> {
    let Some((url, format)) = media_source(item) else {
        return match (index, item.get("type").and_then(Value::as_str)) {
            (Some(_), Some("image_url")) => Err(bad(
                "Invalid message content: element type is 'image_url' but 'image_url' field is missing ",
            )),
            (Some(_), Some("file")) => Err(bad(
                "Content block has type='file' but is missing the required 'file' field",
            )),
            _ => Ok(None),
        };
    };
    Ok(Some(media(&url, format.as_deref())?))
}

/// litellm's `process_gemini_media` for the URLs it can place without fetching anything.
fn media(url: &str, format: Option<&str>) -> Result<Value, CoreError> {
    if url.starts_with("gs://") || url.starts_with(FILES_API_PREFIX) {
        let mut file = Map::new();
        if let Some(mime) = format.map(str::to_owned).or_else(|| mime_from_path(url)) {
            file.insert("mime_type".into(), Value::String(mime));
        }
        file.insert("file_uri".into(), Value::String(url.to_owned()));
        return Ok(json!({ "file_data": file }));
    }
    if let Some(rest) = url.strip_prefix("data:") {
        let (meta, data) = rest
            .split_once(',')
            .ok_or_else(|| bad(format!("Invalid image received - {url}")))?;
        let declared = meta.split(';').next().unwrap_or("");
        let mime = format.unwrap_or(declared);
        return Ok(json!({"inline_data": {"data": data, "mime_type": mime}}));
    }
    if url.starts_with("https://") || url.starts_with("http://") {
        let mut file = Map::new();
        if let Some(mime) = format.map(str::to_owned).or_else(|| mime_from_path(url)) {
            file.insert("mime_type".into(), Value::String(mime));
        }
        file.insert("file_uri".into(), Value::String(url.to_owned()));
        return Ok(json!({ "file_data": file }));
    }
    Err(bad(format!("Invalid image received - {url}")))
}

fn mime_from_path(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    let mime = match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "heic" => "image/heic",
        "pdf" => "application/pdf",
        "mp3" => "audio/mp3",
        "wav" => "audio/wav",
        "mp4" => "video/mp4",
        "mov" => "video/mov",
        "txt" => "text/plain",
        _ => return None,
    };
    Some(mime.to_owned())
}

/// The `batchEmbedContents` body: one request per input text, with the mapped params
/// (`outputDimensionality`, `taskType`, ...) Python passes as `params`.
pub fn embed_body(model: &str, body: &Value) -> Result<Value, CoreError> {
    let inputs: Vec<Value> = match body.get("input") {
        Some(Value::String(s)) => vec![Value::String(s.clone())],
        Some(Value::Array(items)) => items.clone(),
        _ => return Err(bad("gemini: embedding input must be a string or a list")),
    };
    let params = body.get("params").and_then(Value::as_object);
    let mut requests = Vec::with_capacity(inputs.len());
    for input in inputs {
        let text = input
            .as_str()
            .ok_or_else(|| bad("gemini: embedding inputs must be strings"))?;
        let mut req = Map::new();
        req.insert("model".into(), Value::String(format!("models/{model}")));
        req.insert("content".into(), json!({"parts": [{"text": text}]}));
        if let Some(params) = params {
            for (k, v) in params {
                req.insert(k.clone(), v.clone());
            }
        }
        requests.push(Value::Object(req));
    }
    Ok(json!({ "requests": requests }))
}
