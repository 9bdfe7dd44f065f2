//! Decoders for fields whose JSON type varies between endpoints or API generations.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};

/// Reads a string or a number (integer or decimal) as its text.
///
/// QIWI writes ids as numbers in one place and strings in another; the text keeps every digit
/// (a `u64` would not hold a 20-digit agent transaction number).
pub fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_any(TextVisitor)
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a number")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Err(E::invalid_type(de::Unexpected::Bool(v), &self))
    }

    /// `serde_json` with `arbitrary_precision` hands numbers over as a one-entry map.
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<String, A::Error> {
        json_number_text(&mut map, "a string or a number")
    }
}

/// The key under which `serde_json` (with `arbitrary_precision`) passes a number's text.
const JSON_NUMBER_KEY: &str = "$serde_json::private::Number";

/// Takes a number's text out of the one-entry map that `serde_json` with `arbitrary_precision`
/// passes for a number; any other map is an error naming what was `expected`.
pub(crate) fn json_number_text<'de, A: de::MapAccess<'de>>(
    map: &mut A,
    expected: &str,
) -> Result<String, A::Error> {
    match map.next_key::<String>()? {
        Some(key) if key == JSON_NUMBER_KEY => map.next_value::<String>(),
        _ => Err(de::Error::custom(format!(
            "expected {expected}, found an object"
        ))),
    }
}

/// `#[serde(with = "qiwi_types::lenient::text")]`: a `String` field that the server may send as
/// a number.
pub mod text {
    use super::*;

    /// Writes the text as a string.
    pub fn serialize<S: Serializer>(value: &str, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(value)
    }

    /// Reads a string or a number as text.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        string_or_number(d)
    }
}

/// `#[serde(with = "qiwi_types::lenient::text_opt", default)]`: like [`text`], with `null`
/// giving `None`.
pub mod text_opt {
    use super::*;
    use serde::Deserialize;

    /// Writes `Some` as a string, `None` as `null`.
    pub fn serialize<S: Serializer>(value: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.serialize_str(v),
            None => s.serialize_none(),
        }
    }

    /// Reads a string, a number, or `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        #[derive(Deserialize)]
        struct Wrap(#[serde(deserialize_with = "string_or_number")] String);
        Ok(Option::<Wrap>::deserialize(d)?.map(|w| w.0))
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct T {
        #[serde(with = "super::text")]
        id: String,
        #[serde(with = "super::text_opt", default)]
        other: Option<String>,
    }

    #[test]
    fn numbers_and_strings_become_the_same_text() {
        let a: T =
            serde_json::from_str(r#"{"id": 12345678901234567890123, "other": null}"#).unwrap();
        assert_eq!(a.id, "12345678901234567890123");
        assert_eq!(a.other, None);
        let b: T = serde_json::from_str(r#"{"id": "42", "other": 7}"#).unwrap();
        assert_eq!((b.id.as_str(), b.other.as_deref()), ("42", Some("7")));
        assert!(serde_json::from_str::<T>(r#"{"id": true}"#).is_err());
    }
}
