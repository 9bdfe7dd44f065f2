//! `WalletClient` against the sandbox over loopback: real sockets, real faults.

use crate::common;

use std::time::Duration;

use qiwi_sandbox::{Fault, FaultRule, Sandbox, SandboxConfig, demo};
use qiwi_wallet::{AccountAlias, Balance, Error, SecretString, WalletClient, WalletNumber};

async fn sandbox() -> Sandbox {
    qiwi_sandbox::start(SandboxConfig::default()).await.unwrap()
}

fn client_with_token(sandbox: &Sandbox, token: &str) -> WalletClient {
    WalletClient::builder()
        .token(SecretString::from(token.to_owned()))
        .wallet(WalletNumber::parse(demo::QIWI_WALLET).unwrap())
        .base_url(sandbox.base_url())
        .allow_http(true)
        .retry(common::fast_retry())
        .timeouts(common::tight_timeouts())
        .build()
        .unwrap()
}

fn client(sandbox: &Sandbox) -> WalletClient {
    client_with_token(sandbox, demo::QIWI_TOKEN)
}

fn alias(text: &str) -> AccountAlias {
    AccountAlias::new(text).unwrap()
}

#[tokio::test]
async fn lists_accounts_with_exact_balances() {
    let sandbox = sandbox().await;
    let accounts = client(&sandbox).list_accounts().await.unwrap();
    let rub = accounts.get("qw_wallet_rub").unwrap();
    assert!(rub.is_default());
    assert_eq!(rub.balance.money().unwrap().amount.to_string(), "1008.74");
    assert_eq!(
        accounts.get("mc_beeline_rub").unwrap().balance,
        Balance::NotApplicable
    );
    assert_eq!(accounts.unknown_balances().count(), 0);
}

#[tokio::test]
async fn creating_an_account_and_moving_the_default_change_the_list() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let offers = client.account_offers().await.unwrap();
    assert!(offers.iter().any(|o| o.alias.as_str() == "qw_wallet_eur"));
    client
        .create_account(&alias("qw_wallet_eur"))
        .await
        .unwrap();
    client
        .set_default_account(&alias("qw_wallet_eur"))
        .await
        .unwrap();
    let accounts = client.list_accounts().await.unwrap();
    assert_eq!(
        accounts.default_account().unwrap().alias.as_str(),
        "qw_wallet_eur"
    );
    assert!(!accounts.get("qw_wallet_rub").unwrap().is_default());
    assert!(
        !client
            .account_offers()
            .await
            .unwrap()
            .iter()
            .any(|o| o.alias.as_str() == "qw_wallet_eur")
    );
}

#[tokio::test]
async fn reads_profile_identification_limits_and_restrictions() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let profile = client
        .profile(qiwi_wallet::ProfileSections::ALL)
        .await
        .unwrap();
    assert_eq!(
        profile.auth_info.unwrap().person_id.as_str(),
        demo::QIWI_WALLET
    );
    client.identification().await.unwrap();
    let limits = client
        .actual_limits(qiwi_wallet::LimitType::KNOWN)
        .await
        .unwrap();
    assert!(!limits.limits.is_empty());
    client.restrictions().await.unwrap();
    client.p2p_payment_count().await.unwrap();
}

#[tokio::test]
async fn a_wrong_token_is_an_authentication_error_that_does_not_show_the_token() {
    let sandbox = sandbox().await;
    let wrong = "0123456789abcdef0123456789abcdef";
    let err = client_with_token(&sandbox, wrong)
        .list_accounts()
        .await
        .unwrap_err();
    assert_eq!(
        err.kind(),
        Some(qiwi_transport::RefusalKind::Authentication),
        "{err:?}"
    );
    assert!(!err.to_string().contains(wrong));
    assert!(!format!("{err:?}").contains(wrong));
    assert_eq!(
        sandbox.hits("wallet.accounts.list"),
        1,
        "a 401 is not retried"
    );
}

#[tokio::test]
async fn reads_are_retried_through_each_server_fault() {
    for (name, fault) in common::passing_faults() {
        let sandbox = sandbox().await;
        sandbox.add_fault(FaultRule::new("wallet.accounts.list", fault).times(2));
        let accounts = client(&sandbox).list_accounts().await;
        assert!(accounts.is_ok(), "{name}: {accounts:?}");
        assert_eq!(sandbox.hits("wallet.accounts.list"), 3, "{name}");
    }
}

#[tokio::test]
async fn faults_that_outlast_the_retries_surface_as_typed_errors() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);

    sandbox.add_fault(FaultRule::new(
        "wallet.accounts.list",
        Fault::Status {
            status: 502,
            retry_after: None,
        },
    ));
    let err = client.list_accounts().await.unwrap_err();
    let Some(source) = err
        .refusal()
        .filter(|r| r.kind == qiwi_transport::RefusalKind::Server)
        .map(|r| &r.answer)
    else {
        panic!("{err:?}")
    };
    assert!(
        source.body_text().contains("<html"),
        "the HTML page is kept"
    );
    assert_eq!(source.attempts, 3);
    sandbox.clear_faults();

    sandbox.add_fault(FaultRule::new(
        "wallet.profile",
        Fault::Status {
            status: 423,
            retry_after: None,
        },
    ));
    let err = client
        .profile(qiwi_wallet::ProfileSections::ALL)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.kind(),
            Some(qiwi_transport::RefusalKind::RateLimited { .. })
        ),
        "{err:?}"
    );
    sandbox.clear_faults();

    sandbox.add_fault(FaultRule::new(
        "wallet.restrictions",
        Fault::Latency(Duration::from_secs(3)),
    ));
    let err = client.restrictions().await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.kind() == qiwi_wallet::transport::TransportErrorKind::Timeout),
        "{err:?}"
    );
}

#[tokio::test]
async fn writes_are_not_retried_after_a_fault() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    sandbox.add_fault(FaultRule::new(
        "wallet.accounts.create",
        Fault::Status {
            status: 503,
            retry_after: None,
        },
    ));
    assert!(
        client
            .create_account(&alias("qw_wallet_eur"))
            .await
            .is_err()
    );
    sandbox.clear_faults();
    sandbox.add_fault(FaultRule::new("wallet.accounts.set-default", Fault::Drop));
    let err = client
        .set_default_account(&alias("qw_wallet_usd"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(sandbox.hits("wallet.accounts.create"), 1);
    assert_eq!(sandbox.hits("wallet.accounts.set-default"), 1);
}

#[tokio::test]
async fn null_balances_are_asked_for_again_and_merged() {
    let sandbox = sandbox().await;
    sandbox.add_fault(FaultRule::new("wallet.accounts.list", Fault::NullBalance).times(1));
    let accounts = client(&sandbox).list_accounts().await.unwrap();
    assert_eq!(accounts.unknown_balances().count(), 0);
    assert_eq!(
        accounts
            .get("qw_wallet_usd")
            .unwrap()
            .balance
            .money()
            .unwrap()
            .amount,
        qiwi_wallet::Decimal::new(1050, 2)
    );
    assert!(sandbox.hits("wallet.accounts.list") >= 2);

    let stubborn = self::sandbox().await;
    stubborn.add_fault(FaultRule::new("wallet.accounts.list", Fault::NullBalance));
    let accounts = client(&stubborn).list_accounts().await.unwrap();
    let unknown: Vec<_> = accounts
        .unknown_balances()
        .map(|a| a.alias.to_string())
        .collect();
    assert_eq!(unknown, ["qw_wallet_rub", "qw_wallet_usd"]);
    // One list, then the default two attempts for each of the two accounts.
    assert_eq!(stubborn.hits("wallet.accounts.list"), 5);
}

#[tokio::test]
async fn hooks_are_managed_against_the_sandbox() {
    use qiwi_wallet::RefusalKind;
    use qiwi_wallet::models::HookTxnType;
    use qiwi_wallet::transport::ExposeSecret;
    use qiwi_wallet::webhook::{Verified, WebhookVerifier};

    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let receiver = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(wiremock::ResponseTemplate::new(200))
        .mount(&receiver)
        .await;
    let url = format!("{}/hook", receiver.uri());

    assert_eq!(client.active_hook().await.unwrap(), None);
    let refused = client
        .register_hook("ftp://127.0.0.1/", HookTxnType::In)
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), Some(RefusalKind::Validation), "{refused}");
    let first = client
        .register_hook("http://127.0.0.1:9/old", HookTxnType::In)
        .await
        .unwrap();
    assert_eq!(client.active_hook().await.unwrap().as_ref(), Some(&first));
    let exists = client
        .register_hook(&url, HookTxnType::Both)
        .await
        .unwrap_err();
    assert_eq!(exists.kind(), Some(RefusalKind::Conflict), "{exists}");

    let old_key = client.hook_key(&first.hook_id).await.unwrap();
    let renewed = client.new_hook_key(&first.hook_id).await.unwrap();
    assert_ne!(old_key.key.expose_secret(), renewed.key.expose_secret());

    let (hook, key) = client.replace_hook(&url).await.unwrap();
    assert_ne!(hook.hook_id, first.hook_id);
    assert_eq!(
        (hook.hook_parameters.url.as_str(), &hook.txn_type),
        (url.as_str(), &HookTxnType::In)
    );
    // The test notification the replacement asked for arrives, and the fetched key checks it.
    let mut bodies = Vec::new();
    for _ in 0..100 {
        bodies = receiver.received_requests().await.unwrap_or_default();
        if !bodies.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let verifier = WebhookVerifier::new(&key.key).unwrap();
    assert!(matches!(
        verifier.verify(&bodies[0].body),
        Ok(Verified::Test(_))
    ));

    assert_eq!(
        client.delete_hook(&hook.hook_id).await.unwrap().response,
        "Hook deleted"
    );
    assert_eq!(client.active_hook().await.unwrap(), None);
    let gone = client.delete_hook(&hook.hook_id).await.unwrap_err();
    assert_eq!(gone.kind(), Some(RefusalKind::NotFound), "{gone}");
}
