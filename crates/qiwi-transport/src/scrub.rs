//! Keeping a client's secrets out of everything its errors show.
//!
//! A server or a proxy that reflects the request (an error page, a debugging gateway, a decode
//! error quoting the body) puts the credentials the request carried into the error, and from
//! there into messages, `Debug` output and logs. A [`Scrubber`] knows the secrets of one client
//! and cuts each of them out of an error in every form a request or an echo may carry it: as
//! is, JSON-escaped (`\"`, `\/`, `\u00e9`), XML-escaped (`&amp;`, `&#233;`, `&#xE9;`),
//! percent-encoded (`%20` or `+` for a space, either hex case), in any mix of these, and Base64
//! (standard or URL-safe alphabet, of the secret alone or of `id:secret` as in HTTP Basic).
//!
//! A secret shorter than [`MIN_CUT_LEN`] characters cannot be cut out of a text without
//! mangling it (a one-letter token is in most words), so a text that holds one is withheld
//! whole.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use bytes::Bytes;
use secrecy::{ExposeSecret, SecretString};

/// What replaces a secret, or a whole text that holds a short one.
pub const REDACTED: &str = "[REDACTED]";

/// The fewest characters a secret form must have to be cut out of a text; a text holding a
/// shorter one is replaced whole by [`REDACTED`].
pub const MIN_CUT_LEN: usize = 8;

/// The secrets one client holds, and the search for them in what its errors show.
///
/// Cheap to clone; clones share the tokens learnt with [`Scrubber::rotate`].
///
/// ```
/// use qiwi_transport::Scrubber;
/// let scrubber = Scrubber::new(["s3cret-t0ken"]);
/// assert_eq!(scrubber.scrub_str("echo: Bearer s3cret%2Dt0ken"), "echo: Bearer [REDACTED]");
/// assert_eq!(format!("{scrubber:?}"), "Scrubber { secrets: 1, tokens: 0 }");
/// ```
#[derive(Clone, Default)]
pub struct Scrubber {
    /// How many secrets were given at construction.
    secrets: usize,
    /// The forms of the secrets given at construction.
    fixed: Arc<[Needle]>,
    /// The forms of the current and the previous token obtained at run time.
    tokens: Arc<RwLock<Tokens>>,
}

#[derive(Default)]
struct Tokens {
    current: Option<(SecretString, Vec<Needle>)>,
    previous: Vec<Needle>,
}

/// One text to find: a secret or one of its Base64 forms.
struct Needle(SecretString);

impl Needle {
    fn all(secret: &str) -> impl Iterator<Item = Needle> {
        let bytes = secret.as_bytes();
        let standard = STANDARD_NO_PAD.encode(bytes);
        let url_safe = URL_SAFE_NO_PAD.encode(bytes);
        let url_safe = (url_safe != standard).then_some(url_safe);
        [Some(secret.to_owned()), Some(standard), url_safe]
            .into_iter()
            .flatten()
            .filter(|text| !text.is_empty())
            .map(|text| Needle(SecretString::from(text)))
    }

    fn text(&self) -> &str {
        self.0.expose_secret()
    }

    fn is_short(&self) -> bool {
        self.text().chars().count() < MIN_CUT_LEN
    }
}

impl fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tokens = self.tokens.read().unwrap_or_else(PoisonError::into_inner);
        let known = usize::from(tokens.current.is_some()) + usize::from(!tokens.previous.is_empty());
        f.debug_struct("Scrubber")
            .field("secrets", &self.secrets)
            .field("tokens", &known)
            .finish()
    }
}

impl Scrubber {
    /// A scrubber for these secrets (tokens, passwords, client secrets); empty ones are
    /// ignored.
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Self {
        let secrets: Vec<&str> = secrets.into_iter().filter(|s| !s.is_empty()).collect();
        Self {
            secrets: secrets.len(),
            fixed: secrets.into_iter().flat_map(Needle::all).collect(),
            tokens: Arc::default(),
        }
    }

    /// A scrubber for OAuth client credentials: the id, the secret, and `id:secret` (whose
    /// Base64 is the HTTP Basic form).
    pub fn for_client_credentials(id: &str, secret: &str) -> Self {
        let pair = SecretString::from(format!("{id}:{secret}"));
        Self::new([id, secret, pair.expose_secret()])
    }

    /// Learns a token obtained at run time. The previous token stays known, for the errors of
    /// requests that were sent with it.
    pub fn rotate(&self, token: &str) {
        let mut tokens = self.tokens.write().unwrap_or_else(PoisonError::into_inner);
        if tokens
            .current
            .as_ref()
            .is_some_and(|(known, _)| known.expose_secret() == token)
        {
            return;
        }
        let needles = Needle::all(token).collect();
        let fresh = (SecretString::from(token.to_owned()), needles);
        if let Some((_, previous)) = tokens.current.replace(fresh) {
            tokens.previous = previous;
        }
    }

    /// `text` with every secret cut out; borrowed when it held none.
    pub fn scrub_str<'t>(&self, text: &'t str) -> Cow<'t, str> {
        match self.scrub_bytes(text.as_bytes()) {
            Cow::Borrowed(_) => Cow::Borrowed(text),
            // Only whole characters are replaced, by ASCII, so the text stays UTF-8.
            Cow::Owned(bytes) => Cow::Owned(String::from_utf8_lossy(&bytes).into_owned()),
        }
    }

    /// `bytes` with every secret cut out; borrowed when they held none.
    pub fn scrub_bytes<'t>(&self, bytes: &'t [u8]) -> Cow<'t, [u8]> {
        let tokens = self.tokens.read().unwrap_or_else(PoisonError::into_inner);
        let needles: Vec<&Needle> = self
            .fixed
            .iter()
            .chain(tokens.current.iter().flat_map(|(_, needles)| needles))
            .chain(&tokens.previous)
            .collect();
        match scrub(bytes, &needles) {
            Some(clean) => Cow::Owned(clean),
            None => Cow::Borrowed(bytes),
        }
    }
}

/// The text with every needle cut out, or `None` when it held none.
fn scrub(text: &[u8], needles: &[&Needle]) -> Option<Vec<u8>> {
    if needles
        .iter()
        .filter(|n| n.is_short())
        .any(|n| (0..text.len()).any(|at| match_at(text, at, n.text()).is_some()))
    {
        return Some(REDACTED.as_bytes().to_vec());
    }
    let mut clean = Vec::new();
    let (mut copied, mut at) = (0, 0);
    while at < text.len() {
        // The longest form found here, so that no tail of a longer one is left behind.
        match needles.iter().filter_map(|n| match_at(text, at, n.text())).max() {
            Some(end) => {
                clean.extend_from_slice(&text[copied..at]);
                clean.extend_from_slice(REDACTED.as_bytes());
                (copied, at) = (end, end);
            }
            None => at += 1,
        }
    }
    if copied == 0 {
        return None;
    }
    clean.extend_from_slice(&text[copied..]);
    Some(clean)
}

/// Where the longest form of `needle` starting at `at` ends, each of its characters written as
/// is or escaped in any of the ways [`encoded_len`] reads.
///
/// A character may be read two ways (a `&` as is, or `&amp;`), so every position a prefix of
/// the needle can end at is followed; there are few, each character's forms being short.
fn match_at(text: &[u8], at: usize, needle: &str) -> Option<usize> {
    let mut chars = needle.chars();
    let first = chars.next()?;
    let rest = &text[at..];
    // Most positions are refused here, before anything is allocated.
    let mut ends: Vec<usize> = [literal_len(rest, first), encoded_len(rest, first)]
        .into_iter()
        .flatten()
        .map(|len| at + len)
        .collect();
    for c in chars {
        if ends.is_empty() {
            return None;
        }
        let mut next = Vec::with_capacity(ends.len());
        for end in ends {
            let rest = &text[end..];
            for len in [literal_len(rest, c), encoded_len(rest, c)].into_iter().flatten() {
                if !next.contains(&(end + len)) {
                    next.push(end + len);
                }
            }
        }
        ends = next;
    }
    ends.into_iter().max()
}

fn literal_len(text: &[u8], c: char) -> Option<usize> {
    let mut buffer = [0; 4];
    let raw = c.encode_utf8(&mut buffer).as_bytes();
    text.starts_with(raw).then_some(raw.len())
}

/// The length of `c` escaped at the start of `text`: percent-encoded, JSON- or XML-escaped.
fn encoded_len(text: &[u8], c: char) -> Option<usize> {
    match *text.first()? {
        b'%' => percent_len(text, c),
        b'+' if c == ' ' => Some(1),
        b'\\' => json_len(text, c),
        b'&' => xml_len(text, c),
        _ => None,
    }
}

/// `%XX` for each byte of the character, in either hex case.
fn percent_len(text: &[u8], c: char) -> Option<usize> {
    let mut buffer = [0; 4];
    let raw = c.encode_utf8(&mut buffer).as_bytes();
    for (i, byte) in raw.iter().enumerate() {
        let escape = text.get(i * 3..i * 3 + 3)?;
        if escape[0] != b'%' || hex(&escape[1..])? != u32::from(*byte) {
            return None;
        }
    }
    Some(raw.len() * 3)
}

/// `\"`, `\\`, `\/`, `\n` and the other short escapes, or `\uXXXX` (a surrogate pair beyond
/// the Basic Multilingual Plane), in either hex case.
fn json_len(text: &[u8], c: char) -> Option<usize> {
    let short = match c {
        '"' => Some(b'"'),
        '\\' => Some(b'\\'),
        '/' => Some(b'/'),
        '\u{8}' => Some(b'b'),
        '\u{c}' => Some(b'f'),
        '\n' => Some(b'n'),
        '\r' => Some(b'r'),
        '\t' => Some(b't'),
        _ => None,
    };
    if short.is_some() && text.get(1).copied() == short {
        return Some(2);
    }
    let mut units = [0; 2];
    let mut end = 0;
    for unit in c.encode_utf16(&mut units).iter() {
        let escape = text.get(end..end + 6)?;
        if &escape[..2] != b"\\u" || hex(&escape[2..])? != u32::from(*unit) {
            return None;
        }
        end += 6;
    }
    Some(end)
}

/// A predefined entity (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`) or a character reference
/// (`&#233;`, `&#xE9;`).
fn xml_len(text: &[u8], c: char) -> Option<usize> {
    let entity: Option<&[u8]> = match c {
        '&' => Some(b"&amp;"),
        '<' => Some(b"&lt;"),
        '>' => Some(b"&gt;"),
        '"' => Some(b"&quot;"),
        '\'' => Some(b"&apos;"),
        _ => None,
    };
    if let Some(entity) = entity.filter(|e| text.starts_with(e)) {
        return Some(entity.len());
    }
    let rest = text.strip_prefix(b"&#")?;
    let (radix, skip) = match rest.first() {
        Some(b'x' | b'X') => (16, 1),
        _ => (10, 0),
    };
    let digits = &rest[skip..];
    // Eight digits hold any character, leading zeros included.
    let len = digits
        .iter()
        .take(9)
        .take_while(|b| b.is_ascii_hexdigit())
        .count();
    if len == 0 || len > 8 || digits.get(len) != Some(&b';') {
        return None;
    }
    let value = u32::from_str_radix(std::str::from_utf8(&digits[..len]).ok()?, radix).ok()?;
    (value == u32::from(c)).then_some(2 + skip + len + 1)
}

/// The value of hex digits (no sign, unlike `from_str_radix`).
fn hex(digits: &[u8]) -> Option<u32> {
    if !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
}

/// A value that can show a secret, and how to cut every one out of it.
///
/// Implemented by every error type that holds text from the network: a client scrubs each
/// error before returning it.
pub trait Scrub {
    /// Cuts every secret the scrubber knows out of what `self` holds.
    fn scrub(&mut self, scrubber: &Scrubber);

    /// `self`, scrubbed.
    fn scrubbed(mut self, scrubber: &Scrubber) -> Self
    where
        Self: Sized,
    {
        self.scrub(scrubber);
        self
    }
}

impl Scrub for String {
    fn scrub(&mut self, scrubber: &Scrubber) {
        if let Cow::Owned(clean) = scrubber.scrub_str(self) {
            *self = clean;
        }
    }
}

impl Scrub for Bytes {
    fn scrub(&mut self, scrubber: &Scrubber) {
        if let Cow::Owned(clean) = scrubber.scrub_bytes(self) {
            *self = Bytes::from(clean);
        }
    }
}

impl<T: Scrub> Scrub for Option<T> {
    fn scrub(&mut self, scrubber: &Scrubber) {
        if let Some(value) = self {
            value.scrub(scrubber);
        }
    }
}

impl<T: Scrub> Scrub for Vec<T> {
    fn scrub(&mut self, scrubber: &Scrubber) {
        for value in self {
            value.scrub(scrubber);
        }
    }
}

impl<T: Scrub + ?Sized> Scrub for Box<T> {
    fn scrub(&mut self, scrubber: &Scrubber) {
        (**self).scrub(scrubber);
    }
}
