//! Checking a notification (E56) the service posted to a hook's URL, from the bytes received.
//!
//! A pure function: no I/O, no clock. [`WebhookVerifier::verify`] follows the reference's
//! algorithm (§12.1):
//!
//! 1. read `payment.signFields` (comma-separated dotted paths inside `payment`) and follow it
//!    in its order, never a list of its own;
//! 2. take each value from its raw JSON token: a string as its unescaped text, a number as the
//!    digits the server wrote (never through a float);
//! 3. join them with `|` and compute HMAC-SHA256 with the Base64-decoded key of the hook (E52,
//!    E53); the `hash` field is its lowercase hexadecimal form, compared in constant time;
//! 4. when that fails, try once more with the numbers' trailing zeros stripped (`1.0` → `1`,
//!    `1.50` → `1.5`): the reference leaves number formatting unspecified, and the service's
//!    own sample signs the value as PHP prints it.
//!
//! # What the signature covers
//!
//! Only the fields `signFields` names. The documented list is
//! `sum.currency,sum.amount,type,account,txnId`: `status`, `errorCode`, `date`, `commission`
//! and `messageId` are **not** signed, so a replayed notification with a changed status still
//! verifies. [`VerifiedPayment::signed_fields`] says what is covered; a list that leaves out
//! any of [`REQUIRED_SIGN_FIELDS`] is refused. **Before acting on an unsigned field (a payment
//! being `SUCCESS`, say), confirm the transaction through the transaction call (E16)** by its
//! `txnId`, which is signed.
//!
//! A test notification (E55, `"test": true`) carries no payment to sign: it comes back as
//! [`Verified::Test`], and nothing in it is authenticated.
//!
//! ```
//! use qiwi_wallet::SecretString;
//! use qiwi_wallet::webhook::{Verified, WebhookVerifier};
//!
//! let key = SecretString::from("JcyVhjHCvHQwufz+IHXolyqHgEc5MoayBfParl6Guoc=");
//! let verifier = WebhookVerifier::new(&key)?;
//! let body = br#"{"messageId":"7814c49d-2d29-4b14-b2dc-36b377c76156",
//!   "hookId":"5e2027d1-f5f3-4ad1-b409-058b8b8a8c22","version":"1.0.0","test":false,
//!   "hash":"f05c4e7bdf00620205d47696d77f924bfd3ba4d02b0398ac8a626e737dc27243",
//!   "payment":{"txnId":"13353941550","date":"2018-06-27T13:39:00+03:00","type":"IN",
//!     "status":"SUCCESS","errorCode":"0","personId":78000008000,"account":"+79161112233",
//!     "comment":"","provider":7,"sum":{"amount":1,"currency":643},
//!     "commission":{"amount":0,"currency":643},"total":{"amount":1,"currency":643},
//!     "signFields":"sum.currency,sum.amount,type,account,txnId"}}"#;
//! let Verified::Payment(verified) = verifier.verify(body)? else { unreachable!() };
//! assert_eq!(verified.payment.txn_id.as_str(), "13353941550");
//! assert_eq!(verified.payment.sum.amount.to_string(), "1");
//! assert!(verified.is_signed("sum.amount"));
//! assert!(!verified.is_signed("status")); // confirm through E16 before trusting it
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use qiwi_transport::{ExposeSecret, SecretString};
use qiwi_types::InvalidValue;
use qiwi_types::wallet::NotificationPayment;
use secrecy::SecretSlice;
use serde::Deserialize;
use serde_json::value::RawValue;
use sha2::Sha256;

/// The paths every accepted `signFields` must name: without them a valid signature says
/// nothing about which payment, how much, or in which direction.
pub const REQUIRED_SIGN_FIELDS: [&str; 4] = ["txnId", "sum.amount", "sum.currency", "type"];

/// The most entries a `signFields` may have, and the deepest path: bounds the work an
/// unauthenticated body can cause.
const MAX_SIGN_FIELDS: usize = 32;
const MAX_PATH_DEPTH: usize = 4;

/// Why a notification was refused. Answer it with a non-200 status.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// The signature does not match: not sent by the service, altered, or signed with another
    /// key (after E53 the old key no longer verifies).
    BadSignature,
    /// The body is not a notification (not JSON, a field missing or of the wrong type, a
    /// `signFields` of more than 32 entries).
    Malformed(String),
    /// An entry of `signFields` names nothing signable inside `payment` (missing, an object,
    /// a list, a boolean or `null`).
    UnknownSignField(String),
    /// `signFields` leaves out fields that identify the payment.
    InsufficientSignFields {
        /// The required paths it leaves out.
        missing: Vec<&'static str>,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadSignature => f.write_str(
                "the notification's hash does not match its signed fields: not from the service, altered, or signed with another key (fetch the hook's key again, E52)",
            ),
            Self::Malformed(reason) => {
                write!(f, "the body is not a payment notification: {reason}")
            }
            Self::UnknownSignField(path) => {
                write!(f, "signFields entry {path:?} names no string or number inside payment")
            }
            Self::InsufficientSignFields { missing } => write!(
                f,
                "signFields does not cover {missing:?}: the signature would not authenticate the payment"
            ),
        }
    }
}

impl std::error::Error for Refusal {}

/// A notification whose signature was checked, or a test notification.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verified {
    /// A payment; its signed fields are authenticated.
    Payment(Box<VerifiedPayment>),
    /// The test notification of E55 (`"test": true`): nothing in it is authenticated.
    Test(TestNotification),
}

impl Verified {
    /// `messageId`: the same for every delivery of one notification, to drop repeats.
    pub fn message_id(&self) -> Option<&str> {
        match self {
            Self::Payment(payment) => Some(&payment.message_id),
            Self::Test(test) => test.message_id.as_deref(),
        }
    }
}

/// A payment notification whose signature matches.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedPayment {
    /// `messageId` (not signed).
    pub message_id: String,
    /// `hookId` (not signed).
    pub hook_id: String,
    /// The payment. Only the fields in [`signed_fields`](Self::signed_fields) are
    /// authenticated.
    pub payment: NotificationPayment,
    /// The paths the signature covers, in `signFields` order.
    pub signed_fields: Vec<String>,
    /// Whether the signature matched only with the numbers' trailing zeros stripped.
    pub matched_without_trailing_zeros: bool,
}

impl VerifiedPayment {
    /// Whether the signature covers the field at `path` (`"sum.amount"`, `"status"`).
    pub fn is_signed(&self, path: &str) -> bool {
        self.signed_fields.iter().any(|field| field == path)
    }
}

/// A test notification (E55); none of it is authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TestNotification {
    /// `messageId`, when sent.
    pub message_id: Option<String>,
    /// `hookId`, when sent.
    pub hook_id: Option<String>,
}

/// Checks notifications with one hook's key.
#[derive(Clone)]
pub struct WebhookVerifier {
    key: SecretSlice<u8>,
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookVerifier { key: [REDACTED] }")
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope<'a> {
    #[serde(default)]
    message_id: Option<String>,
    #[serde(default)]
    hook_id: Option<String>,
    #[serde(default)]
    hash: Option<String>,
    #[serde(default)]
    test: bool,
    #[serde(default, borrow)]
    payment: Option<&'a RawValue>,
}

type Object<'a> = BTreeMap<String, &'a RawValue>;

impl WebhookVerifier {
    /// A verifier for the hook's key as E52 or E53 return it (Base64).
    ///
    /// # Errors
    /// [`InvalidValue`] when the key is not Base64 or decodes to nothing.
    ///
    /// ```
    /// use qiwi_wallet::{SecretString, webhook::WebhookVerifier};
    /// let key = SecretString::from("L8UVF3JkLVUr6r70LiE0A9/5WoGGwWKG2pI/e+l/9fs=");
    /// let verifier = WebhookVerifier::new(&key).unwrap();
    /// assert_eq!(format!("{verifier:?}"), "WebhookVerifier { key: [REDACTED] }");
    /// assert!(WebhookVerifier::new(&SecretString::from("not base64!")).is_err());
    /// ```
    pub fn new(key_base64: &SecretString) -> Result<Self, InvalidValue> {
        let key = STANDARD
            .decode(key_base64.expose_secret().trim())
            .map_err(|_| InvalidValue::new("webhook key", "the key (E52) is not Base64"))?;
        if key.is_empty() {
            return Err(InvalidValue::new("webhook key", "the key (E52) is empty"));
        }
        Ok(Self { key: key.into() })
    }

    /// Checks a notification from the bytes received.
    ///
    /// # Errors
    /// A [`Refusal`] saying why; answer it with a non-200 status.
    pub fn verify(&self, body: &[u8]) -> Result<Verified, Refusal> {
        let envelope: Envelope<'_> = serde_json::from_slice(body).map_err(malformed)?;
        if envelope.test {
            return Ok(Verified::Test(TestNotification {
                message_id: envelope.message_id,
                hook_id: envelope.hook_id,
            }));
        }
        let raw_payment = envelope
            .payment
            .ok_or_else(|| Refusal::Malformed("no payment".into()))?;
        let payment: Object<'_> = serde_json::from_str(raw_payment.get()).map_err(malformed)?;
        let signed_fields = sign_fields(&payment)?;
        let hash = envelope
            .hash
            .ok_or_else(|| Refusal::Malformed("no hash".into()))?;
        let given = decode_hex(&hash).ok_or(Refusal::BadSignature)?;
        let values = signed_values(&payment, &signed_fields)?;
        let matched_without_trailing_zeros = if self.matches(&join(&values, false), &given) {
            false
        } else if self.matches(&join(&values, true), &given) {
            true
        } else {
            return Err(Refusal::BadSignature);
        };
        let message_id = envelope
            .message_id
            .ok_or_else(|| Refusal::Malformed("no messageId".into()))?;
        let hook_id = envelope
            .hook_id
            .ok_or_else(|| Refusal::Malformed("no hookId".into()))?;
        let payment = serde_json::from_str(raw_payment.get()).map_err(malformed)?;
        Ok(Verified::Payment(Box::new(VerifiedPayment {
            message_id,
            hook_id,
            payment,
            signed_fields,
            matched_without_trailing_zeros,
        })))
    }

    /// The `hash` the service puts beside `payment_json` (for emulators and tests): the values
    /// its `signFields` names, as written, joined and signed.
    ///
    /// # Errors
    /// As [`verify`](Self::verify) for a payment that is not JSON or whose `signFields` is
    /// unusable.
    pub fn sign(&self, payment_json: &str) -> Result<String, Refusal> {
        let payment: Object<'_> = serde_json::from_str(payment_json).map_err(malformed)?;
        let fields = sign_fields(&payment)?;
        let message = join(&signed_values(&payment, &fields)?, false);
        Ok(hex(&self.mac(&message).finalize().into_bytes()))
    }

    fn mac(&self, message: &str) -> Hmac<Sha256> {
        // HMAC takes a key of any length; the constructor cannot fail here.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.key.expose_secret())
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        mac.update(message.as_bytes());
        mac
    }

    /// Constant-time comparison, by the HMAC crate.
    fn matches(&self, message: &str, given: &[u8]) -> bool {
        self.mac(message).verify_slice(given).is_ok()
    }
}

fn malformed(error: serde_json::Error) -> Refusal {
    Refusal::Malformed(error.to_string())
}

/// The `signFields` paths, checked for the required ones.
fn sign_fields(payment: &Object<'_>) -> Result<Vec<String>, Refusal> {
    let raw = payment
        .get("signFields")
        .ok_or_else(|| Refusal::Malformed("no payment.signFields".into()))?;
    let list: String = serde_json::from_str(raw.get())
        .map_err(|_| Refusal::Malformed("payment.signFields is not a string".into()))?;
    // Counted before anything is kept: the refusal (often logged) names the count, not the
    // list an unauthenticated sender chose.
    let count = list.split(',').count();
    if count > MAX_SIGN_FIELDS {
        return Err(Refusal::Malformed(format!(
            "payment.signFields has {count} entries; at most {MAX_SIGN_FIELDS} are read"
        )));
    }
    let fields: Vec<String> = list.split(',').map(|f| f.trim().to_owned()).collect();
    let missing: Vec<&'static str> = REQUIRED_SIGN_FIELDS
        .into_iter()
        .filter(|required| !fields.iter().any(|f| f == required))
        .collect();
    if !missing.is_empty() {
        return Err(Refusal::InsufficientSignFields { missing });
    }
    Ok(fields)
}

/// A signed value: text as the server wrote it, and whether it is a number.
struct Value {
    text: String,
    number: bool,
}

/// Each path's value, in order, from its raw token.
fn signed_values(payment: &Object<'_>, fields: &[String]) -> Result<Vec<Value>, Refusal> {
    fields
        .iter()
        .map(|path| value_at(payment, path).ok_or_else(|| Refusal::UnknownSignField(path.clone())))
        .collect()
}

fn value_at(payment: &Object<'_>, path: &str) -> Option<Value> {
    let segments: Vec<&str> = path.split('.').collect();
    let (last, parents) = segments.split_last()?;
    if segments.len() > MAX_PATH_DEPTH {
        return None;
    }
    let mut object: Object<'_> = payment.clone();
    for segment in parents {
        object = serde_json::from_str(object.get(*segment)?.get()).ok()?;
    }
    let token = object.get(*last)?.get();
    match token.as_bytes().first()? {
        b'"' => Some(Value {
            text: serde_json::from_str(token).ok()?,
            number: false,
        }),
        b'-' | b'0'..=b'9' => Some(Value {
            text: token.to_owned(),
            number: true,
        }),
        _ => None,
    }
}

fn join(values: &[Value], strip_trailing_zeros: bool) -> String {
    values
        .iter()
        .map(|v| {
            if strip_trailing_zeros && v.number {
                without_trailing_zeros(&v.text)
            } else {
                &v.text
            }
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// `1.0` → `1`, `1.50` → `1.5`; integers and exponent forms unchanged.
fn without_trailing_zeros(number: &str) -> &str {
    if !number.contains('.') || number.contains(['e', 'E']) {
        return number;
    }
    number.trim_end_matches('0').trim_end_matches('.')
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    text.as_bytes()
        .chunks(2)
        .map(|pair| {
            let digit = |b: u8| (b as char).to_digit(16);
            Some((digit(pair[0])? * 16 + digit(pair[1])?) as u8)
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_only_fraction_zeros() {
        for (input, expected) in [
            ("1.0", "1"),
            ("1.50", "1.5"),
            ("0.00", "0"),
            ("10", "10"),
            ("100", "100"),
            ("1e10", "1e10"),
            ("-2.10", "-2.1"),
        ] {
            assert_eq!(without_trailing_zeros(input), expected, "{input}");
        }
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(decode_hex("00ff0A"), Some(vec![0, 255, 10]));
        assert_eq!(hex(&[0, 255, 10]), "00ff0a");
        assert_eq!(decode_hex("0"), None);
        assert_eq!(decode_hex("zz"), None);
        assert_eq!(decode_hex("é1"), None);
    }
}
