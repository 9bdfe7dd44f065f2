//! Card numbers, which are never shown whole.

use std::fmt;

use crate::{InvalidValue, invalid::check_digits};

/// A card number: 13 to 19 digits, no spaces. `Debug` masks it (`426511******4411`).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CardNumber(String);

impl CardNumber {
    /// Validates a card number.
    ///
    /// ```
    /// use qiwi_types::CardNumber;
    /// let card = CardNumber::parse("4265111122334411")?;
    /// assert_eq!(format!("{card:?}"), "CardNumber(426511******4411)");
    /// assert!(CardNumber::parse("4265 1111 2233 4411").is_err());
    /// # Ok::<(), qiwi_types::InvalidValue>(())
    /// ```
    ///
    /// # Errors
    /// [`InvalidValue`] when the text holds anything but digits or has fewer than 13 or more
    /// than 19 of them.
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let text = text.trim();
        check_digits("card number", text, 13..=19)?;
        Ok(Self(text.to_owned()))
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
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
