//! One description per call of an API: every client declares its calls in one table of
//! [`Endpoint`]s, and builds each request from its line.

use std::time::Duration;

use http::{HeaderName, HeaderValue, Method, header};
use url::Url;

use crate::{BaseUrl, NotSentError, Request, Response};

/// Where a call goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// A path template under the client's base URL (`/persons/{personId}/accounts`): each
    /// `{name}` segment is filled, in order, with one parameter, percent-encoded as one
    /// segment.
    Path(&'static str),
    /// The client's configured URL itself, for a family whose endpoints are whole URLs (the
    /// agent's `topup.jsp`); the text names the call in traces (`/xml/topup.jsp ping`).
    Base(&'static str),
}

/// What the body of a successful answer holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerBody {
    /// A JSON document.
    Json,
    /// An XML document.
    Xml,
    /// Bytes kept as they are.
    Bytes,
    /// Nothing worth reading (`201` or `204` without a body).
    None,
}

/// What a family reads in an answer whose status says success, for the retry decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Classification {
    /// The answer is final, whatever its body says.
    Final,
    /// The service asks for the same request again after this wait, which must be honoured
    /// (the agent's result code 13): a resendable request is sent again after it, when it fits
    /// in the call's time.
    RetryAfter(Duration),
    /// The body says the request's effect is unknown (the agent's code 300 on `pay`): never
    /// sent again, whatever the endpoint allows.
    FateUnknown,
}

/// A family's reading of a success answer (see [`Classification`]).
pub type Classifier = fn(&Response) -> Classification;

/// One call of an API, declared once in its client's table.
///
/// `S` is the family's permission type (QIWI's token scopes); `()` where the family has none.
#[derive(Debug, Clone)]
pub struct Endpoint<S: 'static = ()> {
    /// The reference id: a QIWI E-number (`E10`), an agent request type (`ping`), a Treezor
    /// operation id (`getBalances`). Traces name the call by it.
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// Where the request goes.
    pub route: Route,
    /// Whether the request may be sent again after an attempt that may have reached the
    /// service: reads, and writes whose identifier the service de-duplicates on (the agent's
    /// transaction number). A QIWI Wallet payment is never resendable: its fate is looked up
    /// instead.
    pub resendable: bool,
    /// The permissions the call needs, all of them.
    pub scopes: &'static [S],
    /// The `Accept` header, when the call sends one.
    pub accept: Option<&'static str>,
    /// Other headers the call always sends (a vendor media type, a version).
    pub headers: &'static [(&'static str, &'static str)],
    /// The statuses the service documents for success (`200`; `201` even on a GET; `204`).
    pub success: &'static [u16],
    /// What a successful answer's body holds.
    pub answer: AnswerBody,
    /// The group of calls the service limits together, where it has one.
    pub rate_limit_group: Option<&'static str>,
    /// How the family reads a success answer's body for the retry decision, when it must.
    pub classify: Option<Classifier>,
}

impl<S> Endpoint<S> {
    /// A call with nothing but its id, method and route: not resendable, no permission, no
    /// header, `200` with a JSON body, no rate-limit group, no classifier.
    pub const fn new(id: &'static str, method: Method, route: Route) -> Self {
        Self {
            id,
            method,
            route,
            resendable: false,
            scopes: &[],
            accept: None,
            headers: &[],
            success: &[200],
            answer: AnswerBody::Json,
            rate_limit_group: None,
            classify: None,
        }
    }

    /// A read (`GET`) of a JSON answer: resendable, `Accept: application/json`.
    pub const fn get(id: &'static str, path: &'static str) -> Self {
        Self::new(id, Method::GET, Route::Path(path))
            .resendable(true)
            .accept("application/json")
    }

    /// Sets whether the request may be sent again.
    pub const fn resendable(mut self, resendable: bool) -> Self {
        self.resendable = resendable;
        self
    }

    /// Sets the permissions the call needs.
    pub const fn scopes(mut self, scopes: &'static [S]) -> Self {
        self.scopes = scopes;
        self
    }

    /// Sets the `Accept` header.
    pub const fn accept(mut self, accept: &'static str) -> Self {
        self.accept = Some(accept);
        self
    }

    /// Sets the other headers the call always sends.
    pub const fn headers(mut self, headers: &'static [(&'static str, &'static str)]) -> Self {
        self.headers = headers;
        self
    }

    /// Sets the documented success statuses and what their body holds.
    pub const fn answers(mut self, success: &'static [u16], answer: AnswerBody) -> Self {
        self.success = success;
        self.answer = answer;
        self
    }

    /// Sets the group of calls the service limits together.
    pub const fn rate_limit_group(mut self, group: &'static str) -> Self {
        self.rate_limit_group = Some(group);
        self
    }

    /// Sets the family's reading of a success answer.
    pub const fn classify(mut self, classify: Classifier) -> Self {
        self.classify = Some(classify);
        self
    }

    /// The template or the name of the route, as traces show it.
    pub fn route_name(&self) -> &'static str {
        match self.route {
            Route::Path(text) | Route::Base(text) => text,
        }
    }

    /// The URL of the call under `base`, the template's `{name}` segments filled with
    /// `params` in order, each percent-encoded as one segment as [`BaseUrl::join`] does (an
    /// id holding `/`, `?` or `%` stays one segment). An id that is `.` or `..` is refused: a
    /// URL reads it as a step in the path, never as a name.
    ///
    /// ```
    /// use qiwi_transport::{BaseUrl, Endpoint};
    /// let base = BaseUrl::parse("https://edge.qiwi.com").unwrap();
    /// let accounts: Endpoint = Endpoint::get("E10", "/funding-sources/v2/persons/{personId}/accounts");
    /// let url = accounts.url(&base, &["79111234567"]).unwrap();
    /// assert_eq!(url.as_str(), "https://edge.qiwi.com/funding-sources/v2/persons/79111234567/accounts");
    /// ```
    ///
    /// # Errors
    /// [`NotSentError::InvalidInput`] when `params` does not give one value per `{name}`, or a
    /// value is `.` or `..`.
    pub fn url(&self, base: &BaseUrl, params: &[&str]) -> Result<Url, NotSentError> {
        let template = match self.route {
            Route::Base(_) if params.is_empty() => return Ok(base.as_url().clone()),
            Route::Base(_) => "",
            Route::Path(template) => template,
        };
        // One pass, nothing collected: this runs on every call. A URL built with a wrong
        // parameter is dropped.
        let mut values = params.iter().copied();
        let mut wrong = None;
        let url = base.join(
            template
                .split('/')
                .filter(|s| !s.is_empty())
                .map(|segment| {
                    if !(segment.starts_with('{') && segment.ends_with('}')) {
                        return segment;
                    }
                    match values.next() {
                        Some(value @ ("." | "..")) => {
                            wrong.get_or_insert_with(|| {
                        NotSentError::InvalidInput(format!(
                            "{segment} cannot be {value:?}: a URL reads it as a step in the path"
                        ))
                    });
                            ""
                        }
                        Some(value) => value,
                        None => {
                            wrong.get_or_insert_with(|| self.wrong_params(params));
                            ""
                        }
                    }
                }),
        );
        match wrong {
            Some(error) => Err(error),
            None if values.next().is_some() => Err(self.wrong_params(params)),
            None => Ok(url),
        }
    }

    /// The request of the call: its method, its URL (see [`url`](Self::url)), its headers,
    /// whether it may be resent, and what the executor needs to trace and classify it.
    ///
    /// # Errors
    /// As [`url`](Self::url).
    pub fn request(&self, base: &BaseUrl, params: &[&str]) -> Result<Request, NotSentError> {
        Ok(self.request_at(self.url(base, params)?))
    }

    /// The request of the call to `url`, built from this endpoint with [`url`](Self::url)
    /// (once, for a URL used on every call).
    pub fn request_at(&self, url: Url) -> Request {
        let mut request =
            Request::new(self.method.clone(), url, self.route_name()).idempotent(self.resendable);
        request.endpoint = self.id;
        request.classify = self.classify;
        if let Some(accept) = self.accept {
            request
                .headers
                .insert(header::ACCEPT, HeaderValue::from_static(accept));
        }
        for (name, value) in self.headers {
            request.headers.append(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        }
        request
    }

    fn wrong_params(&self, params: &[&str]) -> NotSentError {
        NotSentError::InvalidInput(format!(
            "{} {} takes one value per {{name}} of its route, not {}",
            self.id,
            self.route_name(),
            params.len()
        ))
    }
}
