//! `qiwi sandbox serve`: the emulator as a standalone server.

use qiwi_sandbox::{DemoData, SandboxConfig};

use crate::cli::SandboxCommand;
use crate::failure::Failure;
use crate::output::{Output, notice};

/// Runs the sandbox until Ctrl-C or SIGTERM; the demo credentials go to stdout.
pub async fn run(out: Output, command: SandboxCommand) -> Result<(), Failure> {
    let SandboxCommand::Serve {
        listen,
        allow_remote,
        data,
    } = command;
    qiwi_sandbox::check_listen_address(listen, allow_remote)
        .map_err(|e| Failure::Usage(format!("{e} (--allow-remote)")))?;
    if !listen.ip().is_loopback() {
        notice(&format!(
            "warning: listening on {listen}: the sandbox's demo credentials are public, so anyone who can reach this address can use them"
        ));
    }
    let mut config = SandboxConfig::default().with_remote_access(allow_remote);
    if let Some(path) = data {
        let data = DemoData::from_path(&path)
            .map_err(|e| Failure::Usage(format!("demo data {}: {e}", path.display())))?;
        config = config.with_data(data);
    }
    let sandbox = qiwi_sandbox::bind(listen, config)
        .await
        .map_err(|e| Failure::Other(format!("could not listen on {listen}: {e}")))?;
    let waiting = |e| Failure::Other(format!("could not wait for a stop signal: {e}"));
    let stop = stop_signal().map_err(waiting)?;
    out.write(&format!("{}\n", sandbox.credentials_banner()))?;
    notice("press Ctrl-C to stop");
    stop.await.map_err(waiting)?;
    notice("stopping");
    sandbox
        .shutdown()
        .await
        .map_err(|e| Failure::Other(format!("sandbox shutdown: {e}")))
}

/// Ctrl-C, or on Unix also SIGTERM (how service managers stop a process). SIGTERM is caught
/// from this call on, so one sent as soon as the banner is read is not lost.
fn stop_signal() -> std::io::Result<impl Future<Output = std::io::Result<()>>> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    Ok(async move {
        #[cfg(unix)]
        {
            tokio::select! {
                result = tokio::signal::ctrl_c() => result,
                _ = term.recv() => Ok(()),
            }
        }
        #[cfg(not(unix))]
        {
            tokio::signal::ctrl_c().await
        }
    })
}
