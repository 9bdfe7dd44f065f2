//! The integration tests of `qiwi-types`, one module per area, linked as one binary.

mod by_module;
mod properties;
mod round_trips;
mod unique_number;
#[cfg(feature = "wallet")]
mod wallet_fixtures;
#[cfg(feature = "wallet")]
mod wallet_tolerance;
