//! Payment history: E14 to E18.

mod limiter;
mod stream;

use std::sync::Arc;

use bytes::Bytes;
use qiwi_transport::{NotSentError, Url, header};
use qiwi_types::wallet::{
    HistoryCursor, HistoryOperation, HistoryPage, HistorySource, HistoryTotals, HistoryWindow,
    ReceiptFormat, SendReceiptRequest, Transaction, TransactionId, TransactionType,
};

pub use limiter::{DEFAULT_HISTORY_LIMIT, HISTORY_WINDOW, HistoryLimiter};
pub use stream::{HistoryCheckpoint, HistoryStream};

use crate::scope::{HISTORY, HISTORY_TOTALS, RECEIPT_FILE, RECEIPT_SEND, TRANSACTION};
use crate::{Error, WalletClient};

/// The most payments one page may hold (`rows`).
pub const MAX_HISTORY_ROWS: u32 = 50;

/// Which payments a history or totals request asks for: the operation, the funding sources and
/// the date window. Everything left unset is not sent (the service's defaults apply: all
/// operations, all sources, the last day).
///
/// ```
/// use qiwi_wallet::{HistoryFilter, HistoryOperation, HistorySource, HistoryWindow};
///
/// let filter = HistoryFilter::default()
///     .operation(HistoryOperation::In)
///     .source(HistorySource::QwRub)
///     .window(HistoryWindow::parse("2024-01-01T00:00:00+03:00", "2024-02-01T00:00:00+03:00").unwrap());
/// # let _ = filter;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryFilter {
    /// `operation`; not sent when `None`.
    pub operation: Option<HistoryOperation>,
    /// `sources[n]`, in order; not sent when empty.
    pub sources: Vec<HistorySource>,
    /// `startDate` and `endDate`; not sent when `None`.
    pub window: Option<HistoryWindow>,
}

impl HistoryFilter {
    qiwi_transport::setters! {
        /// Asks for one kind of operation.
        operation: Option<HistoryOperation>;
        /// Asks for a date window.
        window: Option<HistoryWindow>;
    }

    /// Adds a funding source.
    pub fn source(mut self, source: HistorySource) -> Self {
        self.sources.push(source);
        self
    }

    /// Appends the filter to `url`'s query: `operation`, `sources[n]` (brackets
    /// percent-encoded, as in the reference's examples), `startDate`/`endDate` in the window's
    /// offset (`+` and `:` percent-encoded).
    fn append_to(&self, url: &mut Url) {
        let mut query = url.query_pairs_mut();
        if let Some(operation) = &self.operation {
            query.append_pair("operation", operation.as_str());
        }
        for (index, source) in self.sources.iter().enumerate() {
            query.append_pair(&format!("sources[{index}]"), source.as_str());
        }
        if let Some(window) = &self.window {
            query.append_pair("startDate", &window.start_text());
            query.append_pair("endDate", &window.end_text());
        }
    }

    fn check(&self) -> Result<(), Error> {
        let blank = |text: &str| text.trim().is_empty();
        if self.operation.as_ref().is_some_and(|o| blank(o.as_str()))
            || self.sources.iter().any(|s| blank(s.as_str()))
        {
            return Err(invalid(
                "an operation or source in the history filter is empty",
            ));
        }
        Ok(())
    }
}

/// A file the service answers with, a receipt (E17) or a card statement (E45): its bytes and
/// the content type the service gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The `Content-Type` of the answer, when it had one.
    pub content_type: Option<String>,
    /// The file.
    pub bytes: Bytes,
}

fn invalid(message: impl Into<String>) -> Error {
    NotSentError::InvalidInput(message.into()).into()
}

impl WalletClient {
    /// One page of the payment history (E14), newest first: `rows` (1 to 50) payments matching
    /// `filter`, from the start or from `cursor` (the [`HistoryPage::cursor`] of the page
    /// before). When no payment matches, the service answers 404; that is an empty page here.
    ///
    /// History calls go through the client's [`HistoryLimiter`].
    ///
    /// # Errors
    /// [`Error::NotSent`] when `rows` is not between 1 and 50 or the filter holds an empty
    /// value; otherwise any [`Error`] of the call (a `423` is [`RefusalKind::RateLimited`](qiwi_transport::RefusalKind::RateLimited), and the
    /// limiter then holds this wallet's history calls for the announced wait).
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// use qiwi_wallet::HistoryFilter;
    ///
    /// let page = client.history_page(50, &HistoryFilter::default(), None).await?;
    /// for item in &page.data {
    ///     println!("{} {} {:?}", item.date, item.kind, item.total);
    /// }
    /// if let Some(cursor) = page.cursor() {
    ///     let next = client.history_page(50, &HistoryFilter::default(), Some(&cursor)).await?;
    ///     # let _ = next;
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn history_page(
        &self,
        rows: u32,
        filter: &HistoryFilter,
        cursor: Option<&HistoryCursor>,
    ) -> Result<HistoryPage, Error> {
        if !(1..=MAX_HISTORY_ROWS).contains(&rows) {
            return Err(invalid(format!(
                "a history page holds 1 to {MAX_HISTORY_ROWS} payments (rows); got {rows}"
            )));
        }
        filter.check()?;
        let mut request = self.request(&HISTORY, &[self.wallet().as_str()])?;
        let url = &mut request.url;
        url.query_pairs_mut().append_pair("rows", &rows.to_string());
        filter.append_to(url);
        if let Some(cursor) = cursor {
            url.query_pairs_mut()
                .append_pair("nextTxnId", cursor.next_txn_id.as_str())
                .append_pair("nextTxnDate", &cursor.next_txn_date);
        }
        match self.send(request, &HISTORY).await {
            Ok(response) => self.decode_json(&response),
            Err(error) if no_payments_match(&error) => Ok(HistoryPage {
                data: Vec::new(),
                next_txn_id: None,
                next_txn_date: None,
            }),
            Err(error) => Err(error),
        }
    }

    /// The whole history matching `filter` as a stream of payments, newest first, `rows` to a
    /// page; see [`HistoryStream`].
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// use futures_util::StreamExt;
    /// use qiwi_wallet::HistoryFilter;
    ///
    /// let mut payments = client.history(50, HistoryFilter::default());
    /// while let Some(item) = payments.next().await {
    ///     let item = item?;
    ///     println!("{} {:?}", item.txn_id, item.total);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn history(&self, rows: u32, filter: HistoryFilter) -> HistoryStream {
        self.history_from(rows, filter, HistoryCheckpoint::default())
    }

    /// Resumes a history stream where a [`HistoryStream::checkpoint`] was taken.
    pub fn history_from(
        &self,
        rows: u32,
        filter: HistoryFilter,
        checkpoint: HistoryCheckpoint,
    ) -> HistoryStream {
        HistoryStream::new(self.clone(), rows, Arc::new(filter), checkpoint)
    }

    /// The per-currency totals of incoming and outgoing payments in `filter`'s window (E15).
    ///
    /// # Errors
    /// [`Error::NotSent`] when the filter has no window (the service requires one) or holds
    /// an empty value; otherwise any [`Error`] of the call.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// use qiwi_wallet::{HistoryFilter, HistoryWindow};
    ///
    /// let window = HistoryWindow::parse("2024-01-01T00:00:00+03:00", "2024-02-01T00:00:00+03:00")
    ///     .expect("a window");
    /// let totals = client.history_totals(&HistoryFilter::default().window(window)).await?;
    /// for money in &totals.incoming_total {
    ///     println!("in: {money}");
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn history_totals(&self, filter: &HistoryFilter) -> Result<HistoryTotals, Error> {
        if filter.window.is_none() {
            return Err(invalid(
                "history totals need a date window (startDate and endDate are required)",
            ));
        }
        filter.check()?;
        let mut request = self.request(&HISTORY_TOTALS, &[self.wallet().as_str()])?;
        filter.append_to(&mut request.url);
        let response = self.send(request, &HISTORY_TOTALS).await?;
        self.decode_json(&response)
    }

    /// One transaction with its details (E16); `kind` is the `type` the history gave it (a
    /// conversion has one id for its `IN` and its `OUT`).
    ///
    /// # Errors
    /// Any [`Error`] of the call; a [`RefusalKind::NotFound`](qiwi_transport::RefusalKind::NotFound) refusal when there is no such transaction.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// use qiwi_wallet::TransactionType;
    ///
    /// let id = "11233344692".parse().expect("a transaction id");
    /// let transaction = client.transaction(&id, Some(&TransactionType::Out)).await?;
    /// println!("{} {:?}", transaction.item.status, transaction.features);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn transaction(
        &self,
        id: &TransactionId,
        kind: Option<&TransactionType>,
    ) -> Result<Transaction, Error> {
        let mut request = self.request(&TRANSACTION, &[id.as_str()])?;
        if let Some(kind) = kind {
            request
                .url
                .query_pairs_mut()
                .append_pair("type", kind.as_str());
        }
        let response = self.send(request, &TRANSACTION).await?;
        self.decode_json(&response)
    }

    /// A transaction's receipt as a file (E17: note the `v1` prefix), never decoded: its bytes
    /// and content type.
    ///
    /// # Errors
    /// Any [`Error`] of the call; a file larger than the transport's body limit is an
    /// [`Error::Transport`] that names the limit.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// use qiwi_wallet::{ReceiptFormat, TransactionType};
    ///
    /// let id = "11233344692".parse().expect("a transaction id");
    /// let receipt = client.receipt(&id, &TransactionType::Out, ReceiptFormat::Pdf).await?;
    /// std::fs::write("receipt.pdf", &receipt.bytes).expect("written");
    /// # Ok(())
    /// # }
    /// ```
    pub async fn receipt(
        &self,
        id: &TransactionId,
        kind: &TransactionType,
        format: ReceiptFormat,
    ) -> Result<Receipt, Error> {
        let mut request = self.request(&RECEIPT_FILE, &[id.as_str()])?;
        request
            .url
            .query_pairs_mut()
            .append_pair("type", kind.as_str())
            .append_pair("format", format.as_str());
        let response = self.send(request, &RECEIPT_FILE).await?;
        Ok(Receipt {
            content_type: response.header_str(header::CONTENT_TYPE).map(str::to_owned),
            bytes: response.body,
        })
    }

    /// Has the service e-mail a transaction's receipt to `email` (E18; answered `201`).
    ///
    /// Never retried: a repeat would send a second e-mail.
    ///
    /// # Errors
    /// [`Error::NotSent`] when `email` is not an address; otherwise any [`Error`] of the call.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// use qiwi_wallet::TransactionType;
    ///
    /// let id = "11233344692".parse().expect("a transaction id");
    /// client.send_receipt(&id, &TransactionType::Out, "me@example.com").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send_receipt(
        &self,
        id: &TransactionId,
        kind: &TransactionType,
        email: &str,
    ) -> Result<(), Error> {
        let email = email.trim();
        let plausible = email
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
        if !plausible || email.chars().any(char::is_whitespace) {
            return Err(invalid(format!(
                "{email:?} is not an e-mail address to send the receipt to"
            )));
        }
        let mut request = self.request(&RECEIPT_SEND, &[id.as_str()])?;
        request
            .url
            .query_pairs_mut()
            .append_pair("type", kind.as_str());
        let body = SendReceiptRequest {
            email: email.to_owned(),
        };
        let request = Self::with_json(request, &body)?;
        self.send(request, &RECEIPT_SEND).await.map(drop)
    }
}

/// A `404` with a QIWI error body: the service's "no payments match". A `404` without one
/// comes from something that is not the API (a wrong base URL) and stays an error.
fn no_payments_match(error: &Error) -> bool {
    error.refusal().is_some_and(|refusal| {
        let answer = &refusal.answer;
        answer.status.as_u16() == 404 && (answer.code.is_some() || answer.message.is_some())
    })
}
