//! `qiwi-fuzz`: the stable mutation harness over every fuzz target (what `cargo xtask fuzz`
//! runs), and the seed corpus for cargo-fuzz.
//!
//! ```text
//! qiwi-fuzz [--seconds N | --executions N] [--target NAME] [--seed N]
//! qiwi-fuzz corpus DIR
//! ```
//!
//! The budget is per family, shared evenly by its targets (default: 10 seconds per family).
//! Inputs that make a target panic are written to `target/fuzz-findings/`; the exit code is 1
//! when there is any.

#![allow(clippy::print_stdout, reason = "a command-line tool reports on stdout")]

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use qiwi_fuzz_targets::harness::{self, Budget, Report};
use qiwi_fuzz_targets::{Family, TARGETS, Target, workspace_root};

const USAGE: &str = "usage: qiwi-fuzz [--seconds N | --executions N] [--target NAME] [--seed N]\n       qiwi-fuzz corpus DIR";

#[derive(Debug)]
struct Options {
    budget: Budget,
    only: Option<String>,
    seed: u64,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("corpus") => match args.get(1) {
            Some(dir) => write_corpus(Path::new(dir)),
            None => Err(USAGE.to_owned()),
        },
        _ => parse(&args).and_then(|options| fuzz(&options)),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("qiwi-fuzz: {message}");
            ExitCode::from(2)
        }
    }
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        budget: Budget::Time(Duration::from_secs(10)),
        only: None,
        seed: 1,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        let number = |text: &String| {
            text.parse::<u64>()
                .map_err(|_| format!("{flag} wants a whole number, not {text:?}"))
        };
        match flag.as_str() {
            "--seconds" => options.budget = Budget::Time(Duration::from_secs(number(value()?)?)),
            "--executions" => options.budget = Budget::Executions(number(value()?)?),
            "--seed" => options.seed = number(value()?)?,
            "--target" => {
                let name = value()?;
                if qiwi_fuzz_targets::target(name).is_none() {
                    return Err(format!("no target {name:?}"));
                }
                options.only = Some(name.clone());
            }
            _ => return Err(USAGE.to_owned()),
        }
    }
    Ok(options)
}

/// The budget of one of `n` targets sharing a family's budget.
fn share(budget: Budget, n: u64) -> Budget {
    match budget {
        Budget::Executions(total) => Budget::Executions(total.div_ceil(n.max(1))),
        Budget::Time(total) => Budget::Time(total / u32::try_from(n.max(1)).unwrap_or(u32::MAX)),
    }
}

fn fuzz(options: &Options) -> Result<bool, String> {
    let findings_dir = workspace_root().join("target").join("fuzz-findings");
    println!(
        "| family | targets | executions | seconds | executions/s | panics |\n|---|---:|---:|---:|---:|---:|"
    );
    let mut all: Vec<Report> = Vec::new();
    for family in Family::ALL {
        let targets: Vec<&Target> = family
            .targets()
            .filter(|t| options.only.as_deref().is_none_or(|name| t.name == name))
            .collect();
        if targets.is_empty() {
            continue;
        }
        let budget = share(options.budget, targets.len() as u64);
        let mut reports = Vec::new();
        for target in &targets {
            let report = harness::run(target, budget, options.seed)
                .map_err(|e| format!("{}: cannot read its seeds: {e}", target.name))?;
            reports.push(report);
        }
        let executions: u64 = reports.iter().map(|r| r.executions).sum();
        let elapsed: Duration = reports.iter().map(|r| r.elapsed).sum();
        let panics: usize = reports.iter().map(|r| r.findings.len()).sum();
        println!(
            "| {} | {} | {executions} | {:.1} | {} | {panics} |",
            family.name(),
            targets.len(),
            elapsed.as_secs_f64(),
            rate(executions, elapsed),
        );
        all.extend(reports);
    }
    println!(
        "\n| target | seeds | executions | executions/s | panics |\n|---|---:|---:|---:|---:|"
    );
    for r in &all {
        println!(
            "| {} | {} | {} | {} | {} |",
            r.target,
            r.seeds,
            r.executions,
            rate(r.executions, r.elapsed),
            r.findings.len()
        );
    }
    let mut clean = true;
    for r in &all {
        for (i, finding) in r.findings.iter().enumerate() {
            clean = false;
            let path = findings_dir.join(format!("{}-{i}.bin", r.target));
            std::fs::create_dir_all(&findings_dir)
                .and_then(|()| std::fs::write(&path, &finding.input))
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            println!(
                "PANIC in {}: {} (input: {})",
                r.target,
                finding.message,
                path.display()
            );
        }
    }
    Ok(clean)
}

/// Executions per second.
fn rate(executions: u64, elapsed: Duration) -> u128 {
    u128::from(executions).saturating_mul(1_000_000) / elapsed.as_micros().max(1)
}

/// Writes each target's seeds to `dir/<target>/`, the corpus layout cargo-fuzz reads.
fn write_corpus(dir: &Path) -> Result<bool, String> {
    for target in TARGETS {
        let folder: PathBuf = dir.join(target.name);
        std::fs::create_dir_all(&folder)
            .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
        let seeds = target
            .seed_inputs()
            .map_err(|e| format!("{}: cannot read its seeds: {e}", target.name))?;
        for (path, bytes) in seeds {
            let name = path
                .file_name()
                .map_or_else(|| "seed".into(), |n| n.to_string_lossy().into_owned());
            let out = folder.join(name);
            std::fs::write(&out, bytes)
                .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
        }
        println!("{}: seeds written to {}", target.name, folder.display());
    }
    Ok(true)
}
