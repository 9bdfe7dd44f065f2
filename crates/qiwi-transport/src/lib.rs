#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

pub mod auth;
pub mod codec;
mod endpoint;
mod error;
mod executor;
mod request;
#[cfg(feature = "reqwest")]
mod reqwest_transport;
pub mod retry;
pub mod scrub;
pub mod settings;
#[cfg(feature = "test-util")]
pub mod test_util;
pub mod time;
mod transport;
mod url;

/// The URL type of [`Request::url`].
pub use ::url::Url;
pub use endpoint::{AnswerBody, Classification, Classifier, Endpoint, Route};
pub use error::{
    DecodeError, Detail, Error, NotSentError, Refusal, RefusalKind, ServiceError, TransportError,
    TransportErrorKind, WriteFate,
};
pub use executor::{CallBudget, Executor, Timeouts};
pub use qiwi_types::excerpt::{MAX_QUOTED_CHARS, excerpt};
pub use request::{Request, Response};
#[cfg(feature = "reqwest")]
pub use reqwest_transport::{
    ClientIdentity, ReqwestTransport, ReqwestTransportBuilder, RootCertificate,
};
pub use retry::RetryPolicy;
pub use scrub::{Scrub, Scrubber};
pub use settings::{ClientSettings, UrlSetting};
pub use transport::Transport;
pub use url::{BaseUrl, redact_url};

pub use bytes::Bytes;
pub use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
pub use secrecy::{ExposeSecret, SecretString};

/// The `User-Agent` sent unless the caller sets another: this crate's name and version.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
