//! `qiwi wallet history`, `totals`, `transaction`, `receipt`: the payment history.

use std::io::{IsTerminal, Write};

use futures_util::StreamExt;
use qiwi_cli::history_cli::{
    FilterArgs, HistoryArgs, HistoryFormat, KindArg, OperationArg, ReceiptArgs, ReceiptFormatArg,
    SourceArg, TotalsArgs, TransactionArgs,
};
use qiwi_wallet::{
    HistoryCheckpoint, HistoryCursor, HistoryFilter, HistoryOperation, HistorySource,
    HistoryWindow, Money, PaymentHistoryItem, ReceiptFormat, TransactionId, TransactionType,
    WalletClient,
};
use serde::Serialize;

use crate::contract;
use crate::failure::Failure;
use crate::fields;
use crate::out_file::OutFile;
use crate::output::Output;
use crate::table::{Align, Table};

/// The CSV export's columns.
const CSV_HEADER: &str = "txn_id,type,status,date,amount,currency,commission,total,account,provider,comment,error_code\n";

/// One page with its cursor, as `--json` prints it.
#[derive(Serialize)]
struct PageDocument<'a> {
    payments: &'a [PaymentHistoryItem],
    next_txn_id: Option<&'a str>,
    next_txn_date: Option<&'a str>,
}

fn filter(args: &FilterArgs) -> Result<HistoryFilter, Failure> {
    let mut filter = HistoryFilter::default();
    if let Some(operation) = args.operation {
        filter = filter.operation(match operation {
            OperationArg::All => HistoryOperation::All,
            OperationArg::In => HistoryOperation::In,
            OperationArg::Out => HistoryOperation::Out,
            OperationArg::QiwiCard => HistoryOperation::QiwiCard,
        });
    }
    for source in &args.sources {
        filter = filter.source(match source {
            SourceArg::QwRub => HistorySource::QwRub,
            SourceArg::QwUsd => HistorySource::QwUsd,
            SourceArg::QwEur => HistorySource::QwEur,
            SourceArg::Card => HistorySource::Card,
            SourceArg::Mk => HistorySource::Mk,
        });
    }
    if let (Some(from), Some(to)) = (&args.from, &args.to) {
        let window = HistoryWindow::parse(from, to)
            .map_err(|e| Failure::Usage(format!("--from/--to: {}", e.reason())))?;
        filter = filter.window(window);
    }
    Ok(filter)
}

fn transaction_id(text: &str) -> Result<TransactionId, Failure> {
    TransactionId::new(text).map_err(|e| Failure::Usage(e.reason().to_owned()))
}

fn kind(arg: KindArg) -> TransactionType {
    match arg {
        KindArg::In => TransactionType::In,
        KindArg::Out => TransactionType::Out,
        KindArg::QiwiCard => TransactionType::QiwiCard,
    }
}

/// Where payments go as they arrive: a table or `--json` document at the end, or a CSV row or
/// JSON line at once.
struct Sink {
    out: Output,
    format: HistoryFormat,
    kept: Vec<PaymentHistoryItem>,
    header_written: bool,
}

impl Sink {
    fn new(out: Output, format: HistoryFormat) -> Result<Self, Failure> {
        if out.json && format != HistoryFormat::Table {
            return Err(Failure::Usage(
                "--json prints one document; --format csv or jsonl stream instead: choose one"
                    .into(),
            ));
        }
        Ok(Self {
            out,
            format,
            kept: Vec::new(),
            header_written: false,
        })
    }

    /// The CSV header, once, before the first row (or alone for no payment); a run that fails
    /// before any payment arrives writes nothing.
    fn header(&mut self) -> Result<(), Failure> {
        if self.format == HistoryFormat::Csv && !self.header_written {
            self.header_written = true;
            self.out.write(CSV_HEADER)?;
        }
        Ok(())
    }

    fn push(&mut self, item: PaymentHistoryItem) -> Result<(), Failure> {
        self.header()?;
        match self.format {
            HistoryFormat::Table => {
                self.kept.push(item);
                Ok(())
            }
            HistoryFormat::Csv => self.out.write(&csv_row(&item)),
            HistoryFormat::Jsonl => {
                let line = contract::document("payment", &item, self.out.sandbox)?;
                self.out.write(&format!("{line}\n"))
            }
        }
    }

    fn finish(mut self, cursor: Option<&HistoryCursor>) -> Result<(), Failure> {
        self.header()?;
        if self.format != HistoryFormat::Table {
            return Ok(());
        }
        let document = PageDocument {
            payments: &self.kept,
            next_txn_id: cursor.map(|c| c.next_txn_id.as_str()),
            next_txn_date: cursor.map(|c| c.next_txn_date.as_str()),
        };
        self.out.emit("payments", &document, || table(&self.kept))
    }
}

/// A count of payments on stderr while paging, only when stderr is a terminal.
struct Progress {
    shown: bool,
    count: u64,
}

impl Progress {
    fn new() -> Self {
        Self {
            shown: std::io::stderr().is_terminal(),
            count: 0,
        }
    }

    fn tick(&mut self) {
        self.count += 1;
        if self.shown && self.count % 50 == 0 {
            let _ = write!(std::io::stderr(), "\r{} payments...", self.count);
        }
    }

    fn done(self) {
        if self.shown && self.count >= 50 {
            let _ = writeln!(std::io::stderr(), "\r{} payments.   ", self.count);
        }
    }
}

/// `qiwi wallet history`.
pub async fn history(client: &WalletClient, out: Output, args: HistoryArgs) -> Result<(), Failure> {
    let filter = filter(&args.filter)?;
    let cursor = match (&args.next_txn_id, args.next_txn_date) {
        (Some(id), Some(date)) => Some(HistoryCursor {
            next_txn_id: transaction_id(id)?,
            next_txn_date: date,
        }),
        _ => None,
    };
    let mut sink = Sink::new(out, args.format)?;
    if !args.all {
        let page = client
            .history_page(args.rows, &filter, cursor.as_ref())
            .await?;
        let next = page.cursor();
        for item in page.data {
            sink.push(item)?;
        }
        if let (Some(next), HistoryFormat::Table, false) = (&next, args.format, out.json) {
            crate::output::notice(&format!(
                "more: --next-txn-id {} --next-txn-date '{}' (or --all)",
                next.next_txn_id, next.next_txn_date
            ));
        }
        return sink.finish(next.as_ref());
    }
    let checkpoint = HistoryCheckpoint {
        page: cursor,
        after: None,
    };
    let mut stream = client.history_from(args.rows, filter, checkpoint);
    let mut progress = Progress::new();
    while let Some(item) = stream.next().await {
        sink.push(item?)?;
        progress.tick();
    }
    progress.done();
    sink.finish(None)
}

fn money_text(money: Option<&Money>) -> String {
    money.map_or_else(String::new, |m| m.amount.to_string())
}

fn table(items: &[PaymentHistoryItem]) -> Table {
    let mut t = Table::new(&[
        ("DATE", Align::Left),
        ("TXN ID", Align::Left),
        ("TYPE", Align::Left),
        ("STATUS", Align::Left),
        ("AMOUNT", Align::Right),
        ("CURRENCY", Align::Left),
        ("ACCOUNT", Align::Left),
        ("PROVIDER", Align::Left),
    ]);
    for item in items {
        t.row(vec![
            item.date.to_string(),
            item.txn_id.to_string(),
            item.kind.to_string(),
            item.status.to_string(),
            money_text(item.total.as_ref()),
            item.total
                .as_ref()
                .map_or_else(String::new, |m| m.currency.code()),
            item.account.clone().unwrap_or_default(),
            provider_name(item),
        ]);
    }
    t
}

fn provider_name(item: &PaymentHistoryItem) -> String {
    item.provider
        .as_ref()
        .and_then(|p| p.short_name.clone())
        .unwrap_or_default()
}

/// One CSV row (RFC 4180: a field with a comma, quote or line break is quoted).
fn csv_row(item: &PaymentHistoryItem) -> String {
    let field = |text: String| {
        if text.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text
        }
    };
    let currency = item
        .sum
        .as_ref()
        .or(item.total.as_ref())
        .map_or_else(String::new, |m| m.currency.code());
    let cells = [
        item.txn_id.to_string(),
        item.kind.to_string(),
        item.status.to_string(),
        item.date.to_string(),
        money_text(item.sum.as_ref()),
        currency,
        money_text(item.commission.as_ref()),
        money_text(item.total.as_ref()),
        item.account.clone().unwrap_or_default(),
        provider_name(item),
        item.comment.clone().unwrap_or_default(),
        item.error_code.code().to_string(),
    ];
    let mut row = cells.map(field).join(",");
    row.push('\n');
    row
}

/// `qiwi wallet totals`.
pub async fn totals(client: &WalletClient, out: Output, args: TotalsArgs) -> Result<(), Failure> {
    if args.filter.from.is_none() {
        return Err(Failure::Usage(
            "totals need a date window: --from and --to".into(),
        ));
    }
    let totals = client.history_totals(&filter(&args.filter)?).await?;
    out.emit("totals", &totals, || {
        let mut t = Table::new(&[
            ("DIRECTION", Align::Left),
            ("AMOUNT", Align::Right),
            ("CURRENCY", Align::Left),
        ]);
        for (direction, list) in [
            ("in", &totals.incoming_total),
            ("out", &totals.outgoing_total),
        ] {
            for money in list {
                t.row(vec![
                    direction.into(),
                    money.amount.to_string(),
                    money.currency.code(),
                ]);
            }
        }
        t
    })
}

/// `qiwi wallet transaction`.
pub async fn transaction(
    client: &WalletClient,
    out: Output,
    args: TransactionArgs,
) -> Result<(), Failure> {
    let id = transaction_id(&args.id)?;
    let kind = args.kind.map(kind);
    let transaction = client.transaction(&id, kind.as_ref()).await?;
    out.emit("transaction", &transaction, || {
        fields::table(&transaction).unwrap_or_else(|_| Table::new(&[]))
    })
}

/// `qiwi wallet receipt`.
pub async fn receipt(client: &WalletClient, out: Output, args: ReceiptArgs) -> Result<(), Failure> {
    let id = transaction_id(&args.id)?;
    // Checked first: nothing is asked of the service for a file that would not be written.
    let target = args
        .out
        .as_deref()
        .map(|path| OutFile::new(path, args.force))
        .transpose()?;
    let kind = match args.kind {
        Some(arg) => kind(arg),
        None => client.transaction(&id, None).await?.item.kind,
    };
    let (result, detail) = match (&args.email, target) {
        (Some(email), _) => {
            client.send_receipt(&id, &kind, email).await?;
            (
                "sent",
                serde_json::json!({ "result": "sent", "txn_id": id.as_str(), "email": email }),
            )
        }
        (None, Some(target)) => {
            let format = match args.format {
                ReceiptFormatArg::Pdf => ReceiptFormat::Pdf,
                ReceiptFormatArg::Jpeg => ReceiptFormat::Jpeg,
            };
            let receipt = client.receipt(&id, &kind, format).await?;
            target.write(&receipt.bytes)?;
            (
                "saved",
                serde_json::json!({
                    "result": "saved",
                    "txn_id": id.as_str(),
                    "file": target.path().display().to_string(),
                    "bytes": receipt.bytes.len(),
                    "content_type": receipt.content_type,
                }),
            )
        }
        (None, None) => return Err(Failure::Usage("give --out FILE or --email ADDRESS".into())),
    };
    out.emit("result", &detail, || {
        let mut t = Table::new(&[
            ("RESULT", Align::Left),
            ("TXN ID", Align::Left),
            ("TO", Align::Left),
        ]);
        let to = args
            .email
            .clone()
            .or_else(|| args.out.as_ref().map(|p| p.display().to_string()))
            .unwrap_or_default();
        t.row(vec![result.into(), id.to_string(), to]);
        t
    })
}
