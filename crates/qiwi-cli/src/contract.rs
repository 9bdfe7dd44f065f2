//! The `--json` contract (`docs/cli.md`): every document is one object with snake_case keys,
//! amounts as exact decimal strings, currencies as `{"code": "RUB", "numeric": 643}`, times in
//! RFC 3339 with an offset, and `"sandbox"` saying whether the embedded sandbox answered.
//!
//! The models serialize amounts as strings and times in RFC 3339 already; this module gives
//! their keys and currencies the one form, so that a command cannot ship another.

use qiwi_types::Currency;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::failure::Failure;

/// The document for one result: `value`'s fields (an object; anything else goes under `key`)
/// in the contract's form, plus `sandbox`.
pub fn document<T: Serialize>(key: &str, value: &T, sandbox: bool) -> Result<Value, Failure> {
    let value = serde_json::to_value(value)
        .map_err(|e| Failure::Other(format!("could not write JSON: {e}")))?;
    let mut object = match normalize(value) {
        Value::Object(object) => object,
        other => Map::from_iter([(key.to_owned(), other)]),
    };
    object.insert("sandbox".into(), Value::Bool(sandbox));
    Ok(Value::Object(object))
}

/// The error document written on stderr: `kind`, `message`, `exit_code`, and for a payment
/// command `money_moved` (`false` when it was not made, `null` when its fate is unknown).
pub fn error(failure: &Failure, payment: bool, sandbox: bool) -> Value {
    let mut object = Map::new();
    object.insert("kind".into(), failure.kind().into());
    object.insert("message".into(), failure.to_string().into());
    object.insert("exit_code".into(), failure.code().into());
    if payment {
        let moved = match failure {
            Failure::PaymentUnknown(_) => Value::Null,
            _ => Value::Bool(false),
        };
        object.insert("money_moved".into(), moved);
    }
    object.insert("sandbox".into(), Value::Bool(sandbox));
    Value::Object(object)
}

/// Keys in snake_case; the value of a `currency` or `*_currency` key in the currency form; a
/// time that keeps the service's own text beside its reading (`{"raw", "moscow"}`, the agent's
/// dates) is its reading alone.
fn normalize(value: Value) -> Value {
    match value {
        Value::Object(mut map) if map.len() == 2 && map.contains_key("raw") => {
            match map.remove("moscow") {
                Some(reading) => reading,
                None => Value::Object(map),
            }
        }
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| {
                    let key = snake_case(&key);
                    let value = if key == "currency" || key.ends_with("_currency") {
                        currency(value)
                    } else {
                        normalize(value)
                    };
                    (key, value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(normalize).collect()),
        other => other,
    }
}

/// `{"code": "RUB", "numeric": 643}` from `"RUB"`, `"643"` or `643`; an unknown code keeps its
/// text, with `numeric` when it is digits.
fn currency(value: Value) -> Value {
    let parsed = match &value {
        Value::String(text) => Currency::parse(text),
        Value::Number(n) => match n.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(n) => Currency::from_numeric(n),
            None => Currency::parse(&n.to_string()),
        },
        _ => return normalize(value),
    };
    serde_json::json!({ "code": parsed.code(), "numeric": parsed.numeric() })
}

/// `camelCase`, `PascalCase` or `kebab-case` to `snake_case`; snake_case stays as it is, and so
/// does a key without a lowercase letter: that is data (a country code such as `RU`), not a name.
fn snake_case(key: &str) -> String {
    if !key.bytes().any(|b| b.is_ascii_lowercase()) {
        return key.to_owned();
    }
    let mut out = String::with_capacity(key.len() + 4);
    for (i, c) in key.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c == '-' {
            out.push('_');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn keys_become_snake_case_and_currencies_one_form() {
        let value = json!({
            "defaultAccount": true,
            "fsAlias": "x",
            "transaction-number": "1",
            "already_snake": 1,
            "RU": [],
            "currency": 643,
            "txnDate": {"raw": "02.03.2011 14:35:46", "moscow": "2011-03-02T14:35:46+03:00"},
            "items": [{"currency": "EUR"}, {"defaultPayCurrency": "643"}, {"currency": "XYZ"}],
        });
        let doc = document("unused", &value, true).unwrap();
        assert_eq!(
            doc,
            json!({
                "default_account": true,
                "fs_alias": "x",
                "transaction_number": "1",
                "already_snake": 1,
                "RU": [],
                "currency": {"code": "RUB", "numeric": 643},
                "txn_date": "2011-03-02T14:35:46+03:00",
                "items": [
                    {"currency": {"code": "EUR", "numeric": 978}},
                    {"default_pay_currency": {"code": "RUB", "numeric": 643}},
                    {"currency": {"code": "XYZ", "numeric": null}},
                ],
                "sandbox": true,
            })
        );
    }

    #[test]
    fn a_list_goes_under_its_key() {
        let doc = document("offers", &vec![1, 2], false).unwrap();
        assert_eq!(doc, json!({"offers": [1, 2], "sandbox": false}));
    }
}
