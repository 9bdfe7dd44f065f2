//! Which notifications were already handled, by `messageId`.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// What the store knows of a `messageId`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Claim {
    /// Never seen, or its handling failed: it is now taken by the caller.
    New,
    /// Being handled by another delivery right now.
    InProgress,
    /// Handled: answer 200 without handling it again.
    Handled,
}

/// Remembers handled `messageId`s; implement it over a shared database to de-duplicate across
/// processes.
#[async_trait::async_trait]
pub trait DeliveryStore: Send + Sync + 'static {
    /// Takes `message_id` for handling unless it is handled or being handled.
    async fn claim(&self, message_id: &str) -> Claim;
    /// Records the end of a handling: `handled` keeps it, otherwise it may be claimed again.
    async fn finish(&self, message_id: &str, handled: bool);
}

/// An in-memory [`DeliveryStore`] that remembers the last `capacity` `messageId`s.
#[derive(Debug)]
pub struct MemoryStore {
    capacity: usize,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// `messageId` → (claim number, handled).
    entries: HashMap<String, (u64, bool)>,
    /// Claims, oldest first; an entry is dropped with its own claim only.
    order: VecDeque<(String, u64)>,
    claims: u64,
}

impl MemoryStore {
    /// A store of at most `capacity` (at least one) `messageId`s; the oldest go first.
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            state: Mutex::default(),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic elsewhere cannot leave the map half-written: every update is one insert or
        // remove.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[async_trait::async_trait]
impl DeliveryStore for MemoryStore {
    async fn claim(&self, message_id: &str) -> Claim {
        let mut state = self.state();
        match state.entries.get(message_id) {
            Some((_, true)) => return Claim::Handled,
            Some((_, false)) => return Claim::InProgress,
            None => {}
        }
        state.claims = state.claims.wrapping_add(1);
        let claim = state.claims;
        state.entries.insert(message_id.to_owned(), (claim, false));
        state.order.push_back((message_id.to_owned(), claim));
        while state.order.len() > self.capacity {
            if let Some((id, old)) = state.order.pop_front() {
                if state.entries.get(&id).is_some_and(|(c, _)| *c == old) {
                    state.entries.remove(&id);
                }
            }
        }
        Claim::New
    }

    async fn finish(&self, message_id: &str, handled: bool) {
        let mut state = self.state();
        if handled {
            if let Some(entry) = state.entries.get_mut(message_id) {
                entry.1 = true;
            }
        } else {
            state.entries.remove(message_id);
        }
    }
}
