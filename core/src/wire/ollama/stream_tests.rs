//! Recorded Ollama NDJSON streams (from `cassettes/ollama/`) through the decoder and the wire's
//! state machine, as `crate::stream` runs them: OpenAI-shaped chunks out, failures classified.

use serde_json::{json, Value};

use crate::classify::{classify as classify_any, ErrorClass};
use crate::error::CoreError;
use crate::provider::Provider;
use crate::sse::SseEvent;
use crate::wire::ndjson::NdjsonDecoder;
use crate::wire::ChunkTranslator;

use super::Chunks;

/// Runs an NDJSON body through the decoder and the wire's state machine, as `crate::stream` does.
fn stream(provider: Provider, body: &str) -> (Vec<Value>, Option<CoreError>, bool) {
    let mut decoder = NdjsonDecoder::new();
    let mut events: Vec<SseEvent> = Vec::new();
    if let Err(e) = decoder.feed(body.as_bytes(), &mut events) {
        return (vec![], Some(e), false);
    }
    if let Err(e) = decoder.finish(&mut events) {
        return (vec![], Some(e), false);
    }
    let mut chunks = Chunks::new(provider);
    let mut out = Vec::new();
    for event in events {
        match chunks.event(event, &mut out) {
            Ok(true) => return (out, None, true),
            Ok(false) => {}
            Err(e) => return (out, Some(e), false),
        }
    }
    (out, None, false)
}

#[test]
fn chat_stream_lines_become_chunks() {
    // openllmetry__test_ollama_streaming_chat_legacy.yaml (first and last lines)
    let body = concat!(
        r#"{"model":"llama3","created_at":"2024-05-24T20:01:33.9Z","message":{"role":"assistant","content":"Why"},"done":false}"#,
        "\n",
        r#"{"model":"llama3","created_at":"2024-05-24T20:01:34.0Z","message":{"role":"assistant","content":" did"},"done":false}"#,
        "\n",
        r#"{"model":"llama3","created_at":"2024-05-24T20:01:35.5Z","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"prompt_eval_count":17,"eval_count":50}"#,
        "\n"
    );
    let (chunks, err, ended) = stream(Provider::OllamaChat, body);
    assert!(err.is_none() && ended);
    assert_eq!(chunks.len(), 3);
    assert_eq!(chunks[0]["choices"][0]["delta"]["content"], "Why");
    assert_eq!(chunks[2]["choices"][0]["finish_reason"], "stop");
    assert_eq!(
        chunks[2]["usage"],
        json!({"prompt_tokens": 17, "completion_tokens": 50, "total_tokens": 67})
    );
}

#[test]
fn chat_stream_thinking_and_tool_calls() {
    let body = concat!(
        r#"{"model":"m","message":{"role":"assistant","content":"","thinking":"hmm"},"done":false}"#,
        "\n",
        r#"{"model":"m","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"f","arguments":{"a":1}}}]},"done":false}"#,
        "\n",
        r#"{"model":"m","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop"}"#,
        "\n"
    );
    let (chunks, err, _) = stream(Provider::OllamaChat, body);
    assert!(err.is_none());
    assert_eq!(chunks[0]["choices"][0]["delta"]["reasoning_content"], "hmm");
    let call = &chunks[1]["choices"][0]["delta"]["tool_calls"][0];
    assert_eq!(call["function"]["arguments"], r#"{"a": 1}"#);
    assert_eq!(call["ollama_id_prefix"], "");
    assert_eq!(chunks[2]["choices"][0]["finish_reason"], "tool_calls");
    assert!(chunks[2].get("usage").is_none());
}

#[test]
fn chat_stream_error_line_and_truncation() {
    // authored__stream_error_midstream.yaml
    let body = concat!(
        r#"{"model":"llama3.1","message":{"role":"assistant","content":"Hel"},"done":false}"#,
        "\n",
        r#"{"error":"an error was encountered while running the model: unexpected EOF"}"#,
        "\n"
    );
    let (chunks, err, _) = stream(Provider::OllamaChat, body);
    assert_eq!(chunks.len(), 1);
    assert!(err.is_some(), "the error line must fail the stream");
    let c = err.map(|e| classify_any(Provider::OllamaChat, &e));
    let (class, status, message) = c.map_or((None, 0, String::new()), |c| {
        (Some(c.class), c.status_code, c.message)
    });
    assert_eq!((class, status), (Some(ErrorClass::BadRequestError), 400));
    assert_eq!(
        message,
        "Ollama_chatException - KeyError: 'message', Got unexpected response from Ollama: \
         {'error': 'an error was encountered while running the model: unexpected EOF'}"
    );
    // authored__stream_truncated.yaml: no done line, so no end (Python raises the truncation)
    let body =
        r#"{"model":"llama3.1","message":{"role":"assistant","content":"Hel"},"done":false}"#;
    let (chunks, err, ended) = stream(Provider::OllamaChat, body);
    assert!(err.is_none() && !ended && chunks.len() == 1);
}

#[test]
fn generate_stream_holds_json_and_reads_tool_calls() {
    let line = |r: &str| format!("{}\n", json!({"model": "m", "response": r, "done": false}));
    let done = "{\"model\":\"m\",\"response\":\"\",\"done\":true,\"prompt_eval_count\":3,\"eval_count\":2}\n";
    let body = format!("{}{}{}{done}", line("A"), line(" joke"), line("!"));
    let (chunks, err, ended) = stream(Provider::Ollama, &body);
    assert!(err.is_none() && ended);
    assert_eq!(chunks[1]["choices"][0]["delta"]["content"], " joke");
    assert_eq!(chunks[3]["usage"]["total_tokens"], 5);
    // a reply that starts like JSON is held back to the end
    let body = format!("{}{}{done}", line("{\"a\""), line(": 1}"));
    let (chunks, _, _) = stream(Provider::Ollama, &body);
    assert_eq!(chunks[0]["choices"][0]["delta"]["content"], Value::Null);
    assert_eq!(chunks[2]["choices"][0]["delta"]["content"], "{\"a\": 1}");
    assert_eq!(chunks[2]["choices"][0]["finish_reason"], "stop");
    // ... and read as a tool call when it is {"name", "arguments"}
    let body = format!(
        "{}{}{done}",
        line("```json\n{\"name\": \"f\", "),
        line("\"arguments\": {\"x\": 1}}\n```")
    );
    let (chunks, _, _) = stream(Provider::Ollama, &body);
    let call = &chunks[2]["choices"][0]["delta"]["tool_calls"][0];
    assert_eq!(call["function"]["arguments"], "{\"x\": 1}");
    assert_eq!(call["ollama_id_prefix"], "call_");
    assert_eq!(chunks[2]["choices"][0]["finish_reason"], "tool_calls");
}

#[test]
fn generate_stream_error_line() {
    let body = "{\"model\":\"m\",\"response\":\"Hi\",\"done\":false}\n{\"error\":\"boom\"}\n";
    let (chunks, err, _) = stream(Provider::Ollama, body);
    assert_eq!(chunks.len(), 1);
    let c = err.map(|e| classify_any(Provider::Ollama, &e));
    assert_eq!(
        c.map(|c| (c.class, c.message)),
        Some((
            ErrorClass::APIConnectionError,
            "Ollama Error - {'error': 'boom'}".to_owned()
        ))
    );
}

#[test]
fn lines_litellms_parsers_pass_over_or_fail_on() {
    let hi = r#"{"model":"m","message":{"role":"assistant","content":"Hi"},"done":false}"#;
    // chat: a line that is not JSON, or is falsy JSON, is passed over; `data:` is dropped
    let body = format!("{hi}\nnot json\n{{}}\ndata: {hi}\n");
    let (chunks, err, ended) = stream(Provider::OllamaChat, &body);
    assert!(err.is_none() && !ended && chunks.len() == 2);
    // ... a JSON value that is no object fails as Python's TypeError does
    let (_, err, _) = stream(Provider::OllamaChat, &format!("{hi}\n[1, 2]\n"));
    let c = err.map(|e| classify_any(Provider::OllamaChat, &e));
    assert_eq!(
        c.map(|c| (c.class, c.message)),
        Some((
            ErrorClass::APIConnectionError,
            "list indices must be integers or slices, not str".to_owned()
        ))
    );
    // generate: every line must parse
    let (chunks, err, _) = stream(
        Provider::Ollama,
        "{\"response\":\"a\",\"done\":false}\nzzz\n",
    );
    assert_eq!(chunks.len(), 1);
    let c = err.map(|e| classify_any(Provider::Ollama, &e));
    assert!(c.is_some_and(|c| c.class == ErrorClass::APIConnectionError
        && c.message.starts_with("Error parsing chunk: ")
        && c.message.ends_with(",\nReceived chunk: zzz")));
}
