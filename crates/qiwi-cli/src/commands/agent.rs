//! `qiwi agent ...`: the QIWI top-up agent XML protocol.

use qiwi_agent::{AgentClient, Balances, Payment, StatusQuery, TransactionNumber};
use qiwi_types::WalletNumber;

use crate::cli::AgentCommand;
use crate::commands::balances::Row;
use crate::context::{Context, bad_setting, required, required_secret, url_setting};
use crate::failure::Failure;
use crate::output::Output;
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
        builder = builder.base_url(url.as_str()).allow_http(allow_http);
    }
    if let Some(transport) = ctx.transport()? {
        builder = builder.transport(transport);
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
            out.emit("balances", &balances, || balances_table(&balances))
        }
        AgentCommand::CheckUser { phone } => {
            let wallet = parse_wallet(&phone)?;
            let check = client.check_user(&wallet, None).await?;
            out.emit("check", &check, || {
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
        AgentCommand::Pay(args) => {
            super::agent_pay::run(&client, ctx.config().agent_url.as_deref(), out, args).await
        }
        AgentCommand::Status {
            account,
            transactions,
        } => {
            if account.is_empty() || !account.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Failure::Usage(
                    "--account must be the recipient's account number: digits only (for a wallet top-up, the wallet's phone number, e.g. 79111234567)".into(),
                ));
            }
            let numbers = transactions
                .iter()
                .map(|t| TransactionNumber::parse(t))
                .collect::<Result<Vec<_>, _>>()?;
            let queries = numbers
                .iter()
                .map(|n| StatusQuery::new(n.clone(), account.as_str()))
                .collect::<Result<Vec<_>, _>>()?;
            let status = client.status_many(&queries).await?;
            let missing: Vec<String> = numbers
                .iter()
                .filter(|n| {
                    !status
                        .payments
                        .iter()
                        .any(|p| p.transaction_number.as_ref() == Some(*n))
                })
                .map(ToString::to_string)
                .collect();
            if missing.len() == numbers.len() {
                return Err(Failure::Service(format!(
                    "not found: the service knows no payment {} to account {account}; check the number and the account it was sent to",
                    missing.join(", ")
                )));
            }
            out.emit("payments", &status, || payments_table(&status.payments))?;
            if missing.is_empty() {
                Ok(())
            } else {
                Err(Failure::Partial(format!(
                    "incomplete: not found: the service knows no payment {} to account {account}; the others are shown",
                    missing.join(", ")
                )))
            }
        }
    }
}

pub(crate) fn parse_wallet(text: &str) -> Result<WalletNumber, Failure> {
    WalletNumber::parse(text)
        .map_err(|e| Failure::Usage(format!("wallet {text:?}: {}", e.reason())))
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
