//! `qiwi agent pay`: one wallet top-up followed to its end. The exit code and the report's
//! `outcome` say the same thing: paid (0), not paid (7), unknown or still pending (8).

use std::sync::Arc;
use std::time::Duration;

use qiwi_agent::{
    AgentClient, ConfirmOptions, Fate, FundsSource, Outcome, Payment, Payout, PayoutAmount,
    Recipient, TransactionNumber,
};
use qiwi_transport::{BaseUrl, Executor, Method, Request, ReqwestTransport, RetryPolicy, Timeouts};
use qiwi_types::Currency;
use serde::Serialize;

use crate::cli::PayArgs;
use crate::commands::agent::parse_wallet;
use crate::context::allow_http_for;
use crate::failure::Failure;
use crate::output::{Output, notice};
use crate::table::{Align, Table};

/// The protocol's minimum spacing of status checks for one payment.
const PROTOCOL_INTERVAL: Duration = Duration::from_secs(600);
/// The spacing against a qiwi sandbox, whose payments settle in seconds.
const SANDBOX_INTERVAL: Duration = Duration::from_secs(1);

/// The `--json` form, and what the table and the exit code are made from.
#[derive(Debug, Serialize)]
struct PayReport {
    transaction: String,
    /// `paid`, `not_paid` or `unknown`.
    outcome: Fate,
    /// `true`, `false`, or `null` when not known.
    money_moved: Option<bool>,
    /// How it ended: `succeeded`, `failed`, `rejected`, `conflict`, `refused`, `stopped`,
    /// `pending`, or `not_sent`.
    result: &'static str,
    /// One sentence: what happened and what to do; also the last line on stderr.
    message: String,
    payment: Option<Payment>,
}

/// Runs `qiwi agent pay`.
pub async fn run(
    client: &AgentClient,
    agent_url: Option<&str>,
    out: Output,
    args: PayArgs,
) -> Result<(), Failure> {
    let wallet = parse_wallet(&args.wallet)?;
    if args.amount.trim_start().starts_with('-') {
        return Err(Failure::Usage(
            "--amount must be positive: a payment cannot take money back".into(),
        ));
    }
    let amount = PayoutAmount::parse(&args.amount)?;
    let number = match &args.transaction {
        Some(text) => TransactionNumber::parse(text)?,
        None => TransactionNumber::generate(),
    };
    let payout = Payout::new(
        number.clone(),
        Recipient::Wallet {
            wallet: wallet.clone(),
            funds: FundsSource::NonCash,
            comment: None,
        },
        amount,
    )?
    .with_to_currency(Some(Currency::parse(&args.currency)));
    let interval = match args.interval {
        Some(seconds) => Duration::from_secs(seconds),
        None => default_interval(agent_url).await,
    };
    let options = ConfirmOptions::new()
        .interval(interval)
        .timeout(Duration::from_secs(args.wait))
        .on_progress(|progress| notice(&progress.to_string()));
    let account = wallet.as_str();
    let report = match client.pay_and_confirm(&payout, &options).await {
        Ok(confirmation) => PayReport {
            transaction: number.to_string(),
            outcome: confirmation.outcome.fate(),
            money_moved: confirmation.outcome.fate().money_moved(),
            result: confirmation.outcome.name(),
            message: message(&number, account, &confirmation.outcome),
            payment: confirmation.payment,
        },
        // Bad input or configuration: a usage error, reported as such.
        Err(error @ qiwi_agent::Error::NotSent(_)) => {
            return Err(error.into());
        }
        Err(error) => PayReport {
            transaction: number.to_string(),
            outcome: Fate::NotPaid,
            money_moved: Some(false),
            result: "not_sent",
            message: format!(
                "payment {number} was not made, nothing was sent: {error}; send it again with --transaction {number}"
            ),
            payment: None,
        },
    };
    out.emit("report", &report, || report_table(&report))?;
    match report.outcome {
        Fate::Paid => Ok(()),
        Fate::NotPaid => Err(Failure::NotPaid(report.message)),
        _ => Err(Failure::PaymentUnknown(report.message)),
    }
}

/// What happened and what to do next, in one sentence.
fn message(number: &TransactionNumber, account: &str, outcome: &Outcome) -> String {
    match (outcome.fate(), outcome) {
        (Fate::Paid, _) => format!("payment {number} {outcome}"),
        (Fate::NotPaid, _) => format!("payment {number} was not made: {outcome}"),
        (_, Outcome::Conflict { .. }) => format!(
            "payment {number}: {outcome} (`qiwi agent status --account <its recipient> {number}`)"
        ),
        _ => format!(
            "payment {number}: {outcome}; before paying again, check it with `qiwi agent status --account {account} {number}` or run this command again with --transaction {number} (the same payment, never a second one)"
        ),
    }
}

fn report_table(report: &PayReport) -> Table {
    let mut t = Table::new(&[
        ("TRANSACTION", Align::Left),
        ("OUTCOME", Align::Left),
        ("RESULT", Align::Left),
        ("TXN ID", Align::Left),
    ]);
    let outcome = match report.outcome {
        Fate::Paid => "paid",
        Fate::NotPaid => "not paid",
        _ => "unknown",
    };
    let txn_id = report.payment.as_ref().and_then(|p| p.txn_id.clone());
    t.row(vec![
        report.transaction.clone(),
        outcome.into(),
        report.result.into(),
        txn_id.unwrap_or_default(),
    ]);
    t
}

/// The spacing of status checks when `--interval` is not given: the protocol's ten minutes,
/// unless the endpoint says it is a qiwi sandbox. Only a loopback `http://` endpoint is asked,
/// so a real service never sees the question and is never polled faster than it allows.
async fn default_interval(agent_url: Option<&str>) -> Duration {
    let loopback = |url| allow_http_for(url, "QIWI_AGENT_URL").is_ok_and(|plain| plain);
    let interval = match agent_url {
        Some(url) if loopback(url) && announces_sandbox(url).await => SANDBOX_INTERVAL,
        _ => PROTOCOL_INTERVAL,
    };
    notice(&format!(
        "checking the payment's status every {} s (--interval to change)",
        interval.as_secs()
    ));
    interval
}

/// Whether the server behind `agent_url` answers `GET /__sandbox/about` as a qiwi sandbox.
async fn announces_sandbox(agent_url: &str) -> bool {
    let (Ok(base), Ok(transport)) = (
        BaseUrl::parse_allowing_http(agent_url),
        ReqwestTransport::new(),
    ) else {
        return false;
    };
    let mut url = base.as_url().clone();
    url.set_path("/__sandbox/about");
    let executor = Executor::new(Arc::new(transport))
        .with_retry(RetryPolicy::never())
        .with_timeouts(Timeouts {
            attempt: Duration::from_secs(2),
            total: Duration::from_secs(2),
        });
    match executor
        .send(&Request::new(Method::GET, url, "/__sandbox/about"))
        .await
    {
        Ok(response) => serde_json::from_slice::<serde_json::Value>(&response.body)
            .is_ok_and(|about| about["sandbox"] == "qiwi-sandbox"),
        Err(_) => false,
    }
}
