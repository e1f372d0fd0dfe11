//! `usageMetadata` as litellm's `_calculate_usage` reads it: prompt tokens by modality (cached
//! tokens taken out of the text count), completion tokens with the thoughts added when Gemini counts
//! them apart, tool-use prompt tokens billed unless a grounding is billed instead.

use serde_json::{json, Map, Value};

use super::response::as_i64;

/// litellm's `_calculate_usage` over `usageMetadata`.
#[cfg(test)]
pub fn usage(meta: &Value) -> Value {
    usage_billed(meta, false)
}

/// `usage`, for a reply whose grounding is billed apart when `grounded` (litellm then leaves the
/// tool-use tokens out of the prompt count).
pub fn usage_billed(meta: &Value, grounded: bool) -> Value {
    let mut completion_details = Map::new();
    let add = |m: &mut Map<String, Value>, key: &str, n: i64| {
        let prev = m.get(key).and_then(Value::as_i64).unwrap_or(0);
        m.insert(key.to_owned(), json!(prev + n));
    };
    let modality_key = |detail: &Value| -> (String, i64) {
        let modality = detail
            .get("modality")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_ascii_uppercase();
        let count = detail
            .get("tokenCount")
            .or_else(|| detail.get("token_count"))
            .and_then(Value::as_i64)
            .unwrap_or(0);
        (modality, count)
    };
    let mut has_details = false;
    for key in ["responseTokensDetails", "candidatesTokensDetails"] {
        if let Some(details) = meta.get(key).and_then(Value::as_array) {
            has_details = true;
            for d in details {
                let (modality, n) = modality_key(d);
                let target = match modality.as_str() {
                    "TEXT" | "DOCUMENT" => "text_tokens",
                    "AUDIO" => "audio_tokens",
                    "IMAGE" if key == "candidatesTokensDetails" => "image_tokens",
                    "VIDEO" if key == "candidatesTokensDetails" => "video_tokens",
                    _ => continue,
                };
                add(&mut completion_details, target, n);
            }
        }
    }
    let candidates = as_i64(meta.get("candidatesTokenCount"));
    if candidates > 0 {
        has_details = true;
        if !completion_details.contains_key("text_tokens") {
            let other: i64 = ["image_tokens", "audio_tokens", "video_tokens"]
                .iter()
                .map(|k| as_i64(completion_details.get(*k)))
                .sum();
            completion_details.insert("text_tokens".into(), json!(candidates - other));
        }
    }
    let mut prompt: [Option<i64>; 4] = [None; 4]; // audio, text, image, video
    if let Some(details) = meta.get("promptTokensDetails").and_then(Value::as_array) {
        for d in details {
            let (modality, n) = modality_key(d);
            let slot = match modality.as_str() {
                "AUDIO" => 0,
                "TEXT" | "DOCUMENT" => 1,
                "IMAGE" => 2,
                "VIDEO" => 3,
                _ => continue,
            };
            if let Some(s) = prompt.get_mut(slot) {
                *s = Some(s.unwrap_or(0) + n);
            }
        }
    }
    let mut cached_by: [Option<i64>; 4] = [None; 4];
    if let Some(details) = meta.get("cacheTokensDetails").and_then(Value::as_array) {
        for d in details {
            let (modality, n) = modality_key(d);
            let slot = match modality.as_str() {
                "AUDIO" => 0,
                "TEXT" | "DOCUMENT" => 1,
                "IMAGE" => 2,
                "VIDEO" => 3,
                _ => continue,
            };
            if let Some(s) = cached_by.get_mut(slot) {
                *s = Some(s.unwrap_or(0) + n);
            }
        }
    }
    let cached = meta.get("cachedContentTokenCount").and_then(Value::as_i64);
    let [mut p_audio, mut p_text, p_image, mut p_video] = prompt;
    let [c_audio, c_text, c_image, c_video] = cached_by;
    if let (Some(c), Some(t), None, false) = (
        cached,
        p_text,
        c_text,
        meta.get("cacheTokensDetails").is_some(),
    ) {
        p_text = Some(t - c);
    }
    if let (Some(cv), Some(v)) = (c_video, p_video) {
        p_video = Some(v - cv);
    }
    let reasoning = meta.get("thoughtsTokenCount").and_then(Value::as_i64);
    if let Some(r) = reasoning {
        has_details = true;
        completion_details.insert("reasoning_tokens".into(), json!(r));
    }
    let tool_use = meta
        .get("toolUsePromptTokenCount")
        .and_then(Value::as_i64)
        .filter(|n| *n != 0);
    let billable_tool_use = if grounded { 0 } else { tool_use.unwrap_or(0) };
    let text = p_text.map(|t| t + billable_tool_use);
    let mut cached_details = Map::new();
    for (key, v) in [
        ("text_tokens", c_text),
        ("audio_tokens", c_audio),
        ("image_tokens", c_image),
    ] {
        if let Some(v) = v {
            cached_details.insert(key.into(), json!(v));
        }
    }
    let _ = &mut p_audio;
    let mut prompt_details = Map::new();
    prompt_details.insert("cached_tokens".into(), json!(cached));
    if !cached_details.is_empty() {
        prompt_details.insert(
            "cached_tokens_details".into(),
            Value::Object(cached_details),
        );
    }
    prompt_details.insert("audio_tokens".into(), json!(p_audio));
    prompt_details.insert("text_tokens".into(), json!(text));
    prompt_details.insert("image_tokens".into(), json!(p_image));
    prompt_details.insert("video_tokens".into(), json!(p_video));
    if let Some(t) = tool_use {
        prompt_details.insert("tool_use_tokens".into(), json!(t));
    }
    let response_tokens = as_i64(meta.get("responseTokenCount"));
    let mut completion = if response_tokens != 0 {
        response_tokens
    } else {
        candidates
    };
    let inclusive = as_i64(meta.get("promptTokenCount"))
        + candidates
        + as_i64(meta.get("toolUsePromptTokenCount"))
        == as_i64(meta.get("totalTokenCount"));
    if let Some(r) = reasoning.filter(|r| *r != 0) {
        if !inclusive {
            completion += r;
        }
    }
    let mut out = Map::new();
    out.insert(
        "prompt_tokens".into(),
        json!(as_i64(meta.get("promptTokenCount")) + billable_tool_use),
    );
    out.insert("completion_tokens".into(), json!(completion));
    out.insert(
        "total_tokens".into(),
        json!(as_i64(meta.get("totalTokenCount"))),
    );
    out.insert(
        "completion_tokens_details".into(),
        if has_details {
            Value::Object(completion_details)
        } else {
            Value::Null
        },
    );
    out.insert(
        "prompt_tokens_details".into(),
        Value::Object(prompt_details),
    );
    out.insert("cache_read_input_tokens".into(), json!(cached));
    // litellm passes `reasoning_tokens=` to `Usage`, which fills a missing text count from it
    // (`edgequake._shaping.usage` does the same with this key).
    if let Some(r) = reasoning {
        out.insert("reasoning_tokens".into(), json!(r));
    }
    out.insert("cache_creation_input_tokens".into(), Value::Null);
    Value::Object(out)
}
