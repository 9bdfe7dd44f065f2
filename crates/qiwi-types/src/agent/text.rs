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
