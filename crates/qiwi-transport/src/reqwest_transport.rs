use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use bytes::{Bytes, BytesMut};

use crate::{NotSentError, Request, Response, Transport, TransportError, TransportErrorKind};

/// The HTTPS transport: `reqwest` with rustls and the bundled web PKI roots.
///
/// Cheap to clone; clones share one connection pool.
#[derive(Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    max_response_bytes: usize,
}

impl fmt::Debug for ReqwestTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReqwestTransport")
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

/// A client certificate and its private key, for mutual TLS.
#[derive(Clone)]
pub struct ClientIdentity(reqwest::Identity);

impl ClientIdentity {
    /// Reads a PEM bundle holding the certificate (chain) and the private key.
    ///
    /// # Errors
    /// [`NotSentError::Configuration`] when the PEM cannot be read.
    pub fn from_pem(pem: &[u8]) -> Result<Self, NotSentError> {
        reqwest::Identity::from_pem(pem).map(Self).map_err(|_| {
            NotSentError::Configuration(
                "the client certificate could not be read: expected PEM with a certificate and a private key".into(),
            )
        })
    }
}

impl fmt::Debug for ClientIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientIdentity([REDACTED])")
    }
}

/// Certificates to trust as roots besides the built-in ones: a private certificate authority,
/// or the one of a TLS-inspecting proxy.
#[derive(Clone)]
pub struct RootCertificate(Vec<reqwest::Certificate>);

impl RootCertificate {
    /// Reads a PEM file holding one or more certificates.
    ///
    /// # Errors
    /// [`NotSentError::Configuration`] when the PEM cannot be read or holds no certificate.
    pub fn from_pem(pem: &[u8]) -> Result<Self, NotSentError> {
        match reqwest::Certificate::from_pem_bundle(pem) {
            Ok(certificates) if !certificates.is_empty() => Ok(Self(certificates)),
            _ => Err(NotSentError::Configuration(
                "the root certificate could not be read: expected PEM with at least one certificate"
                    .into(),
            )),
        }
    }
}

impl fmt::Debug for RootCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RootCertificate({} certificates)", self.0.len())
    }
}

/// Settings for a [`ReqwestTransport`].
#[derive(Debug)]
pub struct ReqwestTransportBuilder {
    connect_timeout: Duration,
    max_response_bytes: usize,
    user_agent: String,
    proxy: Option<String>,
    identity: Option<ClientIdentity>,
    roots: Vec<RootCertificate>,
    pool_idle_timeout: Duration,
}

impl Default for ReqwestTransportBuilder {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            max_response_bytes: ReqwestTransport::DEFAULT_MAX_RESPONSE_BYTES,
            user_agent: crate::USER_AGENT.to_owned(),
            proxy: None,
            identity: None,
            roots: Vec::new(),
            pool_idle_timeout: Duration::from_secs(90),
        }
    }
}

impl ReqwestTransportBuilder {
    crate::setters! {
        /// The limit for establishing a connection (TCP and TLS). Default 10 s.
        connect_timeout: Duration;
        /// The largest body accepted; a larger one is an error, never truncated. Default 4 MiB.
        max_response_bytes: usize;
        /// The `User-Agent`, default `qiwi-transport/<version>`.
        user_agent: impl Into<String>;
        /// Sends every request through this proxy (`http://`, `https://` or `socks5://` URL).
        proxy: Option<impl Into<String>>;
        /// Presents this client certificate (mutual TLS).
        identity: Option<ClientIdentity>;
        /// How long an idle pooled connection is kept. Default 90 s.
        pool_idle_timeout: Duration;
    }

    /// Also trusts these certificates as roots (the built-in ones stay trusted).
    pub fn add_root_certificate(mut self, root: RootCertificate) -> Self {
        self.roots.push(root);
        self
    }

    /// Builds the transport.
    ///
    /// # Errors
    /// [`NotSentError::Configuration`] for an unusable proxy URL or TLS setup.
    pub fn build(self) -> Result<ReqwestTransport, NotSentError> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .user_agent(self.user_agent)
            .pool_idle_timeout(self.pool_idle_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy();
        if let Some(proxy) = &self.proxy {
            let proxy = reqwest::Proxy::all(proxy).map_err(|e| {
                NotSentError::Configuration(format!("the proxy URL is not usable: {e}"))
            })?;
            builder = builder.proxy(proxy);
        }
        if let Some(identity) = self.identity {
            builder = builder.identity(identity.0);
        }
        for certificate in self.roots.into_iter().flat_map(|root| root.0) {
            builder = builder.add_root_certificate(certificate);
        }
        let client = builder.build().map_err(|e| {
            NotSentError::Configuration(format!("the HTTP client could not be built: {e}"))
        })?;
        Ok(ReqwestTransport {
            client,
            max_response_bytes: self.max_response_bytes,
        })
    }
}

impl ReqwestTransport {
    /// The default response size limit: 4 MiB.
    pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

    /// A transport with default settings.
    ///
    /// # Errors
    /// [`NotSentError::Configuration`] when the TLS setup fails.
    pub fn new() -> Result<Self, NotSentError> {
        Self::builder().build()
    }

    /// Settings for a transport.
    pub fn builder() -> ReqwestTransportBuilder {
        ReqwestTransportBuilder::default()
    }

    /// The underlying `reqwest` client, to make other calls over the same pool.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }
}

/// The status, headers and whole body of `response`, the body no larger than `limit`.
async fn read_response(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Response, TransportError> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let too_large = || {
        TransportError::new(
            TransportErrorKind::BodyTooLarge { limit },
            format!("status {status}"),
        )
    };
    let announced = response.content_length();
    if announced.is_some_and(|len| len > limit as u64) {
        return Err(too_large());
    }
    let body = match response.chunk().await.map_err(map_error)? {
        None => Bytes::new(),
        Some(first) if first.len() > limit => return Err(too_large()),
        Some(first) => match response.chunk().await.map_err(map_error)? {
            // Most answers arrive in one piece, which is kept as it came.
            None => first,
            Some(second) => {
                // Reserve what the server announced (already checked against the limit).
                let announced = usize::try_from(announced.unwrap_or(0)).unwrap_or(0);
                let mut body = BytesMut::with_capacity(announced.max(first.len() + second.len()));
                body.extend_from_slice(&first);
                let mut chunk = Some(second);
                while let Some(piece) = chunk {
                    if body.len() + piece.len() > limit {
                        return Err(too_large());
                    }
                    body.extend_from_slice(&piece);
                    chunk = response.chunk().await.map_err(map_error)?;
                }
                body.freeze()
            }
        },
    };
    Ok(Response {
        status,
        headers,
        body,
    })
}

type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<Response, TransportError>> + Send + 'a>>;

// Written out rather than with `#[async_trait]`, which would box the whole body with the
// request in it (1.4 KB, more than the allocator serves from its per-thread cache, so every
// call would take its lock). Here the request goes to reqwest first and only the wait for the
// answer is boxed.
impl Transport for ReqwestTransport {
    fn send<'life0, 'async_trait>(&'life0 self, request: Request) -> SendFuture<'async_trait>
    where
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        // Built directly: `RequestBuilder::headers` would copy the map entry by entry.
        let mut outgoing = reqwest::Request::new(request.method, request.url);
        *outgoing.headers_mut() = request.headers;
        *outgoing.body_mut() = Some(reqwest::Body::from(request.body));
        let pending = self.client.execute(outgoing);
        let limit = self.max_response_bytes;
        Box::pin(async move {
            let response = pending.await.map_err(map_error)?;
            read_response(response, limit).await
        })
    }
}

/// Sorts a `reqwest` failure into a kind; the message names the URL without its query.
fn map_error(error: reqwest::Error) -> TransportError {
    let kind = if error.is_connect() {
        TransportErrorKind::Connect
    } else if error.is_timeout() {
        TransportErrorKind::Timeout
    } else if is_reset(&error) {
        TransportErrorKind::Reset
    } else {
        TransportErrorKind::Other
    };
    let error = error.without_url();
    TransportError::new(kind, error_chain(&error)).with_source(error)
}

fn is_reset(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(e) = current {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            if matches!(
                io.kind(),
                ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof
            ) {
                return true;
            }
        }
        let text = e.to_string();
        if text.contains("connection closed")
            || text.contains("IncompleteMessage")
            || text.contains("connection reset")
        {
            return true;
        }
        current = e.source();
    }
    false
}

fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut current = error.source();
    while let Some(e) = current {
        let part = e.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        current = e.source();
    }
    text
}
