//! Success replies that are not answers. A 200 body can be an error object, and a stream can carry
//! an error chunk or JSON of a shape the route cannot read; litellm raises for each of them rather
//! than answer (measured with `tools/measure_silent_errors.py`), and so does edgequake: an error
//! reply is never a success. This module decides which replies those are, per route; `classify`
//! names the exception.

use serde_json::{Map, Value};

use crate::classify::{family, Family};
use crate::error::{CoreError, Problem};
use crate::provider::Provider;
use crate::pytext::{str_of, truthy};

/// The failure litellm raises for a whole success body (chat or embedding), if any: a body that is
/// not a JSON object, or one whose `error` litellm's response converter acts on (a non-empty
/// message, a non-null code, or any other non-null value).
/// `raw` is the body as received; it is turned into text only for a failure (the hot path is a success).
pub fn body_failure(value: &Value, raw: &[u8], headers: &[(String, String)]) -> Option<CoreError> {
    let Some(obj) = value.as_object() else {
        return Some(CoreError::Unusable {
            body: String::from_utf8_lossy(raw).into_owned(),
            problem: Problem::BodyNotAnObject,
        });
    };
    let error = obj.get("error").filter(|e| !e.is_null())?;
    let (status, message) = match error {
        Value::Object(e) => {
            let meaningful =
                e.get("message").is_some_and(truthy) || e.get("code").is_some_and(|c| !c.is_null());
            if !meaningful {
                return None;
            }
            (body_status(e), body_message(e))
        }
        Value::String(s) if s.is_empty() => return None,
        _ => (Some(422), DEFAULT_MESSAGE.to_owned()),
    };
    Some(CoreError::ErrorBody {
        status,
        message,
        body: String::from_utf8_lossy(raw).into_owned(),
        headers: headers.to_vec(),
    })
}

/// litellm's text when the error object has no `message`.
const DEFAULT_MESSAGE: &str = "Error in response object";

/// `error.code` as litellm takes it for the status: 422 without a code, None when it is no number.
fn body_status(error: &Map<String, Value>) -> Option<u16> {
    match error.get("code") {
        None => Some(422),
        Some(code) => code
            .as_u64()
            .filter(|c| (1..=999).contains(c))
            .and_then(|c| u16::try_from(c).ok()),
    }
}

fn body_message(error: &Map<String, Value>) -> String {
    match error.get("message") {
        None => DEFAULT_MESSAGE.to_owned(),
        Some(m @ Value::Object(_)) => crate::pytext::json_dumps(m),
        Some(m) => str_of(m),
    }
}

/// What one decoded stream event is for a route.
#[derive(Debug, PartialEq)]
pub enum ChunkVerdict {
    /// A chunk to hand on.
    Chunk,
    /// Nothing: litellm's own HTTP routes read a falsy JSON value (`{}`, `[]`, `0`...) as an empty
    /// chunk.
    Skip,
    /// The stream fails here.
    Fail(CoreError),
}

/// Whether litellm's stream parser for `provider` yields, skips or fails on this decoded event.
pub fn chunk_verdict(provider: Provider, value: &Value, data: &str) -> ChunkVerdict {
    let own_http = !matches!(family(provider), Family::OpenAiSdk | Family::Azure);
    let unusable = |problem: Problem| {
        ChunkVerdict::Fail(CoreError::Unusable {
            body: data.to_owned(),
            problem,
        })
    };
    let Some(obj) = value.as_object() else {
        if own_http && !truthy(value) {
            return ChunkVerdict::Skip;
        }
        return unusable(Problem::NotAnObject);
    };
    // OpenRouter's parser acts on the key alone; the others on a truthy value (the openai SDK's
    // `data.get("error")`, litellm's `if not error`), whether or not the chunk also has choices.
    let in_band = if provider == Provider::OpenRouter {
        obj.contains_key("error")
    } else {
        obj.get("error").is_some_and(truthy)
    };
    if in_band {
        return ChunkVerdict::Fail(CoreError::StreamEvent {
            body: data.to_owned(),
        });
    }
    if own_http && obj.is_empty() {
        return ChunkVerdict::Skip;
    }
    if ends_in_failure(provider, obj) {
        return ChunkVerdict::Fail(CoreError::StreamEvent {
            body: data.to_owned(),
        });
    }
    match obj.get("choices") {
        None => ChunkVerdict::Chunk,
        Some(Value::Null) => {
            // xAI takes len(), OpenRouter and Groq iterate it; the others read null as no choices.
            if matches!(
                provider,
                Provider::Xai | Provider::OpenRouter | Provider::Groq
            ) {
                unusable(Problem::NullChoices)
            } else {
                ChunkVerdict::Chunk
            }
        }
        Some(Value::Array(items)) if !items.iter().all(Value::is_object) => {
            unusable(Problem::ChoiceNotAnObject)
        }
        Some(Value::Array(items))
            if own_http
                && items
                    .iter()
                    .any(|c| c.get("delta").is_some_and(Value::is_null)) =>
        {
            unusable(Problem::NullDelta)
        }
        Some(Value::Array(_)) => ChunkVerdict::Chunk,
        Some(other) if truthy(other) => unusable(Problem::ChoicesNotAList),
        // OpenRouter and Groq iterate `choices` as sent: a 0 or false is no list to them either
        Some(Value::Number(_) | Value::Bool(_))
            if matches!(provider, Provider::OpenRouter | Provider::Groq) =>
        {
            unusable(Problem::ChoicesNotAList)
        }
        Some(_) => ChunkVerdict::Chunk,
    }
}

/// A finish_reason litellm raises on: "abort" on any choice (every route but OpenRouter), and
/// "error" on the first choice where the openai SDK streams (openai, azure, cerebras).
fn ends_in_failure(provider: Provider, chunk: &Map<String, Value>) -> bool {
    let Some(choices) = chunk.get("choices").and_then(Value::as_array) else {
        return false;
    };
    if provider != Provider::OpenRouter && choices.iter().any(|c| finish_reason(c) == Some("abort"))
    {
        return true;
    }
    matches!(family(provider), Family::OpenAiSdk | Family::Azure)
        && choices.first().and_then(finish_reason) == Some("error")
}

/// A choice's `finish_reason`, when it is a string.
pub fn finish_reason(choice: &Value) -> Option<&str> {
    choice.get("finish_reason").and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(v: Value) -> Option<CoreError> {
        body_failure(&v, v.to_string().as_bytes(), &[])
    }

    fn status_and_message(v: Value) -> Option<(Option<u16>, String)> {
        match body(v) {
            Some(CoreError::ErrorBody {
                status, message, ..
            }) => Some((status, message)),
            _ => None,
        }
    }

    #[test]
    fn error_bodies_take_litellms_status_and_message() {
        let boom = |code: Value| json!({"error": {"message": "boom", "code": code}});
        assert_eq!(
            status_and_message(boom(json!(500))),
            Some((Some(500), "boom".into()))
        );
        assert_eq!(
            status_and_message(json!({"error": {"message": "boom"}})),
            Some((Some(422), "boom".into()))
        );
        assert_eq!(
            status_and_message(boom(json!("server_error"))),
            Some((None, "boom".into()))
        );
        assert_eq!(
            status_and_message(json!({"error": "boom"})),
            Some((Some(422), DEFAULT_MESSAGE.into()))
        );
        assert_eq!(
            status_and_message(json!({"error": {"message": {"a": 1}, "code": 400}})),
            Some((Some(400), "{\"a\": 1}".into()))
        );
        // an error object next to real choices is still an error
        let with_choices = json!({"choices": [], "error": {"message": "boom", "code": 503}});
        assert_eq!(
            status_and_message(with_choices),
            Some((Some(503), "boom".into()))
        );
    }

    #[test]
    fn empty_errors_and_plain_bodies_are_answers() {
        assert!(body(json!({"error": null, "choices": []})).is_none());
        assert!(body(json!({"error": {"message": "", "code": null}})).is_none());
        assert!(body(json!({"error": ""})).is_none());
        assert!(body(json!({"choices": []})).is_none());
        assert!(body(json!({})).is_none());
    }

    #[test]
    fn a_body_that_is_not_an_object_is_unusable() {
        assert!(matches!(
            body(json!([1, 2])),
            Some(CoreError::Unusable {
                problem: Problem::BodyNotAnObject,
                ..
            })
        ));
    }

    fn verdict(p: Provider, v: Value) -> ChunkVerdict {
        chunk_verdict(p, &v, &v.to_string())
    }

    fn fails_with(p: Provider, v: Value) -> Option<&'static str> {
        match verdict(p, v) {
            ChunkVerdict::Fail(e) => Some(e.kind()),
            _ => None,
        }
    }

    #[test]
    fn an_error_next_to_choices_fails_the_stream() {
        let chunk = json!({"id": "x", "choices": [{"index": 0, "delta": {}, "finish_reason": "error"}],
                           "error": {"code": "server_error", "message": "Provider disconnected"}});
        for p in Provider::ALL {
            assert_eq!(fails_with(p, chunk.clone()), Some("stream_event"), "{p:?}");
        }
    }

    #[test]
    fn a_falsy_error_is_ignored_except_by_openrouter() {
        let chunk = json!({"id": "x", "choices": [], "error": {}});
        assert_eq!(
            verdict(Provider::Mistral, chunk.clone()),
            ChunkVerdict::Chunk
        );
        assert_eq!(
            verdict(Provider::OpenAI, chunk.clone()),
            ChunkVerdict::Chunk
        );
        assert_eq!(
            fails_with(Provider::OpenRouter, chunk),
            Some("stream_event")
        );
    }

    #[test]
    fn falsy_chunks_are_skipped_on_litellms_own_routes() {
        for v in [json!({}), json!([]), json!(0)] {
            assert_eq!(verdict(Provider::Mistral, v.clone()), ChunkVerdict::Skip);
            assert_eq!(verdict(Provider::OpenRouter, v.clone()), ChunkVerdict::Skip);
        }
        assert_eq!(verdict(Provider::OpenAI, json!({})), ChunkVerdict::Chunk);
        assert_eq!(fails_with(Provider::OpenAI, json!([])), Some("unusable"));
        assert_eq!(fails_with(Provider::Mistral, json!([1])), Some("unusable"));
        assert_eq!(fails_with(Provider::Azure, json!("x")), Some("unusable"));
    }

    #[test]
    fn failing_finish_reasons() {
        let finish = |reason: &str| json!({"id": "x", "choices": [{"index": 0, "delta": {}, "finish_reason": reason}]});
        assert_eq!(
            fails_with(Provider::Mistral, finish("abort")),
            Some("stream_event")
        );
        assert_eq!(
            fails_with(Provider::OpenAI, finish("abort")),
            Some("stream_event")
        );
        assert_eq!(
            verdict(Provider::OpenRouter, finish("abort")),
            ChunkVerdict::Chunk
        );
        assert_eq!(
            fails_with(Provider::Azure, finish("error")),
            Some("stream_event")
        );
        assert_eq!(
            fails_with(Provider::Cerebras, finish("error")),
            Some("stream_event")
        );
        assert_eq!(
            verdict(Provider::Mistral, finish("error")),
            ChunkVerdict::Chunk
        );
        assert_eq!(
            verdict(Provider::OpenAI, finish("stop")),
            ChunkVerdict::Chunk
        );
    }

    #[test]
    fn choice_shapes() {
        let null_choice = json!({"id": "x", "choices": [null]});
        let null_choices = json!({"id": "x", "choices": null});
        for p in Provider::ALL {
            assert_eq!(
                fails_with(p, null_choice.clone()),
                Some("unusable"),
                "{p:?}"
            );
        }
        for p in [Provider::Xai, Provider::OpenRouter, Provider::Groq] {
            assert_eq!(
                fails_with(p, null_choices.clone()),
                Some("unusable"),
                "{p:?}"
            );
        }
        for p in [Provider::OpenAI, Provider::Mistral, Provider::HuggingFace] {
            assert_eq!(
                verdict(p, null_choices.clone()),
                ChunkVerdict::Chunk,
                "{p:?}"
            );
        }
        assert_eq!(
            fails_with(Provider::DeepSeek, json!({"choices": {"a": 1}})),
            Some("unusable")
        );
        assert_eq!(
            fails_with(Provider::OpenRouter, json!({"id": "x", "choices": 0})),
            Some("unusable")
        );
        assert_eq!(
            verdict(Provider::Mistral, json!({"id": "x", "choices": 0})),
            ChunkVerdict::Chunk
        );
        assert_eq!(
            verdict(Provider::OpenRouter, json!({"id": "x", "choices": {}})),
            ChunkVerdict::Chunk
        );
        let null_delta = json!({"id": "x", "choices": [{"index": 0, "delta": null}]});
        assert_eq!(
            fails_with(Provider::Groq, null_delta.clone()),
            Some("unusable")
        );
        assert_eq!(verdict(Provider::Azure, null_delta), ChunkVerdict::Chunk);
    }
}
