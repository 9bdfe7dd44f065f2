//! Payment history: one page of payments (E14), totals (E15), one transaction (E16) and the
//! values that go into those requests (the date window, the cursor, receipts: E17, E18).

use std::fmt;

use jiff::tz::Offset;
use jiff::{SignedDuration, Timestamp};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};

use crate::wallet::JsonValue;
use crate::{ApiTime, Decimal, InvalidValue, Money, Moscow, WalletNumber};

/// The longest date window the service accepts for the history and its totals: 90 days.
pub const MAX_WINDOW: SignedDuration = SignedDuration::from_hours(90 * 24);

/// The number of a transaction (`txnId`): digits, read from a JSON number or string.
///
/// The history writes it as a number and the webhooks as a string (reference §14 item 27);
/// the text keeps every digit either way.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TransactionId(#[serde(deserialize_with = "crate::lenient::string_or_number")] String);

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

crate::open_enum! {
    /// Which payments a history request asks for (`operation`; `ALL` when not sent).
    pub enum HistoryOperation {
        /// Every payment.
        All = "ALL",
        /// Incoming payments.
        In = "IN",
        /// Outgoing payments.
        Out = "OUT",
        /// Payments with QIWI cards.
        QiwiCard = "QIWI_CARD",
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
    /// A funding source a history request may be narrowed to (`sources[n]`).
    pub enum HistorySource {
        /// The wallet's rouble account.
        QwRub = "QW_RUB",
        /// The wallet's dollar account.
        QwUsd = "QW_USD",
        /// The wallet's euro account.
        QwEur = "QW_EUR",
        /// Linked and unlinked bank cards.
        Card = "CARD",
        /// The mobile operator's account.
        Mk = "MK",
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
    /// Reads an integer (history), its text (webhooks), or the `{"code", "name"}` this type
    /// writes; an unknown code is kept.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = crate::lenient::text_or_member(d, "code")?
            .ok_or_else(|| de::Error::custom("an errorCode object without its code"))?;
        text.trim()
            .parse::<i32>()
            .map(ErrorCode::from_code)
            .map_err(|_| de::Error::custom(format!("errorCode {text:?} is not an integer code")))
    }
}

/// A provider or a funding source as the history describes it (`provider`, `source`).
///
/// Every member is optional: the reference's examples send `"source": {}` and `null` string
/// members.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ProviderInfo {
    /// The provider id (`1` = MTS, `7` = QIWI Wallet).
    #[serde(with = "crate::lenient::text_opt")]
    pub id: Option<String>,
    /// The short name.
    pub short_name: Option<String>,
    /// The long name.
    pub long_name: Option<String>,
    /// The logo's URL.
    pub logo_url: Option<String>,
    /// A description (HTML).
    pub description: Option<String>,
    /// Search keywords.
    pub keys: Option<String>,
    /// The provider's site.
    pub site_url: Option<String>,
    /// Undocumented extra data, kept whole.
    pub extras: Vec<JsonValue>,
}

/// One payment of the history (`data[]` of E14), also the base of a [`Transaction`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentHistoryItem {
    /// The QIWI transaction id.
    pub txn_id: TransactionId,
    /// The wallet.
    pub person_id: WalletNumber,
    /// When: in the request's offset in the history, in Moscow time in transaction details.
    pub date: ApiTime<Moscow>,
    /// Why it failed; `0` when it did not.
    pub error_code: ErrorCode,
    /// The error's text.
    #[serde(default)]
    pub error: Option<String>,
    /// The direction.
    #[serde(rename = "type")]
    pub kind: TransactionType,
    /// Where it stands.
    pub status: TransactionStatus,
    /// The status in words (localized).
    #[serde(default, with = "crate::lenient::text_opt")]
    pub status_text: Option<String>,
    /// The id the payer's side gave the payment.
    #[serde(default, with = "crate::lenient::text_opt")]
    pub trm_txn_id: Option<String>,
    /// The recipient (outgoing) or the sender (incoming); may be masked.
    #[serde(default, with = "crate::lenient::text_opt")]
    pub account: Option<String>,
    /// The amount.
    #[serde(default)]
    pub sum: Option<Money>,
    /// The commission.
    #[serde(default)]
    pub commission: Option<Money>,
    /// `sum` plus `commission`.
    #[serde(default)]
    pub total: Option<Money>,
    /// The provider.
    #[serde(default)]
    pub provider: Option<ProviderInfo>,
    /// The funding source.
    #[serde(default)]
    pub source: Option<ProviderInfo>,
    /// The payer's comment.
    #[serde(default)]
    pub comment: Option<String>,
    /// The conversion rate applied, if any.
    #[serde(default, with = "crate::money::decimal_opt")]
    pub currency_rate: Option<Decimal>,
}

impl PaymentHistoryItem {
    /// What identifies the item in the history: a conversion appears twice, as `IN` and as
    /// `OUT`, with one `txnId`.
    pub fn key(&self) -> (&TransactionId, &TransactionType) {
        (&self.txn_id, &self.kind)
    }
}

/// One page of the history (E14).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryPage {
    /// The payments, newest first.
    #[serde(default)]
    pub data: Vec<PaymentHistoryItem>,
    /// With `next_txn_date`, where the next page starts; absent on the last page.
    #[serde(default)]
    pub next_txn_id: Option<TransactionId>,
    /// With `next_txn_id`, where the next page starts, kept exactly as written.
    #[serde(default)]
    pub next_txn_date: Option<ApiTime<Moscow>>,
}

impl HistoryPage {
    /// Where the next page starts: both members present, and the page not empty.
    ///
    /// ```
    /// use qiwi_types::wallet::HistoryPage;
    ///
    /// let page: HistoryPage = serde_json::from_str(
    ///     r#"{"data": [], "nextTxnId": 9001, "nextTxnDate": "2017-01-31T15:24:10+03:00"}"#,
    /// ).unwrap();
    /// assert!(page.cursor().is_none(), "an empty page ends the history");
    /// ```
    pub fn cursor(&self) -> Option<HistoryCursor> {
        if self.data.is_empty() {
            return None;
        }
        let (id, date) = (self.next_txn_id.as_ref()?, self.next_txn_date.as_ref()?);
        Some(HistoryCursor {
            next_txn_id: id.clone(),
            next_txn_date: date.raw().to_owned(),
        })
    }
}

/// Where a page of the history starts: the `nextTxnId`/`nextTxnDate` pair of the page before,
/// the date exactly as the server wrote it. Serializable, so that a caller can save it and
/// resume later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryCursor {
    /// `nextTxnId`.
    pub next_txn_id: TransactionId,
    /// `nextTxnDate`, as received.
    pub next_txn_date: String,
}

/// The per-currency totals of a window (E15).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryTotals {
    /// Money in, one entry per currency.
    #[serde(default)]
    pub incoming_total: Vec<Money>,
    /// Money out, one entry per currency.
    #[serde(default)]
    pub outgoing_total: Vec<Money>,
}

/// What can be done with a transaction (`features` of E16).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TransactionFeatures {
    /// A receipt can be had (E17, E18).
    pub cheque_ready: Option<bool>,
    /// A bank document is ready.
    pub bank_document_ready: Option<bool>,
    /// A bank document can be had.
    pub bank_document_available: Option<bool>,
    /// The payment can be repeated.
    pub repeat_payment_enabled: Option<bool>,
    /// The payment can be saved as a favourite.
    pub favorite_payment_enabled: Option<bool>,
    /// The payment can be made regular.
    pub regular_payment_enabled: Option<bool>,
    /// A chat is available.
    pub chat_available: Option<bool>,
    /// A greeting card is attached.
    pub greeting_card_attached: Option<bool>,
}

/// One transaction with its details (E16).
///
/// The reference's English example names the service data `paymentExtras`, its Russian one
/// `extras` (§14 item 21): both are read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    /// The members a history item has.
    #[serde(flatten)]
    pub item: PaymentHistoryItem,
    /// Service data.
    #[serde(default, alias = "extras")]
    pub payment_extras: Vec<JsonValue>,
    /// What can be done with the transaction.
    #[serde(default)]
    pub features: Option<TransactionFeatures>,
    /// More service data, shape undocumented.
    #[serde(default)]
    pub service_extras: Option<JsonValue>,
    /// How the apps show it (`title`, `account`), shape undocumented.
    #[serde(default)]
    pub view: Option<JsonValue>,
}

/// The file format of a receipt (E17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReceiptFormat {
    /// `PDF`.
    Pdf,
    /// `JPEG`.
    Jpeg,
}

impl ReceiptFormat {
    /// The value of the `format` query parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            ReceiptFormat::Pdf => "PDF",
            ReceiptFormat::Jpeg => "JPEG",
        }
    }
}

impl fmt::Display for ReceiptFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The body of E18: where to send the receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendReceiptRequest {
    /// The e-mail address.
    pub email: String,
}

/// A date window of the history or its totals: both ends written in one offset, at most
/// [`MAX_WINDOW`] apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryWindow {
    start: Timestamp,
    end: Timestamp,
    offset: Offset,
}

impl HistoryWindow {
    /// A window from `start` to `end`, both sent in `offset`.
    ///
    /// # Errors
    /// [`InvalidValue`] when `end` is before `start` or the window is longer than 90 days.
    ///
    /// ```
    /// use qiwi_types::wallet::HistoryWindow;
    ///
    /// let window = HistoryWindow::parse("2017-01-01T00:00:00+03:00", "2017-01-31T00:00:00+03:00")
    ///     .unwrap();
    /// assert_eq!(window.start_text(), "2017-01-01T00:00:00+03:00");
    /// assert!(HistoryWindow::parse("2017-01-01T00:00:00+03:00", "2017-06-01T00:00:00+03:00").is_err());
    /// assert!(HistoryWindow::parse("2017-01-01T00:00:00+03:00", "2017-01-02T00:00:00+01:00").is_err());
    /// ```
    pub fn new(start: Timestamp, end: Timestamp, offset: Offset) -> Result<Self, InvalidValue> {
        let what = "date window";
        if end < start {
            return Err(InvalidValue::new(what, "the window ends before it starts"));
        }
        if end.duration_since(start) > MAX_WINDOW {
            return Err(InvalidValue::new(
                what,
                format!(
                    "the window is longer than the 90 days the service accepts ({start} to {end})"
                ),
            ));
        }
        Ok(Self { start, end, offset })
    }

    /// Reads both ends from text with an offset (`2017-01-21T11:41:07+03:00`); they must be
    /// written in the same offset, as the service requires.
    ///
    /// # Errors
    /// [`InvalidValue`] when an end is not such a time, the offsets differ, or the window is
    /// not acceptable to [`new`](Self::new).
    pub fn parse(start: &str, end: &str) -> Result<Self, InvalidValue> {
        let (start, start_offset) = parse_with_offset(start)?;
        let (end, end_offset) = parse_with_offset(end)?;
        if start_offset != end_offset {
            return Err(InvalidValue::new(
                "date window",
                format!(
                    "both ends must be in the same offset; got {start_offset} and {end_offset}"
                ),
            ));
        }
        Self::new(start, end, start_offset)
    }

    /// The start, as sent (`YYYY-MM-DDThh:mm:ss±hh:mm`).
    pub fn start_text(&self) -> String {
        self.write(self.start)
    }

    /// The end, as sent.
    pub fn end_text(&self) -> String {
        self.write(self.end)
    }

    /// The start.
    pub fn start(&self) -> Timestamp {
        self.start
    }

    /// The end.
    pub fn end(&self) -> Timestamp {
        self.end
    }

    fn write(&self, t: Timestamp) -> String {
        t.to_zoned_datetime(self.offset.to_time_zone())
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    }
}

/// An instant and the offset it was written in.
fn parse_with_offset(text: &str) -> Result<(Timestamp, Offset), InvalidValue> {
    let bad = || {
        InvalidValue::new(
            "date window",
            format!("expected a time like 2017-01-21T11:41:07+03:00; got {text:?}"),
        )
    };
    let text = text.trim();
    let instant: Timestamp = text.parse().map_err(|_| bad())?;
    if text.ends_with(['Z', 'z']) {
        return Ok((instant, Offset::UTC));
    }
    let suffix = text.get(text.len().saturating_sub(6)..).ok_or_else(bad)?;
    let (sign, rest) = match suffix.split_at(1) {
        ("+", rest) => (1, rest),
        ("-", rest) => (-1, rest),
        _ => return Err(bad()),
    };
    let (hours, minutes) = rest.split_once(':').ok_or_else(bad)?;
    let hours: i32 = hours.parse().map_err(|_| bad())?;
    let minutes: i32 = minutes.parse().map_err(|_| bad())?;
    let offset = Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).map_err(|_| bad())?;
    Ok((instant, offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_is_written_in_its_offset_and_may_last_exactly_ninety_days() {
        let window =
            HistoryWindow::parse("2023-01-01T00:00:00-05:30", "2023-04-01T00:00:00-05:30").unwrap();
        assert_eq!(window.start_text(), "2023-01-01T00:00:00-05:30");
        assert_eq!(window.end_text(), "2023-04-01T00:00:00-05:30");
        let utc = HistoryWindow::parse("2023-01-01T00:00:00Z", "2023-01-02T00:00:00Z").unwrap();
        assert_eq!(utc.end_text(), "2023-01-02T00:00:00+00:00");
        let too_long =
            HistoryWindow::parse("2023-01-01T00:00:00+03:00", "2023-04-01T00:00:01+03:00");
        assert!(too_long.unwrap_err().to_string().contains("90 days"));
        let reversed =
            HistoryWindow::parse("2023-01-02T00:00:00+03:00", "2023-01-01T00:00:00+03:00");
        assert!(
            reversed
                .unwrap_err()
                .to_string()
                .contains("before it starts")
        );
        for bad in ["2023-01-01", "2023-01-01T00:00:00", "yesterday"] {
            assert!(
                HistoryWindow::parse(bad, "2023-01-02T00:00:00+03:00").is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_cursor_copies_the_date_exactly_as_received() {
        let page: HistoryPage = serde_json::from_str(
            r#"{"data": [{"txnId": 1, "personId": 79112223344, "date": "2017-01-21T11:41:07+03:00",
                 "errorCode": 0, "type": "IN", "status": "SUCCESS"}],
                "nextTxnId": 9001, "nextTxnDate": "2017-01-31T12:24:10.250+00:00"}"#,
        )
        .unwrap();
        let cursor = page.cursor().unwrap();
        assert_eq!(cursor.next_txn_id.as_str(), "9001");
        assert_eq!(cursor.next_txn_date, "2017-01-31T12:24:10.250+00:00");
        let half: HistoryPage = serde_json::from_str(
            r#"{"data": [{"txnId": 1, "personId": 79112223344, "date": "x", "errorCode": 0,
                 "type": "IN", "status": "SUCCESS"}], "nextTxnId": 9001}"#,
        )
        .unwrap();
        assert!(half.cursor().is_none(), "a cursor needs both members");
    }

    #[test]
    fn error_codes_read_from_numbers_and_text_and_keep_unknown_ones() {
        let known: ErrorCode = serde_json::from_str("220").unwrap();
        assert_eq!(known, ErrorCode::InsufficientFunds);
        let text: ErrorCode = serde_json::from_str(r#""7600""#).unwrap();
        assert_eq!(text, ErrorCode::ContactIssuingBank);
        let unknown: ErrorCode = serde_json::from_str("12345").unwrap();
        assert_eq!(unknown, ErrorCode::Unknown(12345));
        let written = serde_json::to_string(&ErrorCode::InsufficientFunds).unwrap();
        assert_eq!(written, r#"{"code":220,"name":"insufficient_funds"}"#);
        let again: ErrorCode = serde_json::from_str(&written).unwrap();
        assert_eq!(again, ErrorCode::InsufficientFunds);
        assert!(serde_json::from_str::<ErrorCode>(r#""abc""#).is_err());
    }
}
