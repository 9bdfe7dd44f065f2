//! The integration tests of `qiwi-transport`, one module per area, linked as one binary.

mod endpoint;
mod executor;
mod reqwest_wire;
mod scrub;
mod write_fate;
