//! Shared setup for the wire tests: a client pointed at a mock server, and the exact request
//! each call must send.

use std::time::Duration;

use http::Method;
use qiwi_transport::test_util::echo::{Body, EchoLog};
use qiwi_transport::test_util::expect::ExpectedRequest;
use qiwi_wallet::{RetryPolicy, SecretString, Timeouts, WalletClient, WalletClientBuilder};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A token that no answer or error may show.
pub const TOKEN: &str = "tok-5f3a9c1e-secret";
/// The wallet the tests work on.
pub const WALLET: &str = "79111234567";

/// Reads a fixture of the models crate (the examples of the reference and the seeds).
pub fn model_fixture(relative: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../qiwi-types/tests/fixtures/wallet")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Reads a fixture of this crate.
pub fn fixture(relative: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Reads fast: a few attempts, millisecond backoff, short limits.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
        max_retry_after: Duration::from_millis(5),
    }
}

/// A builder for a client of `server`, with fast retries.
pub fn builder(server: &MockServer) -> WalletClientBuilder {
    WalletClient::builder()
        .token(SecretString::from(TOKEN))
        .wallet(WALLET.parse().unwrap())
        .base_url(server.uri())
        .allow_http(true)
        .retry(fast_retry())
        .timeouts(Timeouts {
            attempt: Duration::from_secs(5),
            total: Duration::from_secs(10),
        })
}

/// A client of `server`, with fast retries.
pub fn client(server: &MockServer) -> WalletClient {
    builder(server).build().unwrap()
}

/// What a request to the QIWI Wallet API must be, exactly: method, path, raw query (`None`
/// for none, percent-encoding included), `Accept` and `Authorization`, and either a JSON body
/// with its `Content-Type` or neither.
pub fn expected(
    method: Method,
    path: &str,
    query: Option<&str>,
    body: Option<serde_json::Value>,
) -> ExpectedRequest {
    let mut expected = ExpectedRequest::new(method, path)
        .header("accept", "application/json")
        .header("authorization", format!("Bearer {TOKEN}"));
    if let Some(query) = query {
        expected = expected.query(query);
    }
    match body {
        Some(body) => expected
            .header("content-type", "application/json")
            .json(body),
        None => expected.no_header("content-type"),
    }
}

/// Checks a request the server received against `expected`; the panic names each field that
/// differs.
#[track_caller]
pub fn assert_sent(received: &wiremock::Request, expected: &ExpectedRequest) {
    let r = received;
    if let Err(mismatch) = expected.compare_parts(&r.method, &r.url, &r.headers, &r.body) {
        panic!("{mismatch}");
    }
}

/// The requests the server received.
pub async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap_or_default()
}

/// The owner data of the identification examples (E02).
pub fn identification_request() -> qiwi_wallet::IdentificationRequest {
    qiwi_wallet::IdentificationRequest {
        birth_date: "1998-02-11".parse().unwrap(),
        first_name: "Иван".into(),
        middle_name: "Иванович".into(),
        last_name: "Иванов".into(),
        passport: "4400111222".into(),
        inn: None,
        snils: None,
        oms: None,
    }
}

/// A server that answers every request with `status` and `body` of what `log` reflects: every
/// request seen so far, in every encoding.
pub async fn echo_server(status: u16, body: Body, log: EchoLog) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(move |r: &wiremock::Request| {
            let echo = log.reflect(r.method.as_str(), r.url.as_str(), &r.headers, &r.body);
            ResponseTemplate::new(status).set_body_string(body(&echo))
        })
        .mount(&server)
        .await;
    server
}
