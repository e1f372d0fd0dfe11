//! The Ollama wire (`ollama/` -> `/api/generate`, `ollama_chat/` -> `/api/chat`, embeddings ->
//! `/api/embed`), as litellm 1.110.2 speaks it: requests in Ollama's own shape (`request`, with the
//! generate prompt in `prompt`), whole replies and NDJSON streams read back into OpenAI's shape
//! (`response`, `stream`), and error replies mapped as litellm maps them for this provider
//! (`errors`).

mod errors;
mod prompt;
mod reasoning;
mod request;
mod response;
mod stream;

#[cfg(test)]
mod stream_tests;
#[cfg(test)]
mod tests;

use serde_json::Value;

use crate::endpoint::{resolve, Route, Target};
use crate::error::CoreError;
use crate::provider::Provider;

use super::{Outgoing, Reply};

pub use errors::classify;
pub use stream::Chunks;

pub fn outgoing(
    provider: Provider,
    target: &Target,
    route: Route,
    body: Value,
) -> Result<Outgoing, CoreError> {
    let endpoint = resolve(provider, target, route)?;
    let Some(obj) = body.as_object() else {
        return Err(CoreError::InvalidRequest {
            detail: "request body must be a JSON object".into(),
        });
    };
    let model = target.model.as_str();
    let body = match (route, provider) {
        (Route::Embeddings, _) => request::embed(model, obj),
        (Route::ChatCompletions, Provider::Ollama) => request::generate(model, obj)?,
        (Route::ChatCompletions, _) => request::chat(model, obj)?,
        (Route::Rerank, _) => return Err(no_rerank()),
        (Route::TextCompletion, _) => return Err(super::no_text_completion(provider)),
        (Route::Responses, _) => return Err(super::no_responses(provider)),
    };
    Ok(Outgoing { endpoint, body })
}

pub fn incoming(provider: Provider, route: Route, reply: Reply<'_>) -> Result<Value, CoreError> {
    match (route, provider) {
        (Route::Embeddings, _) => response::embed(&reply.value, reply.raw),
        (Route::ChatCompletions, Provider::Ollama) => response::generate(&reply.value, reply.raw),
        (Route::ChatCompletions, _) => response::chat(&reply.value, reply.raw),
        (Route::Rerank, _) => Err(no_rerank()),
        (Route::TextCompletion, _) => Err(super::no_text_completion(provider)),
        (Route::Responses, _) => Err(super::no_responses(provider)),
    }
}

/// litellm has no Ollama rerank; the Python layer never routes one here.
fn no_rerank() -> CoreError {
    CoreError::InvalidRequest {
        detail: "ollama has no rerank endpoint".into(),
    }
}
