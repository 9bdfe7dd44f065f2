//! Payments (`sinap`, E19 to E35 of the reference): the payment request and its answer, the
//! refusal of a rejected payment, and the helpers around a payment (commission quote, cross
//! rates, provider search, mobile operator and card provider lookups).
//!
//! The request types write exactly what the reference's Payment model asks for: `sum.amount` as
//! a JSON number with its exact digits, `sum.currency` and `paymentMethod.accountId` as numeric
//! strings (`"643"`), every requisite in `fields` as a string. Card numbers never appear whole in
//! `Debug`.

mod body;
mod lookup;
mod rejection;

pub use body::{
    PaymentFields, PaymentId, PaymentInfo, PaymentMethod, PaymentRequest, PaymentSum,
    PaymentTransaction, TransactionState, TransactionStateCode,
};
pub use lookup::{
    CardProviderRequest, Commission, CommissionRequest, CrossRate, CrossRates, KzCardRequest,
    MobileProvider, MobileProviders, ProviderCategory, ProviderData, ProviderItemType,
    ProviderSearch, ProviderSearchItem, PurchaseTotals, RefElement, RefElements,
};
pub use rejection::{PaymentRejection, QwprcCode, RejectionMeaning};
