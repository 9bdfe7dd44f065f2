//! `qiwi balances`: every balance from every configured source in one table.
//!
//! Sources are asked concurrently. A source that fails does not hide the others: its balances
//! are missing from the table, its error is printed on stderr, and the exit code is that of the
//! first failure.

use serde::Serialize;

use crate::commands::{agent, treezor, wallet};
use crate::context::{Context, bad_setting};
use crate::failure::Failure;
use crate::output::{Output, notice};
use crate::table::{Align, Table};

/// One balance in the combined table. Amounts are exact decimal strings.
#[derive(Debug, Serialize)]
pub struct Row {
    /// `qiwi-wallet`, `qiwi-agent` or `treezor`.
    pub source: &'static str,
    /// The account: a QIWI account alias, `terminal <id>`, or `wallet <id>`.
    pub account: String,
    /// The balance, `null` when the service did not report it.
    pub balance: Option<String>,
    /// What can be spent now, where the source says (Treezor: balance minus authorizations).
    pub available: Option<String>,
    /// The currency code (alphabetic when known).
    pub currency: String,
    /// Anything else worth knowing (`default`, pending authorizations, balance unknown).
    pub note: String,
}

/// The `--json` document.
#[derive(Debug, Serialize)]
struct Report {
    balances: Vec<Row>,
    errors: Vec<SourceError>,
}

#[derive(Debug, Serialize)]
struct SourceError {
    source: &'static str,
    message: String,
}

/// Runs `qiwi balances`.
pub async fn run(ctx: &Context, out: Output) -> Result<(), Failure> {
    let (wallet_rows, agent_rows, treezor_rows) = tokio::join!(
        source(ctx.wallet_configured(), wallet_rows(ctx)),
        source(ctx.agent_configured(), agent::balance_rows(ctx)),
        source(ctx.treezor_configured(), treezor_rows(ctx)),
    );
    let mut report = Report {
        balances: Vec::new(),
        errors: Vec::new(),
    };
    let mut first_failure = None;
    for (name, result) in [
        ("qiwi-wallet", wallet_rows),
        ("qiwi-agent", agent_rows),
        ("treezor", treezor_rows),
    ] {
        match result {
            Ok(rows) => report.balances.extend(rows),
            Err(failure) => {
                let failure = failure.context(name);
                notice(&format!("qiwi: {failure}"));
                report.errors.push(SourceError {
                    source: name,
                    message: failure.to_string(),
                });
                first_failure.get_or_insert(failure);
            }
        }
    }
    out.emit(&report, || table(&report.balances))?;
    first_failure.map_or(Ok(()), Err)
}

async fn source(
    configured: bool,
    rows: impl std::future::Future<Output = Result<Vec<Row>, Failure>>,
) -> Result<Vec<Row>, Failure> {
    if configured {
        rows.await
    } else {
        Ok(Vec::new())
    }
}

async fn wallet_rows(ctx: &Context) -> Result<Vec<Row>, Failure> {
    let accounts = wallet::client(ctx)?.list_accounts().await?;
    Ok(accounts
        .accounts
        .iter()
        .map(|account| {
            let money = account.balance.money();
            let note = match (account.is_default(), account.balance.is_unknown()) {
                (true, true) => "default; balance not reported",
                (true, false) => "default",
                (false, true) => "balance not reported",
                (false, false) => "",
            };
            Row {
                source: "qiwi-wallet",
                account: account.alias.to_string(),
                balance: money.map(|m| m.amount.to_string()),
                available: None,
                currency: money.map_or(&account.currency, |m| &m.currency).to_string(),
                note: note.into(),
            }
        })
        .collect())
}

async fn treezor_rows(ctx: &Context) -> Result<Vec<Row>, Failure> {
    let client = treezor::client(ctx)?;
    let config = ctx.config();
    let balances = if !config.treezor_wallet_ids.is_empty() {
        let ids = config
            .treezor_wallet_ids
            .iter()
            .map(|id| {
                balances_core::WalletId::parse(id).map_err(|_| {
                    bad_setting(
                        "treezor-wallet-ids",
                        "TREEZOR_WALLET_IDS",
                        "wallet ids: numbers, comma-separated",
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        client.wallet_balances(&ids).await?
    } else if let Some(user) = &config.treezor_user_id {
        let user = balances_core::UserId::parse(user).map_err(|_| {
            bad_setting("treezor-user-id", "TREEZOR_USER_ID", "a user id: a number")
        })?;
        client.user_balances(user).await?
    } else {
        return Err(Failure::Usage(
            "no Treezor wallet to show: set TREEZOR_WALLET_IDS (comma-separated) or TREEZOR_USER_ID".into(),
        ));
    };
    Ok(balances
        .iter()
        .map(|b| Row {
            source: "treezor",
            account: format!("wallet {}", b.wallet_id),
            balance: b.current_balance.map(|v| v.to_string()),
            available: b.authorized_balance.map(|v| v.to_string()),
            currency: b.currency.to_string(),
            note: match b.authorizations {
                Some(pending) if !pending.is_zero() => format!("{pending} pending authorizations"),
                _ => String::new(),
            },
        })
        .collect())
}

fn table(rows: &[Row]) -> Table {
    let mut t = Table::new(&[
        ("SOURCE", Align::Left),
        ("ACCOUNT", Align::Left),
        ("BALANCE", Align::Right),
        ("AVAILABLE", Align::Right),
        ("CURRENCY", Align::Left),
        ("NOTE", Align::Left),
    ]);
    for row in rows {
        t.row(vec![
            row.source.into(),
            row.account.clone(),
            row.balance.clone().unwrap_or_else(|| "-".into()),
            row.available.clone().unwrap_or_default(),
            row.currency.clone(),
            row.note.clone(),
        ]);
    }
    t
}
