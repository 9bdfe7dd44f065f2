//! A free-form JSON value, for objects whose shape the reference leaves undocumented.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::lenient::JSON_NUMBER_KEY;

/// Any JSON value, kept as the server wrote it (object keys sorted).
///
/// The profile's `contractInfo.features` and `authInfo.emailSettings` have no documented shape;
/// they are kept whole instead of being dropped. Numbers keep their exact text.
///
/// ```
/// use qiwi_types::wallet::JsonValue;
///
/// let value: JsonValue = serde_json::from_str(r#"{"enabled": true, "limit": 1.50}"#).unwrap();
/// let JsonValue::Object(map) = &value else { panic!("an object") };
/// assert_eq!(map["limit"], JsonValue::Number("1.50".into()));
/// assert_eq!(map["enabled"], JsonValue::Bool(true));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonValue {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as its exact text (`10807097143`, `1.50`).
    Number(String),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<JsonValue>),
    /// An object.
    Object(BTreeMap<String, JsonValue>),
}

impl JsonValue {
    /// The value of `key` when this is an object holding it.
    ///
    /// ```
    /// use qiwi_types::wallet::JsonValue;
    ///
    /// let value: JsonValue = serde_json::from_str(r#"{"a": "b"}"#).unwrap();
    /// assert_eq!(value.get("a"), Some(&JsonValue::String("b".into())));
    /// assert_eq!(value.get("z"), None);
    /// ```
    pub fn get(&self, key: &str) -> Option<&JsonValue> {
        match self {
            JsonValue::Object(map) => map.get(key),
            _ => None,
        }
    }
}

impl Serialize for JsonValue {
    /// Writes the same JSON back. A whole number is written as a number; any other number is
    /// written as a string holding its exact digits, because a generic serializer can only
    /// write a fractional number through a float.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            JsonValue::Null => s.serialize_unit(),
            JsonValue::Bool(b) => s.serialize_bool(*b),
            JsonValue::Number(text) => {
                if let Ok(n) = text.parse::<u64>() {
                    s.serialize_u64(n)
                } else if let Ok(n) = text.parse::<i64>() {
                    s.serialize_i64(n)
                } else {
                    s.serialize_str(text)
                }
            }
            JsonValue::String(text) => s.serialize_str(text),
            JsonValue::Array(items) => items.serialize(s),
            JsonValue::Object(map) => map.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for JsonValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = JsonValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<JsonValue, E> {
        Ok(JsonValue::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<JsonValue, E> {
        Ok(JsonValue::Number(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<JsonValue, E> {
        Ok(JsonValue::Number(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<JsonValue, E> {
        Ok(JsonValue::Number(v.to_string()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<JsonValue, E> {
        Ok(JsonValue::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<JsonValue, E> {
        Ok(JsonValue::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<JsonValue, E> {
        Ok(JsonValue::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<JsonValue, E> {
        Ok(JsonValue::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<JsonValue, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(JsonValue::Array(items))
    }

    /// An object, or a number: `serde_json` with `arbitrary_precision` hands a number over as a
    /// one-entry map under a private key.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonValue, A::Error> {
        let mut object = BTreeMap::new();
        let Some(first) = map.next_key::<String>()? else {
            return Ok(JsonValue::Object(object));
        };
        if first == JSON_NUMBER_KEY {
            return map.next_value::<String>().map(JsonValue::Number);
        }
        object.insert(first, map.next_value()?);
        while let Some((key, value)) = map.next_entry()? {
            object.insert(key, value);
        }
        Ok(JsonValue::Object(object))
    }
}
