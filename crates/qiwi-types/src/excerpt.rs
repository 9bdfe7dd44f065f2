//! Bounded quotes of text from the wire, for error messages.

use std::borrow::Cow;

/// The most characters of one server-supplied text (a vendor message, a decoder's complaint
/// quoting a value) that an error message shows.
pub const MAX_QUOTED_CHARS: usize = 300;

/// `text` when it has at most [`MAX_QUOTED_CHARS`] characters; otherwise its beginning and its
/// end (which often says what was expected) around a note of how much was left out.
///
/// ```
/// use qiwi_types::excerpt::excerpt;
/// assert_eq!(excerpt("short"), "short");
/// let long = "x".repeat(1_000_000);
/// assert!(excerpt(&long).len() < 400);
/// assert!(excerpt(&long).contains("characters left out"));
/// ```
pub fn excerpt(text: &str) -> Cow<'_, str> {
    let count = text.chars().count();
    if count <= MAX_QUOTED_CHARS {
        return Cow::Borrowed(text);
    }
    let head_chars = MAX_QUOTED_CHARS * 2 / 3;
    let tail_chars = MAX_QUOTED_CHARS - head_chars;
    let byte_at = |chars: usize| {
        text.char_indices()
            .nth(chars)
            .map_or(text.len(), |(i, _)| i)
    };
    let head = &text[..byte_at(head_chars)];
    let tail = &text[byte_at(count - tail_chars)..];
    let left_out = count - head_chars - tail_chars;
    Cow::Owned(format!("{head}…[{left_out} characters left out]…{tail}"))
}
