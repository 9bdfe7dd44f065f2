//! `qiwi wallet cards ...`: QIWI Master virtual cards.
//!
//! A card's number and CVV are printed in clear only by `details`, only as a table, and only
//! when stdout is a terminal; otherwise (a pipe, a file, `--json`) they are masked as the
//! models serialize them (`****3333`, `***`).

use qiwi_cli::cards_cli::{CardKindArg, CardsArgs, CardsCommand};
use qiwi_wallet::models::{Card, CardAlias, CardDetails, CardId, CardOperationStatus, CardOrder};
use qiwi_wallet::{HistoryWindow, SubmittedOrder, WalletClient};
use serde::Serialize;

use crate::failure::Failure;
use crate::out_file::OutFile;
use crate::output::{Output, notice};
use crate::table::{Align, Table};

/// Runs one `qiwi wallet cards` command.
pub async fn run(client: &WalletClient, out: Output, args: CardsArgs) -> Result<(), Failure> {
    match args.command.unwrap_or(CardsCommand::List) {
        CardsCommand::List => {
            let cards = client.cards().await?;
            out.emit("cards", &cards, || list_table(&cards))
        }
        CardsCommand::Order { kind } => order(client, out, kind).await,
        CardsCommand::Block { id } => {
            let id = card_id(&id)?;
            client.block_card(&id).await?;
            result(out, "blocked", &id)
        }
        CardsCommand::Unblock { id } => {
            let id = card_id(&id)?;
            let operation = client.unblock_card(&id).await?;
            match operation.status {
                CardOperationStatus::Ok => result(out, "unblocked", &id),
                CardOperationStatus::Fail => Err(Failure::Service(format!(
                    "card {id} was not unblocked (FAIL): a card blocked through the API can be unblocked through it for 90 days"
                ))),
                other => Err(Failure::Service(format!(
                    "card {id} was not unblocked ({other}): the owner must confirm it outside the API"
                ))),
            }
        }
        CardsCommand::Details { id } => {
            let id = card_id(&id)?;
            let details = client.card_details(&id).await?;
            if details.status != CardOperationStatus::Ok {
                let code = details.error_code.as_deref().unwrap_or("no code");
                return Err(Failure::Service(format!(
                    "the details of card {id} were not given: {} ({code})",
                    details.status
                )));
            }
            details_output(out, &id, &details)
        }
        CardsCommand::Rename { id, name } => {
            let id = card_id(&id)?;
            let renamed = client.rename_card(&id, &name).await?;
            if renamed.status != CardOperationStatus::Ok {
                let why = renamed.error.unwrap_or_else(|| renamed.status.to_string());
                return Err(Failure::Service(format!(
                    "card {id} was not renamed: {why}"
                )));
            }
            result(out, "renamed", &id)
        }
        CardsCommand::Statement {
            id,
            from,
            to,
            out: path,
            force,
        } => {
            let id = card_id(&id)?;
            let window = HistoryWindow::parse(&from, &to)
                .map_err(|e| Failure::Usage(format!("--from/--to: {}", e.reason())))?;
            let target = OutFile::new(&path, force)?;
            let statement = client.card_statement(&id, &window).await?;
            target.write(&statement.bytes)?;
            let file = path.display().to_string();
            let value = serde_json::json!({
                "result": "saved",
                "card_id": id.as_str(),
                "file": file,
                "bytes": statement.bytes.len(),
                "content_type": statement.content_type,
            });
            out.emit("result", &value, || {
                let mut t = Table::new(&[
                    ("RESULT", Align::Left),
                    ("CARD", Align::Left),
                    ("FILE", Align::Left),
                ]);
                t.row(vec!["saved".into(), id.to_string(), file.clone()]);
                t
            })
        }
    }
}

fn card_id(text: &str) -> Result<CardId, Failure> {
    CardId::new(text).map_err(|e| Failure::Usage(e.reason().to_owned()))
}

/// `order`: the order submitted at once; a paid one is printed with its price.
async fn order(client: &WalletClient, out: Output, kind: CardKindArg) -> Result<(), Failure> {
    let alias = match kind {
        CardKindArg::Prepaid => CardAlias::Prepaid,
        CardKindArg::Debit => CardAlias::Debit,
    };
    let draft = client.order_card(alias).await?;
    let submitted = client.submit_card_order(&draft.id).await?;
    if let SubmittedOrder::PaymentRequired(order) = &submitted {
        let price = order
            .price
            .as_ref()
            .map_or_else(|| "its price".to_owned(), ToString::to_string);
        notice(&format!(
            "qiwi: the free cards are used up: order {} waits for a payment of {price} before the card is issued: `qiwi wallet pay card-order {} --amount AMOUNT`",
            order.id, order.id
        ));
    }
    let order: &CardOrder = submitted.order();
    out.emit("order", order, || {
        let mut t = Table::new(&[
            ("ORDER", Align::Left),
            ("KIND", Align::Left),
            ("STATUS", Align::Left),
            ("PRICE", Align::Right),
            ("CARD", Align::Left),
        ]);
        t.row(vec![
            order.id.to_string(),
            order.card_alias.to_string(),
            order.status.to_string(),
            order
                .price
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            order
                .card_id
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        ]);
        t
    })
}

fn result(out: Output, what: &'static str, id: &CardId) -> Result<(), Failure> {
    let value = serde_json::json!({ "result": what, "card_id": id.as_str() });
    out.emit("result", &value, || {
        let mut t = Table::new(&[("RESULT", Align::Left), ("CARD", Align::Left)]);
        t.row(vec![what.into(), id.to_string()]);
        t
    })
}

/// The details document: the card's id and its masked details.
#[derive(Serialize)]
struct DetailsDocument<'a> {
    card_id: &'a CardId,
    #[serde(flatten)]
    details: &'a CardDetails,
}

fn details_output(out: Output, id: &CardId, details: &CardDetails) -> Result<(), Failure> {
    let clear = !out.json && out.is_terminal();
    let (pan, cvv) = if clear {
        let (pan, cvv) = details.expose();
        (pan.map(str::to_owned), cvv.map(str::to_owned))
    } else {
        let cvv = details
            .cvv
            .as_ref()
            .map(|_| qiwi_wallet::models::card::MASKED_CVV);
        (details.masked_pan(), cvv.map(str::to_owned))
    };
    let document = DetailsDocument {
        card_id: id,
        details,
    };
    out.emit("details", &document, || {
        let mut t = Table::new(&[
            ("CARD", Align::Left),
            ("STATUS", Align::Left),
            ("PAN", Align::Left),
            ("CVV", Align::Left),
        ]);
        t.row(vec![
            id.to_string(),
            details.status.to_string(),
            pan.unwrap_or_default(),
            cvv.unwrap_or_default(),
        ]);
        t
    })
}

fn list_table(cards: &[Card]) -> Table {
    let mut t = Table::new(&[
        ("ID", Align::Left),
        ("CARD ID", Align::Left),
        ("PAN", Align::Left),
        ("STATUS", Align::Left),
        ("NAME", Align::Left),
        ("KIND", Align::Left),
        ("BALANCE", Align::Right),
        ("EXPIRES", Align::Left),
    ]);
    for card in cards {
        let q = &card.qvx;
        let expires = match (&q.card_expire_month, &q.card_expire_year) {
            (Some(month), Some(year)) => format!("{month}/{year}"),
            _ => String::new(),
        };
        t.row(vec![
            card.id().to_string(),
            q.card_id
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            q.masked_pan.clone().unwrap_or_default(),
            q.status.to_string(),
            q.card_alias.clone().unwrap_or_default(),
            card.info.alias.to_string(),
            card.balance
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            expires,
        ]);
    }
    t
}
