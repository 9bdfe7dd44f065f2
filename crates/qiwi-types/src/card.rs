//! Card numbers, which are never shown whole.

use std::fmt;

use crate::{InvalidValue, invalid::check_digits};

/// A card number: 13 to 19 digits, no spaces, with a valid Luhn check digit. `Debug` masks it
/// (`426511******4417`).
///
/// This is the type for a number the caller gives (a card to pay to, to look up); card numbers
/// in the service's answers are kept as they were sent and never pass through it.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CardNumber(String);

impl CardNumber {
    /// Validates a card number.
    ///
    /// ```
    /// use qiwi_types::CardNumber;
    /// let card = CardNumber::parse("4265111122334417")?;
    /// assert_eq!(format!("{card:?}"), "CardNumber(426511******4417)");
    /// assert!(CardNumber::parse("4265 1111 2233 4417").is_err());
    /// // One mistyped digit: the check digit no longer matches.
    /// assert!(CardNumber::parse("4265111122334418").is_err());
    /// # Ok::<(), qiwi_types::InvalidValue>(())
    /// ```
    ///
    /// # Errors
    /// [`InvalidValue`] when the text holds anything but digits, has fewer than 13 or more
    /// than 19 of them, is all zeros (Luhn accepts that, no card has it) or fails the Luhn
    /// checksum (a mistyped or swapped digit). The message shows the number masked.
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        const WHAT: &str = "card number";
        let text = text.trim();
        check_digits(WHAT, text, 13..=19)?;
        if text.bytes().all(|b| b == b'0') {
            return Err(InvalidValue::new(
                WHAT,
                "it is all zeros, which no card has",
            ));
        }
        if !luhn_valid(text) {
            return Err(InvalidValue::new(
                WHAT,
                format_args!(
                    "the check digit of {} is wrong (Luhn checksum): a digit is mistyped or two \
                     are swapped",
                    mask_card(text)
                ),
            ));
        }
        Ok(Self(text.to_owned()))
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether ASCII `digits` pass the Luhn checksum: from the right, every second digit doubled
/// (less 9 when above 9), the sum a multiple of 10.
fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            match (i % 2 == 1, d * 2) {
                (false, _) => d,
                (true, twice) if twice > 9 => twice - 9,
                (true, twice) => twice,
            }
        })
        .sum();
    sum % 10 == 0
}

/// The first six and last four digits, the rest as `*`, as card numbers are shown in logs.
pub fn mask_card(digits: &str) -> String {
    digits
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i < 6 || i + 4 >= digits.chars().count() {
                c
            } else {
                '*'
            }
        })
        .collect()
}

impl fmt::Debug for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CardNumber({})", mask_card(&self.0))
    }
}
