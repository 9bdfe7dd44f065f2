//! The stable mutation harness: runs a target on its seeds and on mutated inputs for a budget,
//! catches panics and keeps the inputs that caused them.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;
use std::time::{Duration, Instant};

use crate::Target;
use crate::mutate::Mutator;

/// How long a target runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Budget {
    /// Until this many executions (seeds included).
    Executions(u64),
    /// Until this much time has passed.
    Time(Duration),
}

/// A panic and the input that caused it.
#[derive(Clone)]
pub struct Finding {
    /// The panic message.
    pub message: String,
    /// The input.
    pub input: Vec<u8>,
}

impl std::fmt::Debug for Finding {
    /// The message and the input's size and start (inputs can be large).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let start = &self.input[..self.input.len().min(80)];
        write!(
            f,
            "Finding {{ message: {:?}, input: {} bytes starting {:?} }}",
            self.message,
            self.input.len(),
            String::from_utf8_lossy(start)
        )
    }
}

/// What a run of one target did.
#[derive(Clone, Debug)]
pub struct Report {
    /// The target's name.
    pub target: &'static str,
    /// The seed files used.
    pub seeds: usize,
    /// Inputs run (seeds and mutants).
    pub executions: u64,
    /// Time spent.
    pub elapsed: Duration,
    /// Distinct panics (by message), at most [`MAX_FINDINGS`].
    pub findings: Vec<Finding>,
}

/// Findings kept per target.
pub const MAX_FINDINGS: usize = 16;

/// How many executions run between two looks at the clock.
const CHECK_EVERY: u64 = 256;

/// Runs `target` on each seed, then on mutants of the seeds until the budget is spent.
///
/// # Errors
/// A seed folder or file that cannot be read.
pub fn run(target: &Target, budget: Budget, rng_seed: u64) -> std::io::Result<Report> {
    quiet_panics();
    let seeds: Vec<Vec<u8>> = target
        .seed_inputs()?
        .into_iter()
        .map(|(_, bytes)| bytes)
        .collect();
    let mut report = Report {
        target: target.name,
        seeds: seeds.len(),
        executions: 0,
        elapsed: Duration::ZERO,
        findings: Vec::new(),
    };
    let started = Instant::now();
    for seed in &seeds {
        execute(target, seed, &mut report);
    }
    let mut mutator = Mutator::new(seeds, rng_seed);
    let mut input = Vec::new();
    loop {
        let done = match budget {
            Budget::Executions(n) => report.executions >= n,
            Budget::Time(limit) => {
                report.executions % CHECK_EVERY == 0 && started.elapsed() >= limit
            }
        };
        if done {
            break;
        }
        mutator.next_input(&mut input);
        execute(target, &input, &mut report);
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

fn execute(target: &Target, input: &[u8], report: &mut Report) {
    report.executions += 1;
    CATCHING.set(true);
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| (target.run)(input)));
    CATCHING.set(false);
    if let Err(payload) = outcome {
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_else(|| "a panic without a message".to_owned());
        let known = report.findings.iter().any(|f| f.message == message);
        if !known && report.findings.len() < MAX_FINDINGS {
            report.findings.push(Finding {
                message,
                input: input.to_vec(),
            });
        }
    }
}

thread_local! {
    /// Whether this thread is running a target, whose panics are caught and reported.
    static CATCHING: Cell<bool> = const { Cell::new(false) };
}

/// Panics of a target are reported with their input; the hook would print each one. Panics
/// elsewhere still reach the previous hook.
fn quiet_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !CATCHING.get() {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Family;

    static PANICKY: Target = Target {
        name: "panics_on_a_bang",
        family: Family::Webhook,
        seeds: &[],
        run: |data| assert!(!data.contains(&b'!'), "found a bang"),
    };

    #[test]
    fn panics_are_caught_and_reported_with_their_input() {
        let report = run(&PANICKY, Budget::Executions(20_000), 3).unwrap();
        assert_eq!(report.executions, 20_000);
        assert_eq!(report.findings.len(), 1);
        assert_eq!(report.findings[0].message, "found a bang");
        assert!(report.findings[0].input.contains(&b'!'));
    }

    #[test]
    fn a_time_budget_ends_the_run() {
        let report = run(&PANICKY, Budget::Time(Duration::from_millis(50)), 3).unwrap();
        assert!(report.executions > 0);
        assert!(report.elapsed >= Duration::from_millis(50));
    }
}
