//! The Treezor access tokens issued so far: bounded, with expired ones dropped.
//!
//! Tokens are kept in issuance order, which is also expiry order (one lifetime for all), so
//! dropping the expired ones and, at the limit, the oldest costs nothing per token issued.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

const CENTURY: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// What a presented token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenState {
    Valid,
    Expired,
    Unknown,
}

/// The valid tokens and when they expire.
#[derive(Debug)]
pub(crate) struct TokenTable {
    limit: usize,
    expiries: HashMap<String, Instant>,
    /// Tokens oldest first, with their expiry.
    order: VecDeque<(Instant, String)>,
}

impl TokenTable {
    /// A table holding at most `limit` tokens (at least one).
    pub(crate) fn new(limit: usize) -> Self {
        Self {
            limit: limit.max(1),
            expiries: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    /// Stores a token valid for `ttl` from `now`, after dropping the tokens expired at `now`
    /// and, at the limit, the oldest.
    pub(crate) fn issue(&mut self, token: String, now: Instant, ttl: Duration) {
        // A lifetime beyond what `Instant` can hold is a century: the same, for a sandbox.
        let expiry = now
            .checked_add(ttl)
            .or_else(|| now.checked_add(CENTURY))
            .unwrap_or(now);
        while self
            .order
            .front()
            .is_some_and(|(e, _)| *e <= now || self.order.len() >= self.limit)
        {
            if let Some((_, old)) = self.order.pop_front() {
                self.expiries.remove(&old);
            }
        }
        self.expiries.insert(token.clone(), expiry);
        self.order.push_back((expiry, token));
    }

    /// Whether `token` is valid at `now`.
    pub(crate) fn check(&self, token: &str, now: Instant) -> TokenState {
        match self.expiries.get(token) {
            Some(expiry) if *expiry > now => TokenState::Valid,
            Some(_) => TokenState::Expired,
            None => TokenState::Unknown,
        }
    }

    /// Makes every token expire at `now`.
    pub(crate) fn expire_all(&mut self, now: Instant) {
        self.expiries.values_mut().for_each(|e| *e = now);
        self.order.iter_mut().for_each(|(e, _)| *e = now);
    }

    /// How many tokens are kept.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.order.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_go_at_the_limit_and_the_expired_at_the_next_issue() {
        let now = Instant::now();
        let hour = Duration::from_secs(3600);
        let mut table = TokenTable::new(3);
        for i in 0..5 {
            table.issue(format!("t{i}"), now, hour);
        }
        assert_eq!(table.len(), 3);
        assert_eq!(table.check("t1", now), TokenState::Unknown);
        assert_eq!(table.check("t2", now), TokenState::Valid);
        table.expire_all(now);
        assert_eq!(table.check("t4", now), TokenState::Expired);
        table.issue("t5".into(), now, hour);
        assert_eq!(table.len(), 1);
        assert_eq!(table.check("t4", now), TokenState::Unknown);
        assert_eq!(table.check("t5", now), TokenState::Valid);
        table.issue("forever".into(), now, Duration::MAX);
        assert_eq!(table.check("forever", now), TokenState::Valid);
    }
}
