//! Gemini wire tests: recorded bytes in (taken from `cassettes/gemini/`), OpenAI-shaped JSON out;
//! requests as litellm sends them; litellm's classification of Gemini failures.

use serde_json::{json, Value};

use super::errors::{bytes_repr, classify, stream_status};
use super::request::{chat_body, embed_body};
use super::response::{completion, embeddings};
use super::stream::Chunks;
use super::usage::usage;
use super::{incoming, outgoing};
use crate::classify::ErrorClass;
use crate::endpoint::{Route, Target};
use crate::error::CoreError;
use crate::provider::Provider;
use crate::sse::SseEvent;
use crate::wire::{ChunkTranslator, Reply};

fn feed(chunks: &mut Chunks, data: &str) -> Result<Vec<Value>, CoreError> {
    let mut out = Vec::new();
    let ended = chunks.event(
        SseEvent {
            event: None,
            data: data.to_owned(),
        },
        &mut out,
    )?;
    assert!(!ended, "Gemini streams end with the body");
    Ok(out)
}

fn target(base: Option<&str>, model: &str) -> Target {
    Target {
        api_base: base.map(str::to_owned),
        api_key: Some("sk-test".into()),
        model: model.into(),
        ..Target::default()
    }
}

// -- requests ---------------------------------------------------------------------------------

#[test]
fn urls_and_the_key_header() {
    let body = json!({"messages": [{"role": "user", "content": "hi"}], "stream": false});
    let out = outgoing(
        Provider::Gemini,
        &target(Some("http://h/v1beta/"), "gemini-2.5-flash"),
        Route::ChatCompletions,
        body.clone(),
    );
    let (url, headers) = out
        .map(|o| (o.endpoint.url, o.endpoint.headers))
        .unwrap_or_default();
    assert_eq!(
        url,
        "http://h/v1beta/models/gemini-2.5-flash:generateContent"
    );
    assert_eq!(
        headers,
        vec![("x-goog-api-key".to_string(), "sk-test".to_string())]
    );
    assert!(!url.contains("sk-test"), "the key never goes in the URL");

    let mut stream = body;
    stream["stream"] = json!(true);
    let out = outgoing(
        Provider::Gemini,
        &target(None, "gemini-2.0-flash"),
        Route::ChatCompletions,
        stream,
    );
    assert_eq!(
        out.map(|o| o.endpoint.url).ok().as_deref(),
        Some("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse")
    );
    let v3 = json!({"messages": [], "api_version": "v1alpha"});
    let out = outgoing(
        Provider::Gemini,
        &target(None, "gemini-3-pro-preview"),
        Route::ChatCompletions,
        v3.clone(),
    );
    assert_eq!(
        out.map(|o| o.endpoint.url).ok().as_deref(),
        Some("https://generativelanguage.googleapis.com/v1alpha/models/gemini-3-pro-preview:generateContent")
    );
    let out = outgoing(
        Provider::Gemini,
        &target(Some("http://h/v1beta"), "gemini-3-pro-preview"),
        Route::ChatCompletions,
        v3,
    );
    assert_eq!(
        out.map(|o| o.endpoint.url).ok().as_deref(),
        Some("http://h/v1beta/models/gemini-3-pro-preview:generateContent"),
        "a given api_base is used as it is"
    );
    let out = outgoing(
        Provider::Gemini,
        &target(Some("http://h/v1beta"), "gemini-embedding-001"),
        Route::Embeddings,
        json!({"input": ["a"], "params": {"outputDimensionality": 768}}),
    );
    let (url, body) = out.map(|o| (o.endpoint.url, o.body)).unwrap_or_default();
    assert_eq!(
        url,
        "http://h/v1beta/models/gemini-embedding-001:batchEmbedContents"
    );
    assert_eq!(
        body,
        json!({"requests": [{"model": "models/gemini-embedding-001",
            "content": {"parts": [{"text": "a"}]}, "outputDimensionality": 768}]})
    );
}

#[test]
fn system_instruction_or_merged_into_the_user_turn() {
    let messages = json!([
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": [{"type": "text", "text": "Describe"},
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBO"}}]}
    ]);
    let with = chat_body(&json!({"messages": messages, "system_instruction": true,
        "generation_config": {"stop_sequences": ["\nObservation:"]}}));
    assert_eq!(
        with,
        Ok(json!({
            "contents": [{"role": "user", "parts": [{"text": "Describe"},
                {"inline_data": {"data": "iVBO", "mime_type": "image/png"}}]}],
            "system_instruction": {"parts": [{"text": "Be brief."}]},
            "generationConfig": {"stop_sequences": ["\nObservation:"]},
        }))
    );
    // gemini-2.0-flash takes no system messages: litellm sends the text as the user turn's first part
    let without = chat_body(&json!({"messages": messages, "system_instruction": false}));
    assert_eq!(
        without.map(|b| b["contents"][0]["parts"][0].clone()),
        Ok(json!({"text": "Be brief."}))
    );
}

#[test]
fn tool_calls_and_results_round_trip() {
    let body = json!({"messages": [
        {"role": "user", "content": "add"},
        {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1__thought__SIG", "type": "function",
            "function": {"name": "add", "arguments": "{\"a\": 1}"}}]},
        {"role": "tool", "tool_call_id": "call_1__thought__SIG", "content": "2"},
        {"role": "user", "content": "thanks"},
        {"role": "user", "content": [{"type": "image_url", "image_url": "gs://b/cat.png"}]}
    ], "tools": [{"function_declarations": [{"name": "add"}]}],
       "tool_config": {"functionCallingConfig": {"mode": "AUTO"}}});
    let out = chat_body(&body).unwrap_or_default();
    assert_eq!(
        out["contents"],
        json!([
            {"role": "user", "parts": [{"text": "add"}]},
            {"role": "model", "parts": [{"function_call": {"name": "add", "args": {"a": 1}},
                "thoughtSignature": "SIG"}]},
            {"role": "user", "parts": [{"function_response": {"name": "add", "response": {"content": "2"}}}]},
            {"role": "user", "parts": [{"text": "thanks"},
                {"file_data": {"mime_type": "image/png", "file_uri": "gs://b/cat.png"}}]},
        ])
    );
    assert_eq!(
        out["toolConfig"],
        json!({"functionCallingConfig": {"mode": "AUTO"}})
    );
    let orphan = chat_body(&json!({"messages": [{"role": "tool", "content": "x"}]}));
    assert!(matches!(orphan, Err(CoreError::InvalidRequest { .. })));
    assert!(embed_body("m", &json!({"input": 3})).is_err());
}

// -- whole replies ----------------------------------------------------------------------------

const TOOL_REPLY: &str = r#"{"candidates": [{"content": {"parts": [
  {"text": "thinking about it", "thought": true},
  {"functionCall": {"name": "add_numbers", "args": {"a": 15, "b": 27}}, "thoughtSignature": "CqwB"}],
  "role": "model"}, "finishReason": "STOP", "index": 0}],
 "usageMetadata": {"promptTokenCount": 104, "candidatesTokenCount": 22, "totalTokenCount": 173,
  "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 104}], "thoughtsTokenCount": 47},
 "modelVersion": "gemini-2.5-flash", "responseId": "MpgPapmw"}"#;

fn reply(raw: &str) -> Result<Value, CoreError> {
    let value: Value = serde_json::from_str(raw).unwrap_or(Value::Null);
    completion(&value, raw.as_bytes(), &[])
}

#[test]
fn a_tool_call_with_thoughts() {
    let out = reply(TOOL_REPLY).unwrap_or_default();
    assert_eq!(out["id"], "MpgPapmw");
    assert_eq!(out["model"], "gemini-2.5-flash");
    let choice = &out["choices"][0];
    assert_eq!(choice["finish_reason"], "tool_calls");
    assert_eq!(
        choice["provider_specific_fields"],
        json!({"native_finish_reason": "STOP"})
    );
    let msg = &choice["message"];
    assert_eq!(msg.get("content"), None);
    assert_eq!(msg["reasoning_content"], "thinking about it");
    assert_eq!(
        msg["thinking_blocks"],
        json!([{"type": "thinking", "thinking": "thinking about it"}])
    );
    assert_eq!(
        msg["provider_specific_fields"],
        json!({"thought_signatures": ["CqwB"]})
    );
    let call = &msg["tool_calls"][0];
    assert_eq!(
        call["function"],
        json!({"name": "add_numbers", "arguments": "{\"a\": 15, \"b\": 27}"})
    );
    let id = call["id"].as_str().unwrap_or_default();
    let (head, sig) = id.split_once("__thought__").unwrap_or_default();
    assert_eq!(sig, "CqwB");
    assert!(head.starts_with("call_") && head.len() == 33, "{head}");
    assert!(head[5..].chars().all(|c| c.is_ascii_hexdigit()));
    // thoughts are outside candidatesTokenCount here: litellm adds them to the completion
    assert_eq!(out["usage"]["completion_tokens"], 69);
    assert_eq!(
        out["usage"]["completion_tokens_details"],
        json!({"text_tokens": 22, "reasoning_tokens": 47})
    );
    assert_eq!(out["usage"]["prompt_tokens_details"]["text_tokens"], 104);
    assert_eq!(out["vertex_ai_safety_results"], json!([]));
}

#[test]
fn finish_reasons_and_flagged_answers() {
    let r = reply(
        r#"{"candidates":[{"content":{"parts":[{"text":"Here is"}],"role":"model"},"finishReason":"MAX_TOKENS"}],"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":10,"totalTokenCount":57,"thoughtsTokenCount":38}}"#,
    );
    let r = r.unwrap_or_default();
    assert_eq!(r["choices"][0]["finish_reason"], "length");
    assert_eq!(r["choices"][0]["message"]["content"], "Here is");
    assert_eq!(r["usage"]["completion_tokens"], 48);
    assert_eq!(
        r["id"],
        Value::Null,
        "no responseId: Python makes litellm's chatcmpl id"
    );
    for reason in ["SAFETY", "RECITATION"] {
        let raw = format!(
            r#"{{"candidates":[{{"content":{{"parts":[{{"text":"x"}}]}},"finishReason":"{reason}"}}],"usageMetadata":{{"promptTokenCount":3,"totalTokenCount":3}},"responseId":"r"}}"#
        );
        let r = reply(&raw).unwrap_or_default();
        assert_eq!(r["choices"][0]["finish_reason"], "content_filter");
        assert_eq!(r["choices"][0]["message"]["content"], Value::Null);
        assert_eq!(
            r["usage"],
            json!({"prompt_tokens": 3, "completion_tokens": 0, "total_tokens": 3})
        );
        assert_eq!(r["id"], Value::Null);
    }
}

#[test]
fn cached_tokens_and_service_tier() {
    let u = usage(
        &json!({"promptTokenCount": 100, "candidatesTokenCount": 5, "totalTokenCount": 105,
        "cachedContentTokenCount": 60, "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 100}]}),
    );
    assert_eq!(u["prompt_tokens_details"]["cached_tokens"], 60);
    assert_eq!(u["prompt_tokens_details"]["text_tokens"], 40);
    assert_eq!(u["cache_read_input_tokens"], 60);
    let headers = vec![("X-Gemini-Service-Tier".to_string(), "standard".to_string())];
    let raw = r#"{"candidates":[],"usageMetadata":{}}"#;
    let value: Value = serde_json::from_str(raw).unwrap_or(Value::Null);
    let r = completion(&value, raw.as_bytes(), &headers);
    assert_eq!(r.map(|r| r["service_tier"].clone()), Ok(json!("default")));
}

#[test]
fn a_reply_litellm_cannot_read_is_an_error() {
    let r = reply(r#"{"candidates":[{"content":{"parts":[{"text":"hi"}]}}]}"#);
    let err = r.err().unwrap_or(CoreError::InvalidRequest {
        detail: String::new(),
    });
    let c = classify(&err);
    assert_eq!(c.class, ErrorClass::BadRequestError);
    assert_eq!(c.status_code, 422);
    assert!(c
        .message
        .starts_with("GeminiException - Error converting to valid response block="));
    let raw = br#"{"embeddings":[{"values":[0.5,-1.0]}]}"#;
    let value: Value = serde_json::from_slice(raw).unwrap_or(Value::Null);
    let e = embeddings(&value, raw).ok().unwrap_or_default();
    assert_eq!(e["data"][0]["embedding"], json!([0.5, -1.0]));
    assert_eq!(e["usage"], Value::Null);
    let err = incoming(
        Route::Embeddings,
        Reply {
            status: 200,
            headers: &[],
            raw: b"[1]",
            value: json!([1]),
        },
    );
    assert!(err.is_err());
}

// -- streams ----------------------------------------------------------------------------------

#[test]
fn a_text_stream_with_crlf_events() {
    // mirascope__stream__google__streams-text-response: `\r\n\r\n`-delimited events
    let body = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"hello\"}],\"role\": \"model\"},\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 6,\"candidatesTokenCount\": 1,\"totalTokenCount\": 24,\"thoughtsTokenCount\": 17},\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"Yc53\"}\r\n\r\ndata: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \" world\"}],\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0}],\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"other\"}\r\n\r\n";
    let mut decoder = crate::sse::SseDecoder::new();
    let mut events = Vec::new();
    let fed = decoder.feed(body.as_bytes(), &mut events);
    assert!(fed.is_ok());
    assert_eq!(events.len(), 2);
    let mut chunks = Chunks::new();
    let mut out = Vec::new();
    for e in events {
        out.extend(feed(&mut chunks, &e.data).unwrap_or_default());
    }
    assert_eq!(out[0]["choices"][0]["delta"]["content"], "hello");
    assert_eq!(out[0]["choices"][0]["finish_reason"], Value::Null);
    assert_eq!(out[0]["usage"]["completion_tokens"], 18);
    assert_eq!(
        out[1]["id"], "Yc53",
        "the stream keeps its first responseId"
    );
    assert_eq!(out[1]["choices"][0]["finish_reason"], "stop");
    assert_eq!(out[1]["vertex_ai_safety_ratings"], json!([]));
}

#[test]
fn a_tool_call_stream_finishes_with_tool_calls() {
    let mut c = Chunks::new();
    let a = feed(
        &mut c,
        r#"{"candidates": [{"content": {"parts": [{"functionCall": {"name": "get_user_country","args": {},"id": "96c1su3s"},"thoughtSignature": "SIG"}],"role": "model"},"index": 0}],"modelVersion": "gemini-3-flash-preview","responseId": "g1"}"#,
    );
    let a = a.unwrap_or_default();
    let call = &a[0]["choices"][0]["delta"]["tool_calls"][0];
    assert_eq!(
        call["id"], "96c1su3s__thought__SIG",
        "Gemini's own call id is kept"
    );
    assert_eq!(call["index"], 0);
    assert_eq!(a[0]["choices"][0]["finish_reason"], Value::Null);
    let b = feed(
        &mut c,
        r#"{"candidates": [{"content": {"parts": [{"text": ""}],"role": "model"},"finishReason": "STOP","index": 0}],"responseId": "g1"}"#,
    );
    assert_eq!(
        b.unwrap_or_default()[0]["choices"][0]["finish_reason"],
        "tool_calls"
    );
}

#[test]
fn an_error_event_fails_the_stream() {
    let mut c = Chunks::new();
    let err = feed(
        &mut c,
        r#"{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}"#,
    );
    let err = err.err().unwrap_or(CoreError::InvalidRequest {
        detail: String::new(),
    });
    assert!(matches!(err, CoreError::StreamEvent { .. }));
    let cl = classify(&err);
    assert_eq!(cl.class, ErrorClass::InternalServerError);
    assert_eq!(
        cl.message,
        "litellm.InternalServerError: vertex_ai_betaException - UNAVAILABLE - The model is overloaded. Please try again later."
    );
    assert!(matches!(feed(&mut c, "[1]"), Err(CoreError::Decode { .. })));
}

#[test]
fn an_event_that_is_not_json_starts_litellms_accumulation() {
    let event = r#"{"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"}}]}"#;
    // A value split across two events is put back together.
    let mut c = Chunks::new();
    let (head, tail) = event.split_at(20);
    assert_eq!(feed(&mut c, head).ok().map(|v| v.len()), Some(0));
    let got = feed(&mut c, tail).unwrap_or_default();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["choices"][0]["delta"]["content"], "Hi");
    // A fragment that never completes swallows what follows it, and the stream ends quietly.
    let mut c = Chunks::new();
    assert_eq!(feed(&mut c, "{not json").ok().map(|v| v.len()), Some(0));
    assert_eq!(feed(&mut c, event).ok().map(|v| v.len()), Some(0));
    let mut out = Vec::new();
    assert!(c.end(&mut out).is_ok());
    assert!(out.is_empty());
}

// -- errors -----------------------------------------------------------------------------------

fn status(code: u16, body: &str) -> CoreError {
    CoreError::Status {
        status: code,
        body: body.to_owned(),
        headers: vec![],
    }
}

#[test]
fn errors_as_litellm_maps_them() {
    use ErrorClass::*;
    let cases: [(u16, &str, ErrorClass, u16, &str); 9] = [
        (
            400,
            r#"{"error":{"code":400,"message":"The input token count (1196265) exceeds the maximum number of tokens allowed (1048575).","status":"INVALID_ARGUMENT"}}"#,
            ContextWindowExceededError,
            400,
            "ContextWindowExceededError: GeminiException - ",
        ),
        (
            400,
            r#"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key."}}"#,
            AuthenticationError,
            401,
            "GeminiException - ",
        ),
        (
            401,
            r#"{"error":{"code":401}}"#,
            AuthenticationError,
            401,
            "GeminiException - ",
        ),
        (
            403,
            r#"{"error":{"code":403,"status":"PERMISSION_DENIED"}}"#,
            BadRequestError,
            403,
            "GeminiException BadRequestError - ",
        ),
        (
            429,
            r#"{"error":{"code":429}}"#,
            RateLimitError,
            429,
            "litellm.RateLimitError: GeminiException - ",
        ),
        (
            500,
            "",
            InternalServerError,
            500,
            "GeminiException InternalServerError - ",
        ),
        (
            503,
            r#"{"error":{"code":503,"message":"The model is overloaded. Please try again later."}}"#,
            InternalServerError,
            500,
            "litellm.InternalServerError: geminiException - ",
        ),
        (502, "<html>", APIConnectionError, 500, "GeminiException - "),
        (
            529,
            r#"{"error":{"code":529}}"#,
            APIError,
            529,
            "GeminiException - ",
        ),
    ];
    for (code, body, class, shown, prefix) in cases {
        let c = classify(&status(code, body));
        assert_eq!((c.class, c.status_code), (class, shown), "{code} {body}");
        assert_eq!(c.message, format!("{prefix}{body}"));
    }
}

#[test]
fn a_refused_stream_quotes_the_body_as_bytes() {
    let body = "{\n  \"error\": {\n    \"message\": \"API key not valid. Please pass a valid API key.\"\n  }\n}\n";
    let c = stream_status(400, body);
    assert_eq!(c.class, ErrorClass::AuthenticationError);
    assert_eq!(c.status_code, 401);
    assert!(
        c.message
            .starts_with("Vertex_ai_betaException - b'{\\n  \"error\""),
        "{}",
        c.message
    );
    assert_eq!(bytes_repr("it's é".as_bytes()), "b\"it's \\xc3\\xa9\"");
}
