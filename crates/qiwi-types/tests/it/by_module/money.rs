use qiwi_types::Decimal;
use qiwi_types::money::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, Serialize)]
struct Req {
    #[serde(with = "decimal")]
    v: Decimal,
}

#[derive(Debug, Deserialize, Serialize)]
struct Opt {
    #[serde(with = "decimal_opt", default)]
    v: Option<Decimal>,
}

fn req(json: &str) -> Result<Decimal, serde_json::Error> {
    serde_json::from_str::<Req>(&format!(r#"{{"v":{json}}}"#)).map(|r| r.v)
}

fn opt(json: &str) -> Option<Decimal> {
    serde_json::from_str::<Opt>(&format!(r#"{{"v":{json}}}"#))
        .unwrap()
        .v
}

#[test]
fn decodes_every_documented_form_exactly() {
    let cases = [
        ("8.74", "8.74"),
        ("4002.5", "4002.5"),
        (r#""5.76""#, "5.76"),
        ("72.4231", "72.4231"),
        ("0.00", "0.00"),
        ("-15.5", "-15.5"),
        ("0.1", "0.1"),
        ("280", "280"),
        ("1e3", "1000"),
        ("12345678901234567890", "12345678901234567890"),
        ("1234567890.1234567890", "1234567890.1234567890"),
        (r#""-0.01""#, "-0.01"),
    ];
    for (json, expected) in cases {
        let v = req(json).unwrap_or_else(|e| panic!("{json}: {e}"));
        assert_eq!(v.to_string(), expected, "decoding {json}");
    }
}

#[test]
fn point_one_is_not_a_float() {
    let v = req("0.1").unwrap();
    assert_eq!(v, Decimal::new(1, 1));
    assert_eq!(
        req("0.1").unwrap() + req("0.2").unwrap(),
        req("0.3").unwrap()
    );
}

#[test]
fn encoding_writes_the_same_digits() {
    for json in [
        "0.00",
        "8.74",
        "4002.5",
        "72.4231",
        "12345678901234567890",
        "-15.5",
    ] {
        let r: Req = serde_json::from_str(&format!(r#"{{"v":{json}}}"#)).unwrap();
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            format!(r#"{{"v":"{json}"}}"#)
        );
    }
}

#[test]
fn absent_values_are_none_never_zero() {
    assert_eq!(opt("null"), None);
    assert_eq!(opt(r#""""#), None);
    assert_eq!(opt(r#""  ""#), None);
    assert_eq!(
        serde_json::from_str::<Opt>("{}").unwrap().v,
        None,
        "missing field"
    );
    assert_eq!(opt("0"), Some(Decimal::ZERO));
}

#[test]
fn required_amount_rejects_absent_and_garbage_with_a_message() {
    for bad in [
        "null",
        r#""""#,
        r#""abc""#,
        "true",
        "[1]",
        r#"{"a":1}"#,
        r#""1.2.3""#,
    ] {
        let err = req(bad).expect_err(bad).to_string();
        assert!(err.contains("amount"), "{bad}: {err}");
    }
}

#[test]
fn scientific_notation_is_read_exactly() {
    let cases = [
        ("1e3", "1000"),
        ("1E+3", "1000"),
        ("1.5e-2", "0.015"),
        ("-2.5e1", "-25"),
        ("25e-1", "2.5"),
        (".5e1", "5"),
        ("1.50e1", "15.0"),
        ("1e-28", "0.0000000000000000000000000001"),
        (
            "0.1000000000000000000000000000e0",
            "0.1000000000000000000000000000",
        ),
    ];
    for (text, expected) in cases {
        let v = parse_decimal(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(v.to_string(), expected, "{text}");
    }
}

#[test]
fn digits_beyond_a_decimal_are_refused_in_both_notations() {
    for text in [
        "0.10000000000000000000000000001",
        "0.10000000000000000000000000001e0",
        "10000000000000000000000000001e-29",
        "1e-29",
        "0.00000000000000000000000000001",
        "1e29",
        "1e2147483648",
        "1e",
        "e5",
        "1.2.3e1",
        "1e1.5",
    ] {
        assert!(parse_decimal(text).is_err(), "{text}");
    }
}

#[test]
fn too_large_values_error_instead_of_panicking() {
    let huge = "1".repeat(40);
    assert!(req(&huge).is_err());
    assert!(req(&format!(r#""{huge}""#)).is_err());
    assert!(req("1e400").is_err());
}

#[test]
fn amount_newtype_works_inside_collections() {
    let v: Vec<Amount> = serde_json::from_str(r#"[1.10, "2.20", 3]"#).unwrap();
    assert_eq!(
        v.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["1.10", "2.20", "3"]
    );
}
