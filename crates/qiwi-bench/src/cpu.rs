//! CPU time of the client threads, from `/proc/self/task/*/schedstat` (nanoseconds on CPU).
//!
//! Throughput on a machine shared with other work moves with everything else running; the
//! CPU time the client threads spend per call does not, so it is reported next to it.

use std::time::Duration;

/// The CPU time used so far by this process's threads named `name` (as set by the runtime's
/// `thread_name`). Threads that already ended are not counted.
pub fn threads_named(name: &str) -> Duration {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Duration::ZERO;
    };
    let mut total = 0u64;
    for task in tasks.filter_map(Result::ok) {
        let path = task.path();
        let Ok(comm) = std::fs::read_to_string(path.join("comm")) else {
            continue;
        };
        if comm.trim_end() != name {
            continue;
        }
        let Ok(schedstat) = std::fs::read_to_string(path.join("schedstat")) else {
            continue;
        };
        if let Some(ns) = schedstat
            .split_whitespace()
            .next()
            .and_then(|v| v.parse::<u64>().ok())
        {
            total += ns;
        }
    }
    Duration::from_nanos(total)
}
