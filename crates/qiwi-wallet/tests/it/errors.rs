//! Every error status, with every body shape the reference lists, maps to the variant a caller
//! can act on; the vendor code, message and trace id are read and the raw body is kept.

use crate::common;

use std::time::Duration;

use common::{TOKEN, builder, fixture};
use qiwi_wallet::{Error, RefusalKind, RetryPolicy, TokenScope, WalletClient};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A body shape and what must be read from it.
struct Shape {
    file: &'static str,
    content_type: &'static str,
    code: Option<&'static str>,
    message: Option<&'static str>,
    trace_id: Option<&'static str>,
}

const SHAPES: &[Shape] = &[
    Shape {
        file: "errors/edge_auth_forbidden.json",
        content_type: "application/json",
        code: Some("auth.forbidden"),
        message: Some("Access denied"),
        trace_id: Some("dfe5e6296491abfb"),
    },
    Shape {
        file: "errors/edge_with_description.json",
        content_type: "application/json",
        code: Some("validation.error"),
        message: Some("Field alias is invalid"),
        trace_id: Some("0a1b2c3d4e5f6071"),
    },
    Shape {
        file: "errors/sinap_qwprc_220.json",
        content_type: "application/json",
        code: Some("QWPRC-220"),
        message: Some("Недостаточно средств"),
        trace_id: None,
    },
    Shape {
        file: "errors/sinap_validation_envelope_2017.json",
        content_type: "application/json",
        code: Some("QWPRC-542"),
        message: Some("Неверный формат данных"),
        trace_id: None,
    },
    Shape {
        file: "errors/html_bad_gateway.html",
        content_type: "text/html",
        code: None,
        message: None,
        trace_id: None,
    },
    Shape {
        file: "errors/plain_text.txt",
        content_type: "text/plain",
        code: None,
        message: None,
        trace_id: None,
    },
    Shape {
        file: "errors/empty.txt",
        content_type: "application/json",
        code: None,
        message: None,
        trace_id: None,
    },
];

#[derive(Debug, PartialEq, Eq)]
enum Kind {
    Authentication,
    Permission(Option<TokenScope>),
    NotFound,
    RateLimited(Duration),
    Validation,
    Server,
    UnexpectedStatus,
}

fn kind(error: &Error) -> Kind {
    match error.kind() {
        Some(RefusalKind::Authentication) => Kind::Authentication,
        Some(RefusalKind::Permission { .. }) => Kind::Permission(
            error
                .detail()
                .and_then(|detail| detail.scopes.first().copied()),
        ),
        Some(RefusalKind::NotFound) => Kind::NotFound,
        Some(RefusalKind::RateLimited { retry_after }) => Kind::RateLimited(retry_after.unwrap()),
        Some(RefusalKind::Validation) => Kind::Validation,
        Some(RefusalKind::Server) => Kind::Server,
        Some(_) => Kind::UnexpectedStatus,
        None => panic!("not a service error: {error:?}"),
    }
}

/// (status, Retry-After header, expected kind) for a balances read.
fn statuses() -> Vec<(u16, Option<&'static str>, Kind)> {
    let five_minutes = Duration::from_secs(300);
    vec![
        (400, None, Kind::Validation),
        (401, None, Kind::Authentication),
        (403, None, Kind::Permission(Some(TokenScope::Balance))),
        (404, None, Kind::NotFound),
        (409, None, Kind::UnexpectedStatus),
        (422, None, Kind::Validation),
        (423, None, Kind::RateLimited(five_minutes)),
        (
            423,
            Some("120"),
            Kind::RateLimited(Duration::from_secs(120)),
        ),
        (429, None, Kind::RateLimited(five_minutes)),
        (500, None, Kind::Server),
        (502, None, Kind::Server),
        (503, None, Kind::Server),
        (504, Some("7"), Kind::Server),
    ]
}

fn no_retry(server: &MockServer) -> WalletClient {
    builder(server).retry(RetryPolicy::never()).build().unwrap()
}

#[tokio::test]
async fn every_status_with_every_body_shape_maps_to_its_variant() {
    let server = MockServer::start().await;
    let client = no_retry(&server);
    for (status, retry_after, expected) in statuses() {
        for shape in SHAPES {
            let case = format!("{status} {:?} {}", retry_after, shape.file);
            server.reset().await;
            let body = fixture(shape.file);
            let mut response =
                ResponseTemplate::new(status).set_body_raw(body.clone(), shape.content_type);
            if let Some(value) = retry_after {
                response = response.insert_header("Retry-After", value);
            }
            Mock::given(any())
                .respond_with(response)
                .expect(1)
                .mount(&server)
                .await;

            let error = client.list_accounts().await.expect_err(&case);
            assert_eq!(kind(&error), expected, "{case}");
            let answer = &error.refusal().expect(&case).answer;
            assert_eq!(answer.status.as_u16(), status, "{case}");
            assert_eq!(answer.code.as_deref(), shape.code, "{case}: code");
            assert_eq!(answer.message.as_deref(), shape.message, "{case}: message");
            assert_eq!(
                answer.trace_id.as_deref(),
                shape.trace_id,
                "{case}: trace id"
            );
            assert_eq!(error.trace_id(), shape.trace_id, "{case}");
            assert_eq!(&answer.body[..], &body[..], "{case}: raw body kept");
            assert_eq!(answer.attempts, 1, "{case}");

            let shown = format!("{error} {error:?}");
            assert!(!shown.contains(TOKEN), "{case}: token shown: {shown}");
            if let Some(code) = shape.code {
                assert!(error.to_string().contains(code), "{case}: {error}");
            }
            if let Some(trace) = shape.trace_id {
                assert!(error.to_string().contains(trace), "{case}: {error}");
            }
        }
    }
}

#[tokio::test]
async fn a_403_names_the_scope_of_the_endpoint_group() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(403).set_body_raw(
            fixture("errors/edge_auth_forbidden.json"),
            "application/json",
        ))
        .mount(&server)
        .await;
    let client = no_retry(&server);

    let profile = client
        .profile(qiwi_wallet::ProfileSections::ALL)
        .await
        .unwrap_err();
    assert_eq!(
        kind(&profile),
        Kind::Permission(Some(TokenScope::ProfileInfo))
    );
    let text = profile.to_string();
    assert!(
        text.contains("Запрос информации о профиле кошелька"),
        "{text}"
    );
    let limits = client
        .actual_limits(&[qiwi_wallet::LimitType::Turnover])
        .await
        .unwrap_err();
    assert_eq!(
        kind(&limits),
        Kind::Permission(Some(TokenScope::ProfileInfo))
    );
    let accounts = client.account_offers().await.unwrap_err();
    assert_eq!(kind(&accounts), Kind::Permission(Some(TokenScope::Balance)));
    assert!(accounts.to_string().contains("Запрос баланса кошелька"));
}

#[tokio::test]
async fn a_401_never_shows_the_token_even_when_the_server_echoes_it() {
    let server = MockServer::start().await;
    let echo = format!(
        r#"{{"errorCode":"auth.invalid","userMessage":"token {TOKEN} expired","traceId":"t-1"}}"#
    );
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_raw(echo, "application/json")
                .insert_header("x-request-id", "req-9"),
        )
        .mount(&server)
        .await;

    let error = no_retry(&server).list_accounts().await.unwrap_err();
    assert_eq!(kind(&error), Kind::Authentication);
    let display = error.to_string();
    let debug = format!("{error:?}");
    assert!(!display.contains(TOKEN), "{display}");
    assert!(!debug.contains(TOKEN), "{debug}");
    assert!(!error.refusal().unwrap().answer.body_text().contains(TOKEN));
    assert!(display.contains("invalid or expired"), "{display}");
    assert!(display.contains("[REDACTED]"), "{display}");
    // The body's trace id wins over the header's.
    assert_eq!(error.trace_id(), Some("t-1"));
}

#[tokio::test]
async fn a_header_request_id_is_the_trace_id_when_the_body_has_none() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500).insert_header("x-request-id", "req-42"))
        .mount(&server)
        .await;
    let error = no_retry(&server).list_accounts().await.unwrap_err();
    assert_eq!(kind(&error), Kind::Server);
    assert_eq!(error.trace_id(), Some("req-42"));
}

#[tokio::test]
async fn an_undecodable_success_is_a_decode_error_naming_the_field() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"accounts":[{"alias":"qw_wallet_rub","fsAlias":"qb_wallet","bankAlias":"QIWI","title":"WALLET","type":{"id":"WALLET","title":"QIWI Wallet"},"hasBalance":true,"balance":{"amount":"eight","currency":643},"currency":643}]}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let error = no_retry(&server).list_accounts().await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert!(decode.path.starts_with("accounts[0]"), "{}", decode.path);
    assert!(error.to_string().contains("accounts[0]"), "{error}");
}

#[tokio::test]
async fn messages_say_what_happened_and_what_to_do() {
    let server = MockServer::start().await;
    let client = no_retry(&server);
    let mut lines = Vec::new();
    for (status, retry_after, _) in statuses() {
        server.reset().await;
        let mut response = ResponseTemplate::new(status).set_body_raw(
            fixture("errors/edge_auth_forbidden.json"),
            "application/json",
        );
        if let Some(value) = retry_after {
            response = response.insert_header("Retry-After", value);
        }
        Mock::given(any())
            .respond_with(response)
            .mount(&server)
            .await;
        let error = client.list_accounts().await.unwrap_err();
        lines.push(format!("{status}: {error}"));
    }
    insta::assert_snapshot!(lines.join("\n"));
}

/// One account whose balance amount is `amount` (JSON text).
fn accounts_with_amount(amount: &str) -> String {
    format!(
        r#"{{"accounts":[{{"alias":"qw_wallet_rub","fsAlias":"qb_wallet","bankAlias":"QIWI","title":"WALLET","type":{{"id":"WALLET","title":"QIWI Wallet"}},"hasBalance":true,"balance":{{"amount":{amount},"currency":643}},"currency":643}}]}}"#
    )
}

async fn answer_once(server: &MockServer, response: ResponseTemplate) {
    server.reset().await;
    Mock::given(any())
        .respond_with(response)
        .mount(server)
        .await;
}

#[tokio::test]
async fn an_amount_beyond_a_decimal_is_refused_whichever_notation_it_is_written_in() {
    let server = MockServer::start().await;
    let client = no_retry(&server);
    for amount in [
        "0.10000000000000000000000000001",
        "0.10000000000000000000000000001e0",
        "1e-29",
    ] {
        let body = accounts_with_amount(amount);
        answer_once(
            &server,
            ResponseTemplate::new(200).set_body_raw(body, "application/json"),
        )
        .await;
        let error = client.list_accounts().await.expect_err(amount);
        let Error::Decode(decode) = &error else {
            panic!("{amount}: {error:?}")
        };
        assert_eq!(
            decode.path, "accounts[0].balance.amount",
            "{amount}: {error}"
        );
    }
    let exact = accounts_with_amount("8.74e0");
    answer_once(
        &server,
        ResponseTemplate::new(200).set_body_raw(exact, "application/json"),
    )
    .await;
    let accounts = client.list_accounts().await.unwrap();
    let money = accounts.accounts[0].balance.money().unwrap();
    assert_eq!(money.amount.to_string(), "8.74");
}

#[tokio::test]
async fn a_byte_order_mark_before_json_is_accepted() {
    let server = MockServer::start().await;
    let mut body = b"\xEF\xBB\xBF".to_vec();
    body.extend_from_slice(accounts_with_amount("8.74").as_bytes());
    answer_once(
        &server,
        ResponseTemplate::new(200).set_body_raw(body, "application/json"),
    )
    .await;
    let accounts = no_retry(&server).list_accounts().await.unwrap();
    assert_eq!(accounts.accounts.len(), 1);

    let mut error_body = b"\xEF\xBB\xBF".to_vec();
    error_body.extend_from_slice(&fixture("errors/edge_auth_forbidden.json"));
    answer_once(
        &server,
        ResponseTemplate::new(403).set_body_raw(error_body, "application/json"),
    )
    .await;
    let error = no_retry(&server).list_accounts().await.unwrap_err();
    assert_eq!(error.trace_id(), Some("dfe5e6296491abfb"), "{error}");
}

#[tokio::test]
async fn a_decode_error_quotes_an_excerpt_of_a_huge_value() {
    let server = MockServer::start().await;
    let huge = "9".repeat(1 << 20);
    let body = accounts_with_amount(&format!("\"{huge}x\""));
    answer_once(
        &server,
        ResponseTemplate::new(200).set_body_raw(body, "application/json"),
    )
    .await;
    let error = no_retry(&server).list_accounts().await.unwrap_err();
    let shown = error.to_string();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert!(shown.len() < 1000, "{} bytes", shown.len());
    assert!(shown.contains("characters left out"), "{shown}");
    assert!(shown.contains("accounts[0].balance"), "{shown}");
}

#[tokio::test]
async fn a_refusal_keeps_the_services_explanation_bounded() {
    let server = MockServer::start().await;
    let body = r#"{"serviceName":"qw-limits","errorCode":"validation.error","userMessage":"Invalid request","description":"Unknown limit type \"BOGUS\"","traceId":"t-7"}"#;
    answer_once(
        &server,
        ResponseTemplate::new(400).set_body_raw(body, "application/json"),
    )
    .await;
    let error = no_retry(&server).list_accounts().await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains(r#"Invalid request: Unknown limit type "BOGUS" (validation.error)"#),
        "{error}"
    );

    let long = format!(
        r#"{{"errorCode":"validation.error","userMessage":"Invalid request","description":"{}"}}"#,
        "why ".repeat(2000)
    );
    answer_once(
        &server,
        ResponseTemplate::new(400).set_body_raw(long, "application/json"),
    )
    .await;
    let error = no_retry(&server).list_accounts().await.unwrap_err();
    let shown = error.to_string();
    assert!(shown.contains("Invalid request: why why"), "{shown}");
    assert!(shown.contains("characters left out"), "{shown}");
    assert!(shown.len() < 1000, "{} bytes", shown.len());
}

#[tokio::test]
async fn a_404_that_is_not_a_qiwi_error_blames_the_base_url_not_the_wallet() {
    let server = MockServer::start().await;
    answer_once(
        &server,
        ResponseTemplate::new(404).set_body_raw("<html><body>Not Found</body></html>", "text/html"),
    )
    .await;
    let error = no_retry(&server).list_accounts().await.unwrap_err();
    let shown = error.to_string();
    assert_eq!(error.kind(), Some(RefusalKind::NotFound), "{error:?}");
    assert!(shown.contains("check the base URL"), "{shown}");
    assert!(!shown.contains("wallet number"), "{shown}");

    let qiwi = r#"{"serviceName":"funding-sources","errorCode":"person.not.found","userMessage":"Wallet not found","traceId":"t-8"}"#;
    answer_once(
        &server,
        ResponseTemplate::new(404).set_body_raw(qiwi, "application/json"),
    )
    .await;
    let shown = no_retry(&server)
        .list_accounts()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        shown.contains("Wallet not found (person.not.found)"),
        "{shown}"
    );
    assert!(shown.contains("check the wallet number"), "{shown}");
}

#[tokio::test]
async fn a_huge_retry_after_is_shown_as_the_one_hour_ceiling() {
    let server = MockServer::start().await;
    for status in [423, 429] {
        answer_once(
            &server,
            ResponseTemplate::new(status).insert_header("Retry-After", "18446744073709551615"),
        )
        .await;
        let error = no_retry(&server).list_accounts().await.unwrap_err();
        assert_eq!(
            error.retry_after(),
            Some(Duration::from_secs(3600)),
            "{status}"
        );
        assert!(
            error
                .to_string()
                .ends_with("wait 3600 s before calling again"),
            "{status}: {error}"
        );
    }
}
