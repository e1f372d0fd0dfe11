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
