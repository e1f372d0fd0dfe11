//! A chat completion stream: reads the body as it arrives, decodes its framing (SSE, or NDJSON), runs
//! each event through the provider wire's state machine (`crate::wire`) and yields each OpenAI-shaped
//! chunk the moment its event is complete. Dropping it drops the response, closing the connection.

use std::collections::VecDeque;
use std::future::Future;
use std::task::Poll;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::OwnedSemaphorePermit;

use crate::endpoint::Route;
use crate::error::CoreError;
use crate::provider::Provider;
use crate::sse::{SseDecoder, SseEvent};
use crate::transport::Sent;
use crate::wire::ndjson::NdjsonDecoder;
use crate::wire::{framing, translator, ChunkTranslator, Framing, Wire};

/// How long the rest of a body is read after the wire's end marker (see `ChunkStream::drain`). A
/// server that keeps the body open after it costs the stream's end this much, once.
const DRAIN_GRACE: Duration = Duration::from_millis(5);

/// Frames decoded per read beyond the one awaited (`ChunkStream::take_arrived`), at most. The
/// bound starts at none and doubles with each read, so the first chunks go out as soon as they
/// come (taking 64 frames first measurably delayed the first text piece).
const ARRIVED_FRAMES: usize = 64;

/// What a read found after the frame it waited for.
enum Arrived {
    /// The body goes on.
    More,
    /// The body ended.
    End,
    /// The connection broke after the frames before it.
    Broken(CoreError),
}

/// Polls `fut` once, without registering for a wake-up.
fn poll_once<F: Future>(fut: std::pin::Pin<&mut F>) -> Poll<F::Output> {
    fut.poll(&mut std::task::Context::from_waker(std::task::Waker::noop()))
}

fn broken(e: &reqwest::Error) -> CoreError {
    CoreError::Transport {
        detail: format!("stream broken: {e}"),
    }
}

/// The body's framing decoder, chosen by the provider's wire.
enum Decoder {
    Sse(SseDecoder),
    Ndjson(NdjsonDecoder),
}

impl Decoder {
    fn feed(&mut self, bytes: &[u8], out: &mut Vec<SseEvent>) -> Result<(), CoreError> {
        match self {
            Decoder::Sse(d) => d.feed(bytes, out),
            Decoder::Ndjson(d) => d.feed(bytes, out),
        }
    }

    fn finish(&mut self, out: &mut Vec<SseEvent>) -> Result<(), CoreError> {
        match self {
            Decoder::Sse(d) => d.finish(out),
            Decoder::Ndjson(d) => d.finish(out),
        }
    }
}

pub struct ChunkStream {
    status: u16,
    headers: Vec<(String, String)>,
    response: Option<reqwest::Response>,
    /// The connection slot (`crate::limits`), released with the response.
    slot: Option<OwnedSemaphorePermit>,
    decoder: Decoder,
    translator: Box<dyn ChunkTranslator>,
    /// Chunks translated and not yet handed on.
    pending: VecDeque<Value>,
    read_timeout: Duration,
    /// A failure found after chunks that come before it: raised once they are handed on.
    failure: Option<CoreError>,
    /// The body is read to its end (or the wire said the stream is over).
    done: bool,
    /// The wire's end marker came: the rest of the body is read (and ignored) before the end.
    wire_ended: bool,
    /// How many arrived frames the next read takes beyond the one it waits for.
    batch: usize,
}

impl ChunkStream {
    pub fn new(provider: Provider, route: Route, sent: Sent, read_timeout: Duration) -> Self {
        let Sent { response, slot } = sent;
        let decoder = match framing(provider) {
            // litellm reads these wires' streams through httpx's text decoding (lossy); the
            // openai SDK decodes its own SSE bytes strictly (measured: the fault matrix).
            Framing::Sse if matches!(provider.wire(), Wire::Anthropic | Wire::Gemini) => {
                Decoder::Sse(SseDecoder::lossy())
            }
            Framing::Sse => Decoder::Sse(SseDecoder::new()),
            Framing::Ndjson => Decoder::Ndjson(NdjsonDecoder::new()),
        };
        ChunkStream {
            status: response.status().as_u16(),
            headers: crate::transport::owned_headers(response.headers()),
            response: Some(response),
            slot: Some(slot),
            decoder,
            translator: translator(provider, route),
            pending: VecDeque::new(),
            read_timeout,
            failure: None,
            done: false,
            wire_ended: false,
            batch: 0,
        }
    }

    pub fn status(&self) -> u16 {
        self.status
    }

    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The next JSON chunk, or `None` at the wire's end marker or the end of the body.
    pub async fn next_chunk(&mut self) -> Result<Option<Value>, CoreError> {
        self.fill().await;
        self.ready().unwrap_or(Ok(None)) // `fill` returns only once there is an answer
    }

    /// Reads until `ready` has an answer, keeping a read's failure for it: for a reader that takes
    /// the answer separately (and may be cancelled in between without losing it).
    pub async fn fill(&mut self) {
        while self.pending.is_empty() && self.failure.is_none() && !self.done {
            if let Err(err) = self.read_more().await {
                self.failure = Some(err);
            }
        }
    }

    /// The body is no longer read (its end, a failure, or `finish`): what is left is in the queue.
    pub fn is_over(&self) -> bool {
        self.done
    }

    /// What `next_chunk` would answer without reading the body (a chunk decoded from an earlier
    /// read, the failure after them, or the end), or `None` when it would have to read. A read
    /// usually brings several events: the callers take the rest from here without a runtime.
    pub fn ready(&mut self) -> Option<Result<Option<Value>, CoreError>> {
        if let Some(chunk) = self.pending.pop_front() {
            return Some(Ok(Some(chunk)));
        }
        if let Some(err) = self.failure.take() {
            return Some(Err(err));
        }
        if self.done {
            return Some(Ok(None));
        }
        None
    }

    async fn read_more(&mut self) -> Result<(), CoreError> {
        if self.wire_ended {
            self.drain().await;
            return Ok(());
        }
        let Some(response) = self.response.as_mut() else {
            self.done = true;
            return Ok(());
        };
        let mut events = Vec::new();
        let arrived = match tokio::time::timeout(self.read_timeout, response.chunk()).await {
            Err(_) => {
                self.finish();
                return Err(CoreError::Timeout { during: "read" });
            }
            Ok(Err(e)) => {
                self.finish();
                return Err(broken(&e));
            }
            Ok(Ok(Some(bytes))) => {
                self.decoder.feed(&bytes, &mut events)?;
                self.take_arrived(&mut events).await
            }
            Ok(Ok(None)) => {
                self.decoder.finish(&mut events)?;
                Arrived::End
            }
        };
        self.translate(events, matches!(arrived, Arrived::End))?;
        match arrived {
            // after the wire's end marker the rest of the body does not count (`drain`)
            Arrived::Broken(err) if !self.wire_ended && !self.done => {
                self.finish();
                self.fail_after(Vec::new(), err)
            }
            _ => Ok(()),
        }
    }

    /// Decodes the body frames that have already arrived, without waiting for the network (at most
    /// `batch`): hyper hands a body over one frame at a time, and its connection task only
    /// decodes the next one from what it has read once the last was taken, so one yield lets it
    /// run. The caller then takes these chunks without a wake-up (or, async, a callback) each.
    /// Polling a frame that is not there yet loses nothing.
    async fn take_arrived(&mut self, events: &mut Vec<SseEvent>) -> Arrived {
        let Some(response) = self.response.as_mut() else {
            return Arrived::More;
        };
        let limit = self.batch;
        self.batch = (self.batch * 2 + 1).min(ARRIVED_FRAMES);
        let mut frames = 0;
        while frames < limit {
            let mut next = std::pin::pin!(response.chunk());
            let mut polled = poll_once(next.as_mut());
            if polled.is_pending() {
                // Once more after the connection's task had a turn: it was just woken by the frame
                // taken, and runs next on this thread (tokio's LIFO slot) when this task yields.
                tokio::task::yield_now().await;
                polled = poll_once(next.as_mut());
            }
            match polled {
                Poll::Ready(Ok(Some(bytes))) => {
                    frames += 1;
                    if let Err(err) = self.decoder.feed(&bytes, events) {
                        return Arrived::Broken(err);
                    }
                }
                Poll::Ready(Ok(None)) => {
                    return match self.decoder.finish(events) {
                        Ok(()) => Arrived::End,
                        Err(err) => Arrived::Broken(err),
                    };
                }
                Poll::Ready(Err(e)) => return Arrived::Broken(broken(&e)),
                Poll::Pending => break,
            }
        }
        Arrived::More
    }

    /// After the wire's end marker, reads what is left of the body (its last empty chunk, usually
    /// already on its way) for at most `DRAIN_GRACE`, as the openai SDK consumes a stream to its end:
    /// a connection whose body was read to the end goes back to the pool, one dropped before is
    /// closed. Whatever comes after the marker is ignored, as it is by litellm.
    async fn drain(&mut self) {
        if let Some(response) = self.response.as_mut() {
            let rest = async { while let Ok(Some(_)) = response.chunk().await {} };
            let _ = tokio::time::timeout(DRAIN_GRACE, rest).await;
        }
        self.finish();
    }

    /// Runs the decoded events through the wire's state machine. As in litellm, a failing event
    /// fails the stream after the chunks before it were yielded (`fail_after`).
    fn translate(&mut self, events: Vec<SseEvent>, ended: bool) -> Result<(), CoreError> {
        let mut out = Vec::new();
        for event in events {
            match self.translator.event(event, &mut out) {
                Ok(false) => {}
                Ok(true) => {
                    self.pending.extend(out);
                    self.wire_ended = true;
                    return Ok(());
                }
                Err(err) => {
                    self.finish();
                    return self.fail_after(out, err);
                }
            }
        }
        if ended {
            let end = self.translator.end(&mut out);
            self.finish();
            if let Err(err) = end {
                return self.fail_after(out, err);
            }
        }
        self.pending.extend(out);
        Ok(())
    }

    /// Chunks completed before a failure are handed on first; the failure comes after them.
    fn fail_after(&mut self, out: Vec<Value>, err: CoreError) -> Result<(), CoreError> {
        if out.is_empty() && self.pending.is_empty() {
            return Err(err);
        }
        self.pending.extend(out);
        self.failure = Some(err);
        Ok(())
    }

    /// Stops reading and releases the connection.
    pub fn finish(&mut self) {
        self.done = true;
        self.response = None;
        self.slot = None;
    }
}
