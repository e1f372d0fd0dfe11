//! The process-wide runtime and connection pool, and sending one prepared request with litellm's
//! retry policy (`crate::retry`), within the process's connection bound (`crate::limits`).

use std::sync::{Arc, RwLock};
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tokio::runtime::Runtime;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::CoreError;
use crate::limits::{max_connections, IDLE_TIMEOUT, MAX_IDLE_PER_HOST};
use crate::redact::redact_text;
use crate::redirect::{cross_origin_hop, hop_headers, MAX_REDIRECTS};
use crate::retry::{retry_delay, should_retry};

/// One runtime and one pooled client per process. After `fork()` the child gets fresh ones: the
/// parent's worker threads do not exist there, so the old runtime is leaked, never dropped.
pub struct Shared {
    pid: u32,
    pub runtime: Runtime,
    pub net: Net,
}

/// The pooled client and the slots that bound how many requests are on the wire at once.
#[derive(Clone)]
pub struct Net {
    client: reqwest::Client,
    slots: Arc<Semaphore>,
}

/// A success response with its body unread, and the connection slot it holds until it is dropped.
pub struct Sent {
    pub response: reqwest::Response,
    pub slot: OwnedSemaphorePermit,
}

/// A whole response: status, headers, body bytes.
pub type Fetched = (u16, Vec<(String, String)>, Vec<u8>);

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
    Ok(Shared {
        pid,
        runtime,
        net: Net {
            client: client()?,
            slots: Arc::new(Semaphore::new(max_connections())),
        },
    })
}

/// A pooled client as every pool here is configured (the shared one and each caller thread's).
fn client() -> Result<reqwest::Client, CoreError> {
    reqwest::Client::builder()
        .tcp_nodelay(true)
        .pool_idle_timeout(IDLE_TIMEOUT)
        .pool_max_idle_per_host(MAX_IDLE_PER_HOST)
        .user_agent(concat!("edgequake/", env!("CARGO_PKG_VERSION")))
        .redirect(crate::redirect::policy())
        .build()
        .map_err(|e| CoreError::Transport {
            detail: format!("cannot build the HTTP client: {e}"),
        })
}

impl Net {
    /// A pool of its own that shares this one's bound on requests in flight.
    pub fn sibling(&self) -> Result<Net, CoreError> {
        Ok(Net {
            client: client()?,
            slots: Arc::clone(&self.slots),
        })
    }
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

/// Reads a whole body, the timeout applying to each read as httpx applies its read timeout: a body
/// that keeps arriving (a slow drip, a 50 MB reply) is not cut off by a deadline on the whole.
pub async fn read_body(
    mut resp: reqwest::Response,
    timeout: Duration,
) -> Result<Vec<u8>, CoreError> {
    // Preallocated from content-length, but never trusting it for more than a few MiB up front.
    let hint = resp.content_length().unwrap_or(0).min(8 << 20);
    let mut body = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    loop {
        match tokio::time::timeout(timeout, resp.chunk()).await {
            Err(_) => return Err(CoreError::Timeout { during: "read" }),
            Ok(Err(e)) => return Err(classify_reqwest(&e)),
            Ok(Ok(None)) => return Ok(body),
            Ok(Ok(Some(piece))) => body.extend_from_slice(&piece),
        }
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
        // A test's cassette bridge, when one is on (docs/adr/0013): same request, loopback origin.
        let mut builder = match crate::divert::route(&url) {
            None => client.request(method.clone(), url.as_str()),
            Some((diverted, original)) => client
                .request(method.clone(), diverted.as_str())
                .header(crate::divert::ORIGINAL_URL_HEADER, original),
        }
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

impl Net {
    /// Waits for a free connection slot, within the request's timeout (httpx's pool timeout).
    async fn slot(&self, req: &Prepared) -> Result<OwnedSemaphorePermit, CoreError> {
        match tokio::time::timeout(req.timeout, Arc::clone(&self.slots).acquire_owned()).await {
            Err(_) => Err(CoreError::Timeout { during: "connect" }),
            Ok(Err(_closed)) => Err(CoreError::Transport {
                detail: "the connection pool is shut down".into(),
            }),
            Ok(Ok(slot)) => Ok(slot),
        }
    }

    /// One attempt holding a slot.
    async fn attempt(&self, req: &Prepared) -> Result<Sent, CoreError> {
        let slot = self.slot(req).await?;
        let response = attempt(&self.client, req).await?;
        Ok(Sent { response, slot })
    }

    /// Sends with retries up to the response headers (a stream's attempt); returns the first success
    /// response, body unread, or the last failure.
    pub async fn send(&self, req: &Prepared) -> Result<Sent, CoreError> {
        let mut retries_done = 0u32;
        loop {
            match self.attempt(req).await {
                Ok(sent) => return Ok(sent),
                Err(err) if retries_done < req.max_retries && should_retry(&err) => {
                    tokio::time::sleep(retry_delay(&err, retries_done)).await;
                    retries_done += 1;
                }
                Err(err) => return Err(err),
            }
        }
    }

    /// Sends with retries and reads the whole body; as in the openai SDK (which reads a non-stream
    /// body inside its attempt), a body cut or stalled mid-way is a failed attempt and is retried.
    pub async fn fetch(&self, req: &Prepared) -> Result<Fetched, CoreError> {
        let mut retries_done = 0u32;
        loop {
            let outcome = async {
                let sent = self.attempt(req).await?;
                let status = sent.response.status().as_u16();
                let headers = owned_headers(sent.response.headers());
                let body = read_body(sent.response, req.timeout).await?;
                drop(sent.slot);
                Ok::<Fetched, CoreError>((status, headers, body))
            }
            .await;
            match outcome {
                Ok(fetched) => return Ok(fetched),
                Err(err) if retries_done < req.max_retries && should_retry(&err) => {
                    tokio::time::sleep(retry_delay(&err, retries_done)).await;
                    retries_done += 1;
                }
                Err(err) => return Err(err),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_header_is_an_invalid_request() {
        let err = header_map(&[("bad header".into(), "v".into())]);
        assert!(matches!(err, Err(CoreError::InvalidRequest { .. })));
    }
}
