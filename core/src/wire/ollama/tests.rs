//! Recorded Ollama bytes (from `cassettes/ollama/`) in, OpenAI-shaped JSON out; requests out in
//! Ollama's shape; error replies classified as litellm classifies them.

use serde_json::{json, Value};

use crate::classify::{classify as classify_any, ErrorClass};
use crate::endpoint::{Route, Target};
use crate::error::CoreError;
use crate::provider::Provider;
use crate::wire::Reply;

use super::{incoming, outgoing};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn target(model: &str) -> Target {
    Target {
        api_base: Some("http://h:11434/".into()),
        api_key: Some("sk".into()),
        model: model.into(),
        ..Target::default()
    }
}

fn reply(provider: Provider, route: Route, raw: &str) -> Result<Value, CoreError> {
    let value: Value = serde_json::from_str(raw).unwrap_or(Value::Null);
    incoming(
        provider,
        route,
        Reply {
            status: 200,
            headers: &[],
            raw: raw.as_bytes(),
            value,
        },
    )
}

// openllmetry__test_ollama_chat_legacy.yaml (shortened content)
const CHAT: &str = r#"{"model":"llama3","created_at":"2024-05-24T20:01:31.01558Z","message":{"role":"assistant","content":"A joke about OpenTelemetry!"},"done_reason":"stop","done":true,"total_duration":10386172208,"load_duration":8078850750,"prompt_eval_count":17,"prompt_eval_duration":175861000,"eval_count":66,"eval_duration":2127200000}"#;

#[test]
fn chat_reply_becomes_an_openai_choice() -> TestResult {
    let out = reply(Provider::OllamaChat, Route::ChatCompletions, CHAT)?;
    assert_eq!(
        out["choices"][0]["message"]["content"],
        "A joke about OpenTelemetry!"
    );
    assert_eq!(
        out["choices"][0]["message"]["reasoning_content"],
        Value::Null
    );
    assert_eq!(out["choices"][0]["finish_reason"], "stop");
    assert_eq!(
        out["usage"],
        json!({"prompt_tokens": 17, "completion_tokens": 66})
    );
    Ok(())
}

#[test]
fn chat_thinking_tools_and_think_tags() -> TestResult {
    // authored__reasoning.yaml
    let raw = r#"{"model":"gpt-oss:20b-cloud","message":{"role":"assistant","content":"Hello","thinking":"The user wants one word."},"done":true,"done_reason":"stop","prompt_eval_count":14,"eval_count":5}"#;
    let out = reply(Provider::OllamaChat, Route::ChatCompletions, raw)?;
    let msg = &out["choices"][0]["message"];
    assert_eq!(msg["reasoning_content"], "The user wants one word.");
    assert!(msg.get("thinking").is_none());
    // authored__tools.yaml: arguments as an object become json.dumps text
    let raw = r#"{"model":"llama3.1","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Paris"}}}]},"done":true,"done_reason":"stop"}"#;
    let out = reply(Provider::OllamaChat, Route::ChatCompletions, raw)?;
    let call = &out["choices"][0]["message"]["tool_calls"][0];
    assert_eq!(call["function"]["arguments"], r#"{"city": "Paris"}"#);
    assert_eq!(out["usage"], json!({}), "no counts sent: Python estimates");
    let raw = r#"{"message":{"role":"assistant","content":"<think>r</think>Hi"},"done":true,"done_reason":"length"}"#;
    let out = reply(Provider::OllamaChat, Route::ChatCompletions, raw)?;
    assert_eq!(out["choices"][0]["message"]["reasoning_content"], "r");
    assert_eq!(out["choices"][0]["message"]["content"], "Hi");
    assert_eq!(out["choices"][0]["finish_reason"], "length");
    Ok(())
}

#[test]
fn generate_reply_and_embedding() -> TestResult {
    let raw = r#"{"model":"llama3","response":"A niche topic!","done":true,"context":[1,2],"prompt_eval_count":17,"eval_count":63}"#;
    let out = reply(Provider::Ollama, Route::ChatCompletions, raw)?;
    assert_eq!(out["choices"][0]["message"]["content"], "A niche topic!");
    assert_eq!(out["choices"][0]["finish_reason"], "stop");
    assert_eq!(out["ollama_generate"]["response"], "A niche topic!");
    // authored__embedding.yaml
    let raw = r#"{"model":"llama3.1","embeddings":[[0.010071029,-0.0017594862]],"total_duration":14143917,"prompt_eval_count":8}"#;
    let out = reply(Provider::Ollama, Route::Embeddings, raw)?;
    assert_eq!(
        out["data"],
        json!([{"object": "embedding", "index": 0, "embedding": [0.010071029, -0.0017594862]}])
    );
    assert_eq!(out["usage"]["prompt_tokens"], 8);
    Ok(())
}

#[test]
fn unreadable_replies_are_failures_never_answers() {
    for raw in ["[1, 2]", r#"{"model":"m","done":true}"#] {
        let err = reply(Provider::OllamaChat, Route::ChatCompletions, raw);
        assert!(matches!(err, Err(CoreError::Decode { .. })), "{raw}");
    }
    let err = reply(Provider::Ollama, Route::Embeddings, r#"{"error":"x"}"#);
    assert!(matches!(err, Err(CoreError::Decode { .. })));
}

#[test]
fn chat_request_in_ollamas_shape() -> TestResult {
    let body = json!({
        "model": "llama3.1",
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": [
                {"type": "text", "text": "What is in this image?"},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}
            ]},
            {"role": "assistant", "content": null, "tool_calls": [
                {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{\"a\": 1}"}}
            ]},
            {"role": "tool", "tool_call_id": "c1", "content": "ok"}
        ],
        "stream": true, "max_tokens": 5, "frequency_penalty": 0.5, "tool_choice": "auto",
        "response_format": {"type": "json_object"}, "reasoning_effort": "high",
        "keep_alive": "5m", "num_ctx": 8,
    });
    let out = outgoing(
        Provider::OllamaChat,
        &target("llama3.1"),
        Route::ChatCompletions,
        body,
    )?;
    assert_eq!(out.endpoint.url, "http://h:11434/api/chat");
    assert_eq!(
        out.endpoint.headers,
        vec![("authorization".to_owned(), "Bearer sk".to_owned())]
    );
    assert_eq!(
        out.body,
        json!({
            "model": "llama3.1",
            "messages": [
                {"role": "system", "content": "Be brief.", "images": []},
                {"role": "user", "content": "What is in this image?", "images": ["iVBORw0KGgo="]},
                {"role": "assistant", "content": "", "images": [],
                 "tool_calls": [{"id": "c1", "function": {"name": "f", "arguments": {"a": 1}}}]},
                {"role": "tool", "content": "ok", "images": [], "tool_call_id": "c1"}
            ],
            "options": {"num_predict": 5, "repeat_penalty": 0.5, "num_ctx": 8},
            "stream": true,
            "format": "json",
            "keep_alive": "5m",
            "think": true,
        })
    );
    Ok(())
}

#[test]
fn generate_request_renders_the_prompt() -> TestResult {
    let body = json!({
        "model": "llama3",
        "messages": [
            {"role": "user", "content": "Tell me a joke about OpenTelemetry"},
            {"role": "assistant", "content": "Sure", "tool_calls": [
                {"type": "function", "function": {"name": "f", "arguments": "{}"}}
            ]},
            {"role": "system", "content": "Short."},
            {"role": "user", "content": [{"type": "image_url", "image_url": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg=="}]}
        ],
        "frequency_penalty": 0.1, "keep_alive": "1m",
    });
    let out = outgoing(
        Provider::Ollama,
        &target("llama3"),
        Route::ChatCompletions,
        body,
    )?;
    assert_eq!(out.endpoint.url, "http://h:11434/api/generate");
    assert_eq!(
        out.body,
        json!({
            "model": "llama3",
            "prompt": "### User:\nTell me a joke about OpenTelemetry\n\n### Assistant:\nSure\n{\"name\": \"f\", \"arguments\": {}}\n\n### System:\nShort.\n\n",
            "options": {"frequency_penalty": 0.1, "keep_alive": "1m"},
            "stream": false,
            "images": ["iVBORw0KGgoAAAANSUhEUg=="],
        })
    );
    // images reach the core already converted (Python's Pillow step): only a data URL is unwrapped
    let gif = json!({"messages": [{"role": "user", "content": [
        {"type": "image_url", "image_url": "data:image/gif;base64,R0lGODlhAQABAAAAACw="}]}]});
    let out = outgoing(Provider::Ollama, &target("m"), Route::ChatCompletions, gif)?;
    assert_eq!(out.body["images"], json!(["R0lGODlhAQABAAAAACw="]));
    let remote = json!({"messages": [{"role": "user", "content": [
        {"type": "image_url", "image_url": "https://example.com/a.png"}]}]});
    let err = outgoing(
        Provider::Ollama,
        &target("m"),
        Route::ChatCompletions,
        remote,
    );
    assert!(matches!(err, Err(CoreError::InvalidRequest { .. })));
    Ok(())
}

#[test]
fn embed_request_and_default_base() -> TestResult {
    let body = json!({"model": "nomic", "input": ["a"], "dimensions": 4, "num_ctx": 9});
    let t = Target {
        model: "nomic".into(),
        ..Target::default()
    };
    let out = outgoing(Provider::Ollama, &t, Route::Embeddings, body)?;
    assert_eq!(out.endpoint.url, "http://localhost:11434/api/embed");
    assert!(out.endpoint.headers.is_empty());
    assert_eq!(
        out.body,
        json!({"model": "nomic", "input": ["a"], "dimensions": 4, "options": {"num_ctx": 9}})
    );
    Ok(())
}

#[test]
fn error_replies_map_by_status_with_the_raw_body() {
    let cases = [
        (401, ErrorClass::AuthenticationError),
        (403, ErrorClass::PermissionDeniedError),
        (404, ErrorClass::NotFoundError),
        (422, ErrorClass::BadRequestError),
        (429, ErrorClass::RateLimitError),
        (500, ErrorClass::InternalServerError),
        (502, ErrorClass::BadGatewayError),
        (503, ErrorClass::ServiceUnavailableError),
        (529, ErrorClass::APIError),
    ];
    for (status, class) in cases {
        let err = CoreError::Status {
            status,
            body: r#"{"error":"unauthorized"}"#.into(),
            headers: vec![],
        };
        let c = classify_any(Provider::OllamaChat, &err);
        assert_eq!((c.class, c.status_code), (class, status));
        assert_eq!(
            c.message,
            r#"Ollama_chatException - {"error":"unauthorized"}"#
        );
    }
    let err = CoreError::Status {
        status: 500,
        body: r#"{"error":"open /m: no such file or directory"}"#.into(),
        headers: vec![],
    };
    let c = classify_any(Provider::Ollama, &err);
    assert_eq!((c.class, c.status_code), (ErrorClass::BadRequestError, 500));
    assert!(c
        .message
        .starts_with("OllamaException: Invalid Model/Model not loaded - "));
}
