//! Request overhead: the same calls through the SDK and through bare reqwest, interleaved.

use std::sync::Arc;

use crate::families::{Bare, Family, Sdk, Targets};
use crate::load::{self, Record, Sample, Summary};
use crate::stats;

/// How the overhead is measured.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Calls per measured run.
    pub requests: usize,
    /// Rounds; each measures every family, concurrency and side once.
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

/// The runs of one family at one concurrency.
#[derive(Debug, Clone)]
pub struct Cell {
    /// The family.
    pub family: Family,
    /// Calls in flight.
    pub concurrency: usize,
    /// The SDK's runs, one per round.
    pub sdk: Vec<Summary>,
    /// Bare reqwest's runs, one per round.
    pub bare: Vec<Summary>,
}

/// Medians over the rounds of one side.
#[derive(Debug, Clone, Copy)]
pub struct Medians {
    /// Calls per second.
    pub rate: f64,
    /// Median latency.
    pub p50: std::time::Duration,
    /// 99th percentile latency.
    pub p99: std::time::Duration,
}

fn medians(runs: &[Summary]) -> Medians {
    let rates: Vec<f64> = runs.iter().map(|s| s.rate).collect();
    let p50: Vec<_> = runs.iter().map(|s| s.p50).collect();
    let p99: Vec<_> = runs.iter().map(|s| s.p99).collect();
    Medians {
        rate: stats::median(&rates).unwrap_or_default(),
        p50: stats::median_duration(&p50).unwrap_or_default(),
        p99: stats::median_duration(&p99).unwrap_or_default(),
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

    /// SDK rate / bare rate in each round (both measured back to back).
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

/// Both clients.
#[derive(Debug, Clone)]
pub struct Clients {
    sdk: Arc<Sdk>,
    bare: Bare,
}

impl Clients {
    /// Builds the SDK clients and the bare one (which gets its Treezor token now).
    pub async fn new(targets: &Targets) -> Result<Self, String> {
        Ok(Self {
            sdk: Arc::new(Sdk::new(targets)?),
            bare: Bare::connect(targets).await?,
        })
    }

    /// `calls` calls of `family` by `side`, `concurrency` at a time.
    pub async fn run(
        &self,
        side: Side,
        family: Family,
        calls: usize,
        concurrency: usize,
    ) -> Result<Sample, String> {
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
}

/// Measures every family at every concurrency, SDK and bare in turn, `rounds` times. The side
/// that goes first alternates, and each run is preceded by a short warm-up of its own.
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
    let warmup = (settings.requests / 20).clamp(1, 1_000);
    for round in 0..settings.rounds {
        for (index, cell) in cells.iter_mut().enumerate() {
            let order = if (round + index) % 2 == 0 {
                [Side::Sdk, Side::Bare]
            } else {
                [Side::Bare, Side::Sdk]
            };
            for side in order {
                clients
                    .run(side, cell.family, warmup, cell.concurrency)
                    .await?;
                let summary = clients
                    .run(side, cell.family, settings.requests, cell.concurrency)
                    .await?
                    .summary();
                progress(&format!(
                    "round {}/{} {} c={} {}: {:.0} req/s, p50 {} µs, p99 {} µs",
                    round + 1,
                    settings.rounds,
                    cell.family.name(),
                    cell.concurrency,
                    match side {
                        Side::Sdk => "SDK ",
                        Side::Bare => "bare",
                    },
                    summary.rate,
                    summary.p50.as_micros(),
                    summary.p99.as_micros(),
                ));
                match side {
                    Side::Sdk => cell.sdk.push(summary),
                    Side::Bare => cell.bare.push(summary),
                }
            }
        }
    }
    Ok(cells)
}
