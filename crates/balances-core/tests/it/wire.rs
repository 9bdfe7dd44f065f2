//! The client against a local HTTP server: every request pinned, the token cache, the 401
//! renewal, and the mapping of every error status and body shape.

use crate::common;

use std::sync::Arc;
use std::time::Duration;

use balances_core::{
    BalancesClient, BalancesClientBuilder, BalancesQuery, Error, HistoryRange, Refusal,
    RefusalKind, RetryPolicy, Timeouts, TreezorDetail, UserId, WalletId,
};
use qiwi_transport::NotSentError;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use common::{fixture, multipart_fields, ticking};
use http::Method;
use qiwi_transport::test_util::expect::ExpectedRequest;
use qiwi_transport::test_util::{TickAdvanceSleep, TickAdvanceTime};
use qiwi_transport::time::{Sleep, SystemTimeSource, TimeSource, TokioSleep};

const CLIENT_ID: &str = "client-id-1";
/// A secret with characters that would break a hand-made form: quote, ampersand, CRLF, é.
const CLIENT_SECRET: &str = "s3cr3t\"&=\r\n/é";
const TOKEN: &str = "eyJ0eX[...]PcOIkQ";

fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 2,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(1),
        max_retry_after: Duration::from_millis(1),
    }
}

fn credentials_client(
    server: &MockServer,
    (time, sleep): &(TickAdvanceTime, TickAdvanceSleep),
) -> BalancesClient {
    BalancesClient::builder()
        .base_url(server.uri())
        .allow_http(true)
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .time_source(Arc::new(time.clone()))
        .sleep(Arc::new(sleep.clone()))
        .retry(RetryPolicy::never())
        .build()
        .unwrap()
}

fn static_client(server: &MockServer) -> BalancesClient {
    BalancesClient::builder()
        .base_url(server.uri())
        .allow_http(true)
        .token("static-token-1")
        .retry(RetryPolicy::never())
        .build()
        .unwrap()
}

fn json_body(name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(fixture(name), "application/json")
}

fn token_answer(token: &str, expires_in: impl std::fmt::Display) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(
        format!(
            r#"{{"token_type": "Bearer", "expires_in": {expires_in}, "access_token": "{token}"}}"#
        ),
        "application/json",
    )
}

async fn requests_to(server: &MockServer, wanted: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.url.path() == wanted)
        .collect()
}

fn header_of<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

/// Checks a request the server received; the panic names each field that differs.
#[track_caller]
fn assert_sent(request: &Request, expected: &ExpectedRequest) {
    let r = request;
    if let Err(mismatch) = expected.compare_parts(&r.method, &r.url, &r.headers, &r.body) {
        panic!("{mismatch}");
    }
}

/// A read: GET, no body, no content type, JSON accepted, the bearer token.
#[track_caller]
fn assert_read(request: &Request, path: &str, query: Option<&str>, token: &str) {
    let mut read = ExpectedRequest::new(Method::GET, path)
        .header("authorization", format!("Bearer {token}"))
        .header("accept", "application/json")
        .no_header("content-type");
    if let Some(query) = query {
        read = read.query(query);
    }
    assert_sent(request, &read);
}

#[tokio::test]
async fn the_token_request_and_a_wallet_balance_are_pinned() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(json_body("token/spec_client_credentials.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/balances"))
        .and(query_param("walletId", "1317558"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(json_body("balances/spec_wallet_1317558.json"))
        .expect(1)
        .mount(&server)
        .await;
    let client = credentials_client(&server, &ticking());

    let balance = client.wallet_balance(WalletId::new(1317558)).await.unwrap();
    assert_eq!(balance.current_balance.unwrap().to_string(), "280");
    assert_eq!(balance.authorized_balance.unwrap().to_string(), "280");
    assert_eq!(
        balance.calculation_date.unwrap().to_string(),
        "2022-03-01T15:52:40+01:00"
    );

    let all = server.received_requests().await.unwrap();
    assert_eq!(all.len(), 2);
    let token = &all[0];
    // The token endpoint has no security: no `Authorization`.
    let form = ExpectedRequest::new(Method::POST, "/oauth/token")
        .no_header("authorization")
        .header("accept", "application/json")
        .header(
            "content-type",
            "multipart/form-data; boundary=balances-core-form-boundary-0",
        )
        .text(
            "--balances-core-form-boundary-0\r\n\
             Content-Disposition: form-data; name=\"grant_type\"\r\n\r\n\
             client_credentials\r\n\
             --balances-core-form-boundary-0\r\n\
             Content-Disposition: form-data; name=\"client_id\"\r\n\r\n\
             client-id-1\r\n\
             --balances-core-form-boundary-0\r\n\
             Content-Disposition: form-data; name=\"client_secret\"\r\n\r\n\
             s3cr3t\"&=\r\n/é\r\n\
             --balances-core-form-boundary-0\r\n\
             Content-Disposition: form-data; name=\"scope\"\r\n\r\n\
             read_only\r\n\
             --balances-core-form-boundary-0--\r\n",
        );
    assert_sent(token, &form);
    let content_type = header_of(token, "content-type").unwrap();
    assert_eq!(
        multipart_fields(content_type, &token.body),
        [
            ("grant_type".to_owned(), "client_credentials".to_owned()),
            ("client_id".to_owned(), CLIENT_ID.to_owned()),
            ("client_secret".to_owned(), CLIENT_SECRET.to_owned()),
            ("scope".to_owned(), "read_only".to_owned()),
        ]
    );
    assert_read(&all[1], "/v1/balances", Some("walletId=1317558"), TOKEN);
}

#[tokio::test]
async fn a_custom_scope_is_sent_and_an_empty_one_is_left_out() {
    for (scope, expected) in [
        ("read_only  read_write", Some("read_only read_write")),
        ("", None),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(token_answer("t", 3600))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(json_body("balances/spec_wallet_1317558.json"))
            .mount(&server)
            .await;
        let client = BalancesClient::builder()
            .base_url(server.uri())
            .allow_http(true)
            .client_credentials(CLIENT_ID, CLIENT_SECRET)
            .scope(scope)
            .build()
            .unwrap();
        client.wallet_balance(WalletId::new(1317558)).await.unwrap();
        let token = &requests_to(&server, "/oauth/token").await[0];
        let fields = multipart_fields(header_of(token, "content-type").unwrap(), &token.body);
        let sent = fields
            .iter()
            .find(|(k, _)| k == "scope")
            .map(|(_, v)| v.as_str());
        assert_eq!(sent, expected, "{scope:?}");
    }
}

#[tokio::test]
async fn balances_by_user_and_by_several_wallets_are_pinned() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/balances"))
        .and(query_param("userId", "100655"))
        .respond_with(json_body("balances/spec_user_three_wallets.json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/balances"))
        .and(query_param("walletId", "1317558"))
        .respond_with(json_body("balances/spec_wallet_1317558.json"))
        .mount(&server)
        .await;
    let client = static_client(&server);

    let balances = client.user_balances(UserId::new(100655)).await.unwrap();
    let summary: Vec<_> = balances
        .iter()
        .map(|b| (b.wallet_id.get(), b.authorized_balance.unwrap().to_string()))
        .collect();
    assert_eq!(
        summary,
        [
            (3645800, "4002.5".into()),
            (3645801, "50".into()),
            (3645802, "302.5".into())
        ]
    );
    let twice = client
        .wallet_balances(&[WalletId::new(1317558), WalletId::new(1317558)])
        .await
        .unwrap();
    assert_eq!(twice.len(), 2);
    let same = client
        .balances(BalancesQuery::User(UserId::new(100655)))
        .await
        .unwrap();
    assert_eq!(same, balances);

    let all = server.received_requests().await.unwrap();
    assert_eq!(all.len(), 4);
    assert_read(
        &all[0],
        "/v1/balances",
        Some("userId=100655"),
        "static-token-1",
    );
    assert_read(
        &all[1],
        "/v1/balances",
        Some("walletId=1317558"),
        "static-token-1",
    );
    assert_read(
        &all[2],
        "/v1/balances",
        Some("walletId=1317558"),
        "static-token-1",
    );
    assert_read(
        &all[3],
        "/v1/balances",
        Some("userId=100655"),
        "static-token-1",
    );
    assert!(matches!(
        client.wallet_balances(&[]).await,
        Err(Error::NotSent(NotSentError::InvalidInput(_)))
    ));
}

#[tokio::test]
async fn wallet_balance_wants_exactly_the_wallet_asked_for() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_body("balances/spec_user_three_wallets.json"))
        .mount(&server)
        .await;
    let err = static_client(&server)
        .wallet_balance(WalletId::new(3645800))
        .await
        .unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.path, "balances");
    assert!(
        err.to_string()
            .contains("found wallets [WalletId(3645800), WalletId(3645801), WalletId(3645802)]"),
        "{err}"
    );
}

#[tokio::test]
async fn several_wallets_give_exactly_one_balance_each_of_the_wallet_asked_for() {
    let server = MockServer::start().await;
    answer_any(&server, json_body("balances/spec_wallet_1317558.json")).await;
    let client = static_client(&server);
    // Wallet 42 is answered with wallet 1317558's balance: not wallet 42's.
    let err = client
        .wallet_balances(&[WalletId::new(1317558), WalletId::new(42)])
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Decode(d) if d.path == "balances"),
        "{err:?}"
    );
    assert!(
        err.to_string().contains(
            "expected exactly the balance of wallet 42, found wallets [WalletId(1317558)]"
        ),
        "{err}"
    );

    answer_any(&server, json_body("balances/spec_user_three_wallets.json")).await;
    let err = client
        .wallet_balances(&[WalletId::new(3645800)])
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

#[tokio::test]
async fn history_requests_are_pinned_with_and_without_dates() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/core-connect/balances/1317558"))
        .respond_with(json_body("history/seed_example.json"))
        .mount(&server)
        .await;
    let client = static_client(&server);
    let wallet = WalletId::new(1317558);
    let cases = [
        (
            HistoryRange::parse(Some("2021-11-01"), Some("2022-10-01")).unwrap(),
            Some("dateFrom=2021-11-01&dateTo=2022-10-01"),
        ),
        (HistoryRange::all(), None),
        (
            HistoryRange::parse(Some("2021-11-01"), None).unwrap(),
            Some("dateFrom=2021-11-01"),
        ),
        (
            HistoryRange::parse(None, Some("2022-10-01")).unwrap(),
            Some("dateTo=2022-10-01"),
        ),
    ];
    for (range, _) in &cases {
        let history = client.balance_history(wallet, *range).await.unwrap();
        let keys: Vec<_> = history.points.iter().map(|p| p.key()).collect();
        assert_eq!(
            keys,
            ["2021-02-04T13:20:02+00:00", "2021-03-31T09:50:02+00:00"]
        );
        assert_eq!(history.points[0].balance.unwrap().to_string(), "170.00");
    }
    let all = server.received_requests().await.unwrap();
    assert_eq!(all.len(), cases.len());
    for (request, (_, query)) in all.iter().zip(&cases) {
        assert_read(
            request,
            "/core-connect/balances/1317558",
            *query,
            "static-token-1",
        );
    }
}

#[tokio::test]
async fn bad_dates_never_reach_the_server() {
    let server = MockServer::start().await;
    for (from, to) in [
        (Some("2021-11-1"), None),
        (Some("2021-02-30"), None),
        (None, Some("01/10/2022")),
        (Some("2022-10-02"), Some("2022-10-01")),
    ] {
        let err = HistoryRange::parse(from, to).unwrap_err();
        assert!(
            matches!(err, Error::NotSent(NotSentError::InvalidInput(_))),
            "{from:?} {to:?}: {err}"
        );
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// Makes one call after each step of the clock, with tokens living `expires_in` seconds; gives
/// the number of token requests after each call.
async fn token_requests_after(expires_in: impl std::fmt::Display, steps: &[u64]) -> Vec<usize> {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token_answer("token-1", expires_in))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(json_body("balances/spec_wallet_1317558.json"))
        .mount(&server)
        .await;
    let clock = ticking();
    let client = credentials_client(&server, &clock);
    let mut token_requests = Vec::new();
    for step in steps {
        clock.0.tick(Duration::from_secs(*step));
        client.wallet_balance(WalletId::new(1317558)).await.unwrap();
        token_requests.push(requests_to(&server, "/oauth/token").await.len());
    }
    token_requests
}

#[tokio::test]
async fn a_token_is_reused_until_shortly_before_it_expires() {
    // At 3539 s the token is still used; at 3540 s (60 s before expiry) it is renewed.
    let token_requests = token_requests_after(3600, &[0, 1800, 1739, 1]).await;
    assert_eq!(token_requests, [1, 1, 1, 2]);
}

#[tokio::test]
async fn a_token_living_the_largest_expires_in_is_kept_without_overflow() {
    let century = 100 * 365 * 24 * 3600;
    let token_requests = token_requests_after(u64::MAX, &[0, century]).await;
    assert_eq!(token_requests, [1, 1]);
}

#[tokio::test]
async fn a_token_said_to_live_zero_seconds_is_reused_for_ten() {
    // Not one token per call: the floor of 10 s, then a renewal.
    let token_requests = token_requests_after(0, &[0, 0, 5, 4, 1]).await;
    assert_eq!(token_requests, [1, 1, 1, 1, 2]);
}

#[tokio::test]
async fn a_lifetime_with_a_fraction_an_exponent_or_no_digits_keeps_the_token() {
    let century = 100 * 365 * 24 * 3600;
    for written in ["3600.0", "3.6e3", r#""3600.0""#, r#""""#] {
        let token_requests = token_requests_after(written, &[0, 3539, 1]).await;
        assert_eq!(token_requests, [1, 1, 2], "{written}");
    }
    for written in ["1e30", "1e400"] {
        let token_requests = token_requests_after(written, &[0, century]).await;
        assert_eq!(token_requests, [1, 1], "{written}");
    }
}

/// A token endpoint slow enough that every concurrent call arrives while a token is on its way.
async fn mount_slow_token(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token_answer("token-1", 3600).set_delay(Duration::from_millis(200)))
        .mount(server)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_calls_with_an_expired_token_make_one_token_request() {
    let server = MockServer::start().await;
    mount_slow_token(&server).await;
    Mock::given(method("GET"))
        .and(path("/v1/balances"))
        .respond_with(json_body("balances/spec_wallet_1317558.json"))
        .mount(&server)
        .await;
    let clock = ticking();
    let client = credentials_client(&server, &clock);
    client.wallet_balance(WalletId::new(1317558)).await.unwrap();
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 1);

    clock.0.tick(Duration::from_secs(3600));
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.wallet_balance(WalletId::new(1317558)).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(
        requests_to(&server, "/oauth/token").await.len(),
        2,
        "one token request for the 50 calls after expiry"
    );
    assert_eq!(requests_to(&server, "/v1/balances").await.len(), 51);
}

/// Runs `wallet_balance` in `callers` tasks, each starting `stagger` after the previous one;
/// gives each result with how long that call took.
async fn concurrent_calls(
    client: &BalancesClient,
    callers: u32,
    stagger: Duration,
) -> Vec<(Result<balances_core::Balance, Error>, Duration)> {
    let tasks: Vec<_> = (0..callers)
        .map(|n| {
            let client = client.clone();
            tokio::spawn(async move {
                TokioSleep.sleep(stagger * n).await;
                let started = SystemTimeSource.now();
                let result = client.wallet_balance(WalletId::new(1317558)).await;
                (result, started.elapsed())
            })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    results
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_token_request_is_shared_by_the_100_callers_waiting_for_it() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        // Slow enough that every call arrives while the renewal is in flight.
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_raw(
                    fixture("errors/shape_oauth_invalid_client.json"),
                    "application/json",
                )
                .set_delay(Duration::from_millis(300)),
        )
        .mount(&server)
        .await;
    let client = credentials_client(&server, &ticking());

    let results = concurrent_calls(&client, 100, Duration::ZERO).await;
    for (result, _) in &results {
        let Some(answer) = result.as_ref().err().and_then(authentication) else {
            panic!("{result:?}")
        };
        assert_eq!(answer.detail.operation, "POST /oauth/token");
        assert_eq!(answer.answer.code.as_deref(), Some("invalid_client"));
    }
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 1);
    assert!(requests_to(&server, "/v1/balances").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_token_endpoint_gets_one_renewal_and_its_retries_for_20_callers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(500).set_delay(Duration::from_millis(100)))
        .mount(&server)
        .await;
    let client = BalancesClient::builder()
        .base_url(server.uri())
        .allow_http(true)
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .retry(RetryPolicy {
            max_attempts: 3,
            ..fast_retry()
        })
        .build()
        .unwrap();

    let results = concurrent_calls(&client, 20, Duration::ZERO).await;
    for (result, _) in &results {
        assert!(
            matches!(result, Err(e) if e.kind() == Some(RefusalKind::Server)),
            "{result:?}"
        );
    }
    assert_eq!(
        requests_to(&server, "/oauth/token").await.len(),
        3,
        "the three attempts of one renewal"
    );
}

/// A builder on the system clock, without retries, with these limits.
fn limited(server: &MockServer, attempt: Duration, total: Duration) -> BalancesClientBuilder {
    BalancesClient::builder()
        .base_url(server.uri())
        .allow_http(true)
        .retry(RetryPolicy::never())
        .timeouts(Timeouts { attempt, total })
}

/// A client with credentials on the system clock, whose calls each have `total` in all.
fn budgeted_client(server: &MockServer, total: Duration) -> BalancesClient {
    limited(server, total, total)
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .build()
        .unwrap()
}

fn is_timeout(result: &Result<impl std::fmt::Debug, Error>) -> bool {
    matches!(result, Err(Error::Transport(e)) if e.kind() == qiwi_transport::TransportErrorKind::Timeout)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callers_waiting_for_a_token_that_never_comes_stop_at_their_own_deadline() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token_answer("token-1", 3600).set_delay(Duration::from_secs(60)))
        .mount(&server)
        .await;
    let client = budgeted_client(&server, Duration::from_secs(1));

    // Ten callers, 50 ms apart: each waits for the renewal no longer than its own second.
    let results = concurrent_calls(&client, 10, Duration::from_millis(50)).await;
    for (n, (result, took)) in results.iter().enumerate() {
        assert!(is_timeout(result), "caller {n}: {result:?}");
        assert!(
            (Duration::from_millis(900)..Duration::from_millis(1500)).contains(took),
            "caller {n} took {took:?}"
        );
    }
    assert!(requests_to(&server, "/v1/balances").await.is_empty());
}

#[tokio::test]
async fn a_401_renewal_and_its_retry_fit_in_the_call_budget() {
    let server = MockServer::start().await;
    let slow = Duration::from_millis(300);
    for n in 1..=2u8 {
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(token_answer(&format!("token-{n}"), 3600).set_delay(slow))
            .up_to_n_times(1)
            .with_priority(n)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer token-1"))
        .respond_with(ResponseTemplate::new(401).set_delay(slow))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer token-2"))
        .respond_with(json_body("balances/spec_wallet_1317558.json").set_delay(slow))
        .mount(&server)
        .await;
    let client = budgeted_client(&server, Duration::from_secs(1));

    // Token, 401, token, retry: 1.2 s of answers for a call given 1 s.
    let started = SystemTimeSource.now();
    let result = client.wallet_balance(WalletId::new(1317558)).await;
    let took = started.elapsed();
    assert!(is_timeout(&result), "{result:?}");
    assert!(took < Duration::from_millis(1150), "took {took:?}");
}

#[tokio::test]
async fn several_wallets_share_one_call_budget() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            json_body("balances/spec_wallet_1317558.json").set_delay(Duration::from_millis(400)),
        )
        .mount(&server)
        .await;
    let second = Duration::from_secs(1);
    let client = limited(&server, second, second)
        .token("static-token-1")
        .build()
        .unwrap();
    let ids = [1317558, 1317558, 1317558].map(WalletId::new);
    let started = SystemTimeSource.now();
    let result = client.wallet_balances(&ids).await;
    let took = started.elapsed();
    assert!(is_timeout(&result), "{result:?}");
    assert!(took < Duration::from_millis(1150), "took {took:?}");
    assert_eq!(requests_to(&server, "/v1/balances").await.len(), 3);
}

/// Tokens `token-1`, `token-2`, ... in order: each mock answers once, and wiremock tries the
/// highest priority (lowest number) first.
async fn mount_numbered_tokens(server: &MockServer, count: u8) {
    for n in 1..=count {
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(token_answer(&format!("token-{n}"), 3600))
            .up_to_n_times(1)
            .with_priority(n)
            .mount(server)
            .await;
    }
}

#[tokio::test]
async fn a_401_renews_the_token_once_and_retries_once() {
    let server = MockServer::start().await;
    mount_numbered_tokens(&server, 3).await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer token-1"))
        .respond_with(ResponseTemplate::new(401).set_body_raw(
            fixture("errors/spec_sca_session_expired.json"),
            "application/json",
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer token-2"))
        .respond_with(json_body("balances/spec_wallet_1317558.json"))
        .mount(&server)
        .await;
    let client = credentials_client(&server, &ticking());

    let balance = client.wallet_balance(WalletId::new(1317558)).await.unwrap();
    assert_eq!(balance.wallet_id, WalletId::new(1317558));
    let tokens = requests_to(&server, "/oauth/token").await;
    let reads = requests_to(&server, "/v1/balances").await;
    assert_eq!(
        (tokens.len(), reads.len()),
        (2, 2),
        "one renewal, one retry"
    );
    assert_read(
        &reads[0],
        "/v1/balances",
        Some("walletId=1317558"),
        "token-1",
    );
    assert_read(
        &reads[1],
        "/v1/balances",
        Some("walletId=1317558"),
        "token-2",
    );

    // The renewed token is the cached one now.
    client.wallet_balance(WalletId::new(1317558)).await.unwrap();
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 2);
}

/// Every read answered 401, as a token Treezor no longer accepts.
async fn refuse_every_read(server: &MockServer) {
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_raw(
            fixture("errors/spec_sca_session_expired.json"),
            "application/json",
        ))
        .mount(server)
        .await;
}

#[tokio::test]
async fn two_401s_are_an_authentication_error_not_a_loop() {
    let server = MockServer::start().await;
    mount_numbered_tokens(&server, 5).await;
    refuse_every_read(&server).await;
    let client = credentials_client(&server, &ticking());

    let err = client
        .wallet_balance(WalletId::new(1317558))
        .await
        .unwrap_err();
    let Some(answer) = authentication(&err) else {
        panic!("{err:?}")
    };
    assert_eq!(answer.answer.code.as_deref(), Some("sca_session_expired"));
    assert_eq!(answer.detail.operation, "GET /v1/balances");
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 2);
    assert_eq!(requests_to(&server, "/v1/balances").await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_401_storm_of_50_callers_makes_one_resend_each_and_bounded_renewals() {
    let server = MockServer::start().await;
    mount_slow_token(&server).await;
    refuse_every_read(&server).await;
    let client = credentials_client(&server, &ticking());

    let results = concurrent_calls(&client, 50, Duration::ZERO).await;
    for (result, _) in &results {
        assert!(
            result.as_ref().err().and_then(authentication).is_some(),
            "{result:?}"
        );
    }
    // Each call is refused twice and sends no more. A token is renewed only when the one a
    // call was refused with is still the cached one, so a renewal follows at most one 401
    // per call (measured: 4 to 6 token requests for the 50 calls).
    assert_eq!(requests_to(&server, "/v1/balances").await.len(), 100);
    let tokens = requests_to(&server, "/oauth/token").await.len();
    assert!((2..=51).contains(&tokens), "{tokens} token requests");
}

#[tokio::test]
async fn a_static_token_is_never_renewed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let err = static_client(&server)
        .user_balances(UserId::new(1))
        .await
        .unwrap_err();
    assert!(authentication(&err).is_some(), "{err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_refused_token_request_is_an_authentication_error() {
    for (status, body) in [
        (401, "errors/shape_oauth_invalid_client.json"),
        (400, "errors/shape_oauth_invalid_client.json"),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(
                ResponseTemplate::new(status).set_body_raw(fixture(body), "application/json"),
            )
            .mount(&server)
            .await;
        let client = credentials_client(&server, &ticking());
        let err = client.wallet_balance(WalletId::new(1)).await.unwrap_err();
        let Some(answer) = authentication(&err) else {
            panic!("{status}: {err:?}")
        };
        assert_eq!(answer.detail.operation, "POST /oauth/token");
        assert_eq!(answer.answer.code.as_deref(), Some("invalid_client"));
        assert_eq!(
            answer.answer.message.as_deref(),
            Some("Client authentication failed")
        );
        for shown in [err.to_string(), format!("{err:?}")] {
            assert!(!shown.contains("s3cr3t"), "{shown}");
        }
        assert!(requests_to(&server, "/v1/balances").await.is_empty());
    }
}

/// (status, body fixture, variant, code, message, request id)
type ErrorCase = (
    u16,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

#[tokio::test]
async fn error_statuses_and_body_shapes_map_to_variants() {
    #[rustfmt::skip]
    let cases: &[ErrorCase] = &[
        (400, "errors/spec_connect_default_error.json", "Validation", Some("resource_not_found_error"), Some("The userId field is required"), None),
        (401, "errors/shape_connect_with_request_id.json", "Authentication", Some("authorization_error"), Some("Invalid token"), Some("293f2ab1-77a7-42d7-8b3f-de4db3fe9d7d")),
        (403, "errors/spec_connect_default_error.json", "Permission", Some("resource_not_found_error"), Some("The userId field is required"), None),
        (404, "errors/shape_bare_array.json", "NotFound", Some("invalid_parameter_in_request"), Some("walletId must be an integer"), None),
        (404, "errors/openapi_default_error_example.json", "NotFound", Some("resource_not_found_error"), Some("The userId field is required"), None),
        (405, "errors/spec_connect_default_error.json", "Other", Some("resource_not_found_error"), Some("The userId field is required"), None),
        (409, "errors/spec_connect_default_error.json", "Conflict", Some("resource_not_found_error"), Some("The userId field is required"), None),
        (413, "errors/shape_empty.txt", "Validation", None, None, None),
        (422, "errors/spec_legacy_unwrapped.json", "Validation", Some("0"), Some("Input validation failed"), None),
        (400, "errors/spec_legacy_wrapped.json", "Validation", Some("15030"), Some("..."), None),
        (429, "errors/shape_empty.txt", "RateLimited", None, None, None),
        (500, "errors/shape_empty.txt", "Server", None, None, None),
        (502, "errors/shape_gateway.html", "Server", None, None, None),
        (503, "errors/shape_error_string.json", "Server", None, Some("Service unavailable"), None),
        (504, "errors/spec_sca_session_expired.json", "Server", Some("sca_session_expired"), Some("Your session has expired."), None),
        (501, "errors/shape_error_string.json", "Server", None, Some("Service unavailable"), None),
    ];
    let server = MockServer::start().await;
    let client = static_client(&server);
    for (status, body, variant, code, message, request_id) in cases {
        server.reset().await;
        let raw = fixture(body);
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(*status)
                    .set_body_raw(raw.clone(), "application/json")
                    .insert_header("retry-after", "7"),
            )
            .mount(&server)
            .await;
        let err = client.user_balances(UserId::new(1)).await.unwrap_err();
        let name = format!("{:?}", err.kind());
        assert!(
            name.starts_with(&format!("Some({variant}")),
            "{status} {body}: {name}"
        );
        let answer = &err.refusal().unwrap().answer;
        assert_eq!(answer.status.as_u16(), *status, "{body}");
        assert_eq!(answer.code.as_deref(), *code, "{status} {body}");
        assert_eq!(answer.message.as_deref(), *message, "{status} {body}");
        assert_eq!(answer.trace_id.as_deref(), *request_id, "{status} {body}");
        assert_eq!(answer.body.as_ref(), raw.as_slice(), "raw body kept");
        if *status == 429 {
            assert!(err.retry_after() == Some(Duration::from_secs(7)));
        }
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            1,
            "{status}: no retry"
        );
    }
}

#[tokio::test]
async fn a_request_id_header_is_kept_when_the_body_has_none() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500).insert_header("x-request-id", "req-77"))
        .mount(&server)
        .await;
    let err = static_client(&server)
        .user_balances(UserId::new(1))
        .await
        .unwrap_err();
    assert_eq!(err.trace_id(), Some("req-77"));
    assert!(err.to_string().contains("[request id req-77]"), "{err}");
}

#[tokio::test]
async fn reads_are_retried_after_a_server_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(json_body("balances/spec_wallet_1317558.json"))
        .with_priority(2)
        .mount(&server)
        .await;
    let client = BalancesClient::builder()
        .base_url(server.uri())
        .allow_http(true)
        .token("static-token-1")
        .retry(fast_retry())
        .build()
        .unwrap();
    client.wallet_balance(WalletId::new(1317558)).await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn undecodable_answers_name_the_field() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/balances"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"balances":[{"walletId":1,"currentBalance":"12,50","currency":"EUR"}]}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/core-connect/balances/1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("[]", "application/json"))
        .mount(&server)
        .await;
    let client = static_client(&server);
    let err = client.wallet_balance(WalletId::new(1)).await.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.path, "balances[0].currentBalance");
    // An empty history written by PHP as `[]` is an empty history, not an error.
    let history = client
        .balance_history(WalletId::new(1), HistoryRange::all())
        .await
        .unwrap();
    assert!(history.points.is_empty());
}

#[tokio::test]
async fn a_slow_answer_is_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            json_body("balances/spec_wallet_1317558.json").set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let client = limited(
        &server,
        Duration::from_millis(50),
        Duration::from_millis(100),
    )
    .token("static-token-1")
    .build()
    .unwrap();
    let err = client.wallet_balance(WalletId::new(1)).await.unwrap_err();
    let Error::Transport(transport) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        transport.kind(),
        qiwi_transport::TransportErrorKind::Timeout
    );
}

async fn answer_any(server: &MockServer, response: ResponseTemplate) {
    server.reset().await;
    Mock::given(method("GET"))
        .respond_with(response)
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_wallet_that_treezor_does_not_list_is_not_found_naming_its_id() {
    let server = MockServer::start().await;
    answer_any(
        &server,
        ResponseTemplate::new(200).set_body_raw(r#"{"balances": []}"#, "application/json"),
    )
    .await;
    let client = static_client(&server);
    let err = client.wallet_balance(WalletId::new(999)).await.unwrap_err();
    assert!(
        err.kind() == Some(RefusalKind::NotFound)
            && err.detail().unwrap().query == Some(BalancesQuery::Wallet(WalletId::new(999))),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "not found: Treezor listed no balance for wallet 999; check the id and that it belongs to this environment"
    );
    let err = client
        .wallet_balances(&[WalletId::new(999)])
        .await
        .unwrap_err();
    assert_eq!(err.kind(), Some(RefusalKind::NotFound), "{err:?}");
    // A user may have no wallet: an empty list, not an error.
    assert!(
        client
            .user_balances(UserId::new(5))
            .await
            .unwrap()
            .is_empty()
    );

    answer_any(
        &server,
        ResponseTemplate::new(404).set_body_raw(
            fixture("errors/openapi_default_error_example.json"),
            "application/json",
        ),
    )
    .await;
    let err = client.wallet_balance(WalletId::new(999)).await.unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("not found: wallet 999: GET /v1/balances answered 404 Not Found: "),
        "{text}"
    );
    assert!(err.refusal().is_some());
    let err = client
        .balance_history(WalletId::new(998), HistoryRange::all())
        .await
        .unwrap_err();
    assert!(
        err.to_string().starts_with(
            "not found: wallet 998: GET /core-connect/balances/{walletId} answered 404"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn a_404_that_is_not_a_treezor_error_blames_the_base_url() {
    let server = MockServer::start().await;
    answer_any(
        &server,
        ResponseTemplate::new(404).set_body_raw(fixture("errors/shape_gateway.html"), "text/html"),
    )
    .await;
    let err = static_client(&server)
        .wallet_balance(WalletId::new(1))
        .await
        .unwrap_err();
    let text = err.to_string();
    assert_eq!(err.kind(), Some(RefusalKind::NotFound), "{err:?}");
    assert!(
        text.ends_with("no API answers at that path; check the base URL"),
        "{text}"
    );
    assert!(!text.contains("check the id"), "{text}");
}

#[tokio::test]
async fn a_huge_retry_after_is_shown_as_the_one_hour_ceiling() {
    let server = MockServer::start().await;
    answer_any(
        &server,
        ResponseTemplate::new(429).insert_header("retry-after", "18446744073709551615"),
    )
    .await;
    let err = static_client(&server)
        .user_balances(UserId::new(1))
        .await
        .unwrap_err();
    assert!(
        err.retry_after() == Some(Duration::from_secs(3600)),
        "{err:?}"
    );
    assert!(
        err.to_string().ends_with("wait 3600 s before trying again"),
        "{err}"
    );
}

#[tokio::test]
async fn a_byte_order_mark_before_json_is_accepted() {
    let server = MockServer::start().await;
    let mut body = b"\xEF\xBB\xBF".to_vec();
    body.extend_from_slice(&fixture("balances/spec_wallet_1317558.json"));
    answer_any(
        &server,
        ResponseTemplate::new(200).set_body_raw(body, "application/json"),
    )
    .await;
    let client = static_client(&server);
    let balance = client.wallet_balance(WalletId::new(1317558)).await.unwrap();
    assert_eq!(balance.wallet_id, WalletId::new(1317558));

    let mut error = b"\xEF\xBB\xBF".to_vec();
    error.extend_from_slice(&fixture("errors/shape_connect_with_request_id.json"));
    answer_any(
        &server,
        ResponseTemplate::new(403).set_body_raw(error, "application/json"),
    )
    .await;
    let err = client.user_balances(UserId::new(1)).await.unwrap_err();
    assert_eq!(
        err.refusal().unwrap().answer.code.as_deref(),
        Some("authorization_error")
    );
}

#[tokio::test]
async fn the_servers_message_is_kept_and_bounded() {
    let server = MockServer::start().await;
    let body = format!(
        r#"{{"errors":[{{"type":"invalid_request","code":"invalid_parameter","message":"walletId {}"}}]}}"#,
        "is wrong ".repeat(500)
    );
    answer_any(
        &server,
        ResponseTemplate::new(400).set_body_raw(body, "application/json"),
    )
    .await;
    let err = static_client(&server)
        .user_balances(UserId::new(1))
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains(": walletId is wrong is wrong"), "{text}");
    assert!(text.contains("characters left out"), "{text}");
    assert!(text.contains("(invalid_parameter)"), "{text}");
    assert!(text.len() < 1000, "{} bytes", text.len());
}

/// The refusal of the credentials or the token, if that is what `error` is.
fn authentication(error: &Error) -> Option<&Refusal<TreezorDetail>> {
    error
        .refusal()
        .filter(|refusal| refusal.kind == RefusalKind::Authentication)
}
