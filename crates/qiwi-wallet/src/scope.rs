//! Token permissions (scopes) and the endpoints that need them.

use std::fmt;

use qiwi_transport::codec::json;
use qiwi_transport::{AnswerBody, Method, Route};

/// A permission chosen when a token is issued, named by its label on qiwi.com/api.
///
/// A call whose token lacks the needed permission is answered with HTTP 403, which the client
/// reports as a [`RefusalKind::Permission`](crate::RefusalKind::Permission) naming the
/// permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenScope {
    /// Wallet profile information: profile, identification and limits (E01 to E09).
    ProfileInfo,
    /// Wallet balance: accounts and balances (E10 to E13).
    Balance,
    /// Payment history (E14 to E18, E45).
    PaymentHistory,
    /// Payments without SMS confirmation, invoice payment and webhooks (E19 to E39, E50 to E56).
    PaymentsWithoutSms,
    /// Virtual card management (QIWI Master, E40 to E49).
    VirtualCards,
}

impl TokenScope {
    /// The permission's label as shown (in Russian) where tokens are issued.
    ///
    /// ```
    /// use qiwi_wallet::TokenScope;
    ///
    /// assert_eq!(TokenScope::Balance.label(), "Запрос баланса кошелька");
    /// ```
    pub fn label(self) -> &'static str {
        match self {
            TokenScope::ProfileInfo => "Запрос информации о профиле кошелька",
            TokenScope::Balance => "Запрос баланса кошелька",
            TokenScope::PaymentHistory => "Просмотр истории платежей",
            TokenScope::PaymentsWithoutSms => "Проведение платежей без SMS",
            TokenScope::VirtualCards => "Управление виртуальными картами",
        }
    }

    /// What the permission grants, in English.
    ///
    /// ```
    /// use qiwi_wallet::TokenScope;
    ///
    /// assert_eq!(TokenScope::ProfileInfo.description(), "wallet profile information");
    /// ```
    pub fn description(self) -> &'static str {
        match self {
            TokenScope::ProfileInfo => "wallet profile information",
            TokenScope::Balance => "wallet balance",
            TokenScope::PaymentHistory => "payment history",
            TokenScope::PaymentsWithoutSms => "payments without SMS",
            TokenScope::VirtualCards => "virtual card management",
        }
    }
}

impl fmt::Display for TokenScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\" ({})", self.label(), self.description())
    }
}

/// One endpoint of this API: its line in the table below.
pub(crate) type Endpoint = qiwi_transport::Endpoint<TokenScope>;

/// A resendable read of a JSON answer needing `scopes`.
const fn read(id: &'static str, path: &'static str, scopes: &'static [TokenScope]) -> Endpoint {
    Endpoint::get(id, path).scopes(scopes)
}

/// A write with a JSON answer needing `scopes`: never resent (a QIWI Wallet payment never
/// is: its fate is looked up instead).
const fn write(
    id: &'static str,
    method: Method,
    path: &'static str,
    scopes: &'static [TokenScope],
) -> Endpoint {
    Endpoint::new(id, method, Route::Path(path))
        .accept(json::CONTENT_TYPE)
        .scopes(scopes)
}

/// A lookup sent as a `POST` with a JSON body (a quote, a card's provider): it changes
/// nothing, so it may be sent again.
const fn lookup(id: &'static str, path: &'static str, scopes: &'static [TokenScope]) -> Endpoint {
    write(id, Method::POST, path, scopes).resendable(true)
}

/// The vendor media type of the card lookups (E27, E28).
const QIWI_V1: &str = "application/vnd.qiwi.v1+json";
/// The vendor media type of the Kazakhstan card transfer (E29).
const QIWI_V2: &str = "application/vnd.qiwi.v2+json";
/// The browser headers the Kazakhstan card calls send (E28, E29).
const SEC_FETCH: &[(&str, &str)] = &[
    ("sec-fetch-site", "same-site"),
    ("sec-fetch-mode", "cors"),
    ("sec-fetch-dest", "empty"),
];

/// What every QIWI Master call needs: card management, and the profile, history and
/// payments permissions with it (reference §9.2).
const CARD_SCOPES: &[TokenScope] = &[
    TokenScope::VirtualCards,
    TokenScope::ProfileInfo,
    TokenScope::PaymentHistory,
    TokenScope::PaymentsWithoutSms,
];

/// The payment history's calls: the service allows 100 a minute per wallet, together.
pub(crate) const HISTORY_GROUP: &str = "history";

/// Every endpoint of this client, one line each (reference §E01 to §E55; E21 is a link, E56 an
/// inbound notification).
#[rustfmt::skip]
mod table {
    use super::{Endpoint, Method, read, write, lookup, AnswerBody, HISTORY_GROUP, QIWI_V1, QIWI_V2, SEC_FETCH, CARD_SCOPES};
    use super::TokenScope::{Balance, PaymentHistory, PaymentsWithoutSms, ProfileInfo};

    pub(crate) static PROFILE: Endpoint = read("E01", "/person-profile/v1/profile/current", &[ProfileInfo]);
    pub(crate) static IDENTIFY: Endpoint = write("E02", Method::POST, "/identification/v1/persons/{wallet}/identification", &[ProfileInfo]);
    pub(crate) static IDENTIFICATION: Endpoint = read("E03", "/identification/v1/persons/{wallet}/identification", &[ProfileInfo]);
    pub(crate) static DOWNGRADE_START: Endpoint = write("E04", Method::POST, "/qw-ident-downgrade-api/v1/persons/{wallet}/identification-downgrade/operations", &[ProfileInfo]);
    pub(crate) static DOWNGRADE_CONFIRM: Endpoint = write("E05", Method::PUT, "/qw-ident-downgrade-api/v1/persons/{wallet}/identification-downgrade/operations/{downgradeOperationId}/confirm", &[ProfileInfo]);
    pub(crate) static DOWNGRADE_STATUS: Endpoint = read("E06", "/qw-ident-downgrade-api/v1/persons/{wallet}/identification-downgrade/operations/{downgradeOperationId}", &[ProfileInfo]);
    pub(crate) static ACTUAL_LIMITS: Endpoint = read("E07", "/qw-limits/v1/persons/{personId}/actual-limits", &[ProfileInfo]);
    pub(crate) static P2P_COUNT: Endpoint = read("E08", "/qw-limits/v1/persons/{personId}/p2p-payment-count-limit", &[ProfileInfo]);
    pub(crate) static RESTRICTIONS: Endpoint = read("E09", "/person-profile/v1/persons/{personId}/status/restrictions", &[ProfileInfo]);
    pub(crate) static ACCOUNTS: Endpoint = read("E10", "/funding-sources/v2/persons/{personId}/accounts", &[Balance]);
    pub(crate) static CREATE_ACCOUNT: Endpoint = write("E11", Method::POST, "/funding-sources/v2/persons/{personId}/accounts", &[Balance]).answers(&[201], AnswerBody::None);
    pub(crate) static ACCOUNT_OFFERS: Endpoint = read("E12", "/funding-sources/v2/persons/{personId}/accounts/offer", &[Balance]);
    pub(crate) static SET_DEFAULT_ACCOUNT: Endpoint = write("E13", Method::PATCH, "/funding-sources/v2/persons/{personId}/accounts/{accountAlias}", &[Balance]).answers(&[204], AnswerBody::None);
    pub(crate) static HISTORY: Endpoint = read("E14", "/payment-history/v2/persons/{wallet}/payments", &[PaymentHistory]).rate_limit_group(HISTORY_GROUP);
    pub(crate) static HISTORY_TOTALS: Endpoint = read("E15", "/payment-history/v2/persons/{wallet}/payments/total", &[PaymentHistory]).rate_limit_group(HISTORY_GROUP);
    pub(crate) static TRANSACTION: Endpoint = read("E16", "/payment-history/v2/transactions/{transactionId}", &[PaymentHistory]).rate_limit_group(HISTORY_GROUP);
    pub(crate) static RECEIPT_FILE: Endpoint = Endpoint::get("E17", "/payment-history/v1/transactions/{transactionId}/cheque/file").scopes(&[PaymentHistory]).answers(&[200], AnswerBody::Bytes).rate_limit_group(HISTORY_GROUP);
    pub(crate) static RECEIPT_SEND: Endpoint = write("E18", Method::POST, "/payment-history/v1/transactions/{transactionId}/cheque/send", &[PaymentHistory]).answers(&[201], AnswerBody::None).rate_limit_group(HISTORY_GROUP);
    pub(crate) static COMMISSION: Endpoint = lookup("E19", "/sinap/providers/{providerId}/onlineCommission", &[PaymentsWithoutSms]);
    pub(crate) static NICKNAME: Endpoint = read("E20", "/qw-nicknames/v1/persons/{wallet}/nickname", &[PaymentsWithoutSms]);
    /// Every payment but the Kazakhstan card's (E22, E23, E25, E26, E30 to E33): never resent.
    pub(crate) static PAYMENT: Endpoint = write("E22", Method::POST, "/sinap/api/v2/terms/{id}/payments", &[PaymentsWithoutSms]);
    pub(crate) static CROSS_RATES: Endpoint = read("E24", "/sinap/crossRates", &[PaymentsWithoutSms]);
    pub(crate) static CARD_PROVIDER: Endpoint = lookup("E27", "/sinap/api/refs/bd6fb248-2bdf-49ed-bcb2-9b0a789cfde8/containers", &[PaymentsWithoutSms]).accept(QIWI_V1);
    pub(crate) static KZ_CARD_PREPARE: Endpoint = lookup("E28", "/sinap/api/refs/a42ebc79-0584-4271-b8a0-15cb4ea8b340/containers", &[PaymentsWithoutSms]).accept(QIWI_V1).headers(SEC_FETCH);
    /// The Kazakhstan card transfer: no `/v2/` in its path; never resent.
    pub(crate) static KZ_CARD_PAYMENT: Endpoint = write("E29", Method::POST, "/sinap/api/terms/{id}/payments", &[PaymentsWithoutSms]).accept(QIWI_V2).headers(SEC_FETCH);
    pub(crate) static PROVIDER_SEARCH: Endpoint = read("E34", "/search/v1/search", &[PaymentsWithoutSms]);
    pub(crate) static MOBILE_PROVIDER: Endpoint = read("E35", "/qw-mobile-providers-resolver/v1/providers", &[PaymentsWithoutSms]);
    pub(crate) static P2P_KEYS_CREATE: Endpoint = write("E36", Method::POST, "/widgets-api/api/p2p/protected/keys/create", &[PaymentsWithoutSms]);
    pub(crate) static INVOICES: Endpoint = read("E37", "/checkout-api/api/bill/search", &[PaymentsWithoutSms]);
    /// Paying an invoice: a payment, never resent.
    pub(crate) static INVOICE_PAY: Endpoint = write("E38", Method::POST, "/checkout-api/invoice/pay/wallet", &[PaymentsWithoutSms]);
    pub(crate) static INVOICE_REJECT: Endpoint = write("E39", Method::POST, "/checkout-api/api/bill/reject", &[PaymentsWithoutSms]).answers(&[200], AnswerBody::None);
    /// The QIWI Master package and a paid card: payments, on the payments' route, never resent.
    pub(crate) static CARD_PACKAGE_PAYMENT: Endpoint = write("E40", Method::POST, "/sinap/api/v2/terms/{id}/payments", CARD_SCOPES);
    pub(crate) static CARD_ORDER: Endpoint = write("E41", Method::POST, "/cards/v2/persons/{wallet}/orders", CARD_SCOPES);
    pub(crate) static CARD_ORDER_SUBMIT: Endpoint = write("E42", Method::PUT, "/cards/v2/persons/{wallet}/orders/{orderId}/submit", CARD_SCOPES);
    pub(crate) static CARD_ORDER_PAYMENT: Endpoint = write("E43", Method::POST, "/sinap/api/v2/terms/{id}/payments", CARD_SCOPES);
    pub(crate) static CARDS: Endpoint = read("E44", "/cards/v1/cards", CARD_SCOPES);
    pub(crate) static CARD_STATEMENT: Endpoint = Endpoint::get("E45", "/payment-history/v1/persons/{wallet}/cards/{cardId}/statement").scopes(CARD_SCOPES).answers(&[200], AnswerBody::Bytes).rate_limit_group(HISTORY_GROUP);
    pub(crate) static CARD_BLOCK: Endpoint = write("E46", Method::PUT, "/cards/v2/persons/{wallet}/cards/{cardId}/block", CARD_SCOPES).answers(&[202], AnswerBody::None);
    pub(crate) static CARD_UNBLOCK: Endpoint = write("E47", Method::PUT, "/cards/v2/persons/{wallet}/cards/{cardId}/unblock", CARD_SCOPES);
    pub(crate) static CARD_DETAILS: Endpoint = write("E48", Method::PUT, "/cards/v1/cards/{cardId}/details", CARD_SCOPES);
    pub(crate) static CARD_RENAME: Endpoint = write("E49", Method::PUT, "/cards/v1/cards/{cardId}/alias", CARD_SCOPES);
    pub(crate) static HOOK_REGISTER: Endpoint = write("E50", Method::PUT, "/payment-notifier/v1/hooks", &[PaymentsWithoutSms]);
    pub(crate) static HOOK_DELETE: Endpoint = write("E51", Method::DELETE, "/payment-notifier/v1/hooks/{hookId}", &[PaymentsWithoutSms]);
    pub(crate) static HOOK_KEY: Endpoint = read("E52", "/payment-notifier/v1/hooks/{hookId}/key", &[PaymentsWithoutSms]).answers(&[201], AnswerBody::Json);
    pub(crate) static HOOK_NEW_KEY: Endpoint = write("E53", Method::POST, "/payment-notifier/v1/hooks/{hookId}/newkey", &[PaymentsWithoutSms]).answers(&[201], AnswerBody::Json);
    pub(crate) static HOOK_ACTIVE: Endpoint = read("E54", "/payment-notifier/v1/hooks/active", &[PaymentsWithoutSms]);
    pub(crate) static HOOK_TEST: Endpoint = read("E55", "/payment-notifier/v1/hooks/test", &[PaymentsWithoutSms]);
}
pub(crate) use table::*;
