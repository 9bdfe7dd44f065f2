//! `qiwi balances`: every balance from every configured source in one table.
//!
//! Sources are asked concurrently, each Treezor wallet on its own. A source that fails does not
//! hide the others: its balances are missing from the table and its error is printed once on
//! stderr. When something was shown the exit code is 9 (partial failure); when every source
//! failed it is that of the first failure.

use balances_core::{Balance, BalancesQuery, UserId, WalletId};
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
    /// The `kind` and `exit_code` this failure alone would have (`docs/cli.md`).
    kind: &'static str,
    exit_code: u8,
    message: String,
}

/// What one source gave: one result per part asked for (a Treezor wallet each; one for the
/// other sources), none when the source is not configured.
type Parts = Vec<Result<Vec<Row>, Failure>>;

/// Runs `qiwi balances`.
pub async fn run(ctx: &Context, out: Output) -> Result<(), Failure> {
    let (wallet_parts, agent_parts, treezor_parts) = tokio::join!(
        source(ctx.wallet_configured(), async {
            vec![wallet_rows(ctx).await]
        }),
        source(ctx.agent_configured(), async {
            vec![agent::balance_rows(ctx).await]
        }),
        source(ctx.treezor_configured(), treezor_parts(ctx)),
    );
    let mut report = Report {
        balances: Vec::new(),
        errors: Vec::new(),
    };
    let mut answered = 0usize;
    let mut failures = Vec::new();
    for (name, parts) in [
        ("qiwi-wallet", wallet_parts),
        ("qiwi-agent", agent_parts),
        ("treezor", treezor_parts),
    ] {
        for part in parts {
            match part {
                Ok(rows) => {
                    answered += 1;
                    report.balances.extend(rows);
                }
                Err(failure) => {
                    let failure = failure.context(name);
                    report.errors.push(SourceError {
                        source: name,
                        kind: failure.kind(),
                        exit_code: failure.code(),
                        message: failure.to_string(),
                    });
                    failures.push(failure);
                }
            }
        }
    }
    out.emit("report", &report, || table(&report.balances))?;
    let mut failures = failures.into_iter();
    let Some(first) = failures.next() else {
        return Ok(());
    };
    let failed = 1 + failures.len();
    if out.json {
        // Each failure is in the document's `errors`; stderr gets the summary object only.
        let summary = format!(
            "{failed} of {} balance sources failed (see `errors`)",
            failed + answered
        );
        return Err(if answered == 0 {
            first.with_message(summary)
        } else {
            Failure::Partial(format!("incomplete: {summary}; the others are shown"))
        });
    }
    if answered == 0 {
        // Nothing to show: the first failure is the command's, printed by `main`.
        failures.for_each(|failure| notice(&format!("qiwi: {failure}")));
        return Err(first);
    }
    for failure in std::iter::once(first).chain(failures) {
        notice(&format!("qiwi: {failure}"));
    }
    Err(Failure::Partial(format!(
        "incomplete: {failed} of {} balance sources failed (above); the others are shown",
        failed + answered
    )))
}

async fn source(configured: bool, parts: impl std::future::Future<Output = Parts>) -> Parts {
    if configured { parts.await } else { Vec::new() }
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

async fn treezor_parts(ctx: &Context) -> Parts {
    let setup = treezor::client(ctx).and_then(|client| Ok((client, treezor_queries(ctx)?)));
    let (client, queries) = match setup {
        Ok(setup) => setup,
        Err(failure) => return vec![Err(failure)],
    };
    let mut parts = Vec::with_capacity(queries.len());
    for query in queries {
        let balances = client.balances(query).await;
        if balances.as_ref().is_ok_and(Vec::is_empty) {
            notice(&format!("qiwi: treezor: {query} has no wallet"));
        }
        parts.push(balances.map(|b| treezor_rows(&b)).map_err(Failure::from));
    }
    parts
}

/// Each Treezor wallet configured, or the one user.
fn treezor_queries(ctx: &Context) -> Result<Vec<BalancesQuery>, Failure> {
    let config = ctx.config();
    if !config.treezor_wallet_ids.is_empty() {
        config
            .treezor_wallet_ids
            .iter()
            .map(|id| {
                WalletId::parse(id).map(BalancesQuery::Wallet).map_err(|_| {
                    bad_setting(
                        "treezor-wallet-ids",
                        "TREEZOR_WALLET_IDS",
                        "wallet ids: numbers, comma-separated",
                    )
                })
            })
            .collect()
    } else if let Some(user) = &config.treezor_user_id {
        let user = UserId::parse(user).map_err(|_| {
            bad_setting("treezor-user-id", "TREEZOR_USER_ID", "a user id: a number")
        })?;
        Ok(vec![BalancesQuery::User(user)])
    } else {
        Err(Failure::Usage(
            "no Treezor wallet to show: set TREEZOR_WALLET_IDS (comma-separated) or TREEZOR_USER_ID".into(),
        ))
    }
}

fn treezor_rows(balances: &[Balance]) -> Vec<Row> {
    balances
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
        .collect()
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
