//! Decoding answers into typed values, with errors that say where and why.

#[cfg(feature = "json")]
pub mod json;
#[cfg(feature = "xml")]
pub mod xml;

/// Turns a `serde_path_to_error` path into `a.b[0].c`, or `.` for the whole document.
#[cfg(feature = "json")]
fn path_text(path: &serde_path_to_error::Path) -> String {
    let text = path.to_string();
    if text.is_empty() { ".".into() } else { text }
}
