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
    Ok(())
}
