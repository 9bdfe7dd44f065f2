//! Helpers shared by the integration tests.

use std::path::PathBuf;

use qiwi_transport::test_util::{
    Advance, TickAdvanceSleep, TickAdvanceTime, tick_advance_time_and_sleep,
};

/// The bytes of a fixture, by its path under `tests/fixtures/`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A time that moves only when the test ticks it and a sleep that ends only then: no attempt
/// deadline passes on its own, so calls over the socket get their answers.
pub fn ticking() -> (TickAdvanceTime, TickAdvanceSleep) {
    tick_advance_time_and_sleep(Advance::OnTick)
}

/// The fields of a `multipart/form-data` body, in order, checking its framing strictly.
pub fn multipart_fields(content_type: &str, body: &[u8]) -> Vec<(String, String)> {
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart/form-data: {content_type}"));
    let body = std::str::from_utf8(body).expect("the form is UTF-8");
    let delimiter = format!("--{boundary}");
    let closing = format!("{delimiter}--\r\n");
    let body = body
        .strip_suffix(&closing)
        .unwrap_or_else(|| panic!("the form does not end with {closing:?}: {body:?}"));
    body.split(&delimiter)
        .skip(1)
        .map(|part| {
            let part = part
                .strip_prefix("\r\n")
                .and_then(|p| p.strip_suffix("\r\n"))
                .unwrap_or_else(|| panic!("part framing: {part:?}"));
            let (headers, value) = part.split_once("\r\n\r\n").expect("part headers");
            let name = headers
                .strip_prefix("Content-Disposition: form-data; name=\"")
                .and_then(|h| h.strip_suffix('"'))
                .unwrap_or_else(|| panic!("part header: {headers:?}"));
            (name.to_owned(), value.to_owned())
        })
        .collect()
}
