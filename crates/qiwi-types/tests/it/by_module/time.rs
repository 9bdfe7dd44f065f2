use qiwi_types::time::*;

#[test]
fn naive_times_are_read_in_the_documented_zone() {
    // Paris is UTC+1 in winter and UTC+2 in summer.
    let winter = ApiTime::<Paris>::parse("2022-03-01 15:52:40");
    assert_eq!(
        winter.timestamp().unwrap().to_string(),
        "2022-03-01T14:52:40Z"
    );
    assert_eq!(winter.to_string(), "2022-03-01T15:52:40+01:00");
    let summer = ApiTime::<Paris>::parse("2024-07-01 12:00:00");
    assert_eq!(
        summer.timestamp().unwrap().to_string(),
        "2024-07-01T10:00:00Z"
    );
    let moscow = ApiTime::<Moscow>::parse("2019-11-01T10:00:00");
    assert_eq!(
        moscow.timestamp().unwrap().to_string(),
        "2019-11-01T07:00:00Z"
    );
    // A naive time that the clocks skipped (Paris, 31 March 2024, 02:00 to 03:00) is read
    // as the clocks would have shown it an hour later; one they showed twice, as the first.
    let gap = ApiTime::<Paris>::parse("2024-03-31 02:30:00");
    assert_eq!(gap.timestamp().unwrap().to_string(), "2024-03-31T01:30:00Z");
    let fold = ApiTime::<Paris>::parse("2024-10-27 02:30:00");
    assert_eq!(
        fold.timestamp().unwrap().to_string(),
        "2024-10-27T00:30:00Z"
    );
    // Neither a naive time nor an instant.
    assert_eq!(
        ApiTime::<Paris>::parse("2024-03-31 25:00:00").timestamp(),
        None
    );
    assert_eq!(ApiTime::<Paris>::parse("31.03.2024").timestamp(), None);
}

#[test]
fn times_with_an_offset_keep_their_instant() {
    let t = ApiTime::<Moscow>::parse("2017-01-21T11:41:07+03:00");
    assert_eq!(t.timestamp().unwrap().to_string(), "2017-01-21T08:41:07Z");
    let z = ApiTime::<Moscow>::parse("2017-07-27T06:51:06.099Z");
    assert_eq!(
        z.timestamp().unwrap().to_string(),
        "2017-07-27T06:51:06.099Z"
    );
    assert_eq!(z.to_string(), "2017-07-27T09:51:06.099+03:00");
    assert_eq!(
        ApiTime::<Paris>::parse("2021-03-31T09:50:02+00:00"),
        ApiTime::<Paris>::parse("2021-03-31 11:50:02")
    );
}

#[test]
fn unreadable_text_is_kept_not_an_error() {
    for raw in ["0000-00-00 00:00:00", "2019-11-01T:00:00", "", "yesterday"] {
        let t: ApiTime<Paris> = serde_json::from_str(&format!("{raw:?}")).unwrap();
        assert_eq!(t.timestamp(), None, "{raw}");
        assert_eq!(t.raw(), raw);
        assert_eq!(serde_json::to_string(&t).unwrap(), format!("{raw:?}"));
    }
    assert_eq!(
        format!("{:?}", ApiTime::<Paris>::parse("0000-00-00 00:00:00")),
        r#"ApiTime(unparsed "0000-00-00 00:00:00")"#
    );
}

#[test]
fn built_from_an_instant_it_writes_the_zone_offset() {
    let t = ApiTime::<Moscow>::from_timestamp("2020-01-01T00:00:00Z".parse().unwrap());
    assert_eq!(t.raw(), "2020-01-01T03:00:00+03:00");
}
