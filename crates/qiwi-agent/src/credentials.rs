//! The agent's identity: its terminal id and its password.

use std::fmt;
use std::str::FromStr;

use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

use qiwi_types::InvalidValue;
use qiwi_types::agent::text::check_xml_text;

/// The agent's id in QIWI (`<terminal-id>`): a positive integer that QIWI issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct TerminalId(u64);

impl TerminalId {
    /// Validates a terminal id.
    ///
    /// ```
    /// use qiwi_agent::TerminalId;
    /// assert_eq!(TerminalId::new(44).unwrap().get(), 44);
    /// assert!(TerminalId::new(0).is_err());
    /// ```
    ///
    /// # Errors
    /// [`InvalidValue`] for zero.
    pub fn new(id: u64) -> Result<Self, InvalidValue> {
        if id == 0 {
            return Err(InvalidValue::new(
                "terminal id",
                "it must be a positive integer issued by QIWI",
            ));
        }
        Ok(Self(id))
    }

    /// The number.
    pub fn get(self) -> u64 {
        self.0
    }
}

impl FromStr for TerminalId {
    type Err = InvalidValue;

    /// Reads a terminal id written as decimal digits.
    fn from_str(text: &str) -> Result<Self, InvalidValue> {
        let text = text.trim();
        match text.parse::<u64>() {
            Ok(id) if text.bytes().all(|b| b.is_ascii_digit()) => Self::new(id),
            _ => Err(InvalidValue::new(
                "terminal id",
                format!("{text:?} is not a positive integer"),
            )),
        }
    }
}

impl fmt::Display for TerminalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The terminal id and, unless requests are only signed, the password
/// (`<extra name="password">`).
///
/// `Debug` never shows the password.
#[derive(Debug, Clone)]
pub struct Credentials {
    terminal_id: TerminalId,
    password: Option<SecretString>,
}

impl Credentials {
    /// A terminal id with its password.
    ///
    /// ```
    /// use qiwi_agent::{Credentials, TerminalId};
    /// use qiwi_agent::SecretString;
    ///
    /// let credentials = Credentials::new(TerminalId::new(44)?, SecretString::from("s3cret"))?;
    /// assert!(!format!("{credentials:?}").contains("s3cret"));
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    ///
    /// # Errors
    /// [`InvalidValue`] when the password is empty or holds a character XML cannot carry (the
    /// message never repeats the password).
    pub fn new(terminal_id: TerminalId, password: SecretString) -> Result<Self, InvalidValue> {
        let text = password.expose_secret();
        if text.is_empty() {
            return Err(InvalidValue::new("password", "it is empty"));
        }
        check_xml_text("password", text, true)?;
        Ok(Self {
            terminal_id,
            password: Some(password),
        })
    }

    /// A terminal id without a password, for requests authenticated by their signature alone
    /// (the protocol does not use the password extra with `X-Digital-Sign`).
    ///
    /// ```
    /// use qiwi_agent::{Credentials, TerminalId};
    /// let credentials = Credentials::without_password(TerminalId::new(44)?);
    /// assert!(!credentials.has_password());
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    pub fn without_password(terminal_id: TerminalId) -> Self {
        Self {
            terminal_id,
            password: None,
        }
    }

    /// The terminal id.
    pub fn terminal_id(&self) -> TerminalId {
        self.terminal_id
    }

    /// Whether requests carry the password extra.
    ///
    /// ```
    /// # use qiwi_agent::{Credentials, TerminalId};
    /// # use qiwi_agent::SecretString;
    /// let credentials = Credentials::new(TerminalId::new(44)?, SecretString::from("pw"))?;
    /// assert!(credentials.has_password());
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    pub fn has_password(&self) -> bool {
        self.password.is_some()
    }

    pub(crate) fn password(&self) -> Option<&str> {
        self.password.as_ref().map(|p| p.expose_secret())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_ids_are_positive_integers() {
        assert_eq!("44".parse::<TerminalId>().unwrap().get(), 44);
        assert_eq!(" 123 ".parse::<TerminalId>().unwrap().get(), 123);
        for bad in ["0", "-1", "+5", "abc", "", "1.5", "99999999999999999999999"] {
            assert!(bad.parse::<TerminalId>().is_err(), "{bad}");
        }
    }

    #[test]
    fn debug_hides_the_password() {
        let with = Credentials::new(TerminalId(44), SecretString::from("hunter2")).unwrap();
        assert_eq!(
            format!("{with:?}"),
            "Credentials { terminal_id: TerminalId(44), password: Some(SecretBox<str>([REDACTED])) }"
        );
        let without = Credentials::without_password(TerminalId(44));
        assert_eq!(
            format!("{without:?}"),
            "Credentials { terminal_id: TerminalId(44), password: None }"
        );
    }

    #[test]
    fn bad_passwords_are_refused_without_echoing_them() {
        let err = Credentials::new(TerminalId(1), SecretString::from("")).unwrap_err();
        assert_eq!(err.to_string(), "invalid password: it is empty");
        let err = Credentials::new(TerminalId(1), SecretString::from("hun\u{0}ter2")).unwrap_err();
        assert!(!err.to_string().contains("hun"), "{err}");
    }
}
