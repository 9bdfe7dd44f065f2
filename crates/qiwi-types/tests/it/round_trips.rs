//! Values read from the wire write a form that reads back as the same value.

use qiwi_types::{ApiTime, Moscow, Paris};

/// A time in local mean time (Paris before 1911: +00:09:21) was written with the offset cut to
/// whole minutes, which names an instant 21 seconds away.
#[test]
fn a_time_in_local_mean_time_writes_the_same_instant() {
    for raw in ["\"0022-03-01 15:53:01\"", "\"1900-06-01T12:00:00\""] {
        let paris: ApiTime<Paris> = serde_json::from_str(raw).unwrap();
        let written = serde_json::to_string(&paris).unwrap();
        let again: ApiTime<Paris> = serde_json::from_str(&written).unwrap();
        assert_eq!(
            again.timestamp(),
            paris.timestamp(),
            "{raw} written {written}"
        );
        let built = ApiTime::<Paris>::from_timestamp(paris.timestamp().unwrap());
        assert_eq!(
            ApiTime::<Paris>::parse(built.raw()),
            paris,
            "{}",
            built.raw()
        );
    }
    let moscow: ApiTime<Moscow> = serde_json::from_str("\"1870-01-01 00:00:00\"").unwrap();
    let written = serde_json::to_string(&moscow).unwrap();
    assert_eq!(
        serde_json::from_str::<ApiTime<Moscow>>(&written).unwrap(),
        moscow
    );
}
