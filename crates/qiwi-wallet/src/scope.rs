//! Token permissions (scopes) and the endpoints that need them.

use std::fmt;

/// A permission chosen when a token is issued, named by its label on qiwi.com/api.
///
/// A call whose token lacks the needed permission is answered with HTTP 403, which the client
/// reports as [`Error::Permission`](crate::Error::Permission) naming the permission.
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

/// One endpoint of the API: its reference id, the path template used in tracing, and the
/// permission it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Endpoint {
    /// The reference id (`E10`).
    pub(crate) id: &'static str,
    /// The path template, without identifiers.
    pub(crate) route: &'static str,
    /// The permission the token needs.
    pub(crate) scope: TokenScope,
}

macro_rules! endpoints {
    ($($name:ident = $id:literal, $route:literal, $scope:ident;)+) => {
        $(pub(crate) const $name: Endpoint = Endpoint {
            id: $id,
            route: $route,
            scope: TokenScope::$scope,
        };)+
    };
}

endpoints! {
    PROFILE = "E01", "/person-profile/v1/profile/current", ProfileInfo;
    IDENTIFY = "E02", "/identification/v1/persons/{wallet}/identification", ProfileInfo;
    IDENTIFICATION = "E03", "/identification/v1/persons/{wallet}/identification", ProfileInfo;
    DOWNGRADE_START = "E04", "/qw-ident-downgrade-api/v1/persons/{wallet}/identification-downgrade/operations", ProfileInfo;
    DOWNGRADE_CONFIRM = "E05", "/qw-ident-downgrade-api/v1/persons/{wallet}/identification-downgrade/operations/{downgradeOperationId}/confirm", ProfileInfo;
    DOWNGRADE_STATUS = "E06", "/qw-ident-downgrade-api/v1/persons/{wallet}/identification-downgrade/operations/{downgradeOperationId}", ProfileInfo;
    ACTUAL_LIMITS = "E07", "/qw-limits/v1/persons/{personId}/actual-limits", ProfileInfo;
    P2P_COUNT = "E08", "/qw-limits/v1/persons/{personId}/p2p-payment-count-limit", ProfileInfo;
    RESTRICTIONS = "E09", "/person-profile/v1/persons/{personId}/status/restrictions", ProfileInfo;
    ACCOUNTS = "E10", "/funding-sources/v2/persons/{personId}/accounts", Balance;
    CREATE_ACCOUNT = "E11", "/funding-sources/v2/persons/{personId}/accounts", Balance;
    ACCOUNT_OFFERS = "E12", "/funding-sources/v2/persons/{personId}/accounts/offer", Balance;
    SET_DEFAULT_ACCOUNT = "E13", "/funding-sources/v2/persons/{personId}/accounts/{accountAlias}", Balance;
    HISTORY = "E14", "/payment-history/v2/persons/{wallet}/payments", PaymentHistory;
    HISTORY_TOTALS = "E15", "/payment-history/v2/persons/{wallet}/payments/total", PaymentHistory;
    TRANSACTION = "E16", "/payment-history/v2/transactions/{transactionId}", PaymentHistory;
    RECEIPT_FILE = "E17", "/payment-history/v1/transactions/{transactionId}/cheque/file", PaymentHistory;
    RECEIPT_SEND = "E18", "/payment-history/v1/transactions/{transactionId}/cheque/send", PaymentHistory;
}
