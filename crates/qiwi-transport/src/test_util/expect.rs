//! The request a scripted answer expects, and what differs when a request does not match it.
//!
//! ```
//! use qiwi_transport::Request;
//! use qiwi_transport::test_util::expect::ExpectedRequest;
//! use http::Method;
//!
//! let url = "https://edge.qiwi.com/a/b?x=1".parse().unwrap();
//! let request = Request::new(Method::GET, url, "/a/b");
//! let expected = ExpectedRequest::new(Method::GET, "/a/b").query("x=2");
//! let mismatch = expected.compare(&request).unwrap_err();
//! assert_eq!(
//!     mismatch.to_string(),
//!     "GET /a/b: query\n  expected: Some(\"x=2\")\n  actual:   Some(\"x=1\")"
//! );
//! ```

use std::fmt;

use http::{HeaderMap, Method};
use url::Url;

use crate::Request;

/// What a request must be: method, path and raw query always; the chosen headers; the body.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedRequest {
    method: Method,
    path: String,
    query: Option<String>,
    /// Each named header with its one expected value, or `None` where it must be absent.
    headers: Vec<(String, Option<String>)>,
    body: ExpectedBody,
}

/// The body a request must carry.
#[derive(Debug, Clone, PartialEq)]
pub enum ExpectedBody {
    /// Any body: the test checks it another way (XML compared by meaning, say).
    Any,
    /// No body at all.
    Empty,
    /// A JSON document, compared as a value (key order and spacing do not matter).
    #[cfg(feature = "json")]
    Json(serde_json::Value),
    /// Text (XML, a form), compared as text.
    Text(String),
}

impl ExpectedRequest {
    /// A request with this method and path, no query and no body; headers unchecked.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            query: None,
            headers: Vec::new(),
            body: ExpectedBody::Empty,
        }
    }

    crate::setters! {
        /// The raw query as sent, percent-encoding included.
        query: Option<impl Into<String>>;
    }

    /// The header `name` is sent once, with this value.
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers
            .push((name.to_ascii_lowercase(), Some(value.into())));
        self
    }

    /// The header `name` is not sent.
    pub fn no_header(mut self, name: &str) -> Self {
        self.headers.push((name.to_ascii_lowercase(), None));
        self
    }

    /// The body is this JSON document.
    #[cfg(feature = "json")]
    pub fn json(mut self, body: serde_json::Value) -> Self {
        self.body = ExpectedBody::Json(body);
        self
    }

    /// The body is this text.
    pub fn text(mut self, body: impl Into<String>) -> Self {
        self.body = ExpectedBody::Text(body.into());
        self
    }

    /// Any body is accepted.
    pub fn any_body(mut self) -> Self {
        self.body = ExpectedBody::Any;
        self
    }

    /// Checks `actual` against this expectation; the error names every field that differs.
    pub fn compare(&self, actual: &Request) -> Result<(), RequestMismatch> {
        self.compare_parts(&actual.method, &actual.url, &actual.headers, &actual.body)
    }

    /// [`Self::compare`] for a request received in parts (by a mock server, say).
    pub fn compare_parts(
        &self,
        method: &Method,
        url: &Url,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<(), RequestMismatch> {
        let mut differences = Vec::new();
        let mut differ = |field: String, expected: String, actual: String| {
            if expected != actual {
                differences.push(Difference {
                    field,
                    expected,
                    actual,
                });
            }
        };
        differ("method".into(), self.method.to_string(), method.to_string());
        differ("path".into(), self.path.clone(), url.path().into());
        differ(
            "query".into(),
            format!("{:?}", self.query.as_deref()),
            format!("{:?}", url.query()),
        );
        for (name, value) in &self.headers {
            let sent: Vec<_> = headers
                .get_all(name.as_str())
                .iter()
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .collect();
            let wanted: Vec<_> = value.iter().cloned().collect();
            differ(
                format!("header {name}"),
                format!("{wanted:?}"),
                format!("{sent:?}"),
            );
        }
        self.body.compare(body, &mut differences);
        if differences.is_empty() {
            Ok(())
        } else {
            Err(RequestMismatch {
                request: self.to_string(),
                differences,
            })
        }
    }
}

impl fmt::Display for ExpectedRequest {
    /// The method and path: `GET /a/b`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

impl ExpectedBody {
    fn compare(&self, actual: &[u8], differences: &mut Vec<Difference>) {
        let text = String::from_utf8_lossy(actual);
        let differ = |field: &str, expected: String, actual: String| Difference {
            field: field.into(),
            expected,
            actual,
        };
        match self {
            ExpectedBody::Any => {}
            ExpectedBody::Empty if actual.is_empty() => {}
            ExpectedBody::Empty => differences.push(differ("body", "(none)".into(), text.into())),
            ExpectedBody::Text(expected) if *expected == text => {}
            ExpectedBody::Text(expected) => {
                let at = expected
                    .bytes()
                    .zip(text.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                differences.push(differ(
                    &format!("body (from byte {at})"),
                    expected.clone(),
                    text.into(),
                ));
            }
            #[cfg(feature = "json")]
            ExpectedBody::Json(expected) => match serde_json::from_slice(actual) {
                Ok(sent) => json_differences("", expected, &sent, differences),
                Err(error) => differences.push(differ(
                    "body",
                    expected.to_string(),
                    format!("{text} (not JSON: {error})"),
                )),
            },
        }
    }
}

/// Collects where `actual` differs from `expected`, each at its JSON pointer.
#[cfg(feature = "json")]
fn json_differences(
    at: &str,
    expected: &serde_json::Value,
    actual: &serde_json::Value,
    differences: &mut Vec<Difference>,
) {
    use serde_json::Value;
    let field = |at: &str| format!("body at {}", if at.is_empty() { "/" } else { at });
    let show = |value: Option<&Value>| value.map_or_else(|| "(absent)".into(), Value::to_string);
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            let mut keys: Vec<&String> = e.keys().chain(a.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let below = format!("{at}/{key}");
                match (e.get(key), a.get(key)) {
                    (Some(e), Some(a)) => json_differences(&below, e, a, differences),
                    (e, a) => differences.push(Difference {
                        field: field(&below),
                        expected: show(e),
                        actual: show(a),
                    }),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (index, (e, a)) in e.iter().zip(a).enumerate() {
                json_differences(&format!("{at}/{index}"), e, a, differences);
            }
        }
        (e, a) if e == a => {}
        (e, a) => differences.push(Difference {
            field: field(at),
            expected: e.to_string(),
            actual: a.to_string(),
        }),
    }
}

/// One field of a request that is not what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// What differs: `method`, `path`, `query`, `header accept`, `body at /a/0`...
    pub field: String,
    /// The expected value, as text.
    pub expected: String,
    /// The value sent, as text.
    pub actual: String,
}

/// A request that does not match its expectation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestMismatch {
    /// The expected request's method and path.
    pub request: String,
    /// Every field that differs, in the order checked.
    pub differences: Vec<Difference>,
}

impl fmt::Display for RequestMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, d) in self.differences.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(
                f,
                "{}: {}\n  expected: {}\n  actual:   {}",
                self.request, d.field, d.expected, d.actual
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for RequestMismatch {}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn sent(method: Method, url: &str, body: &str) -> Request {
        let mut request = Request::new(method, url.parse().unwrap(), "/route");
        request
            .headers
            .insert("accept", HeaderValue::from_static("application/json"));
        request.body = body.as_bytes().to_vec().into();
        request
    }

    /// Each difference as (field, expected, actual).
    fn shown(mismatch: &RequestMismatch) -> Vec<(&str, &str, &str)> {
        mismatch
            .differences
            .iter()
            .map(|d| (d.field.as_str(), d.expected.as_str(), d.actual.as_str()))
            .collect()
    }

    fn fields(result: Result<(), RequestMismatch>) -> Vec<String> {
        result
            .unwrap_err()
            .differences
            .into_iter()
            .map(|d| d.field)
            .collect()
    }

    #[test]
    fn a_request_that_matches_passes() {
        let request = sent(Method::POST, "https://h/a/b?x=%5B1%5D", "<a>1</a>");
        let expected = ExpectedRequest::new(Method::POST, "/a/b")
            .query("x=%5B1%5D")
            .header("Accept", "application/json")
            .no_header("content-type")
            .text("<a>1</a>");
        assert_eq!(expected.compare(&request), Ok(()));
    }

    #[test]
    fn each_field_that_differs_is_named_with_both_values() {
        let request = sent(Method::GET, "https://h/a/c?x=1", "");
        let expected = ExpectedRequest::new(Method::POST, "/a/b")
            .query("x=2")
            .header("accept", "text/xml")
            .header("authorization", "Bearer t")
            .no_header("accept");
        let mismatch = expected.compare(&request).unwrap_err();
        assert_eq!(mismatch.request, "POST /a/b");
        assert_eq!(
            shown(&mismatch),
            [
                ("method", "POST", "GET"),
                ("path", "/a/b", "/a/c"),
                ("query", "Some(\"x=2\")", "Some(\"x=1\")"),
                ("header accept", "[\"text/xml\"]", "[\"application/json\"]"),
                ("header authorization", "[\"Bearer t\"]", "[]"),
                ("header accept", "[]", "[\"application/json\"]"),
            ]
        );
    }

    #[test]
    fn a_query_sent_where_none_is_expected_differs() {
        let request = sent(Method::GET, "https://h/a?x=1", "");
        let expected = ExpectedRequest::new(Method::GET, "/a");
        assert_eq!(fields(expected.compare(&request)), ["query"]);
    }

    #[test]
    fn text_bodies_compare_as_text_and_show_where_they_part() {
        let request = sent(Method::POST, "https://h/a", "<a>12</a>");
        let expected = ExpectedRequest::new(Method::POST, "/a").text("<a>13</a>");
        let mismatch = expected.compare(&request).unwrap_err();
        assert_eq!(
            mismatch.to_string(),
            "POST /a: body (from byte 4)\n  expected: <a>13</a>\n  actual:   <a>12</a>"
        );
        let empty = ExpectedRequest::new(Method::POST, "/a");
        assert_eq!(fields(empty.compare(&request)), ["body"]);
        assert_eq!(empty.any_body().compare(&request), Ok(()));
    }

    #[cfg(feature = "json")]
    #[test]
    fn json_bodies_compare_as_values_and_name_each_differing_pointer() {
        let expected = ExpectedRequest::new(Method::POST, "/a").json(serde_json::json!({
            "a": 1, "b": {"c": [1, 2]}, "gone": true
        }));
        let same = sent(
            Method::POST,
            "https://h/a",
            r#"{ "b": {"c": [1,2]}, "gone": true, "a": 1 }"#,
        );
        assert_eq!(expected.compare(&same), Ok(()));
        let other = sent(
            Method::POST,
            "https://h/a",
            r#"{"a": "1", "b": {"c": [1, 3]}, "new": null}"#,
        );
        let mismatch = expected.compare(&other).unwrap_err();
        assert_eq!(
            shown(&mismatch),
            [
                ("body at /a", "1", "\"1\""),
                ("body at /b/c/1", "2", "3"),
                ("body at /gone", "true", "(absent)"),
                ("body at /new", "(absent)", "null"),
            ]
        );
        let not_json = sent(Method::POST, "https://h/a", "<a/>");
        let mismatch = expected.compare(&not_json).unwrap_err();
        assert!(
            mismatch.differences[0].actual.contains("not JSON"),
            "{mismatch}"
        );
    }
}
