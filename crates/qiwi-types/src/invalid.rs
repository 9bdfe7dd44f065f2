//! The one error every value type's parser returns.

use std::fmt;

/// A value that does not pass its type's rules: a parser's or constructor's refusal.
///
/// The message names the value's role and what is wrong with it, never the value itself when it
/// could be secret (passwords).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what}: {reason}")]
pub struct InvalidValue {
    what: &'static str,
    reason: String,
}

impl InvalidValue {
    /// The value's role and what is wrong with it.
    pub fn new(what: &'static str, reason: impl fmt::Display) -> Self {
        Self {
            what,
            reason: reason.to_string(),
        }
    }

    /// Which value was wrong (`transaction number`, `amount`, ...).
    pub fn what(&self) -> &'static str {
        self.what
    }

    /// What is wrong with it.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// Text that must be digits only, with a length in `range`.
///
/// # Errors
/// [`InvalidValue`] naming `what` when the text is empty, holds anything but ASCII digits or
/// has a length outside `range`.
pub fn check_digits(
    what: &'static str,
    text: &str,
    range: std::ops::RangeInclusive<usize>,
) -> Result<(), InvalidValue> {
    if text.is_empty() {
        return Err(InvalidValue::new(what, "it is empty"));
    }
    if let Some(bad) = text.chars().find(|c| !c.is_ascii_digit()) {
        return Err(InvalidValue::new(
            what,
            format!("only the digits 0-9 are allowed (no spaces or signs); found {bad:?}"),
        ));
    }
    if !range.contains(&text.len()) {
        return Err(InvalidValue::new(
            what,
            format!(
                "it must have {} to {} digits; this one has {}",
                range.start(),
                range.end(),
                text.len()
            ),
        ));
    }
    Ok(())
}
