//! `prepare(...)` builds one owned, ready-to-send request (URL, headers, body bytes) under the GIL;
//! the returned `Request` is then sent blocking or async, as a whole body or as a stream.

use std::time::Duration;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;

use crate::endpoint::{Route, Target};
use crate::error::CoreError;
use crate::provider::Provider;
use crate::stream::ChunkStream;
use crate::transport::{header_map, shared, Net, Prepared};
use crate::wire::{incoming, outgoing, Outgoing, Reply};

use super::convert::{headers_to_py, to_json, to_py};
use super::errors::{to_pyerr, Failure};
use super::run::{run_keeping, run_on_caller, spawn_with_callback, Handle};
use super::stream::Stream;

#[pyclass(module = "edgequake._core", frozen)]
pub struct Request {
    provider: Provider,
    route: Route,
    prepared: Prepared,
}

/// A whole response: status, headers, parsed JSON body.
type Whole = (u16, Vec<(String, String)>, Value);

/// A failure of a Responses API call is classified as litellm's Responses handler does.
fn on_route<T>(route: Route, result: Result<T, Failure>) -> Result<T, Failure> {
    match (route, result) {
        (Route::Responses, Err(Failure::Wire(e))) => Err(Failure::Responses(e)),
        (_, other) => other,
    }
}

async fn fetch_whole(
    provider: Provider,
    route: Route,
    net: Net,
    prepared: Prepared,
) -> Result<Whole, Failure> {
    on_route(route, fetch_whole_as(provider, route, net, prepared).await)
}

async fn fetch_whole_as(
    provider: Provider,
    route: Route,
    net: Net,
    prepared: Prepared,
) -> Result<Whole, Failure> {
    let (status, headers, body) = net.fetch(&prepared).await?;
    let value = serde_json::from_slice::<Value>(&body).map_err(|e| CoreError::Decode {
        status,
        detail: format!("response body is not JSON: {e}"),
        body: String::from_utf8_lossy(&body).into_owned(),
        headers: headers.clone(),
    })?;
    // The wire translates it, and says when a success reply is no answer (crate::verdict).
    let reply = Reply {
        status,
        headers: &headers,
        raw: &body,
        value,
    };
    let value = incoming(provider, route, reply)?;
    Ok((status, headers, value))
}

fn whole_into_py(py: Python<'_>, (status, headers, value): Whole) -> PyResult<Py<PyAny>> {
    let tuple = (status, headers_to_py(py, &headers)?, to_py(py, &value)?);
    Ok(tuple.into_pyobject(py)?.into_any().unbind())
}

async fn open(
    provider: Provider,
    route: Route,
    net: Net,
    prepared: Prepared,
) -> Result<ChunkStream, Failure> {
    let sent = on_route(route, net.send(&prepared).await.map_err(Failure::from))?;
    Ok(ChunkStream::new(provider, route, sent, prepared.timeout))
}

impl Request {
    fn net(&self, py: Python<'_>) -> PyResult<Net> {
        shared()
            .map(|s| s.net.clone())
            .map_err(|e| to_pyerr(py, self.provider, e.into()))
    }
}

#[pymethods]
impl Request {
    /// The URL this request goes to.
    #[getter]
    fn url(&self) -> &str {
        &self.prepared.url
    }

    /// Blocking send; returns `(status, headers, json)`.
    fn send(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let (provider, route, prepared) = (self.provider, self.route, self.prepared.clone());
        let whole = run_on_caller(py, provider, move |net| {
            fetch_whole(provider, route, net, prepared)
        })?;
        whole_into_py(py, whole)
    }

    /// Async send; `callback(ok, value)` runs on `event_loop` with `(status, headers, json)`.
    fn send_async(
        &self,
        py: Python<'_>,
        event_loop: Py<PyAny>,
        callback: Py<PyAny>,
    ) -> PyResult<Handle> {
        let net = self.net(py)?;
        let fut = fetch_whole(self.provider, self.route, net, self.prepared.clone());
        spawn_with_callback(py, self.provider, fut, whole_into_py, event_loop, callback)
    }

    /// Blocking open of a stream: returns once the response headers are in.
    /// The stream keeps the current-thread runtime it was opened on (`crate::python::stream`).
    fn open_stream(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let (provider, route, prepared) = (self.provider, self.route, self.prepared.clone());
        let (stream, local) = run_keeping(py, provider, move |net| {
            open(provider, route, net, prepared)
        })?;
        Stream::wrap(py, provider, stream, Some(local))
    }

    /// Async open of a stream; `callback(ok, stream_or_error)`.
    fn open_stream_async(
        &self,
        py: Python<'_>,
        event_loop: Py<PyAny>,
        callback: Py<PyAny>,
    ) -> PyResult<Handle> {
        let net = self.net(py)?;
        let fut = open(self.provider, self.route, net, self.prepared.clone());
        let provider = self.provider;
        let into_py = move |py: Python<'_>, s: ChunkStream| Stream::wrap(py, provider, s, None);
        spawn_with_callback(py, provider, fut, into_py, event_loop, callback)
    }
}

fn owned_header_pairs(headers: Option<&Bound<'_, PyDict>>) -> PyResult<Vec<(String, String)>> {
    let Some(headers) = headers else {
        return Ok(Vec::new());
    };
    headers
        .iter()
        .map(|(k, v)| {
            Ok((
                k.str()?.to_cow()?.into_owned(),
                v.str()?.to_cow()?.into_owned(),
            ))
        })
        .collect()
}

/// Builds a request. `provider` is litellm's provider name, `route` is "chat" or "embedding",
/// `model` has no provider prefix, `body` is the JSON body as Python objects.
#[pyfunction]
#[pyo3(signature = (provider, route, model, body, *, api_base=None, api_key=None, api_version=None,
                    azure_ad_token=None, headers=None, timeout=600.0, max_retries=0))]
#[allow(clippy::too_many_arguments)]
pub fn prepare(
    py: Python<'_>,
    provider: &str,
    route: &str,
    model: String,
    body: &Bound<'_, PyAny>,
    api_base: Option<String>,
    api_key: Option<String>,
    api_version: Option<String>,
    azure_ad_token: Option<String>,
    headers: Option<&Bound<'_, PyDict>>,
    timeout: f64,
    max_retries: u32,
) -> PyResult<Request> {
    let provider = Provider::from_name(provider).ok_or_else(|| {
        PyValueError::new_err(format!("the core does not speak to provider {provider:?}"))
    })?;
    let route = Route::from_name(route)
        .ok_or_else(|| PyValueError::new_err(format!("unknown route {route:?}")))?;
    // `Duration::from_secs_f64` panics on NaN, negatives and overflow (1e20 s): a bad timeout is
    // the caller's error, never a panic crossing into Python.
    let timeout = match Duration::try_from_secs_f64(timeout) {
        Ok(t) if !t.is_zero() => t,
        _ => {
            return Err(PyValueError::new_err(format!(
                "timeout must be a positive number of seconds that fits a Duration, got {timeout}"
            )))
        }
    };
    let body = to_json(body)?;
    let target = Target {
        api_base,
        api_key,
        api_version,
        azure_ad_token,
        model,
    };
    let build = || -> Result<Prepared, CoreError> {
        let Outgoing { endpoint, body } = outgoing(provider, &target, route, body)?;
        let body = serde_json::to_vec(&body).map_err(|e| CoreError::InvalidRequest {
            detail: format!("request body cannot be encoded: {e}"),
        })?;
        let mut pairs = endpoint.headers;
        pairs.extend(
            owned_header_pairs(headers).map_err(|e| CoreError::InvalidRequest {
                detail: e.to_string(),
            })?,
        );
        Ok(Prepared {
            url: endpoint.url,
            headers: header_map(&pairs)?,
            body: bytes::Bytes::from(body),
            timeout,
            max_retries,
        })
    };
    let prepared = build().map_err(|e| to_pyerr(py, provider, e.into()))?;
    Ok(Request {
        provider,
        route,
        prepared,
    })
}
