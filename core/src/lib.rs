//! edgequake's wire core: everything between a litellm-shaped request and the provider's bytes.
//!
//! The pure modules (`provider`, `endpoint`, `sse`, `stream`, `verdict`, `classify`, `error`,
//! `divert`, `transport`, `retry`, `limits`, `redirect`, `redact`, `gate`, `pytext`, `wire`) know nothing of Python and are tested with `cargo test`; `python/` is the PyO3 glue,
//! compiled only with the `python` feature.

pub mod classify;
pub mod divert;
pub mod endpoint;
pub mod error;
pub mod gate;
pub mod limits;
pub mod local;
pub mod provider;
pub mod pytext;
pub mod redact;
pub mod redirect;
pub mod retry;
pub mod sse;
pub mod stream;
pub mod transport;
pub mod verdict;
pub mod wire;

#[cfg(feature = "python")]
mod python;
