//! Runnable examples of the QIWI Wallet, QIWI agent and Treezor clients. Each one starts the
//! local sandbox (`qiwi_sandbox::start`) with its demo data, points a client at it and needs no
//! account:
//!
//! | command | shows |
//! |---|---|
//! | `cargo run -p qiwi-examples --example wallet_accounts` | QIWI Wallet accounts and balances |
//! | `cargo run -p qiwi-examples --example agent_ping` | the agent's balances and a wallet check |
//! | `cargo run -p qiwi-examples --example agent_payout` | a wallet top-up followed to its final status with `pay_and_confirm` |
//! | `cargo run -p qiwi-examples --example treezor_balances` | Treezor balances of a user and of one wallet |
//! | `cargo run -p qiwi-examples --example treezor_history` | a Treezor wallet's balance history |
//! | `cargo run -p qiwi-examples --example custom_transport` | bringing your own `Transport`: a logging wrapper around the reqwest transport |
//!
//! Against the real services, replace the sandbox's URL and demo credentials with your own and
//! drop `allow_http(true)`. `tests/examples.rs` runs every example.
