//! Amounts sent in a payment or a payout: the QIWI Wallet `sum.amount` and the agent's amount.

use std::fmt;
use std::str::FromStr;

use crate::Decimal;
use serde::{Serialize, Serializer};

use crate::InvalidValue;

/// An amount to pay: greater than zero, with at most two decimal places, written with exactly
/// two decimals and a dot (`1115.00`), as the agent protocol requires and the wallet accepts.
///
/// An amount with more precision is refused rather than rounded: rounding money silently would
/// pay a different amount from the one asked for. Trailing zeros are not extra precision
/// (`10.500` is `10.50`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PayoutAmount(Decimal);

impl PayoutAmount {
    /// Validates an amount.
    ///
    /// ```
    /// use qiwi_types::PayoutAmount;
    /// use qiwi_types::Decimal;
    /// assert_eq!(PayoutAmount::new(Decimal::new(1115, 0))?.to_string(), "1115.00");
    /// assert!(PayoutAmount::new(Decimal::new(10555, 3)).is_err()); // 10.555
    /// # Ok::<(), qiwi_types::InvalidValue>(())
    /// ```
    ///
    /// # Errors
    /// [`InvalidValue`] when the amount is zero or negative, or has more than two decimal places.
    pub fn new(amount: Decimal) -> Result<Self, InvalidValue> {
        const WHAT: &str = "amount";
        if amount <= Decimal::ZERO {
            return Err(InvalidValue::new(
                WHAT,
                format!("{amount} is not greater than zero"),
            ));
        }
        let mut exact = amount.normalize();
        if exact.scale() > 2 {
            return Err(InvalidValue::new(
                WHAT,
                format!(
                    "{amount} has more than two decimal places; amounts are sent in hundredths (e.g. {})",
                    amount.trunc_with_scale(2)
                ),
            ));
        }
        exact.rescale(2);
        // Past 26 integer digits a `Decimal` has no room for two decimals: `rescale` keeps
        // fewer, and the amount could not be written as the protocol wants.
        if exact.scale() != 2 {
            return Err(InvalidValue::new(
                WHAT,
                format!("{amount} is too large to be written with two decimal places"),
            ));
        }
        Ok(Self(exact))
    }

    /// Reads an amount written with a dot (`1115`, `1115.5`, `1115.50`).
    ///
    /// ```
    /// use qiwi_types::PayoutAmount;
    /// assert_eq!(PayoutAmount::parse("10.5")?.to_string(), "10.50");
    /// assert!(PayoutAmount::parse("10,50").is_err());
    /// assert!(PayoutAmount::parse("0").is_err());
    /// # Ok::<(), qiwi_types::InvalidValue>(())
    /// ```
    ///
    /// # Errors
    /// [`InvalidValue`] when the text is not a plain decimal number or [`PayoutAmount::new`]
    /// refuses it.
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let trimmed = text.trim();
        let plain = !trimmed.is_empty()
            && trimmed.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && trimmed.bytes().filter(|b| *b == b'.').count() <= 1
            && !trimmed.starts_with('.')
            && !trimmed.ends_with('.');
        if !plain {
            return Err(InvalidValue::new(
                "amount",
                format!(
                    "{trimmed:?} is not a decimal number written with digits and a dot, e.g. 1115.00"
                ),
            ));
        }
        let amount = Decimal::from_str_exact(trimmed)
            .map_err(|e| InvalidValue::new("amount", format!("{trimmed:?} cannot be read: {e}")))?;
        Self::new(amount)
    }

    /// The amount, with a scale of exactly two.
    pub fn value(self) -> Decimal {
        self.0
    }
}

impl TryFrom<Decimal> for PayoutAmount {
    type Error = InvalidValue;
    fn try_from(amount: Decimal) -> Result<Self, InvalidValue> {
        Self::new(amount)
    }
}

impl FromStr for PayoutAmount {
    type Err = InvalidValue;
    fn from_str(text: &str) -> Result<Self, InvalidValue> {
        Self::parse(text)
    }
}

impl fmt::Display for PayoutAmount {
    /// The wire form: two decimals and a dot.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for PayoutAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PayoutAmount({})", self.0)
    }
}

impl Serialize for PayoutAmount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}
