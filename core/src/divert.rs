//! The process-level divert (docs/adr/0013): while a test replays or records a cassette, every
//! request the core sends goes to one loopback origin instead of its own, carrying the URL it was
//! meant for in `ORIGINAL_URL_HEADER`. The cassette bridge there answers it from the cassette (or
//! forwards it upstream when recording), so the caller's code keeps calling the real provider URL
//! and the cassette records that URL, not 127.0.0.1.
//!
//! Loopback targets only: the divert is a test device, and sending a request (with its API key)
//! to some other host because a process-wide switch was flipped must be impossible.

use std::sync::RwLock;

use reqwest::Url;

use crate::error::CoreError;

/// The request header that carries the URL a diverted request was meant for.
pub const ORIGINAL_URL_HEADER: &str = "x-edgequake-divert-url";

static ORIGIN: RwLock<Option<Url>> = RwLock::new(None);

/// Whether `url` names this machine: 127.0.0.0/8, ::1 or `localhost`.
fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

/// Parses and checks a divert origin: `http://` on a loopback host with a port, nothing else.
pub fn parse_origin(origin: &str) -> Result<Url, CoreError> {
    let invalid = |why: &str| CoreError::InvalidRequest {
        detail: format!("divert origin {origin:?} refused: {why}"),
    };
    let url = Url::parse(origin).map_err(|_| invalid("not a URL"))?;
    if url.scheme() != "http" {
        return Err(invalid("only plain http to a loopback server is allowed"));
    }
    if !is_loopback(&url) {
        return Err(invalid(
            "only a loopback host (127.0.0.1, ::1, localhost) is allowed",
        ));
    }
    if url.port().is_none() {
        return Err(invalid("a port is required"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("no userinfo is allowed"));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("an origin has no path, query or fragment"));
    }
    Ok(url)
}

/// Turns the divert on (`Some(origin)`, checked by `parse_origin`) or off (`None`).
pub fn set(origin: Option<&str>) -> Result<(), CoreError> {
    let parsed = origin.map(parse_origin).transpose()?;
    let mut guard = ORIGIN.write().unwrap_or_else(|p| p.into_inner());
    *guard = parsed;
    Ok(())
}

/// The current divert origin, if any.
pub fn current() -> Option<String> {
    let guard = ORIGIN.read().unwrap_or_else(|p| p.into_inner());
    guard
        .as_ref()
        .map(|u| u.as_str().trim_end_matches('/').to_owned())
}

/// Where to send a request meant for `url`: `None` when no divert is on (send it as it is), else
/// the loopback URL (same path and query) and the original URL for `ORIGINAL_URL_HEADER`.
pub fn route(url: &str) -> Option<(String, String)> {
    let guard = ORIGIN.read().unwrap_or_else(|p| p.into_inner());
    let origin = guard.as_ref()?;
    let mut target = origin.clone();
    match Url::parse(url) {
        Ok(parsed) => {
            target.set_path(parsed.path());
            target.set_query(parsed.query());
        }
        // Not a URL reqwest could send either: the bridge answers it with a clear miss.
        Err(_) => target.set_path("/"),
    }
    Some((target.to_string(), url.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_http_origins() {
        assert!(parse_origin("http://127.0.0.1:8080").is_ok());
        assert!(parse_origin("http://[::1]:8080").is_ok());
        assert!(parse_origin("http://localhost:9").is_ok());
        for bad in [
            "https://127.0.0.1:8080",
            "http://10.0.0.1:8080",
            "http://api.openai.com:80",
            "http://127.0.0.1",
            "http://u:p@127.0.0.1:1",
            "http://127.0.0.1:1/v1",
            "not a url",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn route_keeps_path_and_query_and_carries_the_url() {
        // One test touches the global, so parallel tests cannot race on it.
        assert!(set(Some("http://127.0.0.1:4000")).is_ok());
        let routed =
            route("https://generativelanguage.googleapis.com/v1beta/models/g:x?alt=sse&key=k");
        assert_eq!(
            routed,
            Some((
                "http://127.0.0.1:4000/v1beta/models/g:x?alt=sse&key=k".to_owned(),
                "https://generativelanguage.googleapis.com/v1beta/models/g:x?alt=sse&key=k"
                    .to_owned()
            ))
        );
        assert_eq!(current().as_deref(), Some("http://127.0.0.1:4000"));
        assert!(set(Some("http://8.8.8.8:53")).is_err());
        assert_eq!(current().as_deref(), Some("http://127.0.0.1:4000"));
        assert!(set(None).is_ok());
        assert_eq!(route("https://api.openai.com/v1/chat/completions"), None);
        assert_eq!(current(), None);
    }
}
