//! Validation shared by every value that goes into a request.

use std::fmt;

/// A value given by the caller that cannot go into a request.
///
/// The message names the value's role and what is wrong with it, never the value itself when it
/// could be secret (passwords).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what}: {reason}")]
pub struct InvalidValue {
    what: &'static str,
    reason: String,
}

impl InvalidValue {
    pub(crate) fn new(what: &'static str, reason: impl fmt::Display) -> Self {
        Self {
            what,
            reason: reason.to_string(),
        }
    }

    /// Which value was wrong (`transaction number`, `amount`, ...).
    pub fn what(&self) -> &'static str {
        self.what
    }

    /// What is wrong with it.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// Whether `c` may appear in an XML 1.0 document at all (even escaped, a NUL cannot).
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c,
        '\u{9}' | '\u{A}' | '\u{D}'
        | '\u{20}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
}

/// Refuses text that XML cannot carry. `secret` keeps the character out of the message.
pub(crate) fn check_xml_text(
    what: &'static str,
    text: &str,
    secret: bool,
) -> Result<(), InvalidValue> {
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

/// Text that must be digits only, with a length in `range`.
pub(crate) fn check_digits(
    what: &'static str,
    text: &str,
    range: std::ops::RangeInclusive<usize>,
) -> Result<(), InvalidValue> {
    if text.is_empty() {
        return Err(InvalidValue::new(what, "it is empty"));
    }
    if let Some(bad) = text.chars().find(|c| !c.is_ascii_digit()) {
        return Err(InvalidValue::new(
            what,
            format!("only the digits 0-9 are allowed (no spaces or signs); found {bad:?}"),
        ));
    }
    if !range.contains(&text.len()) {
        return Err(InvalidValue::new(
            what,
            format!(
                "it must have {} to {} digits; this one has {}",
                range.start(),
                range.end(),
                text.len()
            ),
        ));
    }
    Ok(())
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

    #[test]
    fn digits_are_checked_for_content_and_length() {
        assert!(check_digits("card number", "4265111122334411", 13..=19).is_ok());
        assert_eq!(
            check_digits("card number", "4265 1111", 13..=19)
                .unwrap_err()
                .to_string(),
            "invalid card number: only the digits 0-9 are allowed (no spaces or signs); found ' '"
        );
        assert!(check_digits("card number", "", 13..=19).is_err());
        assert!(check_digits("card number", "123", 13..=19).is_err());
    }
}
