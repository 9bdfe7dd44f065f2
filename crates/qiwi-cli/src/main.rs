//! `qiwi`: every balance from QIWI Wallet, the QIWI top-up agent protocol and Treezor.

mod chart;
mod cli;
mod commands;
mod context;
mod failure;
mod fields;
mod output;
mod table;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::context::Context;
use crate::failure::Failure;
use crate::output::{Output, notice};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            notice(&format!("qiwi: {failure}"));
            failure.exit_code()
        }
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    let out = Output { json: cli.json };
    if let Command::Sandbox(command) = cli.command {
        return commands::sandbox::run(out, command).await;
    }
    let ctx = if cli.sandbox {
        Context::sandbox("--sandbox given").await?
    } else if matches!(cli.command, Command::Balances) && Context::nothing_configured(&cli.config) {
        Context::sandbox("no credentials configured").await?
    } else {
        Context::configured(cli.config)
    };
    let result = match cli.command {
        Command::Balances => commands::balances::run(&ctx, out).await,
        Command::Wallet(command) => commands::wallet::run(&ctx, out, command).await,
        Command::Agent(command) => commands::agent::run(&ctx, out, command).await,
        Command::Treezor(command) => commands::treezor::run(&ctx, out, command).await,
        Command::Sandbox(_) => Ok(()),
    };
    ctx.close().await;
    result
}
