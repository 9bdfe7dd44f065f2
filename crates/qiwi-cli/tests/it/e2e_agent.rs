//! `AgentClient` against the sandbox over loopback.

use crate::common;

use std::time::Duration;

use qiwi_agent::{
    AgentClient, ConfirmOptions, Error, Fate, FundsSource, Outcome, PaymentState, PayoutAmount,
    StatusQuery, TransactionNumber, secrecy::SecretString,
};
use qiwi_agent::{Payout, Recipient};
use qiwi_sandbox::{Amount, Fault, FaultRule, Sandbox, SandboxConfig, demo};
use qiwi_types::{Currency, Decimal, WalletNumber};

async fn sandbox(delay: Duration) -> Sandbox {
    qiwi_sandbox::start(SandboxConfig::default().with_processing_delay(delay))
        .await
        .unwrap()
}

fn client_with_password(sandbox: &Sandbox, password: &str) -> AgentClient {
    AgentClient::builder()
        .terminal_id(demo::AGENT_TERMINAL_ID.parse().unwrap())
        .password(SecretString::from(password.to_owned()))
        .base_url(sandbox.agent_url())
        .allow_http(true)
        .retry(common::fast_retry())
        .timeouts(common::tight_timeouts())
        .build()
        .unwrap()
}

fn client(sandbox: &Sandbox) -> AgentClient {
    client_with_password(sandbox, demo::AGENT_PASSWORD)
}

fn wallet(text: &str) -> WalletNumber {
    WalletNumber::parse(text).unwrap()
}

fn top_up(txn: &str, to: &str, amount: &str) -> qiwi_agent::Payout {
    Payout::new(
        TransactionNumber::parse(txn).unwrap(),
        Recipient::Wallet {
            wallet: wallet(to),
            funds: FundsSource::NonCash,
            comment: None,
        },
        PayoutAmount::parse(amount).unwrap(),
    )
    .unwrap()
}

fn fast_confirm() -> ConfirmOptions {
    ConfirmOptions::new()
        .interval(Duration::from_millis(20))
        .timeout(Duration::from_secs(5))
}

#[tokio::test]
async fn ping_returns_every_balance_exactly() {
    let sandbox = sandbox(Duration::from_millis(50)).await;
    let balances = client(&sandbox).ping().await.unwrap();
    assert_eq!(
        balances.get(&Currency::RUB),
        Some(Decimal::new(20_000_026, 2))
    );
    assert_eq!(balances.get(&Currency::USD), Some(Decimal::new(30_000, 2)));
    assert_eq!(balances.len(), 3);
}

#[tokio::test]
async fn checks_users_and_deposits() {
    let sandbox = sandbox(Duration::from_millis(50)).await;
    let client = client(&sandbox);
    let known = client
        .check_user(&wallet(demo::AGENT_OTHER_WALLET), None)
        .await
        .unwrap();
    assert_eq!(known.exists, Some(true));
    let blocked = client
        .check_deposit_possible(
            &wallet(demo::AGENT_UNIDENTIFIED_WALLET),
            FundsSource::NonCash,
            None,
        )
        .await
        .unwrap();
    assert!(!blocked.is_possible());
}

#[tokio::test]
async fn a_top_up_moves_money_and_settles_after_the_processing_delay() {
    let sandbox = sandbox(Duration::from_millis(100)).await;
    let client = client(&sandbox);
    let before_agent = sandbox.agent_balance(643).unwrap();
    let before_wallet = sandbox.qiwi_balance("qw_wallet_rub").unwrap();

    let payout = top_up("20261126000000000001", demo::QIWI_WALLET, "15.50");
    let first = client.pay(&payout).await.unwrap();
    assert_eq!(
        first.payment.as_ref().map(|p| p.state()),
        Some(PaymentState::InProgress)
    );

    let confirmation = client
        .pay_and_confirm(&payout, &fast_confirm())
        .await
        .unwrap();
    assert!(
        matches!(confirmation.outcome, Outcome::Succeeded),
        "{}",
        confirmation.outcome
    );
    assert_eq!(
        sandbox.agent_balance(643).unwrap(),
        Amount(before_agent.0 - 1550)
    );
    assert_eq!(
        sandbox.qiwi_balance("qw_wallet_rub").unwrap(),
        Amount(before_wallet.0 + 1550)
    );

    // The same transaction number again is the same payment: no second debit.
    client.pay(&payout).await.unwrap();
    assert_eq!(
        sandbox.agent_balance(643).unwrap(),
        Amount(before_agent.0 - 1550)
    );

    let status = client
        .status(
            &StatusQuery::new(
                TransactionNumber::parse("20261126000000000001").unwrap(),
                demo::QIWI_WALLET,
            )
            .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(status.payments[0].state(), PaymentState::Succeeded);
}

#[tokio::test]
async fn a_failing_wallet_ends_failed_and_the_money_comes_back() {
    let sandbox = sandbox(Duration::from_millis(50)).await;
    let client = client(&sandbox);
    let before = sandbox.agent_balance(643).unwrap();
    let confirmation = client
        .pay_and_confirm(
            &top_up("777000001", demo::AGENT_FAILING_WALLET, "10.00"),
            &fast_confirm(),
        )
        .await
        .unwrap();
    assert!(
        matches!(confirmation.outcome, Outcome::Failed { .. }),
        "{}",
        confirmation.outcome
    );
    assert_eq!(sandbox.agent_balance(643).unwrap(), before);
}

#[tokio::test]
async fn a_wrong_password_is_an_authentication_error_without_the_password() {
    let sandbox = sandbox(Duration::from_millis(50)).await;
    let wrong = "definitely-not-the-password";
    let err = client_with_password(&sandbox, wrong)
        .ping()
        .await
        .unwrap_err();
    assert_eq!(
        err.kind(),
        Some(qiwi_transport::RefusalKind::Authentication),
        "{err:?}"
    );
    assert!(!err.to_string().contains(wrong) && !format!("{err:?}").contains(wrong));
    assert_eq!(sandbox.hits("agent.ping"), 1, "a fatal code is not retried");
}

#[tokio::test]
async fn server_faults_are_retried_for_ping_and_pay() {
    for (name, fault) in common::passing_faults() {
        let sandbox = sandbox(Duration::from_millis(50)).await;
        let client = client(&sandbox);
        sandbox.add_fault(FaultRule::new("agent.ping", fault.clone()).times(2));
        assert!(client.ping().await.is_ok(), "{name}");
        assert_eq!(sandbox.hits("agent.ping"), 3, "{name}");

        // `pay` carries its transaction number, so it is retried too, and debits once.
        let before = sandbox.agent_balance(643).unwrap();
        sandbox.add_fault(FaultRule::new("agent.pay.auth", fault).times(2));
        client
            .pay(&top_up("555000001", demo::AGENT_OTHER_WALLET, "1.00"))
            .await
            .unwrap();
        assert_eq!(sandbox.hits("agent.pay.auth"), 3, "{name}");
        assert_eq!(
            sandbox.agent_balance(643).unwrap(),
            Amount(before.0 - 100),
            "{name}"
        );
    }
}

#[tokio::test]
async fn a_busy_result_code_and_lasting_faults_are_typed_errors() {
    let sandbox = sandbox(Duration::from_millis(50)).await;
    let client = client(&sandbox);
    sandbox.add_fault(FaultRule::new(
        "agent.ping",
        Fault::AgentResultCode {
            code: 13,
            fatal: false,
        },
    ));
    let err = client.ping().await.unwrap_err();
    assert!(
        matches!(
            err.kind(),
            Some(qiwi_transport::RefusalKind::RateLimited { .. })
        ),
        "{err:?}"
    );
    sandbox.clear_faults();

    sandbox.add_fault(FaultRule::new(
        "agent.ping",
        Fault::Status {
            status: 503,
            retry_after: None,
        },
    ));
    assert_eq!(
        client.ping().await.unwrap_err().kind(),
        Some(qiwi_transport::RefusalKind::Server)
    );
    sandbox.clear_faults();

    sandbox.add_fault(FaultRule::new(
        "agent.ping",
        Fault::Latency(Duration::from_secs(3)),
    ));
    assert!(matches!(
        client.ping().await.unwrap_err(),
        Error::Transport(_)
    ));
}

/// A server that takes the request and never answers: the attempt limits end the call, and the
/// payment's fate is unknown, never failed.
#[tokio::test]
async fn a_payout_that_times_out_has_an_unknown_fate() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/xml/topup.jsp", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let held: Vec<_> = listener.incoming().collect();
        drop(held);
    });
    let client = AgentClient::builder()
        .terminal_id(demo::AGENT_TERMINAL_ID.parse().unwrap())
        .password(SecretString::from(demo::AGENT_PASSWORD))
        .base_url(url)
        .allow_http(true)
        .retry(common::fast_retry())
        .timeouts(common::tight_timeouts())
        .build()
        .unwrap();
    let confirmation = client
        .pay_and_confirm(
            &top_up("900700", demo::AGENT_OTHER_WALLET, "1.00"),
            &fast_confirm().timeout(Duration::ZERO),
        )
        .await
        .unwrap();
    assert!(
        matches!(confirmation.outcome, Outcome::Pending { last_state: None }),
        "{}",
        confirmation.outcome
    );
    assert_eq!(confirmation.outcome.fate(), Fate::Unknown);
}
