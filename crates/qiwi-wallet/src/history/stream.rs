//! The whole payment history as a stream that follows the cursor.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_core::Stream;
use jiff::Timestamp;
use qiwi_transport::DecodeError;
use qiwi_types::wallet::{
    HistoryCursor, HistoryPage, PaymentHistoryItem, TransactionId, TransactionType,
};
use qiwi_types::{ApiTime, Moscow};
use serde::{Deserialize, Serialize};

use super::HistoryFilter;
use crate::{Error, WalletClient};

/// What identifies a payment in the history: a conversion is listed twice with one `txnId`,
/// as `IN` and as `OUT`.
type Key = (TransactionId, TransactionType);

type PageFuture = Pin<Box<dyn Future<Output = Result<HistoryPage, Error>> + Send>>;

/// Where a [`HistoryStream`] stands, to resume it later with
/// [`WalletClient::history_from`]: the cursor of the page it was reading and the last payment
/// it yielded. Serializable, so it can be saved between runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryCheckpoint {
    /// The cursor the current page was asked with; `None` for the first page.
    pub page: Option<HistoryCursor>,
    /// The last payment yielded (`txnId` and `type`); `None` before the first.
    pub after: Option<(TransactionId, TransactionType)>,
}

/// The payment history, newest first, page by page ([`WalletClient::history`]).
///
/// The stream asks for the next page while the current one is read (one page ahead at most,
/// so memory stays bounded by two pages however long the history is) and ends, without an
/// error, on a page without a cursor, on an empty page, on a cursor that does not move, or when
/// the service answers that no payment matches (404). A payment the service repeats at a page
/// boundary is yielded once (keyed on `txnId` and `type`). A history that cannot be followed
/// ends with an [`Error::Decode`] at `nextTxnDate` once the page's payments are yielded: a
/// cursor newer than the one before, one already followed, a `nextTxnDate` that is no time, a
/// page of nothing but payments of the page before, or more than 1024 pages of one instant.
/// An error ends the stream after it is yielded; a `423`
/// comes as a [`RefusalKind::RateLimited`](qiwi_transport::RefusalKind::RateLimited) refusal at once, and the client's [`HistoryLimiter`] then holds
/// this wallet's history calls for the announced wait.
///
/// [`HistoryLimiter`]: crate::HistoryLimiter
pub struct HistoryStream {
    client: WalletClient,
    rows: u32,
    filter: Arc<HistoryFilter>,
    /// The current page's payments not yielded yet.
    items: std::vec::IntoIter<PaymentHistoryItem>,
    /// The keys of the current page, to drop the next page's repeat of its boundary payment.
    page_keys: HashSet<Key>,
    /// The cursor the current page was asked with.
    page_cursor: Option<HistoryCursor>,
    /// The instant of the last cursor followed, and the ids of every cursor followed at that
    /// instant.
    followed: Option<(Timestamp, HashSet<TransactionId>)>,
    /// The last payment yielded.
    last: Option<Key>,
    /// On resumption: the first page's payments up to this one were yielded before.
    skip_through: Option<Key>,
    /// The next page being fetched, with its cursor.
    pending: Option<(Option<HistoryCursor>, PageFuture)>,
    /// The next page, arrived.
    ahead: Option<(Option<HistoryCursor>, Result<HistoryPage, Error>)>,
}

impl fmt::Debug for HistoryStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HistoryStream")
            .field("rows", &self.rows)
            .field("filter", &self.filter)
            .field("checkpoint", &self.checkpoint())
            .field("fetching", &self.pending.is_some())
            .finish()
    }
}

impl HistoryStream {
    pub(super) fn new(
        client: WalletClient,
        rows: u32,
        filter: Arc<HistoryFilter>,
        checkpoint: HistoryCheckpoint,
    ) -> Self {
        let mut stream = Self {
            client,
            rows,
            filter,
            items: Vec::new().into_iter(),
            page_keys: checkpoint.after.iter().cloned().collect(),
            page_cursor: None,
            followed: None,
            last: checkpoint.after.clone(),
            skip_through: checkpoint.after,
            pending: None,
            ahead: None,
        };
        stream.fetch(checkpoint.page);
        stream
    }

    /// Where the stream stands: resuming from it with [`WalletClient::history_from`] yields
    /// the payments after the last one yielded here.
    pub fn checkpoint(&self) -> HistoryCheckpoint {
        HistoryCheckpoint {
            page: self.page_cursor.clone(),
            after: self.last.clone(),
        }
    }

    fn fetch(&mut self, cursor: Option<HistoryCursor>) {
        let (client, rows, filter) = (self.client.clone(), self.rows, self.filter.clone());
        let at = cursor.clone();
        let future = async move { client.history_page(rows, &filter, at.as_ref()).await };
        self.pending = Some((cursor, Box::pin(future)));
    }

    /// Makes `page` the current page and starts fetching the one after it.
    fn start_page(&mut self, cursor: Option<HistoryCursor>, page: HistoryPage) {
        // A cursor that does not move would fetch the same page forever.
        let next = page.cursor().filter(|next| Some(next) != cursor.as_ref());
        let mut data = page.data;
        // Every key of the page, yielded before or not: the next page may repeat its last.
        let keys: HashSet<Key> = data.iter().map(key).collect();
        if let Some(skip) = self.skip_through.take() {
            if let Some(at) = data.iter().position(|item| key(item) == skip) {
                data.drain(..=at);
            }
        }
        let listed = data.len();
        data.retain(|item| !self.page_keys.contains(&key(item)));
        let repeats_only = listed > 0 && data.is_empty();
        self.page_keys = keys;
        self.page_cursor = cursor;
        self.items = data.into_iter();
        let Some(next) = next else { return };
        let followed = if repeats_only {
            Err("the page lists nothing but payments of the page before".to_owned())
        } else {
            self.follow(&next)
        };
        match followed {
            Ok(()) => self.fetch(Some(next)),
            // Yielded after the page's payments.
            Err(message) => self.ahead = Some((None, Err(unfollowable(message)))),
        }
    }

    /// Records `next` as followed, unless it goes back or cannot be read: a history is newest
    /// first, so each cursor is at the instant of the one before or older.
    fn follow(&mut self, next: &HistoryCursor) -> Result<(), String> {
        let date = &next.next_txn_date;
        let Some(instant) = ApiTime::<Moscow>::parse(date).timestamp() else {
            return Err(format!("{date:?} is no time"));
        };
        match &mut self.followed {
            Some((last, cursors)) if instant == *last => {
                if cursors.len() >= MAX_PAGES_AT_ONE_INSTANT {
                    return Err(format!(
                        "more than {MAX_PAGES_AT_ONE_INSTANT} pages at {date:?}"
                    ));
                }
                if !cursors.insert(next.next_txn_id.clone()) {
                    return Err(format!(
                        "the cursor {} at {date:?} was followed before",
                        next.next_txn_id
                    ));
                }
            }
            Some((last, _)) if instant > *last => {
                return Err(format!("{date:?} is newer than the page before's cursor"));
            }
            _ => self.followed = Some((instant, HashSet::from([next.next_txn_id.clone()]))),
        }
        Ok(())
    }
}

/// The most pages a stream follows at one instant of `nextTxnDate`: far more than a wallet's
/// payments in one second, and a bound on what a cursor stuck at one instant costs.
const MAX_PAGES_AT_ONE_INSTANT: usize = 1024;

/// The error that ends a history that cannot be followed.
fn unfollowable(message: String) -> Error {
    Error::Decode(DecodeError {
        status: http::StatusCode::OK,
        format: "JSON",
        path: "nextTxnDate".into(),
        message: format!("the history cannot be followed further: {message}"),
        body: Default::default(),
    })
}

fn key(item: &PaymentHistoryItem) -> Key {
    (item.txn_id.clone(), item.kind.clone())
}

impl Stream for HistoryStream {
    type Item = Result<PaymentHistoryItem, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some((_, future)) = &mut this.pending {
                if let Poll::Ready(result) = future.as_mut().poll(cx) {
                    let cursor = this.pending.take().and_then(|(cursor, _)| cursor);
                    this.ahead = Some((cursor, result));
                }
            }
            if let Some(item) = this.items.next() {
                this.last = Some(key(&item));
                return Poll::Ready(Some(Ok(item)));
            }
            match this.ahead.take() {
                Some((cursor, Ok(page))) => this.start_page(cursor, page),
                Some((_, Err(error))) => return Poll::Ready(Some(Err(error))),
                None if this.pending.is_some() => return Poll::Pending,
                None => return Poll::Ready(None),
            }
        }
    }
}
