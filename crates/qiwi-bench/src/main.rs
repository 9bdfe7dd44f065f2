//! The benchmark suite behind `cargo xtask bench` (release profile).
//!
//! In one run, against `qiwi-sandbox` on loopback with no faults and no added latency:
//!
//! 1. request overhead: the same calls through the SDK clients and through bare reqwest, at
//!    concurrency 1 and 64, interleaved over several rounds (requests per second, p50 and p99
//!    latency, the SDK/bare ratio);
//! 2. decode throughput: every fixture of the three families decoded into the typed models,
//!    against `serde_json::Value` (JSON) or a quick-xml event loop (XML);
//! 3. memory: the peak resident memory of a child process making 100,000 calls, against one
//!    making 10,000;
//! 4. the payment history: 100,000 payments streamed through `WalletClient::history` against
//!    bare reqwest paging the same data (items per second), and the peak memory of a child
//!    streaming 10,000 items against one streaming 100,000;
//! 5. build cost: crates compiled and clean build time for a consumer of `balances-core`
//!    only, of `qiwi-wallet` only, and of every library crate.
//!
//! The report is printed and written to `docs/performance.md`.

#![allow(
    clippy::float_arithmetic,
    reason = "rates, medians and ratios of measurements; no money is handled here"
)]
#![allow(
    clippy::print_stdout,
    reason = "a command-line program: the report goes to standard output"
)]

mod build_cost;
mod cpu;
mod decode;
mod families;
mod history;
mod in_memory;
mod load;
mod machine;
mod memory;
mod overhead;
mod report;
mod stats;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use crate::families::Targets;
use crate::report::Report;

/// What the command line asked for.
#[derive(Debug, Clone, clap::Parser)]
#[command(
    name = "qiwi-bench",
    bin_name = "cargo xtask bench",
    about = "The benchmark suite: SDK overhead, decode throughput, memory, build cost"
)]
struct Options {
    /// Fewer calls and shorter timings, for quick iterations; the report is printed but
    /// docs/performance.md is left alone unless --output is given.
    #[arg(long)]
    quick: bool,
    /// Do not measure the build cost (several clean builds, minutes).
    #[arg(long)]
    skip_build_cost: bool,
    /// Calls per overhead run (default 20000; 2000 with --quick).
    #[arg(long, value_name = "N", value_parser = positive)]
    requests: Option<usize>,
    /// Rounds of every measurement (memory: 3 runs each, 1 with --quick).
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = positive)]
    rounds: usize,
    /// Where to write the report (default docs/performance.md).
    #[arg(long, value_name = "PATH")]
    output: Option<PathBuf>,
    /// Print the report only.
    #[arg(long)]
    no_write: bool,
    /// Run one measurement only and print its section; docs/performance.md is left alone.
    #[arg(long, value_name = "MEASUREMENT")]
    only: Option<Only>,
    #[command(subcommand)]
    child: Option<Child>,
}

/// A measurement that can be run alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Only {
    /// The payment history stream and its memory.
    History,
}

/// The program's internal roles.
#[derive(Debug, Clone, clap::Subcommand)]
enum Child {
    /// A memory child: makes the calls and prints its peak resident memory.
    #[command(name = memory::CHILD_COMMAND, hide = true)]
    Memory(memory::ChildArgs),
    /// A work child: one family's calls over the in-memory transport, for an instruction
    /// count under callgrind (the difference between two call counts is the cost per call).
    #[command(name = in_memory::CHILD_COMMAND, hide = true)]
    Work(in_memory::ChildArgs),
    /// A history memory child: streams the history and prints its peak resident memory.
    #[command(name = history::CHILD_COMMAND, hide = true)]
    History(history::ChildArgs),
}

/// A count above zero.
fn positive(text: &str) -> Result<usize, String> {
    text.parse::<usize>()
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("{text:?} is not a positive count"))
}

impl Options {
    fn requests(&self) -> usize {
        self.requests
            .unwrap_or(if self.quick { 2_000 } else { 20_000 })
    }

    /// Runs of each memory child.
    fn memory_runs(&self) -> usize {
        if self.quick { 1 } else { self.rounds.min(3) }
    }

    /// How the history is measured.
    fn history(&self) -> history::Settings {
        let (payments, memory_items) = if self.quick {
            (10_000, (1_000, 10_000))
        } else {
            (100_000, (10_000, 100_000))
        };
        history::Settings {
            payments,
            rounds: self.rounds,
            memory_items,
            memory_runs: self.memory_runs(),
        }
    }

    /// Where the report goes, if anywhere.
    fn output(&self, root: &Path) -> Option<PathBuf> {
        if self.no_write || self.only.is_some() {
            return None;
        }
        match (&self.output, self.quick) {
            (Some(path), _) => Some(path.clone()),
            (None, true) => None,
            (None, false) => Some(root.join("docs/performance.md")),
        }
    }
}

/// The multi-threaded runtime the clients run on (one worker per CPU).
fn client_runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("client")
        .build()
        .map_err(|e| format!("cannot start a runtime: {e}"))
}

/// The sandbox's own multi-threaded runtime.
fn sandbox_runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("sandbox")
        .build()
        .map_err(|e| format!("cannot start the sandbox runtime: {e}"))
}

/// The workspace root: two levels above this crate.
fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.join("../..");
    root.canonicalize().unwrap_or(root)
}

fn progress(line: &str) {
    eprintln!("qiwi-bench: {line}");
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = <Options as clap::Parser>::parse();
    if let Some(child) = &options.child {
        let result = match child {
            Child::Memory(args) => memory::child_main(args),
            Child::Work(args) => in_memory::child_main(args),
            Child::History(args) => history::child_main(args),
        };
        return match result {
            Ok(line) => {
                println!("{line}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("qiwi-bench child: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let result = run(&options, &args);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("qiwi-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Both sides must have sent exactly one request per call: no retry, no extra request (such as
/// a balance asked for again), and one token request each for Treezor.
fn check_request_counts(
    sandbox: &qiwi_sandbox::Sandbox,
    clients: &overhead::Clients,
) -> Result<(), String> {
    let mut expected: Vec<(&str, u64)> = families::Family::ALL
        .iter()
        .map(|&f| (f.route(), clients.calls_made(f)))
        .collect();
    expected.push(("treezor.token", 2));
    for (route, calls) in expected {
        let hits = sandbox.hits(route);
        if hits != calls {
            return Err(format!(
                "the sandbox received {hits} requests on {route} for {calls} calls: the two sides did not do the same work"
            ));
        }
    }
    Ok(())
}

fn run(options: &Options, args: &[String]) -> Result<(), String> {
    let root = workspace_root();
    let machine = machine::Machine::detect();
    let command = if args.is_empty() {
        "cargo xtask bench".to_owned()
    } else {
        format!("cargo xtask bench {}", args.join(" "))
    };

    if options.only == Some(Only::History) {
        let history = history::measure(&options.history(), &progress)?;
        let mut text = format!(
            "Command: `{command}`; date: {}; machine: {} logical CPUs ({} available), {}; {}, release profile.\n\n",
            machine.date, machine.cpus, machine.available, machine.cpu_model, machine.rustc
        );
        text.push_str("| target | result |\n|---|---|\n");
        history.target_rows(&mut text);
        text.push('\n');
        history.render(&mut text);
        println!("{text}");
        return Ok(());
    }

    // Fixtures first: a fixture that no longer decodes should fail the run at once.
    let fixtures = decode::load(&root)?;

    let sandbox_runtime = sandbox_runtime()?;
    let sandbox = sandbox_runtime
        .block_on(qiwi_sandbox::start(qiwi_sandbox::SandboxConfig::default()))
        .map_err(|e| format!("cannot start the sandbox: {e}"))?;
    let targets = Targets {
        base_url: sandbox.base_url(),
        agent_url: sandbox.agent_url(),
    };
    progress(&format!("sandbox listening on {}", targets.base_url));

    let settings = overhead::Settings {
        requests: options.requests(),
        rounds: options.rounds,
        concurrencies: vec![1, 64],
    };
    let client_runtime = client_runtime()?;
    sandbox.reset_request_counts();
    let (overhead, clients) = client_runtime.block_on(async {
        let clients = overhead::Clients::new(&targets).await?;
        let cells = overhead::measure(&clients, &settings, &progress).await?;
        Ok::<_, String>((cells, clients))
    })?;
    check_request_counts(&sandbox, &clients)?;
    drop(clients);

    progress("SDK work per call with an in-memory transport");
    let work = in_memory::measure(&targets, settings.requests, settings.rounds)?;
    // Close the measured pools before the next measurements.
    drop(client_runtime);

    progress("decode throughput");
    let budget = Duration::from_millis(if options.quick { 50 } else { 300 });
    let decode = decode::measure(&fixtures, options.rounds, budget)?;

    let (small, large) = if options.quick {
        (2_000, 20_000)
    } else {
        (10_000, 100_000)
    };
    let concurrency = 64;
    let mut memory = report::Memory {
        small_calls: small,
        large_calls: large,
        concurrency,
        small_kib: Vec::new(),
        large_kib: Vec::new(),
    };
    let memory_runs = options.memory_runs();
    for run in 0..memory_runs {
        for calls in [small, large] {
            let peak = memory::measure(&targets, calls, concurrency)?;
            progress(&format!(
                "memory run {}/{memory_runs}: {calls} calls, peak {peak} KiB",
                run + 1
            ));
            if calls == small {
                memory.small_kib.push(peak);
            } else {
                memory.large_kib.push(peak);
            }
        }
    }
    sandbox_runtime.block_on(async {
        // Clients are gone; a graceful stop should be quick, but it must not hold the report.
        let _ = tokio::time::timeout(Duration::from_secs(5), sandbox.shutdown()).await;
    });
    drop(sandbox_runtime);

    let history = history::measure(&options.history(), &progress)?;

    let build = if options.skip_build_cost {
        None
    } else {
        let scratch = std::env::temp_dir().join(format!("qiwi-bench-build-{}", std::process::id()));
        let mut costs = Vec::new();
        for consumer in build_cost::consumers(&root)? {
            progress(&format!("clean build of a consumer of {}", consumer.label));
            let cost = build_cost::measure(&root, &scratch, &consumer)?;
            progress(&format!(
                "{} artifacts in {:.1} s",
                cost.artifacts,
                cost.elapsed.as_secs_f64()
            ));
            costs.push(cost);
        }
        let _ = std::fs::remove_dir_all(&scratch);
        Some(costs)
    };

    let report = Report {
        machine,
        command,
        requests: settings.requests,
        rounds: settings.rounds,
        overhead,
        work,
        decode,
        skipped: fixtures.iter().flat_map(|f| f.skipped.clone()).collect(),
        memory,
        history,
        build,
    };
    let text = report.render();
    println!("{text}");
    if let Some(path) = options.output(&root) {
        let previous = std::fs::read_to_string(&path).ok();
        let text = report::with_notes(&text, previous.as_deref());
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        progress(&format!("report written to {}", path.display()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::{Child, Only, Options};

    #[test]
    fn the_command_line_is_well_formed() {
        Options::command().debug_assert();
    }

    #[test]
    fn counts_must_be_positive_and_the_memory_child_is_recognised() {
        assert!(Options::try_parse_from(["qiwi-bench", "--rounds", "0"]).is_err());
        let options =
            Options::try_parse_from(["qiwi-bench", "--quick", "--requests", "7"]).unwrap();
        assert_eq!(
            (options.quick, options.requests(), options.rounds),
            (true, 7, 5)
        );
        let child = Options::try_parse_from([
            "qiwi-bench",
            "memory-child",
            "10",
            "2",
            "http://a",
            "http://b",
        ])
        .unwrap();
        assert!(
            matches!(child.child, Some(Child::Memory(c)) if c.calls == 10 && c.agent_url == "http://b")
        );
        let work = Options::try_parse_from(["qiwi-bench", "work-child", "Agent", "3"]).unwrap();
        assert!(
            matches!(work.child, Some(Child::Work(c)) if c.family == crate::families::Family::Agent && c.calls == 3)
        );
        assert!(Options::try_parse_from(["qiwi-bench", "work-child", "bank", "3"]).is_err());
        let history =
            Options::try_parse_from(["qiwi-bench", "history-child", "10", "http://a"]).unwrap();
        assert!(
            matches!(history.child, Some(Child::History(c)) if c.items == 10 && c.base_url == "http://a")
        );
    }

    #[test]
    fn only_the_history_runs_small_with_quick_and_writes_no_report() {
        let options =
            Options::try_parse_from(["qiwi-bench", "--only", "history", "--quick"]).unwrap();
        assert_eq!(options.only, Some(Only::History));
        let settings = options.history();
        assert_eq!(
            (
                settings.payments,
                settings.memory_items,
                settings.memory_runs
            ),
            (10_000, (1_000, 10_000), 1)
        );
        assert_eq!(options.output(std::path::Path::new("/r")), None);
        let full = Options::try_parse_from(["qiwi-bench", "--only", "history"]).unwrap();
        assert_eq!(
            (full.history().payments, full.history().memory_items),
            (100_000, (10_000, 100_000))
        );
        assert_eq!(full.output(std::path::Path::new("/r")), None);
        assert!(Options::try_parse_from(["qiwi-bench", "--only", "decode"]).is_err());
    }
}
