//! The load generator: `n` calls spread over `c` concurrent tasks, each timed.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::task::JoinSet;

/// Whether each call's latency is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    /// Keep every latency (for percentiles).
    Latencies,
    /// Keep nothing per call, so that the generator's own memory does not grow with the
    /// number of calls (for the memory measurement).
    Nothing,
}

/// What one load run measured.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Calls made.
    pub calls: u64,
    /// Wall time from the first call started to the last one finished.
    pub elapsed: Duration,
    /// Every call's latency, ascending (empty with [`Record::Nothing`]).
    pub latencies: Vec<Duration>,
}

/// Makes `calls` calls of `call(i)` (`i` from 0), at most `concurrency` at a time, each task
/// taking the next index as soon as its previous call finished. Stops at the first failure
/// and returns it: a figure measured over failing calls would mean nothing.
pub async fn run<F, Fut>(
    calls: usize,
    concurrency: usize,
    record: Record,
    call: F,
) -> Result<Sample, String>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let call = Arc::new(call);
    let next = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicBool::new(false));
    let tasks_count = concurrency.clamp(1, calls.max(1));
    let per_task = calls.div_ceil(tasks_count);
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for _ in 0..tasks_count {
        let (call, next, failed) = (call.clone(), next.clone(), failed.clone());
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            if record == Record::Latencies {
                // A little room for the uneven split between tasks.
                latencies.reserve(per_task + per_task / 4 + 16);
            }
            while !failed.load(Ordering::Relaxed) {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= calls {
                    break;
                }
                let start = Instant::now();
                if let Err(e) = call(i).await {
                    failed.store(true, Ordering::Relaxed);
                    return Err(format!("call {i} failed: {e}"));
                }
                if record == Record::Latencies {
                    latencies.push(start.elapsed());
                }
            }
            Ok(latencies)
        });
    }
    let mut latencies = Vec::with_capacity(match record {
        Record::Latencies => calls,
        Record::Nothing => 0,
    });
    let mut first_error = None;
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(Ok(part)) => latencies.extend(part),
            Ok(Err(e)) => {
                first_error.get_or_insert(e);
            }
            Err(e) => {
                first_error.get_or_insert(format!("a load task ended abnormally: {e}"));
            }
        }
    }
    let elapsed = started.elapsed();
    if let Some(e) = first_error {
        return Err(e);
    }
    latencies.sort_unstable();
    Ok(Sample {
        calls: calls as u64,
        elapsed,
        latencies,
    })
}
