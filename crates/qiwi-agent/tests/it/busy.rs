//! The protocol's body-level answers that bear on sending a request again, over real HTTP
//! (wiremock on loopback), decided by the executor from the endpoint's classifier: code 13
//! ("busy, repeat in a minute") on a read is a wait that is honoured when it fits in the
//! call's time; code 13 or 300 on `pay` leaves the payment's fate unknown, so `pay` is never
//! sent again for it.

#![cfg(feature = "reqwest")]

use crate::support;

use std::sync::Arc;
use std::time::Duration;

use qiwi_agent::secrecy::SecretString;
use qiwi_agent::{
    AgentClient, FundsSource, Payout, PayoutAmount, Recipient, RetryPolicy, Timeouts,
    TransactionNumber,
};
use qiwi_transport::test_util::{
    Advance, TickAdvanceSleep, TickAdvanceTime, tick_advance_time_and_sleep,
};
use qiwi_transport::time::{Sleep, TokioSleep};
use qiwi_transport::{RefusalKind, WriteFate};
use support::fixture;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const MINUTE: Duration = Duration::from_secs(60);

fn code(code: u16) -> String {
    format!("<response><result-code fatal='false'>{code}</result-code></response>")
}

/// A client whose time moves only when the test says, with a policy that would wait up to
/// two minutes and a call time of `total`.
fn client(
    server: &MockServer,
    total: Duration,
) -> (AgentClient, TickAdvanceTime, TickAdvanceSleep) {
    let (time, sleep) = tick_advance_time_and_sleep(Advance::OnTick);
    let client = AgentClient::builder()
        .terminal_id(123)
        .password(SecretString::from("password-1"))
        .base_url(format!("{}/xml/topup.jsp", server.uri()))
        .allow_http(true)
        .retry(RetryPolicy {
            max_attempts: 3,
            max_retry_after: 2 * MINUTE,
            ..RetryPolicy::default()
        })
        .timeouts(Timeouts {
            attempt: Duration::from_secs(10),
            total,
        })
        .time_source(Arc::new(time.clone()))
        .sleep(Arc::new(sleep.clone()))
        .build()
        .unwrap();
    (client, time, sleep)
}

async fn answer(server: &MockServer, body: String, times: u64) {
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(body))
        .up_to_n_times(times)
        .mount(server)
        .await;
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

fn payout(number: &str) -> Payout {
    Payout::new(
        TransactionNumber::parse(number).unwrap(),
        Recipient::Wallet {
            wallet: "79181234567".parse().unwrap(),
            funds: FundsSource::NonCash,
            comment: None,
        },
        PayoutAmount::parse("10.00").unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn a_busy_read_is_sent_again_after_the_minute_it_asks_for() {
    let server = MockServer::start().await;
    answer(&server, code(13), 1).await;
    answer(&server, fixture("responses/ping_spec_5_1.xml"), 1).await;
    let (client, time, sleep) = client(&server, 2 * MINUTE);
    let call = tokio::spawn(async move { client.ping().await });
    while !sleep.sleeps().contains(&MINUTE) {
        assert!(!call.is_finished(), "ended without waiting");
        TokioSleep.sleep(Duration::from_millis(1)).await;
    }
    // Not a moment before the minute has passed.
    time.tick(MINUTE - Duration::from_millis(1));
    TokioSleep.sleep(Duration::from_millis(50)).await;
    assert_eq!(
        requests(&server).await,
        1,
        "sent again before the wait ended"
    );
    time.tick(Duration::from_millis(1));
    let balances = call.await.unwrap().unwrap();
    assert!(!balances.is_empty());
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn a_busy_read_is_not_waited_for_past_the_calls_time() {
    let server = MockServer::start().await;
    answer(&server, code(13), 1).await;
    answer(&server, fixture("responses/ping_spec_5_1.xml"), 1).await;
    let (client, _time, sleep) = client(&server, MINUTE - Duration::from_secs(1));
    let err = client.ping().await.unwrap_err();
    assert_eq!(
        err.kind(),
        Some(RefusalKind::RateLimited {
            retry_after: Some(MINUTE)
        }),
        "{err}"
    );
    assert_eq!(requests(&server).await, 1);
    assert!(!sleep.sleeps().contains(&MINUTE), "{:?}", sleep.sleeps());
}

#[tokio::test]
async fn a_pay_answered_busy_or_unknown_is_never_sent_again() {
    for (number, result) in [("10000001", 13), ("10000002", 300)] {
        let server = MockServer::start().await;
        answer(&server, code(result), 1).await;
        answer(&server, fixture("responses/pay_spec_5_4_wallet_ru.xml"), 1).await;
        let (client, _time, sleep) = client(&server, 10 * MINUTE);
        let err = client.pay(&payout(number)).await.unwrap_err();
        assert_eq!(err.write_fate(), WriteFate::Unknown, "{result}: {err}");
        assert_eq!(requests(&server).await, 1, "{result}: pay sent again");
        assert!(!sleep.sleeps().contains(&MINUTE), "{result}");
    }
}
