//! `qiwi sandbox serve`: the emulator as a standalone server.

use qiwi_sandbox::{DemoData, SandboxConfig};

use crate::cli::SandboxCommand;
use crate::failure::Failure;
use crate::output::notice;

/// Runs the sandbox until Ctrl-C.
pub async fn run(command: SandboxCommand) -> Result<(), Failure> {
    let SandboxCommand::Serve { listen, data } = command;
    let mut config = SandboxConfig::default();
    if let Some(path) = data {
        let data = DemoData::from_path(&path)
            .map_err(|e| Failure::Usage(format!("demo data {}: {e}", path.display())))?;
        config = config.with_data(data);
    }
    let sandbox = qiwi_sandbox::bind(listen, config)
        .await
        .map_err(|e| Failure::Other(format!("could not listen on {listen}: {e}")))?;
    notice(&sandbox.credentials_banner());
    notice("press Ctrl-C to stop");
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| Failure::Other(format!("could not wait for Ctrl-C: {e}")))?;
    sandbox
        .shutdown()
        .await
        .map_err(|e| Failure::Other(format!("sandbox shutdown: {e}")))
}
