use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use url::Url;

/// One HTTP request, independent of the transport that sends it.
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
    /// The id of the endpoint the request calls (`E10`, `ping`), for tracing; empty for a
    /// request made without an [`Endpoint`](crate::Endpoint).
    pub endpoint: &'static str,
    /// The family's reading of a success answer, for the retry decision.
    pub classify: Option<crate::Classifier>,
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
            endpoint: "",
            classify: None,
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

    crate::setters! {
        /// Marks the request as safe (or not) to send more than once.
        idempotent: bool;
    }
}

/// Headers a transport adds to a copy it is given (`User-Agent`, `Host`).
const ROOM_FOR_TRANSPORT_HEADERS: usize = 2;

impl Clone for Request {
    /// A copy whose header map has room for the headers a transport adds: every attempt sends
    /// a copy, and a derived clone's map is full, so that adding them would reallocate it on
    /// each call (a reallocation takes the allocator's lock, which other threads contend for).
    fn clone(&self) -> Self {
        let mut headers = HeaderMap::with_capacity(self.headers.len() + ROOM_FOR_TRANSPORT_HEADERS);
        for (name, value) in &self.headers {
            headers.append(name, value.clone());
        }
        Self {
            method: self.method.clone(),
            url: self.url.clone(),
            headers,
            body: self.body.clone(),
            route: self.route,
            idempotent: self.idempotent,
            endpoint: self.endpoint,
            classify: self.classify,
        }
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
            .field("endpoint", &self.endpoint)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_is_equal_and_has_room_for_the_transport_headers() {
        let request = Request::new(
            Method::POST,
            "https://example.com/a?b=c".parse().unwrap(),
            "/a",
        )
        .header(header::ACCEPT, HeaderValue::from_static("application/json"))
        .header(header::ACCEPT, HeaderValue::from_static("text/xml"))
        .body("application/xml", "<x/>")
        .idempotent(true);
        let copy = request.clone();
        assert_eq!(copy.method, request.method);
        assert_eq!(copy.url, request.url);
        assert_eq!(copy.headers, request.headers);
        assert_eq!(copy.body, request.body);
        assert_eq!(
            (copy.route, copy.idempotent),
            (request.route, request.idempotent)
        );
        assert!(
            copy.headers.capacity() >= request.headers.len() + ROOM_FOR_TRANSPORT_HEADERS,
            "capacity {}",
            copy.headers.capacity()
        );
    }
}
