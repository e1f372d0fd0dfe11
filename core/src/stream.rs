//! A chat completion stream: reads the body as it arrives, decodes SSE, and yields each event's JSON
//! chunk the moment its event is complete. Dropping it drops the response, closing the connection.

use std::collections::VecDeque;
use std::time::Duration;

use serde_json::Value;

use crate::error::CoreError;
use crate::provider::Provider;
use crate::sse::{SseDecoder, SseEvent};
use crate::verdict::{chunk_verdict, ChunkVerdict};

pub struct ChunkStream {
    provider: Provider,
    status: u16,
    headers: Vec<(String, String)>,
    response: Option<reqwest::Response>,
    decoder: SseDecoder,
    pending: VecDeque<SseEvent>,
    read_timeout: Duration,
    done: bool,
}

impl ChunkStream {
    pub fn new(provider: Provider, response: reqwest::Response, read_timeout: Duration) -> Self {
        ChunkStream {
            provider,
            status: response.status().as_u16(),
            headers: crate::transport::owned_headers(response.headers()),
            response: Some(response),
            decoder: SseDecoder::new(),
            pending: VecDeque::new(),
            read_timeout,
            done: false,
        }
    }

    pub fn status(&self) -> u16 {
        self.status
    }

    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The next JSON chunk, or `None` at `[DONE]` or end of body.
    pub async fn next_chunk(&mut self) -> Result<Option<Value>, CoreError> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                match chunk_of(self.provider, event)? {
                    Some(EventOutcome::Chunk(v)) => return Ok(Some(v)),
                    Some(EventOutcome::Done) => {
                        self.finish();
                        return Ok(None);
                    }
                    None => continue,
                }
            }
            if self.done {
                return Ok(None);
            }
            self.read_more().await?;
        }
    }

    async fn read_more(&mut self) -> Result<(), CoreError> {
        let Some(response) = self.response.as_mut() else {
            self.done = true;
            return Ok(());
        };
        let mut events = Vec::new();
        match tokio::time::timeout(self.read_timeout, response.chunk()).await {
            Err(_) => {
                self.finish();
                return Err(CoreError::Timeout { during: "read" });
            }
            Ok(Err(e)) => {
                self.finish();
                return Err(CoreError::Transport {
                    detail: format!("stream broken: {e}"),
                });
            }
            Ok(Ok(Some(bytes))) => self.decoder.feed(&bytes, &mut events)?,
            Ok(Ok(None)) => {
                self.decoder.finish(&mut events)?;
                self.finish();
            }
        }
        self.pending.extend(events);
        Ok(())
    }

    /// Stops reading and releases the connection.
    pub fn finish(&mut self) {
        self.done = true;
        self.response = None;
    }
}

enum EventOutcome {
    Chunk(Value),
    Done,
}

/// What one SSE event means on the OpenAI wire for `provider`: a chunk, the end, nothing (an empty
/// keep-alive, or a falsy JSON value litellm's own routes skip), or a failure: `event: error`, a
/// chunk carrying an error, JSON the route cannot read (`crate::verdict`).
fn chunk_of(provider: Provider, event: SseEvent) -> Result<Option<EventOutcome>, CoreError> {
    let data = event.data.trim();
    if data.is_empty() {
        return Ok(None);
    }
    if data == "[DONE]" {
        return Ok(Some(EventOutcome::Done));
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
    match chunk_verdict(provider, &value, data) {
        ChunkVerdict::Chunk => Ok(Some(EventOutcome::Chunk(value))),
        ChunkVerdict::Skip => Ok(None),
        ChunkVerdict::Fail(err) => Err(err),
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

    #[test]
    fn done_and_keepalive() {
        assert!(matches!(
            chunk_of(Provider::OpenAI, ev(None, "[DONE]")),
            Ok(Some(EventOutcome::Done))
        ));
        assert!(matches!(
            chunk_of(Provider::OpenAI, ev(None, "  ")),
            Ok(None)
        ));
        assert!(matches!(
            chunk_of(Provider::Mistral, ev(None, "{}")),
            Ok(None)
        ));
    }

    #[test]
    fn chunks_parse_and_errors_are_in_band_errors() {
        let p = Provider::OpenAI;
        assert!(matches!(
            chunk_of(p, ev(None, r#"{"choices":[]}"#)),
            Ok(Some(EventOutcome::Chunk(_)))
        ));
        assert!(matches!(
            chunk_of(p, ev(Some("error"), r#"{"x":1}"#)),
            Err(CoreError::StreamEvent { .. })
        ));
        assert!(matches!(
            chunk_of(p, ev(None, r#"{"error":{"message":"Token limit"}}"#)),
            Err(CoreError::StreamEvent { .. })
        ));
        assert!(matches!(
            chunk_of(
                Provider::OpenRouter,
                ev(
                    None,
                    r#"{"choices":[{"delta":{}}],"error":{"code":"x","message":"m"}}"#
                )
            ),
            Err(CoreError::StreamEvent { .. })
        ));
        assert!(matches!(
            chunk_of(p, ev(None, "[1, 2]")),
            Err(CoreError::Unusable { .. })
        ));
        assert!(matches!(
            chunk_of(p, ev(None, "{not json")),
            Err(CoreError::Decode { .. })
        ));
    }
}
