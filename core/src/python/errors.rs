//! The one mapping from wire failures to Python: every `CoreError` becomes `edgequake._core.CoreError`
//! carrying a dict (kind, litellm class chosen by `classify`, status, provider message, raw body,
//! headers). `edgequake._errors.from_core` turns that dict into the litellm-named exception, so the
//! classes can subclass `openai`'s without the core importing openai.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::classify::{classify, classify_responses, Classification};
use crate::error::CoreError;
use crate::provider::Provider;

use super::convert::headers_to_py;

mod exception {
    use super::*;
    create_exception!(
        _core,
        CoreError,
        PyException,
        "A classified wire failure; args[0] is its info dict."
    );
}
pub use exception::CoreError as PyCoreError;

/// A failure on the way back to Python: a classified wire error, or a Python error (Ctrl-C,
/// conversion) that must propagate as it is.
pub enum Failure {
    Wire(CoreError),
    /// A wire error of a Responses API call, which litellm classifies its own way.
    Responses(CoreError),
    Python(PyErr),
}

impl From<CoreError> for Failure {
    fn from(e: CoreError) -> Self {
        Failure::Wire(e)
    }
}

impl From<PyErr> for Failure {
    fn from(e: PyErr) -> Self {
        Failure::Python(e)
    }
}

pub fn info_dict<'py>(
    py: Python<'py>,
    provider: Provider,
    err: &CoreError,
) -> PyResult<Bound<'py, PyDict>> {
    info_dict_as(py, provider, err, classify(provider, err))
}

fn info_dict_as<'py>(
    py: Python<'py>,
    provider: Provider,
    err: &CoreError,
    c: Classification,
) -> PyResult<Bound<'py, PyDict>> {
    let info = PyDict::new(py);
    info.set_item("kind", err.kind())?;
    info.set_item("class", c.class.name())?;
    info.set_item("status_code", c.status_code)?;
    info.set_item("message", c.message)?;
    info.set_item("provider_status_code", c.provider_status_code)?;
    if let Some(own) = crate::wire::own_mapper(provider, err) {
        info.set_item("own_mapper", own)?;
    }
    info.set_item("detail", err.to_string())?;
    match err {
        CoreError::Status { body, headers, .. } => {
            info.set_item("body", body)?;
            info.set_item("headers", headers_to_py(py, headers)?)?;
        }
        CoreError::Decode { body, headers, .. } => {
            info.set_item("body", body)?;
            info.set_item("headers", headers_to_py(py, headers)?)?;
        }
        CoreError::Connect { errno, .. } => {
            info.set_item("errno", *errno)?;
            info.set_item("body", py.None())?;
            info.set_item("headers", PyDict::new(py))?;
        }
        CoreError::StreamEvent { body } | CoreError::Unusable { body, .. } => {
            info.set_item("body", body)?;
            info.set_item("headers", PyDict::new(py))?;
        }
        CoreError::ErrorBody { body, headers, .. } => {
            info.set_item("body", body)?;
            info.set_item("headers", headers_to_py(py, headers)?)?;
        }
        _ => {
            info.set_item("body", py.None())?;
            info.set_item("headers", PyDict::new(py))?;
        }
    }
    Ok(info)
}

/// The Python exception for a failure (built under the GIL).
pub fn to_pyerr(py: Python<'_>, provider: Provider, failure: Failure) -> PyErr {
    match failure {
        Failure::Python(e) => e,
        Failure::Wire(err) => match info_dict(py, provider, &err) {
            Ok(info) => PyCoreError::new_err((info.unbind(),)),
            Err(e) => e,
        },
        Failure::Responses(err) => {
            match info_dict_as(py, provider, &err, classify_responses(provider, &err)) {
                Ok(info) => PyCoreError::new_err((info.unbind(),)),
                Err(e) => e,
            }
        }
    }
}
