//! Money on [`Decimal`], decoded exactly as the server wrote it.
//!
//! Servers send amounts as JSON numbers (`8.74`, `1e3`), as strings (`"5.76"`), and sometimes as
//! `""` or `null` where the value is absent. The serde modules here accept every one of those forms
//! without going through a float, so `0.1` stays `0.1` and a 20-digit amount keeps all its digits.
//!
//! JSON numbers arrive as text only when `serde_json` is built with its `arbitrary_precision`
//! feature, which the transport crate turns on; without it a number has already been through
//! `f64` before any visitor sees it.
//!
//! Amounts are written back as strings holding the same digits (`"0.00"` stays `"0.00"`).

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Currency;

/// An amount with its currency, as QIWI writes it: `{"amount": 8.74, "currency": 643}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// The amount, exactly as the server wrote it.
    #[serde(with = "decimal")]
    pub amount: Decimal,
    /// The currency of the amount.
    pub currency: Currency,
}

impl Money {
    /// An amount in a currency.
    pub fn new(amount: Decimal, currency: Currency) -> Self {
        Self { amount, currency }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

/// Parses an amount from its text form: plain (`-15.5`) or scientific (`1e3`).
///
/// Both forms are read by the same exact parser, so an amount whose digits do not fit a
/// [`Decimal`] (more than 28 after the point) is refused whichever way it is written, never
/// rounded.
///
/// # Errors
/// Returns a message naming the text when it is not a number or does not fit a [`Decimal`].
pub fn parse_decimal(text: &str) -> Result<Decimal, String> {
    let text = text.trim();
    let plain = match text.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => plain_notation(mantissa, exponent)
            .map_err(|reason| format!("invalid amount {text:?}: {reason}"))?,
        None => text.to_owned(),
    };
    Decimal::from_str_exact(&plain).map_err(|e| format!("invalid amount {text:?}: {e}"))
}

/// The largest exponent magnitude read: far beyond what a [`Decimal`] holds, small enough that
/// the plain form stays short.
const MAX_EXPONENT: u64 = 1000;

/// Rewrites `mantissa`×10^`exponent` in plain notation (`1.5`, `-2` → `0.015`).
fn plain_notation(mantissa: &str, exponent: &str) -> Result<String, &'static str> {
    let exponent: i64 = exponent
        .parse()
        .map_err(|_| "the exponent is not an integer")?;
    if exponent.unsigned_abs() > MAX_EXPONENT {
        return Err("the exponent is out of range");
    }
    let (sign, unsigned) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa.strip_prefix('+').unwrap_or(mantissa)),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = format!("{whole}{fraction}");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("the mantissa is not a decimal number");
    }
    // Where the point goes: after `point` digits (bounded above, so no overflow).
    let point = whole.len() as i64 + exponent;
    let len = digits.len() as i64;
    Ok(if point <= 0 {
        format!(
            "{sign}0.{}{digits}",
            "0".repeat(point.unsigned_abs() as usize)
        )
    } else if point >= len {
        format!("{sign}{digits}{}", "0".repeat((point - len) as usize))
    } else {
        let (before, after) = digits.split_at(point as usize);
        format!("{sign}{before}.{after}")
    })
}

/// What a money field held on the wire before it became a `Decimal`.
enum Wire {
    Absent,
    Amount(Decimal),
}

struct WireVisitor;

impl<'de> Visitor<'de> for WireVisitor {
    type Value = Wire;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an amount as a JSON number or a numeric string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Wire, E> {
        if v.trim().is_empty() {
            return Ok(Wire::Absent);
        }
        parse_decimal(v).map(Wire::Amount).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Wire, E> {
        Ok(Wire::Amount(Decimal::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Wire, E> {
        Ok(Wire::Amount(Decimal::from(v)))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Wire, E> {
        Decimal::try_from_i128_with_scale(v, 0)
            .map(Wire::Amount)
            .map_err(|_| E::custom(format!("amount {v} does not fit a decimal")))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Wire, E> {
        i128::try_from(v)
            .map_err(|_| E::custom(format!("amount {v} does not fit a decimal")))
            .and_then(|v| self.visit_i128(v))
    }

    /// Reached only when a number was decoded without `arbitrary_precision`: refuse rather than
    /// guess digits that a float may already have lost.
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Wire, E> {
        Err(E::custom(format!(
            "amount {v} reached the decoder as a float; enable serde_json's arbitrary_precision feature"
        )))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Wire, E> {
        Ok(Wire::Absent)
    }

    fn visit_none<E: de::Error>(self) -> Result<Wire, E> {
        Ok(Wire::Absent)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Wire, D::Error> {
        d.deserialize_any(self)
    }

    /// `serde_json` with `arbitrary_precision` hands a number over as a one-entry map whose value
    /// is the number's text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Wire, A::Error> {
        let text = crate::lenient::json_number_text(&mut map, "an amount")?;
        parse_decimal(&text)
            .map(Wire::Amount)
            .map_err(de::Error::custom)
    }
}

/// `#[serde(with = "qiwi_types::money::decimal")]` for a required amount.
///
/// An absent value (`null`, `""`) is an error here: use [`decimal_opt`] where the spec allows it.
pub mod decimal {
    use super::*;

    /// Writes the amount as a string with its exact digits.
    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(value)
    }

    /// Reads an amount from a number or a numeric string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        match d.deserialize_any(WireVisitor)? {
            Wire::Amount(v) => Ok(v),
            Wire::Absent => Err(de::Error::custom("amount is missing (null or empty)")),
        }
    }
}

/// `#[serde(with = "qiwi_types::money::decimal_opt", default)]` for an amount that may be absent.
///
/// `null` and `""` become `None`, never zero.
pub mod decimal_opt {
    use super::*;

    /// Writes `Some` as a string with its exact digits and `None` as `null`.
    pub fn serialize<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.collect_str(v),
            None => s.serialize_none(),
        }
    }

    /// Reads an amount from a number or a numeric string; `null` and `""` give `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        match d.deserialize_any(WireVisitor)? {
            Wire::Amount(v) => Ok(Some(v)),
            Wire::Absent => Ok(None),
        }
    }
}

/// `#[serde(with = "qiwi_types::money::json_number")]` for an amount a request writes as a JSON
/// number (`"sum": {"amount": 10.5}`), with its exact digits and no trailing zeros.
///
/// The number is written through `serde_json`'s `arbitrary_precision` representation, which the
/// workspace turns on: no float is involved. Reading accepts what [`decimal`] accepts.
pub mod json_number {
    use super::*;
    use serde::ser::SerializeStruct;

    /// Writes the amount as a JSON number (`100`, `10.5`).
    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        let key = crate::lenient::JSON_NUMBER_KEY;
        let mut number = s.serialize_struct(key, 1)?;
        number.serialize_field(key, &value.normalize().to_string())?;
        number.end()
    }

    /// Reads an amount from a number or a numeric string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        decimal::deserialize(d)
    }
}

/// An amount newtype for places where a `with` attribute cannot reach (maps, sequences).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Amount(pub Decimal);

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        decimal::serialize(&self.0, s)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        decimal::deserialize(d).map(Amount)
    }
}

impl FromStr for Amount {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        parse_decimal(s).map(Amount)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}
