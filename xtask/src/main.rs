//! Project automation: `cargo xtask <command>`.
//!
//! - `ci`: fmt check, clippy (warnings denied, all targets), tests, docs (warnings denied), tidy.
//! - `tidy`: dependency and publishing rules (also runs as a `#[test]`).
//! - `bench`: the benchmark suite in release mode; writes `docs/performance.md`.
//! - `fuzz [--seconds N | --executions N] [--target NAME]`: the stable mutation harness over every
//!   fuzz target, in release mode (budget per target family); prints the figures for
//!   `docs/reliability.md`. `fuzz corpus DIR` writes the seed corpus for cargo-fuzz.
//! - `release <version> [--baseline-rev REV] [--execute]`: bumps versions, dates the changelog,
//!   checks the public API against the previous release, the declared `rust-version`, `ci` and
//!   the packages; with `--execute` it also publishes and tags.
//! - `man`: the `qiwi` man pages, into `target/man`.

#![allow(clippy::print_stdout, reason = "a command-line tool reports on stdout")]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;
mod release;
mod tidy;

#[derive(Debug, Parser)]
#[command(bin_name = "cargo xtask", about = "Project automation")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Formatting, clippy (warnings denied), tests, docs (warnings denied), tidy.
    Ci,
    /// Dependency and publishing rules.
    Tidy,
    /// The benchmark suite in release mode; writes docs/performance.md.
    #[command(disable_help_flag = true)]
    Bench {
        /// Arguments for the benchmark program (`cargo xtask bench --help` lists them).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// The stable mutation harness over every fuzz target, in release mode
    /// (`cargo xtask fuzz --help` lists its arguments; `fuzz corpus DIR` writes the seed corpus).
    #[command(disable_help_flag = true)]
    Fuzz {
        /// Arguments for the harness (`--seconds N`, `--executions N`, `--target NAME`).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Prepares a release and checks it; publishes only with --execute.
    Release(release::Args),
    /// The `qiwi` man pages, written to target/man (not committed).
    Man,
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Ci => ci(),
        Command::Tidy => tidy::check().map(|()| println!("tidy: ok")),
        Command::Bench { args } => bench(&args),
        Command::Fuzz { args } => fuzz(&args),
        Command::Release(args) => release::run(&args),
        Command::Man => man(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

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
            // Named on its own so that no lint setting can turn it off: no API newer than the
            // declared rust-version.
            "-D",
            "clippy::incompatible_msrv",
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

fn man() -> Result<(), String> {
    let folder = cmd::root().join("target").join("man");
    let folder = folder.to_str().ok_or("the workspace path is not UTF-8")?;
    cmd::cargo(
        &[
            "run",
            "--package",
            "qiwi-cli",
            "--example",
            "man",
            "--",
            folder,
        ],
        &[],
    )
}

fn bench(args: &[String]) -> Result<(), String> {
    let mut cargo_args = vec!["run", "--release", "--package", "qiwi-bench", "--"];
    cargo_args.extend(args.iter().map(String::as_str));
    cmd::cargo(&cargo_args, &[])
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
