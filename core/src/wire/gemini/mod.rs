//! The Gemini wire (Google AI Studio, litellm's `gemini/` route): `models/<m>:generateContent`,
//! `:streamGenerateContent?alt=sse` and `:batchEmbedContents`, the key in `x-goog-api-key` (litellm
//! never puts it in the URL, so no URL shown to a user carries it).
//!
//! `request` turns the OpenAI-shaped body into Gemini's, `response` Gemini's replies into
//! OpenAI-shaped JSON, `stream` is the SSE state machine and `errors` litellm's mapping of Gemini
//! failures.

pub mod errors;
mod grounding;
mod request;
mod response;
mod stream;
mod usage;

#[cfg(test)]
mod tests;

use serde_json::Value;

use crate::classify::Classification;
use crate::endpoint::{Endpoint, Route, Target};
use crate::error::CoreError;
use crate::provider::Provider;

use super::{Outgoing, Reply};

pub use stream::Chunks;

/// Where the default endpoint lives: litellm sends Gemini 3 and newer chat models to `v1alpha`
/// (Python says which models those are, as `api_version`); a given `api_base` is used as it is.
fn url(provider: Provider, target: &Target, route: Route, body: &Value) -> String {
    let stream = body.get("stream").and_then(Value::as_bool) == Some(true);
    let default = match body.get("api_version").and_then(Value::as_str) {
        Some("v1alpha") if route == Route::ChatCompletions => {
            "https://generativelanguage.googleapis.com/v1alpha"
        }
        _ => provider.default_base().unwrap_or_default(),
    };
    let base = target
        .api_base
        .as_deref()
        .filter(|b| !b.is_empty())
        .unwrap_or(default);
    let base = base.trim_end_matches('/');
    let model = &target.model;
    match route {
        Route::Embeddings => format!("{base}/models/{model}:batchEmbedContents"),
        Route::ChatCompletions if stream => {
            format!("{base}/models/{model}:streamGenerateContent?alt=sse")
        }
        Route::ChatCompletions => format!("{base}/models/{model}:generateContent"),
        // Never built: routes without a rerank endpoint are refused in `outgoing`.
        Route::Rerank => format!("{base}/models/{model}:rerank"),
        Route::TextCompletion => format!("{base}/models/{model}:completions"),
        Route::Responses => format!("{base}/responses"),
    }
}

pub fn outgoing(
    provider: Provider,
    target: &Target,
    route: Route,
    body: Value,
) -> Result<Outgoing, CoreError> {
    let url = url(provider, target, route, &body);
    let mut headers = Vec::with_capacity(1);
    if let Some(key) = target.api_key.as_deref().filter(|k| !k.is_empty()) {
        headers.push(("x-goog-api-key".to_owned(), key.to_owned()));
    }
    let body = match route {
        Route::ChatCompletions => request::chat_body(&body)?,
        Route::Embeddings => request::embed_body(&target.model, &body)?,
        Route::Rerank => return Err(no_rerank()),
        Route::TextCompletion => return Err(super::no_text_completion(provider)),
        Route::Responses => return Err(super::no_responses(provider)),
    };
    Ok(Outgoing {
        endpoint: Endpoint { url, headers },
        body,
    })
}

pub fn incoming(route: Route, reply: Reply<'_>) -> Result<Value, CoreError> {
    match route {
        Route::ChatCompletions => response::completion(&reply.value, reply.raw, reply.headers),
        Route::Embeddings => {
            if reply.value.get("error").is_some_and(|e| !e.is_null()) {
                if let Some(err) =
                    crate::verdict::body_failure(&reply.value, reply.raw, reply.headers)
                {
                    return Err(err);
                }
            }
            response::embeddings(&reply.value, reply.raw)
        }
        Route::Rerank => Err(no_rerank()),
        Route::TextCompletion => Err(super::no_text_completion(Provider::Gemini)),
        Route::Responses => Err(super::no_responses(Provider::Gemini)),
    }
}

pub fn classify(err: &CoreError) -> Option<Classification> {
    Some(errors::classify(err))
}

/// litellm has no Gemini (AI Studio) rerank; the Python layer never routes one here.
fn no_rerank() -> CoreError {
    CoreError::InvalidRequest {
        detail: "gemini has no rerank endpoint".into(),
    }
}
