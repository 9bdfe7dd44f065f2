//! JSON with `serde_json`, numbers kept at full precision.

use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{DecodeError, NotSentError, Response};

/// The media type for JSON bodies.
pub const CONTENT_TYPE: &str = "application/json";

/// Decodes the answer's body as `T`.
///
/// # Errors
/// [`DecodeError`] with the status, the raw body and the path of the failing field: for an
/// empty body, invalid JSON or UTF-8, or a value of the wrong shape.
pub fn decode<T: DeserializeOwned>(response: &Response) -> Result<T, DecodeError> {
    decode_body(response.status, &response.body)
}

/// Decodes `body` as `T`, reporting `status` in any error. A leading UTF-8 byte-order mark is
/// skipped, as the XML decoder does.
///
/// # Errors
/// As [`decode`].
pub fn decode_body<T: DeserializeOwned>(
    status: http::StatusCode,
    body: &Bytes,
) -> Result<T, DecodeError> {
    let error = |path: String, message: String| DecodeError {
        status,
        format: "JSON",
        path,
        message,
        body: body.clone(),
    };
    let json = without_bom(body);
    if json.iter().all(u8::is_ascii_whitespace) {
        return Err(error(".".into(), "the body is empty".into()));
    }
    // Tracking the field path costs about half the decoding speed, so it is paid only when the
    // plain decode has already failed and the path is wanted for the error.
    if let Ok(value) = serde_json::from_slice(json) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let value: T = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| error(super::path_text(e.path()), e.into_inner().to_string()))?;
    deserializer
        .end()
        .map_err(|e| error(".".into(), e.to_string()))?;
    Ok(value)
}

/// `body` without a leading UTF-8 byte-order mark, which JSON parsers refuse and some servers
/// send.
pub fn without_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)
}

/// Encodes `value` as a JSON body.
///
/// # Errors
/// [`NotSentError::InvalidInput`] when the value cannot be written as JSON.
pub fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Bytes, NotSentError> {
    serde_json::to_vec(value)
        .map(Bytes::from)
        .map_err(|e| NotSentError::InvalidInput(format!("cannot encode the request as JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::StatusCode;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Accounts {
        accounts: Vec<Account>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Account {
        alias: String,
        balance: Option<Balance>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Balance {
        amount: u32,
    }

    fn decode_bytes(body: &'static [u8]) -> Result<Accounts, DecodeError> {
        decode(&Response::new(StatusCode::OK, Bytes::from_static(body)))
    }

    #[test]
    fn bad_input_is_an_error_never_a_panic() {
        let cases: &[(&str, &[u8], &str)] = &[
            ("empty", b"", "."),
            ("whitespace", b"  \n", "."),
            (
                "truncated",
                br#"{"accounts": [{"alias": "qw_wallet_rub""#,
                "accounts[0].?",
            ),
            (
                "invalid utf-8",
                b"{\"accounts\": [{\"alias\": \"\xff\xfe\"}]}",
                "accounts[0].alias",
            ),
            ("null for object", b"null", "."),
            (
                "wrong type deep",
                br#"{"accounts":[{"alias":"a","balance":{"amount":"x"}}]}"#,
                "accounts[0].balance.amount",
            ),
            ("trailing garbage", br#"{"accounts":[]} x"#, "."),
        ];
        for (name, body, path) in cases {
            let err = decode_bytes(body).expect_err(name);
            assert_eq!(err.path, *path, "{name}: {err}");
            assert_eq!(&err.body[..], *body, "{name}: raw body kept");
            assert_eq!(err.status, StatusCode::OK);
        }
    }

    #[test]
    fn unknown_fields_are_ignored() {
        let ok = decode_bytes(br#"{"accounts":[{"alias":"a","balance":null,"new":1}],"more":{}}"#)
            .unwrap();
        assert_eq!(ok.accounts.len(), 1);
    }

    #[test]
    fn error_message_names_the_field() {
        let err =
            decode_bytes(br#"{"accounts":[{"alias":"a","balance":{"amount":"x"}}]}"#).unwrap_err();
        assert!(
            err.to_string().contains("`accounts[0].balance.amount`"),
            "{err}"
        );
    }
}
