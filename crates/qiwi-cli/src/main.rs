//! `qiwi`: every balance from QIWI Wallet, the QIWI top-up agent protocol and Treezor.

mod chart;
mod commands;
mod context;
mod contract;
mod failure;
mod fields;
mod logs;
mod out_file;
mod output;
mod table;

use std::process::ExitCode;

use crate::context::Context;
use crate::failure::Failure;
use crate::output::{Output, report_failure};
use qiwi_cli::cli::{self, Cli, Command};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = match Cli::try_parse_args() {
        Ok(cli) => cli,
        Err(e) => return parse_error(&e),
    };
    logs::init(cli.verbose);
    let payment = cli.command.moves_money();
    let mut out = Output {
        json: cli.json,
        sandbox: false,
    };
    match run(cli, &mut out).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            report_failure(&failure, out, payment);
            failure.exit_code()
        }
    }
}

/// Help and version (exit 0), or a usage error (exit 2): with `--json` anywhere before `--`,
/// the error is the contract's JSON object.
fn parse_error(e: &clap::Error) -> ExitCode {
    if !e.use_stderr() {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let json = std::env::args_os()
        .take_while(|arg| arg != "--")
        .any(|arg| arg == "--json");
    if json {
        // Every line before the usage summary: the first one alone may end in a colon,
        // with what is missing on the lines after it.
        let text = e.to_string();
        let lines: Vec<&str> = text
            .lines()
            .take_while(|line| !line.starts_with("Usage:"))
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect();
        let joined = lines.join(" ");
        let message = joined.strip_prefix("error: ").unwrap_or(&joined);
        let out = Output {
            json,
            sandbox: false,
        };
        report_failure(&Failure::Usage(message.to_owned()), out, false);
    } else {
        let _ = e.print();
    }
    ExitCode::from(2)
}

async fn run(cli: Cli, out: &mut Output) -> Result<(), Failure> {
    if let Command::Completions { shell } = cli.command {
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut cli::command(), "qiwi", &mut script);
        return out.write(&String::from_utf8_lossy(&script));
    }
    if let Command::Sandbox(command) = cli.command {
        out.sandbox = true;
        return commands::sandbox::run(*out, command).await;
    }
    let ctx = if cli.sandbox {
        Context::sandbox("--sandbox given", cli.config).await?
    } else if matches!(cli.command, Command::Balances) && Context::nothing_configured(&cli.config) {
        Context::sandbox("no credentials configured", cli.config).await?
    } else {
        Context::configured(cli.config)
    };
    out.sandbox = ctx.is_sandbox();
    let out = *out;
    let result = match cli.command {
        Command::Balances => commands::balances::run(&ctx, out).await,
        Command::Wallet(command) => commands::wallet::run(&ctx, out, command).await,
        Command::Agent(command) => commands::agent::run(&ctx, out, command).await,
        Command::Treezor(command) => commands::treezor::run(&ctx, out, command).await,
        Command::Sandbox(_) | Command::Completions { .. } => Ok(()),
    };
    ctx.close().await;
    result
}
