//! The Cohere v2 wire (`cohere/` and `cohere_chat/` in litellm 1.110.2; both take the v2 route
//! unless the model names `v1/`, which Python hands to litellm). Chat goes to `/v2/chat`, embeddings
//! to `/v2/embed`; litellm takes `api_base` as the full URL.
//!
//! - `request`: the OpenAI-shaped body Python built (params already sorted and checked) to Cohere's
//!   names (`top_p` -> `p`, `stop` -> `stop_sequences`, `n` -> `num_generations`, embeddings'
//!   `input` -> `texts` or `images`);
//! - `response`: a whole `/v2/chat` or `/v2/embed` reply to OpenAI-shaped JSON;
//! - `stream`: the SSE state machine over `message-start` ... `message-end`;
//! - `errors`: litellm's `_map_cohere_exception` and the status fallback it leaves most errors to.

mod errors;
mod request;
mod response;
mod stream;

#[cfg(test)]
mod tests;

use serde_json::Value;

use crate::endpoint::{Endpoint, Route, Target};
use crate::error::CoreError;

pub use errors::classify;
pub use stream::Chunks;

use super::{Outgoing, Reply};

/// litellm's defaults when no api_base is given (chat on `.com`, embed on `.ai`, as litellm has them).
const CHAT_URL: &str = "https://api.cohere.com/v2/chat";
const EMBED_URL: &str = "https://api.cohere.ai/v2/embed";

/// The URL (api_base verbatim, as litellm uses it) and headers of one call. Chat sends litellm's
/// `request-source` and `accept` headers; its embed route sends only the key.
fn endpoint(target: &Target, route: Route) -> Endpoint {
    let url = match target.api_base.as_deref().filter(|b| !b.is_empty()) {
        Some(base) => base.to_owned(),
        None if route == Route::Embeddings => EMBED_URL.to_owned(),
        None => CHAT_URL.to_owned(),
    };
    let mut headers = Vec::with_capacity(3);
    if let Some(key) = target.api_key.as_deref().filter(|k| !k.is_empty()) {
        headers.push(("authorization".to_owned(), format!("Bearer {key}")));
    }
    if route == Route::ChatCompletions {
        headers.push((
            "request-source".to_owned(),
            "unspecified:litellm".to_owned(),
        ));
        headers.push(("accept".to_owned(), "application/json".to_owned()));
    }
    Endpoint { url, headers }
}

pub fn outgoing(target: &Target, route: Route, body: Value) -> Result<Outgoing, CoreError> {
    let body = match route {
        Route::ChatCompletions => request::chat(body)?,
        Route::Embeddings => request::embed(body)?,
    };
    Ok(Outgoing {
        endpoint: endpoint(target, route),
        body,
    })
}

pub fn incoming(route: Route, reply: Reply<'_>) -> Result<Value, CoreError> {
    match route {
        Route::ChatCompletions => response::chat(reply),
        Route::Embeddings => response::embed(reply),
    }
}
