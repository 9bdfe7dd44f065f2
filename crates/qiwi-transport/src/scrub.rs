//! Keeping a client's secrets out of everything its errors show.
//!
//! A server or a proxy that reflects the request (an error page, a debugging gateway, a decode
//! error quoting the body) puts the credentials the request carried into the error, and from
//! there into messages, `Debug` output and logs. A [`Scrubber`] knows the secrets of one client
//! and cuts each of them out of an error in every form a request or an echo may carry it: as
//! is, JSON-escaped (`\"`, `\/`, `\u00e9`), XML-escaped (`&amp;`, `&#233;`, `&#xE9;`),
//! percent-encoded (`%20` or `+` for a space, either hex case), in any mix of these up to two
//! layers deep (an XML request quoted in a JSON error body), and Base64 (standard or URL-safe
//! alphabet, of the secret alone or of `id:secret` as in HTTP Basic).
//!
//! A secret shorter than [`MIN_CUT_LEN`] characters cannot be cut out of a text without
//! mangling it (a one-letter token is in most words), so a text that holds one is withheld
//! whole.

use std::borrow::Cow;
use std::collections::VecDeque;
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
    /// The forms of the secrets learnt at run time, newest last.
    tokens: Arc<RwLock<VecDeque<Learnt>>>,
}

/// How many secrets learnt at run time stay known: enough for every key a program handles
/// at once (webhook keys, P2P keys, renewed tokens), bounded so that a long-running client
/// does not grow.
pub const LEARNT_KEPT: usize = 32;

/// A secret learnt at run time and its forms.
struct Learnt {
    secret: SecretString,
    needles: Vec<Needle>,
}

/// One text to find: a secret or one of its Base64 forms, with `+` written as a space.
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
            .map(|text| Needle(SecretString::from(text.replace('+', " "))))
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
        f.debug_struct("Scrubber")
            .field("secrets", &self.secrets)
            .field("tokens", &tokens.len())
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

    /// Learns a token (or another secret, such as a signing key) obtained at run time. The
    /// [`LEARNT_KEPT`] newest stay known, for the errors of requests that were sent with an
    /// earlier one or of a server that echoes one later.
    pub fn rotate(&self, token: &str) {
        let mut tokens = self.tokens.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(known) = tokens
            .iter()
            .position(|learnt| learnt.secret.expose_secret() == token)
        {
            // Known already: it becomes the newest again.
            if let Some(learnt) = tokens.remove(known) {
                tokens.push_back(learnt);
            }
            return;
        }
        if tokens.len() == LEARNT_KEPT {
            tokens.pop_front();
        }
        tokens.push_back(Learnt {
            secret: SecretString::from(token.to_owned()),
            needles: Needle::all(token).collect(),
        });
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
            .chain(tokens.iter().flat_map(|learnt| &learnt.needles))
            .collect();
        match scrub(bytes, &needles) {
            Some(clean) => Cow::Owned(clean),
            None => Cow::Borrowed(bytes),
        }
    }
}

/// The text with every needle cut out, or `None` when it held none.
///
/// The needles are looked for in the text as it is, then with one layer of escapes decoded,
/// then with two (an XML request quoted in a JSON error body); a match in a decoded view cuts
/// out the escapes it was decoded from. A `+` and a space are taken as the same character (the
/// form encoding of a space), in the needles and in the text.
fn scrub(text: &[u8], needles: &[&Needle]) -> Option<Vec<u8>> {
    if needles.is_empty() {
        return None;
    }
    let mut views = vec![View {
        bytes: Cow::Borrowed(text),
        escapes: Vec::new(),
    }];
    for _ in 0..DEPTH {
        match views.last().and_then(View::decoded) {
            Some(view) => views.push(view),
            None => break,
        }
    }
    let mut cuts = Vec::new();
    for (depth, view) in views.iter().enumerate() {
        let haystack = same_plus_and_space(&view.bytes);
        for needle in needles {
            let len = needle.text().len();
            let mut found = memchr::memmem::find_iter(&haystack, needle.text().as_bytes())
                .map(|at| source(&views[..=depth], at, at + len));
            if needle.is_short() {
                if found.next().is_some() {
                    return Some(REDACTED.as_bytes().to_vec());
                }
            } else {
                cuts.extend(found);
            }
        }
    }
    if cuts.is_empty() {
        return None;
    }
    cuts.sort_unstable();
    let mut clean = Vec::with_capacity(text.len());
    let mut copied = 0;
    for (start, end) in cuts {
        // Overlapping cuts (a form found in two views) make one.
        if start >= copied {
            clean.extend_from_slice(&text[copied..start]);
            clean.extend_from_slice(REDACTED.as_bytes());
        }
        copied = copied.max(end);
    }
    clean.extend_from_slice(&text[copied..]);
    Some(clean)
}

/// How many layers of escapes are decoded.
const DEPTH: usize = 2;

/// `text` with every `+` read as a space.
fn same_plus_and_space(text: &[u8]) -> Cow<'_, [u8]> {
    if text.contains(&b'+') {
        Cow::Owned(
            text.iter()
                .map(|&b| if b == b'+' { b' ' } else { b })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

/// The text (first of `views`), or a view of it with one more layer of escapes decoded.
struct View<'t> {
    bytes: Cow<'t, [u8]>,
    /// Where the escapes decoded from the view before this one are, in both, in order.
    escapes: Vec<Escape>,
}

/// One escape decoded: `len` bytes at `at` in a view, from `from_len` bytes at `from` in the
/// view before it.
struct Escape {
    at: usize,
    len: usize,
    from: usize,
    from_len: usize,
}

/// The range of the text that bytes `start..end` of the last of `views` came from.
fn source(views: &[View<'_>], start: usize, end: usize) -> (usize, usize) {
    let (mut start, mut end) = (start, end);
    for view in views.iter().skip(1).rev() {
        (start, end) = (view.origin(start).0, view.origin(end - 1).1);
    }
    (start, end)
}

impl View<'_> {
    /// The range of the view before this one that byte `at` came from.
    fn origin(&self, at: usize) -> (usize, usize) {
        let after = self.escapes.partition_point(|e| e.at <= at);
        match after.checked_sub(1).map(|i| &self.escapes[i]) {
            None => (at, at + 1),
            Some(e) if at < e.at + e.len => (e.from, e.from + e.from_len),
            Some(e) => {
                let from = e.from + e.from_len + (at - e.at - e.len);
                (from, from + 1)
            }
        }
    }

    /// This view with one layer of escapes decoded, or `None` when it holds none: `%XX`; JSON
    /// `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t` and `\uXXXX` (surrogate pairs
    /// joined); XML `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#NNN;` and `&#xHHH;`. Hex
    /// digits in either case.
    fn decoded(&self) -> Option<View<'static>> {
        let text = &self.bytes[..];
        let mut bytes = Vec::new();
        let mut escapes = Vec::new();
        let mut copied = 0;
        let mut at = 0;
        while let Some(next) = memchr::memchr3(b'%', b'\\', b'&', &text[at..]) {
            at += next;
            let Some((len, decoded)) = unescape(&text[at..]) else {
                at += 1;
                continue;
            };
            bytes.extend_from_slice(&text[copied..at]);
            let mut utf8 = [0; 4];
            let out: &[u8] = match &decoded {
                Decoded::Byte(byte) => std::slice::from_ref(byte),
                Decoded::Char(c) => c.encode_utf8(&mut utf8).as_bytes(),
            };
            escapes.push(Escape {
                at: bytes.len(),
                len: out.len(),
                from: at,
                from_len: len,
            });
            bytes.extend_from_slice(out);
            at += len;
            copied = at;
        }
        if escapes.is_empty() {
            return None;
        }
        bytes.extend_from_slice(&text[copied..]);
        Some(View {
            bytes: Cow::Owned(bytes),
            escapes,
        })
    }
}

enum Decoded {
    Byte(u8),
    Char(char),
}

/// The escape at the start of `text`: its length and what it stands for.
fn unescape(text: &[u8]) -> Option<(usize, Decoded)> {
    match *text.first()? {
        b'%' => Some((3, Decoded::Byte(u8::try_from(hex(text.get(1..3)?)?).ok()?))),
        b'\\' => {
            let short = match *text.get(1)? {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => return json_unicode(text),
                _ => return None,
            };
            Some((2, Decoded::Char(short)))
        }
        b'&' => xml_reference(text),
        _ => None,
    }
}

/// `\uXXXX`, or a surrogate pair `\uD83D\uDE00`.
fn json_unicode(text: &[u8]) -> Option<(usize, Decoded)> {
    let unit = |at: usize| {
        text.get(at..at + 2)
            .filter(|p| p == b"\\u")
            .and_then(|_| hex(text.get(at + 2..at + 6)?))
    };
    let first = unit(0)?;
    if let Some(c) = char::from_u32(first) {
        return Some((6, Decoded::Char(c)));
    }
    let second = unit(6)?;
    let c = char::decode_utf16([u16::try_from(first).ok()?, u16::try_from(second).ok()?])
        .next()?
        .ok()?;
    Some((12, Decoded::Char(c)))
}

/// A predefined XML entity or a character reference.
fn xml_reference(text: &[u8]) -> Option<(usize, Decoded)> {
    for (entity, c) in [
        (&b"&amp;"[..], '&'),
        (b"&lt;", '<'),
        (b"&gt;", '>'),
        (b"&quot;", '"'),
        (b"&apos;", '\''),
    ] {
        if text.starts_with(entity) {
            return Some((entity.len(), Decoded::Char(c)));
        }
    }
    let rest = text.strip_prefix(b"&#")?;
    let is_hex = matches!(rest.first(), Some(b'x' | b'X'));
    let skip = usize::from(is_hex);
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
    let digits = std::str::from_utf8(&digits[..len]).ok()?;
    let code = if is_hex {
        hex(digits.as_bytes())?
    } else {
        digits.parse().ok()?
    };
    Some((2 + skip + len + 1, Decoded::Char(char::from_u32(code)?)))
}

/// The value of hex digits (no sign, unlike `from_str_radix` alone).
fn hex(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_hexdigit) {
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

/// Nothing to scrub.
impl Scrub for () {
    fn scrub(&mut self, _scrubber: &Scrubber) {}
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
