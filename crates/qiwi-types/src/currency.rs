//! ISO-4217 currency codes in every form the three APIs use.
//!
//! QIWI writes `643` (a JSON number) or `"643"` (a string) depending on the endpoint, its limits
//! endpoint writes `"RUB"`, Treezor writes `"EUR"`, and the agent protocol may write either form.
//! A [`Currency`] reads all of them, compares equal across forms (`643` == `"RUB"`), and writes
//! back the form it was read in. A code outside the built-in table is kept as it was written.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A currency, as an ISO-4217 numeric or alphabetic code.
#[derive(Clone)]
pub struct Currency {
    repr: Repr,
}

#[derive(Clone)]
enum Repr {
    Known {
        index: u8,
        form: Form,
    },
    /// A numeric code outside the table, written as a JSON number.
    UnknownNumber(u32),
    /// Any other text, kept verbatim.
    UnknownText(Box<str>),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Form {
    Number,
    NumericText,
    Alpha,
}

/// (numeric, alphabetic, minor unit digits)
const TABLE: &[(u16, &str, u8)] = &[
    (643, "RUB", 2),
    (840, "USD", 2),
    (978, "EUR", 2),
    (398, "KZT", 2),
    (756, "CHF", 2),
    (980, "UAH", 2),
    (826, "GBP", 2),
    (933, "BYN", 2),
    (156, "CNY", 2),
    (392, "JPY", 0),
    (428, "LVL", 2),
    (51, "AMD", 2),
    (944, "AZN", 2),
    (981, "GEL", 2),
    (417, "KGS", 2),
    (972, "TJS", 2),
    (860, "UZS", 2),
    (498, "MDL", 2),
    (949, "TRY", 2),
    (985, "PLN", 2),
    (203, "CZK", 2),
    (752, "SEK", 2),
    (578, "NOK", 2),
    (208, "DKK", 2),
    (124, "CAD", 2),
    (36, "AUD", 2),
    (356, "INR", 2),
    (376, "ILS", 2),
    (348, "HUF", 2),
    (946, "RON", 2),
    (975, "BGN", 2),
    (784, "AED", 2),
    (764, "THB", 2),
    (410, "KRW", 0),
    (702, "SGD", 2),
    (344, "HKD", 2),
];

impl Currency {
    /// Russian rouble (643).
    pub const RUB: Currency = Currency::known(0);
    /// US dollar (840).
    pub const USD: Currency = Currency::known(1);
    /// Euro (978).
    pub const EUR: Currency = Currency::known(2);
    /// Kazakhstani tenge (398).
    pub const KZT: Currency = Currency::known(3);

    const fn known(index: u8) -> Self {
        Currency {
            repr: Repr::Known {
                index,
                form: Form::Alpha,
            },
        }
    }

    /// Reads a code as text: `"643"`, `"RUB"` (any case), or anything else (kept verbatim).
    pub fn parse(code: &str) -> Currency {
        let trimmed = code.trim();
        if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
            if let Some(index) = trimmed.parse::<u16>().ok().and_then(index_of_numeric) {
                return Self::with(index, Form::NumericText);
            }
        } else if let Some(index) = TABLE
            .iter()
            .position(|(_, alpha, _)| alpha.eq_ignore_ascii_case(trimmed))
        {
            return Self::with(index as u8, Form::Alpha);
        }
        Currency {
            repr: Repr::UnknownText(code.into()),
        }
    }

    /// Reads a numeric code written as a JSON number (`643`).
    pub fn from_numeric(code: u32) -> Currency {
        match u16::try_from(code).ok().and_then(index_of_numeric) {
            Some(index) => Self::with(index, Form::Number),
            None => Currency {
                repr: Repr::UnknownNumber(code),
            },
        }
    }

    fn with(index: u8, form: Form) -> Self {
        Currency {
            repr: Repr::Known { index, form },
        }
    }

    fn entry(&self) -> Option<&'static (u16, &'static str, u8)> {
        match self.repr {
            Repr::Known { index, .. } => TABLE.get(index as usize),
            _ => None,
        }
    }

    /// The ISO-4217 numeric code, when known (also for an unknown code written as digits).
    pub fn numeric(&self) -> Option<u16> {
        match &self.repr {
            Repr::Known { .. } => self.entry().map(|e| e.0),
            Repr::UnknownNumber(n) => u16::try_from(*n).ok(),
            Repr::UnknownText(t) => t.trim().parse().ok(),
        }
    }

    /// The ISO-4217 alphabetic code, when known.
    pub fn alpha(&self) -> Option<&'static str> {
        self.entry().map(|e| e.1)
    }

    /// Digits after the decimal point in this currency's minor unit, when known.
    pub fn minor_unit_digits(&self) -> Option<u8> {
        self.entry().map(|e| e.2)
    }

    /// Whether the code is in the built-in table.
    pub fn is_known(&self) -> bool {
        self.entry().is_some()
    }

    /// The code as it is best shown to a person: the alphabetic code when known, else as written.
    pub fn code(&self) -> String {
        match &self.repr {
            Repr::Known { .. } => self.alpha().unwrap_or_default().to_owned(),
            Repr::UnknownNumber(n) => n.to_string(),
            Repr::UnknownText(t) => t.to_string(),
        }
    }
}

fn index_of_numeric(code: u16) -> Option<u8> {
    TABLE
        .iter()
        .position(|(numeric, _, _)| *numeric == code)
        .map(|i| i as u8)
}

impl PartialEq for Currency {
    fn eq(&self, other: &Self) -> bool {
        match (&self.repr, &other.repr) {
            (Repr::Known { index: a, .. }, Repr::Known { index: b, .. }) => a == b,
            (Repr::Known { .. }, _) | (_, Repr::Known { .. }) => false,
            _ => self.code() == other.code(),
        }
    }
}

impl Eq for Currency {}

impl std::hash::Hash for Currency {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match &self.repr {
            Repr::Known { index, .. } => index.hash(state),
            _ => self.code().hash(state),
        }
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Known { .. } => write!(f, "Currency({})", self.code()),
            Repr::UnknownNumber(n) => write!(f, "Currency(unknown {n})"),
            Repr::UnknownText(t) => write!(f, "Currency(unknown {t:?})"),
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

impl std::str::FromStr for Currency {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Currency::parse(s))
    }
}

impl Serialize for Currency {
    /// Writes the form that was read: a number stays a number, `"643"` stays `"643"`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.repr {
            Repr::Known { form, .. } => {
                let (numeric, alpha, _) = self.entry().copied().unwrap_or((0, "", 0));
                match form {
                    Form::Number => s.serialize_u16(numeric),
                    Form::NumericText => s.collect_str(&format_args!("{numeric:03}")),
                    Form::Alpha => s.serialize_str(alpha),
                }
            }
            Repr::UnknownNumber(n) => s.serialize_u32(*n),
            Repr::UnknownText(t) => s.serialize_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CurrencyVisitor)
    }
}

struct CurrencyVisitor;

impl<'de> Visitor<'de> for CurrencyVisitor {
    type Value = Currency;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an ISO-4217 currency code as a number or a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Currency, E> {
        Ok(Currency::parse(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Currency, E> {
        u32::try_from(v)
            .map(Currency::from_numeric)
            .map_err(|_| E::custom(format!("currency code {v} is out of range")))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Currency, E> {
        u64::try_from(v)
            .map_err(|_| E::custom(format!("currency code {v} is negative")))
            .and_then(|v| self.visit_u64(v))
    }

    /// `serde_json` with `arbitrary_precision` hands numbers over as a one-entry map.
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Currency, A::Error> {
        let text = crate::lenient::json_number_text(&mut map, "a currency code")?;
        match text.parse::<u32>() {
            Ok(n) => Ok(Currency::from_numeric(n)),
            Err(_) => Err(de::Error::custom(format!(
                "currency code {text} is not a whole number"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Currency {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }

    #[test]
    fn reads_numeric_and_alphabetic_forms_as_the_same_currency() {
        for json in ["643", r#""643""#, r#""RUB""#, r#""rub""#] {
            let c = read(json);
            assert_eq!(c, Currency::RUB, "{json}");
            assert_eq!(c.numeric(), Some(643));
            assert_eq!(c.alpha(), Some("RUB"));
        }
        assert_eq!(read(r#""EUR""#), read("978"));
        assert_ne!(read("840"), Currency::RUB);
    }

    #[test]
    fn round_trips_the_form_it_read() {
        for json in [
            "643",
            r#""643""#,
            r#""EUR""#,
            "999",
            r#""XTS1""#,
            r#""051""#,
        ] {
            assert_eq!(serde_json::to_string(&read(json)).unwrap(), json);
        }
    }

    #[test]
    fn keeps_unknown_codes() {
        let c = read(r#""XBT""#);
        assert!(!c.is_known());
        assert_eq!(c.code(), "XBT");
        assert_eq!(format!("{c:?}"), r#"Currency(unknown "XBT")"#);
        let n = read("999");
        assert_eq!(n.numeric(), Some(999));
        assert_eq!(n.code(), "999");
    }

    #[test]
    fn rejects_what_is_not_a_code() {
        for bad in ["-1", "true", "[643]", "1.5", "99999999999"] {
            assert!(serde_json::from_str::<Currency>(bad).is_err(), "{bad}");
        }
    }
}
