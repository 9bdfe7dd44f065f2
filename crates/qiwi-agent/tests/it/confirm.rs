//! Table tests: every result code and status, whether it is final or fatal, and what
//! `pay_and_confirm` does with it. A scripted transport answers and a time and sleep that end
//! every wait at once stand in for time, so nothing sleeps.

use crate::support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use qiwi_agent::{
    CardNumber, ConfirmOptions, Confirmation, Error, FundsSource, Outcome, PaymentCode,
    PaymentState, PaymentStatus, Payout, PayoutAmount, Recipient, RequestCode, RequestResult,
    ServiceId, TransactionNumber, wire,
};
use qiwi_transport::test_util::Reply;
use qiwi_transport::{NotSentError, RefusalKind, TransportErrorKind, WriteFate};
use qiwi_types::Currency;
use support::{scripted_client, xml};

const TXN: &str = "12345678";

fn payout() -> Payout {
    Payout::new(
        TransactionNumber::parse(TXN).unwrap(),
        Recipient::Wallet {
            wallet: "79181234567".parse().unwrap(),
            funds: FundsSource::NonCash,
            comment: None,
        },
        PayoutAmount::parse("100.00").unwrap(),
    )
    .unwrap()
}

fn options() -> ConfirmOptions {
    ConfirmOptions::new()
        .interval(Duration::from_secs(600))
        .timeout(Duration::from_secs(3600))
}

/// An answer holding one payment with these attributes (and the request-level code 0).
fn payment(attributes: &str) -> Reply {
    xml(&format!(
        "<response><result-code fatal='false'>0</result-code><payment transaction-number='{TXN}' {attributes}/></response>"
    ))
}

/// A request-level error answer.
fn request_error(code: i32, fatal: Option<bool>) -> Reply {
    let fatal = fatal.map(|f| format!(" fatal='{f}'")).unwrap_or_default();
    xml(&format!(
        "<response><result-code{fatal} message='x'>{code}</result-code></response>"
    ))
}

/// An answer holding one payment of another transaction number.
fn other_payment(attributes: &str) -> Reply {
    xml(&format!(
        "<response><result-code fatal='false'>0</result-code><payment transaction-number='{TXN}9' {attributes}/></response>"
    ))
}

/// The final answer that ends a run successfully, for `pay` and for status alike.
fn success() -> Reply {
    payment("status='60' txn_id='9' result-code='0' final-status='true' fatal-error='false'")
}

fn not_found() -> Reply {
    xml("<response><result-code fatal='false'>0</result-code><balances/></response>")
}

fn describe(outcome: &Outcome) -> String {
    let code = |c: &Option<PaymentCode>| c.map(|c| c.code().to_string()).unwrap_or_default();
    match outcome {
        Outcome::Succeeded => "succeeded".into(),
        Outcome::Failed { reason } => format!("failed({})", code(reason)),
        Outcome::Rejected { reason } => format!("rejected({})", code(reason)),
        Outcome::Conflict { transaction_number } => format!("conflict({transaction_number})"),
        Outcome::DepositNotPossible(_) => "deposit_not_possible".into(),
        Outcome::Refused(error) | Outcome::Stopped(error) => format!(
            "{}({})",
            outcome.name(),
            match error.kind() {
                Some(RefusalKind::Authentication) => "authentication",
                Some(RefusalKind::Permission { .. }) => "permission",
                Some(RefusalKind::Rejected) => "rejected",
                Some(RefusalKind::Server) => "server",
                _ => panic!("unexpected stop {error:?}"),
            }
        ),
        Outcome::Pending { last_state } => format!("pending({last_state:?})"),
        other => panic!("unexpected outcome {other:?}"),
    }
}

/// Runs `pay_and_confirm` against a script; returns the confirmation, the kinds of requests
/// sent (`pay`, `status`, `check`) and the waits the clock was asked for.
async fn run(
    replies: Vec<Reply>,
    options: &ConfirmOptions,
) -> (Confirmation, Vec<&'static str>, Vec<Duration>) {
    let (client, transport, clock) = scripted_client(replies);
    let confirmation = client.pay_and_confirm(&payout(), options).await.unwrap();
    let kinds = transport
        .requests()
        .iter()
        .map(|r| {
            let body = String::from_utf8_lossy(&r.body).into_owned();
            if body.contains("<auth>") {
                "pay"
            } else if body.contains("<status>") {
                "status"
            } else if body.contains("check-deposit-possible") {
                "check"
            } else {
                panic!("unexpected request {body}")
            }
        })
        .collect();
    assert_eq!(transport.count(), transport.requests().len());
    (confirmation, kinds, clock.sleeps())
}

#[test]
fn request_codes_table() {
    // code, fatal attribute, variant, documented fatal, fatal, may retry same request, error
    type Row = (
        i32,
        Option<bool>,
        RequestCode,
        Option<bool>,
        bool,
        bool,
        &'static str,
    );
    #[rustfmt::skip]
    let table: &[Row] = &[
        (13,  Some(false), RequestCode::RetryLater,         Some(false), false, true,  "RateLimited"),
        (150, Some(true),  RequestCode::AuthorizationError, Some(true),  true,  false, "Authentication"),
        (150, None,        RequestCode::AuthorizationError, Some(true),  true,  false, "Authentication"),
        (300, Some(false), RequestCode::UnknownError,       Some(false), false, true,  "Server"),
        (339, Some(true),  RequestCode::IpRestricted,       Some(true),  true,  false, "Permission"),
        (204, Some(true),  RequestCode::Unknown(204),         None,        true,  false, "Rejected"),
        (777, Some(false), RequestCode::Unknown(777),         None,        false, true,  "Rejected"),
        (777, None,        RequestCode::Unknown(777),         None,        false, true,  "Rejected"),
    ];
    for &(code, fatal, variant, documented, is_fatal, may_retry, error) in table {
        let name = format!("{code} fatal={fatal:?}");
        let parsed = RequestCode::from_code(code);
        assert_eq!(parsed, variant, "{name}");
        assert_eq!(parsed.documented_fatal(), documented, "{name}");
        let result = RequestResult::new(parsed, fatal, None);
        assert_eq!(result.is_fatal(), is_fatal, "{name}");
        assert_eq!(result.may_retry_same_request(), may_retry, "{name}");
        let fatal_attr = fatal.map(|f| format!(" fatal='{f}'")).unwrap_or_default();
        let body = format!("<response><result-code{fatal_attr}>{code}</result-code></response>");
        let err = wire::decode_ping(body.as_bytes()).unwrap_err();
        let got = match err.kind() {
            Some(RefusalKind::RateLimited { retry_after }) => {
                assert_eq!(retry_after, Some(Duration::from_secs(60)), "{name}");
                "RateLimited"
            }
            Some(RefusalKind::Authentication) => "Authentication",
            Some(RefusalKind::Server) => "Server",
            Some(RefusalKind::Permission { .. }) => "Permission",
            Some(RefusalKind::Rejected) => "Rejected",
            _ => panic!("{name}: {err:?}"),
        };
        assert_eq!(got, error, "{name}");
        let detail = err.detail().unwrap();
        assert_eq!(detail.fatal, is_fatal, "{name}");
        assert_eq!(detail.result.as_ref(), Some(&result), "{name}");
    }
    assert!(RequestCode::Ok.is_ok());
    assert!(!RequestCode::Ok.may_retry_same_request(None));
}

#[test]
fn payment_statuses_table() {
    use PaymentStatus::*;
    // code, variant, final, success, failure
    #[rustfmt::skip]
    let table: &[(i32, PaymentStatus, bool, bool, bool)] = &[
        (-2,  Unknown(-2),                false, false, false),
        (-1,  NotRegistered,            false, false, false),
        (0,   AwaitingConfirmation(0),  false, false, false),
        (49,  AwaitingConfirmation(49), false, false, false),
        (50,  Accepted,                 false, false, false),
        (51,  Processing(51),           false, false, false),
        (52,  Crediting,                false, false, false),
        (59,  Processing(59),           false, false, false),
        (60,  Success,                  true,  true,  false),
        (61,  Unknown(61),                false, false, false),
        (100, Unknown(100),               false, false, false),
        (101, Failed(101),              true,  false, true),
        (130, Failed(130),              true,  false, true),
        (150, Declined,                 true,  false, true),
        (151, AuthorizationError,       true,  false, true),
        (160, Cancelled,                true,  false, true),
        (161, Failed(161),              true,  false, true),
    ];
    for &(code, variant, is_final, success, failure) in table {
        let status = PaymentStatus::from_code(code);
        assert_eq!(status, variant, "{code}");
        assert_eq!(status.code(), code);
        assert_eq!(status.is_final(), is_final, "{code}");
        assert_eq!(status.is_success(), success, "{code}");
        assert_eq!(status.is_failure(), failure, "{code}");
    }
}

#[test]
fn payment_codes_table() {
    use PaymentCode::*;
    // code, variant, may retry without fatal-error, with fatal-error=false, with fatal-error=true
    #[rustfmt::skip]
    let table: &[(i32, PaymentCode, bool, bool, bool)] = &[
        (0,   Ok,                         false, false, false),
        (155, ServiceNotAllowed,          false, true,  false),
        (204, InsufficientIdentification, false, true,  false),
        (215, TransactionNumberConflict,  false, false, false),
        (220, InsufficientFunds,          true,  true,  false),
        (241, AmountBelowMinimum,         false, true,  false),
        (242, AmountAboveMaximum,         false, true,  false),
        (298, InvalidPhoneNumber,         false, true,  false),
        (300, UnknownError,               true,  true,  false),
        (316, AgentBlocked,               false, true,  false),
        (319, TopUpProhibited,            false, true,  false),
        (700, MonthlyLimitExceeded,       true,  true,  false),
        (702, BalanceLimitExceeded,       true,  true,  false),
        (999, Unknown(999),                 true,  true,  false),
    ];
    for &(code, variant, without, not_fatal, fatal) in table {
        let parsed = PaymentCode::from_code(code);
        assert_eq!(parsed, variant, "{code}");
        assert_eq!(parsed.may_retry_same_request(None), without, "{code}");
        assert_eq!(
            parsed.may_retry_same_request(Some(false)),
            not_fatal,
            "{code}"
        );
        assert_eq!(parsed.may_retry_same_request(Some(true)), fatal, "{code}");
    }
}

/// What `pay_and_confirm` does with each answer to its first `pay`: which requests follow and
/// how it ends. Every run that goes on is ended by a final success.
#[tokio::test]
async fn pay_and_confirm_table_for_the_first_answer() {
    #[rustfmt::skip]
    let table: Vec<(&str, Reply, &[&str], &str)> = vec![
        // Request-level codes.
        ("13 busy, not fatal",        request_error(13, Some(false)),  &["pay", "status"], "succeeded"),
        ("150 auth, fatal",           request_error(150, Some(true)),  &["pay"], "refused(authentication)"),
        ("150 without fatal flag",    request_error(150, None),        &["pay"], "refused(authentication)"),
        ("300 unknown, not fatal",    request_error(300, Some(false)), &["pay", "status"], "succeeded"),
        ("339 IP, fatal",             request_error(339, Some(true)),  &["pay"], "refused(permission)"),
        ("unlisted code, fatal",      request_error(777, Some(true)),  &["pay"], "stopped(rejected)"),
        ("unlisted code, not fatal",  request_error(777, Some(false)), &["pay", "status"], "succeeded"),
        // Transport and HTTP level.
        ("connection reset",          Reply::Fail(TransportErrorKind::Reset), &["pay", "status"], "succeeded"),
        ("timeout",                   Reply::Fail(TransportErrorKind::Timeout), &["pay", "status"], "succeeded"),
        ("HTTP 500",                  Reply::status(500, "oops"),      &["pay", "status"], "succeeded"),
        ("HTTP 502 HTML page",        Reply::status(502, "<html><body>Bad gateway</body></html>"), &["pay", "status"], "succeeded"),
        ("HTTP 401",                  Reply::status(401, ""),          &["pay"], "refused(authentication)"),
        ("HTTP 403",                  Reply::status(403, ""),          &["pay"], "refused(permission)"),
        ("HTTP 423",                  Reply::status(423, ""),          &["pay", "status"], "succeeded"),
        ("HTTP 429",                  Reply::status(429, ""),          &["pay", "status"], "succeeded"),
        ("empty body",                xml(""),                         &["pay", "status"], "succeeded"),
        ("malformed XML",             xml("<response><payment"),       &["pay", "status"], "succeeded"),
        ("DTD refused",               xml("<!DOCTYPE r [<!ENTITY e 'x'>]><response>&e;</response>"), &["pay", "status"], "succeeded"),
        ("code 0, no payment",        xml("<response><result-code fatal='false'>0</result-code></response>"), &["pay", "status"], "succeeded"),
        // Payment level.
        ("-1, not fatal: resend",     payment("status='-1' txn_id='' result-code='300' fatal-error='false' final-status='false'"), &["pay", "pay"], "succeeded"),
        ("-1 without code: resend",   payment("status='-1' txn_id=''"), &["pay", "pay"], "succeeded"),
        ("empty txn_id: resend",      payment("status='50' txn_id='' final-status='false'"), &["pay", "pay"], "succeeded"),
        ("empty txn_id on status 50, fatal: debited, resend", payment("status='50' txn_id='' result-code='241' fatal-error='true'"), &["pay", "pay"], "succeeded"),
        ("no status, no txn_id, fatal", payment("txn_id='' result-code='241' fatal-error='true'"), &["pay"], "rejected(241)"),
        ("-1, 220 fatal",             payment("status='-1' txn_id='' result-code='220' fatal-error='true'"), &["pay"], "rejected(220)"),
        ("-1, 220 no fatal flag",     payment("status='-1' txn_id='' result-code='220'"), &["pay", "pay"], "succeeded"),
        ("-1, 241 no fatal flag",     payment("status='-1' txn_id='' result-code='241'"), &["pay"], "rejected(241)"),
        ("215 conflict",              payment("status='-1' txn_id='' result-code='215' fatal-error='true'"), &["pay"], "conflict(12345678)"),
        ("215 on a final status",     payment("status='60' txn_id='5' result-code='215' final-status='true'"), &["pay"], "conflict(12345678)"),
        ("215 on a declined status",  payment("status='150' txn_id='5' result-code='215' final-status='true' fatal-error='true'"), &["pay"], "conflict(12345678)"),
        ("0 awaiting confirmation",   payment("status='0' txn_id='5' final-status='false'"), &["pay", "status"], "succeeded"),
        ("50 accepted",               payment("status='50' txn_id='5' final-status='false'"), &["pay", "status"], "succeeded"),
        ("52 crediting",              payment("status='52' txn_id='5' final-status='false'"), &["pay", "status"], "succeeded"),
        ("55 processing",             payment("status='55' txn_id='5' final-status='false'"), &["pay", "status"], "succeeded"),
        ("77 undescribed",            payment("status='77' txn_id='5' final-status='false'"), &["pay", "status"], "succeeded"),
        ("60 final",                  payment("status='60' txn_id='5' result-code='0' final-status='true'"), &["pay"], "succeeded"),
        ("60 without final flag",     payment("status='60' txn_id='5'"), &["pay"], "succeeded"),
        ("60 but final-status false", payment("status='60' txn_id='5' final-status='false'"), &["pay", "status"], "succeeded"),
        ("final flag on status 50",   payment("status='50' txn_id='5' final-status='true'"), &["pay", "status"], "succeeded"),
        ("130 failed",                payment("status='130' txn_id='5' result-code='300' final-status='true' fatal-error='true'"), &["pay"], "failed(300)"),
        ("150 declined",              payment("status='150' txn_id='5' result-code='242' final-status='true'"), &["pay"], "failed(242)"),
        ("151 auth error",            payment("status='151' txn_id='5' result-code='316' final-status='true'"), &["pay"], "failed(316)"),
        ("160 cancelled",             payment("status='160' txn_id='5' final-status='true'"), &["pay"], "failed()"),
        ("130 but final-status false", payment("status='130' txn_id='5' final-status='false'"), &["pay", "status"], "succeeded"),
        // Another payment's answer (a misrouted one) says nothing of this one; an answer
        // without the number is not suspect.
        ("another number, 60 final",  other_payment("status='60' txn_id='5' final-status='true'"), &["pay", "status"], "succeeded"),
        ("another number, 160 final", other_payment("status='160' txn_id='5' final-status='true'"), &["pay", "status"], "succeeded"),
        ("another number, -1",        other_payment("status='-1' txn_id=''"), &["pay", "status"], "succeeded"),
        ("no number, 160 final",      xml("<response><payment status='160' txn_id='5' final-status='true'/></response>"), &["pay"], "failed()"),
        ("another number, refused",   xml(&format!("<response><result-code fatal='true'>150</result-code><payment transaction-number='{TXN}9' status='160'/></response>")), &["pay", "status"], "succeeded"),
    ];
    for (name, first, expected_requests, expected_outcome) in table {
        let (confirmation, kinds, sleeps) = run(vec![first, success()], &options()).await;
        assert_eq!(kinds, expected_requests, "{name}: requests");
        assert_eq!(
            describe(&confirmation.outcome),
            expected_outcome,
            "{name}: outcome"
        );
        assert_eq!(
            sleeps,
            vec![Duration::from_secs(600); expected_requests.len() - 1],
            "{name}: waits"
        );
        assert_eq!(
            confirmation.requests as usize,
            expected_requests.len(),
            "{name}"
        );
    }
}

/// What happens after the payment was sent: status answers.
#[tokio::test]
async fn pay_and_confirm_table_for_status_answers() {
    let in_progress = || payment("status='50' txn_id='5' final-status='false'");
    #[rustfmt::skip]
    let table: Vec<(&str, Vec<Reply>, &[&str], &str)> = vec![
        ("registered, then not found: keep checking",
         vec![in_progress(), not_found(), success()], &["pay", "status", "status"], "succeeded"),
        ("never seen, not found: send again",
         vec![Reply::Fail(TransportErrorKind::Reset), not_found(), success()], &["pay", "status", "pay"], "succeeded"),
        ("registered, then -1: keep checking (never resend)",
         vec![in_progress(), payment("status='-1' txn_id=''"), success()], &["pay", "status", "status"], "succeeded"),
        ("status check fails in transport: check again",
         vec![in_progress(), Reply::Fail(TransportErrorKind::Connect), success()], &["pay", "status", "status"], "succeeded"),
        ("status check 300: check again",
         vec![in_progress(), request_error(300, Some(false)), success()], &["pay", "status", "status"], "succeeded"),
        ("status check 150: stop",
         vec![in_progress(), request_error(150, Some(true))], &["pay", "status"], "stopped(authentication)"),
        ("a reset, then 150: the first pay may have been registered",
         vec![Reply::Fail(TransportErrorKind::Reset), request_error(150, Some(true))], &["pay", "status"], "stopped(authentication)"),
        ("-1, then 150 on the resend: nothing was registered",
         vec![payment("status='-1' txn_id=''"), request_error(150, Some(true))], &["pay", "pay"], "refused(authentication)"),
        ("in progress, then 215 on a status answer",
         vec![in_progress(), payment("status='150' txn_id='5' result-code='215' final-status='true'")], &["pay", "status"], "conflict(12345678)"),
        ("final failure on status",
         vec![in_progress(), payment("status='160' txn_id='5' result-code='300' final-status='true'")], &["pay", "status"], "failed(300)"),
        ("another payment's entry does not count",
         vec![in_progress(), xml("<response><result-code fatal='false'>0</result-code><payment transaction-number='1' status='60' txn_id='1' final-status='true'/></response>"), success()],
         &["pay", "status", "status"], "succeeded"),
    ];
    for (name, replies, expected_requests, expected_outcome) in table {
        let (confirmation, kinds, _) = run(replies, &options()).await;
        assert_eq!(kinds, expected_requests, "{name}: requests");
        assert_eq!(
            describe(&confirmation.outcome),
            expected_outcome,
            "{name}: outcome"
        );
    }
}

/// `pay` does not return another payment's answer as this one's: its fate is unknown, and the
/// answer is kept in the error.
#[tokio::test]
async fn pay_does_not_take_another_payments_answer_for_its_own() {
    let answer = "<response><payment transaction-number='1' status='60' txn_id='5' final-status='true'/></response>";
    let (client, transport, _) = scripted_client(vec![xml(answer)]);
    let error = client.pay(&payout()).await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(decode.path, "response.payment@transaction-number");
    assert_eq!(decode.body, answer.as_bytes());
    assert!(error.to_string().contains("another payment"), "{error}");
    assert_eq!(error.write_fate(), WriteFate::Unknown);
    assert_eq!(transport.count(), 1);
}

/// A `pay` answer is about this payment alone: another payment listed beside it, or an entry
/// without a number among several, leaves the fate unknown instead of being read as this one's.
#[tokio::test]
async fn a_pay_answer_listing_other_payments_leaves_the_fate_unknown() {
    let ours = format!("<payment transaction-number='{TXN}' status='60' final-status='true'/>");
    let failed = "status='160' result-code='300' final-status='true'";
    for entries in [
        format!("<payment {failed}/>{ours}"),
        format!("{ours}<payment transaction-number='{TXN}9' {failed}/>"),
    ] {
        let answer = format!("<response>{entries}</response>");
        let (client, transport, _) = scripted_client(vec![xml(&answer)]);
        let error = client.pay(&payout()).await.unwrap_err();
        assert!(matches!(error, Error::Decode(_)), "{entries}: {error:?}");
        assert_eq!(error.write_fate(), WriteFate::Unknown, "{entries}");
        assert_eq!(transport.count(), 1);
    }
    // Alone, an entry without a number is this payment's.
    let alone = format!("<response><payment {failed}/></response>");
    let (client, _, _) = scripted_client(vec![xml(&alone)]);
    assert!(client.pay(&payout()).await.unwrap().payment.is_some());
}

#[tokio::test]
async fn a_stopped_confirmation_keeps_what_was_last_seen() {
    let (confirmation, _, _) = run(
        vec![
            payment("status='50' txn_id='5' final-status='false'"),
            request_error(150, Some(true)),
        ],
        &options(),
    )
    .await;
    assert!(matches!(
        confirmation.outcome,
        Outcome::Stopped(ref error) if error.kind() == Some(RefusalKind::Authentication)
    ));
    assert_eq!(
        confirmation.payment.as_ref().map(|p| p.state()),
        Some(PaymentState::InProgress)
    );
    assert!(!confirmation.outcome.is_settled());
}

#[tokio::test]
async fn the_deadline_ends_with_pending_without_sleeping_for_real() {
    let in_progress = || payment("status='50' txn_id='5' final-status='false'");
    let options = ConfirmOptions::new()
        .interval(Duration::from_secs(600))
        .timeout(Duration::from_secs(1800));
    let (confirmation, kinds, sleeps) = run(
        vec![in_progress(), in_progress(), in_progress(), in_progress()],
        &options,
    )
    .await;
    // Requests at 0, 600, 1200 and 1800 s; another wait would pass the 1800 s limit.
    assert_eq!(kinds, ["pay", "status", "status", "status"]);
    assert_eq!(sleeps, vec![Duration::from_secs(600); 3]);
    assert_eq!(describe(&confirmation.outcome), "pending(Some(InProgress))");
    assert_eq!(confirmation.elapsed, Duration::from_secs(1800));
    assert_eq!(
        confirmation.outcome.to_string(),
        "not final yet (last seen: in progress); check its status later"
    );

    let (confirmation, kinds, _) = run(
        vec![Reply::Fail(TransportErrorKind::Reset), not_found()],
        &ConfirmOptions::new()
            .interval(Duration::from_secs(600))
            .timeout(Duration::from_secs(600)),
    )
    .await;
    assert_eq!(kinds, ["pay", "status"]);
    assert_eq!(describe(&confirmation.outcome), "pending(None)");
}

#[tokio::test]
async fn progress_is_reported_for_every_step() {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    let options = options().on_progress(move |p| sink.lock().unwrap().push(p.to_string()));
    let (confirmation, _, _) = run(
        vec![
            Reply::Fail(TransportErrorKind::Reset),
            not_found(),
            payment("status='52' txn_id='5' final-status='false'"),
            success(),
        ],
        &options,
    )
    .await;
    assert!(confirmation.outcome.is_success());
    assert_eq!(
        confirmation.payment.as_ref().unwrap().txn_id.as_deref(),
        Some("9")
    );
    let lines = lines.lock().unwrap().clone();
    assert_eq!(
        lines,
        [
            "payment 12345678 [0 s]: sending",
            "payment 12345678 [0 s]: status unknown: the connection to api.qiwi.com was closed before the answer was complete: scripted failure; try again; a write may or may not have taken effect",
            "payment 12345678 [0 s]: waiting 600 s, then: check the status",
            "payment 12345678 [600 s]: checking the status",
            "payment 12345678 [600 s]: not found by the status check",
            "payment 12345678 [600 s]: waiting 600 s, then: send the payment again",
            "payment 12345678 [1200 s]: sending again (same transaction number)",
            "payment 12345678 [1200 s]: in progress, status 52 (being credited to the client account)",
            "payment 12345678 [1200 s]: waiting 600 s, then: check the status",
            "payment 12345678 [1800 s]: checking the status",
            "payment 12345678 [1800 s]: succeeded, status 60 (processed successfully)",
        ]
    );
}

#[tokio::test]
async fn the_deposit_check_comes_first_when_asked() {
    let impossible = support::fixture("responses/deposit_spec_5_2_impossible_204.xml");
    let options = options().check_deposit_first(true);
    let (confirmation, kinds, _) = run(vec![xml(&impossible)], &options).await;
    assert_eq!(kinds, ["check"]);
    assert_eq!(confirmation.requests, 0);
    assert_eq!(
        confirmation.outcome.to_string(),
        "the wallet cannot be topped up: 204 (the wallet's identification status is insufficient for this payment)"
    );

    let possible = support::fixture("responses/deposit_spec_5_2_possible.xml");
    let (confirmation, kinds, _) = run(vec![xml(&possible), success()], &options).await;
    assert_eq!(kinds, ["check", "pay"]);
    assert!(confirmation.outcome.is_success());
}

#[tokio::test]
async fn nothing_is_sent_for_a_payout_that_cannot_be_encoded() {
    let (client, transport, _) = scripted_client(vec![]);
    let bad = Payout::new(
        TransactionNumber::parse(TXN).unwrap(),
        Recipient::Service {
            service_id: ServiceId::WALLET,
            account_number: "79181234567".into(),
            funds: None,
        },
        PayoutAmount::parse("1").unwrap(),
    )
    .unwrap()
    .with_to_currency(Some(Currency::parse("R<B")));
    let err = client.pay_and_confirm(&bad, &options()).await.unwrap_err();
    assert!(
        matches!(err, Error::NotSent(NotSentError::InvalidInput(_))),
        "{err}"
    );
    assert_eq!(transport.count(), 0);
    // Three letters, but no currency: refused before sending, not sent with money attached.
    for code in ["XYZ", "999"] {
        let unknown = payout().with_to_currency(Some(Currency::parse(code)));
        let err = client
            .pay_and_confirm(&unknown, &options())
            .await
            .unwrap_err();
        assert!(
            err.to_string()
                .contains(&format!("{code:?} is not an ISO-4217 currency code")),
            "{err}"
        );
        let unknown_source = payout().with_from_currency(Currency::parse(code));
        assert!(client.pay(&unknown_source).await.unwrap_err().is_not_sent());
    }
    assert_eq!(transport.count(), 0);
    // Answers still keep a code they do not know.
    let answer = wire::decode_pay(
        br#"<response><payment status='50' txn_id='1' transaction-number='1'><to><ccy>XYZ</ccy></to></payment></response>"#,
    )
    .unwrap();
    let to = answer.payment.unwrap().to.unwrap();
    assert_eq!(to.currency.unwrap().code(), "XYZ");
    let err = client
        .pay_and_confirm(&payout(), &options().interval(Duration::ZERO))
        .await
        .unwrap_err();
    assert!(err.is_not_sent());
    assert_eq!(transport.count(), 0);
}

#[tokio::test]
async fn a_foreign_card_payout_outside_rub_usd_eur_is_not_sent() {
    let (client, transport, _) = scripted_client(vec![]);
    let sender = qiwi_agent::Sender {
        first_name: "A".into(),
        last_name: "B".into(),
        address: "C".into(),
        city: "D".into(),
        country_code: "RU".into(),
        zip_code: "1".into(),
        resident: true,
        birthday: qiwi_agent::CalendarDate::new(1990, 1, 1).unwrap(),
    };
    let foreign = Payout::new(
        TransactionNumber::parse(TXN).unwrap(),
        Recipient::ForeignCard {
            card: qiwi_agent::CardNumber::parse("4265111122334417").unwrap(),
            holder: "B A".into(),
            sender,
            comment: None,
        },
        PayoutAmount::parse("1").unwrap(),
    )
    .unwrap();
    for currency in [Some(Currency::KZT), None] {
        let err = client
            .pay(&foreign.clone().with_to_currency(currency))
            .await
            .unwrap_err();
        assert!(err.is_not_sent(), "{err}");
        assert!(err.to_string().contains("RUB, USD or EUR"), "{err}");
    }
    assert_eq!(transport.count(), 0);
}

#[tokio::test]
async fn a_payout_that_could_not_connect_was_not_sent() {
    let (client, transport, clock) =
        support::scripted_client(vec![Reply::Fail(TransportErrorKind::Connect)]);
    let err = client
        .pay_and_confirm(&payout(), &options())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Transport(_)) && err.is_not_sent(),
        "{err}"
    );
    assert_eq!(transport.count(), 1);
    assert!(
        clock.sleeps().is_empty(),
        "no wait for a payment never sent"
    );
}

#[tokio::test]
async fn a_number_reused_with_other_details_is_refused_before_sending() {
    let (client, transport, _) = support::scripted_client(vec![success(), success()]);
    client.pay(&payout()).await.unwrap();
    let other_amount: Payout = Payout::new(
        TransactionNumber::parse(TXN).unwrap(),
        Recipient::Wallet {
            wallet: "79181234567".parse().unwrap(),
            funds: FundsSource::NonCash,
            comment: None,
        },
        PayoutAmount::parse("100.01").unwrap(),
    )
    .unwrap();
    let err = client.clone().pay(&other_amount).await.unwrap_err();
    assert!(err.is_not_sent(), "{err}");
    assert_eq!(
        err.to_string(),
        "invalid input, nothing was sent: transaction number 12345678 was already sent by this client for a payout with another amount; a number identifies one payment: send this payout under a new number, or the first one unchanged"
    );
    let other_recipient = Payout::new(
        TransactionNumber::parse(TXN).unwrap(),
        Recipient::Service {
            service_id: ServiceId::WALLET,
            account_number: "79181234500".into(),
            funds: None,
        },
        PayoutAmount::parse("100.00").unwrap(),
    )
    .unwrap();
    let err = client
        .pay_and_confirm(&other_recipient, &options())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("another recipient"), "{err}");
    assert_eq!(transport.count(), 1, "neither reuse was sent");

    // The same payout again is a resend, as the protocol intends.
    client.pay(&payout()).await.unwrap();
    assert_eq!(transport.count(), 2);
}

/// The card of a payout by phone, and the phone of a mobile top-up, are not in the account
/// number: a number reused for another card or phone is refused all the same, since a resend
/// is answered with the first payment's fate.
#[tokio::test]
async fn a_number_reused_for_another_card_or_phone_is_refused_before_sending() {
    let by_phone = |card: &str| {
        Payout::new(
            TransactionNumber::parse(TXN).unwrap(),
            Recipient::CardByPhone {
                phone: "79991112233".parse().unwrap(),
                card: CardNumber::parse(card).unwrap(),
            },
            PayoutAmount::parse("100.00").unwrap(),
        )
        .unwrap()
    };
    let (client, transport, _) = support::scripted_client(vec![success(), success()]);
    client.pay(&by_phone("4265111122334417")).await.unwrap();
    let err = client.pay(&by_phone("4111111111111111")).await.unwrap_err();
    assert!(err.is_not_sent(), "{err}");
    assert!(err.to_string().contains("another recipient"), "{err}");
    assert_eq!(transport.count(), 1);

    let mobile = |local_phone: &str| {
        Payout::new(
            TransactionNumber::parse("87654321").unwrap(),
            Recipient::Mobile {
                wallet: "79881110000".parse().unwrap(),
                provider_id: 2,
                local_phone: local_phone.into(),
                charged: None,
            },
            PayoutAmount::parse("100.00").unwrap(),
        )
        .unwrap()
    };
    let answer = "<response><result-code fatal='false'>0</result-code><payment transaction-number='87654321' status='50' txn_id='1' final-status='false'/></response>";
    let (client, transport, _) = support::scripted_client(vec![xml(answer), xml(answer)]);
    client.pay(&mobile("9881110000")).await.unwrap();
    let err = client.pay(&mobile("9881119999")).await.unwrap_err();
    assert!(err.to_string().contains("another recipient"), "{err}");
    // The first payout unchanged is a resend.
    client.pay(&mobile("9881110000")).await.unwrap();
    assert_eq!(transport.count(), 2);
}

#[test]
fn every_outcome_says_whether_money_moved() {
    use qiwi_agent::Fate::*;
    let error = || Error::invalid_input("x");
    let number = TransactionNumber::parse(TXN).unwrap();
    let table: Vec<(Outcome, qiwi_agent::Fate, Option<bool>)> = vec![
        (Outcome::Succeeded, Paid, Some(true)),
        (Outcome::Failed { reason: None }, NotPaid, Some(false)),
        (Outcome::Rejected { reason: None }, NotPaid, Some(false)),
        (Outcome::Refused(error()), NotPaid, Some(false)),
        (
            Outcome::Conflict {
                transaction_number: number,
            },
            Unknown,
            None,
        ),
        (Outcome::Stopped(error()), Unknown, None),
        (Outcome::Pending { last_state: None }, Unknown, None),
    ];
    for (outcome, fate, moved) in table {
        assert_eq!(outcome.fate(), fate, "{outcome}");
        assert_eq!(fate.money_moved(), moved, "{outcome}");
        assert_eq!(outcome.is_settled(), moved.is_some(), "{outcome}");
    }
}

#[tokio::test]
async fn a_payout_in_any_currency_in_circulation_is_sent() {
    for code in ["MXN", "BHD", "XOF"] {
        let (client, transport, _) = scripted_client(vec![success()]);
        let payout = payout().with_from_currency(Currency::parse(code));
        client.pay(&payout).await.unwrap();
        let requests = transport.requests();
        assert_eq!(requests.len(), 1, "{code}");
        let body = String::from_utf8_lossy(&requests[0].body).into_owned();
        assert!(body.contains(code), "{code}: {body}");
    }
}

/// A refusal naming another transaction number is another payment's answer too: it does not
/// say that this payment was not made.
#[tokio::test]
async fn a_refusal_naming_another_payment_leaves_the_fate_unknown() {
    let answer = format!(
        "<response><result-code fatal='true'>150</result-code><payment transaction-number='{TXN}9' status='160' final-status='true'/></response>"
    );
    let (client, _, _) = scripted_client(vec![xml(&answer)]);
    let error = client.pay(&payout()).await.unwrap_err();
    assert_eq!(error.write_fate(), WriteFate::Unknown, "{error:?}");
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
}

/// A status answer listing this payment twice, failed then paid, says nothing sure: the run
/// keeps checking instead of reporting the money as not moved on the first entry's word.
#[tokio::test]
async fn a_payment_listed_twice_with_different_statuses_settles_nothing() {
    let twice = xml(&format!(
        "<response><result-code fatal='false'>0</result-code>\
         <payment transaction-number='{TXN}' status='160' txn_id='5' result-code='300' final-status='true'/>\
         <payment transaction-number='{TXN}' status='60' txn_id='5' result-code='0' final-status='true'/>\
         </response>"
    ));
    let in_progress = payment("status='50' txn_id='5' final-status='false'");
    let (confirmation, kinds, _) = run(vec![in_progress, twice, success()], &options()).await;
    assert_eq!(kinds, ["pay", "status", "status"]);
    assert_eq!(describe(&confirmation.outcome), "succeeded");

    let answer = format!(
        "<response><payment transaction-number='{TXN}' status='160' result-code='300' final-status='true'/>\
         <payment transaction-number='{TXN}' status='60' final-status='true'/></response>"
    );
    let (client, transport, _) = scripted_client(vec![xml(&answer)]);
    let error = client.pay(&payout()).await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(decode.path, "response.payment[1]");
    assert_eq!(error.write_fate(), WriteFate::Unknown);
    assert_eq!(transport.count(), 1);

    // The same entry repeated is one payment.
    let repeated = format!(
        "<response><payment transaction-number='{TXN}' status='60' final-status='true'/>\
         <payment transaction-number='{TXN}' status='60' final-status='true'/></response>"
    );
    let status = wire::decode_status(repeated.as_bytes()).unwrap();
    assert_eq!(status.payments.len(), 2);
}
