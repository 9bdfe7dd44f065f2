use std::collections::BTreeMap;

use qiwi_types::wallet::json_value::*;

#[test]
fn keeps_every_kind_of_value_and_exact_numbers() {
    let json = r#"{"a":[1,-2,3.10,"x",null,true,{}],"b":{"c":12345678901234567890123}}"#;
    let value: JsonValue = serde_json::from_str(json).unwrap();
    let JsonValue::Object(map) = &value else {
        panic!("object expected")
    };
    let JsonValue::Array(a) = &map["a"] else {
        panic!("array expected")
    };
    assert_eq!(a[2], JsonValue::Number("3.10".into()));
    assert_eq!(a[6], JsonValue::Object(BTreeMap::new()));
    assert_eq!(
        value.get("b").and_then(|b| b.get("c")),
        Some(&JsonValue::Number("12345678901234567890123".into()))
    );
    assert_eq!(
        serde_json::to_string(&value).unwrap(),
        r#"{"a":[1,-2,"3.10","x",null,true,{}],"b":{"c":"12345678901234567890123"}}"#
    );
}
