//! XML with `quick-xml`: no DTDs, no entity expansion, nothing fetched.

use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::{DecodeError, Response};

/// The media type for XML bodies.
pub const CONTENT_TYPE: &str = "text/xml; charset=utf-8";

/// Decodes the answer's body as `T`. Unknown elements and attributes are ignored.
///
/// # Errors
/// [`DecodeError`] with the status, the raw body and the failing path: for an empty body, invalid
/// UTF-8 or XML, a document with a `<!DOCTYPE` (refused outright: no DTD is ever processed, so
/// no entity can expand or fetch anything), or a value of the wrong shape.
pub fn decode<T: DeserializeOwned>(response: &Response) -> Result<T, DecodeError> {
    decode_body(response.status, &response.body)
}

/// Decodes `body` as `T`, reporting `status` in any error.
///
/// # Errors
/// As [`decode`].
pub fn decode_body<T: DeserializeOwned>(
    status: http::StatusCode,
    body: &Bytes,
) -> Result<T, DecodeError> {
    let text = checked_text(status, body)?;
    let mut deserializer = quick_xml::de::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| DecodeError {
        status,
        format: "XML",
        path: super::path_text(e.path()),
        message: e.into_inner().to_string(),
        body: body.clone(),
    })
}

/// The body as UTF-8 text, refused when empty or when it declares a DTD.
///
/// # Errors
/// [`DecodeError`] as for [`decode`].
pub fn checked_text(status: http::StatusCode, body: &Bytes) -> Result<&str, DecodeError> {
    let error = |message: &str| DecodeError {
        status,
        format: "XML",
        path: ".".into(),
        message: message.into(),
        body: body.clone(),
    };
    let text = std::str::from_utf8(body).map_err(|_| error("the body is not valid UTF-8"))?;
    if text.trim().is_empty() {
        return Err(error("the body is empty"));
    }
    if contains_doctype(text) {
        return Err(error(
            "the document declares a DTD (<!DOCTYPE>), which is refused: entities are never expanded",
        ));
    }
    Ok(text)
}

fn contains_doctype(text: &str) -> bool {
    // Looks only where `<!` is, which a plain answer never holds.
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, b"<!").any(|at| {
        bytes
            .get(at + 2..at + 9)
            .is_some_and(|word| word.eq_ignore_ascii_case(b"DOCTYPE"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::StatusCode;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Envelope {
        #[serde(rename = "result-code")]
        result_code: ResultCode,
        #[serde(default)]
        balances: Option<Balances>,
    }

    #[derive(Debug, Deserialize)]
    struct ResultCode {
        #[serde(rename = "@fatal")]
        fatal: bool,
        #[serde(rename = "$text")]
        code: i32,
    }

    #[derive(Debug, Deserialize)]
    struct Balances {
        #[serde(default)]
        balance: Vec<Balance>,
    }

    #[derive(Debug, Deserialize)]
    struct Balance {
        #[serde(rename = "@code")]
        code: String,
        #[serde(rename = "$text")]
        amount: String,
    }

    fn decode_bytes(body: &[u8]) -> Result<Envelope, DecodeError> {
        decode(&Response::new(StatusCode::OK, Bytes::copy_from_slice(body)))
    }

    #[test]
    fn decodes_and_ignores_unknown_tags_and_attributes() {
        let env = decode_bytes(
            br#"<?xml version="1.0" encoding="utf-8"?>
            <response x="1"><result-code fatal='false' msg="ok">0</result-code>
            <balances-ovd>1</balances-ovd>
            <balances><balance code="643" extra="y">200.26</balance><f/></balances></response>"#,
        )
        .unwrap();
        assert_eq!(env.result_code.code, 0);
        assert!(!env.result_code.fatal);
        let b = &env.balances.unwrap().balance[0];
        assert_eq!((b.code.as_str(), b.amount.as_str()), ("643", "200.26"));
    }

    #[test]
    fn doctype_and_entities_are_refused_not_expanded() {
        let billion_laughs = br#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>
<response><result-code fatal="false">&lol2;</result-code></response>"#;
        let err = decode_bytes(billion_laughs).unwrap_err();
        assert!(err.message.contains("DTD"), "{err}");
        let external =
            br#"<!doctype r [<!ENTITY x SYSTEM "file:///etc/passwd">]><response>&x;</response>"#;
        assert!(decode_bytes(external).unwrap_err().message.contains("DTD"));
        // An undeclared entity without a DTD is an error too, never a lookup.
        assert!(
            decode_bytes(b"<response><result-code fatal=\"false\">&x;</result-code></response>")
                .is_err()
        );
    }

    #[test]
    fn bad_input_is_an_error_never_a_panic() {
        let cases: &[&[u8]] = &[
            b"",
            b"   ",
            b"\xff\xfe<response/>",
            b"<response><result-code fatal=\"false\">0</result-co",
            b"<response><result-code fatal=\"maybe\">0</result-code></response>",
            b"<response><result-code fatal=\"false\">zero</result-code></response>",
            b"<response></response>",
            b"not xml at all",
            b"<a><b></a></b>",
        ];
        for body in cases {
            let err = decode_bytes(body).expect_err(&String::from_utf8_lossy(body));
            assert_eq!(&err.body[..], *body);
            assert_eq!(err.format, "XML");
        }
    }
}
