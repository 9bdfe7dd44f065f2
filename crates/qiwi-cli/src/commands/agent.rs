//! `qiwi agent ...`: the QIWI top-up agent XML protocol.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use qiwi_agent::payout::WalletTopUp;
use qiwi_agent::{
    AgentClient, Balances, ConfirmOptions, FundsSource, Outcome, Payment, PayoutAmount,
    StatusQuery, TransactionNumber,
};
use qiwi_types::{Currency, WalletNumber};
use serde::Serialize;

use crate::cli::AgentCommand;
use crate::commands::balances::Row;
use crate::context::{Context, bad_setting, required, required_secret, url_setting};
use crate::failure::Failure;
use crate::output::{Output, notice};
use crate::table::{Align, Table};

/// An agent client from the context's settings.
pub fn client(ctx: &Context) -> Result<AgentClient, Failure> {
    let config = ctx.config();
    let terminal = required(
        &config.agent_terminal,
        "agent-terminal",
        "QIWI_AGENT_TERMINAL",
    )?;
    let terminal: u64 = terminal.trim().parse().map_err(|_| {
        bad_setting(
            "agent-terminal",
            "QIWI_AGENT_TERMINAL",
            "a number (the terminal id)",
        )
    })?;
    let password = required_secret(
        &config.agent_password,
        "agent-password",
        "QIWI_AGENT_PASSWORD",
    )?;
    let mut builder = AgentClient::builder()
        .terminal_id(terminal)
        .password(password);
    if let Some(url) = &config.agent_url {
        let allow_http = url_setting(url, "agent-url", "QIWI_AGENT_URL")?;
        builder = builder.endpoint(url.as_str()).allow_http(allow_http);
    }
    Ok(builder.build()?)
}

/// The agent's balances as rows of the combined table.
pub async fn balance_rows(ctx: &Context) -> Result<Vec<Row>, Failure> {
    let client = client(ctx)?;
    let balances = client.ping().await?;
    let account = format!("terminal {}", client.terminal_id());
    Ok(balances
        .iter()
        .map(|b| Row {
            source: "qiwi-agent",
            account: account.clone(),
            balance: Some(b.amount.to_string()),
            available: None,
            currency: b.currency.to_string(),
            note: String::new(),
        })
        .collect())
}

/// Runs one agent command.
pub async fn run(ctx: &Context, out: Output, command: AgentCommand) -> Result<(), Failure> {
    let client = client(ctx)?;
    match command {
        AgentCommand::Ping => {
            let balances = client.ping().await?;
            out.emit(&balances, || balances_table(&balances))
        }
        AgentCommand::CheckUser { phone } => {
            let wallet = parse_wallet(&phone)?;
            let check = client.check_user(&wallet, None).await?;
            out.emit(&check, || {
                let mut t = Table::new(&[("WALLET", Align::Left), ("EXISTS", Align::Left)]);
                let exists = match check.exists {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "unknown",
                };
                t.row(vec![wallet.to_string(), exists.into()]);
                t
            })
        }
        AgentCommand::Pay {
            wallet,
            amount,
            currency,
            transaction,
            wait,
            interval,
        } => {
            let wallet = parse_wallet(&wallet)?;
            let amount = PayoutAmount::parse(&amount)?;
            let transaction = match transaction {
                Some(t) => TransactionNumber::parse(&t)?,
                None => fresh_transaction_number()?,
            };
            let payout = WalletTopUp::new(transaction, wallet, amount, FundsSource::NonCash)
                .currency(Currency::parse(&currency));
            let interval = interval.unwrap_or(if ctx.is_sandbox() { 1 } else { 600 });
            let options = ConfirmOptions::new()
                .interval(Duration::from_secs(interval))
                .timeout(Duration::from_secs(wait))
                .on_progress(|progress| notice(&progress.to_string()));
            let confirmation = client.pay_and_confirm(&payout.into(), &options).await?;
            let report = PayReport {
                transaction: confirmation.transaction_number.to_string(),
                outcome: confirmation.outcome.to_string(),
                succeeded: confirmation.outcome.is_success(),
                payment: confirmation.payment.clone(),
            };
            out.emit(&report, || {
                let mut t = Table::new(&[
                    ("TRANSACTION", Align::Left),
                    ("OUTCOME", Align::Left),
                    ("TXN ID", Align::Left),
                ]);
                let txn_id = report.payment.as_ref().and_then(|p| p.txn_id.clone());
                t.row(vec![
                    report.transaction.clone(),
                    report.outcome.clone(),
                    txn_id.unwrap_or_default(),
                ]);
                t
            })?;
            match confirmation.outcome {
                Outcome::Succeeded => Ok(()),
                Outcome::Pending { .. } => {
                    notice(&format!(
                        "payment {} is not final yet; check it later with `qiwi agent status`, or send it again with --transaction {}",
                        report.transaction, report.transaction
                    ));
                    Ok(())
                }
                Outcome::Stopped(error) => Err(Failure::from(error).context("payment")),
                other => Err(Failure::Service(format!(
                    "payment {}: {other}",
                    report.transaction
                ))),
            }
        }
        AgentCommand::Status {
            account,
            transactions,
        } => {
            let queries = transactions
                .iter()
                .map(|t| {
                    Ok(StatusQuery::new(
                        TransactionNumber::parse(t)?,
                        account.as_str(),
                    )?)
                })
                .collect::<Result<Vec<_>, Failure>>()?;
            let status = client.status_many(&queries).await?;
            out.emit(&status, || payments_table(&status.payments))
        }
    }
}

/// The `--json` form of `qiwi agent pay`.
#[derive(Debug, Serialize)]
struct PayReport {
    transaction: String,
    outcome: String,
    succeeded: bool,
    payment: Option<Payment>,
}

fn parse_wallet(text: &str) -> Result<WalletNumber, Failure> {
    WalletNumber::parse(text).map_err(|e| Failure::Usage(format!("wallet {text:?}: {e}")))
}

/// A transaction number from the clock: unique per millisecond, increasing, and printed so the
/// payment can be checked or sent again with `--transaction`.
fn fresh_transaction_number() -> Result<TransactionNumber, Failure> {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|e| Failure::Other(format!("the system clock is before 1970: {e}")))?
        .as_millis();
    Ok(TransactionNumber::from_u128(millis)?)
}

fn balances_table(balances: &Balances) -> Table {
    let mut t = Table::new(&[("CURRENCY", Align::Left), ("BALANCE", Align::Right)]);
    for b in balances.iter() {
        t.row(vec![b.currency.to_string(), b.amount.to_string()]);
    }
    t
}

fn payments_table(payments: &[Payment]) -> Table {
    let mut t = Table::new(&[
        ("TRANSACTION", Align::Left),
        ("STATE", Align::Left),
        ("STATUS", Align::Left),
        ("RESULT", Align::Left),
        ("TXN ID", Align::Left),
    ]);
    for p in payments {
        t.row(vec![
            p.transaction_number
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            p.state().to_string(),
            p.status
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            p.result_code
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            p.txn_id.clone().unwrap_or_default(),
        ]);
    }
    t
}
