//! The process-wide runtime and connection pool, and sending one prepared request with litellm's
//! retry policy (the openai SDK's: 408/409/429/5xx, timeouts and connection errors; exponential
//! backoff from 0.5 s capped at 8 s with jitter; `retry-after`/`retry-after-ms` honoured up to 60 s).

use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tokio::runtime::Runtime;

use crate::error::{header, CoreError};
use crate::redact::redact_text;
use crate::redirect::{cross_origin_hop, hop_headers, MAX_REDIRECTS};

/// One runtime and one pooled client per process. After `fork()` the child gets fresh ones: the
/// parent's worker threads do not exist there, so the old runtime is leaked, never dropped.
pub struct Shared {
    pid: u32,
    pub runtime: Runtime,
    pub client: reqwest::Client,
}

static SHARED: RwLock<Option<Arc<Shared>>> = RwLock::new(None);

fn build_shared(pid: u32) -> Result<Shared, CoreError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("edgequake-io")
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| CoreError::Transport {
            detail: format!("cannot start the I/O runtime: {e}"),
        })?;
    let client = reqwest::Client::builder()
        .tcp_nodelay(true)
        .pool_idle_timeout(Duration::from_secs(90))
        .user_agent(concat!("edgequake/", env!("CARGO_PKG_VERSION")))
        .redirect(crate::redirect::policy())
        .build()
        .map_err(|e| CoreError::Transport {
            detail: format!("cannot build the HTTP client: {e}"),
        })?;
    Ok(Shared {
        pid,
        runtime,
        client,
    })
}

/// The shared runtime and client, built on first use and rebuilt in a forked child.
pub fn shared() -> Result<Arc<Shared>, CoreError> {
    let pid = std::process::id();
    if let Ok(guard) = SHARED.read() {
        if let Some(s) = guard.as_ref() {
            if s.pid == pid {
                return Ok(Arc::clone(s));
            }
        }
    }
    let mut guard = SHARED
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(s) = guard.as_ref() {
        if s.pid == pid {
            return Ok(Arc::clone(s));
        }
    }
    let fresh = Arc::new(build_shared(pid)?);
    if let Some(old) = guard.replace(Arc::clone(&fresh)) {
        // Inherited from the parent across fork(): its threads are gone, dropping it could block.
        std::mem::forget(old);
    }
    Ok(fresh)
}

/// A request ready to send any number of times (retries resend the same bytes).
#[derive(Debug, Clone)]
pub struct Prepared {
    pub url: String,
    pub headers: HeaderMap,
    /// Shared between attempts without copying.
    pub body: bytes::Bytes,
    /// Per-operation timeout, like httpx's: connect, wait for headers, and each body read.
    pub timeout: Duration,
    pub max_retries: u32,
}

/// Builds the header map from owned pairs; invalid names or values are the caller's error.
pub fn header_map(pairs: &[(String, String)]) -> Result<HeaderMap, CoreError> {
    let mut map = HeaderMap::with_capacity(pairs.len() + 2);
    map.insert(
        reqwest::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    map.insert(
        reqwest::header::ACCEPT,
        HeaderValue::from_static("application/json"),
    );
    for (name, value) in pairs {
        let name =
            HeaderName::from_bytes(name.as_bytes()).map_err(|_| CoreError::InvalidRequest {
                detail: format!("invalid header name: {name:?}"),
            })?;
        let value = HeaderValue::from_str(value).map_err(|_| CoreError::InvalidRequest {
            detail: format!("invalid value for header {name}"),
        })?;
        map.insert(name, value);
    }
    Ok(map)
}

/// Response headers as owned, lower-cased pairs (what crosses into Python and into errors).
pub fn owned_headers(map: &HeaderMap) -> Vec<(String, String)> {
    map.iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

fn classify_reqwest(err: &reqwest::Error) -> CoreError {
    if err.is_timeout() {
        CoreError::Timeout { during: "read" }
    } else if err.is_connect() {
        match os_error(err) {
            Some((errno, text)) => CoreError::Connect {
                detail: format!("[Errno {errno}] {text}"),
                errno: Some(errno),
            },
            None => CoreError::Connect {
                detail: source_chain(err),
                errno: None,
            },
        }
    } else {
        CoreError::Transport {
            detail: source_chain(err),
        }
    }
}

/// The OS error under a connect failure, with its text as Python prints it (no "(os error N)").
fn os_error(err: &(dyn std::error::Error + 'static)) -> Option<(i32, String)> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = cur {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if let Some(code) = io.raw_os_error() {
                let text = io.to_string();
                let text = text.split(" (os error").next().unwrap_or(&text).to_owned();
                return Some((code, text));
            }
        }
        cur = e.source();
    }
    None
}

/// The innermost causes, which say what actually happened (e.g. "Connection refused (os error 111)").
/// reqwest names the URL ("error sending request for url (...)"): its secrets are redacted.
fn source_chain(err: &dyn std::error::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut cur = err.source();
    while let Some(e) = cur {
        parts.push(e.to_string());
        cur = e.source();
    }
    redact_text(&parts.join(": "))
}

/// Reads a whole body within the per-operation timeout.
pub async fn read_body(resp: reqwest::Response, timeout: Duration) -> Result<Vec<u8>, CoreError> {
    match tokio::time::timeout(timeout, resp.bytes()).await {
        Err(_) => Err(CoreError::Timeout { during: "read" }),
        Ok(Err(e)) => Err(classify_reqwest(&e)),
        Ok(Ok(b)) => Ok(b.to_vec()),
    }
}

/// One attempt: a success response with its body unread, or the failure. Redirects within the
/// origin are reqwest's; one to another origin is followed here, without credentials (`redirect`).
async fn attempt(client: &reqwest::Client, req: &Prepared) -> Result<reqwest::Response, CoreError> {
    let mut method = reqwest::Method::POST;
    let mut url = req.url.clone();
    let mut headers = req.headers.clone();
    let mut body = Some(req.body.clone());
    let mut hops = 0usize;
    let resp = loop {
        let mut builder = client
            .request(method.clone(), url.as_str())
            .headers(headers.clone());
        if let Some(bytes) = &body {
            builder = builder.body(bytes.clone());
        }
        let resp = match tokio::time::timeout(req.timeout, builder.send()).await {
            Err(_) => return Err(CoreError::Timeout { during: "connect" }),
            Ok(Err(e)) => return Err(classify_reqwest(&e)),
            Ok(Ok(r)) => r,
        };
        let Some(hop) = cross_origin_hop(&resp, &method) else {
            break resp;
        };
        hops += 1;
        if hops > MAX_REDIRECTS {
            return Err(CoreError::Transport {
                detail: format!("exceeded the maximum of {MAX_REDIRECTS} redirects"),
            });
        }
        headers = hop_headers(&headers, hop.keep_body);
        if !hop.keep_body {
            body = None;
        }
        method = hop.method;
        url = hop.url.to_string();
    };
    let status = resp.status().as_u16();
    if (200..300).contains(&status) {
        return Ok(resp);
    }
    let headers = owned_headers(resp.headers());
    let body = read_body(resp, req.timeout).await?;
    Err(CoreError::Status {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
        headers,
    })
}

/// Sends with retries; returns the first success response (body unread) or the last failure.
pub async fn send(
    client: &reqwest::Client,
    req: &Prepared,
) -> Result<reqwest::Response, CoreError> {
    let mut retries_done = 0u32;
    loop {
        match attempt(client, req).await {
            Ok(resp) => return Ok(resp),
            Err(err) if retries_done < req.max_retries && err.is_retryable() => {
                tokio::time::sleep(retry_delay(&err, retries_done)).await;
                retries_done += 1;
            }
            Err(err) => return Err(err),
        }
    }
}

/// How long to wait before the next attempt (the openai SDK's `_calculate_retry_timeout`).
pub fn retry_delay(err: &CoreError, retries_done: u32) -> Duration {
    if let CoreError::Status { headers, .. } = err {
        if let Some(secs) = retry_after_secs(headers) {
            if secs > 0.0 && secs <= 60.0 {
                if let Ok(delay) = Duration::try_from_secs_f64(secs) {
                    return delay;
                }
            }
        }
    }
    let base = (0.5 * 2f64.powi(retries_done.min(16) as i32)).min(8.0);
    // base is in [0.5, 8] and the factor in (0.75, 1]: always a valid Duration, but never a panic.
    Duration::try_from_secs_f64(base * (1.0 - 0.25 * jitter_fraction()))
        .unwrap_or(Duration::from_millis(500))
}

fn retry_after_secs(headers: &[(String, String)]) -> Option<f64> {
    if let Some(ms) = header(headers, "retry-after-ms").and_then(|v| v.trim().parse::<f64>().ok()) {
        return Some(ms / 1000.0);
    }
    header(headers, "retry-after").and_then(|v| v.trim().parse::<f64>().ok())
}

/// A cheap [0, 1) jitter; retries need spread, not cryptographic randomness.
fn jitter_fraction() -> f64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mut x = u64::from(nanos) ^ 0x9E37_79B9_7F4A_7C15;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    (x % 10_000) as f64 / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: u16, headers: &[(&str, &str)]) -> CoreError {
        CoreError::Status {
            status: code,
            body: String::new(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn retry_after_is_honoured_within_sixty_seconds() {
        assert_eq!(
            retry_delay(&status(429, &[("retry-after", "3")]), 0),
            Duration::from_secs(3)
        );
        assert_eq!(
            retry_delay(&status(429, &[("retry-after-ms", "250")]), 0),
            Duration::from_millis(250)
        );
        let long = retry_delay(&status(429, &[("retry-after", "600")]), 0);
        assert!(
            long <= Duration::from_millis(500),
            "over 60 s falls back to backoff: {long:?}"
        );
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let e = status(500, &[]);
        let first = retry_delay(&e, 0);
        assert!(first >= Duration::from_millis(375) && first <= Duration::from_millis(500));
        let late = retry_delay(&e, 10);
        assert!(late >= Duration::from_secs(6) && late <= Duration::from_secs(8));
    }

    #[test]
    fn retryable_statuses_match_the_openai_sdk() {
        for code in [408, 409, 429, 500, 502, 503, 529] {
            assert!(status(code, &[]).is_retryable(), "{code}");
        }
        for code in [400, 401, 403, 404, 422] {
            assert!(!status(code, &[]).is_retryable(), "{code}");
        }
        assert!(!status(500, &[("x-should-retry", "false")]).is_retryable());
        assert!(status(400, &[("x-should-retry", "true")]).is_retryable());
    }

    #[test]
    fn bad_header_is_an_invalid_request() {
        let err = header_map(&[("bad header".into(), "v".into())]);
        assert!(matches!(err, Err(CoreError::InvalidRequest { .. })));
    }
}
