//! The balance-over-time chart under `qiwi treezor history` (terminal only): as wide as the
//! terminal (at least 40 columns; never wider), y axis labelled in the account's currency.

use qiwi_types::Decimal;
use textplots::{Chart, LabelBuilder, LabelFormat, Plot, Shape};

/// The narrowest terminal the chart is drawn for.
pub const MIN_COLUMNS: usize = 40;
/// The chart's height in braille dots (4 a text row).
const HEIGHT: u32 = 40;
/// textplots needs at least this many dots across (2 a column).
const MIN_DOTS: usize = 32;
const FOOTER: &str = "(x: days since the first point)";

/// Draws `(seconds since the epoch, amount)` points as a line chart at most `columns` wide, x in
/// days from the first point, y labelled `<amount> <currency>`. `None` when there are fewer
/// than two points to join or the terminal is too narrow.
pub fn render(points: &[(i64, Decimal)], currency: &str, columns: usize) -> Option<String> {
    let (first, last) = (points.first()?.0, points.last()?.0);
    if points.len() < 2 || last <= first || columns < MIN_COLUMNS {
        return None;
    }
    let low = points.iter().map(|p| p.1).min()?;
    let high = points.iter().map(|p| p.1).max()?;
    let label = |amount: Decimal| format!("{} {currency}", amount.normalize());
    let (low_label, high_label) = (label(low), label(high));
    // A line is the canvas, one spare column (a dot on the right edge), a space and a label.
    let label_width = low_label.chars().count().max(high_label.chars().count());
    let dots = columns.checked_sub(label_width + 2)?.saturating_mul(2);
    if dots < MIN_DOTS {
        return None;
    }
    // A flat line still needs a range to be drawn in.
    let top = if high > low {
        high
    } else {
        low.saturating_add(Decimal::ONE)
    };
    // The chart needs floats: it is given each point's height between the two ends (0 to 1),
    // worked out exactly; no amount is ever a float, the labels are the exact ends.
    let coords: Vec<(f32, f32)> = points
        .iter()
        .map(|(at, y)| (days_between(first, *at), height(*y, low, top)))
        .collect();
    let shape = Shape::Lines(&coords);
    let width = u32::try_from(dots).unwrap_or(u32::MAX);
    let end = days_between(first, last);
    let mut chart = Chart::new_with_y_range(width, HEIGHT, 0.0, end, 0.0, 1.0);
    let chart = chart
        .lineplot(&shape)
        .y_label_format(LabelFormat::Custom(Box::new(move |y| {
            // Called for the two ends only: their exact amounts.
            if y >= 0.5 {
                high_label.clone()
            } else {
                low_label.clone()
            }
        })));
    chart.axis();
    chart.figures();
    Some(format!("{chart}\n{FOOTER}\n"))
}

/// The terminal's width: `COLUMNS` when set, else the width of the terminal on stdout, else 80.
pub fn terminal_columns() -> usize {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
    {
        return columns;
    }
    #[cfg(unix)]
    if let Ok(size) = rustix::termios::tcgetwinsize(std::io::stdout()) {
        if size.ws_col > 0 {
            return usize::from(size.ws_col);
        }
    }
    80
}

/// Where `amount` stands between `low` and `top` (`low < top`), from 0 to 1: a ratio, computed
/// in decimals, made a float only to be plotted.
fn height(amount: Decimal, low: Decimal, top: Decimal) -> f32 {
    // Extreme amounts (the span beyond `Decimal`'s range) draw at the bottom, never panic.
    let ratio = amount
        .checked_sub(low)
        .zip(top.checked_sub(low))
        .and_then(|(above, span)| above.checked_div(span))
        .unwrap_or_default();
    ratio.round_dp(4).to_string().parse().unwrap_or_default()
}

#[allow(clippy::float_arithmetic, reason = "chart coordinates, never amounts")]
fn days_between(from: i64, to: i64) -> f32 {
    let seconds = i32::try_from(to.saturating_sub(from)).unwrap_or(i32::MAX);
    seconds as f32 / 86_400.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points() -> Vec<(i64, Decimal)> {
        let day = 86_400;
        vec![
            (0, Decimal::new(5125, 2)),
            (day, Decimal::new(1_234_567_089, 2)),
            (3 * day, Decimal::new(9000, 2)),
            (30 * day, Decimal::new(40025, 1)),
        ]
    }

    #[test]
    fn fits_the_terminal_with_labels_in_the_currency() {
        for columns in [40, 80, 200] {
            let text = render(&points(), "EUR", columns).unwrap();
            let widest = text.lines().map(|l| l.chars().count()).max().unwrap();
            assert!(widest <= columns, "{columns}: {widest}\n{text}");
            assert!(
                widest + 8 >= columns,
                "uses the width: {columns}: {widest}\n{text}"
            );
            let lines: Vec<&str> = text.lines().collect();
            assert!(lines[0].ends_with(" 12345670.89 EUR"), "{text}");
            assert!(lines[lines.len() - 4].ends_with(" 51.25 EUR"), "{text}");
            assert!(text.lines().count() > 5, "{text}");
        }
    }

    #[test]
    fn no_chart_when_it_cannot_be_drawn() {
        assert!(render(&points(), "EUR", 39).is_none());
        assert!(render(&points()[..1], "EUR", 80).is_none());
        assert!(render(&[], "EUR", 80).is_none());
        let flat = [(0, Decimal::ONE), (86_400, Decimal::ONE)];
        assert!(render(&flat, "EUR", 40).is_some());
    }

    #[test]
    fn extreme_amounts_are_drawn_and_labelled_exactly() {
        let extremes = [
            (0, Decimal::MIN),
            (86_400, Decimal::MAX),
            (172_800, Decimal::ZERO),
        ];
        let text = render(&extremes, "EUR", 80).unwrap();
        assert!(text.contains(&format!("{} EUR", Decimal::MAX)), "{text}");
        assert!(text.contains(&format!("{} EUR", Decimal::MIN)), "{text}");
        assert_eq!(
            height(Decimal::new(75, 0), Decimal::ZERO, Decimal::new(100, 0)),
            0.75
        );
    }
}
