use qiwi_types::Currency;

use qiwi_types::wallet::account::*;

fn account(has_balance: bool, balance: &str) -> Account {
    let json = format!(
        r#"{{"alias": "qw_wallet_rub", "fsAlias": "qb_wallet", "bankAlias": "QIWI", "title": "WALLET",
           "type": {{"id": "WALLET", "title": "QIWI Wallet"}}, "hasBalance": {has_balance},
           "balance": {balance}, "currency": 643}}"#
    );
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{balance}: {e}"))
}

#[test]
fn null_and_empty_balances_are_unknown_only_when_the_account_has_one() {
    assert_eq!(account(true, "null").balance, Balance::Unknown);
    assert_eq!(account(true, "{}").balance, Balance::Unknown);
    assert_eq!(
        account(true, r#"{"amount": null}"#).balance,
        Balance::Unknown
    );
    assert_eq!(account(false, "null").balance, Balance::NotApplicable);
    assert_eq!(account(false, "{}").balance, Balance::NotApplicable);
    let known = account(true, r#"{"amount": "8.74", "currency": "643"}"#).balance;
    assert_eq!(known.money().unwrap().amount.to_string(), "8.74");
    assert_eq!(known.money().unwrap().currency, Currency::RUB);
}

#[test]
fn a_balance_without_currency_takes_the_account_currency() {
    let balance = account(true, r#"{"amount": 1.5}"#).balance;
    assert_eq!(balance.money().unwrap().currency, Currency::RUB);
}

#[test]
fn a_missing_balance_key_reads_like_null() {
    let json = r#"{"alias": "a", "fsAlias": "f", "bankAlias": "QIWI", "title": "MC",
        "type": {"id": "MC", "title": "t"}, "hasBalance": false, "currency": 643}"#;
    let a: Account = serde_json::from_str(json).unwrap();
    assert_eq!(a.balance, Balance::NotApplicable);
}

#[test]
fn offers_skip_empty_objects_and_reject_half_entries() {
    let offers: AccountOffers =
        serde_json::from_str(r#"[{"alias": "qw_wallet_eur", "currency": 978}, {}]"#).unwrap();
    assert_eq!(offers.0.len(), 1);
    let err = serde_json::from_str::<AccountOffers>(r#"[{"alias": "qw_wallet_eur"}]"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("no currency"), "{err}");
}

#[test]
fn offers_are_read_bare_or_wrapped_in_an_object() {
    let bare: AccountOffers =
        serde_json::from_str(r#"[{"alias": "qw_wallet_eur", "currency": 978}]"#).unwrap();
    for wrapped in [
        r#"{"offers": [{"alias": "qw_wallet_eur", "currency": 978}, {}]}"#,
        r#"{"total": 1, "next": null, "meta": {"a": [1]}, "accounts": [{"alias": "qw_wallet_eur", "currency": "978"}], "ok": true, "note": "x"}"#,
    ] {
        let offers: AccountOffers = serde_json::from_str(wrapped).unwrap();
        assert_eq!(offers, bare, "{wrapped}");
    }
    for bad in [
        r#"{"a": [], "b": []}"#,
        r#"{"total": 0}"#,
        r#"{"offers": [{"alias": "qw_wallet_eur"}]}"#,
        r#""offers""#,
    ] {
        assert!(serde_json::from_str::<AccountOffers>(bad).is_err(), "{bad}");
    }
}
