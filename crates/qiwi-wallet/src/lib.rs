#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod balances;
mod cards;
mod client;
mod error;
mod error_body;
mod event;
mod history;
mod hooks;
mod identification;
mod invoices;
mod limits;
mod pay;
pub mod payment;
mod profile;
mod scope;
mod sinap;
mod watch;
pub mod webhook;

pub use cards::{MAX_CARD_NAME_CHARS, SubmittedOrder};
pub use client::{
    BALANCE_REFRESH_TIMEOUT, DEFAULT_BALANCE_REFRESH_ATTEMPTS, DEFAULT_BASE_URL, WalletClient,
    WalletClientBuilder,
};
pub use error::{DEFAULT_BLOCK_DURATION, Error, WalletDetail};
pub use event::{EventOrigin, PaymentEvent};
pub use history::{
    DEFAULT_HISTORY_LIMIT, HISTORY_WINDOW, HistoryCheckpoint, HistoryFilter, HistoryLimiter,
    HistoryStream, MAX_HISTORY_ROWS, Receipt,
};
pub use hooks::MAX_HOOK_URL_CHARS;
pub use invoices::{
    InvoiceAuth, InvoiceFateUnknown, InvoiceLookup, InvoiceNotPaid, InvoicePayOutcome,
    InvoiceQuery, InvoiceStream, MAX_INVOICE_ROWS,
};
pub use pay::{
    Accepted, ConfirmOptions, Confirmed, FateLookup, FateUnknown, HistoryLookup, NotMoved,
    PaymentOutcome,
};
pub use scope::TokenScope;
pub use watch::{DEFAULT_WATCH_INTERVAL, WatchMark, WatchStream};

/// The models of this API.
pub use qiwi_types::wallet as models;
pub use qiwi_types::wallet::{
    Account, AccountAlias, AccountOffer, AccountType, AccountTypeId, Accounts, ActualLimits,
    Balance, CalendarDate, DowngradeOperation, DowngradeOperationId, DowngradeRequest,
    DowngradeStatusType, ErrorCode, HistoryCursor, HistoryOperation, HistoryPage, HistorySource,
    HistoryTotals, HistoryWindow, Identification, IdentificationLevel, IdentificationRequest,
    Limit, LimitType, PaymentHistoryItem, Profile, ProfileSections, ReceiptFormat, Restriction,
    RestrictionCode, Transaction, TransactionId, TransactionStatus, TransactionType,
};
pub use qiwi_types::{Currency, Decimal, Money, WalletNumber};

/// The README's example, compiled as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The HTTP layer: transports, retry policy, clocks and the error parts.
pub use qiwi_transport as transport;
#[cfg(feature = "reqwest")]
pub use qiwi_transport::ClientIdentity;
pub use qiwi_transport::{
    DecodeError, NotSentError, Refusal, RefusalKind, RetryPolicy, SecretString, ServiceError,
    Timeouts, Transport, TransportError, WriteFate,
};
