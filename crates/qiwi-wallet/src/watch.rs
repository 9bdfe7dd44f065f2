//! Polling the history for new payments and status changes ([`WalletClient::watch`]).

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use qiwi_types::wallet::{PaymentHistoryItem, TransactionId, TransactionStatus, TransactionType};
use serde::{Deserialize, Serialize};

use crate::event::PaymentEvent;
use crate::history::{HistoryFilter, MAX_HISTORY_ROWS};
use crate::{Error, WalletClient};

/// How long a watch waits between two polls by default.
pub const DEFAULT_WATCH_INTERVAL: Duration = Duration::from_secs(2);

/// How far before the newest payment seen a poll still looks for payments it has not seen: a
/// payment can reach the history after a newer one.
const OVERLAP_SECS: i64 = 60 * 60;

/// How long a payment still waiting is followed for a change of status: the service's
/// history answers cover the last day by default.
const WAITING_SECS: i64 = 24 * 60 * 60;

/// The most history pages one poll reads (a wallet with more new payments than that between
/// two polls gets the rest on the next ones).
const MAX_PAGES_PER_POLL: u32 = 4;

/// The most payments a mark remembers; the oldest settled ones are forgotten first.
const MAX_SEEN: usize = 2_000;

/// Where a watch stands: which payments it has reported, with their status, and the date of
/// the newest. Serializable, so that a watch resumes after a restart without reporting a
/// payment twice or missing one that came in meanwhile (within the hour before the newest
/// payment seen, and the pages a poll reads).
///
/// It is not the history's paging cursor: it holds what was reported, not where a page read
/// stopped. [`WatchMark::default`] starts from now: the first poll reports nothing and only
/// records what the history already holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchMark {
    /// Whether a poll has recorded the history once.
    primed: bool,
    /// The newest payment's date seen, in Unix seconds.
    newest: Option<i64>,
    /// The payments reported, oldest first.
    seen: Vec<Seen>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Seen {
    txn_id: TransactionId,
    kind: TransactionType,
    status: TransactionStatus,
    /// Unix seconds; `None` when the service's date could not be read.
    date: Option<i64>,
}

fn seconds(item: &PaymentHistoryItem) -> Option<i64> {
    item.date.timestamp().map(|t| t.as_second())
}

fn settled(status: &TransactionStatus) -> bool {
    !matches!(status, TransactionStatus::Waiting)
}

impl WatchMark {
    /// The oldest date a poll must reach: an hour before the newest payment, or the oldest
    /// payment still waiting; `None` before the first poll.
    fn horizon(&self) -> Option<i64> {
        let newest = self.newest?.saturating_sub(OVERLAP_SECS);
        let waiting = self
            .seen
            .iter()
            .filter(|s| !settled(&s.status))
            .filter_map(|s| s.date)
            .min();
        Some(waiting.map_or(newest, |w| w.min(newest)))
    }

    fn position(&self, txn_id: &TransactionId, kind: &TransactionType) -> Option<usize> {
        self.seen
            .iter()
            .position(|s| &s.txn_id == txn_id && &s.kind == kind)
    }

    /// Records a payment as reported with its status and date.
    fn record(&mut self, event: &PaymentEvent) {
        let date = event.date.timestamp().map(|t| t.as_second());
        match self.position(&event.txn_id, &event.kind) {
            Some(index) => self.seen[index].status = event.status.clone(),
            None => self.seen.push(Seen {
                txn_id: event.txn_id.clone(),
                kind: event.kind.clone(),
                status: event.status.clone(),
                date,
            }),
        }
        if let Some(date) = date {
            self.newest = Some(self.newest.map_or(date, |n| n.max(date)));
        }
    }

    /// The events of a poll's payments (newest first, as the history lists them), oldest
    /// first; records them all. Before the first poll, records without reporting.
    fn absorb(&mut self, items: Vec<PaymentHistoryItem>) -> Vec<PaymentEvent> {
        let horizon = self.horizon();
        let report = self.primed;
        let mut events = Vec::new();
        for item in items.into_iter().rev() {
            let date = seconds(&item);
            let previous = self
                .position(&item.txn_id, &item.kind)
                .map(|index| self.seen[index].status.clone());
            let event = match previous {
                Some(status) if status == item.status => continue,
                // Forgotten or from before the mark: reported once, long ago, or never to be.
                None if horizon.zip(date).is_some_and(|(h, d)| d < h) => continue,
                previous => PaymentEvent::polled(item, previous),
            };
            self.record(&event);
            if report {
                events.push(event);
            }
        }
        self.primed = true;
        self.forget_old();
        events
    }

    /// Forgets settled payments older than the overlap, waiting ones older than a day, and
    /// the oldest settled ones past [`MAX_SEEN`].
    fn forget_old(&mut self) {
        if let Some(newest) = self.newest {
            self.seen.retain(|s| {
                let age = if settled(&s.status) {
                    OVERLAP_SECS
                } else {
                    WAITING_SECS
                };
                s.date.is_none_or(|d| d >= newest.saturating_sub(age))
            });
        }
        let mut excess = self.seen.len().saturating_sub(MAX_SEEN);
        self.seen.retain(|s| {
            let drop = excess > 0 && settled(&s.status);
            excess -= usize::from(drop);
            !drop
        });
    }
}

/// One poll: the history's newest pages down to the mark's horizon, and the events they hold.
async fn poll_once(
    client: WalletClient,
    filter: HistoryFilter,
    mut mark: WatchMark,
) -> (WatchMark, Result<Vec<PaymentEvent>, Error>) {
    let horizon = mark.horizon();
    let mut items = Vec::new();
    let mut cursor = None;
    for _ in 0..MAX_PAGES_PER_POLL {
        let page = match client
            .history_page(MAX_HISTORY_ROWS, &filter, cursor.as_ref())
            .await
        {
            Ok(page) => page,
            Err(error) => return (mark, Err(error)),
        };
        cursor = page.cursor();
        let oldest = page.data.last().and_then(seconds);
        items.extend(page.data);
        let reached = match (horizon, oldest) {
            (Some(horizon), Some(oldest)) => oldest < horizon,
            // Before the first poll one page is the baseline.
            (None, _) => true,
            (Some(_), None) => false,
        };
        if reached || cursor.is_none() {
            break;
        }
    }
    let events = mark.absorb(items);
    (mark, Ok(events))
}

type PollFuture =
    Pin<Box<dyn Future<Output = (WatchMark, Result<Vec<PaymentEvent>, Error>)> + Send>>;

/// New payments and status changes, by polling the history ([`WalletClient::watch`]).
///
/// Each poll reads the history's newest page (50 payments, more pages when needed to reach
/// the mark), through the client's [`HistoryLimiter`](crate::HistoryLimiter), so a watch
/// never exceeds the service's limit of 100 history calls a minute, even with other history
/// calls of the same client. A payment is yielded once when first seen, and again each time
/// its status changes (`WAITING` to `SUCCESS`), with
/// [`EventOrigin::Polling`](crate::EventOrigin::Polling) giving the status before. A failed
/// poll yields its error and the watch goes on after the interval; drop the stream to stop.
///
/// [`mark`](Self::mark) says where it stands after the events yielded so far: save it to
/// resume with [`WalletClient::watch_from`].
pub struct WatchStream {
    client: WalletClient,
    filter: HistoryFilter,
    interval: Duration,
    /// What the events yielded so far make known.
    mark: WatchMark,
    /// The mark after the last poll, taken once its events are all yielded.
    polled: Option<WatchMark>,
    ready: VecDeque<PaymentEvent>,
    running: Option<PollFuture>,
    first: bool,
}

impl fmt::Debug for WatchStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WatchStream")
            .field("filter", &self.filter)
            .field("interval", &self.interval)
            .field("ready", &self.ready.len())
            .finish_non_exhaustive()
    }
}

impl WatchStream {
    /// Where the watch stands after the events yielded so far.
    pub fn mark(&self) -> &WatchMark {
        &self.mark
    }

    fn start_poll(&mut self) -> PollFuture {
        let client = self.client.clone();
        let filter = self.filter.clone();
        let mark = self.mark.clone();
        let wait = (!std::mem::take(&mut self.first)).then_some(self.interval);
        Box::pin(async move {
            if let Some(wait) = wait {
                client.time().1.sleep(wait).await;
            }
            poll_once(client, filter, mark).await
        })
    }
}

impl Stream for WatchStream {
    type Item = Result<PaymentEvent, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(event) = this.ready.pop_front() {
                this.mark.record(&event);
                return Poll::Ready(Some(Ok(event)));
            }
            if let Some(polled) = this.polled.take() {
                this.mark = polled;
            }
            let mut running = match this.running.take() {
                Some(running) => running,
                None => this.start_poll(),
            };
            match running.as_mut().poll(cx) {
                Poll::Pending => {
                    this.running = Some(running);
                    return Poll::Pending;
                }
                Poll::Ready((mark, Ok(events))) => {
                    this.polled = Some(mark);
                    this.ready.extend(events);
                }
                Poll::Ready((_, Err(error))) => return Poll::Ready(Some(Err(error))),
            }
        }
    }
}

impl WalletClient {
    /// Watches the history for payments from now on: see [`WatchStream`]. `filter` narrows
    /// what is watched (its window is best left unset: the service's default is the last
    /// day); `interval` is the wait between polls ([`DEFAULT_WATCH_INTERVAL`] is a fair one).
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// use futures_util::StreamExt;
    /// use qiwi_wallet::{DEFAULT_WATCH_INTERVAL, HistoryFilter};
    ///
    /// let mut events = client.watch(HistoryFilter::default(), DEFAULT_WATCH_INTERVAL);
    /// while let Some(event) = events.next().await {
    ///     let event = event?;
    ///     println!("{} {} {} {:?}", event.txn_id, event.kind, event.status, event.total);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn watch(&self, filter: HistoryFilter, interval: Duration) -> WatchStream {
        self.watch_from(filter, interval, WatchMark::default())
    }

    /// A mark of the history as it stands now (one poll): a watch resumed from it reports
    /// what comes after this call, and its first poll is made at once.
    ///
    /// # Errors
    /// Any [`Error`] of the poll (an invalid token is reported here, before any watching).
    pub async fn watch_mark(&self, filter: &HistoryFilter) -> Result<WatchMark, Error> {
        let (mark, polled) = poll_once(self.clone(), filter.clone(), WatchMark::default()).await;
        polled.map(|_| mark)
    }

    /// Resumes a watch from a saved [`WatchStream::mark`]: payments it does not hold are
    /// reported on the first poll.
    pub fn watch_from(
        &self,
        filter: HistoryFilter,
        interval: Duration,
        mark: WatchMark,
    ) -> WatchStream {
        WatchStream {
            client: self.clone(),
            filter,
            interval,
            mark,
            polled: None,
            ready: VecDeque::new(),
            running: None,
            first: true,
        }
    }
}
