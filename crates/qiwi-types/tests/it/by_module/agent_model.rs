use qiwi_types::agent::model::*;

#[test]
fn txn_dates_are_read_in_moscow_and_keep_their_text() {
    let d = TxnDate::parse("02.03.2011 14:35:46");
    // Moscow was UTC+3 in winter 2011.
    assert_eq!(
        d.time().unwrap().timestamp().unwrap().to_string(),
        "2011-03-02T11:35:46Z"
    );
    for odd in [
        "",
        "2011-03-02 14:35:46",
        "32.13.2011 25:00:00",
        "02.03.2011",
        "02.03.2011 14:35",
    ] {
        let t = TxnDate::parse(odd);
        assert!(t.time().is_none(), "{odd}");
        assert_eq!(t.raw(), odd);
    }
}
