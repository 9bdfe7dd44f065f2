use std::fmt::Debug;

use async_trait::async_trait;

use crate::{Request, Response, TransportError};

/// Sends one request and returns the whole answer, whatever its status.
///
/// A transport makes exactly one attempt: retries, timeouts across attempts, status handling
/// and decoding live above it in the [`Executor`](crate::Executor), so that every transport,
/// real or test double, behaves the same.
///
/// ```
/// use std::sync::Arc;
/// use qiwi_transport::{Transport, Request, Response, TransportError, StatusCode, Bytes};
///
/// #[derive(Debug)]
/// struct Canned;
///
/// #[async_trait::async_trait]
/// impl Transport for Canned {
///     async fn send(&self, _request: Request) -> Result<Response, TransportError> {
///         Ok(Response::new(StatusCode::OK, Bytes::from_static(b"{}")))
///     }
/// }
///
/// let transport: Arc<dyn Transport> = Arc::new(Canned);
/// # let _ = transport;
/// ```
#[async_trait]
pub trait Transport: Send + Sync + Debug {
    /// Sends `request` once.
    ///
    /// # Errors
    /// A [`TransportError`] when no complete answer arrived: connection refused or reset,
    /// timeout, or a body over the size limit. An answer with an error status is `Ok`.
    async fn send(&self, request: Request) -> Result<Response, TransportError>;
}
