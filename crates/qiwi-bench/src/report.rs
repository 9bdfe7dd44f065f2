//! The markdown report written to `docs/performance.md`.

use std::fmt::Write as _;
use std::time::Duration;

use crate::build_cost::BuildCost;
use crate::decode::{Skipped, Throughput};
use crate::in_memory::Work;
use crate::machine::Machine;
use crate::overhead::{Cell, SLICES};
use crate::stats;

/// The lowest SDK/bare throughput ratio accepted.
pub const OVERHEAD_TARGET: f64 = 0.90;
/// The lowest typed/`Value` decode ratio accepted for the JSON families.
pub const DECODE_TARGET: f64 = 1.0;
/// The largest growth of peak memory from the small to the large memory run.
pub const MEMORY_TARGET: f64 = 1.10;

/// Everything after this line of an existing report is written by hand and kept when the
/// report is written again.
pub const NOTES_MARKER: &str =
    "<!-- Notes below this line are written by hand and kept by `cargo xtask bench`. -->";

/// The report text with the hand-written notes of `previous` (an earlier report) appended.
pub fn with_notes(generated: &str, previous: Option<&str>) -> String {
    let notes = previous
        .and_then(|text| text.split_once(NOTES_MARKER))
        .map_or("\n", |(_, notes)| notes);
    format!("{}\n\n{NOTES_MARKER}{notes}", generated.trim_end())
}

/// Peak memory of the two memory runs.
#[derive(Debug, Clone)]
pub struct Memory {
    /// Calls of the small run.
    pub small_calls: usize,
    /// Calls of the large run.
    pub large_calls: usize,
    /// Calls in flight.
    pub concurrency: usize,
    /// Peak KiB of each small run.
    pub small_kib: Vec<u64>,
    /// Peak KiB of each large run.
    pub large_kib: Vec<u64>,
}

fn median_kib(values: &[u64]) -> f64 {
    let values: Vec<f64> = values.iter().map(|&v| v as f64).collect();
    stats::median(&values).unwrap_or_default()
}

impl Memory {
    /// The median peak of the small runs, KiB.
    pub fn small(&self) -> f64 {
        median_kib(&self.small_kib)
    }

    /// The median peak of the large runs, KiB.
    pub fn large(&self) -> f64 {
        median_kib(&self.large_kib)
    }

    /// Large / small.
    pub fn ratio(&self) -> f64 {
        self.large() / self.small()
    }

    /// The table of both runs and the ratio line, counting `unit` (calls or items).
    fn render(&self, out: &mut String, unit: &str, target: &str) {
        let _ = writeln!(out, "| {unit} | peak RSS (KiB) | runs (KiB) |");
        let _ = writeln!(out, "|---:|---:|---|");
        for (count, peak, runs) in [
            (self.small_calls, self.small(), &self.small_kib),
            (self.large_calls, self.large(), &self.large_kib),
        ] {
            let runs: Vec<String> = runs.iter().map(u64::to_string).collect();
            let _ = writeln!(
                out,
                "| {} | {peak:.0} | {} |",
                thousands(count),
                runs.join(", ")
            );
        }
        let _ = writeln!(
            out,
            "\nRatio {} {unit} / {} {unit}: **{:.3}**{target}.\n",
            thousands(self.large_calls),
            thousands(self.small_calls),
            self.ratio()
        );
    }
}

/// The payment history: the SDK's stream against bare reqwest paging, and peak memory.
#[derive(Debug, Clone)]
pub struct History {
    /// Payments the sandbox generated.
    pub payments: u32,
    /// Items each side read (a conversion is listed twice).
    pub items: u64,
    /// Page requests each side made per pass.
    pub pages: u64,
    /// Payments per page.
    pub rows: u32,
    /// Items per second of each side, one per round.
    pub rounds: Vec<crate::history::Round>,
    /// Peak memory of a child streaming a small and a large number of items
    /// (`small_calls` and `large_calls` count items).
    pub memory: Memory,
}

impl History {
    /// The median SDK items per second.
    pub fn sdk(&self) -> f64 {
        let rates: Vec<f64> = self.rounds.iter().map(|r| r.sdk).collect();
        stats::median(&rates).unwrap_or_default()
    }

    /// The median bare reqwest items per second.
    pub fn bare(&self) -> f64 {
        let rates: Vec<f64> = self.rounds.iter().map(|r| r.bare).collect();
        stats::median(&rates).unwrap_or_default()
    }

    /// The per-round SDK/bare ratios.
    pub fn ratios(&self) -> Vec<f64> {
        self.rounds.iter().map(|r| r.sdk / r.bare).collect()
    }

    /// The median of the per-round ratios.
    pub fn ratio(&self) -> f64 {
        stats::median(&self.ratios()).unwrap_or_default()
    }

    /// Whether peak memory stays within [`MEMORY_TARGET`].
    pub fn memory_met(&self) -> bool {
        self.memory.ratio() <= MEMORY_TARGET
    }

    /// The rows of the targets table.
    pub fn target_rows(&self, out: &mut String) {
        let mem = &self.memory;
        let _ = writeln!(
            out,
            "| history: SDK stream against bare reqwest paging, items per second | measured, no target (ratio {:.3}) |",
            self.ratio()
        );
        let _ = writeln!(
            out,
            "| history: peak memory streaming {} items ≤ {MEMORY_TARGET:.2} × that for {} items | {} (ratio {:.3}) |",
            thousands(mem.large_calls),
            thousands(mem.small_calls),
            verdict(self.memory_met()),
            mem.ratio()
        );
    }

    /// The "Payment history" section.
    pub fn render(&self, out: &mut String) {
        let _ = writeln!(out, "## Payment history\n");
        let _ = writeln!(
            out,
            "The sandbox generates {} payments for the demo wallet ({} items: a conversion is listed as `IN` and `OUT`), its history request limit off; the SDK's limiter is off too (`history_limiter(None)`). The SDK side streams all of it with `WalletClient::history({}, HistoryFilter::default())`, decoding typed items and fetching one page ahead; the bare side pages the same data with reqwest, one page at a time, parsing each into `serde_json::Value`, copying `nextTxnId` and `nextTxnDate` back exactly and counting a payment repeated at a page boundary once. Both read every item; each pass is {} page requests, checked against the sandbox's count. {} rounds, the side going first alternating; items per second are medians over the rounds, the ratio the median of the per-round ratios.\n",
            thousands(self.payments as usize),
            thousands(usize::try_from(self.items).unwrap_or(usize::MAX)),
            self.rows,
            thousands(usize::try_from(self.pages).unwrap_or(usize::MAX)),
            self.rounds.len()
        );
        let ratios = self.ratios();
        let lowest = ratios.iter().copied().fold(f64::INFINITY, f64::min);
        let highest = ratios.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let _ = writeln!(
            out,
            "| SDK items/s | bare items/s | SDK/bare | rounds, lowest–highest |"
        );
        let _ = writeln!(out, "|---:|---:|---:|---:|");
        let _ = writeln!(
            out,
            "| {:.0} | {:.0} | **{:.3}** | {lowest:.2}–{highest:.2} |\n",
            self.sdk(),
            self.bare(),
            self.ratio()
        );
        let mem = &self.memory;
        let _ = writeln!(
            out,
            "Peak resident memory (`VmHWM`) of a child process streaming the first items of that history through the SDK; median of {} runs each.\n",
            mem.small_kib.len()
        );
        mem.render(out, "items", &format!(" (target ≤ {MEMORY_TARGET:.2})"));
    }
}

/// Everything one run measured.
#[derive(Debug)]
pub struct Report {
    /// The machine.
    pub machine: Machine,
    /// The command that reproduces the run.
    pub command: String,
    /// Calls per overhead run.
    pub requests: usize,
    /// Rounds.
    pub rounds: usize,
    /// Overhead cells.
    pub overhead: Vec<Cell>,
    /// The SDK's work per call without the network.
    pub work: Vec<Work>,
    /// Decode throughputs.
    pub decode: Vec<Throughput>,
    /// Fixtures left out of the decode measurement.
    pub skipped: Vec<Skipped>,
    /// Memory.
    pub memory: Memory,
    /// The payment history.
    pub history: History,
    /// Build cost, unless skipped.
    pub build: Option<Vec<BuildCost>>,
}

fn us(d: Duration) -> String {
    format!("{}", d.as_micros())
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "**missed**" }
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl Report {
    /// Whether every SDK/bare ratio reaches [`OVERHEAD_TARGET`].
    pub fn overhead_met(&self) -> bool {
        self.overhead.iter().all(|c| c.ratio() >= OVERHEAD_TARGET)
    }

    /// Whether typed decoding is at least as fast as `Value` for the JSON families.
    pub fn decode_met(&self) -> bool {
        self.decode
            .iter()
            .filter(|t| t.plain.is_some())
            .all(|t| t.ratio >= DECODE_TARGET)
    }

    /// Whether peak memory stays within [`MEMORY_TARGET`].
    pub fn memory_met(&self) -> bool {
        self.memory.ratio() <= MEMORY_TARGET
    }

    /// The markdown text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let m = &self.machine;
        let _ = writeln!(out, "# Performance\n");
        let _ = writeln!(
            out,
            "Written by the benchmark suite (`crates/qiwi-bench`): run it again rather than editing the figures; notes at the end are written by hand and kept.\n"
        );
        let _ = writeln!(out, "- Command: `{}`", self.command);
        let _ = writeln!(out, "- Date: {}", m.date);
        let _ = writeln!(
            out,
            "- Machine: {} logical CPUs ({} available to the benchmark), {}; Linux {}",
            m.cpus, m.available, m.cpu_model, m.kernel
        );
        let _ = writeln!(out, "- Toolchain: {}, release profile", m.rustc);
        let _ = writeln!(
            out,
            "- Server: `qiwi-sandbox` in the same process on its own runtime, loopback, no faults, no added latency\n"
        );

        let _ = writeln!(out, "## Targets\n");
        let _ = writeln!(out, "| target | result |");
        let _ = writeln!(out, "|---|---|");
        let worst = self
            .overhead
            .iter()
            .map(Cell::ratio)
            .fold(f64::INFINITY, f64::min);
        let _ = writeln!(
            out,
            "| SDK throughput ≥ {OVERHEAD_TARGET:.2} × bare reqwest, every family and concurrency | {} (lowest ratio {worst:.3}) |",
            verdict(self.overhead_met())
        );
        let worst_decode = self
            .decode
            .iter()
            .filter(|t| t.plain.is_some())
            .map(|t| t.ratio)
            .fold(f64::INFINITY, f64::min);
        let _ = writeln!(
            out,
            "| typed decoding ≥ `serde_json::Value`, JSON families | {} (lowest ratio {worst_decode:.2}) |",
            verdict(self.decode_met())
        );
        let mem = &self.memory;
        let _ = writeln!(
            out,
            "| peak memory for {} calls ≤ {MEMORY_TARGET:.2} × that for {} calls | {} (ratio {:.3}) |",
            thousands(mem.large_calls),
            thousands(mem.small_calls),
            verdict(self.memory_met()),
            mem.ratio()
        );
        self.history.target_rows(&mut out);
        let _ = writeln!(out);

        let _ = writeln!(out, "## Request overhead: SDK against bare reqwest\n");
        let _ = writeln!(
            out,
            "{} calls per side, family and concurrency in each of {} rounds, made in {SLICES} slices per side that alternate with the other side's (SDK, bare, bare, SDK, ...). Figures are medians over the rounds; the ratio is the median of the per-round SDK/bare throughput ratios, whose lowest and highest are shown next to it (on a shared machine a round's ratio moves by several hundredths). Latencies in microseconds. Client CPU is the CPU time of the client runtime's threads per call (from `/proc/self/task/*/schedstat`): unlike throughput, it hardly moves with other work on the machine.\n",
            thousands(self.requests),
            self.rounds
        );
        let _ = writeln!(
            out,
            "| family | call | concurrency | SDK/bare | rounds, lowest–highest | SDK req/s | bare req/s | SDK p50 | bare p50 | SDK p99 | bare p99 | SDK client CPU µs/call | bare client CPU µs/call |"
        );
        let _ = writeln!(
            out,
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        );
        for cell in &self.overhead {
            let (s, b) = (cell.sdk(), cell.bare());
            let ratios = cell.ratios();
            let lowest = ratios.iter().copied().fold(f64::INFINITY, f64::min);
            let highest = ratios.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let _ = writeln!(
                out,
                "| {} | {} | {} | **{:.3}** | {:.2}–{:.2} | {:.0} | {:.0} | {} | {} | {} | {} | {:.1} | {:.1} |",
                cell.family.name(),
                cell.family.call(),
                cell.concurrency,
                cell.ratio(),
                lowest,
                highest,
                s.rate,
                b.rate,
                us(s.p50),
                us(b.p50),
                us(s.p99),
                us(b.p99),
                s.cpu_per_call.as_secs_f64() * 1e6,
                b.cpu_per_call.as_secs_f64() * 1e6,
            );
        }
        let _ = writeln!(
            out,
            "\nBoth sides send the same request (method, URL, `Accept`, `Authorization`, `Content-Type`, `User-Agent`, body) on their own connection pool, warmed up first, and read the whole answer. The SDK decodes into its typed models with its default timeouts and retry policy; bare reqwest parses JSON into `serde_json::Value` and runs a quick-xml event loop over XML. The Treezor token is obtained once by each side before timing. Both sides write the agent `ping` body once (it depends only on the credentials). Afterwards the sandbox's request counts are checked: exactly one request per call on each side (no retry, no request asking again for a balance) and one token request per side.\n"
        );

        let _ = writeln!(
            out,
            "### The SDK's own work per call, without the network\n"
        );
        let _ = writeln!(
            out,
            "Each client given an in-memory transport that returns the sandbox's recorded answer; time per call on one thread, the median over batches of 200 calls ({} rounds of {} calls). Against it, what bare reqwest does with the same body besides HTTP: `serde_json::Value` (JSON) or the quick-xml event loop (XML). The difference is the SDK's cost beyond that: building the request, the executor (attempt deadline, retry decision, tracing spans), typed decoding.\n",
            self.rounds,
            thousands(self.requests)
        );
        let _ = writeln!(
            out,
            "| family | answer bytes | SDK call µs | bare decode µs | SDK − bare µs | bare reqwest client CPU per loopback call µs (c=64) |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|");
        for w in &self.work {
            let bare_network = self
                .overhead
                .iter()
                .filter(|c| c.family == w.family)
                .max_by_key(|c| c.concurrency)
                .map(|c| c.bare().cpu_per_call);
            let micros = |d: Duration| d.as_secs_f64() * 1e6;
            let _ = writeln!(
                out,
                "| {} | {} | {:.1} | {:.1} | {:+.1} | {} |",
                w.family.name(),
                w.body_bytes,
                micros(w.sdk),
                micros(w.baseline),
                micros(w.sdk) - micros(w.baseline),
                bare_network.map_or_else(|| "n/a".to_owned(), |d| format!("{:.1}", micros(d))),
            );
        }
        let _ = writeln!(out);

        let _ = writeln!(out, "## Decode throughput\n");
        let _ = writeln!(
            out,
            "Every fixture of a family decoded in turn, repeatedly; MB/s (10^6 bytes per second), medians over {} rounds. \"SDK decoder\" is the path a client takes after a `200` (`qiwi_transport::codec::json::decode_body`, `AccessToken::from_json`, the agent's `qiwi_agent::wire::decode_*`); \"plain serde\" is `serde_json::from_slice` into the same models. serde_json is built with `arbitrary_precision` in this workspace, for both sides.\n",
            self.rounds
        );
        let _ = writeln!(
            out,
            "| family | files | bytes | SDK decoder MB/s | plain serde MB/s | baseline | baseline MB/s | SDK/baseline |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---|---:|---:|");
        for t in &self.decode {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {:.1} | {} | {} | {:.1} | **{:.2}** |",
                t.family.name(),
                t.files,
                thousands(t.bytes as usize),
                t.sdk,
                t.plain
                    .map_or_else(|| "n/a".to_owned(), |p| format!("{p:.1}")),
                t.baseline,
                t.baseline_rate,
                t.ratio,
            );
        }
        if !self.skipped.is_empty() {
            let _ = writeln!(out, "\nLeft out:\n");
            for s in &self.skipped {
                let _ = writeln!(out, "- `{}`: {}", s.path, s.reason);
            }
        }

        let _ = writeln!(out, "\n## Memory\n");
        let _ = writeln!(
            out,
            "Peak resident memory (`VmHWM`) of a child process making SDK calls (the three families in turn) at concurrency {} against the sandbox of the parent; median of {} runs each.\n",
            mem.concurrency,
            mem.small_kib.len()
        );
        mem.render(&mut out, "calls", "");

        self.history.render(&mut out);

        let _ = writeln!(out, "## Build cost\n");
        match &self.build {
            None => {
                let _ = writeln!(out, "Not measured in this run (`--skip-build-cost`).");
            }
            Some(costs) => {
                let _ = writeln!(
                    out,
                    "A consumer crate depending on the crates named (path dependencies, default features), the workspace `Cargo.lock` copied in, built from clean in the dev profile into a fresh `CARGO_TARGET_DIR` (`cargo build --offline --message-format=json`). Crates compiled = `compiler-artifact` messages (build scripts count separately); the time is wall time on the machine above, shared with other work, so it is context rather than a precise figure.\n"
                );
                let _ = writeln!(
                    out,
                    "| consumer depends on | crates compiled | distinct packages | clean build (s) |"
                );
                let _ = writeln!(out, "|---|---:|---:|---:|");
                for c in costs {
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} | {:.1} |",
                        c.consumer.label,
                        c.artifacts,
                        c.packages,
                        c.elapsed.as_secs_f64()
                    );
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::{History, Memory};
    use crate::history::Round;

    fn history(large_kib: u64) -> History {
        History {
            payments: 100_000,
            items: 102_345,
            pages: 2_047,
            rows: 50,
            rounds: vec![
                Round {
                    sdk: 90.0,
                    bare: 100.0,
                },
                Round {
                    sdk: 120.0,
                    bare: 100.0,
                },
                Round {
                    sdk: 100.0,
                    bare: 100.0,
                },
            ],
            memory: Memory {
                small_calls: 10_000,
                large_calls: 100_000,
                concurrency: 1,
                small_kib: vec![1000, 1100, 1000],
                large_kib: vec![large_kib],
            },
        }
    }

    #[test]
    fn the_history_ratio_is_the_median_of_the_rounds_and_memory_is_held_to_its_target() {
        let within = history(1_100);
        assert!((within.ratio() - 1.0).abs() < 1e-9);
        assert!((within.sdk() - 100.0).abs() < 1e-9);
        assert!(within.memory_met());
        let mut text = String::new();
        within.target_rows(&mut text);
        within.render(&mut text);
        assert!(text.contains("| met (ratio 1.100) |"), "{text}");
        assert!(text.contains("## Payment history"), "{text}");
        assert!(text.contains("(102,345 items"), "{text}");
        assert!(
            text.contains("| 100 | 100 | **1.000** | 0.90–1.20 |"),
            "{text}"
        );

        let over = history(1_101);
        assert!(!over.memory_met());
        let mut text = String::new();
        over.target_rows(&mut text);
        assert!(text.contains("**missed** (ratio 1.101)"), "{text}");
    }
}
