//! The protocol's three code spaces, kept apart because their numbers overlap.
//!
//! - [`RequestCode`]: `<response>/<result-code>`, whether the server could process the request
//!   at all ("tech_error"). For a payment request it says nothing about the payment.
//! - [`PaymentCode`]: `<payment result-code="…">`, why a payment was refused or failed.
//! - [`PaymentStatus`]: `<payment status="…">`, where the payment is in its life.
//!
//! `150` is an authorization error as a request code and "declined" as a status; `300` is in
//! both result tables. Each type keeps a number it does not know as `Unknown(i32)`: the
//! protocol's tables all end by saying that other codes exist.

use std::fmt;
use std::time::Duration;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

crate::open_enum! {
    /// The request-processing result (`<response>/<result-code>`, "tech_error" table).
    ///
    /// Non-zero means the server did not process the request and the requested data is absent;
    /// for a payment request the payment's fate is then unknown, never failed.
    pub enum RequestCode: i32 {
        /// `0`: no error.
        Ok = 0, "ok", "no error";
        /// `13`: the server is busy; repeat the request in a minute. Not fatal.
        RetryLater = 13, "retry_later", "repeat the request in a minute";
        /// `150`: wrong terminal id or password (or signature). Fatal.
        AuthorizationError = 150, "authorization_error", "authorization error: check the terminal id and password";
        /// `300`: an unknown error; repeat the request. Not fatal.
        UnknownError = 300, "unknown_error", "unknown error; repeat the request";
        /// `339`: the request's source IP address is not allowed. Fatal.
        IpRestricted = 339, "ip_restricted", "the source IP address is not allowed";
        _ = "a code this client does not know; ask QIWI support (bss@qiwi.com)";
    }
}

impl RequestCode {
    /// The `Fatal` column of the protocol's table: `Some(true)` when repeating the same request
    /// gives the same error until the configuration changes, `None` when the table says nothing
    /// (code `0`, unknown codes). The response's own `fatal` attribute takes precedence.
    ///
    /// ```
    /// use qiwi_types::agent::RequestCode;
    /// assert_eq!(RequestCode::AuthorizationError.documented_fatal(), Some(true));
    /// assert_eq!(RequestCode::RetryLater.documented_fatal(), Some(false));
    /// assert_eq!(RequestCode::Unknown(555).documented_fatal(), None);
    /// ```
    pub fn documented_fatal(self) -> Option<bool> {
        match self {
            Self::RetryLater | Self::UnknownError => Some(false),
            Self::AuthorizationError | Self::IpRestricted => Some(true),
            Self::Ok | Self::Unknown(_) => None,
        }
    }

    /// Whether the same request may be sent again and may then succeed, given the response's
    /// `fatal` attribute (authoritative when present; the documented column otherwise; an
    /// unknown code without a flag counts as retryable, since a payment must never be given up
    /// on a request-level error).
    ///
    /// ```
    /// use qiwi_types::agent::RequestCode;
    /// assert!(RequestCode::UnknownError.may_retry_same_request(Some(false)));
    /// assert!(!RequestCode::AuthorizationError.may_retry_same_request(None));
    /// assert!(!RequestCode::Unknown(555).may_retry_same_request(Some(true)));
    /// assert!(!RequestCode::Ok.may_retry_same_request(None));
    /// ```
    pub fn may_retry_same_request(self, fatal: Option<bool>) -> bool {
        if self.is_ok() {
            return false;
        }
        !fatal.or(self.documented_fatal()).unwrap_or(false)
    }

    /// How long the protocol asks to wait before repeating the request, when it says.
    ///
    /// ```
    /// use qiwi_types::agent::RequestCode;
    /// assert_eq!(RequestCode::RetryLater.retry_after(), Some(std::time::Duration::from_secs(60)));
    /// assert_eq!(RequestCode::UnknownError.retry_after(), None);
    /// ```
    pub fn retry_after(self) -> Option<Duration> {
        match self {
            Self::RetryLater => Some(Duration::from_secs(60)),
            _ => None,
        }
    }
}

crate::open_enum! {
    /// The payment-processing result (`<payment result-code="…">`, "error" table): why a payment
    /// was refused or failed. Its fatality comes from the payment's `fatal-error` attribute.
    pub enum PaymentCode: i32 {
        /// `0`: no error.
        Ok = 0, "ok", "no error";
        /// `155`: payments to this service are not allowed (check `to/service-id`).
        ServiceNotAllowed = 155, "service_not_allowed", "payments to this service are not allowed";
        /// `204`: the wallet's identification status is too low for this payment.
        InsufficientIdentification = 204, "insufficient_identification", "the wallet's identification status is insufficient for this payment";
        /// `215`: this transaction number is already registered with different details.
        TransactionNumberConflict = 215, "transaction_number_conflict", "the transaction number is already registered with different payment details";
        /// `220`: not enough money on the agent account.
        InsufficientFunds = 220, "insufficient_funds", "insufficient funds on the agent account";
        /// `241`: the amount is below the allowed minimum.
        AmountBelowMinimum = 241, "amount_below_minimum", "the amount is below the allowed minimum";
        /// `242`: the amount is above the allowed maximum.
        AmountAboveMaximum = 242, "amount_above_maximum", "the amount is above the allowed maximum";
        /// `298`: no wallet can be registered for this phone number (invalid number).
        InvalidPhoneNumber = 298, "invalid_phone_number", "no wallet can be registered for this phone number";
        /// `300`: an unknown payment-processing error; contact support.
        UnknownError = 300, "unknown_error", "unknown payment-processing error; contact QIWI support";
        /// `316`: the agent is blocked.
        AgentBlocked = 316, "agent_blocked", "authorization attempt by a blocked agent";
        /// `319`: top-up of this phone number's account is prohibited.
        TopUpProhibited = 319, "top_up_prohibited", "top-up of this phone number's account is prohibited";
        /// `700`: the monthly operations limit is exceeded.
        MonthlyLimitExceeded = 700, "monthly_limit_exceeded", "the monthly operations limit is exceeded";
        /// `702`: the client wallet's balance limit is exceeded.
        BalanceLimitExceeded = 702, "balance_limit_exceeded", "the client wallet's balance limit is exceeded";
        _ = "a code this client does not know; ask QIWI support (bss@qiwi.com)";
    }
}

impl PaymentCode {
    /// Whether sending the same `pay` again (same transaction number, same details) may give
    /// another answer, given the payment's `fatal-error` attribute.
    ///
    /// `215` never: the number is taken by other details and only new details or a new number
    /// help. Otherwise the attribute decides when present; without it, codes about the request's
    /// own content (`155`, `204`, `241`, `242`, `298`, `316`, `319`) are not retryable and
    /// codes about a passing condition (`220` until the agent balance is topped up, `300`,
    /// `700`/`702` until the limit resets, unknown codes) are.
    ///
    /// ```
    /// use qiwi_types::agent::PaymentCode;
    /// assert!(PaymentCode::InsufficientFunds.may_retry_same_request(None));
    /// assert!(!PaymentCode::InsufficientFunds.may_retry_same_request(Some(true)));
    /// assert!(!PaymentCode::TransactionNumberConflict.may_retry_same_request(Some(false)));
    /// assert!(!PaymentCode::AmountAboveMaximum.may_retry_same_request(None));
    /// ```
    pub fn may_retry_same_request(self, fatal: Option<bool>) -> bool {
        match self {
            Self::Ok | Self::TransactionNumberConflict => false,
            _ => match fatal {
                Some(fatal) => !fatal,
                None => matches!(
                    self,
                    Self::InsufficientFunds
                        | Self::UnknownError
                        | Self::MonthlyLimitExceeded
                        | Self::BalanceLimitExceeded
                        | Self::Unknown(_)
                ),
            },
        }
    }
}

/// Where a payment is in its life (`<payment status="…">`).
///
/// The protocol names some values and gives ranges for the rest, so a range variant keeps the
/// exact number: `0`–`49` accepted and awaiting confirmation, `50`–`59` being processed, `60`
/// success, above `100` failed with the money back on the agent balance. `61`–`100` and values
/// below `-1` are undescribed and land in [`PaymentStatus::Unknown`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PaymentStatus {
    /// `-1`: not registered because of a temporary error; send the same `pay` again later.
    NotRegistered,
    /// `0`–`49`: accepted, awaiting confirmation by QIWI Wallet.
    AwaitingConfirmation(i32),
    /// `50`: accepted for processing; the money is already debited from the agent account.
    Accepted,
    /// `52`: being credited to the client account.
    Crediting,
    /// `51`, `53`–`59`: being processed.
    Processing(i32),
    /// `60`: processed successfully. Final.
    Success,
    /// `150`: not accepted, declined. Final.
    Declined,
    /// `151`: payment authorization error. Final.
    AuthorizationError,
    /// `160`: not processed or cancelled. Final.
    Cancelled,
    /// Another value above `100`: a processing error, money returned to the agent. Final.
    Failed(i32),
    /// A value the protocol does not describe (`61`–`100`, below `-1`). Not final.
    Unknown(i32),
}

impl PaymentStatus {
    /// The status for a number read from the wire.
    ///
    /// ```
    /// use qiwi_types::agent::PaymentStatus;
    /// assert_eq!(PaymentStatus::from_code(60), PaymentStatus::Success);
    /// assert_eq!(PaymentStatus::from_code(55), PaymentStatus::Processing(55));
    /// assert_eq!(PaymentStatus::from_code(130), PaymentStatus::Failed(130));
    /// assert_eq!(PaymentStatus::from_code(77), PaymentStatus::Unknown(77));
    /// ```
    pub fn from_code(code: i32) -> Self {
        match code {
            -1 => Self::NotRegistered,
            0..=49 => Self::AwaitingConfirmation(code),
            50 => Self::Accepted,
            52 => Self::Crediting,
            51..=59 => Self::Processing(code),
            60 => Self::Success,
            150 => Self::Declined,
            151 => Self::AuthorizationError,
            160 => Self::Cancelled,
            101.. => Self::Failed(code),
            _ => Self::Unknown(code),
        }
    }

    /// The number as written on the wire.
    ///
    /// ```
    /// use qiwi_types::agent::PaymentStatus;
    /// assert_eq!(PaymentStatus::Declined.code(), 150);
    /// assert_eq!(PaymentStatus::NotRegistered.code(), -1);
    /// ```
    pub fn code(self) -> i32 {
        match self {
            Self::NotRegistered => -1,
            Self::Accepted => 50,
            Self::Crediting => 52,
            Self::Success => 60,
            Self::Declined => 150,
            Self::AuthorizationError => 151,
            Self::Cancelled => 160,
            Self::AwaitingConfirmation(code)
            | Self::Processing(code)
            | Self::Failed(code)
            | Self::Unknown(code) => code,
        }
    }

    /// A stable `snake_case` name.
    ///
    /// ```
    /// use qiwi_types::agent::PaymentStatus;
    /// assert_eq!(PaymentStatus::from_code(52).name(), "crediting");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Self::NotRegistered => "not_registered",
            Self::AwaitingConfirmation(_) => "awaiting_confirmation",
            Self::Accepted => "accepted",
            Self::Crediting => "crediting",
            Self::Processing(_) => "processing",
            Self::Success => "success",
            Self::Declined => "declined",
            Self::AuthorizationError => "authorization_error",
            Self::Cancelled => "cancelled",
            Self::Failed(_) => "failed",
            Self::Unknown(_) => "other",
        }
    }

    /// What the status means.
    ///
    /// ```
    /// use qiwi_types::agent::PaymentStatus;
    /// assert_eq!(PaymentStatus::Success.description(), "processed successfully");
    /// ```
    pub fn description(self) -> &'static str {
        match self {
            Self::NotRegistered => "not registered because of a temporary error",
            Self::AwaitingConfirmation(_) => "accepted, awaiting confirmation by QIWI Wallet",
            Self::Accepted => "accepted for processing",
            Self::Crediting => "being credited to the client account",
            Self::Processing(_) => "being processed",
            Self::Success => "processed successfully",
            Self::Declined => "declined, money returned to the agent",
            Self::AuthorizationError => "payment authorization error, money returned to the agent",
            Self::Cancelled => "not processed or cancelled, money returned to the agent",
            Self::Failed(_) => "processing error, money returned to the agent",
            Self::Unknown(_) => "a status the protocol does not describe",
        }
    }

    /// Whether the status will not change again: success (`60`) or a failure (above `100`).
    /// `-1` is not final: the payment does not exist yet.
    ///
    /// ```
    /// use qiwi_types::agent::PaymentStatus;
    /// assert!(PaymentStatus::Success.is_final());
    /// assert!(PaymentStatus::Failed(130).is_final());
    /// assert!(!PaymentStatus::Accepted.is_final());
    /// assert!(!PaymentStatus::NotRegistered.is_final());
    /// ```
    pub fn is_final(self) -> bool {
        self.is_success() || self.is_failure()
    }

    /// Whether the money reached the recipient (`60`).
    ///
    /// ```
    /// use qiwi_types::agent::PaymentStatus;
    /// assert!(PaymentStatus::from_code(60).is_success());
    /// ```
    pub fn is_success(self) -> bool {
        self == Self::Success
    }

    /// Whether the payment failed and its money went back to the agent (above `100`).
    ///
    /// ```
    /// use qiwi_types::agent::PaymentStatus;
    /// assert!(PaymentStatus::from_code(160).is_failure());
    /// assert!(!PaymentStatus::from_code(77).is_failure());
    /// ```
    pub fn is_failure(self) -> bool {
        matches!(
            self,
            Self::Declined | Self::AuthorizationError | Self::Cancelled | Self::Failed(_)
        )
    }
}

impl fmt::Display for PaymentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.code(), self.description())
    }
}

impl Serialize for PaymentStatus {
    /// `{"code": 60, "name": "success"}`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("PaymentStatus", 2)?;
        st.serialize_field("code", &self.code())?;
        st.serialize_field("name", self.name())?;
        st.end()
    }
}

/// What a payment's attributes together say about it (see
/// [`Payment::state`](super::Payment::state)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PaymentState {
    /// Final and successful: the money reached the recipient.
    Succeeded,
    /// Final and failed: the money is back on the agent balance; refund the client.
    Failed,
    /// Not registered (status `-1` or an empty `txn_id`): send the same `pay` again later.
    NotRegistered,
    /// Registered and not final (or the attributes disagree): check the status later.
    InProgress,
    /// Result code 215: the transaction number belongs to an earlier payment with other
    /// details. This answer says nothing about that payment, which may have succeeded: ask
    /// its status; never refund on this answer.
    Conflict,
}

impl PaymentState {
    /// Whether the payment's fate is settled.
    ///
    /// ```
    /// use qiwi_types::agent::PaymentState;
    /// assert!(PaymentState::Failed.is_final());
    /// assert!(!PaymentState::NotRegistered.is_final());
    /// ```
    pub fn is_final(self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed)
    }
}

impl fmt::Display for PaymentState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Succeeded => "succeeded",
            Self::Failed => "failed (money returned to the agent)",
            Self::NotRegistered => "not registered",
            Self::InProgress => "in progress",
            Self::Conflict => {
                "the transaction number belongs to an earlier payment with other details"
            }
        })
    }
}
