//! Stopping a long-running command (`sandbox serve`, `wallet watch`) cleanly.

/// Ctrl-C, or on Unix also SIGTERM (how service managers stop a process). Both are caught from
/// this call on, so a signal sent while the command is still starting (registering a webhook,
/// binding) is not lost: it stops the command once running, which then cleans up.
pub fn stop_signal() -> std::io::Result<impl Future<Output = std::io::Result<()>>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut term = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => Ok(()),
                _ = term.recv() => Ok(()),
            }
        })
    }
    #[cfg(not(unix))]
    {
        // Listens once first polled, by the command's main loop.
        Ok(tokio::signal::ctrl_c())
    }
}
