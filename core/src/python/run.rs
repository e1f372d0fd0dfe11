//! The two ways Python waits for the core. `run_detached`: a blocking call with the GIL released that
//! still answers Ctrl-C. `spawn_with_callback`: an asyncio call whose result is handed back to the
//! caller's event loop with `call_soon_threadsafe`, cancellable through the returned `Handle`.
//!
//! Both go back into the interpreter from a thread that does not hold the GIL, so both go through
//! `EXIT`, the gate that `shutdown()` closes at interpreter exit (docs/adr/0007-exit-protocol.md):
//! `attach` for a runtime thread calling in, `pass_back` for a blocking call returning.

use std::future::Future;
use std::time::Duration;

use pyo3::prelude::*;
use tokio::runtime::Runtime;
use tokio::task::AbortHandle;

use crate::gate::{Gate, Pass};
use crate::local::{checkin, checkout, Local};
use crate::provider::Provider;
use crate::transport::{shared, Net};

use super::errors::{to_pyerr, Failure};

/// How often a blocking call wakes to check for Ctrl-C. It costs nothing when the result comes first.
const SIGNAL_POLL: Duration = Duration::from_millis(100);

/// How long `shutdown()` waits for re-entries in flight. One finishes microseconds after it gets the
/// GIL; the bound only matters if one never does, and then exiting late beats hanging at exit.
const EXIT_DRAIN: Duration = Duration::from_secs(5);

/// In front of every re-entry into Python from a thread without the GIL. Once the interpreter
/// finalises, a thread taking the GIL is ended with `pthread_exit` inside our frames (whose unwinding
/// then aborts in `PyGILState_Release`), or crashes on a freed thread state.
static EXIT: Gate = Gate::new();

/// Runs `f` attached to the interpreter from a thread that is not, or returns `None` without touching
/// Python once shutdown has begun. The pass is held until the GIL has been released again.
pub fn attach<F, R>(f: F) -> Option<R>
where
    F: for<'py> FnOnce(Python<'py>) -> R,
{
    let _pass = EXIT.enter()?;
    // `try_attach` also declines an interpreter that is no longer initialised: a second line, for a
    // process that finalises without running our `atexit` hook.
    Python::try_attach(f)
}

/// The pass a blocking call needs to return to Python (retaking the GIL). Once shutdown has begun,
/// every thread but the finalising one is a daemon thread of an exiting process: retaking the GIL
/// would end it inside our frames, so it waits here for the process to end instead.
fn pass_back() -> Pass<'static> {
    loop {
        if let Some(pass) = EXIT.enter() {
            return pass;
        }
        // Nothing unparks it: the process exits around it. A spurious wake-up comes back here.
        std::thread::park();
    }
}

/// The `atexit` hook's work: closes the gate, then waits for re-entries in flight with the GIL
/// released (they may be waiting for it). Finalisation starts only after this returns.
pub fn close_for_exit(py: Python<'_>) {
    py.detach(|| EXIT.close(EXIT_DRAIN));
}

/// Runs `work` with the GIL released, then retakes it through the exit gate (`pass_back`).
pub fn blocking<T, W>(py: Python<'_>, provider: Provider, work: W) -> PyResult<T>
where
    T: Send,
    W: FnOnce() -> Result<T, Failure> + Send,
{
    let (outcome, pass): (Result<T, Failure>, Pass<'static>) = py.detach(|| (work(), pass_back()));
    // `detach` has retaken the GIL: the pass covered that, and is returned now.
    drop(pass);
    outcome.map_err(|f| to_pyerr(py, provider, f))
}

/// Runs `fut` to completion on the shared runtime with the GIL released. Ctrl-C (a pending signal
/// handler that raises) drops the future, which cancels the request and closes its connection.
pub fn run_detached<T, F>(py: Python<'_>, provider: Provider, fut: F) -> PyResult<T>
where
    T: Send,
    F: Future<Output = Result<T, Failure>> + Send,
{
    let shared = shared().map_err(|e| to_pyerr(py, provider, e.into()))?;
    blocking(py, provider, || drive(&shared.runtime, fut))
}

/// Runs the future `make` builds on a borrowed current-thread runtime and its pool (`crate::local`),
/// driven by the calling thread with the GIL released, answering Ctrl-C as `run_detached` does. For
/// blocking whole-response calls: nothing of the call outlives it on that runtime.
pub fn run_on_caller<T, F, M>(py: Python<'_>, provider: Provider, make: M) -> PyResult<T>
where
    T: Send,
    M: FnOnce(Net) -> F + Send,
    F: Future<Output = Result<T, Failure>>,
{
    blocking(py, provider, || {
        on_borrowed(make).map(|(value, local)| {
            checkin(local);
            value
        })
    })
}

/// As `run_on_caller`, for a call whose result keeps using the runtime (a stream): a success comes
/// back with the runtime, which its holder returns (`crate::local::checkin`) when done with it.
pub fn run_keeping<T, F, M>(py: Python<'_>, provider: Provider, make: M) -> PyResult<(T, Local)>
where
    T: Send,
    M: FnOnce(Net) -> F + Send,
    F: Future<Output = Result<T, Failure>>,
{
    blocking(py, provider, || on_borrowed(make))
}

/// Drives `make`'s future on a borrowed runtime; a failure gives the runtime back at once.
fn on_borrowed<T, F, M>(make: M) -> Result<(T, Local), Failure>
where
    M: FnOnce(Net) -> F,
    F: Future<Output = Result<T, Failure>>,
{
    let local = checkout()?;
    let outcome = local
        .runtime()
        .map_err(Failure::from)
        .and_then(|runtime| drive(runtime, make(local.net.clone())));
    match outcome {
        Ok(value) => Ok((value, local)),
        Err(failure) => {
            checkin(local);
            Err(failure)
        }
    }
}

/// Drives `fut` on `runtime` from this thread, in `SIGNAL_POLL` slices with a Ctrl-C check between
/// them (a pending handler that raises drops the future, which cancels the request and closes its
/// connection). After shutdown began the checks stop answering: the thread keeps waiting.
pub fn drive<T, F>(runtime: &Runtime, fut: F) -> Result<T, Failure>
where
    F: Future<Output = Result<T, Failure>>,
{
    let mut fut = std::pin::pin!(fut);
    loop {
        let step = runtime.block_on(async { tokio::time::timeout(SIGNAL_POLL, &mut fut).await });
        match step {
            Ok(result) => return result,
            Err(_still_running) => {
                // A signal handler that calls in again runs here, between two `block_on`s.
                if let Some(Err(interrupt)) = attach(|py| py.check_signals()) {
                    return Err(Failure::Python(interrupt));
                }
            }
        }
    }
}

/// A running async call; `cancel()` aborts the Rust task (and with it the HTTP request). A call
/// answered on the spot (`Handle::answered`) has no task: it is done already.
#[pyclass(module = "edgequake._core", frozen)]
pub struct Handle {
    abort: Option<AbortHandle>,
}

impl Handle {
    /// The handle of a call whose callback already ran, before the call returned.
    pub fn answered() -> Self {
        Handle { abort: None }
    }
}

#[pymethods]
impl Handle {
    fn cancel(&self) {
        if let Some(abort) = &self.abort {
            abort.abort();
        }
    }

    fn done(&self) -> bool {
        self.abort.as_ref().is_none_or(AbortHandle::is_finished)
    }
}

/// A finished call as a callback's `(ok, value)`: the result, or the exception instance.
pub fn callback_args(
    py: Python<'_>,
    provider: Provider,
    result: Result<Py<PyAny>, Failure>,
) -> (bool, Py<PyAny>) {
    match result {
        Ok(obj) => (true, obj),
        Err(failure) => (
            false,
            to_pyerr(py, provider, failure).into_value(py).into_any(),
        ),
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
        // Held outside the closure so that, if Python cannot be entered, they are not dropped here.
        let mut held = Some((result, event_loop, callback));
        let delivered = attach(|py| {
            let Some((result, event_loop, callback)) = held.take() else {
                return;
            };
            let (ok, value) = callback_args(
                py,
                provider,
                result.and_then(|v| into_py(py, v).map_err(Failure::from)),
            );
            // The loop may be closed already (the caller went away): nothing is waiting then.
            let _ = event_loop.call_method1(py, "call_soon_threadsafe", (callback, ok, value));
        });
        if delivered.is_none() {
            // The interpreter is going away. Dropping these without the GIL would queue their
            // decrefs for whichever thread attaches next, during finalisation; the process is
            // exiting, so they are leaked instead.
            std::mem::forget(held);
        }
    });
    Ok(Handle {
        abort: Some(task.abort_handle()),
    })
}
