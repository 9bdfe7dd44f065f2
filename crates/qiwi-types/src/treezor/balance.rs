//! The balance of a wallet, as `GET /v1/balances` and the `balance.update` webhook give it.

use crate::money::decimal_opt;
use crate::{ApiTime, Currency, Decimal, Paris};
use serde::{Deserialize, Serialize};

use super::WalletId;

/// The balance of one wallet.
///
/// Amounts are read exactly from JSON numbers (`280`, `4002.5`) or strings (`"5.76"`, as
/// webhooks write them); `null` and `""` are absent (`None`), never zero. Treezor states
/// `current_balance = authorized_balance + authorizations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Balance {
    /// The wallet (a number in REST answers, a string in webhooks).
    pub wallet_id: WalletId,
    /// Money on the wallet, not counting pending operations.
    #[serde(with = "decimal_opt", default)]
    pub current_balance: Option<Decimal>,
    /// The total of pending operations (card authorizations not yet settled).
    #[serde(with = "decimal_opt", default)]
    pub authorizations: Option<Decimal>,
    /// The current balance minus pending operations: the figure usually shown to end users.
    #[serde(with = "decimal_opt", default)]
    pub authorized_balance: Option<Decimal>,
    /// The wallet's currency (ISO 4217, normally `EUR`; a numeric code is kept as written).
    pub currency: Currency,
    /// When the balance was last computed. Written `YYYY-MM-DD HH:mm:ss` without a zone and read
    /// as Europe/Paris time; `0000-00-00 00:00:00` keeps its raw text with no instant.
    #[serde(default)]
    pub calculation_date: Option<ApiTime<Paris>>,
}

/// The body of `GET /v1/balances` and the `object_payload` of `balance.update`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Balances {
    /// One balance per wallet.
    pub balances: Vec<Balance>,
}
