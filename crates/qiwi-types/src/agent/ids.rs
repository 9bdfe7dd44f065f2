//! The agent's payment number.

use std::cmp::Ordering;

use serde::Serialize;

use crate::InvalidValue;
use crate::invalid::check_digits;

/// The agent's own number for a payment (`<transaction-number>`): a positive integer of up to
/// 20 digits, kept as its digits because 20 digits can exceed `u64`.
///
/// Together with the terminal id it identifies the payment in QIWI for its whole life. Sending
/// a `pay` again with the same number and the same details does not create a second payment
/// (it is how a payout is retried); the same number with different details is refused with
/// payment result code 215.
///
/// Leading zeros are refused so that one payment has exactly one spelling.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct TransactionNumber(String);

crate::text_type::text_type!(TransactionNumber, from_str = Self::parse);

impl TransactionNumber {
    /// The most digits a transaction number may have.
    pub const MAX_DIGITS: usize = 20;

    /// Validates a transaction number written as digits.
    ///
    /// ```
    /// use qiwi_types::agent::TransactionNumber;
    /// let big = TransactionNumber::parse("99999999999999999999")?; // more than u64::MAX
    /// assert_eq!(big.as_str(), "99999999999999999999");
    /// assert!(TransactionNumber::parse("0123").is_err());
    /// # Ok::<(), qiwi_types::InvalidValue>(())
    /// ```
    ///
    /// # Errors
    /// [`InvalidValue`] when the text is empty, holds anything but digits, has more than 20
    /// digits, starts with `0`, or is zero.
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        const WHAT: &str = "transaction number";
        let text = text.trim();
        check_digits(WHAT, text, 1..=Self::MAX_DIGITS)?;
        if text.starts_with('0') {
            return Err(InvalidValue::new(
                WHAT,
                "it must be a positive integer without leading zeros",
            ));
        }
        Ok(Self(text.to_owned()))
    }

    /// A transaction number from an integer.
    ///
    /// ```
    /// use qiwi_types::agent::TransactionNumber;
    /// assert_eq!(TransactionNumber::from_u128(12345678)?.as_str(), "12345678");
    /// # Ok::<(), qiwi_types::InvalidValue>(())
    /// ```
    ///
    /// # Errors
    /// [`InvalidValue`] for zero or a number of more than 20 digits.
    pub fn from_u128(number: u128) -> Result<Self, InvalidValue> {
        Self::parse(&number.to_string())
    }

    /// A fresh number from [`UniqueNumber`](crate::UniqueNumber): greater than every number generated
    /// before it in this process, and never one that another process on this host generates.
    ///
    /// ```
    /// use qiwi_types::agent::TransactionNumber;
    /// let first = TransactionNumber::generate();
    /// assert!(TransactionNumber::generate() > first);
    /// ```
    pub fn generate() -> Self {
        // Positive and at most 20 digits, as this type requires.
        Self(crate::UniqueNumber::next().to_string())
    }
}

impl Ord for TransactionNumber {
    /// Numeric order: without leading zeros, a shorter number is a smaller one.
    fn cmp(&self, other: &Self) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.cmp(&other.0))
    }
}

impl PartialOrd for TransactionNumber {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
