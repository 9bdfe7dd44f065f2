//! Attempt deadlines watched by one shared thread instead of a runtime timer per attempt.
//!
//! Every attempt needs a time limit, and almost none reaches it. A tokio timer per attempt is
//! registered with and removed from the runtime's timer wheel on every call, and under load that
//! cost several microseconds of CPU per call (see `docs/performance.md`). Here an
//! attempt only writes its deadline into a shared table and removes it when it ends; one
//! thread sleeps until the earliest deadline it knows of and wakes the attempts that reached
//! theirs. The thread is woken early only when a deadline comes before the one it sleeps
//! towards, which with a fixed limit per client is rare.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

/// Completes once `duration` has passed since it was created.
///
/// Falls back to a tokio timer when the watcher thread cannot be started.
pub(crate) fn after(duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
    static SHARED: OnceLock<Option<&'static Watcher>> = OnceLock::new();
    match *SHARED.get_or_init(Watcher::start) {
        Some(watcher) => watcher.after(duration),
        None => Box::pin(tokio::time::sleep(duration)),
    }
}

/// The table of deadlines in force and the thread that watches it.
struct Watcher {
    table: Mutex<Table>,
    /// Wakes the thread when a deadline comes before the one it sleeps towards.
    earlier: Condvar,
}

#[derive(Default)]
struct Table {
    /// Indexed by slot; a slot belongs to one [`Deadline`] until it is dropped.
    entries: Vec<Option<Entry>>,
    free: Vec<usize>,
    /// When the thread will look next (`None`: only when woken).
    next_look: Option<Instant>,
}

struct Entry {
    at: Instant,
    waker: Waker,
    /// Woken already: the attempt will see its deadline passed when polled.
    fired: bool,
}

impl Watcher {
    /// A watcher with its own thread, or `None` when the thread cannot be started.
    fn start() -> Option<&'static Watcher> {
        // Lives as long as the process, like its thread.
        let watcher: &'static Watcher = Box::leak(Box::new(Watcher {
            table: Mutex::default(),
            earlier: Condvar::new(),
        }));
        std::thread::Builder::new()
            .name("qiwi-deadlines".into())
            .spawn(move || watcher.run())
            .ok()
            .map(|_| watcher)
    }

    fn after(&'static self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        // An instant too far away to represent is a limit that is never reached.
        match Instant::now().checked_add(duration) {
            Some(at) => Box::pin(Deadline {
                at,
                watcher: self,
                slot: None,
            }),
            None => Box::pin(std::future::pending()),
        }
    }

    fn table(&self) -> MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn run(&self) {
        let mut table = self.table();
        loop {
            let now = Instant::now();
            let mut due = Vec::new();
            let mut next = None::<Instant>;
            for entry in table.entries.iter_mut().flatten() {
                if entry.fired {
                    continue;
                }
                if entry.at <= now {
                    entry.fired = true;
                    due.push(entry.waker.clone());
                } else {
                    next = Some(next.map_or(entry.at, |n| n.min(entry.at)));
                }
            }
            table.next_look = next;
            if !due.is_empty() {
                drop(table);
                due.into_iter().for_each(Waker::wake);
                table = self.table();
                continue;
            }
            table = match next {
                Some(at) => {
                    self.earlier
                        .wait_timeout(table, at.saturating_duration_since(now))
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
                None => self
                    .earlier
                    .wait(table)
                    .unwrap_or_else(PoisonError::into_inner),
            };
        }
    }
}

/// One attempt's deadline.
struct Deadline {
    at: Instant,
    watcher: &'static Watcher,
    /// The table slot and the waker written there, once registered.
    slot: Option<(usize, Waker)>,
}

impl Deadline {
    fn register(&mut self, waker: &Waker) {
        let mut table = self.watcher.table();
        match &mut self.slot {
            Some((index, registered)) => {
                if let Some(entry) = table.entries[*index].as_mut() {
                    entry.waker = waker.clone();
                }
                *registered = waker.clone();
            }
            None => {
                let entry = Entry {
                    at: self.at,
                    waker: waker.clone(),
                    fired: false,
                };
                let index = match table.free.pop() {
                    Some(index) => {
                        table.entries[index] = Some(entry);
                        index
                    }
                    None => {
                        table.entries.push(Some(entry));
                        table.entries.len() - 1
                    }
                };
                self.slot = Some((index, waker.clone()));
                if table.next_look.is_none_or(|next| self.at < next) {
                    table.next_look = Some(self.at);
                    self.watcher.earlier.notify_one();
                }
            }
        }
    }
}

impl Future for Deadline {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        if Instant::now() >= this.at {
            return Poll::Ready(());
        }
        let current = matches!(&this.slot, Some((_, waker)) if waker.will_wake(cx.waker()));
        if !current {
            this.register(cx.waker());
        }
        Poll::Pending
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let Some((index, _)) = self.slot.take() {
            let mut table = self.watcher.table();
            table.entries[index] = None;
            table.free.push(index);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watcher() -> &'static Watcher {
        Watcher::start().expect("the watcher thread starts")
    }

    fn slots_in_use(watcher: &Watcher) -> usize {
        watcher.table().entries.iter().flatten().count()
    }

    /// Polls `future` once with the task's waker.
    async fn poll_once<F: Future + Unpin>(mut future: F) -> Poll<F::Output> {
        std::future::poll_fn(|cx| Poll::Ready(Pin::new(&mut future).poll(cx))).await
    }

    #[tokio::test]
    async fn a_zero_limit_is_reached_at_once() {
        let watcher = watcher();
        assert!(poll_once(watcher.after(Duration::ZERO)).await.is_ready());
        assert_eq!(slots_in_use(watcher), 0);
    }

    #[tokio::test]
    async fn a_short_limit_is_reached_behind_a_long_one() {
        let watcher = watcher();
        // The thread sleeps towards the hour-long deadline; the short one must wake it early.
        let mut long = watcher.after(Duration::from_secs(3600));
        assert!(poll_once(&mut long).await.is_pending());
        tokio::time::timeout(
            Duration::from_secs(30),
            watcher.after(Duration::from_millis(5)),
        )
        .await
        .expect("the short deadline is reached");
        assert!(poll_once(&mut long).await.is_pending());
        assert_eq!(slots_in_use(watcher), 1);
    }

    #[tokio::test]
    async fn ended_attempts_free_their_slots_for_the_next_ones() {
        let watcher = watcher();
        let mut pending = Vec::new();
        for _ in 0..100 {
            let mut deadline = watcher.after(Duration::from_secs(3600));
            assert!(poll_once(&mut deadline).await.is_pending());
            pending.push(deadline);
        }
        assert_eq!(slots_in_use(watcher), 100);
        drop(pending);
        assert_eq!(slots_in_use(watcher), 0);
        for _ in 0..100 {
            let mut deadline = watcher.after(Duration::from_secs(3600));
            assert!(poll_once(&mut deadline).await.is_pending());
        }
        // Each attempt reused a freed slot: the table did not grow.
        assert_eq!(watcher.table().entries.len(), 100);
    }

    #[tokio::test]
    async fn an_unrepresentable_limit_is_never_reached() {
        let watcher = watcher();
        let mut never = watcher.after(Duration::MAX);
        assert!(poll_once(&mut never).await.is_pending());
        assert_eq!(slots_in_use(watcher), 0);
    }
}
