qiwi_types::open_enum! {
    /// A test enum.
    pub enum Status {
        /// Waiting.
        Waiting = "WAITING",
        /// Done.
        Success = "SUCCESS",
    }
}

qiwi_types::open_enum! {
    pub enum Code: i32 {
        Ok = 0, "ok", "no error";
        Busy = 13, "busy", "repeat in a minute";
        _ = "a code this client does not know";
    }
}

#[test]
fn integer_codes_keep_what_they_do_not_know() {
    assert_eq!(Code::from_code(13), Code::Busy);
    assert_eq!(Code::from_code(98765), Code::Unknown(98765));
    assert_eq!(Code::Unknown(7).code(), 7);
    assert_eq!(Code::Unknown(7).name(), "other");
    assert_eq!(Code::from(0).description(), "no error");
    assert!(Code::Ok.is_ok() && !Code::Busy.is_ok());
    assert_eq!(
        Code::Unknown(7).to_string(),
        "7 (a code this client does not know)"
    );
    let json = serde_json::to_string(&Code::Busy).unwrap();
    assert_eq!(json, r#"{"code":13,"name":"busy"}"#);
}

#[test]
fn known_and_unknown_values_round_trip() {
    for (json, expected) in [
        (r#""WAITING""#, Status::Waiting),
        (r#""SUCCESS""#, Status::Success),
        (r#""REFUNDED""#, Status::Unknown("REFUNDED".into())),
        ("7", Status::Unknown("7".into())),
    ] {
        let parsed: Status = serde_json::from_str(json).unwrap();
        assert_eq!(parsed, expected);
        let back = serde_json::to_string(&parsed).unwrap();
        assert_eq!(back.trim_matches('"'), json.trim_matches('"'));
    }
    assert_eq!(Status::KNOWN.len(), 2);
    assert!(Status::from("x").is_unknown());
}
