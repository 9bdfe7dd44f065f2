//! Request overhead: the same calls through the SDK and through bare reqwest, interleaved.
//!
//! A round measures every family at every concurrency. Within a round, each side's calls are
//! made in [`SLICES`] slices that alternate with the other side's (SDK, bare, bare, SDK, ...),
//! so that a burst of other work on the machine falls on both sides alike; a side's rate is its
//! calls over the sum of its slices' times, its latencies are those of all its calls.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::cpu;
use crate::families::{Bare, Family, Sdk, Targets};
use crate::load::{self, Record, Sample};
use crate::stats;

/// Slices each side's calls are split into within a round.
pub const SLICES: usize = 8;

/// The name of the client runtime's threads, whose CPU time is counted.
pub const CLIENT_THREADS: &str = "client";

/// How the overhead is measured.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Calls per side, family and concurrency in each round.
    pub requests: usize,
    /// Rounds.
    pub rounds: usize,
    /// The concurrencies measured.
    pub concurrencies: Vec<usize>,
}

/// Which client makes the calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The SDK's client.
    Sdk,
    /// Bare reqwest.
    Bare,
}

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Sdk => "SDK ",
            Side::Bare => "bare",
        }
    }
}

/// One side's figures for one round.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    /// Calls per second.
    pub rate: f64,
    /// Median latency.
    pub p50: Duration,
    /// 99th percentile latency.
    pub p99: Duration,
    /// CPU time of the client threads per call.
    pub cpu_per_call: Duration,
}

/// One side's calls of one round, slice by slice.
#[derive(Debug, Default)]
struct Tally {
    calls: u64,
    elapsed: Duration,
    cpu: Duration,
    latencies: Vec<Duration>,
}

impl Tally {
    fn add(&mut self, sample: Sample, cpu: Duration) {
        self.calls += sample.calls;
        self.elapsed += sample.elapsed;
        self.cpu += cpu;
        self.latencies.extend(sample.latencies);
    }

    fn run(mut self) -> Run {
        self.latencies.sort_unstable();
        let calls = u32::try_from(self.calls.max(1)).unwrap_or(u32::MAX);
        Run {
            rate: stats::per_second(self.calls, self.elapsed),
            p50: stats::percentile(&self.latencies, 50).unwrap_or_default(),
            p99: stats::percentile(&self.latencies, 99).unwrap_or_default(),
            cpu_per_call: self.cpu / calls,
        }
    }
}

/// The runs of one family at one concurrency.
#[derive(Debug, Clone)]
pub struct Cell {
    /// The family.
    pub family: Family,
    /// Calls in flight.
    pub concurrency: usize,
    /// The SDK's runs, one per round.
    pub sdk: Vec<Run>,
    /// Bare reqwest's runs, one per round.
    pub bare: Vec<Run>,
}

/// Medians over the rounds of one side.
#[derive(Debug, Clone, Copy)]
pub struct Medians {
    /// Calls per second.
    pub rate: f64,
    /// Median latency.
    pub p50: Duration,
    /// 99th percentile latency.
    pub p99: Duration,
    /// Client CPU time per call.
    pub cpu_per_call: Duration,
}

fn medians(runs: &[Run]) -> Medians {
    let rates: Vec<f64> = runs.iter().map(|s| s.rate).collect();
    let of = |f: fn(&Run) -> Duration| {
        let values: Vec<Duration> = runs.iter().map(f).collect();
        stats::median_duration(&values).unwrap_or_default()
    };
    Medians {
        rate: stats::median(&rates).unwrap_or_default(),
        p50: of(|r| r.p50),
        p99: of(|r| r.p99),
        cpu_per_call: of(|r| r.cpu_per_call),
    }
}

impl Cell {
    /// The SDK's medians.
    pub fn sdk(&self) -> Medians {
        medians(&self.sdk)
    }

    /// Bare reqwest's medians.
    pub fn bare(&self) -> Medians {
        medians(&self.bare)
    }

    /// SDK rate / bare rate in each round.
    pub fn ratios(&self) -> Vec<f64> {
        self.sdk
            .iter()
            .zip(&self.bare)
            .map(|(s, b)| s.rate / b.rate)
            .collect()
    }

    /// The median of the per-round ratios: the headline figure.
    pub fn ratio(&self) -> f64 {
        stats::median(&self.ratios()).unwrap_or_default()
    }
}

/// Both clients, and how many calls each family received.
#[derive(Debug)]
pub struct Clients {
    sdk: Arc<Sdk>,
    bare: Bare,
    calls: [AtomicU64; 3],
}

impl Clients {
    /// Builds the SDK clients and the bare one (which gets its Treezor token now).
    pub async fn new(targets: &Targets) -> Result<Self, String> {
        Ok(Self {
            sdk: Arc::new(Sdk::new(targets)?),
            bare: Bare::connect(targets).await?,
            calls: Default::default(),
        })
    }

    /// Calls made so far for `family`, both sides, warm-ups included.
    pub fn calls_made(&self, family: Family) -> u64 {
        self.calls[family.index()].load(Ordering::Relaxed)
    }

    /// `calls` calls of `family` by `side`, `concurrency` at a time.
    pub async fn run(
        &self,
        side: Side,
        family: Family,
        calls: usize,
        concurrency: usize,
    ) -> Result<Sample, String> {
        self.calls[family.index()].fetch_add(calls as u64, Ordering::Relaxed);
        match side {
            Side::Sdk => {
                let sdk = self.sdk.clone();
                load::run(calls, concurrency, Record::Latencies, move |_| {
                    let sdk = sdk.clone();
                    async move { sdk.call(family).await }
                })
                .await
            }
            Side::Bare => {
                let bare = self.bare.clone();
                load::run(calls, concurrency, Record::Latencies, move |_| {
                    let bare = bare.clone();
                    async move { bare.call(family).await }
                })
                .await
            }
        }
    }

    /// As [`run`](Self::run), with the client threads' CPU time it took.
    async fn timed(
        &self,
        side: Side,
        family: Family,
        calls: usize,
        concurrency: usize,
    ) -> Result<(Sample, Duration), String> {
        let before = cpu::threads_named(CLIENT_THREADS);
        let sample = self.run(side, family, calls, concurrency).await?;
        let cpu = cpu::threads_named(CLIENT_THREADS).saturating_sub(before);
        Ok((sample, cpu))
    }
}

/// Measures every family at every concurrency, SDK and bare in alternating slices, `rounds`
/// times.
pub async fn measure(
    clients: &Clients,
    settings: &Settings,
    progress: &dyn Fn(&str),
) -> Result<Vec<Cell>, String> {
    let widest = settings.concurrencies.iter().copied().max().unwrap_or(1);
    // Open every connection the runs will use before anything is timed.
    for family in Family::ALL {
        for side in [Side::Sdk, Side::Bare] {
            clients.run(side, family, widest * 8, widest).await?;
        }
    }
    let mut cells: Vec<Cell> = Family::ALL
        .iter()
        .flat_map(|&family| {
            settings.concurrencies.iter().map(move |&concurrency| Cell {
                family,
                concurrency,
                sdk: Vec::new(),
                bare: Vec::new(),
            })
        })
        .collect();
    let slice = settings.requests.div_ceil(SLICES);
    let warmup = (settings.requests / 20).clamp(1, 1_000);
    for round in 0..settings.rounds {
        for cell in &mut cells {
            for side in [Side::Sdk, Side::Bare] {
                clients
                    .run(side, cell.family, warmup, cell.concurrency)
                    .await?;
            }
            let (mut sdk, mut bare) = (Tally::default(), Tally::default());
            for index in 0..SLICES {
                // SDK first in even slices of even rounds: S B B S S B B S, then the mirror.
                let order = if (index + round) % 2 == 0 {
                    [Side::Sdk, Side::Bare]
                } else {
                    [Side::Bare, Side::Sdk]
                };
                for side in order {
                    let (sample, cpu) = clients
                        .timed(side, cell.family, slice, cell.concurrency)
                        .await?;
                    match side {
                        Side::Sdk => sdk.add(sample, cpu),
                        Side::Bare => bare.add(sample, cpu),
                    }
                }
            }
            for (side, tally) in [(Side::Sdk, sdk), (Side::Bare, bare)] {
                let run = tally.run();
                progress(&format!(
                    "round {}/{} {} c={} {}: {:.0} req/s, p50 {} µs, p99 {} µs, client CPU {:.1} µs/call",
                    round + 1,
                    settings.rounds,
                    cell.family.name(),
                    cell.concurrency,
                    side.name(),
                    run.rate,
                    run.p50.as_micros(),
                    run.p99.as_micros(),
                    run.cpu_per_call.as_secs_f64() * 1e6,
                ));
                match side {
                    Side::Sdk => cell.sdk.push(run),
                    Side::Bare => cell.bare.push(run),
                }
            }
        }
    }
    Ok(cells)
}
