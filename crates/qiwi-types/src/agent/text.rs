//! Text that an XML request can carry.

use crate::InvalidValue;

/// Whether `c` may appear in an XML 1.0 document at all (even escaped, a NUL cannot).
pub fn is_xml_char(c: char) -> bool {
    matches!(c,
        '\u{9}' | '\u{A}' | '\u{D}'
        | '\u{20}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
}

/// Refuses text that XML cannot carry. `secret` keeps the character out of the message.
///
/// # Errors
/// [`InvalidValue`] naming `what` and the position of the first character XML cannot carry.
pub fn check_xml_text(what: &'static str, text: &str, secret: bool) -> Result<(), InvalidValue> {
    match text.chars().position(|c| !is_xml_char(c)) {
        None => Ok(()),
        Some(index) if secret => Err(InvalidValue::new(
            what,
            format!(
                "character {} cannot be sent in XML (a control character)",
                index + 1
            ),
        )),
        Some(index) => {
            let c = text.chars().nth(index).unwrap_or_default();
            Err(InvalidValue::new(
                what,
                format!(
                    "character {} ({:?}) cannot be sent in XML (a control character)",
                    index + 1,
                    c
                ),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
