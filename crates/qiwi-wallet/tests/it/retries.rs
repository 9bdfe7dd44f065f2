//! Reads are retried on 5xx and timeouts; writes (create account, set default, identification,
//! downgrade start and confirm) never are, since sending one twice could repeat it.

use crate::common;

use std::sync::Arc;
use std::time::Duration;

use common::{builder, client, model_fixture, received};
use qiwi_transport::TransportErrorKind;
use qiwi_transport::test_util::{Advance, NeverRespond, tick_advance_time_and_sleep};
use qiwi_wallet::{
    AccountAlias, DowngradeOperationId, DowngradeRequest, Error, LimitType, ProfileSections,
    RefusalKind, SecretString, Timeouts, WalletClient,
};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Runs every write once against `client` and returns each outcome, labelled.
async fn every_write(client: &WalletClient) -> Vec<(&'static str, Result<(), Error>)> {
    let alias = AccountAlias::new("qw_wallet_eur").unwrap();
    let id = DowngradeOperationId::new("1747ea28-1082-41bc-bde4-72994b3ffeb4");
    vec![
        ("create_account", client.create_account(&alias).await),
        (
            "set_default_account",
            client.set_default_account(&alias).await,
        ),
        (
            "identify",
            client
                .identify(&common::identification_request())
                .await
                .map(drop),
        ),
        (
            "start_identification_downgrade",
            client
                .start_identification_downgrade(&DowngradeRequest::default())
                .await
                .map(drop),
        ),
        (
            "confirm_identification_downgrade",
            client.confirm_identification_downgrade(&id).await.map(drop),
        ),
    ]
}

#[tokio::test]
async fn a_read_is_retried_503_503_200() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            model_fixture("e10_accounts/spec_e10.json"),
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;

    let accounts = client(&server).list_accounts().await.unwrap();
    assert_eq!(accounts.accounts.len(), 2);
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn every_read_gives_up_after_the_policy_attempts() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let client = client(&server);
    let reads: Vec<(&str, Result<(), Error>)> = vec![
        (
            "profile",
            client.profile(ProfileSections::ALL).await.map(drop),
        ),
        ("identification", client.identification().await.map(drop)),
        (
            "identification_downgrade",
            client
                .identification_downgrade(&DowngradeOperationId::new("x"))
                .await
                .map(drop),
        ),
        (
            "actual_limits",
            client.actual_limits(&[LimitType::Turnover]).await.map(drop),
        ),
        (
            "p2p_payment_count",
            client.p2p_payment_count().await.map(drop),
        ),
        ("restrictions", client.restrictions().await.map(drop)),
        ("list_accounts", client.list_accounts().await.map(drop)),
        ("account_offers", client.account_offers().await.map(drop)),
    ];
    let attempts = common::fast_retry().max_attempts as usize;
    assert_eq!(received(&server).await.len(), reads.len() * attempts);
    for (name, result) in reads {
        let error = result.expect_err(name);
        assert_eq!(error.kind(), Some(RefusalKind::Server), "{name}: {error:?}");
        assert_eq!(error.refusal().unwrap().answer.attempts, 3, "{name}");
    }
}

#[tokio::test]
async fn writes_are_not_retried_on_5xx() {
    for status in [500, 502, 503, 504] {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
        let client = client(&server);
        for (name, result) in every_write(&client).await {
            let error = result.expect_err(name);
            assert_eq!(
                error.kind(),
                Some(RefusalKind::Server),
                "{status} {name}: {error:?}"
            );
            assert_eq!(
                error.refusal().unwrap().answer.attempts,
                1,
                "{status} {name}"
            );
        }
        let requests = received(&server).await;
        let methods: Vec<&str> = requests.iter().map(|r| r.method.as_str()).collect();
        assert_eq!(
            methods,
            ["POST", "PATCH", "POST", "POST", "PUT"],
            "{status}: one request per write"
        );
    }
}

/// A client whose transport never answers and whose clock does not wait, so that every attempt
/// times out at once.
fn never_answering() -> (WalletClient, NeverRespond) {
    let transport = NeverRespond::default();
    let (time, sleep) = tick_advance_time_and_sleep(Advance::OnSleep);
    let client = WalletClient::builder()
        .token(SecretString::from(common::TOKEN))
        .wallet(common::WALLET.parse().unwrap())
        .transport(Arc::new(transport.clone()))
        .time_source(Arc::new(time))
        .sleep(Arc::new(sleep))
        .retry(common::fast_retry())
        .timeouts(Timeouts {
            attempt: Duration::from_secs(1),
            total: Duration::from_secs(60),
        })
        .build()
        .unwrap();
    (client, transport)
}

#[tokio::test]
async fn writes_are_not_retried_on_timeouts() {
    let (client, transport) = never_answering();
    let writes = every_write(&client).await;
    assert_eq!(transport.count(), writes.len(), "one attempt per write");
    for (name, result) in writes {
        let error = result.expect_err(name);
        let Error::Transport(failure) = &error else {
            panic!("{name}: {error:?}")
        };
        assert_eq!(failure.kind(), TransportErrorKind::Timeout, "{name}");
        assert_eq!(failure.attempts(), 1, "{name}");
    }
}

#[tokio::test]
async fn reads_are_retried_on_timeouts() {
    let (client, transport) = never_answering();
    let error = client.list_accounts().await.unwrap_err();
    let Error::Transport(failure) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(failure.kind(), TransportErrorKind::Timeout);
    assert_eq!(failure.attempts(), 3);
    assert_eq!(transport.count(), 3);
}

#[tokio::test]
async fn a_write_that_succeeds_is_sent_once() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    client
        .create_account(&AccountAlias::new("qw_wallet_eur").unwrap())
        .await
        .unwrap();
}
