use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use url::Url;

/// One HTTP request, independent of the transport that sends it.
#[derive(Clone)]
pub struct Request {
    /// The HTTP method.
    pub method: Method,
    /// The full URL, query included.
    pub url: Url,
    /// Headers; credentials are marked sensitive so that `Debug` hides them.
    pub headers: HeaderMap,
    /// The body, empty for none.
    pub body: Bytes,
    /// The path template (`/funding-sources/v2/persons/{personId}/accounts`), for tracing:
    /// it names the operation without the identifiers in the path.
    pub route: &'static str,
    /// Whether sending this request twice has the effect of sending it once. Reads are; a write
    /// is only when it carries an identifier the server deduplicates on. Only idempotent
    /// requests are retried.
    pub idempotent: bool,
}

impl Request {
    /// A request with no headers and no body; idempotent when the method is GET or HEAD.
    pub fn new(method: Method, url: Url, route: &'static str) -> Self {
        let idempotent = matches!(method, Method::GET | Method::HEAD);
        Self {
            method,
            url,
            headers: HeaderMap::new(),
            body: Bytes::new(),
            route,
            idempotent,
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: header::HeaderName, value: HeaderValue) -> Self {
        self.headers.append(name, value);
        self
    }

    /// Sets the body and its `Content-Type`.
    pub fn body(mut self, content_type: &'static str, body: impl Into<Bytes>) -> Self {
        self.headers
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        self.body = body.into();
        self
    }

    /// Marks the request as safe (or not) to send more than once.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }
}

impl fmt::Debug for Request {
    /// Shows method, URL, route and headers (sensitive ones as `Sensitive`), and only the size of
    /// the body: a body may hold a password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.url.as_str())
            .field("route", &self.route)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .field("idempotent", &self.idempotent)
            .finish()
    }
}

/// One complete HTTP answer.
#[derive(Clone)]
pub struct Response {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
}

impl Response {
    /// An answer with a status and a body and no headers.
    pub fn new(status: StatusCode, body: impl Into<Bytes>) -> Self {
        Self {
            status,
            headers: HeaderMap::new(),
            body: body.into(),
        }
    }

    /// The value of a header as text, when present and printable.
    pub fn header_str(&self, name: impl header::AsHeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}
