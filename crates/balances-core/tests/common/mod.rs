//! Helpers shared by the integration tests.

#![allow(dead_code)] // each test file uses a different part

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use qiwi_transport::clock::Clock;

/// The bytes of a fixture, by its path under `tests/fixtures/`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A clock whose `now` moves only when the test says, and whose `sleep` really waits.
///
/// `qiwi_transport::test_util::ManualClock` cannot be used with a network transport: its
/// `sleep` returns at once, and the executor races every attempt against `sleep(timeout)`,
/// so any answer that is not ready on the first poll would time out.
#[derive(Debug, Clone)]
pub struct SteppedClock {
    now: Arc<Mutex<SystemTime>>,
}

impl SteppedClock {
    pub fn new() -> Self {
        Self {
            now: Arc::new(Mutex::new(
                SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
            )),
        }
    }

    pub fn advance(&self, by: Duration) {
        *self.now.lock().unwrap() += by;
    }
}

#[async_trait::async_trait]
impl Clock for SteppedClock {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap()
    }

    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }

    fn jitter(&self) -> f64 {
        1.0
    }
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
