//! What the payment history (E14, E16) and the notifications (E56) both say about a
//! transaction: its number, direction, status and error code.
//!
//! The two wire shapes differ (reference §14 item 27): the history writes `txnId` and
//! `errorCode` as numbers, the notifications as strings. These types read both.

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};

use crate::InvalidValue;

/// The number of a transaction (`txnId`): digits, read from a JSON number or string.
///
/// The history writes it as a number and the webhooks as a string (reference §14 item 27);
/// the text keeps every digit either way.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct TransactionId(String);

impl TransactionId {
    /// Checks a caller's transaction number: digits only, at most 20.
    ///
    /// # Errors
    /// [`InvalidValue`] when the text is empty, longer than 20 digits or not digits.
    ///
    /// ```
    /// use qiwi_types::wallet::TransactionId;
    ///
    /// assert_eq!(TransactionId::new("11233344692").unwrap().as_str(), "11233344692");
    /// assert!(TransactionId::new("").is_err());
    /// assert!(TransactionId::new("12a").is_err());
    /// ```
    pub fn new(text: impl Into<String>) -> Result<Self, InvalidValue> {
        let text = text.into();
        if text.is_empty() || text.len() > 20 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InvalidValue::new(
                "transaction id",
                format!("a transaction id is 1 to 20 digits (txnId of the history); got {text:?}"),
            ));
        }
        Ok(Self(text))
    }
}

crate::text_type::text_type!(TransactionId, from_str = Self::new);

impl<'de> Deserialize<'de> for TransactionId {
    /// Keeps the server's digits as written.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::lenient::string_or_number(d).map(Self)
    }
}

crate::open_enum! {
    /// The direction of a transaction (`type`).
    pub enum TransactionType {
        /// Incoming.
        In = "IN",
        /// Outgoing.
        Out = "OUT",
        /// A QIWI card payment.
        QiwiCard = "QIWI_CARD",
    }
}

crate::open_enum! {
    /// Where a transaction stands (`status`).
    pub enum TransactionStatus {
        /// Being processed.
        Waiting = "WAITING",
        /// Done.
        Success = "SUCCESS",
        /// Failed; `errorCode` and `error` say why.
        Error = "ERROR",
    }
}

crate::open_enum! {
    /// Why a transaction failed (`errorCode`, reference §11.2); `0` is success.
    pub enum ErrorCode: i32 {
        Ok = 0, "ok", "no error";
        TechnicalError3 = 3, "technical_error", "technical error, retry later";
        BadAccountFormat = 4, "bad_account_format", "bad phone or account format";
        NumberDoesNotExist = 5, "number_does_not_exist", "the number does not exist";
        RecipientBankProblem8 = 8, "recipient_bank_problem", "technical problem at the recipient's bank";
        RecipientMustIdentify = 57, "recipient_must_identify", "the recipient's wallet status forbids receiving; the recipient must raise identification";
        NotAvailableInCountry = 131, "not_available_in_country", "payment type not available in your country";
        WalletStatusForbids166 = 166, "wallet_status_forbids", "your wallet status forbids this payment";
        RecipientStatusForbids = 167, "recipient_status_forbids", "the recipient's wallet status forbids receiving";
        TechnicalError202 = 202, "technical_error", "technical error, retry later";
        CashTopUpForbidden = 204, "cash_top_up_forbidden", "your wallet status forbids cash top-up";
        InsufficientFunds = 220, "insufficient_funds", "insufficient funds";
        AmountTooSmall241 = 241, "amount_too_small", "the amount must exceed 1 RUB";
        AmountTooLarge242 = 242, "amount_too_large", "the amount is above the maximum";
        AmountTooSmall254 = 254, "amount_too_small", "the amount must exceed 1 RUB";
        RecipientBankProblem271 = 271, "recipient_bank_problem", "technical problem at the recipient's bank";
        TechnicalError300 = 300, "technical_error", "technical error, retry later";
        WrongPhoneNumber = 303, "wrong_phone_number", "wrong phone number (10 digits expected)";
        WalletStatusForbids319 = 319, "wallet_status_forbids", "your wallet status forbids this payment";
        CardInsufficientFunds = 407, "card_insufficient_funds", "insufficient funds on your card";
        DuplicatePending = 408, "duplicate_pending", "an identical payment is pending";
        MinimumBalance = 455, "minimum_balance", "blocked by the minimum-balance restriction";
        ConfirmationExpired = 461, "confirmation_expired", "the confirmation time expired";
        WalletInsufficientFunds = 472, "wallet_insufficient_funds", "insufficient funds in the wallet";
        RecipientBankError = 500, "recipient_bank_error", "technical error at the recipient's bank";
        WrongCard = 522, "wrong_card", "wrong recipient card number or expiry";
        WrongCardExpiry = 547, "wrong_card_expiry", "wrong recipient card expiry";
        CardExpired = 548, "card_expired", "the recipient's card expired";
        AmountTooLarge558 = 558, "amount_too_large", "the amount is above the maximum";
        RecipientBankRefuses = 561, "recipient_bank_refuses", "the recipient's bank refuses the payment";
        StatusLimit = 700, "status_limit", "limit for your wallet status exceeded";
        RecipientBalanceLimit = 702, "recipient_balance_limit", "the recipient's balance limit exceeded";
        MonthlyWalletLimit704 = 704, "monthly_wallet_limit", "monthly wallet limit exceeded";
        MonthlyWalletLimit705 = 705, "monthly_wallet_limit", "monthly wallet limit exceeded";
        WeeklyRecipientLimit = 710, "weekly_recipient_limit", "weekly limit to the same recipient exceeded";
        MonthlyOperationLimit = 711, "monthly_operation_limit", "monthly limit for this operation type exceeded";
        MonthlyCardWithdrawalLimit = 716, "monthly_card_withdrawal_limit", "monthly card-withdrawal limit exceeded";
        DailyCardWithdrawalLimit = 717, "daily_card_withdrawal_limit", "daily card-withdrawal limit exceeded";
        RecipientLimit746 = 746, "recipient_limit", "limit to the same recipient exceeded";
        RecipientCountLimit = 747, "recipient_count_limit", "operation count to the same recipient exceeded";
        ContactSupport = 749, "contact_support", "technical error, contact support";
        TechnicalError750 = 750, "technical_error", "technical error, retry later";
        PaymentCountLimit = 757, "payment_count_limit", "payment count limit exceeded";
        CancelledRefunded = 797, "cancelled_refunded", "payment cancelled, money returned";
        RecipientLimit852 = 852, "recipient_limit", "limit to the same recipient exceeded";
        KztOutgoingLimit = 866, "kzt_outgoing_limit", "outgoing RUB/USD/EUR to KZT monthly limit (5 000 RUB) exceeded";
        KztIncomingLimit = 867, "kzt_incoming_limit", "incoming RUB/USD/EUR to KZT monthly limit (5 000 RUB) exceeded";
        TransferExpired = 893, "transfer_expired", "the transfer expired";
        CodeExpired = 901, "code_expired", "the confirmation code expired";
        MonthlyTransferLimit = 943, "monthly_transfer_limit", "monthly transfer limit exceeded";
        OperationLimit = 1050, "operation_limit", "limit on such operations exceeded";
        CheckCardDetails = 7000, "check_card_details", "payment rejected, check the card details";
        ContactIssuingBank = 7600, "contact_issuing_bank", "payment rejected, contact the issuing bank";
        _ = "a code this client does not know";
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    /// Reads an integer (history) or its text (webhooks); an unknown code is kept.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = crate::lenient::string_or_number(d)?;
        text.trim()
            .parse::<i32>()
            .map(Self::from_code)
            .map_err(|_| de::Error::custom(format!("errorCode {text:?} is not an integer code")))
    }
}
