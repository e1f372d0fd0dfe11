//! A stream of OpenAI-shaped chunks for Python: `next()` blocks (GIL released) until the next SSE
//! event is complete; `next_async` hands it to an asyncio loop. `close()`, or dropping the object,
//! drops the HTTP response and so closes the connection.
//!
//! Two costs per chunk are avoided. One read of the body often completes several events: the chunks
//! after the first are answered from the stream's queue on the caller's thread, without releasing
//! the GIL (`Reader::ready`). And a stream opened by a blocking call is read on the current-thread
//! runtime it was opened on (`crate::local`), driven by the thread that asks for the next chunk, so
//! a chunk costs no cross-thread wake-up; the runtime goes back to the free list when the stream
//! ends (with its connection re-pooled) or is closed. Streams opened by async calls are read by the
//! shared runtime.

use std::sync::{Arc, Mutex, MutexGuard};

use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;

use crate::error::CoreError;
use crate::local::{checkin, checkin_soon, Local};
use crate::provider::Provider;
use crate::stream::ChunkStream;
use crate::transport::shared;

use super::convert::to_py;
use super::errors::{to_pyerr, Failure};
use super::run::{blocking, callback_args, drive, run_detached, spawn_with_callback, Handle};

type Answer = Result<Option<Value>, Failure>;

/// The stream's state, shared between the Python object and a task reading it.
struct Reader {
    chunks: tokio::sync::Mutex<ChunkStream>,
    /// The runtime whose pool owns the connection, for a stream opened by a blocking call; `None`
    /// once it was given back, and for a stream the shared runtime reads.
    local: Mutex<Option<Local>>,
    on_local: bool,
}

impl Reader {
    fn local(&self) -> MutexGuard<'_, Option<Local>> {
        self.local
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// What `next` can answer without reading the body, if no one else is reading it.
    fn ready(&self) -> Option<Answer> {
        let answer = self.chunks.try_lock().ok()?.ready()?;
        Some(answer.map_err(Failure::from))
    }

    /// Reads on the stream's own runtime until an answer is ready, blocking; returns it when `take`
    /// (else it stays queued, for a caller that may be cancelled before it takes it). Once the
    /// stream is over the runtime is given back, after hyper has re-pooled the connection.
    fn read_on_local(&self, take: bool) -> Result<Option<Answer>, Failure> {
        let mut local = self.local();
        let runtime = local
            .as_ref()
            .ok_or_else(|| CoreError::Transport {
                detail: "the stream's runtime is gone".into(),
            })?
            .runtime()?;
        let (answer, over) = drive(runtime, async {
            let mut chunks = self.chunks.lock().await;
            chunks.fill().await;
            let answer = if take { chunks.ready() } else { None };
            Ok((answer, chunks.is_over()))
        })?;
        if over {
            if let Some(l) = local.take() {
                checkin(l);
            }
        }
        Ok(answer.map(|a| a.map_err(Failure::from)))
    }

    /// Stops reading. A runtime still lent goes back from a blocking thread, which first lets it
    /// close the connection (this may run on a runtime's own thread, where driving one panics).
    fn finish(&self) -> bool {
        let Ok(mut chunks) = self.chunks.try_lock() else {
            return false;
        };
        chunks.finish();
        drop(chunks);
        if let Ok(mut local) = self.local.try_lock() {
            if let Some(l) = local.take() {
                checkin_soon(l);
            }
        }
        true
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        // The response goes before its runtime is lent to another call.
        self.finish();
    }
}

#[pyclass(module = "edgequake._core", frozen)]
pub struct Stream {
    provider: Provider,
    status: u16,
    headers: Py<PyDict>,
    reader: Arc<Reader>,
}

impl Stream {
    /// A stream for Python; `local` is the runtime it was opened on (a blocking open).
    pub fn wrap(
        py: Python<'_>,
        provider: Provider,
        stream: ChunkStream,
        local: Option<Local>,
    ) -> PyResult<Py<PyAny>> {
        let headers = super::convert::headers_to_py(py, stream.headers())?.unbind();
        let status = stream.status();
        let obj = Stream {
            provider,
            status,
            headers,
            reader: Arc::new(Reader {
                chunks: tokio::sync::Mutex::new(stream),
                on_local: local.is_some(),
                local: Mutex::new(local),
            }),
        };
        Ok(Py::new(py, obj)?.into_any())
    }
}

/// The next answer, read by the shared runtime.
async fn next_shared(reader: Arc<Reader>) -> Answer {
    Ok(reader.chunks.lock().await.next_chunk().await?)
}

/// The next answer of a stream on its own runtime, for an async caller: a blocking thread reads
/// (the runtime cannot be driven from the shared one's workers), then the answer is taken here, so
/// cancelling the caller loses no chunk.
async fn next_local(reader: Arc<Reader>) -> Answer {
    let filler = Arc::clone(&reader);
    tokio::task::spawn_blocking(move || filler.read_on_local(false))
        .await
        .map_err(|e| CoreError::Transport {
            detail: format!("stream reader stopped: {e}"),
        })??;
    let answer = reader.chunks.lock().await.ready();
    answer.unwrap_or(Ok(None)).map_err(Failure::from)
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
        let chunk = match self.reader.ready() {
            Some(answer) => answer.map_err(|f| to_pyerr(py, self.provider, f))?,
            None if self.reader.on_local => {
                let reader = &self.reader;
                blocking(py, self.provider, || {
                    reader.read_on_local(true)?.unwrap_or(Ok(None))
                })?
            }
            None => run_detached(py, self.provider, next_shared(Arc::clone(&self.reader)))?,
        };
        chunk_into_py(py, chunk)
    }

    /// Async twin of `next`: `callback(ok, chunk_or_none_or_error)` runs on `event_loop`; with a
    /// chunk already decoded it runs before this returns (the caller is on the loop's thread).
    fn next_async(
        &self,
        py: Python<'_>,
        event_loop: Py<PyAny>,
        callback: Py<PyAny>,
    ) -> PyResult<Handle> {
        if let Some(answer) = self.reader.ready() {
            let result = answer.and_then(|c| chunk_into_py(py, c).map_err(Failure::from));
            callback.call1(py, callback_args(py, self.provider, result))?;
            return Ok(Handle::answered());
        }
        let reader = Arc::clone(&self.reader);
        if self.reader.on_local {
            let fut = next_local(reader);
            return spawn_with_callback(
                py,
                self.provider,
                fut,
                chunk_into_py,
                event_loop,
                callback,
            );
        }
        let fut = next_shared(reader);
        spawn_with_callback(py, self.provider, fut, chunk_into_py, event_loop, callback)
    }

    /// Stops reading and closes the connection. Safe to call more than once.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        if self.reader.finish() {
            return Ok(());
        }
        // A read is in flight on another thread: finish once it lets go.
        let reader = Arc::clone(&self.reader);
        let rt = shared().map_err(|e| to_pyerr(py, self.provider, e.into()))?;
        rt.runtime.spawn(async move {
            reader.chunks.lock().await.finish();
        });
        Ok(())
    }
}
