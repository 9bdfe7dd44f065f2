//! Payment numbers that no two processes on one host share: the agent's `transaction-number`
//! and the QIWI Wallet payment `id` (both positive integers of at most 20 digits).
//!
//! A number is `(tick × PROCESSES + pid) × PER_TICK + sequence`: the millisecond since
//! 2024-01-01 UTC (the logical clock), the process id, and a counter within the millisecond.

use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

/// Process ids are reduced modulo this: `2^22`, Linux's largest `pid_max`.
const PROCESSES: u128 = 1 << 22;
/// Numbers one process takes in one millisecond before it waits for the next one.
const PER_TICK: u128 = 8;
/// 2024-01-01T00:00:00Z in milliseconds since the Unix epoch.
const EPOCH_MS: u128 = 1_704_067_200_000;
/// Ticks that fit in 20 digits: about 94 years from the epoch, that is until 2118; after that
/// the ticks start again from 1.
const TICKS: u128 = 10u128.pow(UniqueNumber::MAX_DIGITS) / (PROCESSES * PER_TICK);

/// A payment number unique on this host (see [`UniqueNumber::next`] for the exact guarantee).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UniqueNumber(u128);

impl UniqueNumber {
    /// The most digits a number has: what both QIWI protocols allow.
    pub const MAX_DIGITS: u32 = 20;

    /// A fresh number: positive, at most 20 digits.
    ///
    /// The guarantee, per host:
    ///
    /// - within one process, every call returns a number greater than every number returned
    ///   before it, from any thread;
    /// - two processes on the same host never get the same number, whether they run at the
    ///   same time or one after the other, even when the second reuses the first one's process
    ///   id. The logical clock never runs ahead of the wall clock: a burst of more than 8
    ///   numbers in one millisecond waits for the next millisecond (at most 1 ms) instead, and
    ///   a process starts after the millisecond it first asked in, which its predecessor with
    ///   the same id cannot have passed.
    ///
    /// The guarantee assumes that process ids stay below 2^22 (Linux's limit; macOS and the
    /// BSDs stay below 100 000), that the wall clock is not set back while numbers are taken
    /// (a process then keeps increasing from its last number, ahead of the clock, and a later
    /// process reusing its id could meet those numbers), and that the year is before 2118.
    /// Numbers from different hosts may be equal: give each host its own terminal or wallet,
    /// or keep numbering on one host.
    ///
    /// ```
    /// use qiwi_types::UniqueNumber;
    /// let a = UniqueNumber::next();
    /// let b = UniqueNumber::next();
    /// assert!(b > a);
    /// assert!(b.to_string().len() <= 20);
    /// ```
    pub fn next() -> Self {
        static STATE: Mutex<Option<State>> = Mutex::new(None);
        loop {
            let step = {
                let mut state = STATE
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                advance(&mut state, std::process::id(), now_tick())
            };
            match step {
                Step::Issue(number) => return Self(number),
                Step::Wait => std::thread::sleep(Duration::from_micros(100)),
            }
        }
    }

    /// The number.
    pub fn get(self) -> u128 {
        self.0
    }
}

impl fmt::Display for UniqueNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The logical clock of this process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct State {
    pid: u32,
    /// The tick of the last number issued (or the start tick, fully used).
    tick: u128,
    /// How many numbers were issued in `tick`.
    used: u128,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Issue(u128),
    /// The current millisecond is used up: try again in the next one.
    Wait,
}

/// The next step for the process `pid` at wall-clock tick `now`.
fn advance(state: &mut Option<State>, pid: u32, now: u128) -> Step {
    let state = match state {
        // A new process, or a forked child: an earlier process with this id took numbers
        // up to `now` at most, so this one starts after it.
        Some(s) if s.pid == pid => s,
        other => other.insert(State {
            pid,
            tick: now,
            used: PER_TICK,
        }),
    };
    if now > state.tick {
        state.tick = now;
        state.used = 0;
    } else if state.used == PER_TICK {
        if now == state.tick {
            return Step::Wait;
        }
        // The wall clock was set back: keep increasing, ahead of it.
        state.tick += 1;
        state.used = 0;
    }
    let tick = state.tick.saturating_sub(1) % (TICKS - 1) + 1;
    let number = (tick * PROCESSES + u128::from(pid) % PROCESSES) * PER_TICK + state.used;
    state.used += 1;
    Step::Issue(number)
}

/// Milliseconds since 2024-01-01 UTC, at least 1 so that no number is zero.
fn now_tick() -> u128 {
    let since_unix = crate::time::since_unix_epoch().as_millis();
    since_unix.saturating_sub(EPOCH_MS).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue(state: &mut Option<State>, pid: u32, now: u128) -> u128 {
        match advance(state, pid, now) {
            Step::Issue(n) => n,
            Step::Wait => panic!("waited at {now}"),
        }
    }

    #[test]
    fn a_process_starts_after_its_first_millisecond_and_waits_when_one_is_used_up() {
        let mut state = None;
        assert_eq!(advance(&mut state, 7, 1000), Step::Wait);
        let first = issue(&mut state, 7, 1001);
        let burst: Vec<u128> = (1..PER_TICK).map(|_| issue(&mut state, 7, 1001)).collect();
        assert!(burst.windows(2).all(|w| w[0] < w[1]) && burst[0] > first);
        assert_eq!(advance(&mut state, 7, 1001), Step::Wait, "never ahead");
        assert!(issue(&mut state, 7, 1002) > burst[PER_TICK as usize - 2]);
    }

    #[test]
    fn a_reused_process_id_never_meets_its_predecessors_numbers() {
        let mut old = None;
        assert_eq!(advance(&mut old, 42, 5000), Step::Wait);
        let old_numbers: Vec<u128> = (0..PER_TICK).map(|_| issue(&mut old, 42, 5001)).collect();
        // The old process exits in millisecond 5001; a new one with the same id starts then.
        let mut new = None;
        assert_eq!(advance(&mut new, 42, 5001), Step::Wait);
        let next = issue(&mut new, 42, 5002);
        assert!(!old_numbers.contains(&next));
        assert!(next > *old_numbers.last().unwrap());
    }

    #[test]
    fn a_fork_is_a_new_process_and_a_clock_set_back_keeps_increasing() {
        let mut state = None;
        let _ = advance(&mut state, 1, 10);
        let parent = issue(&mut state, 1, 11);
        assert_eq!(
            advance(&mut state, 2, 11),
            Step::Wait,
            "the child starts anew"
        );
        let child = issue(&mut state, 2, 12);
        assert_ne!(parent, child);
        let mut last = child;
        for _ in 0..3 * PER_TICK {
            let n = issue(&mut state, 2, 5);
            assert!(n > last);
            last = n;
        }
    }

    #[test]
    fn numbers_fit_twenty_digits_until_the_last_tick_and_differ_by_process() {
        let mut a = None;
        let mut b = None;
        let _ = advance(&mut a, u32::MAX, TICKS - 2);
        let _ = advance(&mut b, 3, TICKS - 2);
        let high = issue(&mut a, u32::MAX, TICKS - 1);
        assert_eq!(high.to_string().len(), 20);
        assert_ne!(high, issue(&mut b, 3, TICKS - 1));
        assert_eq!(
            issue(&mut a, u32::MAX, TICKS),
            (PROCESSES + (PROCESSES - 1)) * PER_TICK,
            "after the last tick, tick 1 again"
        );
    }
}
