//! The Cohere v2 wire (`cohere/` and `cohere_chat/` in litellm 1.110.2; both take the v2 route
//! unless the model names `v1/`, which Python hands to litellm). Chat goes to `/v2/chat`, embeddings
//! to `/v2/embed`; litellm takes `api_base` as the full URL.
//!
//! `rerank()` goes to `/v2/rerank`, whose request and reply litellm passes on as Cohere has them.
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
use crate::provider::Provider;

pub use errors::{classify, own_mapper};
pub use stream::Chunks;

use super::{Outgoing, Reply};

/// litellm's defaults when no api_base is given (chat on `.com`, embed on `.ai`, as litellm has them).
const CHAT_URL: &str = "https://api.cohere.com/v2/chat";
const EMBED_URL: &str = "https://api.cohere.ai/v2/embed";
const RERANK_BASE: &str = "https://api.cohere.com";

/// litellm's `ensure_api_route(base, "v2/rerank")`: the route appended unless the base's path already
/// ends with it (a query or fragment is not part of the path).
fn rerank_url(base: &str) -> String {
    let trimmed = base.trim_end_matches('/');
    let path_end = trimmed.split(['?', '#']).next().unwrap_or(trimmed);
    if path_end.ends_with("/v2/rerank") {
        trimmed.to_owned()
    } else {
        format!("{trimmed}/v2/rerank")
    }
}

/// The URL (api_base verbatim, as litellm uses it; rerank's gets its route) and headers of one call.
/// Chat sends litellm's `request-source` and `accept` headers, rerank `accept`, embed only the key.
fn endpoint(target: &Target, route: Route) -> Endpoint {
    let base = target.api_base.as_deref().filter(|b| !b.is_empty());
    let url = match (route, base) {
        (Route::Rerank, base) => rerank_url(base.unwrap_or(RERANK_BASE)),
        (_, Some(base)) => base.to_owned(),
        (Route::Embeddings, None) => EMBED_URL.to_owned(),
        (Route::ChatCompletions | Route::TextCompletion | Route::Responses, None) => {
            CHAT_URL.to_owned()
        }
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
    }
    if route != Route::Embeddings {
        headers.push(("accept".to_owned(), "application/json".to_owned()));
    }
    Endpoint { url, headers }
}

pub fn outgoing(target: &Target, route: Route, body: Value) -> Result<Outgoing, CoreError> {
    let body = match route {
        Route::ChatCompletions => request::chat(body)?,
        Route::Embeddings => request::embed(body)?,
        Route::Rerank => request::rerank(body)?,
        Route::TextCompletion => return Err(super::no_text_completion(Provider::Cohere)),
        Route::Responses => return Err(super::no_responses(Provider::Cohere)),
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
        Route::Rerank => response::rerank(reply),
        Route::TextCompletion => Err(super::no_text_completion(Provider::Cohere)),
        Route::Responses => Err(super::no_responses(Provider::Cohere)),
    }
}
