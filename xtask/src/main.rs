//! Project automation: `cargo xtask <command>`.
//!
//! - `ci`: fmt check, clippy (warnings denied, all targets), tests, docs (warnings denied), tidy.
//! - `tidy`: dependency rules that keep users' builds small (also runs as a `#[test]`).
//! - `bench`: the benchmark suite in release mode; writes `docs/performance.md`.
//! - `fuzz [--seconds N | --executions N] [--target NAME]`: the stable mutation harness over every
//!   fuzz target, in release mode (budget per target family); prints the figures for
//!   `docs/reliability.md`. `fuzz corpus DIR` writes the seed corpus for cargo-fuzz.
//! - `release <version> [--execute]`: bumps versions, dates the changelog, checks, packages,
//!   and with `--execute` publishes and tags.

#![allow(clippy::print_stdout, reason = "a command-line tool reports on stdout")]

use std::process::ExitCode;

mod cmd;
mod release;
mod tidy;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("ci") => ci(),
        Some("tidy") => tidy::check().map(|()| println!("tidy: ok")),
        Some("bench") => bench(&args[1..]),
        Some("fuzz") => fuzz(&args[1..]),
        Some("release") => release::run(&args[1..]),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "usage: cargo xtask <ci | tidy | bench [args] | fuzz [--seconds N] | release <version> [--execute]>";

fn ci() -> Result<(), String> {
    cmd::cargo(&["fmt", "--all", "--", "--check"], &[])?;
    cmd::cargo(
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    cmd::cargo(&["test", "--workspace", "--all-features"], &[])?;
    cmd::cargo(
        &["doc", "--workspace", "--no-deps", "--all-features"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    tidy::check()?;
    println!("xtask ci: ok");
    Ok(())
}

fn fuzz(args: &[String]) -> Result<(), String> {
    let mut cargo_args = vec![
        "run",
        "--release",
        "--package",
        "qiwi-fuzz-targets",
        "--bin",
        "qiwi-fuzz",
        "--",
    ];
    cargo_args.extend(args.iter().map(String::as_str));
    cmd::cargo(&cargo_args, &[])
}

fn bench(args: &[String]) -> Result<(), String> {
    let mut cargo_args = vec!["run", "--release", "--package", "qiwi-bench", "--"];
    cargo_args.extend(args.iter().map(String::as_str));
    cmd::cargo(&cargo_args, &[])
}
