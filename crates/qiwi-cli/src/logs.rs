//! Logs on stderr: `-v` shows what each call does (the SDK's crates at debug, others at info),
//! `-vv` also what the HTTP and TLS crates say (everything at debug); `RUST_LOG`, when set,
//! chooses instead. The crates below never put
//! a secret in a span, a field or a message, and the tests check that through this program.

use tracing_subscriber::EnvFilter;

/// Installs the subscriber for `verbose` (the count of `-v`).
pub fn init(verbose: u8) {
    let filter = match std::env::var("RUST_LOG") {
        Ok(directives) if !directives.trim().is_empty() => EnvFilter::new(directives),
        _ => EnvFilter::new(match verbose {
            0 => "warn",
            1 => "info,qiwi_transport=debug,qiwi_wallet=debug,qiwi_agent=debug,balances_core=debug",
            _ => "debug",
        }),
    };
    // A second subscriber cannot be installed; there is only ever one call, from `main`.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(true)
        .try_init();
}
