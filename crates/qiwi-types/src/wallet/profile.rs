//! The wallet owner's profile (E01).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::account::AccountAlias;
use super::identification::IdentificationLevel;
use super::json_value::JsonValue;
use crate::{ApiTime, Currency, Money, Moscow, WalletNumber};

/// Which parts of the profile to ask for (the `authInfoEnabled`, `contractInfoEnabled` and
/// `userInfoEnabled` query flags of E01). The server's default, and [`ProfileSections::ALL`],
/// is all three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileSections {
    /// Include `authInfo` (`authInfoEnabled`).
    #[serde(rename = "authInfoEnabled")]
    pub auth_info: bool,
    /// Include `contractInfo` (`contractInfoEnabled`).
    #[serde(rename = "contractInfoEnabled")]
    pub contract_info: bool,
    /// Include `userInfo` (`userInfoEnabled`).
    #[serde(rename = "userInfoEnabled")]
    pub user_info: bool,
}

impl ProfileSections {
    /// Every section.
    pub const ALL: ProfileSections = ProfileSections {
        auth_info: true,
        contract_info: true,
        user_info: true,
    };

    /// The query pairs, in the order the reference lists them.
    ///
    /// ```
    /// use qiwi_types::wallet::ProfileSections;
    ///
    /// let sections = ProfileSections { auth_info: false, ..ProfileSections::ALL };
    /// assert_eq!(
    ///     sections.query_pairs(),
    ///     [("authInfoEnabled", "false"), ("contractInfoEnabled", "true"), ("userInfoEnabled", "true")]
    /// );
    /// ```
    pub fn query_pairs(&self) -> [(&'static str, &'static str); 3] {
        let flag = |on: bool| if on { "true" } else { "false" };
        [
            ("authInfoEnabled", flag(self.auth_info)),
            ("contractInfoEnabled", flag(self.contract_info)),
            ("userInfoEnabled", flag(self.user_info)),
        ]
    }
}

impl Default for ProfileSections {
    fn default() -> Self {
        Self::ALL
    }
}

/// The profile (E01). Each part is absent when it was not asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// Sign-in settings (`authInfo`).
    #[serde(default)]
    pub auth_info: Option<AuthInfo>,
    /// The wallet itself (`contractInfo`).
    #[serde(default)]
    pub contract_info: Option<ContractInfo>,
    /// Other user data (`userInfo`).
    #[serde(default)]
    pub user_info: Option<UserInfo>,
}

/// Sign-in settings (`authInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthInfo {
    /// The wallet number.
    pub person_id: WalletNumber,
    /// When the wallet was registered.
    #[serde(default)]
    pub registration_date: Option<ApiTime<Moscow>>,
    /// The e-mail bound to the wallet; `null` when none is.
    #[serde(default)]
    pub bound_email: Option<String>,
    /// The IP address of the last session.
    #[serde(default)]
    pub ip: Option<String>,
    /// When the last session started.
    #[serde(default)]
    pub last_login_date: Option<ApiTime<Moscow>>,
    /// The mobile app's PIN.
    #[serde(default)]
    pub mobile_pin_info: Option<MobilePinInfo>,
    /// The qiwi.com password.
    #[serde(default)]
    pub pass_info: Option<PassInfo>,
    /// The self-service kiosk PIN.
    #[serde(default)]
    pub pin_info: Option<PinInfo>,
    /// E-mail settings, undocumented and free-form (§15): kept whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_settings: Option<BTreeMap<String, JsonValue>>,
}

/// The mobile app's PIN (`authInfo.mobilePinInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MobilePinInfo {
    /// Whether a PIN is used (in effect: whether the mobile app is used).
    #[serde(default)]
    pub mobile_pin_used: Option<bool>,
    /// When the PIN was last changed.
    #[serde(default)]
    pub last_mobile_pin_change: Option<ApiTime<Moscow>>,
    /// When the PIN is next to be changed.
    #[serde(default)]
    pub next_mobile_pin_change: Option<ApiTime<Moscow>>,
}

/// The qiwi.com password (`authInfo.passInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PassInfo {
    /// Whether a password is used (in effect: whether qiwi.com is used).
    #[serde(default)]
    pub password_used: Option<bool>,
    /// When the password was last changed.
    #[serde(default)]
    pub last_pass_change: Option<ApiTime<Moscow>>,
    /// When the password is next to be changed.
    #[serde(default)]
    pub next_pass_change: Option<ApiTime<Moscow>>,
}

/// The self-service kiosk PIN (`authInfo.pinInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PinInfo {
    /// Whether a kiosk PIN is used.
    #[serde(default)]
    pub pin_used: Option<bool>,
}

/// The wallet itself (`contractInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContractInfo {
    /// Whether the wallet is blocked.
    pub blocked: bool,
    /// The wallet number (a JSON number on the wire).
    pub contract_id: WalletNumber,
    /// When the wallet was created.
    #[serde(default)]
    pub creation_date: Option<ApiTime<Moscow>>,
    /// Service data of undocumented shape, kept whole.
    #[serde(default)]
    pub features: Option<Vec<JsonValue>>,
    /// The identification levels reached, per bank.
    #[serde(default)]
    pub identification_info: Option<Vec<IdentificationInfo>>,
    /// Paid SMS notifications (§15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_notification: Option<SmsNotification>,
    /// The wallet's nickname (§15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<Nickname>,
}

/// One identification level (`contractInfo.identificationInfo[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentificationInfo {
    /// The system that identified the owner, e.g. `QIWI`.
    #[serde(default)]
    pub bank_alias: Option<String>,
    /// The level reached.
    pub identification_level: IdentificationLevel,
    /// `true` when the owner's passport data is no longer valid.
    #[serde(default)]
    pub passport_expired: Option<bool>,
}

/// Paid SMS notifications (`contractInfo.smsNotification`, §15).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SmsNotification {
    /// The price of the service.
    #[serde(default)]
    pub price: Option<Money>,
    /// Whether the service is turned on.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Whether the service is active (paid up).
    #[serde(default)]
    pub active: Option<bool>,
    /// When the paid period ends; `null` when none is running.
    #[serde(default)]
    pub end_date: Option<ApiTime<Moscow>>,
}

/// The wallet's nickname (`contractInfo.nickname`, §15).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Nickname {
    /// The nickname; `null` when none is set.
    #[serde(default)]
    pub nickname: Option<String>,
    /// Whether the nickname may be changed.
    #[serde(default)]
    pub can_change: Option<bool>,
    /// Whether the nickname may be used.
    #[serde(default)]
    pub can_use: Option<bool>,
    /// A human-readable description.
    #[serde(default)]
    pub description: Option<String>,
}

/// Other user data (`userInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    /// The default payment currency.
    #[serde(default)]
    pub default_pay_currency: Option<Currency>,
    /// Service data: the default payment source (a number on the wire).
    #[serde(default, with = "crate::lenient::text_opt")]
    pub default_pay_source: Option<String>,
    /// The alias of the default account (§15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_pay_account_alias: Option<AccountAlias>,
    /// The user's e-mail; `null` when none is known.
    #[serde(default)]
    pub email: Option<String>,
    /// The id of the first transaction after registration (a number on the wire).
    #[serde(default, with = "crate::lenient::text_opt")]
    pub first_txn_id: Option<String>,
    /// Service data: the interface language.
    #[serde(default)]
    pub language: Option<String>,
    /// The mobile operator of the wallet's phone number.
    #[serde(default)]
    pub operator: Option<String>,
    /// Service data: a hash of the phone number.
    #[serde(default)]
    pub phone_hash: Option<String>,
    /// Service data, documented as a string and `null` in the example; kept as text.
    #[serde(default, with = "crate::lenient::scalar_text_opt")]
    pub promo_enabled: Option<String>,
}
