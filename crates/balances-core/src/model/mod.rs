//! What the balance endpoints answer.

pub mod balance;
pub mod history;
