//! From (provider, api_base, model, route) to the URL and headers of one request. Pure, so that the
//! URL rules, which differ per provider in litellm, are unit-tested without a network.

use crate::error::CoreError;
use crate::provider::{Auth, Provider};

/// Which OpenAI-wire endpoint a call targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    ChatCompletions,
    Embeddings,
    /// litellm's `rerank()` (Cohere's `/v2/rerank`; no OpenAI-wire provider has one).
    Rerank,
    /// litellm's `text_completion()` on providers with a native legacy `/completions` endpoint.
    TextCompletion,
    /// litellm's `responses()` on the routes with a native Responses API (OpenAI's `/responses`).
    Responses,
}

impl Route {
    pub fn from_name(name: &str) -> Option<Route> {
        match name {
            "chat" => Some(Route::ChatCompletions),
            "embedding" => Some(Route::Embeddings),
            "rerank" => Some(Route::Rerank),
            "text_completion" => Some(Route::TextCompletion),
            "responses" => Some(Route::Responses),
            _ => None,
        }
    }

    fn path(self) -> &'static str {
        match self {
            Route::ChatCompletions => "chat/completions",
            Route::Embeddings => "embeddings",
            Route::Rerank => "rerank",
            Route::TextCompletion => "completions",
            Route::Responses => "responses",
        }
    }
}

/// Everything the endpoint needs to know, already resolved by the Python layer from the call's
/// arguments, module globals and environment (litellm's precedence is a Python-API concern).
#[derive(Debug, Clone, Default)]
pub struct Target {
    pub api_base: Option<String>,
    pub api_key: Option<String>,
    pub api_version: Option<String>,
    /// Azure AD token: sent as `Authorization: Bearer` instead of `api-key`.
    pub azure_ad_token: Option<String>,
    /// The model without its provider prefix (Azure: the deployment name).
    pub model: String,
}

/// The resolved endpoint: full URL and the headers the provider needs (auth first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub url: String,
    pub headers: Vec<(String, String)>,
}

/// Azure API versions that select the unversioned `/openai/v1` surface with Bearer auth.
fn is_azure_v1_version(version: &str) -> bool {
    matches!(version, "v1" | "latest" | "preview")
}

/// Strips trailing slashes, keeping a bare `scheme://` intact (as litellm's url_utils do).
fn trim_base(base: &str) -> &str {
    let trimmed = base.trim_end_matches('/');
    if trimmed.ends_with(':') {
        base
    } else {
        trimmed
    }
}

fn path_of(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let no_query = after_scheme
        .split(['?', '#'])
        .next()
        .unwrap_or(after_scheme);
    no_query.find('/').map_or("", |i| &no_query[i..])
}

/// `base + "/" + route` unless the base already ends with the route (litellm's `ensure_api_route`).
fn ensure_route(base: &str, route: &str) -> String {
    let base = trim_base(base);
    if path_of(base).ends_with(&format!("/{route}")) {
        base.to_string()
    } else {
        format!("{base}/{route}")
    }
}

/// `base + "/" + route`, always (the openai SDK's `base_url` joining).
fn join(base: &str, route: &str) -> String {
    format!("{}/{}", trim_base(base), route)
}

fn percent_encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn url_for(provider: Provider, target: &Target, route: Route) -> Result<String, CoreError> {
    let base = match (&target.api_base, provider.default_base()) {
        (Some(base), _) if !base.is_empty() => base.as_str(),
        (_, Some(default)) => default,
        _ => {
            return Err(CoreError::InvalidRequest {
                detail: format!(
                    "{}: no api_base given. Pass api_base=..., or set the provider's base URL environment variable.",
                    provider.name()
                ),
            })
        }
    };
    let path = route.path();
    Ok(match provider {
        Provider::OpenAI => join(base, path),
        // litellm posts text completions through the openai SDK for every provider with a native
        // `/completions` (its `openai_text_completion_compatible_providers`): the SDK's joining.
        Provider::TogetherAi | Provider::FireworksAi if route == Route::TextCompletion => {
            join(base, path)
        }
        Provider::Azure if route == Route::Responses => azure_responses_url(base, target),
        Provider::Azure => {
            let version = target.api_version.as_deref().unwrap_or("");
            if is_azure_v1_version(version) {
                let base = ensure_route(base, "openai/v1");
                join(&base, path)
            } else if path_of(trim_base(base)).contains("/openai/deployments/") {
                format!("{}/{}?api-version={}", trim_base(base), path, version)
            } else {
                format!(
                    "{}/openai/deployments/{}/{}?api-version={}",
                    trim_base(base),
                    percent_encode_segment(&target.model),
                    path,
                    version
                )
            }
        }
        Provider::Mistral => {
            let base = ensure_route(base, "v1");
            ensure_route(&base, path)
        }
        Provider::HuggingFace => {
            let trimmed = trim_base(base);
            let base_path = path_of(trimmed);
            if base_path.ends_with(&format!("/{path}")) {
                trimmed.to_string()
            } else if base_path.ends_with("/v1") {
                join(trimmed, path)
            } else {
                format!("{trimmed}/v1/{path}")
            }
        }
        Provider::Xai
        | Provider::OpenRouter
        | Provider::Groq
        | Provider::DeepSeek
        | Provider::TogetherAi
        | Provider::FireworksAi
        | Provider::Cerebras
        | Provider::Gemini => ensure_route(base, path),
        // Ollama's own API (litellm's `ensure_api_route`): generate, chat, embed.
        Provider::Ollama | Provider::OllamaChat => ensure_route(
            base,
            match (provider, route) {
                (_, Route::Embeddings) => "api/embed",
                (Provider::Ollama, _) => "api/generate",
                _ => "api/chat",
            },
        ),
        // litellm takes a Cohere api_base as the full URL (`wire::cohere` builds its own).
        Provider::Cohere | Provider::CohereChat => base.to_string(),
        // litellm's anthropic route: the base plus `v1/messages` unless it already ends so.
        Provider::Anthropic => ensure_route(base, "v1/messages"),
    })
}

/// litellm's Azure Responses URL: the resource's `/openai/responses` (or, on a base that is already
/// the `/openai/v1` surface, its `/responses`), always with the `api-version` query.
fn azure_responses_url(base: &str, target: &Target) -> String {
    let version = target.api_version.as_deref().unwrap_or("");
    let base = trim_base(base);
    let path = path_of(base);
    let url = if path.ends_with("/openai/v1/responses") || path.ends_with("/openai/responses") {
        base.to_string()
    } else if path.ends_with("/openai/v1") {
        format!("{base}/responses")
    } else if is_azure_v1_version(version) {
        format!("{base}/openai/v1/responses")
    } else {
        format!("{base}/openai/responses")
    };
    format!("{url}?api-version={version}")
}

fn auth_for(provider: Provider, target: &Target, route: Route) -> Option<(String, String)> {
    if provider == Provider::Azure {
        if let Some(token) = &target.azure_ad_token {
            return Some(("authorization".into(), format!("Bearer {token}")));
        }
    }
    let key = target.api_key.as_deref().filter(|k| !k.is_empty())?;
    let azure_v1 = target
        .api_version
        .as_deref()
        .is_some_and(is_azure_v1_version);
    match provider.auth() {
        // litellm's Azure Responses config sends `api-key` whatever the API version.
        Auth::ApiKeyHeader if !azure_v1 || route == Route::Responses => {
            Some(("api-key".into(), key.to_string()))
        }
        Auth::XApiKey => Some(("x-api-key".into(), key.to_string())),
        _ => Some(("authorization".into(), format!("Bearer {key}"))),
    }
}

/// The URL and provider headers for one call. User `extra_headers` are merged later, last wins.
pub fn resolve(provider: Provider, target: &Target, route: Route) -> Result<Endpoint, CoreError> {
    let url = url_for(provider, target, route)?;
    let mut headers = Vec::with_capacity(4);
    if let Some(auth) = auth_for(provider, target, route) {
        headers.push(auth);
    }
    if provider == Provider::OpenRouter {
        // litellm's defaults for OpenRouter's attribution headers.
        headers.push(("http-referer".into(), "https://litellm.ai".into()));
        headers.push(("x-title".into(), "liteLLM".into()));
    }
    Ok(Endpoint { url, headers })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(base: &str) -> Target {
        Target {
            api_base: Some(base.into()),
            api_key: Some("k".into()),
            model: "m".into(),
            ..Target::default()
        }
    }

    fn url(provider: Provider, base: &str) -> String {
        resolve(provider, &target(base), Route::ChatCompletions)
            .map(|e| e.url)
            .unwrap_or_default()
    }

    #[test]
    fn openai_joins_like_the_sdk() {
        assert_eq!(
            url(Provider::OpenAI, "http://h/v1"),
            "http://h/v1/chat/completions"
        );
        assert_eq!(
            url(Provider::OpenAI, "http://h/v1/"),
            "http://h/v1/chat/completions"
        );
        assert_eq!(
            url(Provider::OpenAI, "http://h"),
            "http://h/chat/completions"
        );
    }

    #[test]
    fn default_bases_apply_without_api_base() {
        let t = Target {
            model: "m".into(),
            ..Target::default()
        };
        let e = resolve(Provider::Groq, &t, Route::ChatCompletions).map(|e| e.url);
        assert_eq!(
            e.as_deref(),
            Ok("https://api.groq.com/openai/v1/chat/completions")
        );
        let e = resolve(Provider::OpenAI, &t, Route::Embeddings).map(|e| e.url);
        assert_eq!(e.as_deref(), Ok("https://api.openai.com/v1/embeddings"));
    }

    #[test]
    fn azure_deployment_and_v1_surfaces() {
        let mut t = target("http://h");
        t.model = "my deploy".into();
        t.api_version = Some("2024-10-21".into());
        let e = resolve(Provider::Azure, &t, Route::ChatCompletions);
        let e = e.unwrap_or_else(|_| Endpoint {
            url: String::new(),
            headers: vec![],
        });
        assert_eq!(
            e.url,
            "http://h/openai/deployments/my%20deploy/chat/completions?api-version=2024-10-21"
        );
        assert_eq!(e.headers[0], ("api-key".to_string(), "k".to_string()));

        let mut t = target("http://h/openai/v1");
        t.api_version = Some("v1".into());
        let e = resolve(Provider::Azure, &t, Route::ChatCompletions);
        let e = e.unwrap_or_else(|_| Endpoint {
            url: String::new(),
            headers: vec![],
        });
        assert_eq!(e.url, "http://h/openai/v1/chat/completions");
        assert_eq!(
            e.headers[0],
            ("authorization".to_string(), "Bearer k".to_string())
        );
    }

    #[test]
    fn azure_without_base_is_a_clear_error() {
        let t = Target {
            model: "d".into(),
            ..Target::default()
        };
        let err = resolve(Provider::Azure, &t, Route::ChatCompletions);
        assert!(matches!(err, Err(CoreError::InvalidRequest { .. })));
    }

    #[test]
    fn mistral_ensures_v1() {
        assert_eq!(
            url(Provider::Mistral, "http://h"),
            "http://h/v1/chat/completions"
        );
        assert_eq!(
            url(Provider::Mistral, "http://h/v1"),
            "http://h/v1/chat/completions"
        );
    }

    #[test]
    fn openai_compatible_keep_a_full_route() {
        assert_eq!(
            url(Provider::Groq, "http://h/openai/v1"),
            "http://h/openai/v1/chat/completions"
        );
        assert_eq!(
            url(Provider::DeepSeek, "http://h/chat/completions"),
            "http://h/chat/completions"
        );
        assert_eq!(
            url(Provider::OpenRouter, "http://h/api/v1/"),
            "http://h/api/v1/chat/completions"
        );
    }

    #[test]
    fn huggingface_adds_v1_when_missing() {
        assert_eq!(
            url(Provider::HuggingFace, "http://h/together"),
            "http://h/together/v1/chat/completions"
        );
        assert_eq!(
            url(Provider::HuggingFace, "http://h/v1"),
            "http://h/v1/chat/completions"
        );
        assert_eq!(
            url(Provider::HuggingFace, "http://h/x/v1/chat/completions"),
            "http://h/x/v1/chat/completions"
        );
    }

    #[test]
    fn openrouter_attribution_headers() {
        let e = resolve(
            Provider::OpenRouter,
            &target("http://h/api/v1"),
            Route::ChatCompletions,
        );
        let headers = e.map(|e| e.headers).unwrap_or_default();
        assert!(headers
            .iter()
            .any(|(k, v)| k == "x-title" && v == "liteLLM"));
    }

    fn responses(provider: Provider, base: &str, version: Option<&str>) -> Endpoint {
        let mut t = target(base);
        t.api_version = version.map(str::to_owned);
        resolve(provider, &t, Route::Responses).unwrap_or_else(|_| Endpoint {
            url: String::new(),
            headers: vec![],
        })
    }

    #[test]
    fn responses_urls_as_litellm_builds_them() {
        let url = |p, base| responses(p, base, None).url;
        assert_eq!(
            url(Provider::OpenAI, "http://h/v1/"),
            "http://h/v1/responses"
        );
        assert_eq!(url(Provider::OpenAI, "http://h"), "http://h/responses");
        assert_eq!(
            url(Provider::OpenRouter, "http://h/api/v1"),
            "http://h/api/v1/responses"
        );
        assert_eq!(url(Provider::Xai, "http://h/v1"), "http://h/v1/responses");
        let t = Target {
            model: "m".into(),
            ..Target::default()
        };
        let e = resolve(Provider::OpenAI, &t, Route::Responses).map(|e| e.url);
        assert_eq!(e.as_deref(), Ok("https://api.openai.com/v1/responses"));
    }

    #[test]
    fn azure_responses_resource_route_with_api_key() {
        let e = responses(Provider::Azure, "http://h/", Some("2025-03-01-preview"));
        assert_eq!(
            e.url,
            "http://h/openai/responses?api-version=2025-03-01-preview"
        );
        assert_eq!(e.headers[0], ("api-key".to_string(), "k".to_string()));
        let e = responses(Provider::Azure, "http://h", Some("v1"));
        assert_eq!(e.url, "http://h/openai/v1/responses?api-version=v1");
        assert_eq!(e.headers[0], ("api-key".to_string(), "k".to_string()));
        let e = responses(Provider::Azure, "http://h/openai/v1", Some("v1"));
        assert_eq!(e.url, "http://h/openai/v1/responses?api-version=v1");
    }

    #[test]
    fn no_key_means_no_auth_header() {
        let mut t = target("http://h/v1");
        t.api_key = None;
        let e = resolve(Provider::OpenAI, &t, Route::ChatCompletions).map(|e| e.headers);
        assert_eq!(e, Ok(vec![]));
    }

    fn text_url(provider: Provider, t: &Target) -> String {
        resolve(provider, t, Route::TextCompletion)
            .map(|e| e.url)
            .unwrap_or_default()
    }

    #[test]
    fn text_completion_urls_as_litellm_builds_them() {
        // The openai SDK's joining on every route litellm posts `/completions` to.
        assert_eq!(
            text_url(Provider::OpenAI, &target("http://h/v1/")),
            "http://h/v1/completions"
        );
        assert_eq!(
            text_url(Provider::TogetherAi, &target("http://h/v1")),
            "http://h/v1/completions"
        );
        assert_eq!(
            text_url(Provider::FireworksAi, &target("http://h/inference/v1")),
            "http://h/inference/v1/completions"
        );
        let mut defaults = target("");
        defaults.api_base = None;
        assert_eq!(
            text_url(Provider::OpenAI, &defaults),
            "https://api.openai.com/v1/completions"
        );
        assert_eq!(
            text_url(Provider::TogetherAi, &defaults),
            "https://api.together.xyz/v1/completions"
        );
        assert_eq!(
            text_url(Provider::FireworksAi, &defaults),
            "https://api.fireworks.ai/inference/v1/completions"
        );
        // azure_text: the deployment URL, and the v1 surface.
        let mut azure = target("http://h/");
        azure.model = "my dep".into();
        azure.api_version = Some("2024-10-21".into());
        assert_eq!(
            text_url(Provider::Azure, &azure),
            "http://h/openai/deployments/my%20dep/completions?api-version=2024-10-21"
        );
        azure.api_version = Some("v1".into());
        assert_eq!(
            text_url(Provider::Azure, &azure),
            "http://h/openai/v1/completions"
        );
        // Chat completions keep their own rule on those providers.
        assert_eq!(
            url(Provider::TogetherAi, "http://h/v1/chat/completions"),
            "http://h/v1/chat/completions"
        );
    }

    #[test]
    fn text_completion_is_refused_off_the_openai_wire() {
        for provider in [
            Provider::Anthropic,
            Provider::Gemini,
            Provider::Ollama,
            Provider::Cohere,
        ] {
            let out = crate::wire::outgoing(
                provider,
                &target("http://h"),
                Route::TextCompletion,
                serde_json::json!({"prompt": "x"}),
            );
            assert!(
                matches!(out, Err(CoreError::InvalidRequest { .. })),
                "{provider:?}"
            );
        }
    }
}
