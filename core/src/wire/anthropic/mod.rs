//! The Anthropic Messages wire (`/v1/messages`): litellm 1.110.2's `anthropic/` route.
//!
//! * `request`: the OpenAI-shaped body Python built -> Anthropic's body;
//! * `response`: a whole reply -> an OpenAI-shaped completion;
//! * `stream`: the SSE event state machine -> OpenAI-shaped chunks;
//! * `errors`: litellm's Anthropic error mapping.
//!
//! Headers: `x-api-key` (from `crate::endpoint`), `anthropic-version: 2023-06-01` and
//! `accept: application/json`, as litellm sends them; beta headers come from the Python layer with
//! the call's own headers.

mod errors;
mod request;
mod response;
mod stream;
mod tools;

#[cfg(test)]
mod tests;

use serde_json::Value;

use crate::endpoint::{resolve, Route, Target};
use crate::error::CoreError;
use crate::provider::Provider;

use super::{Outgoing, Reply};

pub use errors::classify;
pub use stream::Chunks;

/// The API version litellm pins for every Anthropic call.
pub const ANTHROPIC_VERSION: &str = "2023-06-01";

pub fn outgoing(
    provider: Provider,
    target: &Target,
    route: Route,
    body: Value,
) -> Result<Outgoing, CoreError> {
    if route != Route::ChatCompletions {
        return Err(CoreError::InvalidRequest {
            detail: "anthropic has no embeddings endpoint".into(),
        });
    }
    let mut endpoint = resolve(provider, target, route)?;
    endpoint
        .headers
        .push(("anthropic-version".into(), ANTHROPIC_VERSION.into()));
    endpoint
        .headers
        .push(("accept".into(), "application/json".into()));
    Ok(Outgoing {
        endpoint,
        body: request::translate(body)?,
    })
}

pub fn incoming(reply: Reply<'_>) -> Result<Value, CoreError> {
    response::incoming(reply)
}
