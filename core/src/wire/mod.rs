//! Provider wire formats. The Python layer hands the core an OpenAI-shaped request (litellm's
//! arguments, already sorted and checked); a wire turns it into the provider's request (URL, headers,
//! body) and turns the provider's replies (a whole body, a stream's events, an error reply) back into
//! OpenAI-shaped JSON that `edgequake._shaping` makes into litellm's objects.
//!
//! Each wire is one folder with the same four entry points, so a provider's translation reads in one
//! place: `outgoing` (request), `incoming` (a whole success body), `translator` (a stream's state
//! machine) and `classify` (its error replies, where they differ from the OpenAI-compatible mapping).
//! The OpenAI wire is the identity (`openai`).

pub mod anthropic;
pub mod cohere;
pub mod gemini;
pub mod ndjson;
pub mod ollama;
pub mod openai;

use serde_json::Value;

use crate::classify::Classification;
use crate::endpoint::{Endpoint, Route, Target};
use crate::error::CoreError;
use crate::provider::Provider;
use crate::sse::SseEvent;

/// The wire format a provider speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wire {
    OpenAi,
    Ollama,
    Cohere,
    Anthropic,
    Gemini,
}

impl Provider {
    pub fn wire(self) -> Wire {
        match self {
            Provider::Ollama | Provider::OllamaChat => Wire::Ollama,
            Provider::Cohere | Provider::CohereChat => Wire::Cohere,
            Provider::Anthropic => Wire::Anthropic,
            Provider::Gemini => Wire::Gemini,
            _ => Wire::OpenAi,
        }
    }
}

/// The provider's request: URL and headers (auth first), and the JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    pub endpoint: Endpoint,
    pub body: Value,
}

/// A whole success reply as received.
pub struct Reply<'a> {
    pub status: u16,
    pub headers: &'a [(String, String)],
    /// The body as sent, for error messages (turned into text only on failure).
    pub raw: &'a [u8],
    pub value: Value,
}

/// How a stream's body is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// Server-sent events (`crate::sse`).
    Sse,
    /// One JSON value per line (`ndjson`); each line reaches the translator as an event's data.
    Ndjson,
}

/// A stream's state machine: events in, OpenAI-shaped chunks out.
pub trait ChunkTranslator: Send {
    /// One decoded event. Appends the chunks it completes to `out`; `Ok(true)` ends the stream (its
    /// connection is released at once).
    fn event(&mut self, event: SseEvent, out: &mut Vec<Value>) -> Result<bool, CoreError>;

    /// The body ended without the wire's end marker. The default hands on nothing more; a wire whose
    /// provider always ends its streams can fail here instead (a truncated stream).
    fn end(&mut self, _out: &mut Vec<Value>) -> Result<(), CoreError> {
        Ok(())
    }
}

/// The Python layer sends `responses()` natively only on the OpenAI wire; any other wire refuses it.
pub fn no_responses(provider: Provider) -> CoreError {
    CoreError::InvalidRequest {
        detail: format!("{} has no native Responses API route", provider.name()),
    }
}

/// The provider's request for an OpenAI-shaped `body`.
pub fn outgoing(
    provider: Provider,
    target: &Target,
    route: Route,
    body: Value,
) -> Result<Outgoing, CoreError> {
    match provider.wire() {
        Wire::OpenAi => openai::outgoing(provider, target, route, body),
        Wire::Ollama => ollama::outgoing(provider, target, route, body),
        Wire::Cohere => cohere::outgoing(target, route, body),
        Wire::Anthropic => anthropic::outgoing(provider, target, route, body),
        Wire::Gemini => gemini::outgoing(provider, target, route, body),
    }
}

/// litellm's `text_completion()` reaches a provider's own `/completions` only on the OpenAI wire;
/// the Python layer sends every other provider through chat completion, so this is never built.
pub(crate) fn no_text_completion(provider: Provider) -> CoreError {
    CoreError::InvalidRequest {
        detail: format!("{} has no text completion endpoint", provider.name()),
    }
}

/// The OpenAI-shaped body for a whole success reply, or the failure litellm raises reading it.
pub fn incoming(provider: Provider, route: Route, reply: Reply<'_>) -> Result<Value, CoreError> {
    match provider.wire() {
        Wire::OpenAi => openai::incoming(provider, route, reply),
        Wire::Ollama => ollama::incoming(provider, route, reply),
        Wire::Cohere => cohere::incoming(route, reply),
        Wire::Anthropic => anthropic::incoming(reply),
        Wire::Gemini => gemini::incoming(route, reply),
    }
}

pub fn framing(provider: Provider) -> Framing {
    match provider.wire() {
        Wire::OpenAi | Wire::Cohere | Wire::Anthropic | Wire::Gemini => Framing::Sse,
        Wire::Ollama => Framing::Ndjson,
    }
}

/// A fresh state machine for one stream.
pub fn translator(provider: Provider, route: Route) -> Box<dyn ChunkTranslator> {
    if route == Route::Responses {
        return Box::new(openai::ResponsesEvents);
    }
    match provider.wire() {
        Wire::OpenAi => Box::new(openai::Chunks::new(provider)),
        Wire::Ollama => Box::new(ollama::Chunks::new(provider)),
        Wire::Cohere => Box::new(cohere::Chunks::new()),
        Wire::Anthropic => Box::new(anthropic::Chunks::new()),
        Wire::Gemini => Box::new(gemini::Chunks::new()),
    }
}

/// The wire's own classification of a failure, where litellm maps it differently from the route
/// family's mapper in `crate::classify`; `None` leaves it to that mapper.
pub fn classify(provider: Provider, err: &CoreError) -> Option<Classification> {
    match provider.wire() {
        Wire::OpenAi => None,
        Wire::Ollama => ollama::classify(provider, err),
        Wire::Cohere => Some(cohere::classify(provider, err)),
        Wire::Anthropic => anthropic::classify(err),
        Wire::Gemini => gemini::classify(err),
    }
}

/// Set when litellm's provider-specific mapper raised the exception itself rather than its generic
/// status mapping: the `llm_provider` it names there (its own constant, not the route's; empty for
/// litellm's catch-all re-raise), with no `litellm_debug_info`. None elsewhere.
pub fn own_mapper(provider: Provider, err: &CoreError) -> Option<&'static str> {
    match provider.wire() {
        Wire::OpenAi | Wire::Ollama | Wire::Anthropic | Wire::Gemini => None,
        Wire::Cohere => cohere::own_mapper(provider, err),
    }
}
