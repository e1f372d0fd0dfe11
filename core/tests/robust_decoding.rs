//! Property tests (issue 12, robust decoding): arbitrary bytes into the SSE and NDJSON decoders and
//! arbitrary JSON into every provider's reply translator and stream state machine never panic; each
//! gives a value or an error. Shapes are drawn from the wires' own vocabulary (`choices`, `delta`,
//! `candidates`, `content_block_delta`, ...) so deep paths are reached, not only the top level.
//! Bounded to 1,024 cases per property: a few seconds in `cargo test`.

use edgequake_core::endpoint::Route;
use edgequake_core::provider::Provider;
use edgequake_core::sse::{SseDecoder, SseEvent};
use edgequake_core::wire::ndjson::NdjsonDecoder;
use edgequake_core::wire::{incoming, translator, Reply};
use proptest::prelude::*;
use serde_json::{Map, Value};

// Every provider the core speaks: a provider added to the core is fuzzed without editing this file.
const PROVIDERS: &[Provider] = &Provider::ALL;
const ROUTES: &[Route] = &[
    Route::ChatCompletions,
    Route::Embeddings,
    Route::Rerank,
    Route::TextCompletion,
    Route::Responses,
];
const KEYS: &[&str] = &[
    "id",
    "object",
    "model",
    "created",
    "choices",
    "index",
    "message",
    "delta",
    "role",
    "content",
    "text",
    "finish_reason",
    "tool_calls",
    "function",
    "name",
    "arguments",
    "usage",
    "prompt_tokens",
    "completion_tokens",
    "total_tokens",
    "error",
    "type",
    "candidates",
    "parts",
    "finishReason",
    "usageMetadata",
    "promptTokenCount",
    "functionCall",
    "args",
    "content_block",
    "stop_reason",
    "input_tokens",
    "output_tokens",
    "thinking",
    "signature",
    "partial_json",
    "done",
    "response",
    "eval_count",
    "data",
    "embedding",
    "embeddings",
    "results",
    "relevance_score",
    "logprobs",
    "output",
    "status",
    "finish",
    "modelVersion",
    "responseId",
];
const EVENT_TYPES: &[&str] = &[
    "message_start",
    "content_block_start",
    "content_block_delta",
    "content_block_stop",
    "message_delta",
    "message_stop",
    "ping",
    "error",
    "message-start",
    "content-delta",
    "tool-call-delta",
    "message-end",
    "response.created",
    "response.output_text.delta",
    "response.completed",
];

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop::sample::select(KEYS).prop_map(|s| Value::String(s.to_owned())),
        prop::sample::select(EVENT_TYPES).prop_map(|s| Value::String(s.to_owned())),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|pairs| {
                let mut map = Map::new();
                for (k, v) in pairs {
                    map.insert(k.to_owned(), v);
                }
                Value::Object(map)
            }),
        ]
    })
}

/// A stream event's data: JSON (mostly), raw text, or the OpenAI end marker.
fn event_data() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => json().prop_map(|v| v.to_string()),
        1 => ".{0,40}",
        1 => Just("[DONE]".to_owned()),
    ]
}

fn cases(n: u32) -> ProptestConfig {
    ProptestConfig {
        cases: n,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(cases(1024))]

    #[test]
    fn sse_decoding_arbitrary_bytes_never_panics(
        pieces in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..64), 0..8),
        lossy in any::<bool>(),
    ) {
        let mut decoder = if lossy { SseDecoder::lossy() } else { SseDecoder::new() };
        let mut out = Vec::new();
        for piece in &pieces {
            if decoder.feed(piece, &mut out).is_err() {
                break;
            }
        }
        let _ = decoder.finish(&mut out);
    }

    #[test]
    fn sse_framing_of_arbitrary_lines_never_panics(lines in prop::collection::vec("(data|event|id|:)?:? ?.{0,20}(\r\n|\n|\r)?", 0..12)) {
        let mut decoder = SseDecoder::new();
        let mut out = Vec::new();
        let _ = decoder.feed(lines.concat().as_bytes(), &mut out);
        let _ = decoder.finish(&mut out);
    }

    #[test]
    fn ndjson_decoding_arbitrary_bytes_never_panics(
        pieces in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..64), 0..8),
    ) {
        let mut decoder = NdjsonDecoder::new();
        let mut out = Vec::new();
        for piece in &pieces {
            if decoder.feed(piece, &mut out).is_err() {
                break;
            }
        }
        let _ = decoder.finish(&mut out);
    }

    #[test]
    fn every_reply_translator_takes_arbitrary_json(value in json(), status in prop::sample::select(vec![200u16, 201, 400, 500])) {
        let raw = value.to_string();
        for provider in PROVIDERS {
            for route in ROUTES {
                let reply = Reply { status, headers: &[], raw: raw.as_bytes(), value: value.clone() };
                let _ = incoming(*provider, *route, reply);
            }
        }
    }

    #[test]
    fn every_stream_state_machine_takes_arbitrary_events(
        events in prop::collection::vec((prop::option::of(prop::sample::select(EVENT_TYPES)), event_data()), 0..8),
    ) {
        for provider in PROVIDERS {
            for route in [Route::ChatCompletions, Route::Responses] {
                let mut machine = translator(*provider, route);
                let mut out = Vec::new();
                let mut ended = false;
                for (name, data) in &events {
                    let event = SseEvent { event: name.map(str::to_owned), data: data.clone() };
                    match machine.event(event, &mut out) {
                        Ok(false) => {}
                        Ok(true) | Err(_) => {
                            ended = true;
                            break;
                        }
                    }
                }
                if !ended {
                    let _ = machine.end(&mut out);
                }
            }
        }
    }
}
