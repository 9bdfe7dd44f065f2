//! `qiwi treezor ...`: Treezor balances and balance history.

use balances_core::{Balance, BalanceHistory, BalancesClient, HistoryRange, UserId, WalletId};
use qiwi_types::Decimal;

use crate::chart;
use crate::cli::TreezorCommand;
use crate::context::{Context, required, required_secret, url_setting};
use crate::failure::Failure;
use crate::output::Output;
use crate::table::{Align, Table};

/// A Treezor client from the context's settings.
pub fn client(ctx: &Context) -> Result<BalancesClient, Failure> {
    let config = ctx.config();
    let base = required(
        &config.treezor_base_url,
        "treezor-base-url",
        "TREEZOR_BASE_URL",
    )?;
    let allow_http = url_setting(base, "treezor-base-url", "TREEZOR_BASE_URL")?;
    let id = required_secret(
        &config.treezor_client_id,
        "treezor-client-id",
        "TREEZOR_CLIENT_ID",
    )?;
    let secret = required_secret(
        &config.treezor_client_secret,
        "treezor-client-secret",
        "TREEZOR_CLIENT_SECRET",
    )?;
    let mut builder = BalancesClient::builder()
        .base_url(base)
        .allow_http(allow_http)
        .client_credentials(id, secret);
    if let Some(transport) = ctx.transport()? {
        builder = builder.transport(transport);
    }
    Ok(builder.build()?)
}

/// Runs one Treezor command.
pub async fn run(ctx: &Context, out: Output, command: TreezorCommand) -> Result<(), Failure> {
    let client = client(ctx)?;
    match command {
        TreezorCommand::Balances { wallet_id, user_id } => {
            let balances = match (wallet_id, user_id) {
                (Some(wallet), _) => vec![client.wallet_balance(parse_wallet(&wallet)?).await?],
                (None, Some(user)) => client.user_balances(parse_user(&user)?).await?,
                (None, None) => {
                    return Err(Failure::Usage("give --wallet-id ID or --user-id ID".into()));
                }
            };
            out.emit("balances", &balances, || balances_table(&balances))
        }
        TreezorCommand::History {
            wallet_id,
            from,
            to,
        } => {
            let range = HistoryRange::parse(from.as_deref(), to.as_deref())?;
            let history = client
                .balance_history(parse_wallet(&wallet_id)?, range)
                .await?;
            out.emit("points", &history, || history_table(&history))?;
            if !out.json && out.is_terminal() {
                let currency = history
                    .points
                    .first()
                    .map(|p| p.currency.code())
                    .unwrap_or_default();
                let columns = chart::terminal_columns();
                if let Some(drawn) = chart::render(&chart_points(&history), &currency, columns) {
                    out.write(&drawn)?;
                }
            }
            Ok(())
        }
    }
}

/// Parses a wallet id given by the user.
pub fn parse_wallet(text: &str) -> Result<WalletId, Failure> {
    WalletId::parse(text).map_err(|e| {
        Failure::Usage(format!(
            "wallet id {text:?}: {}",
            balances_core::Error::invalid_input(e.reason())
        ))
    })
}

fn parse_user(text: &str) -> Result<UserId, Failure> {
    UserId::parse(text).map_err(|e| {
        Failure::Usage(format!(
            "user id {text:?}: {}",
            balances_core::Error::invalid_input(e.reason())
        ))
    })
}

fn amount(value: Option<Decimal>) -> String {
    value.map_or_else(|| "-".into(), |v| v.to_string())
}

fn balances_table(balances: &[Balance]) -> Table {
    let mut t = Table::new(&[
        ("WALLET", Align::Left),
        ("CURRENT", Align::Right),
        ("AUTHORIZATIONS", Align::Right),
        ("AUTHORIZED", Align::Right),
        ("CURRENCY", Align::Left),
        ("CALCULATED", Align::Left),
    ]);
    for b in balances {
        t.row(vec![
            b.wallet_id.to_string(),
            amount(b.current_balance),
            amount(b.authorizations),
            amount(b.authorized_balance),
            b.currency.to_string(),
            b.calculation_date
                .as_ref()
                .map_or_else(|| "-".into(), |d| d.raw().to_owned()),
        ]);
    }
    t
}

fn history_table(history: &BalanceHistory) -> Table {
    let mut t = Table::new(&[
        ("TIME", Align::Left),
        ("BALANCE", Align::Right),
        ("AUTHORIZED", Align::Right),
        ("CURRENCY", Align::Left),
    ]);
    for p in &history.points {
        t.row(vec![
            p.time.to_string(),
            amount(p.balance),
            amount(p.authorized_balance),
            p.currency.to_string(),
        ]);
    }
    t
}

fn chart_points(history: &BalanceHistory) -> Vec<(i64, Decimal)> {
    history
        .points
        .iter()
        .filter_map(|p| Some((p.time.timestamp()?.as_second(), p.balance?)))
        .collect()
}
