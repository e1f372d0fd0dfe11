//! The PyO3 module `edgequake._core`: private, called only by the typed `edgequake` package.

mod convert;
mod errors;
mod request;
mod run;
mod stream;

use pyo3::prelude::*;

/// Called from an `atexit` hook, before finalisation: from then on no thread of ours enters the
/// interpreter, and those already inside have left when this returns (docs/adr/0006).
#[pyfunction]
fn shutdown(py: Python<'_>) {
    run::close_for_exit(py);
}

/// `url` without userinfo and with credential-like query values replaced (`crate::redact`).
#[pyfunction]
fn redact_url(url: &str) -> String {
    crate::redact::redact_url(url)
}

/// Every URL inside `text`, redacted as `redact_url` does.
#[pyfunction]
fn redact_text(text: &str) -> String {
    crate::redact::redact_text(text)
}

/// How litellm classifies a Gemini stream the server refused: `(class, status_code, message)`.
#[pyfunction]
fn gemini_stream_failure(status: u16, body: &str) -> (&'static str, u16, String) {
    let c = crate::wire::gemini::errors::stream_status(status, body);
    (c.class.name(), c.status_code, c.message)
}

/// Sends every request to the loopback `origin` (or, with None, to its own URL again), carrying
/// the original URL in a header (`crate::divert`); a non-loopback origin is a ValueError.
#[pyfunction]
#[pyo3(signature = (origin))]
fn divert(origin: Option<&str>) -> PyResult<()> {
    crate::divert::set(origin).map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
}

/// The loopback origin requests are diverted to, or None.
#[pyfunction]
fn diverted() -> Option<String> {
    crate::divert::current()
}

#[pymodule]
#[pyo3(name = "_core")]
fn core_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("CoreError", m.py().get_type::<errors::PyCoreError>())?;
    m.add_class::<request::Request>()?;
    m.add_class::<stream::Stream>()?;
    m.add_class::<run::Handle>()?;
    m.add_function(wrap_pyfunction!(request::prepare, m)?)?;
    m.add_function(wrap_pyfunction!(shutdown, m)?)?;
    m.add_function(wrap_pyfunction!(redact_url, m)?)?;
    m.add_function(wrap_pyfunction!(redact_text, m)?)?;
    m.add_function(wrap_pyfunction!(gemini_stream_failure, m)?)?;
    m.add_function(wrap_pyfunction!(divert, m)?)?;
    m.add_function(wrap_pyfunction!(diverted, m)?)?;
    Ok(())
}
