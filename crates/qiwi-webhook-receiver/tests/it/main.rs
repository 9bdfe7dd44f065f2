//! The integration tests of `qiwi-webhook-receiver`, linked as one binary.

mod receiver;
mod sandbox_e2e;
mod store;
