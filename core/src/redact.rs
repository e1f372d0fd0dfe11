//! Secrets out of URLs and header sets before they reach an error, a log or another host
//! (issue 12, item 3): userinfo is dropped, the values of credential-like query parameters become
//! `REDACTED` (the names stay, so the URL still says what was sent), and credential headers are
//! recognised by name for a redirect that leaves the origin.
//!
//! Plain string work, no URL parser: what must be cleaned is often not a valid URL (an `api_base`
//! with a query gets the endpoint path appended after it, `http://h/v1?key=k/chat/completions`), and
//! a parser that rejects or re-encodes it would let the raw text through.

/// What a credential value is replaced with.
pub const REDACTED: &str = "REDACTED";

/// Query parameter names that carry a credential, compared after lower-casing with `-` as `_`.
const SECRET_PARAMS: &[&str] = &[
    "key",
    "api_key",
    "apikey",
    "token",
    "access_token",
    "id_token",
    "refresh_token",
    "auth",
    "sig",
    "signature",
    "secret",
    "client_secret",
    "password",
    "pass",
    "passwd",
    "pwd",
    "code",
    "session",
    "sessionid",
    "credential",
    "x_api_key",
];

/// Name fragments that mark a credential in a query parameter or header name.
const SECRET_FRAGMENTS: &[&str] = &[
    "key",
    "token",
    "secret",
    "password",
    "passwd",
    "signature",
    "credential",
    "auth",
    "cookie",
    "session",
];

/// Whether a query parameter (raw, possibly percent-encoded) names a credential.
pub fn is_secret_param(raw_name: &str) -> bool {
    let name = percent_decode(raw_name)
        .to_ascii_lowercase()
        .replace('-', "_");
    SECRET_PARAMS.contains(&name.as_str()) || SECRET_FRAGMENTS.iter().any(|f| name.contains(f))
}

/// Whether a request header carries a credential: `authorization`, `proxy-authorization`,
/// `cookie`, `api-key`, `x-api-key`, `x-goog-api-key`, `ocp-apim-subscription-key`, any `*-token`...
pub fn is_secret_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    SECRET_FRAGMENTS.iter().any(|f| name.contains(f))
}

/// `url` without userinfo and with every credential-like query value replaced by `REDACTED`.
pub fn redact_url(url: &str) -> String {
    let (prefix, rest) = match url.find("://") {
        Some(i) if is_scheme(&url[..i]) => url.split_at(i + 3),
        _ => ("", url),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let host = if prefix.is_empty() {
        authority
    } else {
        authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host)
    };
    let (before_fragment, fragment) = match tail.find('#') {
        Some(i) => tail.split_at(i),
        None => (tail, ""),
    };
    let query = match before_fragment.find('?') {
        Some(i) => {
            let (path, query) = before_fragment.split_at(i);
            format!("{path}?{}", redact_query(&query[1..]))
        }
        None => before_fragment.to_owned(),
    };
    format!("{prefix}{host}{query}{}", redact_fragment(fragment))
}

/// Every `http(s)://...` URL inside free text (an error message), redacted; the rest untouched.
/// A URL ends at whitespace, a quote, `)`, `>`, `]` or `,` followed by a space.
pub fn redact_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = find_url_start(rest) {
        out.push_str(&rest[..start]);
        let candidate = &rest[start..];
        let end = candidate
            .char_indices()
            .find(|&(i, c)| {
                c.is_whitespace()
                    || matches!(c, '"' | '\'' | '`' | ')' | '>' | ']')
                    || (c == ',' && candidate[i + 1..].starts_with(' '))
            })
            .map_or(candidate.len(), |(i, _)| i);
        out.push_str(&redact_url(&candidate[..end]));
        rest = &candidate[end..];
    }
    out.push_str(rest);
    out
}

fn find_url_start(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    match (lower.find("http://"), lower.find("https://")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// A query's pairs, split on `&` (and `;`); a credential's value runs to the next separator, so a
/// path appended after a query (`?key=k/chat/completions`) is hidden with it.
fn redact_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| {
            pair.split(';')
                .map(|part| match part.split_once('=') {
                    Some((name, _)) if is_secret_param(name) => format!("{name}={REDACTED}"),
                    _ => part.to_owned(),
                })
                .collect::<Vec<_>>()
                .join(";")
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// OAuth implicit flows put `access_token=` in the fragment; treat a fragment with pairs like a query.
fn redact_fragment(fragment: &str) -> String {
    match fragment.strip_prefix('#') {
        Some(f) if f.contains('=') => format!("#{}", redact_query(f)),
        _ => fragment.to_owned(),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let decoded = match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) => hex(h).zip(hex(l)).map(|(h, l)| h * 16 + l),
            (b'+', _, _) => Some(b' '),
            _ => None,
        };
        match decoded {
            Some(b) if bytes[i] == b'%' => {
                out.push(b);
                i += 3;
            }
            Some(b) => {
                out.push(b);
                i += 1;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_and_key_values_go_names_stay() {
        assert_eq!(
            redact_url("https://user:sk-1@h.example:8443/v1/chat?api-version=1&key=sk-1#x"),
            "https://h.example:8443/v1/chat?api-version=1&key=REDACTED#x"
        );
        assert_eq!(
            redact_url("http://127.0.0.1:9/v1?key=sk-1/chat/completions"),
            "http://127.0.0.1:9/v1?key=REDACTED"
        );
        assert_eq!(
            redact_url("http://h?Api_Key=a&TOKEN=b&access_token=c&sig=d&x%2Dapi%2Dkey=e&n=1"),
            "http://h?Api_Key=REDACTED&TOKEN=REDACTED&access_token=REDACTED&sig=REDACTED&x%2Dapi%2Dkey=REDACTED&n=1"
        );
        assert_eq!(
            redact_url("http://h/#access_token=t"),
            "http://h/#access_token=REDACTED"
        );
        assert_eq!(redact_url("http://h/a@b?x=1"), "http://h/a@b?x=1");
        assert_eq!(redact_url("not a url ?key=v"), "not a url ?key=REDACTED");
    }

    #[test]
    fn urls_inside_text_are_redacted() {
        let text = "error sending request for url (http://u:p@127.0.0.1:1/v1?key=sk-1/chat): boom";
        assert_eq!(
            redact_text(text),
            "error sending request for url (http://127.0.0.1:1/v1?key=REDACTED): boom"
        );
        assert_eq!(redact_text("no url here"), "no url here");
        assert_eq!(
            redact_text("a HTTPS://x:y@h/?token=t, then http://h2/?k=1"),
            "a HTTPS://h/?token=REDACTED, then http://h2/?k=1"
        );
    }

    #[test]
    fn credential_headers_are_known_by_name() {
        for name in [
            "authorization",
            "Proxy-Authorization",
            "cookie",
            "api-key",
            "x-api-key",
            "x-goog-api-key",
            "ocp-apim-subscription-key",
            "x-auth-token",
        ] {
            assert!(is_secret_header(name), "{name}");
        }
        for name in [
            "content-type",
            "accept",
            "user-agent",
            "openai-organization",
        ] {
            assert!(!is_secret_header(name), "{name}");
        }
    }
}
