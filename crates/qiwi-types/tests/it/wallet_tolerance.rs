//! The QIWI Wallet models tolerate what the reference's closing list of contradictions (§14)
//! and its table of real-response fields (§15) say the servers send. Each test names the item.

use qiwi_types::wallet::{
    AccountOffers, Accounts, ActualLimits, Balance, Identification, IdentificationLevel, LimitType,
    Profile, Restriction, RestrictionCode,
};
use qiwi_types::{Currency, Decimal};

fn read<T: serde::de::DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}\n{json}"))
}

fn limit_json(rest: &str, max: &str, spent: &str, currency: &str) -> String {
    format!(
        r#"{{"limits": {{"RU": [{{"type": "TURNOVER", "currency": {currency}, "rest": {rest}, "max": {max}, "spent": {spent},
           "interval": {{"dateFrom": "2019-11-01T:00:00", "dateTill": "2019-12-01T00:00"}}}}]}}}}"#
    )
}

#[test]
fn limits_amounts_read_numbers_and_strings_exactly() {
    // §14 item 10, §15: `max`/`spent` typed String, `rest` typed Boolean, all numbers in practice.
    for (rest, max, spent) in [
        ("200.00", "40000.00", "39800.00"),
        (r#""200.00""#, r#""40000.00""#, r#""39800.00""#),
        ("200.00", r#""40000.00""#, "39800.00"),
    ] {
        let limits: ActualLimits = read(&limit_json(rest, max, spent, r#""RUB""#));
        let limit = &limits.limits["RU"][0];
        assert_eq!(limit.rest, Decimal::new(20000, 2));
        assert_eq!(limit.rest.to_string(), "200.00");
        assert_eq!(limit.max.to_string(), "40000.00");
        assert_eq!(limit.spent.to_string(), "39800.00");
        assert_eq!(limit.max - limit.spent, limit.rest);
    }
}

#[test]
fn a_boolean_rest_is_a_clear_error_not_a_guess() {
    let err = serde_json::from_str::<ActualLimits>(&limit_json(
        "true", "40000.00", "39800.00", r#""RUB""#,
    ))
    .unwrap_err()
    .to_string();
    assert!(err.contains("amount"), "{err}");
}

#[test]
fn limits_currency_reads_alpha_numeric_and_string_codes() {
    // §14 item 10: `"RUB"` here, numeric codes elsewhere.
    for currency in [r#""RUB""#, "643", r#""643""#] {
        let limits: ActualLimits = read(&limit_json("1", "2", "1", currency));
        assert_eq!(limits.limits["RU"][0].currency, Currency::RUB, "{currency}");
    }
}

#[test]
fn malformed_interval_dates_keep_their_raw_text() {
    // §14 item 11.
    let limits: ActualLimits = read(&limit_json("1", "2", "1", r#""RUB""#));
    let interval = limits.limits["RU"][0].interval.as_ref().unwrap();
    let from = interval.date_from.as_ref().unwrap();
    assert_eq!(from.raw(), "2019-11-01T:00:00");
    assert_eq!(from.timestamp(), None);
    let till = interval.date_till.as_ref().unwrap();
    assert_eq!(till.raw(), "2019-12-01T00:00");
}

#[test]
fn limits_tolerate_a_missing_interval_and_unknown_types() {
    let limits: ActualLimits = read(
        r#"{"limits": {"RU": [{"type": "CRYPTO", "currency": "RUB", "rest": 1, "max": 1, "spent": 0}]}}"#,
    );
    let limit = &limits.limits["RU"][0];
    assert_eq!(limit.limit_type, LimitType::Unknown("CRYPTO".into()));
    assert!(limit.interval.is_none());
}

#[test]
fn ids_read_numbers_and_strings() {
    // §14 item 27 (type drift): wallet numbers come as numbers; accept strings too.
    let json = |id: &str| {
        format!(
            r#"{{"birthDate": "1996-03-18", "firstName": "И", "id": {id}, "lastName": "И",
                "middleName": "И", "passport": "43***11", "type": "VERIFIED"}}"#
        )
    };
    let a: Identification = read(&json("79111234567"));
    let b: Identification = read(&json(r#""79111234567""#));
    assert_eq!(a.id, b.id);
    let profile: Profile = read(
        r#"{"contractInfo": {"blocked": false, "contractId": "79111234567"},
            "userInfo": {"firstTxnId": "10807097143", "defaultPaySource": "7"}}"#,
    );
    let user = profile.user_info.unwrap();
    assert_eq!(user.first_txn_id.as_deref(), Some("10807097143"));
    assert_eq!(user.default_pay_source.as_deref(), Some("7"));
}

#[test]
fn unknown_enum_values_are_kept() {
    let identification: Identification = read(
        r#"{"birthDate": "1996-03-18", "firstName": "И", "id": 79111234567, "lastName": "И",
            "middleName": "И", "passport": "1", "type": "PLATINUM"}"#,
    );
    assert_eq!(
        identification.level,
        IdentificationLevel::Unknown("PLATINUM".into())
    );
    let restrictions: Vec<Restriction> =
        read(r#"[{"restrictionCode": "INCOMING_PAYMENTS", "restrictionDescription": "x"}]"#);
    assert!(restrictions[0].restriction_code.is_unknown());
    let known: Vec<Restriction> = read(r#"[{"restrictionCode": "OUTGOING_PAYMENTS"}]"#);
    assert_eq!(known[0].restriction_code, RestrictionCode::OutgoingPayments);
}

#[test]
fn missing_optional_profile_sections_are_none() {
    // E01: each section may be missing depending on the `...Enabled` flags; §15: a client that
    // requires `smsNotification` fails on profiles fetched with `contractInfoEnabled=false`.
    let profile: Profile = read("{}");
    assert!(profile.auth_info.is_none() && profile.contract_info.is_none());
    let profile: Profile =
        read(r#"{"contractInfo": {"blocked": false, "contractId": 79111234567}}"#);
    let contract = profile.contract_info.unwrap();
    assert!(contract.sms_notification.is_none() && contract.nickname.is_none());
    assert!(contract.identification_info.is_none());
}

#[test]
fn inn_snils_oms_null_or_empty_are_none() {
    // §14 item 7, §15.
    for blank in ["null", r#""""#] {
        let json = format!(
            r#"{{"birthDate": "1996-03-18", "firstName": "И", "id": 79111234567, "lastName": "И",
                "middleName": "И", "passport": "1", "type": "SIMPLE", "inn": {blank}, "snils": {blank}, "oms": {blank}}}"#
        );
        let identification: Identification = read(&json);
        assert_eq!(identification.inn, None, "{blank}");
        assert_eq!(identification.snils, None, "{blank}");
        assert_eq!(identification.oms, None, "{blank}");
    }
}

#[test]
fn balances_currency_reads_number_string_and_alpha() {
    let json = |currency: &str| {
        format!(
            r#"{{"accounts": [{{"alias": "qw_wallet_rub", "fsAlias": "qb_wallet", "bankAlias": "QIWI",
               "title": "WALLET", "type": {{"id": "WALLET", "title": "QIWI Wallet"}}, "hasBalance": true,
               "balance": {{"amount": 8.74, "currency": {currency}}}, "currency": {currency}}}]}}"#
        )
    };
    for currency in ["643", r#""643""#, r#""RUB""#] {
        let accounts: Accounts = read(&json(currency));
        let account = &accounts.accounts[0];
        assert_eq!(account.currency, Currency::RUB);
        assert_eq!(
            account.balance.money().unwrap().currency,
            Currency::RUB,
            "{currency}"
        );
    }
}

#[test]
fn null_and_empty_balances_with_has_balance_are_unknown() {
    // §7 retry rule, §14 item 13, §15.
    let accounts: Accounts = read(include_str!(
        "../fixtures/wallet/e10_accounts/tolerance_unknown_balances_null_and_empty_object.json"
    ));
    let unknown: Vec<&str> = accounts
        .unknown_balances()
        .map(|a| a.alias.as_str())
        .collect();
    assert_eq!(unknown, ["qw_wallet_rub", "qw_wallet_eur"]);
    let mts: Accounts = read(include_str!(
        "../fixtures/wallet/e10_accounts/s15_default_account_and_mc_mts.json"
    ));
    assert_eq!(
        mts.get("mc_mts_rub").unwrap().balance,
        Balance::NotApplicable
    );
    assert_eq!(mts.unknown_balances().count(), 0);
    assert_eq!(
        mts.default_account().unwrap().alias.as_str(),
        "qw_wallet_rub"
    );
}

#[test]
fn the_invalid_offer_example_reads_as_an_array() {
    // §14 item 15.
    let offers: AccountOffers = read(include_str!(
        "../fixtures/wallet/e12_account_offers/seed000_outer_braces_replaced_by_brackets.json"
    ));
    assert_eq!(offers.0.len(), 1);
    assert_eq!(offers.0[0].alias.as_str(), "qw_wallet_eur");
    assert_eq!(offers.0[0].currency, Currency::EUR);
}

#[test]
fn free_form_profile_objects_are_kept() {
    // §15: `authInfo.emailSettings` is free-form; `contractInfo.features` is undocumented.
    let profile: Profile = read(include_str!(
        "../fixtures/wallet/e01_profile/s15_extra_fields.json"
    ));
    let auth = profile.auth_info.unwrap();
    let settings = auth.email_settings.unwrap();
    assert_eq!(
        settings["notifications"].get("payments"),
        Some(&qiwi_types::wallet::JsonValue::Bool(true))
    );
    let contract = profile.contract_info.unwrap();
    assert_eq!(contract.features.unwrap().len(), 1);
    let sms = contract.sms_notification.unwrap();
    assert_eq!(sms.price.unwrap().amount.to_string(), "59.00");
    assert_eq!(
        profile
            .user_info
            .unwrap()
            .default_pay_account_alias
            .unwrap()
            .as_str(),
        "qw_wallet_rub"
    );
}
