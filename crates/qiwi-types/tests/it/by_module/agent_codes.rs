use qiwi_types::agent::codes::*;

#[test]
fn statuses_cover_every_range_and_round_trip() {
    for code in -5..=400 {
        assert_eq!(PaymentStatus::from_code(code).code(), code, "{code}");
    }
    assert_eq!(PaymentStatus::from_code(i32::MIN).code(), i32::MIN);
    assert_eq!(
        PaymentStatus::from_code(i32::MAX),
        PaymentStatus::Failed(i32::MAX)
    );
}

#[test]
fn codes_round_trip_and_keep_unknown_numbers() {
    for code in [-1, 0, 13, 150, 204, 300, 339, 999, i32::MAX] {
        assert_eq!(RequestCode::from_code(code).code(), code);
        assert_eq!(PaymentCode::from_code(code).code(), code);
    }
    assert_eq!(RequestCode::from_code(204), RequestCode::Unknown(204));
    assert_eq!(
        PaymentCode::from_code(204),
        PaymentCode::InsufficientIdentification
    );
}

#[test]
fn serialize_as_code_and_name() {
    let json = serde_json::to_string(&PaymentStatus::Processing(55)).unwrap();
    assert_eq!(json, r#"{"code":55,"name":"processing"}"#);
    let json = serde_json::to_string(&RequestCode::Unknown(7)).unwrap();
    assert_eq!(json, r#"{"code":7,"name":"other"}"#);
}
