//! Runs every example as `cargo run --example` would: each `main` starts its own sandbox and
//! returns `Ok` exactly when the example would exit with status 0. The examples are compiled
//! into this test from their own files, so running them builds nothing else.

/// For each example: its file as a module, and a test (same name, other namespace) running it.
macro_rules! examples {
    ($($name:ident = $file:literal,)+) => {$(
        #[path = $file]
        mod $name;

        #[test]
        fn $name() {
            if let Err(error) = $name::main() {
                panic!("example {} failed: {error}", stringify!($name));
            }
        }
    )+};
}

examples! {
    wallet_accounts = "../examples/wallet_accounts.rs",
    wallet_history = "../examples/wallet_history.rs",
    agent_ping = "../examples/agent_ping.rs",
    agent_payout = "../examples/agent_payout.rs",
    treezor_balances = "../examples/treezor_balances.rs",
    treezor_history = "../examples/treezor_history.rs",
    custom_transport = "../examples/custom_transport.rs",
}
