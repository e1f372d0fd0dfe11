//! A stream of OpenAI-shaped chunks for Python: `next()` blocks (GIL released) until the next SSE
//! event is complete; `next_async` hands it to an asyncio loop. `close()`, or dropping the object,
//! drops the HTTP response and so closes the connection.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;

use crate::provider::Provider;
use crate::stream::ChunkStream;
use crate::transport::shared;

use super::convert::to_py;
use super::errors::{to_pyerr, Failure};
use super::request::SharedStream;
use super::run::{run_detached, spawn_with_callback, Handle};

#[pyclass(module = "edgequake._core", frozen)]
pub struct Stream {
    provider: Provider,
    status: u16,
    headers: Py<PyDict>,
    inner: SharedStream,
}

impl Stream {
    pub fn wrap(py: Python<'_>, provider: Provider, stream: ChunkStream) -> PyResult<Py<PyAny>> {
        let headers = super::convert::headers_to_py(py, stream.headers())?.unbind();
        let status = stream.status();
        let obj = Stream {
            provider,
            status,
            headers,
            inner: Arc::new(tokio::sync::Mutex::new(stream)),
        };
        Ok(Py::new(py, obj)?.into_any())
    }
}

async fn next_of(inner: SharedStream) -> Result<Option<Value>, Failure> {
    let mut guard = inner.lock().await;
    Ok(guard.next_chunk().await?)
}

fn chunk_into_py(py: Python<'_>, chunk: Option<Value>) -> PyResult<Py<PyAny>> {
    match chunk {
        Some(v) => Ok(to_py(py, &v)?.unbind()),
        None => Ok(py.None()),
    }
}

#[pymethods]
impl Stream {
    #[getter]
    fn status(&self) -> u16 {
        self.status
    }

    #[getter]
    fn headers(&self, py: Python<'_>) -> Py<PyDict> {
        self.headers.clone_ref(py)
    }

    /// The next chunk as a dict, or None at the end of the stream.
    fn next(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let chunk = run_detached(py, self.provider, next_of(Arc::clone(&self.inner)))?;
        chunk_into_py(py, chunk)
    }

    /// Async twin of `next`: `callback(ok, chunk_or_none_or_error)` runs on `event_loop`.
    fn next_async(
        &self,
        py: Python<'_>,
        event_loop: Py<PyAny>,
        callback: Py<PyAny>,
    ) -> PyResult<Handle> {
        let fut = next_of(Arc::clone(&self.inner));
        spawn_with_callback(py, self.provider, fut, chunk_into_py, event_loop, callback)
    }

    /// Stops reading and closes the connection. Safe to call more than once.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        if let Ok(mut guard) = self.inner.try_lock() {
            guard.finish();
            return Ok(());
        }
        // A read is in flight on another thread: finish once it lets go.
        let inner = Arc::clone(&self.inner);
        let rt = shared().map_err(|e| to_pyerr(py, self.provider, e.into()))?;
        rt.runtime.spawn(async move { inner.lock().await.finish() });
        Ok(())
    }
}
