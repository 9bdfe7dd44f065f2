use qiwi_types::wallet::identification::*;

fn request() -> IdentificationRequest {
    IdentificationRequest {
        birth_date: "1998-02-11".parse().unwrap(),
        first_name: "Иван".into(),
        middle_name: "Иванович".into(),
        last_name: "Иванов".into(),
        passport: "4400111222".into(),
        inn: None,
        snils: Some("12345678901".into()),
        oms: None,
    }
}

#[test]
fn request_is_written_like_the_reference_example() {
    let json = serde_json::to_string(&request()).unwrap();
    assert_eq!(
        json,
        r#"{"birthDate":"1998-02-11","firstName":"Иван","inn":"","lastName":"Иванов","middleName":"Иванович","oms":"","passport":"4400111222","snils":"12345678901"}"#
    );
}

#[test]
fn request_debug_hides_personal_data() {
    let debug = format!("{:?}", request());
    for secret in ["Иван", "4400111222", "1998", "12345678901"] {
        assert!(!debug.contains(secret), "{debug}");
    }
    assert_eq!(
        debug,
        r#"IdentificationRequest { birth_date: "[REDACTED]", first_name: "[REDACTED]", middle_name: "[REDACTED]", last_name: "[REDACTED]", passport: "[REDACTED]", inn: None, snils: Some("[REDACTED]"), oms: None }"#
    );
}

#[test]
fn validation_names_the_field() {
    let mut r = request();
    r.first_name = "  ".into();
    assert_eq!(r.validate().unwrap_err(), "firstName is required");
    let mut r = request();
    r.birth_date = qiwi_types::CalendarDate::lenient("11.02.1998");
    assert!(r.validate().unwrap_err().contains("birthDate"));
    let mut r = request();
    r.passport = String::new();
    assert!(r.validate().unwrap_err().contains("passport"));
}
