//! The year wheel: periods of the year from front matter `year_wheel`, laid out as a
//! twelve-month timeline. This module says which months each bar covers; the theme's
//! `year_wheel` component draws it with HTML and CSS (a grid that turns into one timeline per
//! period on narrow screens, hidden from screen readers) beside its text equivalent.

use serde::Serialize;

use crate::content::YearPeriod;

/// The timeline as the theme's `year_wheel` component gets it: the months as columns, and per
/// period the columns its bar covers. Laid out by the theme's CSS (a twelve-column grid), so
/// labels are text in the page's own size at every width, never a scaled drawing.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct YearWheel {
    /// The months' short names (their first three letters), January first.
    pub months: Vec<String>,
    /// The periods, in order: in words and as bars.
    pub periods: Vec<PeriodView>,
}

/// A period: its label, its first and last month in words, and its bars.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PeriodView {
    /// What happens in the period.
    pub label: String,
    /// The first month's name.
    pub from: String,
    /// The last month's name.
    pub to: String,
    /// One bar, or two for a period over the new year.
    pub bars: Vec<Bar>,
}

/// A bar over whole months, as grid lines: it starts at line `start` (1 = the start of
/// January) and ends at line `end` (13 = the end of December).
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Bar {
    /// The grid line the bar starts at, 1–12.
    pub start: u8,
    /// The grid line the bar ends at, 2–13.
    pub end: u8,
}

/// Lay out `periods` (all valid) with the theme's twelve `month_names`.
pub fn layout(periods: &[YearPeriod], month_names: &[String]) -> YearWheel {
    let name = |m: u8| {
        month_names
            .get(usize::from(m) - 1)
            .cloned()
            .unwrap_or_else(|| m.to_string())
    };
    YearWheel {
        months: (1..=12u8).map(|m| name(m).chars().take(3).collect()).collect(),
        periods: periods
            .iter()
            .map(|p| PeriodView {
                label: p.label.clone(),
                from: name(p.from),
                to: name(p.to),
                bars: if p.to >= p.from {
                    vec![Bar {
                        start: p.from,
                        end: p.to + 1,
                    }]
                } else {
                    vec![
                        Bar { start: p.from, end: 13 },
                        Bar {
                            start: 1,
                            end: p.to + 1,
                        },
                    ]
                },
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_over_the_new_year_is_two_bars() {
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
        assert_eq!(wheel.periods[0].bars, [Bar { start: 1, end: 4 }]);
        assert_eq!(
            wheel.periods[1].bars,
            [Bar { start: 11, end: 13 }, Bar { start: 1, end: 3 }]
        );
        assert_eq!(wheel.months[4], "maj");
        assert_eq!(
            (wheel.periods[1].from.as_str(), wheel.periods[1].to.as_str()),
            ("november", "februari")
        );
    }
}
