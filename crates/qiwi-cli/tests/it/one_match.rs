//! Every client returns the one error of `qiwi-transport`: a caller handles an error of any
//! family with one `match` on the shared kinds, and asks each the same question about a write.
//! The errors come from the three clients over loopback, against the sandbox.

use crate::common;

use std::time::Duration;

use balances_core::{BalancesClient, WalletId};
use qiwi_agent::{AgentClient, FundsSource, Payout, PayoutAmount, Recipient, TransactionNumber};
use qiwi_sandbox::{Fault, FaultRule, Sandbox, SandboxConfig, demo};
use qiwi_transport::{Detail, Error, RefusalKind, WriteFate};
use qiwi_types::WalletNumber;
use qiwi_wallet::{AccountAlias, SecretString, WalletClient};

/// What a caller does next, whichever client failed.
#[derive(Debug, PartialEq, Eq)]
enum Next {
    FixTheInput,
    TryAgain,
    FixTheCredentials,
    WaitFor(Duration),
    CheckTheId,
    ReadTheMessage,
}

/// The one `match`: no family's type is named.
fn next<D: Detail>(error: &Error<D>) -> Next {
    match (error, error.kind()) {
        (Error::NotSent(_), _) => Next::FixTheInput,
        (Error::Transport(_) | Error::Decode(_), _) | (_, Some(RefusalKind::Server)) => {
            Next::TryAgain
        }
        (_, Some(RefusalKind::Authentication | RefusalKind::Permission { .. })) => {
            Next::FixTheCredentials
        }
        (_, Some(RefusalKind::RateLimited { retry_after })) => {
            Next::WaitFor(retry_after.unwrap_or(Duration::from_secs(1)))
        }
        (_, Some(RefusalKind::NotFound)) => Next::CheckTheId,
        _ => Next::ReadTheMessage,
    }
}

async fn sandbox() -> Sandbox {
    qiwi_sandbox::start(SandboxConfig::default().with_processing_delay(Duration::from_millis(20)))
        .await
        .unwrap()
}

fn wallet_client(base_url: &str, token: &str) -> WalletClient {
    WalletClient::builder()
        .token(SecretString::from(token.to_owned()))
        .wallet(demo::QIWI_WALLET.parse().unwrap())
        .base_url(base_url)
        .allow_http(true)
        .retry(common::fast_retry())
        .timeouts(common::tight_timeouts())
        .build()
        .unwrap()
}

fn agent_client(endpoint: &str) -> AgentClient {
    AgentClient::builder()
        .terminal_id(demo::AGENT_TERMINAL_ID.parse().unwrap())
        .password(SecretString::from(demo::AGENT_PASSWORD))
        .base_url(endpoint)
        .allow_http(true)
        .retry(common::fast_retry())
        .timeouts(common::tight_timeouts())
        .build()
        .unwrap()
}

fn treezor_client(sandbox: &Sandbox) -> BalancesClient {
    BalancesClient::builder()
        .base_url(sandbox.base_url())
        .allow_http(true)
        .client_credentials(
            SecretString::from(demo::TREEZOR_CLIENT_ID),
            SecretString::from(demo::TREEZOR_CLIENT_SECRET),
        )
        .retry(common::fast_retry())
        .timeouts(common::tight_timeouts())
        .build()
        .unwrap()
}

fn payout(number: &str) -> Payout {
    Payout::new(
        TransactionNumber::parse(number).unwrap(),
        Recipient::Wallet {
            wallet: WalletNumber::parse(demo::QIWI_WALLET).unwrap(),
            funds: FundsSource::NonCash,
            comment: None,
        },
        PayoutAmount::parse("10.00").unwrap(),
    )
    .unwrap()
}

fn fault(sandbox: &Sandbox, route: &str, fault: Fault) {
    sandbox.clear_faults();
    sandbox.add_fault(FaultRule::new(route, fault));
}

#[tokio::test]
async fn one_match_handles_an_error_of_every_client() {
    let sandbox = sandbox().await;

    let wallet = wallet_client(&sandbox.base_url(), "0123456789abcdef0123456789abcdef")
        .list_accounts()
        .await
        .unwrap_err();
    assert_eq!(next(&wallet), Next::FixTheCredentials, "{wallet}");

    let agent = agent_client(&sandbox.agent_url());
    fault(
        &sandbox,
        "agent.ping",
        Fault::AgentResultCode {
            code: 13,
            fatal: false,
        },
    );
    let busy = agent.ping().await.unwrap_err();
    assert_eq!(
        next(&busy),
        Next::WaitFor(Duration::from_secs(60)),
        "{busy}"
    );
    fault(
        &sandbox,
        "agent.ping",
        Fault::Status {
            status: 503,
            retry_after: None,
        },
    );
    let failed = agent.ping().await.unwrap_err();
    assert_eq!(next(&failed), Next::TryAgain, "{failed}");

    let treezor = treezor_client(&sandbox)
        .wallet_balance(WalletId::new(999_999_999))
        .await
        .unwrap_err();
    assert_eq!(next(&treezor), Next::CheckTheId, "{treezor}");
}

#[tokio::test]
async fn every_client_says_what_happened_to_a_write() {
    let sandbox = sandbox().await;
    let agent = agent_client(&sandbox.agent_url());
    // (fault on `pay`, fate): a fatal code was not processed, 300 and a 5xx may have been.
    let cases = [
        (
            Fault::AgentResultCode {
                code: 339,
                fatal: true,
            },
            WriteFate::NotMoved,
        ),
        (
            Fault::AgentResultCode {
                code: 300,
                fatal: false,
            },
            WriteFate::Unknown,
        ),
        (
            Fault::Status {
                status: 500,
                retry_after: None,
            },
            WriteFate::Unknown,
        ),
    ];
    for (number, (pay_fault, fate)) in (10_000_001u64..).zip(cases) {
        fault(&sandbox, "agent.pay", pay_fault.clone());
        let error = agent.pay(&payout(&number.to_string())).await.unwrap_err();
        assert_eq!(error.write_fate(), fate, "{pay_fault:?}: {error}");
    }

    let wallet = wallet_client(&sandbox.base_url(), demo::QIWI_TOKEN);
    let alias = AccountAlias::new("qw_wallet_eur").unwrap();
    for (status, fate) in [(400, WriteFate::NotMoved), (503, WriteFate::Unknown)] {
        fault(
            &sandbox,
            "wallet.accounts.create",
            Fault::Status {
                status,
                retry_after: None,
            },
        );
        let error = wallet.create_account(&alias).await.unwrap_err();
        assert_eq!(error.write_fate(), fate, "{status}: {error}");
    }

    // Nothing listens on the port any more: no connection, nothing sent.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let error = agent_client(&format!("{closed}/xml/topup.jsp"))
        .pay(&payout("10000009"))
        .await
        .unwrap_err();
    assert_eq!(error.write_fate(), WriteFate::NotMoved, "{error}");
    assert!(error.is_not_sent(), "{error}");
}
