use qiwi_types::excerpt::*;

#[test]
fn keeps_short_text_and_cuts_long_text_on_character_boundaries() {
    let exact = "я".repeat(MAX_QUOTED_CHARS);
    assert_eq!(excerpt(&exact), exact);
    let long = format!("{}{}", "я".repeat(1000), "end");
    let cut = excerpt(&long);
    assert!(cut.starts_with(&"я".repeat(200)), "{cut}");
    assert!(cut.ends_with("end"), "{cut}");
    assert!(cut.contains("…[703 characters left out]…"), "{cut}");
    assert_eq!(
        cut.chars().count(),
        MAX_QUOTED_CHARS + "…[703 characters left out]…".chars().count()
    );
}
