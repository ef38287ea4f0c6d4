//! The year wheel: periods of the year from front matter `year_wheel`, laid out as a
//! twelve-month timeline. This module computes the geometry; the theme's `year_wheel`
//! component draws it (an SVG hidden from screen readers) beside its text equivalent.

use serde::{Deserialize, Serialize};

/// One period on the year wheel, from front matter `year_wheel`. Months are 1–12; a period
/// whose `to` is before its `from` runs over the new year.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct YearPeriod {
    /// What happens in the period, e.g. "Utvecklingssamtal".
    pub label: String,
    /// First month, 1–12.
    pub from: u8,
    /// Last month, 1–12.
    pub to: u8,
}

impl YearPeriod {
    /// Months within 1–12 and a label that is not empty.
    pub fn is_valid(&self) -> bool {
        (1..=12).contains(&self.from) && (1..=12).contains(&self.to) && !self.label.trim().is_empty()
    }
}

/// The timeline as the theme's `year_wheel` component gets it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct YearWheel {
    /// Width and height of the drawing, in its own units.
    pub width: u32,
    /// Height of the drawing.
    pub height: u32,
    /// Where the month names end and the bars begin.
    pub top: u32,
    /// One tick per month, January first.
    pub months: Vec<MonthTick>,
    /// One bar per period, two for a period over the new year.
    pub bars: Vec<Bar>,
    /// The periods in words, one per period, in order.
    pub periods: Vec<PeriodText>,
}

/// A month's column in the timeline.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MonthTick {
    /// Left edge of the month's column.
    pub x: u32,
    /// Centre of the column, where its name goes.
    pub center: u32,
    /// The month's short name (its first three letters).
    pub short: String,
}

/// A period's bar.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Bar {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
    /// The period's label, on the first bar of a period only.
    pub label: Option<String>,
}

/// A period in words: its label and the names of its first and last month.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PeriodText {
    /// What happens in the period.
    pub label: String,
    /// The first month's name.
    pub from: String,
    /// The last month's name.
    pub to: String,
}

const WIDTH: u32 = 840;
const MONTH: u32 = WIDTH / 12;
const TOP: u32 = 28;
const ROW: u32 = 40;

/// Lay out `periods` (all valid) with the theme's twelve `month_names`.
pub fn layout(periods: &[YearPeriod], month_names: &[String]) -> YearWheel {
    let name = |m: u8| {
        month_names
            .get(usize::from(m) - 1)
            .cloned()
            .unwrap_or_else(|| m.to_string())
    };
    let months = (1..=12u8)
        .map(|m| {
            let x = u32::from(m - 1) * MONTH;
            MonthTick {
                x,
                center: x + MONTH / 2,
                short: name(m).chars().take(3).collect(),
            }
        })
        .collect();
    let mut bars = Vec::new();
    for (row, p) in periods.iter().enumerate() {
        let y = TOP + 6 + row as u32 * ROW;
        let spans: &[(u8, u8)] = if p.to >= p.from {
            &[(p.from, p.to)]
        } else {
            &[(p.from, 12), (1, p.to)]
        };
        for (i, &(a, b)) in spans.iter().enumerate() {
            bars.push(Bar {
                x: (u32::from(a) - 1) * MONTH + 2,
                y,
                width: (u32::from(b) - u32::from(a) + 1) * MONTH - 4,
                height: ROW - 10,
                label: (i == 0).then(|| p.label.clone()),
            });
        }
    }
    YearWheel {
        width: WIDTH,
        height: TOP + ROW * periods.len() as u32 + 8,
        top: TOP,
        months,
        bars,
        periods: periods
            .iter()
            .map(|p| PeriodText {
                label: p.label.clone(),
                from: name(p.from),
                to: name(p.to),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_over_the_new_year_is_two_bars_with_one_label() {
        let names: Vec<String> = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti"]
            .iter()
            .chain(&["september", "oktober", "november", "december"])
            .map(|s| s.to_string())
            .collect();
        let wheel = layout(
            &[
                YearPeriod {
                    label: "Lönesamtal".into(),
                    from: 1,
                    to: 3,
                },
                YearPeriod {
                    label: "Över nyår".into(),
                    from: 11,
                    to: 2,
                },
            ],
            &names,
        );
        assert_eq!(wheel.bars.len(), 3);
        assert_eq!(wheel.bars.iter().filter(|b| b.label.is_some()).count(), 2);
        assert_eq!(wheel.months[4].short, "maj");
        assert_eq!(
            (wheel.periods[1].from.as_str(), wheel.periods[1].to.as_str()),
            ("november", "februari")
        );
        assert_eq!(wheel.height, 28 + 80 + 8);
    }
}
