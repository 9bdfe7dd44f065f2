//! `BalancesClient` against the sandbox over loopback.

use crate::common;

use std::time::Duration;

use balances_core::{
    BalancesClient, BalancesQuery, Error, HistoryRange, SecretString, UserId, WalletId,
};
use qiwi_sandbox::{Fault, FaultRule, Sandbox, SandboxConfig, demo};
use qiwi_types::Decimal;

async fn sandbox() -> Sandbox {
    qiwi_sandbox::start(SandboxConfig::default()).await.unwrap()
}

fn client_with_secret(sandbox: &Sandbox, secret: &str) -> BalancesClient {
    BalancesClient::builder()
        .base_url(sandbox.base_url())
        .allow_http(true)
        .client_credentials(
            SecretString::from(demo::TREEZOR_CLIENT_ID),
            SecretString::from(secret.to_owned()),
        )
        .retry(common::fast_retry())
        .timeouts(common::tight_timeouts())
        .build()
        .unwrap()
}

fn client(sandbox: &Sandbox) -> BalancesClient {
    client_with_secret(sandbox, demo::TREEZOR_CLIENT_SECRET)
}

fn wallet(id: u64) -> WalletId {
    WalletId::new(id)
}

#[tokio::test]
async fn balances_by_wallet_and_by_user_with_pending_authorizations() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let one = client
        .wallet_balance(wallet(demo::TREEZOR_WALLET_IDS[1]))
        .await
        .unwrap();
    assert_eq!(one.current_balance, Some(Decimal::new(100, 0)));
    assert_eq!(one.authorizations, Some(Decimal::new(50, 0)));
    assert_eq!(one.authorized_balance, Some(Decimal::new(50, 0)));
    assert_eq!(one.currency.code(), "EUR");
    assert!(
        one.calculation_date.unwrap().timestamp().is_some(),
        "read as Paris time"
    );

    let all = client
        .user_balances(UserId::new(demo::TREEZOR_USER_ID))
        .await
        .unwrap();
    let ids: Vec<u64> = all.iter().map(|b| b.wallet_id.get()).collect();
    assert_eq!(ids, demo::TREEZOR_WALLET_IDS);
    assert_eq!(all[0].current_balance, Some(Decimal::new(40025, 1)));
    assert_eq!(sandbox.hits("treezor.token"), 1, "one token for both calls");
}

#[tokio::test]
async fn history_is_sorted_and_filtered_by_dates() {
    let sandbox = sandbox().await;
    let history = client(&sandbox)
        .balance_history(wallet(demo::TREEZOR_WALLET_IDS[0]), HistoryRange::all())
        .await
        .unwrap();
    assert!(history.points.len() > 2);
    let times: Vec<_> = history
        .points
        .iter()
        .map(|p| p.time.timestamp().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first");

    let first_day = history.points[0].time.zoned().unwrap().date().to_string();
    let narrowed = client(&sandbox)
        .balance_history(
            wallet(demo::TREEZOR_WALLET_IDS[0]),
            HistoryRange::parse(Some(&first_day), Some(&first_day)).unwrap(),
        )
        .await
        .unwrap();
    assert!(!narrowed.points.is_empty() && narrowed.points.len() < history.points.len());
    assert!(
        HistoryRange::parse(Some("2024-02-30"), None).is_err(),
        "checked before sending"
    );
}

#[tokio::test]
async fn a_wrong_secret_is_an_authentication_error_without_the_secret() {
    let sandbox = sandbox().await;
    let wrong = "not-the-secret-0000";
    let err = client_with_secret(&sandbox, wrong)
        .wallet_balance(wallet(demo::TREEZOR_WALLET_IDS[0]))
        .await
        .unwrap_err();
    assert_eq!(
        err.kind(),
        Some(qiwi_transport::RefusalKind::Authentication),
        "{err:?}"
    );
    assert!(!err.to_string().contains(wrong) && !format!("{err:?}").contains(wrong));
}

#[tokio::test]
async fn an_expired_token_is_renewed_once_and_the_call_retried() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    client
        .wallet_balance(wallet(demo::TREEZOR_WALLET_IDS[0]))
        .await
        .unwrap();
    sandbox.expire_treezor_tokens();
    client
        .wallet_balance(wallet(demo::TREEZOR_WALLET_IDS[0]))
        .await
        .unwrap();
    assert_eq!(sandbox.hits("treezor.token"), 2);
    assert_eq!(sandbox.hits("treezor.balances"), 3, "the 401 and its retry");
}

#[tokio::test]
async fn a_token_shorter_lived_than_the_reuse_floor_is_renewed_on_its_401() {
    let config = SandboxConfig::default().with_treezor_token_ttl(Duration::from_secs(1));
    let sandbox = qiwi_sandbox::start(config).await.unwrap();
    let client = client(&sandbox);
    for _ in 0..3 {
        client
            .wallet_balance(wallet(demo::TREEZOR_WALLET_IDS[2]))
            .await
            .unwrap();
    }
    // The three calls, made within the token's second, share it.
    assert_eq!(sandbox.hits("treezor.token"), 1);
    assert_eq!(sandbox.hits("treezor.balances"), 3);
    // A token is used for at least 10 s whatever `expires_in` says; one that dies sooner is
    // refused, renewed once and the call sent again.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client
        .wallet_balance(wallet(demo::TREEZOR_WALLET_IDS[2]))
        .await
        .unwrap();
    assert_eq!(sandbox.hits("treezor.token"), 2);
    assert_eq!(sandbox.hits("treezor.balances"), 5, "the 401 and its retry");
}

#[tokio::test]
async fn reads_are_retried_through_each_server_fault() {
    for (name, fault) in common::passing_faults() {
        let sandbox = sandbox().await;
        sandbox.add_fault(FaultRule::new("treezor.balances", fault).times(2));
        let result = client(&sandbox)
            .wallet_balance(wallet(demo::TREEZOR_WALLET_IDS[0]))
            .await;
        assert!(result.is_ok(), "{name}: {result:?}");
        assert_eq!(sandbox.hits("treezor.balances"), 3, "{name}");
    }
}

#[tokio::test]
async fn lasting_faults_surface_as_typed_errors() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    sandbox.add_fault(FaultRule::new(
        "treezor.balances",
        Fault::Status {
            status: 503,
            retry_after: None,
        },
    ));
    let err = client
        .wallet_balance(wallet(demo::TREEZOR_WALLET_IDS[0]))
        .await
        .unwrap_err();
    assert_eq!(
        err.kind(),
        Some(qiwi_transport::RefusalKind::Server),
        "{err:?}"
    );
    sandbox.clear_faults();

    sandbox.add_fault(FaultRule::new(
        "treezor.balances",
        Fault::Latency(Duration::from_secs(3)),
    ));
    let err = client
        .wallet_balance(wallet(demo::TREEZOR_WALLET_IDS[0]))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    sandbox.clear_faults();

    let err = client
        .wallet_balance(wallet(999_999_999))
        .await
        .unwrap_err();
    assert!(
        err.kind() == Some(qiwi_transport::RefusalKind::NotFound)
            && matches!(
                err.detail().and_then(|d| d.query),
                Some(BalancesQuery::Wallet(_))
            ),
        "{err:?}"
    );
    assert!(err.to_string().contains("wallet 999999999"), "{err}");
}
