//! The Anthropic wire against recorded provider bytes (`fixtures/`, taken from
//! `cassettes/anthropic/`): request translation, whole replies, the stream state machine and the
//! error mapping, each checked against what litellm 1.110.2 produced for the same bytes.

use serde_json::{json, Value};

use super::errors::{classify, map_reply};
use super::request::translate;
use super::response::incoming;
use super::stream::Chunks;
use crate::classify::ErrorClass;
use crate::error::CoreError;
use crate::sse::{SseDecoder, SseEvent};
use crate::wire::{ChunkTranslator, Reply};

fn events(bytes: &[u8]) -> Vec<SseEvent> {
    let mut d = SseDecoder::new();
    let mut out = Vec::new();
    assert!(d.feed(bytes, &mut out).is_ok());
    assert!(d.finish(&mut out).is_ok());
    out
}

/// Every chunk of a recorded stream, and how it ended (`Ok(true)`: message_stop).
fn run_stream(bytes: &[u8]) -> (Vec<Value>, Result<bool, CoreError>) {
    let mut t = Chunks::new();
    let mut out = Vec::new();
    for e in events(bytes) {
        match t.event(e, &mut out) {
            Ok(false) => {}
            other => return (out, other),
        }
    }
    (out, Ok(false))
}

fn delta(chunk: &Value) -> &Value {
    &chunk["choices"][0]["delta"]
}

fn reply(value: Value) -> Result<Value, CoreError> {
    let raw = serde_json::to_vec(&value).unwrap_or_default();
    incoming(Reply {
        status: 200,
        headers: &[],
        raw: &raw,
        value,
    })
}

#[test]
fn request_translates_messages_tools_and_choices() {
    let body = json!({
        "model": "claude-sonnet-4-5",
        "messages": [
            {"role": "system", "content": "S1"},
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": "hello", "tool_calls": [
                {"id": "t1", "type": "function", "function": {"name": "f", "arguments": "{\"a\": 1}"}}
            ]},
            {"role": "tool", "tool_call_id": "t1", "content": "res"},
            {"role": "user", "content": [
                {"type": "text", "text": "look"},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
                {"type": "image_url", "image_url": {"url": "https://x/y.jpg"}}
            ]}
        ],
        "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}],
        "parallel_tool_calls": false,
        "user": "u1",
        "stop": "x",
        "max_tokens": 10,
        "stream": false,
        "top_k": 5
    });
    let out = translate(body).unwrap_or(Value::Null);
    // As litellm 1.110.2 sent it (return_raw_request).
    assert_eq!(out["system"], json!([{"type": "text", "text": "S1"}]));
    assert_eq!(
        out["messages"],
        json!([
            {"role": "user", "content": [{"type": "text", "text": "hi"}]},
            {"role": "assistant", "content": [
                {"type": "text", "text": "hello"},
                {"type": "tool_use", "id": "t1", "name": "f", "input": {"a": 1}}
            ]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "t1", "content": "res"},
                {"type": "text", "text": "look"},
                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "AAAA"}},
                {"type": "image", "source": {"type": "url", "url": "https://x/y.jpg"}}
            ]}
        ])
    );
    assert_eq!(
        out["tools"],
        json!([{"name": "f", "input_schema": {"type": "object", "properties": {}}, "type": "custom"}])
    );
    assert_eq!(
        out["tool_choice"],
        json!({"type": "auto", "disable_parallel_tool_use": true})
    );
    assert_eq!(out["metadata"], json!({"user_id": "u1"}));
    assert_eq!(out["stop_sequences"], json!(["x"]));
    assert_eq!(out["max_tokens"], json!(10));
    assert_eq!(out["top_k"], json!(5));
    assert!(out.get("stream").is_none() && out.get("user").is_none());
}

#[test]
fn request_tool_choices_and_hosted_tools() {
    for (choice, want) in [
        (json!("auto"), json!({"type": "auto"})),
        (json!("required"), json!({"type": "any"})),
        (json!("none"), json!({"type": "none"})),
        (
            json!({"type": "function", "function": {"name": "g"}}),
            json!({"type": "tool", "name": "g"}),
        ),
    ] {
        let out = translate(json!({"messages": [], "tool_choice": choice})).unwrap_or(Value::Null);
        assert_eq!(out["tool_choice"], want);
    }
    let tools = json!([
        {"max_tokens": 1024, "model": "claude-opus-4-8", "name": "advisor", "type": "advisor_20260301"},
        {"name": "code_execution", "type": "code_execution_20260120"}
    ]);
    let out = translate(json!({"messages": [], "tools": tools})).unwrap_or(Value::Null);
    assert_eq!(
        out["tools"],
        json!([
            {"type": "advisor_20260301", "name": "advisor", "model": "claude-opus-4-8"},
            {"type": "code_execution_20260120", "name": "code_execution"}
        ])
    );
}

#[test]
fn request_rejects_what_anthropic_cannot_take() {
    let bad_args = json!({"messages": [{"role": "assistant", "tool_calls": [
        {"id": "t", "type": "function", "function": {"name": "f", "arguments": "{not json"}}
    ]}]});
    assert!(matches!(
        translate(bad_args),
        Err(CoreError::InvalidRequest { .. })
    ));
    assert!(translate(json!([1])).is_err());
    assert!(translate(json!({"messages": [{"role": "wizard", "content": "x"}]})).is_err());
}

#[test]
fn whole_reply_with_parallel_tool_calls() {
    let value: Value =
        serde_json::from_str(include_str!("fixtures/parallel_tools.json")).unwrap_or(Value::Null);
    let out = reply(value).unwrap_or(Value::Null);
    let choice = &out["choices"][0];
    assert_eq!(choice["finish_reason"], "tool_calls");
    let calls = choice["message"]["tool_calls"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(calls.len(), 4);
    // Python's json.dumps spacing, and the content-block index, as litellm keeps them.
    assert_eq!(calls[0]["function"]["arguments"], "{\"name\": \"Alice\"}");
    assert_eq!(calls[0]["index"], 1);
    assert_eq!(calls[3]["id"], "toolu_013mnQZbgtK2oe3Mo3XKJsx3");
    assert_eq!(
        choice["message"]["provider_specific_fields"],
        json!({"citations": null, "thinking_blocks": null})
    );
    assert_eq!(out["usage"]["input_tokens"], 423);
}

#[test]
fn whole_reply_with_thinking() {
    let value: Value =
        serde_json::from_str(include_str!("fixtures/thinking.json")).unwrap_or(Value::Null);
    let out = reply(value).unwrap_or(Value::Null);
    let msg = &out["choices"][0]["message"];
    let blocks = msg["thinking_blocks"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(blocks.len(), 1);
    assert!(msg["reasoning_content"]
        .as_str()
        .is_some_and(|r| r.starts_with("Let me count")));
    assert_eq!(
        msg["provider_specific_fields"]["thinking_blocks"],
        msg["thinking_blocks"]
    );
    assert_eq!(out["choices"][0]["finish_reason"], "stop");
}

#[test]
fn whole_reply_that_is_no_answer() {
    assert!(matches!(
        reply(json!({"type": "error", "error": {"type": "api_error", "message": "x"}})),
        Err(CoreError::Status { status: 200, .. })
    ));
    assert!(matches!(reply(json!([1])), Err(CoreError::Decode { .. })));
    assert!(matches!(
        reply(json!({"id": "m"})),
        Err(CoreError::Decode { .. })
    ));
}

#[test]
fn stream_with_a_tool_call() {
    let (chunks, end) = run_stream(include_bytes!("fixtures/tools_stream.sse"));
    assert_eq!(end, Ok(true));
    let calls: Vec<&Value> = chunks
        .iter()
        .filter_map(|c| delta(c).get("tool_calls"))
        .collect();
    assert!(!calls.is_empty());
    assert_eq!(
        calls[0][0]["function"]["name"],
        "customAdditionImplementation"
    );
    assert_eq!(calls[0][0]["function"]["arguments"], "");
    let args: String = calls
        .iter()
        .filter_map(|c| c[0]["function"]["arguments"].as_str())
        .collect();
    assert!(serde_json::from_str::<Value>(&args).is_ok(), "{args}");
    let last = chunks.last().cloned().unwrap_or(Value::Null);
    assert_eq!(last["choices"][0]["finish_reason"], "tool_calls");
    assert_eq!(last["native_finish_reason"], "tool_use");
    assert!(last["usage"]["output_tokens"].is_number());
}

#[test]
fn stream_with_thinking_and_signature() {
    let (chunks, end) = run_stream(include_bytes!("fixtures/thinking_stream.sse"));
    assert_eq!(end, Ok(true));
    let first = chunks
        .iter()
        .find(|c| delta(c).get("reasoning_content").is_some())
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(delta(&first)["reasoning_content"], "This");
    assert_eq!(
        delta(&first)["thinking_blocks"],
        json!([{"type": "thinking", "thinking": "This", "index": 0}])
    );
    let signed = chunks
        .iter()
        .find(|c| delta(c)["thinking_blocks"][0].get("signature").is_some())
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(delta(&signed)["reasoning_content"], "");
    assert_eq!(delta(&signed)["thinking_blocks"][0]["thinking"], "");
    // message_start's usage is merged with message_delta's (which leaves input_tokens out).
    let last = chunks.last().cloned().unwrap_or(Value::Null);
    assert_eq!(last["usage"]["input_tokens"], 43);
    assert_eq!(last["choices"][0]["finish_reason"], "stop");
}

#[test]
fn stream_with_redacted_thinking() {
    let (chunks, _) = run_stream(include_bytes!("fixtures/redacted_stream.sse"));
    let redacted = chunks
        .iter()
        .find(|c| delta(c)["thinking_blocks"][0]["type"] == "redacted_thinking")
        .cloned()
        .unwrap_or(Value::Null);
    assert!(delta(&redacted)["thinking_blocks"][0]["data"].is_string());
    assert_eq!(delta(&redacted)["thinking_blocks"][0]["index"], 0);
}

#[test]
fn stream_with_server_code_execution() {
    let (chunks, end) = run_stream(include_bytes!("fixtures/code_execution_stream.sse"));
    assert_eq!(end, Ok(true));
    let psf: Vec<&Value> = chunks
        .iter()
        .filter_map(|c| delta(c).get("provider_specific_fields"))
        .collect();
    let server = psf
        .iter()
        .find(|p| p.get("server_tool_calls").is_some())
        .copied()
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(
        server["server_tool_calls"][0]["function"]["name"],
        "bash_code_execution"
    );
    let code = psf
        .iter()
        .filter_map(|p| p.get("code_interpreter_results"))
        .next_back()
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(code[0]["outputs"][0]["logs"], "-428330955.97745\n");
    assert!(code[0]["container_id"].is_string());
}

#[test]
fn stream_error_event_is_an_overload() {
    let (chunks, end) = run_stream(include_bytes!("fixtures/error_midstream.sse"));
    let texts: String = chunks
        .iter()
        .filter_map(|c| delta(c).get("content").and_then(Value::as_str))
        .collect();
    assert_eq!(texts, "Hello");
    assert!(end.is_err(), "the error event must fail the stream");
    let c = end.err().and_then(|err| classify(&err));
    assert_eq!(
        c.as_ref().map(|c| c.class),
        Some(ErrorClass::InternalServerError)
    );
    assert_eq!(
        c.as_ref().map(|c| c.message.as_str()),
        Some("AnthropicError - Overloaded")
    );
    assert_eq!(c.and_then(|c| c.provider_status_code), Some(529));
}

#[test]
fn stream_survives_every_split_point() {
    let body: &[u8] = include_bytes!("fixtures/tools_stream.sse");
    let (whole, _) = run_stream(body);
    for piece in [1usize, 7, 64] {
        let mut d = SseDecoder::new();
        let mut t = Chunks::new();
        let mut out = Vec::new();
        for part in body.chunks(piece) {
            let mut evs = Vec::new();
            assert!(d.feed(part, &mut evs).is_ok());
            for e in evs {
                let _ = t.event(e, &mut out);
            }
        }
        assert_eq!(out, whole);
    }
}

#[test]
fn error_replies_as_litellm_maps_them() {
    let cases = [
        (
            401,
            "{\"error\":{\"message\":\"invalid x-api-key\"}}",
            ErrorClass::AuthenticationError,
            401,
        ),
        (
            400,
            "prompt is too long: 208310 tokens > 200000 maximum",
            ErrorClass::ContextWindowExceededError,
            400,
        ),
        (403, "{}", ErrorClass::PermissionDeniedError, 403),
        (404, "{}", ErrorClass::NotFoundError, 404),
        (413, "{}", ErrorClass::BadRequestError, 400),
        (429, "{}", ErrorClass::RateLimitError, 429),
        (500, "", ErrorClass::InternalServerError, 500),
        (502, "<html>", ErrorClass::BadGatewayError, 502),
        (503, "down", ErrorClass::ServiceUnavailableError, 503),
        (
            529,
            "{\"error\":{\"type\":\"overloaded_error\"}}",
            ErrorClass::InternalServerError,
            500,
        ),
        (418, "teapot", ErrorClass::BadRequestError, 418),
        (402, "pay", ErrorClass::PaymentRequiredError, 402),
        (501, "x", ErrorClass::APIError, 501),
        (200, "x", ErrorClass::APIConnectionError, 500),
    ];
    for (status, body, class, code) in cases {
        let c = map_reply(status, body);
        assert_eq!((c.class, c.status_code), (class, code), "{status} {body}");
    }
    assert_eq!(
        map_reply(500, "").message,
        "AnthropicException - . Handle with `litellm.InternalServerError`."
    );
    assert_eq!(
        map_reply(529, "Overloaded").message,
        "AnthropicError - Overloaded"
    );
    assert_eq!(
        map_reply(502, "x").message,
        "AnthropicException BadGatewayError - x"
    );
}

#[test]
fn request_fills_empty_turns_as_litellm_does() {
    let body = json!({"messages": [
        {"role": "user", "content": " "},
        {"role": "assistant", "content": ""},
        {"role": "user", "content": "x"},
        {"role": "assistant", "content": "", "tool_calls": [
            {"id": "t", "type": "function", "function": {"name": "f", "arguments": ""}}
        ]}
    ], "stop": [""]});
    let out = translate(body).unwrap_or(Value::Null);
    let placeholder = json!([{"type": "text", "text": super::request::EMPTY_TEXT_PLACEHOLDER}]);
    assert_eq!(out["messages"][0]["content"], placeholder);
    assert_eq!(out["messages"][1]["content"], placeholder);
    // A turn that carries a tool call loses its empty text instead.
    assert_eq!(
        out["messages"][3]["content"],
        json!([{"type": "tool_use", "id": "t", "name": "f", "input": {}}])
    );
    assert_eq!(out["stop_sequences"], json!([""]));
}

#[test]
fn whole_reply_with_a_hosted_web_search() {
    let body = json!({
        "id": "m", "type": "message", "role": "assistant", "model": "x", "stop_reason": "end_turn",
        "usage": {"input_tokens": 1, "output_tokens": 1},
        "content": [
            {"type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search", "input": {"query": "q"}},
            {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_1",
             "content": [{"type": "web_search_result", "url": "https://a.b"}]},
            {"type": "text", "text": "x"}
        ]
    });
    let out = reply(body).unwrap_or(Value::Null);
    let psf = &out["choices"][0]["message"]["provider_specific_fields"];
    assert_eq!(
        psf["web_search_calls"],
        json!([{
            "id": "ws_srvtoolu_1",
            "action": {"type": "search", "queries": ["q"], "query": "q",
                       "sources": [{"type": "url", "url": "https://a.b"}]},
            "status": "completed",
            "type": "web_search_call"
        }])
    );
    // A server tool call is no client tool call.
    assert!(out["choices"][0]["message"]["tool_calls"].is_null());
    assert_eq!(
        psf["server_tool_calls"][0]["function"]["name"],
        "web_search"
    );
}
