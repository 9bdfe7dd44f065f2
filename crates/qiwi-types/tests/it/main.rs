//! The integration tests of `qiwi-types`, one module per area, linked as one binary.

mod properties;
mod round_trips;
mod unique_number;
#[cfg(feature = "wallet")]
mod wallet_fixtures;
#[cfg(feature = "wallet")]
mod wallet_tolerance;
