//! `qiwi wallet ...`: the QIWI Wallet personal API.

use qiwi_wallet::{
    AccountAlias, Accounts, Balance, LimitType, ProfileSections, WalletClient, WalletNumber,
};

use qiwi_wallet::payment::{Payment, PaymentId, Recipient};

use crate::cli::{ProvidersCommand, WalletCommand};
use crate::context::{Context, required, required_secret, url_setting};
use crate::failure::Failure;
use crate::fields;
use crate::output::Output;
use crate::table::{Align, Table};

/// A wallet client from the context's settings.
pub fn client(ctx: &Context) -> Result<WalletClient, Failure> {
    let config = ctx.config();
    let token = required_secret(&config.qiwi_token, "qiwi-token", "QIWI_TOKEN")?;
    let wallet = required(&config.qiwi_wallet, "qiwi-wallet", "QIWI_WALLET")?;
    let wallet = WalletNumber::parse(wallet)
        .map_err(|e| Failure::Usage(format!("QIWI_WALLET: {}", e.reason())))?;
    let mut builder = WalletClient::builder().token(token).wallet(wallet);
    if let Some(url) = &config.qiwi_base_url {
        let allow_http = url_setting(url, "qiwi-base-url", "QIWI_BASE_URL")?;
        builder = builder.base_url(url.as_str()).allow_http(allow_http);
    }
    if let Some(transport) = ctx.transport()? {
        builder = builder.transport(transport);
    }
    Ok(builder.build()?)
}

/// Runs one wallet command.
pub async fn run(ctx: &Context, out: Output, command: WalletCommand) -> Result<(), Failure> {
    let client = client(ctx)?;
    match command {
        WalletCommand::Accounts => {
            let accounts = client.list_accounts().await?;
            out.emit("accounts", &accounts, || accounts_table(&accounts))
        }
        WalletCommand::Offer => {
            let offers = client.account_offers().await?;
            out.emit("offers", &offers, || {
                let mut t = Table::new(&[("ALIAS", Align::Left), ("CURRENCY", Align::Left)]);
                for offer in &offers {
                    t.row(vec![offer.alias.to_string(), offer.currency.to_string()]);
                }
                t
            })
        }
        WalletCommand::CreateAccount { alias } => {
            let alias = parse_alias(&alias)?;
            client.create_account(&alias).await?;
            done(out, "created", &alias)
        }
        WalletCommand::SetDefault { alias } => {
            let alias = parse_alias(&alias)?;
            client.set_default_account(&alias).await?;
            done(out, "default", &alias)
        }
        WalletCommand::Profile => {
            let profile = client.profile(ProfileSections::ALL).await?;
            out.emit("profile", &profile, || {
                fields::table(&profile).unwrap_or_else(|_| Table::new(&[]))
            })
        }
        WalletCommand::Identification => {
            let identification = client.identification().await?;
            out.emit("identification", &identification, || {
                fields::table(&identification).unwrap_or_else(|_| Table::new(&[]))
            })
        }
        WalletCommand::Limits { types } => {
            let types: Vec<LimitType> = if types.is_empty() {
                LimitType::KNOWN.to_vec()
            } else {
                types
                    .iter()
                    .map(|t| LimitType::from(t.to_ascii_uppercase().as_str()))
                    .collect()
            };
            let limits = client.actual_limits(&types).await?;
            out.emit("limits", &limits, || {
                let mut t = Table::new(&[
                    ("COUNTRY", Align::Left),
                    ("TYPE", Align::Left),
                    ("REST", Align::Right),
                    ("MAX", Align::Right),
                    ("SPENT", Align::Right),
                    ("CURRENCY", Align::Left),
                ]);
                for (country, list) in &limits.limits {
                    for limit in list {
                        t.row(vec![
                            country.clone(),
                            limit.limit_type.to_string(),
                            limit.rest.to_string(),
                            limit.max.to_string(),
                            limit.spent.to_string(),
                            limit.currency.to_string(),
                        ]);
                    }
                }
                t
            })
        }
        WalletCommand::Rates => {
            let rates = client.cross_rates().await?;
            let list: Vec<serde_json::Value> = rates
                .result
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "set": r.set,
                        "from_currency": r.from.code(),
                        "to_currency": r.to.code(),
                        "rate": r.rate.to_string(),
                    })
                })
                .collect();
            out.emit("rates", &list, || {
                let mut t = Table::new(&[
                    ("FROM", Align::Left),
                    ("TO", Align::Left),
                    ("RATE", Align::Right),
                ]);
                for r in &rates.result {
                    t.row(vec![
                        r.from.to_string(),
                        r.to.to_string(),
                        r.rate.to_string(),
                    ]);
                }
                t
            })
        }
        WalletCommand::Commission { wallet, amount } => {
            let recipient = Recipient::wallet(super::wallet_pay::wallet_number(&wallet)?, None);
            let amount = super::wallet_pay::amount(&amount)?;
            let payment = Payment::new(PaymentId::next(), recipient, amount)
                .map_err(super::wallet_pay::usage("payment"))?;
            let quote = client.commission(&payment).await?;
            out.emit("commission", &quote, || {
                let mut t = Table::new(&[
                    ("WITHDRAW", Align::Right),
                    ("ENROLLMENT", Align::Right),
                    ("COMMISSION", Align::Right),
                    ("CURRENCY", Align::Left),
                ]);
                t.row(vec![
                    quote.withdraw_sum.amount.to_string(),
                    quote.enrollment_sum.amount.to_string(),
                    quote.qw_commission.amount.to_string(),
                    quote.withdraw_sum.currency.to_string(),
                ]);
                t
            })
        }
        WalletCommand::Pay(command) => super::wallet_pay::pay(&client, out, command).await,
        WalletCommand::Convert(args) => super::wallet_pay::convert(&client, out, args).await,
        WalletCommand::Providers(ProvidersCommand::Search { words }) => {
            super::wallet_pay::search_providers(&client, out, &words).await
        }
        WalletCommand::History(args) => super::wallet_history::history(&client, out, args).await,
        WalletCommand::Totals(args) => super::wallet_history::totals(&client, out, args).await,
        WalletCommand::Transaction(args) => {
            super::wallet_history::transaction(&client, out, args).await
        }
        WalletCommand::Receipt(args) => super::wallet_history::receipt(&client, out, args).await,
        WalletCommand::Cards(args) => super::wallet_cards::run(&client, out, args).await,
        WalletCommand::Webhook(command) => {
            super::wallet_hooks::webhook(&client, out, command).await
        }
        WalletCommand::Watch(args) => super::wallet_hooks::watch(&client, out, args).await,
        WalletCommand::Invoices { all } => super::wallet_invoices::list(&client, out, all).await,
        WalletCommand::PayInvoice { id, yes } => {
            super::wallet_invoices::pay(&client, out, &id, yes).await
        }
        WalletCommand::RejectInvoice { id } => {
            super::wallet_invoices::reject(&client, out, &id).await
        }
        WalletCommand::P2pKeys(command) => {
            super::wallet_invoices::p2p_keys(&client, out, command).await
        }
        WalletCommand::Restrictions => {
            let restrictions = client.restrictions().await?;
            out.emit("restrictions", &restrictions, || {
                let mut t =
                    Table::new(&[("RESTRICTION", Align::Left), ("DESCRIPTION", Align::Left)]);
                for r in &restrictions {
                    t.row(vec![
                        r.restriction_code.to_string(),
                        r.restriction_description.clone().unwrap_or_default(),
                    ]);
                }
                t
            })
        }
    }
}

fn parse_alias(alias: &str) -> Result<AccountAlias, Failure> {
    AccountAlias::new(alias).map_err(|e| Failure::Usage(format!("account alias: {}", e.reason())))
}

fn done(out: Output, what: &'static str, alias: &AccountAlias) -> Result<(), Failure> {
    let value = serde_json::json!({ "result": what, "alias": alias.as_str() });
    out.emit("result", &value, || {
        let mut t = Table::new(&[("RESULT", Align::Left), ("ALIAS", Align::Left)]);
        t.row(vec![what.into(), alias.to_string()]);
        t
    })
}

/// The accounts list as a table.
pub fn accounts_table(accounts: &Accounts) -> Table {
    let mut t = Table::new(&[
        ("ALIAS", Align::Left),
        ("TITLE", Align::Left),
        ("BALANCE", Align::Right),
        ("CURRENCY", Align::Left),
        ("DEFAULT", Align::Left),
    ]);
    for account in &accounts.accounts {
        t.row(vec![
            account.alias.to_string(),
            account.title.clone(),
            balance_text(&account.balance),
            account.currency.to_string(),
            if account.is_default() {
                "yes".into()
            } else {
                String::new()
            },
        ]);
    }
    t
}

/// A balance as shown to a person: the exact amount, `unknown`, or `-` where none applies.
pub fn balance_text(balance: &Balance) -> String {
    match balance.money() {
        Some(money) => money.amount.to_string(),
        None if balance.is_unknown() => "unknown".into(),
        None => "-".into(),
    }
}
