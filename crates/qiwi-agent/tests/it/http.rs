//! Wire tests over real HTTP (wiremock on loopback): the exact request, and how every error
//! status and body maps to an error. Needs the default `reqwest` feature.

#![cfg(feature = "reqwest")]

use crate::support;

use std::sync::Arc;
use std::time::Duration;

use http::Method;
use qiwi_agent::secrecy::SecretString;
use qiwi_agent::{
    AgentClient, ClientIdentity, Error, FundsSource, Payout, PayoutAmount, Recipient, RetryPolicy,
    StatusQuery, TransactionNumber,
};
use qiwi_transport::test_util::expect::ExpectedRequest;
use qiwi_transport::{NotSentError, RefusalKind};
use support::{fixture, normalise};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client_for(server: &MockServer, password: &str, retry: RetryPolicy) -> AgentClient {
    AgentClient::builder()
        .terminal_id(123)
        .password(SecretString::from(password.to_owned()))
        .base_url(format!("{}/xml/topup.jsp", server.uri()))
        .allow_http(true)
        .retry(retry)
        .build()
        .unwrap()
}

fn xml_response(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("content-type", "text/xml; charset=utf-8")
        .set_body_string(body.to_owned())
}

/// Everything about a request that the server can see, except the body (compared by meaning).
#[track_caller]
fn assert_protocol_request(request: &Request, expected_path: &str) {
    let expected = ExpectedRequest::new(Method::POST, expected_path)
        .header("content-type", "application/xml")
        .no_header("x-digital-sign")
        .no_header("authorization")
        .any_body();
    let r = request;
    if let Err(mismatch) = expected.compare_parts(&r.method, &r.url, &r.headers, &r.body) {
        panic!("{mismatch}");
    }
}

/// The reference's wallet top-up: 1115 RUB to 79181234567 under number 12345678.
fn wallet_payout() -> Payout {
    Payout::new(
        TransactionNumber::parse("12345678").unwrap(),
        Recipient::Wallet {
            wallet: "79181234567".parse().unwrap(),
            funds: FundsSource::NonCash,
            comment: None,
        },
        PayoutAmount::parse("1115").unwrap(),
    )
    .unwrap()
}

fn body_text(request: &Request) -> String {
    String::from_utf8(request.body.clone()).unwrap()
}

#[tokio::test]
async fn ping_is_one_post_of_the_documented_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/xml/topup.jsp"))
        .respond_with(xml_response(200, &fixture("responses/ping_spec_5_1.xml")))
        .expect(1)
        .mount(&server)
        .await;
    let client = AgentClient::builder()
        .terminal_id(44)
        .password(SecretString::from("password"))
        .base_url(format!("{}/xml/topup.jsp", server.uri()))
        .allow_http(true)
        .build()
        .unwrap();
    let balances = client.ping().await.unwrap();
    assert_eq!(balances.len(), 3);

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_protocol_request(&requests[0], "/xml/topup.jsp");
    let body = body_text(&requests[0]);
    assert!(
        body.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"),
        "{body}"
    );
    assert_eq!(
        normalise(&body),
        normalise(&fixture("requests/ping_spec_5_1.xml"))
    );
}

#[tokio::test]
async fn pay_and_status_bodies_are_pinned_and_pay_is_retried_as_idempotent() {
    let server = MockServer::start().await;
    // Two 503s, then the answer: the executor retries pay because its transaction number makes
    // it idempotent.
    Mock::given(method("POST"))
        .respond_with(xml_response(503, "busy"))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(xml_response(
            200,
            &fixture("responses/pay_spec_5_4_wallet_ru.xml"),
        ))
        .mount(&server)
        .await;
    // Real HTTP on the real clock; the backoff is shortened so the test does not wait.
    let quick = RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
        ..RetryPolicy::default()
    };
    let client = client_for(&server, "***", quick);
    let payout = wallet_payout();
    let response = client.pay(&payout).await.unwrap();
    assert!(response.payment.unwrap().state().is_final());

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3, "two retries after 503");
    let expected = normalise(&fixture("requests/pay_wallet_spec_5_4.xml"));
    for request in &requests {
        assert_protocol_request(request, "/xml/topup.jsp");
        assert_eq!(normalise(&body_text(request)), expected);
    }

    let queries = [
        StatusQuery::new(TransactionNumber::parse("12345678").unwrap(), "79181234567").unwrap(),
        StatusQuery::new(
            TransactionNumber::parse("99999999999999999999").unwrap(),
            "79181234568",
        )
        .unwrap(),
    ];
    let response = client.status_many(&queries).await.unwrap();
    assert_eq!(response.payments.len(), 1);
    let requests = server.received_requests().await.unwrap();
    let status_body = support::parse(&body_text(&requests[3]));
    let numbers: Vec<String> = status_body
        .find("status")
        .unwrap()
        .children
        .iter()
        .map(|p| p.find("transaction-number").unwrap().text.clone())
        .collect();
    assert_eq!(numbers, ["12345678", "99999999999999999999"]);
}

#[tokio::test]
async fn errors_map_by_status_and_result_code() {
    const AUTH: &str = "<response><result-code fatal='true' message='Ошибка авторизации'>150</result-code></response>";
    let seed_error = fixture("responses/error_seed_003.xml");
    let generic_error = fixture("responses/error_spec_3_2_generic.xml");
    #[rustfmt::skip]
    let table: Vec<(&str, u16, &str, Option<&str>, &str)> = vec![
        ("200 + 150",          200, AUTH, None, "authentication"),
        ("200 + 339",          200, "<response><result-code fatal='true'>339</result-code></response>", None, "permission"),
        ("200 + 13",           200, "<response><result-code fatal='false'>13</result-code></response>", None, "rate_limited 60"),
        ("200 + 300",          200, &seed_error, None, "server"),
        ("200 + unlisted",     200, "<response><result-code fatal='true'>555</result-code></response>", None, "rejected"),
        ("401 empty",          401, "", None, "authentication"),
        ("403 HTML",           403, "<html>Forbidden</html>", None, "permission"),
        ("429 Retry-After",    429, "", Some("7"), "rate_limited 7"),
        ("429 without header", 429, "", None, "rate_limited 60"),
        ("429 huge Retry-After", 429, "", Some("18446744073709551615"), "rate_limited 3600"),
        ("500 HTML",           500, "<html><body>Internal error</body></html>", None, "server"),
        ("503 XML body",       503, &generic_error, None, "server"),
        ("400 XML with 150",   400, AUTH, None, "authentication"),
        ("404 HTML",           404, "<html>Not found</html>", None, "rejected"),
        ("200 HTML",           200, "<html><body>maintenance</body></html>", None, "decode"),
        ("200 empty",          200, "", None, "decode"),
        ("200 truncated",      200, "<response><result-code fatal='false'>0</result", None, "decode"),
        ("200 other document", 200, "<answer/>", None, "decode"),
    ];
    for (name, status, body, retry_after, expected) in table {
        let server = MockServer::start().await;
        let mut response = xml_response(status, body);
        if let Some(seconds) = retry_after {
            response = response.insert_header("retry-after", seconds);
        }
        Mock::given(method("POST"))
            .respond_with(response)
            .mount(&server)
            .await;
        let err = client_for(&server, "pw", RetryPolicy::never())
            .ping()
            .await
            .unwrap_err();
        let got = match (&err, err.kind()) {
            (_, Some(RefusalKind::Authentication)) => "authentication".to_owned(),
            (_, Some(RefusalKind::Permission { .. })) => "permission".to_owned(),
            (_, Some(RefusalKind::RateLimited { retry_after })) => {
                format!("rate_limited {}", retry_after.unwrap().as_secs())
            }
            (_, Some(RefusalKind::Server)) => "server".to_owned(),
            (_, Some(RefusalKind::Rejected)) => "rejected".to_owned(),
            (Error::Decode(e), _) => {
                assert_eq!(e.format, "XML", "{name}");
                assert_eq!(e.body, body.as_bytes(), "{name}");
                "decode".to_owned()
            }
            _ => panic!("{name}: {err:?}"),
        };
        assert_eq!(got, expected, "{name}");
        if let Some(refusal) = err.refusal() {
            // The raw answer stays reachable for support requests.
            assert_eq!(refusal.answer.status.as_u16(), status, "{name}");
            assert_eq!(refusal.answer.body_text(), body, "{name}");
        }
        let received = server.received_requests().await.unwrap();
        assert_eq!(received.len(), 1, "{name}: sent once");
    }
}

#[tokio::test]
async fn a_rate_limit_shows_a_bounded_wait_and_the_servers_bounded_message() {
    let server = MockServer::start().await;
    let message = "busy ".repeat(400);
    Mock::given(method("POST"))
        .respond_with(
            xml_response(
                429,
                &format!("<response><result-code fatal='false' message='{message}'>13</result-code></response>"),
            )
            .insert_header("retry-after", "18446744073709551615"),
        )
        .mount(&server)
        .await;
    let err = client_for(&server, "pw", RetryPolicy::never())
        .ping()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.ends_with("repeat the request in 3600 s"), "{text}");
    assert!(text.contains("result code 13: busy busy"), "{text}");
    assert!(text.contains("characters left out"), "{text}");
    assert!(text.len() < 1000, "{} bytes", text.len());
}

#[tokio::test]
async fn a_server_result_code_is_kept_with_the_http_status() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            xml_response(503, &fixture("responses/error_seed_003.xml"))
                .insert_header("x-request-id", "abc-1"),
        )
        .mount(&server)
        .await;
    let err = client_for(&server, "pw", RetryPolicy::never())
        .ping()
        .await
        .unwrap_err();
    let answer = &err.refusal().unwrap().answer;
    assert_eq!(answer.status.as_u16(), 503);
    assert_eq!(answer.code.as_deref(), Some("300"));
    assert_eq!(answer.message.as_deref(), Some("Неизвестная ошибка"));
    assert_eq!(answer.trace_id.as_deref(), Some("abc-1"));
    assert_eq!(
        err.to_string(),
        "the server could not process the request (HTTP status 503 Service Unavailable, result code 300: Неизвестная ошибка [trace id abc-1]); repeat it later (for a payment, check its status: it is not failed)"
    );
}

#[tokio::test]
async fn the_lookup_goes_to_xmlcp_next_to_the_endpoint() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/xml/xmlcp.jsp"))
        .respond_with(xml_response(
            200,
            &fixture("responses/provider_spec_5_6d.xml"),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server, "***", RetryPolicy::never());
    assert_eq!(client.provider_by_phone("9161234567").await.unwrap(), 42);
    let requests = server.received_requests().await.unwrap();
    assert_protocol_request(&requests[0], "/xml/xmlcp.jsp");
    assert!(
        client
            .provider_by_phone("+7916")
            .await
            .unwrap_err()
            .is_not_sent()
    );
}

#[test]
fn a_client_certificate_selects_the_private_endpoint() {
    let pem = std::fs::read(format!(
        "{}/tests/fixtures/signing/test_client_identity.pem",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let identity = ClientIdentity::from_pem(&pem).unwrap();
    assert_eq!(format!("{identity:?}"), "ClientIdentity([REDACTED])");
    let client = AgentClient::builder()
        .terminal_id(123)
        .password(SecretString::from("pw"))
        .client_certificate(identity)
        .build()
        .unwrap();
    assert_eq!(
        client.base_url().as_url().as_str(),
        AgentClient::PRIVATE_ENDPOINT
    );
    assert_eq!(
        client.lookup_endpoint(),
        AgentClient::PRIVATE_LOOKUP_ENDPOINT
    );

    // A certificate cannot be slipped into a transport built elsewhere.
    let err = AgentClient::builder()
        .terminal_id(123)
        .password(SecretString::from("pw"))
        .client_certificate(ClientIdentity::from_pem(&pem).unwrap())
        .transport(Arc::new(
            qiwi_transport::test_util::ScriptedTransport::default(),
        ))
        .build()
        .unwrap_err();
    assert!(
        matches!(err, Error::NotSent(NotSentError::Configuration(_))),
        "{err}"
    );
}

#[test]
fn the_builder_refuses_what_cannot_work() {
    let base = || {
        AgentClient::builder().transport(Arc::new(
            qiwi_transport::test_util::ScriptedTransport::default(),
        ))
    };
    let cases = [
        (
            base().password(SecretString::from("pw")),
            "the terminal id is not set",
        ),
        (
            base().terminal_id(0).password(SecretString::from("pw")),
            "terminal id",
        ),
        (base().terminal_id(1), "no password is set"),
        (
            base()
                .terminal_id(1)
                .password(SecretString::from("pw"))
                .base_url("http://example.com/xml/topup.jsp"),
            "plain http://",
        ),
        (
            base()
                .terminal_id(1)
                .password(SecretString::from("pw"))
                .base_url("not a url"),
            "not a valid URL",
        ),
    ];
    for (builder, message) in cases {
        let err = builder.build().unwrap_err();
        assert!(err.is_not_sent(), "{err}");
        assert!(err.to_string().contains(message), "{err}");
    }
    assert!(
        base()
            .terminal_id(1)
            .password(SecretString::from("pw"))
            .timeouts(qiwi_agent::Timeouts {
                attempt: Duration::from_secs(5),
                total: Duration::from_secs(10),
            })
            .build()
            .is_ok()
    );
}

/// A status answer slower than the time left ends the run on time, as pending: the wait is
/// the caller's limit, never the limit plus one slow request.
#[tokio::test]
async fn a_slow_status_answer_ends_the_confirmation_within_its_time_limit() {
    use qiwi_agent::{ConfirmOptions, Outcome, PaymentState};
    use qiwi_transport::time::{SystemTimeSource, TimeSource};
    use wiremock::matchers::body_string_contains;

    let server = MockServer::start().await;
    let in_progress = "<response><result-code fatal='false'>0</result-code><payment transaction-number='12345678' status='50' txn_id='9' result-code='0' final-status='false' fatal-error='false'/></response>";
    Mock::given(method("POST"))
        .and(body_string_contains("<auth>"))
        .respond_with(xml_response(200, in_progress))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(body_string_contains("<status>"))
        .respond_with(xml_response(200, in_progress).set_delay(Duration::from_secs(10)))
        .mount(&server)
        .await;
    let client = client_for(&server, "***", RetryPolicy::default());
    let payout = wallet_payout();
    let options = ConfirmOptions::new()
        .interval(Duration::from_millis(100))
        .timeout(Duration::from_secs(1));
    let started = SystemTimeSource.now();
    let confirmation = client.pay_and_confirm(&payout, &options).await.unwrap();
    let took = SystemTimeSource.now().saturating_duration_since(started);
    assert!(
        matches!(
            confirmation.outcome,
            Outcome::Pending {
                last_state: Some(PaymentState::InProgress)
            }
        ),
        "{:?}",
        confirmation.outcome
    );
    assert!(took < Duration::from_secs(3), "took {took:?}");
}
