//! Every unpaid invoice as a stream that follows the search's cursor.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use qiwi_types::wallet::{Invoice, InvoiceCursor, InvoiceId, InvoicePage, UnixMillis};

use super::{InvoiceAuth, InvoiceQuery};
use crate::{Error, WalletClient};

type PageFuture = Pin<Box<dyn Future<Output = Result<InvoicePage, Error>> + Send>>;

/// The unpaid invoices addressed to the wallet, newest first, page by page
/// ([`WalletClient::invoices`]).
///
/// One page is fetched at a time, when the one before is read, with at least 2 invoices to a
/// page (a `rows` of 1 is read as 2: every page after the first repeats the cursor's invoice,
/// so a page of one could never move on). Each invoice is yielded once, the first time a page
/// lists it (the service lists invoices up to the cursor's id included, so a page starts with
/// the last of the page before); an invoice newer than the cursor a page was asked with is not
/// one the listing can hold there, and is passed over. The stream ends, without an error, on
/// a page shorter than the query's `rows`, on a cursor that does not move or moves to newer
/// invoices, or on a page that lists no invoice not seen before (a cursor that goes back would
/// loop for ever). It remembers only the invoices no older than its cursor, so its memory does
/// not grow with the listing's length. An error ends the stream after it is yielded.
pub struct InvoiceStream {
    client: WalletClient,
    auth: InvoiceAuth,
    query: InvoiceQuery,
    items: std::vec::IntoIter<Invoice>,
    /// The invoices yielded or about to be that a later page may list again: those no newer
    /// than the cursor.
    seen: HashSet<(UnixMillis, InvoiceId)>,
    /// The cursor the page read last was asked with.
    cursor: Option<InvoiceCursor>,
    pending: Option<PageFuture>,
}

impl fmt::Debug for InvoiceStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InvoiceStream")
            .field("auth", &self.auth)
            .field("query", &self.query)
            .field("cursor", &self.cursor)
            .field("fetching", &self.pending.is_some())
            .finish()
    }
}

impl InvoiceStream {
    pub(super) fn new(client: WalletClient, auth: InvoiceAuth, query: InvoiceQuery) -> Self {
        let query = InvoiceQuery {
            rows: query.rows.max(2),
            ..query
        };
        let mut stream = Self {
            client,
            auth,
            query,
            items: Vec::new().into_iter(),
            seen: HashSet::new(),
            cursor: None,
            pending: None,
        };
        stream.fetch(None);
        stream
    }

    fn fetch(&mut self, cursor: Option<InvoiceCursor>) {
        let (client, auth, query) = (self.client.clone(), self.auth.clone(), self.query);
        self.pending = Some(Box::pin(async move {
            client.invoices_page(&auth, &query, cursor.as_ref()).await
        }));
    }

    fn start_page(&mut self, page: InvoicePage) {
        // Listed from a cursor, nothing newer than it belongs on the page.
        let newest = self.cursor.map(|c| c.next_creation_datetime);
        let within = |time: UnixMillis| newest.is_none_or(|newest| time <= newest);
        let next = page
            .cursor(self.query.rows)
            .filter(|next| Some(next) != self.cursor.as_ref())
            .filter(|next| within(next.next_creation_datetime));
        let mut bills = page.bills;
        bills.retain(|bill| {
            within(bill.creation_datetime) && self.seen.insert((bill.creation_datetime, bill.id))
        });
        let moved_on = !bills.is_empty();
        self.items = bills.into_iter();
        if let Some(next) = next.filter(|_| moved_on) {
            self.seen
                .retain(|(time, _)| *time <= next.next_creation_datetime);
            self.cursor = Some(next);
            self.fetch(Some(next));
        }
    }
}

impl Stream for InvoiceStream {
    type Item = Result<Invoice, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.items.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            let Some(future) = &mut this.pending else {
                return Poll::Ready(None);
            };
            let result = std::task::ready!(future.as_mut().poll(cx));
            this.pending = None;
            match result {
                Ok(page) => this.start_page(page),
                Err(error) => return Poll::Ready(Some(Err(error))),
            }
        }
    }
}
