//! The two ways Python waits for the core. `run_detached`: a blocking call with the GIL released that
//! still answers Ctrl-C. `spawn_with_callback`: an asyncio call whose result is handed back to the
//! caller's event loop with `call_soon_threadsafe`, cancellable through the returned `Handle`.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use pyo3::prelude::*;
use tokio::task::AbortHandle;

use crate::provider::Provider;
use crate::transport::shared;

use super::errors::{to_pyerr, Failure};

/// How often a blocking call wakes to check for Ctrl-C. It costs nothing when the result comes first.
const SIGNAL_POLL: Duration = Duration::from_millis(100);

/// Set at interpreter exit: finished tasks then stop calling back into a finalizing interpreter.
pub static SHUTTING_DOWN: AtomicBool = AtomicBool::new(false);

/// Runs `fut` to completion on the shared runtime with the GIL released. Ctrl-C (a pending signal
/// handler that raises) drops the future, which cancels the request and closes its connection.
pub fn run_detached<T, F>(py: Python<'_>, provider: Provider, fut: F) -> PyResult<T>
where
    T: Send,
    F: Future<Output = Result<T, Failure>> + Send,
{
    let shared = shared().map_err(|e| to_pyerr(py, provider, e.into()))?;
    let outcome: Result<T, Failure> = py.detach(|| {
        let mut fut = std::pin::pin!(fut);
        loop {
            let step = shared
                .runtime
                .block_on(async { tokio::time::timeout(SIGNAL_POLL, &mut fut).await });
            match step {
                Ok(result) => return result,
                Err(_still_running) => {
                    if let Err(interrupt) = Python::attach(|py| py.check_signals()) {
                        return Err(Failure::Python(interrupt));
                    }
                }
            }
        }
    });
    outcome.map_err(|f| to_pyerr(py, provider, f))
}

/// A running async call; `cancel()` aborts the Rust task (and with it the HTTP request).
#[pyclass(module = "edgequake._core", frozen)]
pub struct Handle {
    abort: AbortHandle,
}

#[pymethods]
impl Handle {
    fn cancel(&self) {
        self.abort.abort();
    }

    fn done(&self) -> bool {
        self.abort.is_finished()
    }
}

/// Spawns `fut`; when it finishes, calls `loop.call_soon_threadsafe(callback, ok, value)` where
/// `value` is the converted result or the exception instance.
/// `into_py` converts the finished task's value into the object handed to the callback.
pub fn spawn_with_callback<T, F, C>(
    py: Python<'_>,
    provider: Provider,
    fut: F,
    into_py: C,
    event_loop: Py<PyAny>,
    callback: Py<PyAny>,
) -> PyResult<Handle>
where
    T: Send + 'static,
    F: Future<Output = Result<T, Failure>> + Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    let shared = shared().map_err(|e| to_pyerr(py, provider, e.into()))?;
    let task = shared.runtime.spawn(async move {
        let result = fut.await;
        if SHUTTING_DOWN.load(Ordering::Acquire) {
            return;
        }
        Python::attach(|py| {
            let (ok, value) = match result.and_then(|v| into_py(py, v).map_err(Failure::from)) {
                Ok(obj) => (true, obj),
                Err(failure) => (
                    false,
                    to_pyerr(py, provider, failure).into_value(py).into_any(),
                ),
            };
            // The loop may be closed already (the caller went away): nothing is waiting then.
            let _ = event_loop.call_method1(py, "call_soon_threadsafe", (callback, ok, value));
        });
    });
    Ok(Handle {
        abort: task.abort_handle(),
    })
}
