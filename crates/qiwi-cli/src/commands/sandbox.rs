//! `qiwi sandbox serve`: the emulator as a standalone server.

use std::time::Duration;

use qiwi_sandbox::{DemoData, FaultRule, SandboxConfig, check_fault_rule};

use super::stop::stop_signal;
use crate::cli::SandboxCommand;
use crate::failure::Failure;
use crate::output::{Output, notice};
use crate::table::Table;

/// Runs the sandbox until Ctrl-C or SIGTERM; the demo credentials go to stdout.
pub async fn run(out: Output, command: SandboxCommand) -> Result<(), Failure> {
    let SandboxCommand::Serve {
        listen,
        allow_remote,
        data,
        fault,
        processing_ms,
        webhook_retry_ms,
    } = command;
    qiwi_sandbox::check_listen_address(listen, allow_remote)
        .map_err(|e| Failure::Usage(format!("{e} (--allow-remote)")))?;
    if !listen.ip().is_loopback() {
        notice(&format!(
            "warning: listening on {listen}: the sandbox's demo credentials are public, so anyone who can reach this address can use them"
        ));
    }
    let sandbox_data = match data {
        Some(path) => DemoData::from_path(&path)
            .map_err(|e| Failure::Usage(format!("demo data {}: {e}", path.display())))?,
        None => DemoData::default(),
    };
    let mut config = SandboxConfig::default()
        .with_remote_access(allow_remote)
        .with_data(sandbox_data.clone());
    for text in &fault {
        config = config.with_fault(fault_rule(text)?);
    }
    if let Some(ms) = processing_ms {
        config = config.with_processing_delay(Duration::from_millis(ms));
    }
    if let Some(delays) = webhook_retry_ms {
        config = config.with_webhook_retry_delays(delays);
    }
    let sandbox = qiwi_sandbox::bind(listen, config)
        .await
        .map_err(|e| Failure::Other(format!("could not listen on {listen}: {e}")))?;
    let waiting = |e| Failure::Other(format!("could not wait for a stop signal: {e}"));
    let stop = stop_signal().map_err(waiting)?;
    if out.json {
        let data = &sandbox_data;
        let base = sandbox.base_url();
        let document = serde_json::json!({
            "base_url": base,
            "qiwi": {"token": data.qiwi.token, "wallet": data.qiwi.wallet},
            "agent": {
                "url": sandbox.agent_url(),
                "lookup_url": format!("{base}{}", qiwi_sandbox::LOOKUP_PATH),
                "terminal_id": data.agent.terminal_id,
                "password": data.agent.password,
            },
            "treezor": {
                "base_url": base,
                "client_id": data.treezor.client_id,
                "client_secret": data.treezor.client_secret,
            },
        });
        out.emit("sandbox", &document, Table::default)?;
    } else {
        out.write(&format!("{}\n", sandbox.credentials_banner()))?;
    }
    notice("press Ctrl-C to stop");
    stop.await.map_err(waiting)?;
    notice("stopping");
    sandbox
        .shutdown()
        .await
        .map_err(|e| Failure::Other(format!("sandbox shutdown: {e}")))
}

/// A `--fault` rule: its JSON form, checked as the sandbox checks rules given at start.
fn fault_rule(text: &str) -> Result<FaultRule, Failure> {
    let rule: FaultRule =
        serde_json::from_str(text).map_err(|e| Failure::Usage(format!("--fault {text}: {e}")))?;
    check_fault_rule(&rule).map_err(|e| Failure::Usage(format!("--fault {text}: {e}")))?;
    Ok(rule)
}
