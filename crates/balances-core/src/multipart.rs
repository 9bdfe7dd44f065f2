//! `multipart/form-data` (RFC 7578) for the few text fields of a token request.

use bytes::Bytes;

/// The boundary's fixed part; a counter is appended until no value contains the boundary, so
/// the body is deterministic and can never be cut short by a value (a secret may hold anything).
const BOUNDARY_BASE: &str = "balances-core-form-boundary-";

/// An encoded form: its `Content-Type` (with the boundary) and its body.
pub(crate) struct FormData {
    pub(crate) content_type: String,
    pub(crate) body: Bytes,
}

/// Encodes `fields` (name, value) in order. Names are fixed ASCII words chosen by this crate.
pub(crate) fn encode(fields: &[(&'static str, &[u8])]) -> FormData {
    let boundary = (0u32..)
        .map(|n| format!("{BOUNDARY_BASE}{n}"))
        .find(|b| {
            !fields
                .iter()
                .any(|(_, value)| contains(value, b.as_bytes()))
        })
        .unwrap_or_else(|| BOUNDARY_BASE.to_owned());
    let mut body = Vec::with_capacity(
        fields
            .iter()
            .map(|(n, v)| n.len() + v.len() + boundary.len() + 64)
            .sum(),
    );
    for (name, value) in fields {
        body.extend_from_slice(b"--");
        body.extend_from_slice(boundary.as_bytes());
        body.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
        body.extend_from_slice(name.as_bytes());
        body.extend_from_slice(b"\"\r\n\r\n");
        body.extend_from_slice(value);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"--");
    body.extend_from_slice(boundary.as_bytes());
    body.extend_from_slice(b"--\r\n");
    FormData {
        content_type: format!("multipart/form-data; boundary={boundary}"),
        body: Bytes::from(body),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_each_field_as_a_part() {
        let form = encode(&[
            ("grant_type", b"client_credentials"),
            ("scope", b"read_only"),
        ]);
        assert_eq!(
            form.content_type,
            "multipart/form-data; boundary=balances-core-form-boundary-0"
        );
        assert_eq!(
            std::str::from_utf8(&form.body).unwrap(),
            "--balances-core-form-boundary-0\r\n\
             Content-Disposition: form-data; name=\"grant_type\"\r\n\r\n\
             client_credentials\r\n\
             --balances-core-form-boundary-0\r\n\
             Content-Disposition: form-data; name=\"scope\"\r\n\r\n\
             read_only\r\n\
             --balances-core-form-boundary-0--\r\n"
        );
    }

    #[test]
    fn a_value_holding_the_boundary_moves_it() {
        let tricky = b"x--balances-core-form-boundary-0\r\n";
        let form = encode(&[("client_secret", tricky)]);
        assert!(
            form.content_type
                .ends_with("boundary=balances-core-form-boundary-1")
        );
        let text = String::from_utf8_lossy(&form.body);
        assert_eq!(text.matches("--balances-core-form-boundary-1").count(), 2);
    }
}
