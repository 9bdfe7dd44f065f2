//! The `balance.update` webhook: signature check and payload.
//!
//! Treezor sends an envelope `{webhook, webhook_id, object, object_id, object_payload,
//! object_payload_signature, webhook_created_at}`. The signature is
//! `base64(HMAC-SHA256(webhook_secret, text))`, where `text` is `object_payload` written as
//! PHP's `json_encode` writes it: compact, `/` escaped as `\/`, every non-ASCII character as
//! `\uXXXX` (Treezor's "integrity checks" page). The payload is re-written that way from the
//! bytes received, keeping key order and number digits as sent (the sender's serialiser
//! wrote both the signed text and the body), and compared in constant time.
//!
//! Verify before trusting anything in the body; answer 200 when valid and a 5xx when not.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use qiwi_transport::codec::json;
use qiwi_transport::{Bytes, ExposeSecret, SecretString, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::Sha256;

use crate::{Balance, Balances};

/// The event name of a balance change.
pub const BALANCE_UPDATE: &str = "balance.update";

/// Why a webhook was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The body is not a webhook envelope (not JSON, or no `webhook`/`object_payload`).
    #[error("the body is not a Treezor webhook: {0}; answer with a 5xx")]
    Malformed(String),
    /// The envelope carries no `object_payload_signature`.
    #[error("the webhook carries no object_payload_signature; answer with a 5xx")]
    MissingSignature,
    /// The signature does not match the payload: not sent by Treezor, altered, or signed with
    /// another secret.
    #[error(
        "the webhook signature does not match its payload; answer with a 5xx and check the webhook secret of this environment"
    )]
    InvalidSignature,
    /// A valid webhook of another event than the one expected.
    #[error("expected a {expected} webhook, received {found:?}")]
    UnexpectedEvent {
        /// The event expected.
        expected: &'static str,
        /// The event received.
        found: String,
    },
    /// A valid webhook whose payload does not have the expected shape.
    #[error("the {event} payload could not be decoded at `{path}`: {message}")]
    Payload {
        /// The event.
        event: String,
        /// The failing field (`balances[0].currentBalance`), `.` for the whole payload.
        path: String,
        /// What was wrong.
        message: String,
    },
}

/// Checks webhook signatures with the webhook secret of one environment.
#[derive(Clone)]
pub struct WebhookVerifier {
    secret: SecretString,
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookVerifier { secret: [REDACTED] }")
    }
}

/// A webhook whose signature was checked.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct VerifiedWebhook {
    /// The event name, such as `balance.update`.
    pub event: String,
    /// `webhook_id`, to spot duplicate deliveries.
    pub webhook_id: Option<String>,
    /// `object`, such as `balance`.
    pub object: Option<String>,
    /// `object_id`.
    pub object_id: Option<String>,
    /// `webhook_created_at` as sent (Treezor: Unix time in units of 10⁻⁴ s); use it, not
    /// arrival order, to order events.
    pub created_at: Option<String>,
    payload: Box<RawValue>,
}

impl VerifiedWebhook {
    /// `object_payload` exactly as received.
    pub fn payload_json(&self) -> &str {
        self.payload.get()
    }

    /// Decodes `object_payload` (also when it was sent as a string holding JSON).
    ///
    /// # Errors
    /// [`WebhookError::Payload`] with the failing field.
    pub fn decode_payload<T: DeserializeOwned>(&self) -> Result<T, WebhookError> {
        let raw = self.payload.get();
        let text = if raw.trim_start().starts_with('"') {
            serde_json::from_str::<String>(raw).map_err(|e| self.payload_error(".", e))?
        } else {
            raw.to_owned()
        };
        json::decode_body(StatusCode::OK, &Bytes::from(text))
            .map_err(|e| self.payload_error(e.path, e.message))
    }

    fn payload_error(&self, path: impl Into<String>, error: impl fmt::Display) -> WebhookError {
        WebhookError::Payload {
            event: self.event.clone(),
            path: path.into(),
            message: error.to_string(),
        }
    }
}

/// A verified `balance.update` webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BalanceUpdate {
    /// `webhook_id`, to spot duplicate deliveries.
    pub webhook_id: Option<String>,
    /// `object_id`.
    pub object_id: Option<String>,
    /// `webhook_created_at` as sent.
    pub created_at: Option<String>,
    /// The new balances, in the same form as `GET /v1/balances` (amounts as numbers or strings).
    pub balances: Vec<Balance>,
}

#[derive(Deserialize)]
struct Envelope {
    webhook: String,
    #[serde(default, with = "qiwi_types::lenient::text_opt")]
    webhook_id: Option<String>,
    #[serde(default, with = "qiwi_types::lenient::text_opt")]
    object: Option<String>,
    #[serde(default, with = "qiwi_types::lenient::text_opt")]
    object_id: Option<String>,
    object_payload: Box<RawValue>,
    #[serde(default)]
    object_payload_signature: Option<String>,
    #[serde(default, with = "qiwi_types::lenient::text_opt")]
    webhook_created_at: Option<String>,
}

impl WebhookVerifier {
    /// A verifier for the `webhook_secret` Treezor gave for the environment.
    ///
    /// ```
    /// use balances_core::webhook::WebhookVerifier;
    /// let verifier = WebhookVerifier::new("webhook-secret");
    /// assert_eq!(format!("{verifier:?}"), "WebhookVerifier { secret: [REDACTED] }");
    /// ```
    pub fn new(secret: impl Into<SecretString>) -> Self {
        Self {
            secret: secret.into(),
        }
    }

    /// Checks the signature of any webhook and returns its envelope.
    ///
    /// # Errors
    /// [`WebhookError::Malformed`], [`WebhookError::MissingSignature`] or
    /// [`WebhookError::InvalidSignature`].
    ///
    /// ```
    /// use balances_core::webhook::WebhookVerifier;
    /// let verifier = WebhookVerifier::new("secret");
    /// let payload = r#"{"balances":[]}"#;
    /// let signature = verifier.sign(payload)?;
    /// let body = format!(
    ///     r#"{{"webhook":"balance.update","object_payload":{payload},"object_payload_signature":"{signature}"}}"#
    /// );
    /// assert_eq!(verifier.verify(body.as_bytes())?.event, "balance.update");
    /// # Ok::<(), balances_core::webhook::WebhookError>(())
    /// ```
    pub fn verify(&self, body: &[u8]) -> Result<VerifiedWebhook, WebhookError> {
        let envelope: Envelope =
            serde_json::from_slice(body).map_err(|e| WebhookError::Malformed(e.to_string()))?;
        let signature = envelope
            .object_payload_signature
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or(WebhookError::MissingSignature)?;
        let expected = self.mac(envelope.object_payload.get())?;
        let given = STANDARD
            .decode(signature)
            .map_err(|_| WebhookError::InvalidSignature)?;
        // Constant-time comparison, by the HMAC crate.
        expected
            .verify_slice(&given)
            .map_err(|_| WebhookError::InvalidSignature)?;
        Ok(VerifiedWebhook {
            event: envelope.webhook,
            webhook_id: envelope.webhook_id,
            object: envelope.object,
            object_id: envelope.object_id,
            created_at: envelope.webhook_created_at,
            payload: envelope.object_payload,
        })
    }

    /// Checks the signature of a `balance.update` webhook and decodes its balances.
    ///
    /// # Errors
    /// As [`verify`](Self::verify), then [`WebhookError::UnexpectedEvent`] for another event
    /// and [`WebhookError::Payload`] for a payload that is not a balance list.
    ///
    /// ```
    /// use balances_core::webhook::WebhookVerifier;
    /// let verifier = WebhookVerifier::new("secret");
    /// let payload = r#"{"balances":[{"walletId":"4330619","currentBalance":"12.50","authorizations":"0.00","authorizedBalance":"12.50","currency":"EUR","calculationDate":"2024-12-11 11:06:08"}]}"#;
    /// let body = format!(
    ///     r#"{{"webhook":"balance.update","object_payload":{payload},"object_payload_signature":"{}"}}"#,
    ///     verifier.sign(payload)?
    /// );
    /// let update = verifier.balance_update(body.as_bytes())?;
    /// assert_eq!(update.balances[0].current_balance.unwrap().to_string(), "12.50");
    /// # Ok::<(), balances_core::webhook::WebhookError>(())
    /// ```
    pub fn balance_update(&self, body: &[u8]) -> Result<BalanceUpdate, WebhookError> {
        let webhook = self.verify(body)?;
        if webhook.event != BALANCE_UPDATE {
            return Err(WebhookError::UnexpectedEvent {
                expected: BALANCE_UPDATE,
                found: webhook.event,
            });
        }
        let payload: Balances = webhook.decode_payload()?;
        Ok(BalanceUpdate {
            webhook_id: webhook.webhook_id,
            object_id: webhook.object_id,
            created_at: webhook.created_at,
            balances: payload.balances,
        })
    }

    /// The signature Treezor puts beside `object_payload_json` (for emulators and tests).
    ///
    /// # Errors
    /// [`WebhookError::Malformed`] when the text is not JSON.
    ///
    /// ```
    /// use balances_core::webhook::WebhookVerifier;
    /// let verifier = WebhookVerifier::new("secret");
    /// // Whitespace and escaping do not change the signature.
    /// assert_eq!(verifier.sign(r#"{"a": "é/"}"#)?, verifier.sign(r#"{"a":"\u00e9\/"}"#)?);
    /// # Ok::<(), balances_core::webhook::WebhookError>(())
    /// ```
    pub fn sign(&self, object_payload_json: &str) -> Result<String, WebhookError> {
        let raw: &RawValue = serde_json::from_str(object_payload_json)
            .map_err(|e| WebhookError::Malformed(e.to_string()))?;
        self.mac(raw.get())
            .map(|mac| STANDARD.encode(mac.finalize().into_bytes()))
    }

    fn mac(&self, raw_payload: &str) -> Result<Hmac<Sha256>, WebhookError> {
        let text = php_json(raw_payload).map_err(WebhookError::Malformed)?;
        let mut mac = Hmac::<Sha256>::new_from_slice(self.secret.expose_secret().as_bytes())
            .map_err(|_| WebhookError::Malformed("unusable webhook secret".into()))?;
        mac.update(text.as_bytes());
        Ok(mac)
    }
}

/// Rewrites valid JSON text compactly the way PHP's `json_encode` writes it: whitespace
/// between tokens dropped, strings re-escaped (`\/`, `\uXXXX` for non-ASCII, lowercase hex),
/// numbers and literals kept as written.
fn php_json(raw: &str) -> Result<String, String> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(c) = rest.chars().next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => rest = &rest[1..],
            '"' => {
                let end = string_end(rest).ok_or("unterminated string")?;
                let text: String = serde_json::from_str(&rest[..end]).map_err(|e| e.to_string())?;
                push_php_string(&mut out, &text);
                rest = &rest[end..];
            }
            _ => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    Ok(out)
}

/// The byte length of the JSON string token at the start of `text` (quotes included).
fn string_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

fn push_php_string(out: &mut String, text: &str) {
    use std::fmt::Write as _;
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii() && !c.is_ascii_control() || c == '\u{7f}' => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_like_php_json_encode() {
        #[rustfmt::skip]
        let cases = [
            (r#"{ "a" : 1 , "b" : [ true, null ] }"#, r#"{"a":1,"b":[true,null]}"#),
            (r#"{"url":"https://x/y"}"#, r#"{"url":"https:\/\/x\/y"}"#),
            (r#"{"url":"https:\/\/x"}"#, r#"{"url":"https:\/\/x"}"#),
            (r#"{"n":"é è"}"#, r#"{"n":"\u00e9 \u00e8"}"#),
            (r#"{"n":"\u00E9"}"#, r#"{"n":"\u00e9"}"#),
            (r#"{"e":"😀"}"#, r#"{"e":"\ud83d\ude00"}"#),
            (r#"{"q":"a\"b\\c\nd\u0001"}"#, r#"{"q":"a\"b\\c\nd\u0001"}"#),
            (r#"{"z":170.00,"y":1e3,"x":-0.5}"#, r#"{"z":170.00,"y":1e3,"x":-0.5}"#),
            (r#"{"b":1,"a":2}"#, r#"{"b":1,"a":2}"#),
            (r#""text / é""#, r#""text \/ \u00e9""#),
        ];
        for (input, expected) in cases {
            assert_eq!(php_json(input).unwrap(), expected, "{input}");
        }
    }

    #[test]
    fn matches_an_independently_computed_signature() {
        // base64(HMAC-SHA256("secret", '{"balances":[{"walletId":"1","name":"Caf\u00e9 \/ bar"}]}')),
        // computed with `openssl dgst -sha256 -hmac secret -binary | base64` and with the Python
        // sample of Treezor's integrity-check page (json.dumps compact, `/` -> `\/`).
        let verifier = WebhookVerifier::new("secret");
        let signed = verifier
            .sign(r#"{ "balances": [ { "walletId": "1", "name": "Café / bar" } ] }"#)
            .unwrap();
        assert_eq!(signed, EXPECTED_SIGNATURE);
    }

    const EXPECTED_SIGNATURE: &str = "EGZJeXLamPKcwJ521H/5frBM/vqQLoqEVIQ1iVj3EQY=";
}
