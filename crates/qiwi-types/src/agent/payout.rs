//! Values a payout is made of: the comment, the sender, the funds (the card is
//! [`CardNumber`](crate::CardNumber)).

use super::text::check_xml_text;
use crate::{CalendarDate, InvalidValue, invalid::check_digits};

/// Where the money the agent pays out came from (`income_wire_transfer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FundsSource {
    /// `0`: the client paid the agent in cash.
    Cash,
    /// `1`: the client paid the agent by a non-cash transfer.
    NonCash,
}

impl FundsSource {
    /// The wire value, `0` or `1`.
    ///
    /// ```
    /// use qiwi_types::agent::FundsSource;
    /// assert_eq!(FundsSource::NonCash.wire(), "1");
    /// ```
    pub fn wire(self) -> &'static str {
        match self {
            Self::Cash => "0",
            Self::NonCash => "1",
        }
    }
}

/// A payment comment (`<extra name="comment">`), at most 1000 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Comment(String);

impl Comment {
    /// The most characters a comment may have.
    pub const MAX_CHARS: usize = 1000;

    /// Validates a comment.
    ///
    /// ```
    /// use qiwi_types::agent::Comment;
    /// assert_eq!(Comment::new("Перевод на карту")?.as_str(), "Перевод на карту");
    /// assert!(Comment::new("x".repeat(1001)).is_err());
    /// # Ok::<(), qiwi_types::InvalidValue>(())
    /// ```
    ///
    /// # Errors
    /// [`InvalidValue`] when the text has more than 1000 characters or a control character.
    pub fn new(text: impl Into<String>) -> Result<Self, InvalidValue> {
        let text = text.into();
        let chars = text.chars().count();
        if chars > Self::MAX_CHARS {
            return Err(InvalidValue::new(
                "comment",
                format!(
                    "it has {chars} characters; at most {} are allowed",
                    Self::MAX_CHARS
                ),
            ));
        }
        check_xml_text("comment", &text, false)?;
        Ok(Self(text))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The sender of a foreign-card payout (the `source_*` extras inside `<from>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender {
    /// `source_first_name`.
    pub first_name: String,
    /// `source_last_name`.
    pub last_name: String,
    /// `source_address`.
    pub address: String,
    /// `source_city`.
    pub city: String,
    /// `source_country_code`: ISO 3166-1 alpha-2 (`RU`).
    pub country_code: String,
    /// `source_zip_code`: digits.
    pub zip_code: String,
    /// `source_resident`: `true` for a resident (`1`), `false` for a non-resident (`0`).
    pub resident: bool,
    /// `source_birthday`, written `dd.mm.yyyy` on the wire.
    pub birthday: CalendarDate,
}

impl Sender {
    /// Checks every detail: names, address and city present, a two-letter country code, a zip
    /// code of digits, a birthday that is a real date.
    ///
    /// # Errors
    /// [`InvalidValue`] naming the first detail that is empty or malformed.
    pub fn validate(&self) -> Result<(), InvalidValue> {
        for (what, text) in [
            ("sender first name", &self.first_name),
            ("sender last name", &self.last_name),
            ("sender address", &self.address),
            ("sender city", &self.city),
        ] {
            if text.trim().is_empty() {
                return Err(InvalidValue::new(what, "it is empty"));
            }
            check_xml_text(what, text, false)?;
        }
        if self.country_code.len() != 2
            || !self.country_code.bytes().all(|b| b.is_ascii_alphabetic())
        {
            return Err(InvalidValue::new(
                "sender country code",
                format!(
                    "{:?} is not an ISO 3166-1 alpha-2 code such as RU",
                    self.country_code
                ),
            ));
        }
        check_digits("sender zip code", &self.zip_code, 1..=10)?;
        self.birthday_wire().map(drop)
    }

    /// The birthday as the protocol writes it, `dd.mm.yyyy`.
    ///
    /// # Errors
    /// [`InvalidValue`] when the birthday is not a real date (a text kept from elsewhere).
    pub fn birthday_wire(&self) -> Result<String, InvalidValue> {
        let date = self.birthday.date().ok_or_else(|| {
            InvalidValue::new(
                "sender birthday",
                format!("{:?} is not a calendar date", self.birthday.raw()),
            )
        })?;
        Ok(date.strftime("%d.%m.%Y").to_string())
    }
}
