//! Medians, percentiles and rates: the only arithmetic the report relies on.

use std::time::Duration;

/// The median of `values` (the mean of the two middle ones for an even count); `None` when
/// empty. NaN values sort last.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// The median of durations, as [`median`] does it.
pub fn median_duration(values: &[Duration]) -> Option<Duration> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2),
    }
}

/// The nearest-rank percentile `percent` (1 to 100) of `sorted` (ascending): the smallest
/// value such that at least `percent`% of the values are at most it. `None` when empty.
pub fn percentile(sorted: &[Duration], percent: u32) -> Option<Duration> {
    debug_assert!(sorted.windows(2).all(|w| w[0] <= w[1]), "not sorted");
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let percent = usize::try_from(percent.clamp(1, 100)).unwrap_or(100);
    // ceil(percent * n / 100), at least 1.
    let rank = (percent * n).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// Events per second.
pub fn per_second(count: u64, elapsed: Duration) -> f64 {
    let secs = elapsed.as_secs_f64();
    if secs > 0.0 {
        count as f64 / secs
    } else {
        f64::INFINITY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(values: &[u64]) -> Vec<Duration> {
        values.iter().map(|&v| Duration::from_millis(v)).collect()
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0]), Some(3.0));
        assert_eq!(median(&[5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }

    #[test]
    fn median_of_durations() {
        assert_eq!(median_duration(&[]), None);
        assert_eq!(
            median_duration(&ms(&[30, 10, 20])),
            Some(Duration::from_millis(20))
        );
        assert_eq!(
            median_duration(&ms(&[10, 40, 20, 30])),
            Some(Duration::from_millis(25))
        );
    }

    #[test]
    fn nearest_rank_percentiles() {
        let values = ms(&(1..=100).collect::<Vec<_>>());
        assert_eq!(percentile(&values, 50), Some(Duration::from_millis(50)));
        assert_eq!(percentile(&values, 99), Some(Duration::from_millis(99)));
        assert_eq!(percentile(&values, 100), Some(Duration::from_millis(100)));
        assert_eq!(percentile(&values, 1), Some(Duration::from_millis(1)));
        // Fewer values than percent steps: p99 of 10 values is the largest.
        let ten = ms(&(1..=10).collect::<Vec<_>>());
        assert_eq!(percentile(&ten, 99), Some(Duration::from_millis(10)));
        assert_eq!(percentile(&ten, 50), Some(Duration::from_millis(5)));
        assert_eq!(percentile(&ms(&[7]), 99), Some(Duration::from_millis(7)));
        assert_eq!(percentile(&[], 50), None);
    }

    #[test]
    fn rates() {
        assert_eq!(per_second(500, Duration::from_millis(250)), 2000.0);
        assert_eq!(per_second(1, Duration::ZERO), f64::INFINITY);
    }
}
