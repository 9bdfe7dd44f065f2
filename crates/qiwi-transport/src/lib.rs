//! The HTTP layer shared by the QIWI Wallet, QIWI agent and Treezor clients.
//!
//! - [`Transport`]: bytes in, bytes out, behind an async trait, usable as `Arc<dyn Transport>`;
//!   [`ReqwestTransport`] is the HTTPS implementation (rustls, no system OpenSSL).
//! - [`Executor`]: runs a [`Request`] through a transport with per-attempt and total timeouts,
//!   the [`retry`] policy and a `tracing` span per attempt, and turns non-2xx answers into
//!   [`ServiceError`]s that keep the raw body.
//! - [`codec`]: JSON and XML decoding whose errors carry the status, the raw body and the path
//!   of the failing field.
//! - [`auth`]: credentials held as [`secrecy::SecretString`], never printed.
//! - [`scrub`]: every form of a client's secrets cut out of its errors.
//!
//! Features: `reqwest` (default) for [`ReqwestTransport`], `json` (default) and `xml` for the
//! codecs, `test-util` for test doubles and a manual clock.

#![warn(missing_docs)]

pub mod auth;
pub mod clock;
pub mod codec;
mod deadline;
mod error;
mod excerpt;
mod executor;
mod request;
#[cfg(feature = "reqwest")]
mod reqwest_transport;
pub mod retry;
pub mod scrub;
mod settings;
#[cfg(feature = "test-util")]
pub mod test_util;
mod transport;
mod url;

pub use error::{
    DecodeError, Error, NotSentError, ServiceError, TransportError, TransportErrorKind,
};
pub use excerpt::{MAX_QUOTED_CHARS, excerpt};
pub use executor::{CallBudget, Executor, Timeouts};
pub use request::{Request, Response};
#[cfg(feature = "reqwest")]
pub use reqwest_transport::{ClientIdentity, ReqwestTransport, ReqwestTransportBuilder};
pub use retry::RetryPolicy;
pub use scrub::{Scrub, Scrubber};
pub use settings::ExecutorSettings;
pub use transport::Transport;
pub use url::{BaseUrl, redact_url};

pub use bytes::Bytes;
pub use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
pub use secrecy::{ExposeSecret, SecretString};

/// The `User-Agent` sent unless the caller sets another: this crate's name and version.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
