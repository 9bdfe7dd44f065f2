//! The integration tests of `qiwi-agent`, one module per area, linked as one binary.

mod busy;
mod confirm;
mod escaping;
mod fixtures;
mod http;
mod logs;
mod properties;
mod secrets;
mod settings;
mod signing;
mod support;
