//! Redirects. litellm 1.110.2 follows them (the openai SDK's httpx client and litellm's own httpx
//! handler both run with `follow_redirects=True`, up to httpx's 20), and on a hop to another origin
//! httpx drops `Authorization` and the openai SDK's Azure client drops `api-key`; any other
//! credential header (`x-api-key`, `x-goog-api-key`, one passed in `extra_headers`) would go along.
//!
//! Here a redirect within the origin is followed by reqwest as it stands (the policy below). One
//! that leaves the origin (scheme, host or port differ) stops reqwest, and `transport` follows it
//! itself with every credential taken out: credential headers by name (`redact::is_secret_header`),
//! userinfo and credential-like query parameters of the new URL. What was stripped stays stripped
//! for every later hop, back to the first origin included.

use reqwest::header::{HeaderMap, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, LOCATION};
use reqwest::{Method, Response, StatusCode, Url};

use crate::redact::{is_secret_header, is_secret_param};

/// httpx's `DEFAULT_MAX_REDIRECTS`, what litellm's clients run with.
pub const MAX_REDIRECTS: usize = 20;

/// Follow within the origin, stop at a hop to another origin (handed to `transport`).
pub fn policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        if attempt.previous().len() > MAX_REDIRECTS {
            return attempt.error("too many redirects");
        }
        let leaves = attempt
            .previous()
            .last()
            .is_some_and(|from| !same_origin(from, attempt.url()));
        if leaves {
            attempt.stop()
        } else {
            attempt.follow()
        }
    })
}

/// Scheme, host and port (the scheme's default when absent), as httpx compares origins.
pub fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// The next request of a redirect the policy stopped at, already stripped of credentials.
pub struct Hop {
    pub method: Method,
    pub url: Url,
    /// Whether the body goes along (307/308 keep it; 301/302/303 turn a POST into a bodiless GET).
    pub keep_body: bool,
}

/// The cross-origin hop `resp` asks for, or None when it is no redirect to follow here (not a
/// redirect status, no usable `Location`, or within the origin, which reqwest would have followed).
pub fn cross_origin_hop(resp: &Response, method: &Method) -> Option<Hop> {
    let status = resp.status();
    let redirect = matches!(
        status,
        StatusCode::MOVED_PERMANENTLY
            | StatusCode::FOUND
            | StatusCode::SEE_OTHER
            | StatusCode::TEMPORARY_REDIRECT
            | StatusCode::PERMANENT_REDIRECT
    );
    if !redirect {
        return None;
    }
    let location = resp.headers().get(LOCATION)?.to_str().ok()?;
    let next = resp.url().join(location).ok()?;
    if same_origin(resp.url(), &next) || !matches!(next.scheme(), "http" | "https") {
        return None;
    }
    // httpx's `_redirect_method` (reqwest's own is the same for POST): 303 and 302 become GET,
    // 301 turns a POST into a GET.
    let to_get = match status {
        StatusCode::SEE_OTHER | StatusCode::FOUND => *method != Method::HEAD,
        StatusCode::MOVED_PERMANENTLY => *method == Method::POST,
        _ => false,
    };
    Some(Hop {
        method: if to_get { Method::GET } else { method.clone() },
        url: without_credentials(next),
        keep_body: !to_get,
    })
}

/// The headers for a hop to another origin: no credential header; no body headers when the body
/// is dropped.
pub fn hop_headers(headers: &HeaderMap, keep_body: bool) -> HeaderMap {
    let mut out = HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        if is_secret_header(name.as_str()) {
            continue;
        }
        if !keep_body && [CONTENT_LENGTH, CONTENT_TYPE, CONTENT_ENCODING].contains(name) {
            continue;
        }
        out.append(name.clone(), value.clone());
    }
    out
}

/// `url` without userinfo (reqwest would send it as basic auth) and without credential-like query
/// parameters (a `key=` never goes to another origin, even when `Location` carries one).
pub fn without_credentials(mut url: Url) -> Url {
    // Both fail only for URLs that cannot have userinfo, which then has none to drop.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    if let Some(query) = url.query() {
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| {
                let name = pair.split_once('=').map_or(*pair, |(n, _)| n);
                !is_secret_param(name)
            })
            .collect();
        let kept = kept.join("&");
        url.set_query(if kept.is_empty() { None } else { Some(&kept) });
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn same(a: &str, b: &str) -> Option<bool> {
        Some(same_origin(&Url::parse(a).ok()?, &Url::parse(b).ok()?))
    }

    fn stripped(s: &str) -> Option<String> {
        Url::parse(s)
            .ok()
            .map(|u| without_credentials(u).to_string())
    }

    #[test]
    fn origin_is_scheme_host_and_port() {
        assert_eq!(same("http://h/a", "http://h:80/b?c"), Some(true));
        assert_eq!(same("http://h/a", "https://h/a"), Some(false));
        assert_eq!(same("http://h:1/a", "http://h:2/a"), Some(false));
        assert_eq!(same("http://h/a", "http://g/a"), Some(false));
    }

    #[test]
    fn a_hop_to_another_origin_carries_no_credential() {
        let mut headers = HeaderMap::new();
        for (k, v) in [
            ("authorization", "Bearer s"),
            ("api-key", "s"),
            ("x-api-key", "s"),
            ("x-goog-api-key", "s"),
            ("cookie", "a=s"),
            ("content-type", "application/json"),
            ("user-agent", "ua"),
        ] {
            headers.insert(k, HeaderValue::from_static(v));
        }
        let kept = hop_headers(&headers, true);
        let names: Vec<&str> = kept.keys().map(|k| k.as_str()).collect();
        assert_eq!(names, ["content-type", "user-agent"]);
        let kept = hop_headers(&headers, false);
        let names: Vec<&str> = kept.keys().map(|k| k.as_str()).collect();
        assert_eq!(names, ["user-agent"]);
        assert_eq!(
            stripped("http://u:p@h:9/v1/x?api-version=1&key=s&sig=t").as_deref(),
            Some("http://h:9/v1/x?api-version=1")
        );
        assert_eq!(stripped("http://h/x?key=s").as_deref(), Some("http://h/x"));
    }
}
