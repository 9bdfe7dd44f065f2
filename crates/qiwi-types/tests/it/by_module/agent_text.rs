use qiwi_types::agent::text::*;

#[test]
fn xml_text_refuses_control_characters_and_hides_secrets() {
    assert!(check_xml_text("comment", "Перевод <на> карту & \"x\"", false).is_ok());
    let err = check_xml_text("comment", "a\u{0}b", false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid comment: character 2 ('\\0') cannot be sent in XML (a control character)"
    );
    let err = check_xml_text("password", "pw\u{1}", true).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid password: character 3 cannot be sent in XML (a control character)"
    );
    assert!(check_xml_text("x", "\u{FFFE}", false).is_err());
    assert!(check_xml_text("x", "tab\tand\nnewline\r", false).is_ok());
}
