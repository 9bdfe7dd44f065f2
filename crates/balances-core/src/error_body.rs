//! Every error body shape Treezor is known to send, read into one list of entries.
//!
//! Shapes (spec §5): Connect `{"errors": [{type, code, message, docUrl, requestId?}]}`; the
//! same objects as a bare array; legacy `{"errors": [{errorCode, errorMessage,
//! additionalInformation}]}`; the legacy object unwrapped; `{"error": "..."}` (and the OAuth 2.0
//! form `{"error": code, "error_description": text}` of token endpoints); empty and non-JSON
//! bodies (gateway pages), which give no entry and keep their raw text in the error.

use qiwi_transport::codec::json;
use serde::Serialize;
use serde_json::{Map, Value};

/// One error entry of an error answer, whatever shape it came in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ErrorEntry {
    /// Connect `type` (`invalid_request`, `invalid_client`, `not_found`).
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Connect `code` (`resource_not_found_error`), legacy `errorCode` (`15030`) as text, or
    /// the OAuth `error` code when a description accompanies it.
    pub code: Option<String>,
    /// `message`, legacy `errorMessage`, OAuth `error_description`, or a lone `error` text.
    pub message: Option<String>,
    /// Connect `docUrl`.
    pub doc_url: Option<String>,
    /// Connect `requestId`, for support requests.
    pub request_id: Option<String>,
    /// Legacy `additionalInformation`, empty texts left out.
    pub additional_information: Vec<String>,
}

impl ErrorEntry {
    /// Reads an error body of any known shape. An empty, non-JSON or unrecognised body gives
    /// no entry (never an error: the raw body stays in the refusal's answer).
    ///
    /// ```
    /// use balances_core::ErrorEntry;
    /// let legacy = br#"{"errorCode": 0, "errorMessage": "Input validation failed", "additionalInformation": [""]}"#;
    /// let entries = ErrorEntry::parse_body(legacy);
    /// assert_eq!(entries[0].code.as_deref(), Some("0"));
    /// assert_eq!(entries[0].message.as_deref(), Some("Input validation failed"));
    /// assert!(ErrorEntry::parse_body(b"<html>502 Bad Gateway</html>").is_empty());
    /// ```
    pub fn parse_body(body: &[u8]) -> Vec<ErrorEntry> {
        match serde_json::from_slice::<Value>(json::without_bom(body)) {
            Ok(value) => entries_of(&value),
            Err(_) => Vec::new(),
        }
    }
}

fn entries_of(value: &Value) -> Vec<ErrorEntry> {
    match value {
        Value::Array(items) => items.iter().filter_map(entry_of).collect(),
        Value::Object(map) => {
            let wrapped = match map.get("errors") {
                Some(Value::Array(items)) => items.iter().filter_map(entry_of).collect(),
                Some(single @ (Value::Object(_) | Value::String(_))) => {
                    entry_of(single).into_iter().collect()
                }
                _ => Vec::new(),
            };
            if wrapped.is_empty() {
                entry_of(value).into_iter().collect()
            } else {
                wrapped
            }
        }
        Value::String(_) => entry_of(value).into_iter().collect(),
        _ => Vec::new(),
    }
}

fn entry_of(value: &Value) -> Option<ErrorEntry> {
    let map = match value {
        Value::String(text) => {
            return non_empty(text).map(|message| ErrorEntry {
                message: Some(message),
                ..ErrorEntry::default()
            });
        }
        Value::Object(map) => map,
        _ => return None,
    };
    if let Some(inner @ Value::Object(_)) = map.get("error") {
        return entry_of(inner);
    }
    let mut entry = ErrorEntry {
        kind: text(map, "type"),
        code: text(map, "code").or_else(|| text(map, "errorCode")),
        message: text(map, "message")
            .or_else(|| text(map, "errorMessage"))
            .or_else(|| text(map, "error_description")),
        doc_url: text(map, "docUrl"),
        request_id: text(map, "requestId"),
        additional_information: match map.get("additionalInformation") {
            Some(Value::Array(items)) => items.iter().filter_map(scalar_text).collect(),
            Some(other) => scalar_text(other).into_iter().collect(),
            None => Vec::new(),
        },
    };
    // `{"error": "..."}` alone is a message; beside a description it is an OAuth 2.0 code.
    if let Some(error) = text(map, "error") {
        if entry.message.is_none() {
            entry.message = Some(error);
        } else if entry.code.is_none() {
            entry.code = Some(error);
        }
    }
    (entry != ErrorEntry::default()).then_some(entry)
}

fn text(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key).and_then(scalar_text)
}

/// A string, number or boolean as text (numbers keep their digits); empty text is absent.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => non_empty(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn non_empty(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (name, body, code, message, request id)
    type Case = (
        &'static str,
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
    );

    fn first(body: &str) -> ErrorEntry {
        ErrorEntry::parse_body(body.as_bytes())
            .into_iter()
            .next()
            .unwrap_or_default()
    }

    #[test]
    fn every_shape_gives_code_message_and_request_id() {
        #[rustfmt::skip]
        let cases: &[Case] = &[
            ("connect",
             r#"{"errors":[{"type":"invalid_request","code":"resource_not_found_error","message":"The userId field is required","docUrl":"https://docs"}]}"#,
             Some("resource_not_found_error"), Some("The userId field is required"), None),
            ("connect with requestId",
             r#"{"errors":[{"type":"invalid_client","code":"authorization_error","message":"m","requestId":"293f2ab1-77a7-42d7-8b3f-de4db3fe9d7d"}]}"#,
             Some("authorization_error"), Some("m"), Some("293f2ab1-77a7-42d7-8b3f-de4db3fe9d7d")),
            ("bare array", r#"[{"type":"invalid_request","code":"c","message":"m"}]"#, Some("c"), Some("m"), None),
            ("legacy wrapped",
             r#"{"errors":[{"errorCode":15030,"errorMessage":"Insufficient funds","additionalInformation":["x"]}]}"#,
             Some("15030"), Some("Insufficient funds"), None),
            ("legacy unwrapped",
             r#"{"errorCode":0,"errorMessage":"Input validation failed","additionalInformation":[""]}"#,
             Some("0"), Some("Input validation failed"), None),
            ("error string", r#"{"error":"Service unavailable"}"#, None, Some("Service unavailable"), None),
            ("oauth", r#"{"error":"invalid_client","error_description":"Client authentication failed"}"#,
             Some("invalid_client"), Some("Client authentication failed"), None),
            ("nested error object", r#"{"error":{"code":"x","message":"y"}}"#, Some("x"), Some("y"), None),
            ("errors as one object", r#"{"errors":{"code":"x","message":"y"}}"#, Some("x"), Some("y"), None),
            ("errors as one string", r#"{"errors":"boom"}"#, None, Some("boom"), None),
            ("bare string", r#""boom""#, None, Some("boom"), None),
            ("empty errors with top-level message", r#"{"errors":[],"message":"m"}"#, None, Some("m"), None),
            ("gateway json", r#"{"message":"Internal server error"}"#, None, Some("Internal server error"), None),
        ];
        for (name, body, code, message, request_id) in cases {
            let entry = first(body);
            assert_eq!(entry.code.as_deref(), *code, "{name}");
            assert_eq!(entry.message.as_deref(), *message, "{name}");
            assert_eq!(entry.request_id.as_deref(), *request_id, "{name}");
        }
    }

    #[test]
    fn bodies_without_entries_give_none_never_fail() {
        for body in [
            "",
            "  ",
            "<html><body>502 Bad Gateway</body></html>",
            "{}",
            "[]",
            "null",
            "42",
            r#"{"errors":[]}"#,
            r#"{"errors":[null, 1]}"#,
            r#"{"unrelated":true}"#,
            "{\"errors\": [",
        ] {
            assert!(
                ErrorEntry::parse_body(body.as_bytes()).is_empty(),
                "{body:?}"
            );
        }
    }

    #[test]
    fn keeps_every_entry_in_order() {
        let entries = ErrorEntry::parse_body(
            br#"{"errors":[{"message":"a"},{"message":"b"},{"errorMessage":"c"}]}"#,
        );
        let messages: Vec<_> = entries
            .iter()
            .filter_map(|e| e.message.as_deref())
            .collect();
        assert_eq!(messages, ["a", "b", "c"]);
    }
}
