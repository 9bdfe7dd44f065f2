//! A payment happens exactly once, counted in the sandbox's state: an answer lost after the
//! payment was made is found in the history, and a request lost before it was made is reported
//! not found, safe to send again with the same id, which then pays once.

use crate::common;

use std::time::Duration;

use qiwi_sandbox::{Fault, FaultRule, Sandbox, SandboxConfig, demo};
use qiwi_wallet::payment::{Payment, PaymentId, PayoutAmount, Recipient};
use qiwi_wallet::{
    Accepted, ConfirmOptions, Confirmed, FateLookup, NotMoved, PaymentOutcome, SecretString,
    WalletClient,
};

const PROCESSING: Duration = Duration::from_millis(20);

async fn sandbox() -> Sandbox {
    qiwi_sandbox::start(SandboxConfig::default().with_processing_delay(PROCESSING))
        .await
        .unwrap()
}

fn wallet_client(sb: &Sandbox, token: &str, wallet: &str) -> WalletClient {
    WalletClient::builder()
        .token(SecretString::from(token.to_owned()))
        .wallet(wallet.parse().unwrap())
        .base_url(sb.base_url())
        .allow_http(true)
        .retry(common::fast_retry())
        .timeouts(common::tight_timeouts())
        .build()
        .unwrap()
}

/// The demo wallet's client (1008.74 RUB), which may read its history.
fn payer(sb: &Sandbox) -> WalletClient {
    wallet_client(sb, demo::QIWI_TOKEN, demo::QIWI_WALLET)
}

/// 1.25 RUB to the second demo wallet.
fn transfer(id: &str) -> Payment {
    Payment::new(
        PaymentId::parse(id).unwrap(),
        Recipient::wallet(demo::QIWI_SECOND_WALLET.parse().unwrap(), Some("once")),
        PayoutAmount::parse("1.25").unwrap(),
    )
    .unwrap()
}

fn quick() -> FateLookup {
    FateLookup {
        wait: Duration::ZERO,
        ..FateLookup::default()
    }
}

/// A wallet's RUB balance, as the sandbox's E10 shows it.
async fn rub(client: &WalletClient) -> String {
    let accounts = client.list_accounts().await.unwrap();
    let account = accounts
        .accounts
        .iter()
        .find(|a| a.alias.as_str() == "qw_wallet_rub")
        .unwrap();
    account.balance.money().unwrap().amount.to_string()
}

#[tokio::test]
async fn an_answer_lost_after_the_payment_is_found_and_the_money_moved_once() {
    let sb = sandbox().await;
    let second = wallet_client(&sb, demo::QIWI_SECOND_TOKEN, demo::QIWI_SECOND_WALLET);
    sb.add_fault(FaultRule::new("wallet.pay", Fault::DropAnswer).times(1));
    let client = payer(&sb);
    let outcome = client.pay_with(&transfer("5001"), quick()).await;
    let PaymentOutcome::Accepted(Accepted::History(item)) = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(item.trm_txn_id.as_deref(), Some("5001"));
    assert_eq!(sb.hits("wallet.pay"), 1, "never sent again");
    assert_eq!(rub(&client).await, "1007.49", "one debit of 1.25");
    sb.advance_clock(PROCESSING);
    assert_eq!(rub(&second).await, "5001.25", "one credit of 1.25");
}

#[tokio::test]
async fn a_request_lost_before_the_payment_is_not_found_and_the_resend_pays_once() {
    let sb = sandbox().await;
    sb.add_fault(FaultRule::new("wallet.pay", Fault::Drop).times(1));
    let client = payer(&sb);
    let payment = transfer("5002");
    let outcome = client.pay_with(&payment, quick()).await;
    assert!(
        matches!(outcome, PaymentOutcome::NotMoved(NotMoved::NotFound { .. })),
        "{outcome:?}"
    );
    assert_eq!(rub(&client).await, "1008.74", "nothing moved");
    for _ in 0..2 {
        let again = client.pay_with(&payment, quick()).await;
        assert!(
            matches!(again, PaymentOutcome::Accepted(Accepted::Answer(_))),
            "{again:?}"
        );
    }
    assert_eq!(sb.hits("wallet.pay"), 3);
    assert_eq!(rub(&client).await, "1007.49", "the same id paid once");
}

#[tokio::test]
async fn pay_and_confirm_after_a_lost_answer_ends_in_success() {
    let sb = sandbox().await;
    sb.add_fault(FaultRule::new("wallet.pay", Fault::DropAnswer).times(1));
    let options = ConfirmOptions {
        interval: Duration::from_millis(10),
        timeout: Duration::from_secs(5),
        lookup: quick(),
    };
    let confirmed = payer(&sb).pay_and_confirm(&transfer("5003"), options).await;
    let Confirmed::Success(transaction) = confirmed else {
        panic!("{confirmed:?}");
    };
    assert_eq!(transaction.item.trm_txn_id.as_deref(), Some("5003"));
    let second = wallet_client(&sb, demo::QIWI_SECOND_TOKEN, demo::QIWI_SECOND_WALLET);
    assert_eq!(rub(&second).await, "5001.25");
}

/// An id used before for another amount: the sandbox refuses the new payment, its answer is
/// lost, and the history lists the earlier payment under the id. That one is not this payment:
/// it is neither reported accepted nor made twice.
#[tokio::test]
async fn a_reused_id_whose_answer_is_lost_is_not_taken_for_the_earlier_payment() {
    let sb = sandbox().await;
    let client = wallet_client(&sb, demo::QIWI_SECOND_TOKEN, demo::QIWI_SECOND_WALLET);
    let to = || Recipient::wallet(demo::QIWI_WALLET.parse().unwrap(), None);
    let id = || PaymentId::parse("5009").unwrap();
    let earlier = Payment::new(id(), to(), PayoutAmount::parse("1.25").unwrap()).unwrap();
    let first = client.pay_with(&earlier, quick()).await;
    assert!(matches!(first, PaymentOutcome::Accepted(_)), "{first:?}");
    let after_first = rub(&client).await;

    sb.add_fault(FaultRule::new("wallet.pay", Fault::DropAnswer).times(1));
    let other = Payment::new(id(), to(), PayoutAmount::parse("2.50").unwrap()).unwrap();
    let outcome = client.pay_with(&other, quick()).await;
    let PaymentOutcome::Unknown(unknown) = outcome else {
        panic!("{outcome:?}");
    };
    let listed = unknown.other.expect("the earlier payment is named");
    assert_eq!(listed.trm_txn_id.as_deref(), Some("5009"));
    assert_eq!(rub(&client).await, after_first, "nothing more moved");
    assert_eq!(sb.hits("wallet.pay"), 2);
}
