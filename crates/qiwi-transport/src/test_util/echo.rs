//! What a server or proxy that reflects the request shows, and every form of a secret that a
//! scrubbed error must not show. The encoders here are written apart from the scrubber's
//! search, so that a test checks one against the other.

use std::sync::{Arc, Mutex, PoisonError};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use http::HeaderMap;

/// Makes an answer's body around an echo (a family's error document quoting it, say).
pub type Body = fn(&str) -> String;

/// A server or proxy that reflects every request it has seen, each in every form of
/// [`encodings`], followed by the credentials it was told about in Base64: each alone, and
/// joined by `:` as an HTTP Basic header.
///
/// ```
/// use qiwi_transport::test_util::echo::EchoLog;
/// let log = EchoLog::new(&["id", "secret"]);
/// let body = log.reflect("GET", "http://127.0.0.1/x?token=t", &Default::default(), b"");
/// assert!(body.contains("GET http://127.0.0.1/x?token=t"));
/// assert!(body.contains("Authorization: Basic aWQ6c2VjcmV0"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct EchoLog {
    seen: Arc<Mutex<Vec<String>>>,
    credentials: Vec<String>,
}

impl EchoLog {
    /// A log that also shows `credentials` in Base64.
    pub fn new(credentials: &[&str]) -> Self {
        Self {
            seen: Arc::default(),
            credentials: credentials.iter().map(|c| (*c).to_owned()).collect(),
        }
    }

    /// Records a request and returns everything seen so far, reflected.
    pub fn reflect(&self, method: &str, url: &str, headers: &HeaderMap, body: &[u8]) -> String {
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        seen.push(request_text(method, url, headers, body));
        let mut out: Vec<String> = seen.iter().flat_map(|text| encodings(text)).collect();
        for credential in &self.credentials {
            out.push(STANDARD.encode(credential));
            out.push(URL_SAFE.encode(credential));
        }
        if !self.credentials.is_empty() {
            let joined = self.credentials.join(":");
            out.push(format!("Authorization: Basic {}", STANDARD.encode(joined)));
        }
        out.join("\n")
    }
}

/// The request as an echo shows it: request line, headers and body.
pub fn request_text(method: &str, url: &str, headers: &HeaderMap, body: &[u8]) -> String {
    let mut text = format!("{method} {url}\n");
    for (name, value) in headers {
        text.push_str(&format!(
            "{name}: {}\n",
            String::from_utf8_lossy(value.as_bytes())
        ));
    }
    text.push('\n');
    text.push_str(&String::from_utf8_lossy(body));
    text
}

/// `text` in every form an echo may take, each once: as is; JSON-escaped (plain, then with `\/`
/// and every non-ASCII character as `\u` escapes in lower and in upper hex); XML-escaped
/// (predefined entities, then every other character than a letter or digit as a decimal and as
/// a hex reference); percent-encoded (every byte but letters, digits and `-._~`, with `%20` or
/// `+` for a space, in upper and in lower hex); Base64 (standard and URL-safe).
pub fn encodings(text: &str) -> Vec<String> {
    let mut forms = vec![
        text.to_owned(),
        json_escaped(text),
        json_strict(text, false),
        json_strict(text, true),
        xml_escaped(text),
        xml_references(text, false),
        xml_references(text, true),
    ];
    for plus in [false, true] {
        for lower in [false, true] {
            forms.push(percent_encoded(text, plus, lower));
        }
    }
    forms.push(STANDARD.encode(text));
    forms.push(URL_SAFE.encode(text));
    let mut unique = Vec::new();
    for form in forms {
        if !unique.contains(&form) {
            unique.push(form);
        }
    }
    unique
}

/// Everything an error shows: its `Display` and `Debug`, and those of every source under it.
pub fn shown(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = format!("{error}\n{error:?}");
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!("\n{cause}\n{cause:?}"));
        source = cause.source();
    }
    text
}

/// The forms of `secrets` (from [`encodings`]) found in `shown`; empty when nothing leaks.
pub fn leaks(shown: &str, secrets: &[&str]) -> Vec<String> {
    secrets
        .iter()
        .flat_map(|secret| encodings(secret))
        .filter(|form| shown.contains(form.as_str()))
        .collect()
}

/// `text` as the inside of a JSON string, escaped as `serde_json` does.
pub fn json_escaped(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

fn json_strict(text: &str, upper: bool) -> String {
    let mut out = String::new();
    for c in json_escaped(text).chars() {
        if c == '/' {
            out.push_str("\\/");
        } else if c.is_ascii() {
            out.push(c);
        } else {
            for unit in c.encode_utf16(&mut [0; 2]) {
                out.push_str(&if upper {
                    format!("\\u{unit:04X}")
                } else {
                    format!("\\u{unit:04x}")
                });
            }
        }
    }
    out
}

/// `text` with the five predefined XML entities, as an XML writer escapes a value.
pub fn xml_escaped(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn xml_references(text: &str, hex: bool) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if hex {
            out.push_str(&format!("&#x{:X};", u32::from(c)));
        } else {
            out.push_str(&format!("&#{};", u32::from(c)));
        }
    }
    out
}

fn percent_encoded(text: &str, plus: bool, lower: bool) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b' ' if plus => out.push('+'),
            b'-' | b'.' | b'_' | b'~' => out.push(char::from(byte)),
            b if b.is_ascii_alphanumeric() => out.push(char::from(b)),
            b if lower => out.push_str(&format!("%{b:02x}")),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
