//! Logs never carry the password. The one test of this crate outside the `it` binary, on
//! purpose: tracing caches per call site, for the whole process, whether anyone listens, so
//! tests running in parallel without a subscriber would hide events from this one.

#[path = "it/support.rs"]
#[allow(
    dead_code,
    reason = "the helpers serve the `it` binary; this test uses a few"
)]
mod support;

use qiwi_agent::{
    ConfirmOptions, FundsSource, Payout, PayoutAmount, Recipient, StatusQuery, TransactionNumber,
};
use qiwi_transport::TransportErrorKind;
use qiwi_transport::test_util::Reply;
use qiwi_transport::test_util::traces::Traces;
use support::{scripted_client_with, xml};

const SECRET: &str = "Tr0ub4dor&3-very-secret";

#[tokio::test]
async fn logs_never_carry_the_password() {
    let traces = Traces::default();
    let _guard = traces.capture();
    let pay_ok = "<response><result-code fatal='false'>0</result-code><payment status='60' txn_id='1' transaction-number='12345678' final-status='true'/></response>";
    let (client, _, _) = scripted_client_with(
        123,
        SECRET,
        vec![
            xml(&support::fixture("responses/ping_spec_5_1.xml")),
            Reply::Fail(TransportErrorKind::Reset),
            xml(pay_ok),
            xml(&support::fixture("responses/status_spec_5_5.xml")),
        ],
    );
    client.ping().await.unwrap();
    let payout: Payout = Payout::new(
        TransactionNumber::parse("12345678").unwrap(),
        Recipient::Wallet {
            wallet: "79181234567".parse().unwrap(),
            funds: FundsSource::Cash,
            comment: None,
        },
        PayoutAmount::parse("10").unwrap(),
    )
    .unwrap();
    let confirmation = client
        .pay_and_confirm(&payout, &ConfirmOptions::new())
        .await
        .unwrap();
    assert!(confirmation.outcome.is_success());
    let query =
        StatusQuery::new(TransactionNumber::parse("12345678").unwrap(), "79181234567").unwrap();
    client.status(&query).await.unwrap();

    let logged = traces.text();
    // The capture works: the executor's spans and the client's events are there.
    assert!(logged.contains("span http.request"), "{logged}");
    assert!(
        logged.contains("route=\"/xml/topup.jsp pay/auth\""),
        "{logged}"
    );
    assert!(logged.contains("sending pay/auth"), "{logged}");
    assert!(
        logged.contains("payment 12345678 [0 s]: sending"),
        "{logged}"
    );
    assert!(!logged.contains(SECRET), "{logged}");
    assert!(!logged.contains("Tr0ub4dor"), "{logged}");
}
