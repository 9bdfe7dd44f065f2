//! The integration tests of `qiwi-transport`, one module per area, linked as one binary.

mod executor;
mod reqwest_wire;
mod scrub;
