//! Reading the error bodies the service sends.
//!
//! The reference documents no error body (§11.3); these shapes were observed and are all read:
//!
//! - edge services: `{"serviceName", "errorCode", "userMessage", "description", "dateTime",
//!   "traceId"}`;
//! - rejected payments: `{"code": "QWPRC-220", "message": "..."}`;
//! - an older validation envelope: `{"code": {"_name", "value"}, "data": {"body": {"code",
//!   "message"}, "status"}, "message", "messages"}`;
//! - anything else (an empty body, an HTML error page, plain text) gives nothing, and the raw
//!   body stays in the [`ServiceError`](qiwi_transport::ServiceError).

use qiwi_transport::codec::json;
use serde_json::Value;

/// What an error body said.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ErrorBody {
    /// The vendor's code (`auth.forbidden`, `QWPRC-220`).
    pub(crate) code: Option<String>,
    /// The human-readable message.
    pub(crate) message: Option<String>,
    /// The trace id, for support requests.
    pub(crate) trace_id: Option<String>,
}

impl ErrorBody {
    /// Reads whatever the body holds; a body that is not a JSON object gives nothing.
    pub(crate) fn parse(body: &[u8]) -> Self {
        let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(json::without_bom(body))
        else {
            return Self::default();
        };
        let root = Value::Object(object);
        // The older envelope nests the useful code and message in `data.body`.
        let nested = root.pointer("/data/body").filter(|v| v.is_object());
        let code = nested
            .and_then(|n| text(n.get("code")))
            .or_else(|| text(root.get("errorCode")))
            .or_else(|| text(root.get("code")))
            .or_else(|| text(root.pointer("/code/value")))
            .or_else(|| text(root.pointer("/code/_name")));
        let message = nested
            .and_then(|n| text(n.get("message")))
            .or_else(|| {
                text(root.get("userMessage"))
                    .map(|short| explained(short, text(root.get("description"))))
            })
            .or_else(|| text(root.get("message")))
            .or_else(|| text(root.get("description")));
        let trace_id = text(root.get("traceId"));
        Self {
            code,
            message,
            trace_id,
        }
    }
}

/// An edge service's short `userMessage` ("Invalid request") followed by its `description`,
/// which says what was wrong ("Unknown limit type \"BOGUS\"").
fn explained(user_message: String, description: Option<String>) -> String {
    match description {
        Some(description) if description != user_message => {
            format!("{user_message}: {description}")
        }
        _ => user_message,
    }
}

/// A string or a number as non-blank text.
fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> ErrorBody {
        ErrorBody::parse(body.as_bytes())
    }

    fn body(code: Option<&str>, message: Option<&str>, trace: Option<&str>) -> ErrorBody {
        ErrorBody {
            code: code.map(Into::into),
            message: message.map(Into::into),
            trace_id: trace.map(Into::into),
        }
    }

    #[test]
    fn reads_every_documented_shape() {
        let cases = [
            (
                r#"{"serviceName":"payment-history","errorCode":"auth.forbidden","userMessage":"Access denied","dateTime":"2018-08-21T12:13:34.514+03:00","traceId":"dfe5e6296491abfb"}"#,
                body(
                    Some("auth.forbidden"),
                    Some("Access denied"),
                    Some("dfe5e6296491abfb"),
                ),
            ),
            (
                r#"{"serviceName":"x","errorCode":"validation.error","description":"Bad field","traceId":"t"}"#,
                body(Some("validation.error"), Some("Bad field"), Some("t")),
            ),
            (
                r#"{"code": "QWPRC-220", "message": "Недостаточно средств"}"#,
                body(Some("QWPRC-220"), Some("Недостаточно средств"), None),
            ),
            (
                r#"{"code":{"_name":"VALIDATION_ERROR","value":"7"},"data":{"body":{"code":"QWPRC-542","message":"Wrong"},"status":400},"message":"Outer","messages":{}}"#,
                body(Some("QWPRC-542"), Some("Wrong"), None),
            ),
            (
                r#"{"code":{"_name":"VALIDATION_ERROR","value":"7"},"message":"Outer"}"#,
                body(Some("7"), Some("Outer"), None),
            ),
            (
                r#"{"serviceName":"qw-limits","errorCode":"validation.error","userMessage":"Invalid request","description":"Unknown limit type \"BOGUS\"","traceId":"t"}"#,
                body(
                    Some("validation.error"),
                    Some("Invalid request: Unknown limit type \"BOGUS\""),
                    Some("t"),
                ),
            ),
            (
                r#"{"errorCode":"x","userMessage":"Same","description":"Same"}"#,
                body(Some("x"), Some("Same"), None),
            ),
            (r#"{"errorCode": 42}"#, body(Some("42"), None, None)),
        ];
        for (json, expected) in cases {
            assert_eq!(parse(json), expected, "{json}");
        }
    }

    #[test]
    fn non_json_and_odd_json_give_nothing() {
        for raw in [
            "",
            "<html><body>502 Bad Gateway</body></html>",
            "Service Unavailable",
            "[1,2]",
            "null",
            r#""text""#,
            r#"{"errorCode": "", "message": {"a": 1}}"#,
        ] {
            assert_eq!(parse(raw), ErrorBody::default(), "{raw}");
        }
    }
}
