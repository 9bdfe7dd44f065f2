//! The balance-over-time chart under `qiwi treezor history` (terminal only).

use qiwi_types::Decimal;
use textplots::{Chart, Plot, Shape};

/// Draws `(seconds since the epoch, value)` points as a line chart, x in days from the first
/// point. `None` when there are fewer than two points to join.
pub fn render(points: &[(i64, Decimal)]) -> Option<String> {
    let (first, last) = (points.first()?.0, points.last()?.0);
    if points.len() < 2 || last <= first {
        return None;
    }
    // Plot coordinates only: a chart needs floats, the table above it shows the exact amounts.
    let coords: Vec<(f32, f32)> = points
        .iter()
        .map(|(at, y)| {
            (
                days_between(first, *at),
                y.to_string().parse().unwrap_or_default(),
            )
        })
        .collect();
    let shape = Shape::Lines(&coords);
    let mut chart = Chart::new(120, 40, 0.0, days_between(first, last));
    let chart = chart.lineplot(&shape);
    chart.axis();
    chart.figures();
    Some(format!("{chart}\n(x: days since the first point)\n"))
}

#[allow(clippy::float_arithmetic, reason = "chart coordinates, never amounts")]
fn days_between(from: i64, to: i64) -> f32 {
    let seconds = i32::try_from(to.saturating_sub(from)).unwrap_or(i32::MAX);
    seconds as f32 / 86_400.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_line_for_two_or_more_points() {
        let day = 86_400;
        let points = [
            (0, Decimal::new(5125, 2)),
            (day, Decimal::new(17000, 2)),
            (3 * day, Decimal::new(9000, 2)),
        ];
        let text = render(&points).unwrap();
        assert!(text.lines().count() > 5, "{text}");
        assert!(render(&points[..1]).is_none());
        assert!(render(&[]).is_none());
    }
}
