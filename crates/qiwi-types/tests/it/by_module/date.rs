use qiwi_types::date::*;

#[test]
fn caller_input_must_be_a_real_date() {
    assert!("1996-03-18".parse::<CalendarDate>().is_ok());
    for bad in [
        "1996-3-18",
        "18.03.1996",
        "1996-02-30",
        "",
        "1996-03-18T00:00",
    ] {
        let err = bad.parse::<CalendarDate>().unwrap_err().to_string();
        let why = err.contains("YYYY-MM-DD") || err.contains("does not exist");
        assert!(why, "{bad}: {err}");
    }
}

#[test]
fn wire_text_is_kept_whatever_it_is() {
    let odd: CalendarDate = serde_json::from_str(r#""xxxx""#).unwrap();
    assert_eq!(odd.date(), None);
    assert_eq!(format!("{odd:?}"), r#"CalendarDate(unparsed "xxxx")"#);
    assert_eq!(serde_json::to_string(&odd).unwrap(), r#""xxxx""#);
    let good: CalendarDate = serde_json::from_str(r#""1984-01-09""#).unwrap();
    assert_eq!(format!("{good:?}"), "CalendarDate(1984-01-09)");
}

#[test]
fn only_real_yyyy_mm_dd_dates_pass() {
    for good in ["2024-02-29", "2021-11-01", "2025-12-31", "0001-01-01"] {
        assert_eq!(CalendarDate::parse(good).unwrap().to_string(), good);
    }
    #[rustfmt::skip]
    let bad = [
        ("", "YYYY-MM-DD"), ("2024-1-05", "YYYY-MM-DD"), ("2024/01/05", "YYYY-MM-DD"),
        ("05-01-2024", "YYYY-MM-DD"), ("2024-01-05T00:00:00", "YYYY-MM-DD"),
        (" 2024-01-05", "YYYY-MM-DD"), ("2024-01-05Z", "YYYY-MM-DD"), ("+024-01-05", "YYYY-MM-DD"),
        ("２０２４-01-05", "YYYY-MM-DD"), ("2023-02-29", "does not exist"),
        ("2024-13-01", "does not exist"), ("2024-00-10", "does not exist"),
        ("2024-04-31", "does not exist"), ("0000-01-01", "does not exist"),
    ];
    for (text, why) in bad {
        let err = CalendarDate::parse(text).expect_err(text).to_string();
        assert!(err.contains(why), "{text}: {err}");
        assert!(err.starts_with("invalid date: the date"), "{err}");
    }
}

#[test]
fn from_parts_of_year_one_or_later() {
    assert!(CalendarDate::new(2023, 2, 29).is_err());
    assert!(CalendarDate::new(0, 1, 1).is_err());
    assert_eq!(
        CalendarDate::new(2024, 2, 29).unwrap().to_string(),
        "2024-02-29"
    );
}
