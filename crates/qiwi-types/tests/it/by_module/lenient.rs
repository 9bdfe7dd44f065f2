use serde::Deserialize;

#[derive(Deserialize)]
struct Text(#[serde(with = "qiwi_types::lenient::text")] String);

#[derive(Deserialize)]
struct MaybeText(#[serde(with = "qiwi_types::lenient::text_opt")] Option<String>);

/// Every integer width JSON gives is read as its exact digits, extremes and signs included.
#[test]
fn integers_read_as_their_exact_digits() {
    for (json, text) in [
        ("0", "0"),
        ("7", "7"),
        ("-1", "-1"),
        ("18446744073709551615", "18446744073709551615"),
        ("-9223372036854775808", "-9223372036854775808"),
        (r#""0042""#, "0042"),
    ] {
        let Text(read) = serde_json::from_str(json).unwrap();
        assert_eq!(read, text, "{json}");
        let MaybeText(read) = serde_json::from_str(json).unwrap();
        assert_eq!(read.as_deref(), Some(text), "{json}");
    }
    let MaybeText(read) = serde_json::from_str("null").unwrap();
    assert_eq!(read, None);
}
