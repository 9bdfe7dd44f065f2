//! A QIWI wallet number: the owner's phone number in international form, digits only.

use serde::{Deserialize, Deserializer, Serialize};

use crate::InvalidValue;

/// A validated QIWI wallet number, such as `79111234567`.
///
/// QIWI puts it in paths (`/persons/{wallet}/...`) without the leading `+`. Parsing accepts a
/// user's `+7...` form and strips the `+`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct WalletNumber(String);

crate::text_type::text_type!(WalletNumber, from_str = Self::parse);

const WHAT: &str = "wallet number";

impl WalletNumber {
    /// The fewest digits a wallet number has (a Russian number: `7` and ten digits).
    pub const MIN_DIGITS: usize = 11;
    /// The most digits an international (E.164) phone number has.
    pub const MAX_DIGITS: usize = 15;

    /// Validates a wallet number.
    ///
    /// # Errors
    /// [`InvalidValue`] when the text is empty, holds anything but digits after an optional
    /// leading `+`, or has fewer than 11 or more than 15 digits.
    pub fn parse(input: &str) -> Result<Self, InvalidValue> {
        let trimmed = input.trim();
        let digits = trimmed.strip_prefix('+').unwrap_or(trimmed);
        if digits.is_empty() {
            return Err(InvalidValue::new(
                WHAT,
                "the wallet number is empty; give the phone number in international form, e.g. 79111234567",
            ));
        }
        if let Some(bad) = digits.chars().find(|c| !c.is_ascii_digit()) {
            return Err(InvalidValue::new(
                WHAT,
                format!(
                    "the wallet number may hold digits only (an optional leading '+' is dropped); found {bad:?}"
                ),
            ));
        }
        if !(Self::MIN_DIGITS..=Self::MAX_DIGITS).contains(&digits.len()) {
            return Err(InvalidValue::new(
                WHAT,
                format!(
                    "the wallet number must have {} to {} digits; this one has {}",
                    Self::MIN_DIGITS,
                    Self::MAX_DIGITS,
                    digits.len()
                ),
            ));
        }
        Ok(Self(digits.to_owned()))
    }
}

impl<'de> Deserialize<'de> for WalletNumber {
    /// Reads a string or a JSON number (QIWI writes `contractId` as a number).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::lenient::with_text(d, Self::parse)?.map_err(serde::de::Error::custom)
    }
}
