//! Credentials, held as [`SecretString`] and never printed.

use std::fmt;

use http::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use crate::NotSentError;

/// An OAuth 2.0 bearer token (`Authorization: Bearer <token>`).
#[derive(Clone)]
pub struct BearerToken(SecretString);

impl BearerToken {
    /// Checks and wraps a token (a `SecretString`, or a `String` or `&str` to be wrapped).
    ///
    /// # Errors
    /// [`NotSentError::Configuration`] when the token is empty or holds characters that cannot
    /// go into a header (the message does not repeat the token).
    pub fn new(token: impl Into<SecretString>) -> Result<Self, NotSentError> {
        let token: SecretString = token.into();
        let text = token.expose_secret();
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(NotSentError::Configuration("the API token is empty".into()));
        }
        if !trimmed.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(NotSentError::Configuration(
                "the API token holds spaces or characters that cannot be sent in a header".into(),
            ));
        }
        // Copy out of the secret box only when surrounding white space must go.
        if trimmed.len() == text.len() {
            Ok(Self(token))
        } else {
            Ok(Self(SecretString::from(trimmed.to_owned())))
        }
    }

    /// The `Authorization` header value, marked sensitive so that `Debug` of a header map hides it.
    pub fn header_value(&self) -> HeaderValue {
        // `new` admits only visible ASCII, which always makes a valid header value.
        let mut value = HeaderValue::try_from(format!("Bearer {}", self.0.expose_secret()))
            .unwrap_or_else(|_| HeaderValue::from_static("Bearer"));
        value.set_sensitive(true);
        value
    }

    /// The token itself, for the rare caller that must pass it on.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BearerToken([REDACTED])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_token() {
        let token = BearerToken::new("s3cr3t-t0ken").unwrap();
        assert_eq!(format!("{token:?}"), "BearerToken([REDACTED])");
        assert_eq!(format!("{:?}", token.header_value()), "Sensitive");
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::AUTHORIZATION, token.header_value());
        assert!(!format!("{headers:?}").contains("s3cr3t"));
    }

    #[test]
    fn rejects_unusable_tokens_without_echoing_them() {
        assert!(BearerToken::new("   ").is_err());
        let err = BearerToken::new("abc\ndef").unwrap_err().to_string();
        assert!(!err.contains("abc"), "{err}");
    }
}
