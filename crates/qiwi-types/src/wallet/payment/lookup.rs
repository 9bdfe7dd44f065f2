//! What a payment is prepared with: the commission quote (E19), cross rates (E24), the card
//! provider lookups (E27, E28), provider search (E34) and the mobile operator of a phone (E35).
//! The wallet's nickname (E20) has the shape of the profile's [`Nickname`](crate::wallet::Nickname).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::body::{PaymentMethod, PaymentSum};
use crate::{CardNumber, Currency, Decimal, Money, card::mask_card};

/// `purchaseTotals` of a commission request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseTotals {
    /// The amount to pay.
    pub total: PaymentSum,
}

/// The E19 request body: what the commission of a payment would be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommissionRequest {
    /// The recipient, as the provider's `fields.account`.
    pub account: String,
    /// The account the money would come from.
    pub payment_method: PaymentMethod,
    /// The amount.
    pub purchase_totals: PurchaseTotals,
}

/// The E19 answer: what the payment would take from the wallet and what the recipient would get.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Commission {
    /// The provider quoted.
    #[serde(with = "crate::lenient::text")]
    pub provider_id: String,
    /// Taken from the wallet: amount plus commission.
    pub withdraw_sum: Money,
    /// Credited to the recipient.
    pub enrollment_sum: Money,
    /// QIWI's commission: the commission of the payment.
    pub qw_commission: Money,
    /// The funding source's commission.
    #[serde(default)]
    pub funding_source_commission: Option<Money>,
    /// The rate from the withdrawn to the credited currency.
    #[serde(with = "crate::money::decimal_opt", default)]
    pub withdraw_to_enrollment_rate: Option<Decimal>,
}

/// One cross rate of E24.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrossRate {
    /// The rate set (`"General"`).
    #[serde(default)]
    pub set: Option<String>,
    /// The currency converted from.
    pub from: Currency,
    /// The currency converted to.
    pub to: Currency,
    /// Units of `to` per unit of `from`.
    #[serde(with = "crate::money::decimal")]
    pub rate: Decimal,
}

/// The E24 answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrossRates {
    /// The rates.
    pub result: Vec<CrossRate>,
}

impl CrossRates {
    /// The rate from `from` to `to`, when listed.
    pub fn rate(&self, from: &Currency, to: &Currency) -> Option<Decimal> {
        self.result
            .iter()
            .find(|r| &r.from == from && &r.to == to)
            .map(|r| r.rate)
    }
}

/// The E27 request body: the card number with a space after every four digits. `Debug` masks it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardProviderRequest {
    /// `"1234 1234 1234 1238"`.
    pub account: String,
}

impl CardProviderRequest {
    /// The lookup of a card's provider id.
    pub fn new(card: &CardNumber) -> Self {
        let digits: Vec<char> = card.as_str().chars().collect();
        let groups: Vec<String> = digits.chunks(4).map(|c| c.iter().collect()).collect();
        Self {
            account: groups.join(" "),
        }
    }
}

impl fmt::Debug for CardProviderRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits: String = self
            .account
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        write!(f, "CardProviderRequest({})", mask_card(&digits))
    }
}

/// The E28 request body: the preparation of a Kazakhstan card transfer. `Debug` masks the card.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KzCardRequest {
    /// The card, no spaces.
    pub card_number: String,
    /// `"2"`.
    pub version: String,
    /// `"100"`.
    pub transfer_sum: String,
    /// `"sinap"`.
    pub src: String,
}

impl KzCardRequest {
    /// The constants the reference gives, for `card`.
    pub fn new(card: &CardNumber) -> Self {
        Self {
            card_number: card.as_str().to_owned(),
            version: "2".to_owned(),
            transfer_sum: "100".to_owned(),
            src: "sinap".to_owned(),
        }
    }
}

impl fmt::Debug for KzCardRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KzCardRequest")
            .field("card_number", &mask_card(&self.card_number))
            .field("version", &self.version)
            .field("transfer_sum", &self.transfer_sum)
            .field("src", &self.src)
            .finish()
    }
}

/// One element of an E27 or E28 answer (`{"type": "field", "name": ..., "value": ...}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefElement {
    /// `"field"`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// The field's name (`termsId`, `account`, `ev_account1`).
    pub name: String,
    /// Its value.
    #[serde(with = "crate::lenient::text_opt", default)]
    pub value: Option<String>,
}

/// The E27 and E28 answers: a list of named fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefElements {
    /// The fields.
    pub elements: Vec<RefElement>,
}

impl RefElements {
    /// The value of the field `name`.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.elements
            .iter()
            .find(|e| e.name == name)
            .and_then(|e| e.value.as_deref())
    }

    /// E27's answer: the card's provider id (`termsId`).
    pub fn terms_id(&self) -> Option<&str> {
        self.field("termsId")
    }
}

crate::open_enum! {
    /// `items[].data.type` of a provider search.
    pub enum ProviderItemType {
        /// A payment provider.
        Provider = "PROVIDER",
    }
}

/// `items[].data.category`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderCategory {
    /// The category's name.
    #[serde(default)]
    pub name: Option<String>,
}

/// `items[].data`: the provider found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderData {
    /// The provider id to pay.
    #[serde(with = "crate::lenient::text")]
    pub id: String,
    /// Its logo.
    #[serde(default)]
    pub logo_url: Option<String>,
    /// Its web site.
    #[serde(default)]
    pub site_url: Option<String>,
    /// Its category.
    #[serde(default)]
    pub category: Option<ProviderCategory>,
    /// `PROVIDER`.
    #[serde(rename = "type", default)]
    pub kind: Option<ProviderItemType>,
}

/// One result of a provider search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderSearchItem {
    /// The provider's name.
    pub name: String,
    /// Its description.
    #[serde(default)]
    pub description: Option<String>,
    /// `null` in the example.
    #[serde(default)]
    pub uri: Option<String>,
    /// The provider.
    pub data: ProviderData,
}

/// The E34 answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderSearch {
    /// The providers found.
    pub items: Vec<ProviderSearchItem>,
}

/// One mobile operator of E35.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MobileProvider {
    /// The provider id to top the phone up with (E25).
    #[serde(with = "crate::lenient::text")]
    pub id: String,
    /// The operator's name.
    #[serde(default)]
    pub short_name: Option<String>,
    /// Its logo.
    #[serde(default)]
    pub logo_url: Option<String>,
}

/// The E35 answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MobileProviders {
    /// The operators of the phone number.
    pub mobile_operator_provider_list: Vec<MobileProvider>,
}
