#![doc = include_str!("../README.md")]

// The `qiwi` program lives in `main.rs`; this library target exists so that the examples in the
// workspace `README.md` compile as doctests against every client crate.

#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeExamples;
