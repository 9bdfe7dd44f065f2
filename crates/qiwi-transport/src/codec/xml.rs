//! XML answers: the checks every one passes before the family's reader sees it (UTF-8, not
//! empty, no DTD: no entity is ever expanded, nothing fetched).

use bytes::Bytes;

use crate::DecodeError;

/// The media type for XML bodies.
pub const CONTENT_TYPE: &str = "text/xml; charset=utf-8";

/// The body as UTF-8 text, refused when empty or when it declares a DTD: the check every XML
/// answer passes before a reader sees it.
///
/// # Errors
/// [`DecodeError`] with the status and the raw body: for an empty body, invalid UTF-8, or a
/// document with a `<!DOCTYPE` (refused outright: no DTD is ever processed, so no entity can
/// expand or fetch anything).
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

    fn check(body: &[u8]) -> Result<&str, DecodeError> {
        // Leaked so that the borrowed text can be returned; a handful of bytes per case.
        let body: &'static Bytes = Box::leak(Box::new(Bytes::copy_from_slice(body)));
        checked_text(StatusCode::OK, body)
    }

    #[test]
    fn a_plain_document_passes_as_it_is() {
        let text = r#"<?xml version="1.0"?><response><result-code fatal="false">0</result-code></response>"#;
        assert_eq!(check(text.as_bytes()).unwrap(), text);
    }

    #[test]
    fn doctype_is_refused_in_any_case() {
        let billion_laughs = br#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>
<response><result-code fatal="false">&lol2;</result-code></response>"#;
        let err = check(billion_laughs).unwrap_err();
        assert!(err.message.contains("DTD"), "{err}");
        let external =
            br#"<!doctype r [<!ENTITY x SYSTEM "file:///etc/passwd">]><response>&x;</response>"#;
        assert!(check(external).unwrap_err().message.contains("DTD"));
    }

    #[test]
    fn empty_and_non_utf8_bodies_are_errors_that_keep_the_body() {
        for body in [&b""[..], b"   ", b"\xff\xfe<response/>"] {
            let err = check(body).expect_err(&String::from_utf8_lossy(body));
            assert_eq!((&err.body[..], err.format), (body, "XML"));
        }
    }
}
