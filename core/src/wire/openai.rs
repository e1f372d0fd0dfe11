//! The OpenAI wire: requests and replies are already OpenAI-shaped, so this wire only resolves the
//! endpoint and applies litellm's verdicts on success replies that are no answer (`crate::verdict`).

use serde_json::Value;

use crate::endpoint::{resolve, Route, Target};
use crate::error::CoreError;
use crate::provider::Provider;
use crate::sse::SseEvent;
use crate::verdict::{body_failure, chunk_verdict, ChunkVerdict};

use super::{ChunkTranslator, Outgoing, Reply};

pub fn outgoing(
    provider: Provider,
    target: &Target,
    route: Route,
    body: Value,
) -> Result<Outgoing, CoreError> {
    Ok(Outgoing {
        endpoint: resolve(provider, target, route)?,
        body,
    })
}

/// A 200 that is an error object, or JSON that is not an object, is no answer.
pub fn incoming(_provider: Provider, _route: Route, reply: Reply<'_>) -> Result<Value, CoreError> {
    match body_failure(&reply.value, reply.raw, reply.headers) {
        Some(err) => Err(err),
        None => Ok(reply.value),
    }
}

/// OpenAI-wire SSE: each event's data is one chunk, `[DONE]` ends the stream.
pub struct Chunks {
    provider: Provider,
}

impl Chunks {
    pub fn new(provider: Provider) -> Self {
        Chunks { provider }
    }
}

impl ChunkTranslator for Chunks {
    /// What one SSE event means on the OpenAI wire: a chunk, the end, nothing (an empty keep-alive,
    /// or a falsy JSON value litellm's own routes skip), or a failure: `event: error`, a chunk
    /// carrying an error, JSON the route cannot read (`crate::verdict`).
    fn event(&mut self, event: SseEvent, out: &mut Vec<Value>) -> Result<bool, CoreError> {
        let data = event.data.trim();
        if data.is_empty() {
            return Ok(false);
        }
        if data == "[DONE]" {
            return Ok(true);
        }
        if event.event.as_deref() == Some("error") {
            return Err(CoreError::StreamEvent {
                body: data.to_owned(),
            });
        }
        let value: Value = serde_json::from_str(data).map_err(|e| CoreError::Decode {
            status: 200,
            detail: format!("stream chunk is not JSON: {e}"),
            body: data.to_owned(),
            headers: Vec::new(),
        })?;
        match chunk_verdict(self.provider, &value, data) {
            ChunkVerdict::Chunk => out.push(value),
            ChunkVerdict::Skip => {}
            ChunkVerdict::Fail(err) => return Err(err),
        }
        Ok(false)
    }
}

/// The Responses API's SSE: `event: <type>` + `data: {...}` pairs, each data object handed on as it
/// is (litellm types each by its `type`); the stream ends with the body (OpenRouter adds `[DONE]`).
/// In-band failures (`error`, `response.failed` events) and a stream that ends before its terminal
/// event are the Python layer's to raise (`edgequake._shaping.responses`), as litellm raises them.
pub struct ResponsesEvents;

impl ChunkTranslator for ResponsesEvents {
    fn event(&mut self, event: SseEvent, out: &mut Vec<Value>) -> Result<bool, CoreError> {
        let data = event.data.trim();
        if data.is_empty() {
            return Ok(false);
        }
        if data == "[DONE]" {
            return Ok(true);
        }
        // litellm's Responses iterator skips an event whose data does not parse.
        if let Ok(value) = serde_json::from_str::<Value>(data) {
            out.push(value);
        }
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(event: Option<&str>, data: &str) -> SseEvent {
        SseEvent {
            event: event.map(str::to_owned),
            data: data.to_owned(),
        }
    }

    fn run(provider: Provider, e: SseEvent) -> Result<(bool, Vec<Value>), CoreError> {
        let mut out = Vec::new();
        let done = Chunks::new(provider).event(e, &mut out)?;
        Ok((done, out))
    }

    fn responses_events(events: &[SseEvent]) -> Result<(bool, Vec<Value>), CoreError> {
        let mut t = ResponsesEvents;
        let mut out = Vec::new();
        let mut done = false;
        for e in events {
            done = t.event(e.clone(), &mut out)?;
        }
        Ok((done, out))
    }

    #[test]
    fn responses_events_hand_each_data_object_on() {
        let created = r#"{"type":"response.created","response":{"id":"r","error":null}}"#;
        let failed =
            r#"{"type":"response.failed","response":{"error":{"code":"x","message":"m"}}}"#;
        let events = [
            ev(Some("response.created"), created),
            ev(
                Some("response.output_text.delta"),
                r#"{"type":"response.output_text.delta","delta":"Hi"}"#,
            ),
            ev(
                Some("error"),
                r#"{"type":"error","code":"x","message":"m"}"#,
            ),
            ev(Some("response.failed"), failed),
        ];
        let (done, out) = responses_events(&events).unwrap_or_default();
        assert!(
            !done,
            "the Responses stream has no [DONE]: it ends with its body"
        );
        assert_eq!(out.len(), 4);
        assert_eq!(out[1]["delta"], "Hi");
        assert_eq!(out[2]["type"], "error");
        // OpenRouter ends its Responses stream with [DONE]; keep-alives are nothing.
        let (done, out) =
            responses_events(&[ev(None, " "), ev(None, "[DONE]")]).unwrap_or_default();
        assert!(done && out.is_empty());
        // An event whose data does not parse is skipped, as litellm skips it.
        let (_, out) = responses_events(&[ev(Some("x"), "{cut")]).unwrap_or_default();
        assert!(out.is_empty());
    }

    #[test]
    fn responses_sse_framing_end_to_end() {
        use crate::sse::SseDecoder;
        let body = "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0}\n\n\
                    event: response.completed\r\ndata: {\"type\":\"response.completed\",\r\ndata: \"sequence_number\":1}\r\n\r\n";
        let mut decoder = SseDecoder::new();
        let mut events = Vec::new();
        for piece in body.as_bytes().chunks(7) {
            assert!(decoder.feed(piece, &mut events).is_ok());
        }
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].event.as_deref(), Some("response.created"));
        let (_, out) = responses_events(&events).unwrap_or_default();
        assert_eq!(out.len(), 2);
        assert_eq!(out[1]["sequence_number"], 1);
    }

    #[test]
    fn done_and_keepalive() {
        assert_eq!(
            run(Provider::OpenAI, ev(None, "[DONE]")),
            Ok((true, vec![]))
        );
        assert_eq!(run(Provider::OpenAI, ev(None, "  ")), Ok((false, vec![])));
        assert_eq!(run(Provider::Mistral, ev(None, "{}")), Ok((false, vec![])));
    }

    #[test]
    fn chunks_parse_and_errors_are_in_band_errors() {
        let p = Provider::OpenAI;
        assert!(matches!(run(p, ev(None, r#"{"choices":[]}"#)), Ok((false, v)) if v.len() == 1));
        assert!(matches!(
            run(p, ev(Some("error"), r#"{"x":1}"#)),
            Err(CoreError::StreamEvent { .. })
        ));
        assert!(matches!(
            run(p, ev(None, r#"{"error":{"message":"Token limit"}}"#)),
            Err(CoreError::StreamEvent { .. })
        ));
        assert!(matches!(
            run(
                Provider::OpenRouter,
                ev(
                    None,
                    r#"{"choices":[{"delta":{}}],"error":{"code":"x","message":"m"}}"#
                )
            ),
            Err(CoreError::StreamEvent { .. })
        ));
        assert!(matches!(
            run(p, ev(None, "[1, 2]")),
            Err(CoreError::Unusable { .. })
        ));
        assert!(matches!(
            run(p, ev(None, "{not json")),
            Err(CoreError::Decode { .. })
        ));
    }
}
