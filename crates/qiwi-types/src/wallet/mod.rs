//! Models of the QIWI Wallet personal API (`edge.qiwi.com`): profile, identification, limits and
//! balances (endpoints E01 to E13 of the reference), the payment history (E14 to E18),
//! payments (E19 to E35), invoices and P2P keys (E36 to E39), QIWI Master virtual cards (E40 to
//! E49) and webhooks (E50 to E56).
//!
//! Field names follow the wire (`camelCase`); every type reads what the real servers send and
//! writes back the same shape. Nullability follows the reference field by field:
//!
//! - a field the reference documents as always present is a plain field, and its absence is a
//!   decode error that names the field;
//! - a field the reference marks as nullable, leaves open, or says may be missing is an
//!   [`Option`], so that `null` or a missing key never fails a response that was otherwise
//!   understood;
//! - server enums are open ([`open_enum!`](crate::open_enum)): a value added later is kept in
//!   `Unknown(String)`;
//! - amounts are [`Decimal`](crate::Decimal) read from JSON numbers or strings, currencies read
//!   from numeric (`643`, `"643"`) or alphabetic (`"RUB"`) codes, identifiers from numbers or
//!   strings, and timestamps keep their raw text when it cannot be read.
//!
//! The documented contradictions these models tolerate are listed in the reference's closing
//! section; each type's documentation names the ones that concern it.

pub mod account;
pub mod card;
pub mod history;
pub mod identification;
pub mod invoice;
pub mod json_value;
pub mod limits;
pub mod payment;
pub mod profile;
pub mod webhook;

pub use crate::CalendarDate;
pub use account::{
    Account, AccountAlias, AccountOffer, AccountOffers, AccountType, AccountTypeId, Accounts,
    Balance, CreateAccountRequest, SetDefaultAccountRequest,
};
pub use card::{
    Card, CardAlias, CardDetails, CardDetailsRequest, CardId, CardInfo, CardLimit, CardOperation,
    CardOperationStatus, CardOrder, CardOrderId, CardOrderRequest, CardOrderStatus, CardQvx,
    CardRenameRequest, CardRenameResult, CardStatus, CardTariffDetails, Requisite,
};
pub use history::{
    ErrorCode, HistoryCursor, HistoryOperation, HistoryPage, HistorySource, HistoryTotals,
    HistoryWindow, PaymentHistoryItem, ProviderInfo, ReceiptFormat, SendReceiptRequest,
    Transaction, TransactionFeatures, TransactionId, TransactionStatus, TransactionType,
};
pub use identification::{
    ConfirmDowngradeRequest, DowngradeOperation, DowngradeOperationCreated, DowngradeOperationId,
    DowngradeOperationResponse, DowngradeRequest, DowngradeStatus, DowngradeStatusType,
    Identification, IdentificationLevel, IdentificationRequest,
};
pub use invoice::{
    Invoice, InvoiceCursor, InvoiceId, InvoiceKind, InvoicePage, InvoicePayment,
    InvoicePaymentStatus, InvoiceProvider, InvoiceStatus, P2pKeyPair, P2pKeysRequest,
    PayInvoiceRequest, RejectInvoiceRequest, UnixMillis,
};
pub use json_value::JsonValue;
pub use limits::{
    ActualLimits, Limit, LimitInterval, LimitType, P2pPaymentCount, Restriction, RestrictionCode,
};
pub use payment::{
    CardProviderRequest, Commission, CommissionRequest, CrossRate, CrossRates, KzCardRequest,
    MobileProvider, MobileProviders, PaymentFields, PaymentId, PaymentInfo, PaymentMethod,
    PaymentRejection, PaymentRequest, PaymentSum, PaymentTransaction, ProviderCategory,
    ProviderData, ProviderItemType, ProviderSearch, ProviderSearchItem, PurchaseTotals, QwprcCode,
    RefElement, RefElements, RejectionMeaning, TransactionState, TransactionStateCode,
};
pub use profile::{
    AuthInfo, ContractInfo, IdentificationInfo, MobilePinInfo, Nickname, PassInfo, PinInfo,
    Profile, ProfileSections, SmsNotification, UserInfo,
};
pub use webhook::{
    Hook, HookKey, HookKind, HookParameters, HookResponse, HookTxnType, Notification,
    NotificationPayment,
};
