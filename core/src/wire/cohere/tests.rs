//! Cohere wire tests: recorded Cohere bytes in (from `cassettes/cohere/`, copied to `testdata/`),
//! OpenAI-shaped JSON out; litellm's error mapping as measured against litellm 1.110.2.

use serde_json::{json, Value};

use super::request::is_base64_data_url;
use super::*;
use crate::classify::ErrorClass;
use crate::error::CoreError;
use crate::provider::Provider;
use crate::sse::{SseDecoder, SseEvent};
use crate::wire::{ChunkTranslator, Reply};

const TOOL_STREAM: &str = include_str!("testdata/tool_stream.sse");
const CITATIONS: &str = include_str!("testdata/citations.json");
const EMBED: &str = include_str!("testdata/embed.json");

fn target(base: Option<&str>, key: Option<&str>) -> Target {
    Target {
        api_base: base.map(str::to_owned),
        api_key: key.map(str::to_owned),
        model: "command-r".into(),
        ..Target::default()
    }
}

fn reply_of(raw: &str) -> Result<Value, CoreError> {
    let value: Value = serde_json::from_str(raw).unwrap_or(Value::Null);
    incoming(
        Route::ChatCompletions,
        Reply {
            status: 200,
            headers: &[],
            raw: raw.as_bytes(),
            value,
        },
    )
}

fn embed_of(raw: &str) -> Result<Value, CoreError> {
    let value: Value = serde_json::from_str(raw).unwrap_or(Value::Null);
    incoming(
        Route::Embeddings,
        Reply {
            status: 200,
            headers: &[],
            raw: raw.as_bytes(),
            value,
        },
    )
}

/// Every chunk the translator yields for a recorded SSE body, and whether it ended on its own.
fn stream_of(sse: &str) -> (Vec<Value>, bool) {
    let mut events = Vec::new();
    let mut decoder = SseDecoder::new();
    let fed = decoder
        .feed(sse.as_bytes(), &mut events)
        .and_then(|()| decoder.finish(&mut events));
    assert!(fed.is_ok());
    let mut chunks = Chunks::new();
    let mut out = Vec::new();
    for event in events {
        match chunks.event(event, &mut out) {
            Ok(true) => return (out, true),
            Ok(false) => {}
            Err(e) => {
                out.push(json!({"error": e.to_string()}));
                return (out, false);
            }
        }
    }
    (out, false)
}

// --- endpoint and request ------------------------------------------------------------------------

#[test]
fn api_base_is_the_full_url_and_defaults_follow_litellm() {
    let t = target(Some("http://h/v2/chat"), Some("k"));
    let out = outgoing(
        &t,
        Route::ChatCompletions,
        json!({"model": "m", "messages": []}),
    );
    let e = out.map(|o| o.endpoint).ok();
    assert_eq!(e.as_ref().map(|e| e.url.as_str()), Some("http://h/v2/chat"));
    let headers = e.map(|e| e.headers).unwrap_or_default();
    assert_eq!(
        headers,
        vec![
            ("authorization".to_owned(), "Bearer k".to_owned()),
            (
                "request-source".to_owned(),
                "unspecified:litellm".to_owned()
            ),
            ("accept".to_owned(), "application/json".to_owned()),
        ]
    );
    let none = target(None, None);
    let chat = outgoing(&none, Route::ChatCompletions, json!({"model": "m"}));
    assert_eq!(
        chat.map(|o| o.endpoint.url).ok().as_deref(),
        Some("https://api.cohere.com/v2/chat")
    );
    let embed = outgoing(
        &none,
        Route::Embeddings,
        json!({"model": "m", "input": ["a"]}),
    );
    let embed = embed.map(|o| o.endpoint).ok();
    assert_eq!(
        embed.as_ref().map(|e| e.url.as_str()),
        Some("https://api.cohere.ai/v2/embed")
    );
    // No key, no auth; the embed route sends no request-source.
    assert_eq!(embed.map(|e| e.headers), Some(vec![]));
}

#[test]
fn rerank_url_headers_and_body() {
    let url = |base: Option<&str>| {
        outgoing(
            &target(base, Some("k")),
            Route::Rerank,
            json!({"model": "r", "query": "q", "documents": ["a"]}),
        )
        .map(|o| o.endpoint.url)
        .unwrap_or_default()
    };
    assert_eq!(url(None), "https://api.cohere.com/v2/rerank");
    assert_eq!(url(Some("http://h")), "http://h/v2/rerank");
    assert_eq!(url(Some("http://h/")), "http://h/v2/rerank");
    assert_eq!(url(Some("http://h/v2/rerank")), "http://h/v2/rerank");
    let out = outgoing(
        &target(None, Some("k")),
        Route::Rerank,
        json!({"model": "r", "query": "q", "documents": ["a"], "top_n": null, "return_documents": true}),
    );
    let out = out.ok();
    assert_eq!(
        out.as_ref().map(|o| o.body.clone()),
        Some(json!({"model": "r", "query": "q", "documents": ["a"], "return_documents": true}))
    );
    assert_eq!(
        out.map(|o| o.endpoint.headers),
        Some(vec![
            ("authorization".to_owned(), "Bearer k".to_owned()),
            ("accept".to_owned(), "application/json".to_owned()),
        ])
    );
    assert!(matches!(
        request::rerank(json!({"model": "r", "query": "q"})),
        Err(CoreError::InvalidRequest { .. })
    ));
    let reply = |raw: &str| {
        let value: Value = serde_json::from_str(raw).unwrap_or(Value::Null);
        incoming(
            Route::Rerank,
            Reply {
                status: 200,
                headers: &[],
                raw: raw.as_bytes(),
                value,
            },
        )
    };
    let body = r#"{"id":"x","results":[{"index":3,"relevance_score":0.99}],"meta":{"billed_units":{"search_units":1}}}"#;
    assert_eq!(reply(body).ok(), serde_json::from_str(body).ok());
    assert!(matches!(reply("[1]"), Err(CoreError::Decode { .. })));
}

#[test]
fn chat_params_get_cohere_names() {
    let body = json!({
        "model": "command-r", "messages": [{"role": "user", "content": "hi"}],
        "temperature": 0.2, "top_p": 0.5, "stop": "x", "n": 1, "seed": 3, "max_tokens": 5,
        "max_completion_tokens": 7, "k": 4, "stream": false,
    });
    let out = request::chat(body).unwrap_or_default();
    assert_eq!(
        out,
        json!({
            "model": "command-r", "messages": [{"role": "user", "content": "hi"}],
            "temperature": 0.2, "p": 0.5, "stop_sequences": ["x"], "num_generations": 1, "seed": 3,
            "max_tokens": 7, "k": 4, "stream": false,
        })
    );
    let out = request::chat(json!({"model": "m", "stop": ["a", "b"], "max_tokens": 9}));
    assert_eq!(
        out.ok(),
        Some(json!({"model": "m", "stop_sequences": ["a", "b"], "max_tokens": 9}))
    );
    assert!(matches!(
        request::chat(json!([1])),
        Err(CoreError::InvalidRequest { .. })
    ));
}

#[test]
fn embed_body_texts_images_and_params() {
    let out = request::embed(json!({"model": "e", "input": "a"})).ok();
    assert_eq!(
        out,
        Some(json!({"model": "e", "texts": ["a"], "input_type": "search_document"}))
    );
    let out = request::embed(json!({
        "model": "e", "input": ["a", "b"], "input_type": "search_query", "dimensions": 256,
        "encoding_format": "float", "truncate": "END",
    }))
    .ok();
    assert_eq!(
        out,
        Some(json!({
            "model": "e", "texts": ["a", "b"], "input_type": "search_query", "output_dimension": 256,
            "embedding_types": ["float"], "truncate": "END",
        }))
    );
    let out =
        request::embed(json!({"model": "e", "input": ["a"], "encoding_format": ["float", "int8"]}));
    assert_eq!(
        out.ok().and_then(|b| b.get("embedding_types").cloned()),
        Some(json!(["float", "int8"]))
    );
    let image = "data:image/png;base64,iVBORw0KGgo=";
    let out = request::embed(json!({"model": "e", "input": [image]})).ok();
    assert_eq!(
        out,
        Some(json!({"model": "e", "images": [image], "input_type": "image"}))
    );
    assert!(matches!(
        request::embed(json!({"model": "e", "input": [[1, 2]]})),
        Err(CoreError::InvalidRequest { .. })
    ));
    assert!(matches!(
        request::embed(json!({"model": "e", "input": []})),
        Err(CoreError::InvalidRequest { detail }) if detail == "list index out of range"
    ));
}

#[test]
fn base64_is_judged_like_litellm() {
    assert!(is_base64_data_url("data:image/png;base64,iVBORw0KGgo="));
    assert!(is_base64_data_url("data:,"));
    assert!(is_base64_data_url("data:x,QUJD"));
    assert!(!is_base64_data_url("QUJD"));
    assert!(!is_base64_data_url("data:x"));
    assert!(!is_base64_data_url("data:x,QUJ"));
    assert!(!is_base64_data_url("data:x,QU=D"));
    assert!(!is_base64_data_url("data:x,QR=="));
    assert!(!is_base64_data_url("data:x,Q==="));
    assert!(is_base64_data_url("data:x,QQ=="));
}

// --- whole replies --------------------------------------------------------------------------------

#[test]
fn recorded_text_reply_with_tool_citations() {
    let out = reply_of(CITATIONS).unwrap_or_default();
    assert_eq!(
        out.pointer("/choices/0/message/content"),
        Some(&json!("The current time in Tokyo is 4:20 PM and the weather is sunny with a temperature of 20°C."))
    );
    // Tool sources have no URL: litellm makes no annotation of them.
    assert_eq!(out.pointer("/choices/0/message/annotations"), None);
    assert_eq!(
        out.pointer("/choices/0/finish_reason"),
        Some(&json!("stop"))
    );
    assert_eq!(
        out.get("usage"),
        Some(&json!({"prompt_tokens": 1094, "completion_tokens": 102, "total_tokens": 1196}))
    );
}

#[test]
fn tool_calls_replace_the_text_and_document_citations_become_annotations() {
    let body = json!({
        "id": "x", "finish_reason": "TOOL_CALL",
        "message": {
            "role": "assistant", "content": [{"type": "text", "text": "ignored"}],
            "tool_calls": [{"id": "get_weather_1", "type": "function",
                            "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}],
            "citations": [{"start": 0, "end": 3, "sources": [
                {"type": "document", "id": "doc1", "document": {"title": "T"}},
                {"type": "document", "id": "doc2", "url": "https://x", "document": {}},
                {"type": "tool", "id": "t"}]}],
        },
        "usage": {"tokens": {"input_tokens": 3, "output_tokens": 4}},
    });
    let out = reply_of(&body.to_string()).unwrap_or_default();
    let message = out
        .pointer("/choices/0/message")
        .cloned()
        .unwrap_or_default();
    assert_eq!(message.get("content"), Some(&Value::Null));
    assert_eq!(
        message.get("tool_calls"),
        Some(
            &json!([{"id": "get_weather_1", "type": "function", "index": 0,
                      "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}])
        )
    );
    assert_eq!(
        message.get("annotations"),
        Some(&json!([
            {"type": "url_citation", "url_citation": {"start_index": 0, "end_index": 3, "title": "T", "url": "source:doc1"}},
            {"type": "url_citation", "url_citation": {"start_index": 0, "end_index": 3, "title": "", "url": "https://x"}},
        ]))
    );
    assert_eq!(
        out.pointer("/choices/0/finish_reason"),
        Some(&json!("tool_calls"))
    );
}

#[test]
fn finish_reasons_map_like_litellm() {
    for (native, mapped) in [
        ("COMPLETE", "stop"),
        ("STOP_SEQUENCE", "stop"),
        ("MAX_TOKENS", "length"),
        ("TOOL_CALL", "tool_calls"),
        ("ERROR", "stop"),
        ("ERROR_TOXIC", "content_filter"),
        ("TIMEOUT", "stop"),
    ] {
        assert_eq!(super::response::finish_reason(native), mapped);
    }
    let out = reply_of(r#"{"message": {"content": []}, "usage": {}}"#).unwrap_or_default();
    assert_eq!(
        out.pointer("/choices/0/finish_reason"),
        Some(&json!("stop"))
    );
    assert_eq!(out.pointer("/choices/0/message/content"), Some(&json!("")));
    assert_eq!(out.pointer("/usage/total_tokens"), Some(&json!(0)));
}

#[test]
fn unreadable_chat_replies_fail_as_litellm_fails() {
    // JSON but no object: litellm raises CohereError(422, text).
    assert!(matches!(
        reply_of("[1, 2]"),
        Err(CoreError::Status { status: 422, .. })
    ));
    let detail = |raw: &str| match reply_of(raw) {
        Err(CoreError::Decode { detail, .. }) => detail,
        other => format!("{other:?}"),
    };
    assert_eq!(detail(r#"{"id": "x", "usage": {}}"#), "'message'");
    assert_eq!(detail(r#"{"message": {}}"#), "'usage'");
    assert_eq!(
        detail(r#"{"id": "x", "message": "weird", "usage": {}}"#),
        "'str' object has no attribute 'get'"
    );
    assert_eq!(
        detail(r#"{"message": {}, "usage": null}"#),
        "'NoneType' object has no attribute 'get'"
    );
}

#[test]
fn recorded_embeddings_and_their_billed_usage() {
    let out = embed_of(EMBED).unwrap_or_default();
    let data = out
        .get("data")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    assert_eq!(data.len(), 6);
    assert_eq!(data.get(5).and_then(|d| d.get("index")), Some(&json!(5)));
    assert_eq!(
        data.first().and_then(|d| d.get("object")),
        Some(&json!("embedding"))
    );
    assert_eq!(
        out.get("usage"),
        Some(
            &json!({"prompt_tokens": 208, "completion_tokens": 0, "total_tokens": 208,
                     "prompt_tokens_details": {"text_tokens": 208, "image_tokens": null, "image_count": null}})
        )
    );
}

#[test]
fn embeddings_by_type_list_and_unbilled() {
    let out = embed_of(r#"{"embeddings": {"float": [[0.1]], "int8": [[1]]}, "meta": {"billed_units": {"input_tokens": 2, "images": 1, "image_tokens": 3}}}"#)
        .unwrap_or_default();
    assert_eq!(
        out.get("data"),
        Some(&json!([
            {"object": "embedding", "index": 0, "embedding": [0.1]},
            {"object": "embedding", "index": 0, "embedding": [1]},
        ]))
    );
    assert_eq!(out.pointer("/usage/prompt_tokens"), Some(&json!(6)));
    assert_eq!(
        out.pointer("/usage/prompt_tokens_details/image_tokens"),
        Some(&json!(4))
    );
    let out = embed_of(r#"{"embeddings": [[0.1, 0.2]]}"#).unwrap_or_default();
    assert_eq!(out.get("usage"), Some(&Value::Null));
    assert_eq!(out.pointer("/data/0/embedding"), Some(&json!([0.1, 0.2])));
    assert!(matches!(
        embed_of(r#"{"id": "x"}"#),
        Err(CoreError::Decode { .. })
    ));
    assert!(matches!(embed_of("[1]"), Err(CoreError::Decode { .. })));
}

// --- streams --------------------------------------------------------------------------------------

#[test]
fn recorded_tool_stream_yields_tool_deltas_finish_and_usage() {
    let (chunks, ended) = stream_of(TOOL_STREAM);
    assert!(ended, "message-end ends the stream");
    // 2 starts + 16 argument deltas, then the finish and the usage chunk.
    assert_eq!(chunks.len(), 20);
    assert_eq!(
        chunks.first(),
        Some(
            &json!({"choices": [{"index": 0, "finish_reason": null, "delta": {"content": "", "tool_calls": [
            {"id": "get_time_dg5wwc00d8v5", "type": "function", "index": 0,
             "function": {"name": "get_time", "arguments": ""}}]}}]})
        )
    );
    let args: String = chunks
        .iter()
        .filter(|c| c.pointer("/choices/0/delta/tool_calls/0/index") == Some(&json!(1)))
        .filter_map(|c| c.pointer("/choices/0/delta/tool_calls/0/function/arguments"))
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(args, "{\n    \"location\": \"Tokyo\"\n}");
    assert_eq!(
        chunks.get(18),
        Some(&json!({"choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]}))
    );
    assert_eq!(
        chunks.get(19),
        Some(
            &json!({"choices": [], "usage": {"prompt_tokens": 968, "completion_tokens": 83, "total_tokens": 1051}})
        )
    );
}

fn ev(name: &str, data: Value) -> SseEvent {
    SseEvent {
        event: Some(name.to_owned()),
        data: data.to_string(),
    }
}

#[test]
fn every_event_kind() {
    let mut c = Chunks::new();
    let mut out = Vec::new();
    let events = [
        ev(
            "message-start",
            json!({"id": "x", "type": "message-start", "delta": {"message": {"role": "assistant"}}}),
        ),
        ev(
            "content-start",
            json!({"type": "content-start", "index": 0, "delta": {"message": {"content": {"type": "text", "text": ""}}}}),
        ),
        ev(
            "content-delta",
            json!({"type": "content-delta", "index": 0, "delta": {"message": {"content": {"text": "Hi"}}}}),
        ),
        ev("content-end", json!({"type": "content-end", "index": 0})),
        ev(
            "tool-plan-delta",
            json!({"type": "tool-plan-delta", "delta": {"message": {"tool_plan": "I will"}}}),
        ),
        ev(
            "citation-start",
            json!({"type": "citation-start", "index": 0, "delta": {"message": {"citations": {"start": 0}}}}),
        ),
        ev("citation-end", json!({"type": "citation-end", "index": 0})),
        ev(
            "tool-call-start",
            json!({"type": "tool-call-start", "index": 2, "delta": {"message": {"tool_calls": {"id": "t", "type": "function", "function": {"name": "f", "arguments": ""}}}}}),
        ),
        ev(
            "tool-call-end",
            json!({"type": "tool-call-end", "index": 2}),
        ),
    ];
    for e in events {
        assert_eq!(c.event(e, &mut out), Ok(false));
    }
    assert_eq!(out.len(), 3);
    assert_eq!(
        out.first()
            .and_then(|c| c.pointer("/choices/0/delta/content")),
        Some(&json!("Hi"))
    );
    // A call that streamed no arguments is closed with `{}`, as litellm closes it.
    assert_eq!(
        out.get(2)
            .and_then(|c| c.pointer("/choices/0/delta/tool_calls/0")),
        Some(
            &json!({"id": null, "type": "function", "index": 2, "function": {"name": null, "arguments": "{}"}})
        )
    );
    let end = ev(
        "message-end",
        json!({"type": "message-end", "delta": {"finish_reason": "MAX_TOKENS"}}),
    );
    assert_eq!(c.event(end, &mut out), Ok(true));
    assert_eq!(out.len(), 4, "no usage chunk without usage");
    assert_eq!(
        out.get(3)
            .and_then(|c| c.pointer("/choices/0/finish_reason")),
        Some(&json!("length"))
    );
    let done = SseEvent {
        event: None,
        data: "[DONE]".into(),
    };
    assert_eq!(c.event(done, &mut out), Ok(true));
}

#[test]
fn bad_stream_events_are_failures_not_panics() {
    let mut c = Chunks::new();
    let mut out = Vec::new();
    let bad = SseEvent {
        event: Some("content-delta".into()),
        data: "{nope".into(),
    };
    assert!(matches!(
        c.event(bad, &mut out),
        Err(CoreError::Decode { .. })
    ));
    let array = SseEvent {
        event: None,
        data: "[1]".into(),
    };
    assert!(matches!(
        c.event(array, &mut out),
        Err(CoreError::Decode { .. })
    ));
    // Odd shapes inside an object yield empty deltas, never a panic.
    let odd = ev(
        "content-delta",
        json!({"type": "content-delta", "delta": 5}),
    );
    assert_eq!(c.event(odd, &mut out), Ok(false));
    let odd = ev(
        "tool-call-delta",
        json!({"type": "tool-call-delta", "index": "x", "delta": {"message": {"tool_calls": []}}}),
    );
    assert_eq!(c.event(odd, &mut out), Ok(false));
    let blank = SseEvent {
        event: None,
        data: "  ".into(),
    };
    assert_eq!(c.event(blank, &mut out), Ok(false));
}

// --- errors ---------------------------------------------------------------------------------------

/// A classification with the mapper that raised it.
struct Seen {
    class: ErrorClass,
    status_code: u16,
    message: String,
    own_mapper: Option<&'static str>,
}

fn seen(provider: Provider, err: &CoreError) -> Seen {
    let c = classify(provider, err);
    Seen {
        class: c.class,
        status_code: c.status_code,
        message: c.message,
        own_mapper: own_mapper(provider, err),
    }
}

fn status(provider: Provider, code: u16, body: &str) -> Seen {
    seen(
        provider,
        &CoreError::Status {
            status: code,
            body: body.to_owned(),
            headers: vec![],
        },
    )
}

/// One measured error: status and body in; class, final status, label, own mapper out.
type Row = (
    u16,
    &'static str,
    ErrorClass,
    u16,
    &'static str,
    Option<&'static str>,
);

/// litellm 1.110.2, measured (class, status, message prefix, own mapper or the route's).
#[test]
fn error_mapping_table() {
    use ErrorClass::*;
    let chat = Provider::CohereChat;
    let table: &[Row] = &[
        (
            401,
            r#"{"message":"invalid api token"}"#,
            AuthenticationError,
            401,
            "CohereException",
            Some("cohere"),
        ),
        (
            403,
            r#"{"message":"No API key provided."}"#,
            AuthenticationError,
            403,
            "CohereException",
            Some("cohere"),
        ),
        (
            401,
            r#"{"message":"no api key supplied"}"#,
            AuthenticationError,
            401,
            "Cohere_chatException",
            None,
        ),
        (
            422,
            r#"{"message":"invalid type: parameter texts"}"#,
            BadRequestError,
            422,
            "CohereException",
            Some("cohere"),
        ),
        (
            400,
            r#"{"message":"too many tokens: total"}"#,
            ContextWindowExceededError,
            400,
            "CohereException",
            Some("cohere"),
        ),
        (
            503,
            r#"{"message":"Internal Server Error"}"#,
            InternalServerError,
            500,
            "CohereException",
            Some("cohere"),
        ),
        (
            400,
            r#"{"message":"bad"}"#,
            BadRequestError,
            400,
            "CohereException",
            Some("cohere"),
        ),
        (
            498,
            r#"{"message":"blocked"}"#,
            BadRequestError,
            498,
            "CohereException",
            Some("cohere"),
        ),
        (
            408,
            r#"{"message":"slow"}"#,
            Timeout,
            408,
            "CohereException",
            Some("cohere"),
        ),
        (
            500,
            r#"{"message":"boom"}"#,
            InternalServerError,
            500,
            "CohereException",
            Some("cohere"),
        ),
        (
            402,
            r#"{"message":"pay"}"#,
            PaymentRequiredError,
            402,
            "Cohere_chatException",
            None,
        ),
        (
            403,
            r#"{"message":"forbidden"}"#,
            PermissionDeniedError,
            403,
            "Cohere_chatException",
            None,
        ),
        (
            404,
            r#"{"message":"not found"}"#,
            NotFoundError,
            404,
            "Cohere_chatException",
            None,
        ),
        (
            422,
            r#"{"message":"odd"}"#,
            BadRequestError,
            422,
            "Cohere_chatException",
            None,
        ),
        (
            429,
            r#"{"message":"trial key"}"#,
            RateLimitError,
            429,
            "Cohere_chatException",
            None,
        ),
        (
            502,
            "<html>bad gateway</html>",
            BadGatewayError,
            502,
            "Cohere_chatException",
            None,
        ),
        (
            503,
            r#"{"message":"unavailable"}"#,
            ServiceUnavailableError,
            503,
            "Cohere_chatException",
            None,
        ),
        (
            504,
            r#"{"message":"gateway"}"#,
            Timeout,
            504,
            "Cohere_chatException",
            None,
        ),
        (
            599,
            r#"{"message":"odd"}"#,
            APIError,
            599,
            "Cohere_chatException",
            None,
        ),
    ];
    for (code, body, class, final_status, label, own) in table {
        let c = status(chat, *code, body);
        assert_eq!(
            (c.class, c.status_code, c.own_mapper),
            (*class, *final_status, *own),
            "{code} {body}"
        );
        assert_eq!(c.message, format!("{label} - {body}"));
    }
    let t = status(chat, 500, "Request timed out upstream");
    assert_eq!((t.class, t.status_code, t.own_mapper), (Timeout, 408, None));
    // The route's label is the provider's: `cohere/` calls read CohereException throughout.
    assert_eq!(
        status(Provider::Cohere, 404, "x").message,
        "CohereException - x"
    );
}

#[test]
fn transport_failures_reach_the_mapper_as_408_and_500() {
    let t = seen(Provider::CohereChat, &CoreError::Timeout { during: "read" });
    assert_eq!((t.class, t.status_code), (ErrorClass::Timeout, 408));
    assert_eq!(
        t.message,
        "CohereException - litellm.Timeout: Read timed out."
    );
    let t = seen(
        Provider::CohereChat,
        &CoreError::Timeout { during: "connect" },
    );
    assert_eq!(
        t.message,
        "CohereException - litellm.Timeout: Read timed out."
    );
    let bad = CoreError::InvalidRequest {
        detail: "Input must be a list of strings".into(),
    };
    let c = seen(Provider::Cohere, &bad);
    assert_eq!(
        (c.class, c.own_mapper),
        (ErrorClass::APIConnectionError, Some(""))
    );
    let c = seen(
        Provider::Cohere,
        &CoreError::Connect {
            detail: "[Errno 111] Connection refused".into(),
            errno: Some(111),
        },
    );
    assert_eq!(
        (c.class, c.status_code),
        (ErrorClass::InternalServerError, 500)
    );
    assert_eq!(c.own_mapper, Some("cohere"));
}

#[test]
fn undecodable_and_unreadable_bodies() {
    let decode = |body: &str, detail: &str| {
        seen(
            Provider::CohereChat,
            &CoreError::Decode {
                status: 200,
                detail: detail.into(),
                body: body.into(),
                headers: vec![],
            },
        )
    };
    let c = decode("not json", "expected value");
    assert_eq!(
        (c.class, c.own_mapper),
        (ErrorClass::APIConnectionError, None)
    );
    assert_eq!(c.message, "Cohere_chatException - not json");
    let c = decode(r#"{"id": "x"}"#, "'message'");
    assert_eq!(
        (c.class, c.own_mapper),
        (ErrorClass::APIConnectionError, Some(""))
    );
    assert_eq!(c.message, "'message'");
}
