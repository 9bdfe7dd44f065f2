//! A key/value table for records with many fields (profile, identification).

use serde::Serialize;
use serde_json::Value;

use crate::failure::Failure;
use crate::table::{Align, Table};

/// Flattens `value` into `a.b[0].c = text` rows, in field order.
pub fn table<T: Serialize>(value: &T) -> Result<Table, Failure> {
    let json = serde_json::to_value(value)
        .map_err(|e| Failure::Other(format!("could not format the answer: {e}")))?;
    let mut table = Table::new(&[("FIELD", Align::Left), ("VALUE", Align::Left)]);
    flatten(&json, String::new(), &mut table);
    Ok(table)
}

fn flatten(value: &Value, path: String, table: &mut Table) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                flatten(child, child_path, table);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, child) in items.iter().enumerate() {
                flatten(child, format!("{path}[{i}]"), table);
            }
        }
        Value::String(text) => table.row(vec![path, text.clone()]),
        Value::Null => table.row(vec![path, "-".into()]),
        other => table.row(vec![path, other.to_string()]),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn flattens_nested_fields_in_order() {
        let value = serde_json::json!({"a": {"b": "x", "c": [1, {"d": null}]}, "e": true});
        let text = super::table(&value).unwrap().render();
        assert_eq!(
            text,
            "FIELD     VALUE\na.b       x\na.c[0]    1\na.c[1].d  -\ne         true\n"
        );
    }
}
