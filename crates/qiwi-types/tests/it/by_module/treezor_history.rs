use qiwi_types::treezor::history::*;

fn history(json: &str) -> BalanceHistory {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

#[test]
fn points_are_sorted_whatever_the_key_format() {
    let h = history(
        r#"{
            "2021-03-31T09:50:02+00:00": {"solde": 51.25, "authorizedBalance": 51.25, "currency": "EUR"},
            "2021-02-04 13:20:02": {"solde": "170.00", "authorizedBalance": 170.00, "currency": "EUR"},
            "0000-00-00 00:00:00": {"solde": null, "authorizedBalance": "", "currency": "EUR"},
            "2021-03-31 10:00:00": {"solde": 1, "authorizedBalance": 1, "currency": "EUR"}
        }"#,
    );
    let keys: Vec<_> = h.points.iter().map(BalancePoint::key).collect();
    assert_eq!(
        keys,
        [
            "2021-02-04 13:20:02",
            // 10:00 Paris (UTC+2 in summer) is 08:00 UTC, before 09:50 UTC.
            "2021-03-31 10:00:00",
            "2021-03-31T09:50:02+00:00",
            "0000-00-00 00:00:00",
        ]
    );
    assert_eq!(h.points[0].balance.unwrap().to_string(), "170.00");
    assert_eq!(h.points[3].balance, None);
    assert_eq!(h.points[3].authorized_balance, None);
    assert_eq!(h.latest().unwrap().key(), "2021-03-31T09:50:02+00:00");
}

#[test]
fn empty_forms_and_duplicates() {
    assert!(history("{}").points.is_empty());
    assert!(
        history("[]").points.is_empty(),
        "PHP writes an empty map as []"
    );
    assert!(serde_json::from_str::<BalanceHistory>("[1]").is_err());
    assert!(serde_json::from_str::<BalanceHistory>("null").is_err());
    let dup = history(
        r#"{"2025-01-09 11:46:44": {"solde": 1, "currency": "EUR"},
            "2025-01-09 11:46:44": {"solde": 2, "currency": "EUR"}}"#,
    );
    assert_eq!(
        dup.points.len(),
        2,
        "a repeated key is kept, not silently dropped"
    );
}
