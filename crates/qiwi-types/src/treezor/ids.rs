//! Treezor identifiers: integers in REST answers, strings in webhook payloads.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

use crate::InvalidValue;

macro_rules! numeric_id {
    ($(#[$meta:meta])* $name:ident, $what:literal) => {
        $(#[$meta])*
        // Written as a JSON number, as the REST API writes it.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(u64);

        impl $name {
            /// Wraps a numeric identifier.
            pub const fn new(id: u64) -> Self {
                Self(id)
            }

            /// The number itself.
            pub const fn get(self) -> u64 {
                self.0
            }

            /// Reads an identifier written as decimal digits (surrounding spaces are ignored).
            ///
            /// # Errors
            /// [`InvalidValue`] when the text is empty, holds anything but digits, or is
            /// too large for 64 bits.
            ///
            /// ```
            #[doc = concat!("use qiwi_types::treezor::", stringify!($name), ";")]
            #[doc = concat!("let id = ", stringify!($name), "::parse(\"3645800\")?;")]
            /// assert_eq!(id.get(), 3645800);
            #[doc = concat!("assert!(", stringify!($name), "::parse(\"36x\").is_err());")]
            /// # Ok::<(), qiwi_types::InvalidValue>(())
            /// ```
            pub fn parse(text: &str) -> Result<Self, InvalidValue> {
                parse_id(text, $what).map(Self)
            }
        }

        impl From<u64> for $name {
            fn from(id: u64) -> Self {
                Self(id)
            }
        }

        impl FromStr for $name {
            type Err = InvalidValue;
            fn from_str(text: &str) -> Result<Self, InvalidValue> {
                Self::parse(text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            /// Reads a JSON number (REST) or a string of digits (webhooks).
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::lenient::with_text(d, |text| parse_id(text, $what))?
                    .map(Self)
                    .map_err(serde::de::Error::custom)
            }
        }
    };
}

numeric_id!(
    /// A Treezor wallet id (`walletId`), such as `1317558`.
    WalletId,
    "wallet id"
);

numeric_id!(
    /// A Treezor user id (`userId`).
    UserId,
    "user id"
);

fn parse_id(text: &str, what: &'static str) -> Result<u64, InvalidValue> {
    let digits = text.trim();
    if digits.is_empty() {
        return Err(InvalidValue::new(
            what,
            format!("the {what} is empty; give its number, e.g. 1317558"),
        ));
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(InvalidValue::new(
            what,
            format!("the {what} {text:?} must be digits only, e.g. 1317558"),
        ));
    }
    digits.parse().map_err(|_| {
        InvalidValue::new(
            what,
            format!("the {what} {text:?} is too large for a Treezor identifier"),
        )
    })
}
