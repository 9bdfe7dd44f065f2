//! Identification of the wallet owner (E02, E03) and lowering it (E04 to E06).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::CalendarDate;
use crate::WalletNumber;

crate::open_enum! {
    /// How far the wallet owner has been identified.
    ///
    /// The profile (E01) uses all four values: `ANONYMOUS` = none, `SIMPLE` and `VERIFIED` =
    /// simplified, `FULL` = full. Identification (E02, E03) reports `SIMPLE` for "no
    /// identification" (status "minimal"), `VERIFIED` for "main" and `FULL` for "professional";
    /// the two descriptions of `SIMPLE` disagree (§14 item 6).
    pub enum IdentificationLevel {
        /// Not identified (profile only).
        Anonymous = "ANONYMOUS",
        /// Minimal status.
        Simple = "SIMPLE",
        /// Main status: the owner's data was verified.
        Verified = "VERIFIED",
        /// Full status.
        Full = "FULL",
    }
}

/// The owner's data, sent to get the "main" (`VERIFIED`) status (E02).
///
/// Name, passport and birth date are required; INN, SNILS and OMS are optional and sent as
/// `""` when absent, as in the reference's example.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentificationRequest {
    /// Date of birth.
    pub birth_date: CalendarDate,
    /// First name.
    pub first_name: String,
    /// Taxpayer number (INN), optional.
    #[serde(default, with = "crate::lenient::blank_text_opt")]
    pub inn: Option<String>,
    /// Last name.
    pub last_name: String,
    /// Patronymic (the English reference calls it "surname", §14 item 5).
    pub middle_name: String,
    /// Medical insurance policy number (OMS), optional.
    #[serde(default, with = "crate::lenient::blank_text_opt")]
    pub oms: Option<String>,
    /// Passport series and number, digits only.
    pub passport: String,
    /// Insurance number (SNILS), optional.
    #[serde(default, with = "crate::lenient::blank_text_opt")]
    pub snils: Option<String>,
}

impl IdentificationRequest {
    /// Checks what the reference requires before anything is sent: the names are not blank,
    /// the birth date is a real date and the passport is digits only.
    ///
    /// # Errors
    /// A message naming the first field that is not acceptable (never repeating its value:
    /// this is personal data).
    ///
    /// ```
    /// use qiwi_types::wallet::IdentificationRequest;
    ///
    /// let mut request = IdentificationRequest {
    ///     birth_date: "1998-02-11".parse().unwrap(),
    ///     first_name: "Иван".into(),
    ///     middle_name: "Иванович".into(),
    ///     last_name: "Иванов".into(),
    ///     passport: "4400111222".into(),
    ///     inn: None,
    ///     snils: None,
    ///     oms: None,
    /// };
    /// assert!(request.validate().is_ok());
    /// request.passport = "4400 111222".into();
    /// assert!(request.validate().unwrap_err().contains("passport"));
    /// ```
    pub fn validate(&self) -> Result<(), String> {
        if self.birth_date.date().is_none() {
            return Err("birthDate must be a date written YYYY-MM-DD".into());
        }
        for (name, value) in [
            ("firstName", &self.first_name),
            ("middleName", &self.middle_name),
            ("lastName", &self.last_name),
        ] {
            if value.trim().is_empty() {
                return Err(format!("{name} is required"));
            }
        }
        if self.passport.is_empty() || !self.passport.bytes().all(|b| b.is_ascii_digit()) {
            return Err("passport must be the series and number, digits only".into());
        }
        Ok(())
    }
}

impl fmt::Debug for IdentificationRequest {
    /// Personal data stays out of logs: only which optional numbers are present is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentificationRequest")
            .field("birth_date", &"[REDACTED]")
            .field("first_name", &"[REDACTED]")
            .field("middle_name", &"[REDACTED]")
            .field("last_name", &"[REDACTED]")
            .field("passport", &"[REDACTED]")
            .field("inn", &self.inn.as_ref().map(|_| "[REDACTED]"))
            .field("snils", &self.snils.as_ref().map(|_| "[REDACTED]"))
            .field("oms", &self.oms.as_ref().map(|_| "[REDACTED]"))
            .finish()
    }
}

/// The identification data of the wallet (E02 answer, E03).
///
/// E03 masks `passport`, `inn`, `snils` and `oms` (`"77***01"`). `inn`, `snils` and `oms` are
/// `None` when the server writes `null` or `""` (§14 item 7, §15). If E02 answers with an `inn`
/// that was not sent, identification succeeded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Identification {
    /// The wallet number.
    pub id: WalletNumber,
    /// The identification level reached.
    #[serde(rename = "type")]
    pub level: IdentificationLevel,
    /// Date of birth.
    pub birth_date: CalendarDate,
    /// First name.
    pub first_name: String,
    /// Patronymic.
    pub middle_name: String,
    /// Last name.
    pub last_name: String,
    /// Passport series and number (masked by E03).
    pub passport: String,
    /// Taxpayer number (INN).
    #[serde(
        default,
        deserialize_with = "crate::lenient::blank_text_opt::deserialize"
    )]
    pub inn: Option<String>,
    /// Insurance number (SNILS).
    #[serde(
        default,
        deserialize_with = "crate::lenient::blank_text_opt::deserialize"
    )]
    pub snils: Option<String>,
    /// Medical insurance policy number (OMS).
    #[serde(
        default,
        deserialize_with = "crate::lenient::blank_text_opt::deserialize"
    )]
    pub oms: Option<String>,
}

/// The body that starts lowering the identification level (E04): only `FULL` → `VERIFIED`
/// exists, so the default asks for `VERIFIED`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DowngradeRequest {
    /// The level to go down to.
    pub identification_level: IdentificationLevel,
}

impl Default for DowngradeRequest {
    fn default() -> Self {
        Self {
            identification_level: IdentificationLevel::Verified,
        }
    }
}

/// The body of confirming a downgrade (E05): an empty JSON object.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmDowngradeRequest {}

/// The id of an identification downgrade operation (a UUID on the wire).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DowngradeOperationId(#[serde(with = "crate::lenient::text")] String);

impl DowngradeOperationId {
    /// Wraps an id received earlier.
    ///
    /// ```
    /// use qiwi_types::wallet::DowngradeOperationId;
    ///
    /// let id = DowngradeOperationId::new("1747ea28-1082-41bc-bde4-72994b3ffeb4");
    /// assert_eq!(id.as_str(), "1747ea28-1082-41bc-bde4-72994b3ffeb4");
    /// ```
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }
}

crate::text_type::text_type!(DowngradeOperationId);

/// The answer to starting a downgrade (E04).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DowngradeOperationCreated {
    /// The operation's id, to confirm it (E05) and follow it (E06).
    pub downgrade_operation_id: DowngradeOperationId,
}

crate::open_enum! {
    /// The state of a downgrade operation.
    pub enum DowngradeStatusType {
        /// Still running.
        InProgress = "IN_PROGRESS",
        /// Done: the level was lowered.
        Success = "SUCCESS",
        /// Failed.
        Fail = "FAIL",
    }
}

/// `downgradeOperation.status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DowngradeStatus {
    /// The state.
    #[serde(rename = "type")]
    pub status_type: DowngradeStatusType,
}

/// A downgrade operation and its state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DowngradeOperation {
    /// The operation's id.
    pub downgrade_operation_id: DowngradeOperationId,
    /// Its state.
    pub status: DowngradeStatus,
}

/// The answer to confirming (E05) or reading (E06) a downgrade operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DowngradeOperationResponse {
    /// The operation.
    pub downgrade_operation: DowngradeOperation,
}
