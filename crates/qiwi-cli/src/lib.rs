#![doc = include_str!("../README.md")]

// The `qiwi` program lives in `main.rs`; this library target holds its command-line definition
// (shared with the man page generator, `cargo xtask man`) and makes the examples in the
// workspace `README.md` compile as doctests against every client crate.

pub mod cards_cli;
pub mod cli;
pub mod history_cli;

#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeExamples;
