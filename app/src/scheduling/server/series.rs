//! Expanding a recurring series into its dates with the `rrule` crate. The dates are calendar days
//! at the practice; each becomes an instant with the series' wall-clock time (`booking::instant`),
//! so a 10:00 session stays at 10:00 across daylight-saving changes.

use crate::scheduling::recurrence::{Repeat, SeriesEnd, MAX_OCCURRENCES};
use chrono::NaiveDate;
use rrule::RRuleSet;

/// The days of the series, first included, at most `MAX_OCCURRENCES`.
pub fn dates(repeat: &Repeat) -> Result<Vec<NaiveDate>, String> {
    // The rule runs on plain days (noon UTC stands for "that day"): which weekday or day of the
    // month a date is does not depend on the zone, and times are applied afterwards.
    let end = match repeat.end {
        SeriesEnd::After(n) => format!(";COUNT={n}"),
        SeriesEnd::On(_) => String::new(),
    };
    let text = format!(
        "DTSTART:{}T120000Z\nRRULE:{}{end}",
        repeat.first.format("%Y%m%d"),
        repeat.cadence()
    );
    let set: RRuleSet = text
        .parse()
        .map_err(|_| "That repeat pattern cannot be used.".to_owned())?;
    let mut days: Vec<NaiveDate> = set
        .all(MAX_OCCURRENCES as u16)
        .dates
        .iter()
        .map(|d| d.date_naive())
        .collect();
    if let SeriesEnd::On(last) = repeat.end {
        days.retain(|d| *d <= last);
    }
    // a monthly rule on the 31st (or a fifth weekday) may skip the first date itself
    if days.first() != Some(&repeat.first) {
        days.insert(0, repeat.first);
        days.truncate(MAX_OCCURRENCES as usize);
    }
    Ok(days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduling::recurrence::parse_repeat;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn expand(
        first: NaiveDate,
        repeat: &str,
        every: &str,
        ends: &str,
        count: &str,
        until: &str,
    ) -> Vec<NaiveDate> {
        dates(
            &parse_repeat(first, repeat, every, ends, count, until)
                .unwrap()
                .unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn weekly_every_n_weeks_and_until_a_date() {
        let d = expand(day(2026, 2, 24), "weekly", "", "count", "4", "");
        assert_eq!(
            d,
            [
                day(2026, 2, 24),
                day(2026, 3, 3),
                day(2026, 3, 10),
                day(2026, 3, 17)
            ]
        );
        let d = expand(day(2026, 10, 20), "weekly", "2", "until", "", "11/17/2026");
        assert_eq!(d, [day(2026, 10, 20), day(2026, 11, 3), day(2026, 11, 17)]);
    }

    #[test]
    fn monthly_by_day_and_by_weekday() {
        let d = expand(day(2026, 1, 13), "monthly_weekday", "", "count", "3", "");
        // the second Tuesday
        assert_eq!(d, [day(2026, 1, 13), day(2026, 2, 10), day(2026, 3, 10)]);
        let d = expand(day(2026, 3, 31), "monthly_weekday", "", "count", "3", "");
        // the last Tuesday
        assert_eq!(d, [day(2026, 3, 31), day(2026, 4, 28), day(2026, 5, 26)]);
        let d = expand(day(2026, 1, 15), "monthly_day", "", "count", "3", "");
        assert_eq!(d, [day(2026, 1, 15), day(2026, 2, 15), day(2026, 3, 15)]);
    }

    #[test]
    fn at_most_the_limit() {
        let d = expand(day(2026, 1, 5), "weekly", "1", "until", "", "12/31/2027");
        assert_eq!(d.len(), MAX_OCCURRENCES as usize);
    }
}
