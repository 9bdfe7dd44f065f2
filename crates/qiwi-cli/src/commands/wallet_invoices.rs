//! `qiwi wallet invoices`, `pay-invoice`, `reject-invoice` and `p2p-keys`: invoices addressed
//! to the wallet (E37 to E39) and P2P key pairs (E36).
//!
//! `pay-invoice` is a payment: its exit code and its report's `outcome` say the same thing:
//! paid (0), not paid (7), unknown (8).

use std::io::IsTerminal;

use futures_util::StreamExt;
use qiwi_cli::cli::P2pKeysCommand;
use qiwi_transport::ExposeSecret;
use qiwi_types::{ApiTime, Decimal, Moscow};
use qiwi_wallet::models::{Invoice, InvoiceId, UnixMillis};
use qiwi_wallet::{
    Currency, FateLookup, InvoiceAuth, InvoiceLookup, InvoiceNotPaid, InvoicePayOutcome,
    InvoiceQuery, WalletClient,
};
use serde::Serialize;

use crate::commands::wallet_pay::{Fate, confirmed_on_terminal};
use crate::failure::Failure;
use crate::output::{Output, notice};
use crate::table::{Align, Table, printable};

/// One invoice as the list prints it.
#[derive(Debug, Serialize)]
struct InvoiceRow {
    id: u64,
    created: Option<ApiTime<Moscow>>,
    expires: Option<ApiTime<Moscow>>,
    amount: String,
    currency: Currency,
    merchant: Option<String>,
    comment: Option<String>,
    pay_url: Option<String>,
}

fn time(at: UnixMillis) -> Option<ApiTime<Moscow>> {
    at.timestamp().map(ApiTime::from_timestamp)
}

impl InvoiceRow {
    fn new(invoice: &Invoice) -> Self {
        Self {
            id: invoice.id.get(),
            created: time(invoice.creation_datetime),
            expires: invoice.expiration_datetime.and_then(time),
            amount: invoice.sum.amount.to_string(),
            currency: invoice.sum.currency.clone(),
            merchant: merchant(invoice),
            comment: invoice.comment.clone(),
            pay_url: invoice.pay_url.clone(),
        }
    }
}

fn merchant(invoice: &Invoice) -> Option<String> {
    let provider = invoice.provider.as_ref()?;
    Some(
        provider
            .short_name
            .clone()
            .unwrap_or_else(|| provider.id.clone()),
    )
}

fn invoice_id(text: &str) -> Result<InvoiceId, Failure> {
    text.parse()
        .map_err(|e: qiwi_types::InvalidValue| Failure::Usage(format!("ID: {}", e.reason())))
}

/// Runs `qiwi wallet invoices`: the first page (50), or every page with `--all`.
pub async fn list(client: &WalletClient, out: Output, all: bool) -> Result<(), Failure> {
    let query = InvoiceQuery::default();
    let auth = InvoiceAuth::WalletToken;
    let invoices = if all {
        let mut stream = client.invoices(auth, query);
        let mut invoices = Vec::new();
        while let Some(invoice) = stream.next().await {
            invoices.push(invoice?);
        }
        invoices
    } else {
        client.invoices_page(&auth, &query, None).await?.bills
    };
    let rows: Vec<InvoiceRow> = invoices.iter().map(InvoiceRow::new).collect();
    out.emit("invoices", &rows, || {
        let mut t = Table::new(&[
            ("ID", Align::Left),
            ("CREATED", Align::Left),
            ("AMOUNT", Align::Right),
            ("CURRENCY", Align::Left),
            ("MERCHANT", Align::Left),
            ("COMMENT", Align::Left),
        ]);
        for row in &rows {
            t.row(vec![
                row.id.to_string(),
                row.created
                    .as_ref()
                    .map(|c| c.raw().to_owned())
                    .unwrap_or_default(),
                row.amount.clone(),
                row.currency.to_string(),
                row.merchant.clone().unwrap_or_default(),
                row.comment.clone().unwrap_or_default(),
            ]);
        }
        t
    })
}

/// Runs `qiwi wallet reject-invoice ID`.
pub async fn reject(client: &WalletClient, out: Output, id: &str) -> Result<(), Failure> {
    let id = invoice_id(id)?;
    client.reject_invoice(&InvoiceAuth::WalletToken, id).await?;
    let value = serde_json::json!({ "result": "rejected", "invoice_id": id.get() });
    out.emit("result", &value, || {
        let mut t = Table::new(&[("RESULT", Align::Left), ("INVOICE", Align::Left)]);
        t.row(vec!["rejected".into(), id.to_string()]);
        t
    })
}

/// The `--json` form of `pay-invoice`, and what the table and the exit code are made from.
#[derive(Debug, Serialize)]
struct InvoicePayReport {
    invoice_id: u64,
    merchant: Option<String>,
    amount: String,
    currency: Currency,
    outcome: Fate,
    money_moved: Option<bool>,
    /// `paid`, `refused`, `status` (another status) or `unknown`.
    result: &'static str,
    /// The `invoice_status` the service answered, when it answered one.
    invoice_status: Option<String>,
    /// One sentence: what happened and what to do; also the last line on stderr.
    message: String,
}

/// Runs `qiwi wallet pay-invoice ID`.
pub async fn pay(client: &WalletClient, out: Output, id: &str, yes: bool) -> Result<(), Failure> {
    let id = invoice_id(id)?;
    // Checked before anything is sent, the invoice lookup included.
    if !yes && !std::io::stdin().is_terminal() {
        return Err(Failure::Usage(
            "not a terminal: add --yes to pay without being asked (nothing was sent)".into(),
        ));
    }
    let not_paid = |why: String| Failure::NotPaid(format!("invoice {id} was not paid: {why}"));
    let invoice = find(client, id)
        .await
        .map_err(|e| {
            not_paid(format!(
                "nothing was sent: the invoices could not be read: {}",
                Failure::from(e)
            ))
        })?
        .ok_or_else(|| {
            not_paid(format!(
                "no unpaid invoice has this id among the first {MAX_INVOICES_SEARCHED} listed (nothing was sent)"
            ))
        })?;
    // An amount to pay is positive: a list that says otherwise is not one to pay from.
    if invoice.sum.amount <= Decimal::ZERO {
        return Err(not_paid(format!(
            "the list gives it the amount {}, which is not positive (nothing was sent)",
            printable(&invoice.sum.to_string())
        )));
    }
    let merchant = merchant(&invoice);
    notice(&format!(
        "paying invoice {id}: {} to {}{}",
        printable(&invoice.sum.to_string()),
        printable(merchant.as_deref().unwrap_or("the merchant")),
        invoice
            .comment
            .as_deref()
            .map(|c| format!(" ({})", printable(c)))
            .unwrap_or_default()
    ));
    if !yes && !confirmed_on_terminal()? {
        return Err(not_paid("not confirmed".into()));
    }
    let outcome = client
        .pay_invoice(
            &InvoiceAuth::WalletToken,
            id,
            invoice.sum.currency.clone(),
            FateLookup::default(),
        )
        .await;
    let report = report(&invoice, merchant, outcome);
    out.emit("payment", &report, || {
        let mut t = Table::new(&[
            ("INVOICE", Align::Left),
            ("OUTCOME", Align::Left),
            ("RESULT", Align::Left),
            ("AMOUNT", Align::Right),
            ("CURRENCY", Align::Left),
        ]);
        t.row(vec![
            report.invoice_id.to_string(),
            report.outcome.label().into(),
            report.result.into(),
            report.amount.clone(),
            report.currency.to_string(),
        ]);
        t
    })?;
    report.outcome.end(report.message)
}

/// The most unpaid invoices `pay-invoice` reads looking for the one to pay: a list that never
/// ends must not keep it from ending.
const MAX_INVOICES_SEARCHED: usize = 5_000;

/// The unpaid invoice `id`, read through the pages of the list, at most
/// [`MAX_INVOICES_SEARCHED`] invoices.
async fn find(client: &WalletClient, id: InvoiceId) -> Result<Option<Invoice>, qiwi_wallet::Error> {
    let mut invoices = client
        .invoices(InvoiceAuth::WalletToken, InvoiceQuery::default())
        .take(MAX_INVOICES_SEARCHED);
    while let Some(invoice) = invoices.next().await {
        let invoice = invoice?;
        if invoice.id == id {
            return Ok(Some(invoice));
        }
    }
    Ok(None)
}

fn report(
    invoice: &Invoice,
    merchant: Option<String>,
    outcome: InvoicePayOutcome,
) -> InvoicePayReport {
    let id = invoice.id;
    let (fate, result, status, message) = match outcome {
        InvoicePayOutcome::Paid(_) => (
            Fate::Paid,
            "paid",
            Some("PAID_STATUS".to_owned()),
            format!("invoice {id} is paid: {} left the wallet", invoice.sum),
        ),
        InvoicePayOutcome::NotPaid(why) => {
            let (result, status, why) = match why {
                InvoiceNotPaid::Refused(error) => {
                    ("refused", None, Failure::from(error).to_string())
                }
                InvoiceNotPaid::Status(payment) => (
                    "status",
                    Some(payment.invoice_status.to_string()),
                    format!("the service answered {}", payment.invoice_status),
                ),
                _ => ("refused", None, "the money did not move".into()),
            };
            (
                Fate::NotPaid,
                result,
                status,
                format!("invoice {id} was not paid: {why}; paying it again is safe"),
            )
        }
        InvoicePayOutcome::Unknown(why) => {
            let answer = match &why.cause {
                Ok(payment) => format!("the service answered {}", payment.invoice_status),
                Err(error) => format!("the answer was lost ({error})"),
            };
            let lookup = match &why.lookup {
                InvoiceLookup::StillUnpaid => "the invoice is still listed unpaid, but a request \
                     the service is still working on may pay it yet (paying it again cannot pay \
                     it twice)"
                    .to_owned(),
                InvoiceLookup::NoLongerUnpaid => {
                    "the invoice is no longer listed unpaid (paid, rejected or expired)".to_owned()
                }
                InvoiceLookup::Failed(error) => format!("the invoices could not be read: {error}"),
                _ => "the invoice list was not read to its end".to_owned(),
            };
            let status = why
                .cause
                .as_ref()
                .ok()
                .map(|p| p.invoice_status.to_string());
            (
                Fate::Unknown,
                "unknown",
                status,
                format!(
                    "invoice {id}: its fate is unknown: {answer} and {lookup}; look at `qiwi wallet history` and `qiwi wallet invoices` before paying again"
                ),
            )
        }
        _ => (
            Fate::Unknown,
            "unknown",
            None,
            format!("invoice {id}: its fate is unknown: the ending is not one this program knows"),
        ),
    };
    InvoicePayReport {
        invoice_id: id.get(),
        merchant,
        amount: invoice.sum.amount.to_string(),
        currency: invoice.sum.currency.clone(),
        outcome: fate,
        money_moved: fate.money_moved(),
        result,
        invoice_status: status,
        message,
    }
}

/// Runs `qiwi wallet p2p-keys ...`.
pub async fn p2p_keys(
    client: &WalletClient,
    out: Output,
    command: P2pKeysCommand,
) -> Result<(), Failure> {
    let P2pKeysCommand::Create {
        name,
        notify_url,
        show_secret,
    } = command;
    // A key pair cannot be read again: its secret key goes where it can be seen, or nothing
    // is created.
    if !(out.json || show_secret || out.is_terminal()) {
        return Err(Failure::Usage(
            "stdout is not a terminal: add --show-secret (or --json) to write the secret key there (nothing was sent)".into(),
        ));
    }
    let pair = client.create_p2p_keys(&name, notify_url.as_deref()).await?;
    let secret = pair.secret_key.expose_secret();
    let value = serde_json::json!({
        "name": name,
        "public_key": pair.public_key,
        "secret_key": secret,
    });
    out.emit("keys", &value, || {
        let mut t = Table::new(&[("KEY", Align::Left), ("VALUE", Align::Left)]);
        t.row(vec!["name".into(), name.clone()]);
        t.row(vec!["public".into(), pair.public_key.clone()]);
        t.row(vec!["secret".into(), secret.to_owned()]);
        t
    })
}
