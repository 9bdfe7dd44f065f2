//! The command-line arguments of the payment-history commands (`qiwi wallet history`,
//! `totals`, `transaction`, `receipt`).

use clap::{Args, ValueEnum};

/// Which payments: the filter shared by `history` and `totals`.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only these operations.
    #[arg(long, value_enum)]
    pub operation: Option<OperationArg>,
    /// Only these funding sources (repeat the flag or separate with commas).
    #[arg(long = "source", value_enum, value_delimiter = ',')]
    pub sources: Vec<SourceArg>,
    /// Start of the date window, with its offset (e.g. 2024-01-01T00:00:00+03:00); both ends
    /// in one offset, at most 90 days apart.
    #[arg(long, requires = "to")]
    pub from: Option<String>,
    /// End of the date window, in the same offset as --from.
    #[arg(long, requires = "from")]
    pub to: Option<String>,
}

/// `qiwi wallet history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Payments per page (1 to 50).
    #[arg(long, default_value_t = 50)]
    pub rows: u32,
    /// Follow the cursor to the end of the history instead of printing one page.
    #[arg(long)]
    pub all: bool,
    /// Start at this page cursor (the `next_txn_id` of a previous page; with --next-txn-date).
    #[arg(long, requires = "next_txn_date")]
    pub next_txn_id: Option<String>,
    /// The `next_txn_date` of a previous page, exactly as printed.
    #[arg(long, requires = "next_txn_id")]
    pub next_txn_date: Option<String>,
    /// Output: a table, or a streaming export (one CSV row or JSON object per payment).
    #[arg(long, value_enum, default_value_t = HistoryFormat::Table)]
    pub format: HistoryFormat,
}

/// `qiwi wallet totals`.
#[derive(Debug, Args)]
pub struct TotalsArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// `qiwi wallet transaction`.
#[derive(Debug, Args)]
pub struct TransactionArgs {
    /// The transaction id (`txn_id` in the history).
    pub id: String,
    /// Its type, as the history lists it (a conversion has one id for IN and OUT).
    #[arg(long = "type", value_enum)]
    pub kind: Option<KindArg>,
}

/// `qiwi wallet receipt`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("destination").required(true).args(["out", "email"])))]
pub struct ReceiptArgs {
    /// The transaction id (`txn_id` in the history).
    pub id: String,
    /// Its type; looked up when not given.
    #[arg(long = "type", value_enum)]
    pub kind: Option<KindArg>,
    /// The file format.
    #[arg(long, value_enum, default_value_t = ReceiptFormatArg::Pdf)]
    pub format: ReceiptFormatArg,
    /// Write the receipt to this file; an existing file is kept (exit 2) unless --force is
    /// given.
    #[arg(long, conflicts_with = "email")]
    pub out: Option<std::path::PathBuf>,
    /// Replace the --out file if it exists.
    #[arg(long, requires = "out")]
    pub force: bool,
    /// Have the service e-mail the receipt to this address instead.
    #[arg(long)]
    pub email: Option<String>,
}

/// `--operation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OperationArg {
    /// Every payment.
    All,
    /// Incoming.
    In,
    /// Outgoing.
    Out,
    /// QIWI card payments.
    QiwiCard,
}

/// `--source`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SourceArg {
    /// The rouble account.
    QwRub,
    /// The dollar account.
    QwUsd,
    /// The euro account.
    QwEur,
    /// Bank cards.
    Card,
    /// The mobile operator's account.
    Mk,
}

/// `--type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// Incoming.
    In,
    /// Outgoing.
    Out,
    /// A QIWI card payment.
    QiwiCard,
}

/// `qiwi wallet history --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HistoryFormat {
    /// A table (or one JSON document with --json).
    Table,
    /// CSV with a header line, one row per payment.
    Csv,
    /// One JSON object per line, per payment.
    Jsonl,
}

/// `qiwi wallet receipt --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReceiptFormatArg {
    /// PDF.
    Pdf,
    /// JPEG.
    Jpeg,
}
