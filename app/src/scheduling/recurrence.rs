//! Recurring series as the booking form describes them, parsed the same way in the browser and on
//! the server. The server expands them into dates with the `rrule` crate (`server::series`).

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// The most occurrences one series may have (two years of weekly sessions).
pub const MAX_OCCURRENCES: u32 = 104;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Frequency {
    /// Every `n` weeks on the first date's weekday.
    Weeks(u32),
    /// Monthly on the first date's day of the month.
    MonthlyByDay,
    /// Monthly on the first date's nth weekday ("second Tuesday"; the fifth means the last).
    MonthlyByWeekday,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SeriesEnd {
    After(u32),
    On(NaiveDate),
}

/// A series starting on `first`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repeat {
    pub first: NaiveDate,
    pub frequency: Frequency,
    pub end: SeriesEnd,
}

pub const REPEAT_CHOICES: &[(&str, &str)] = &[
    ("", "Does not repeat"),
    ("weekly", "Weekly"),
    ("monthly_day", "Monthly on the same day"),
    ("monthly_weekday", "Monthly on the same weekday"),
];

/// Which occurrences of a series a change applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    #[default]
    This,
    Following,
    All,
}

impl Scope {
    pub fn parse(raw: &str) -> Result<Scope, String> {
        match raw.trim() {
            "" | "this" => Ok(Scope::This),
            "following" => Ok(Scope::Following),
            "all" => Ok(Scope::All),
            _ => Err("Choose this appointment, this and following, or all.".into()),
        }
    }
}

/// The repeat fields of the booking form. `None` when it does not repeat.
pub fn parse_repeat(
    first: NaiveDate,
    repeat: &str,
    every: &str,
    ends: &str,
    count: &str,
    until: &str,
) -> Result<Option<Repeat>, Vec<(&'static str, String)>> {
    let frequency = match repeat.trim() {
        "" => return Ok(None),
        "weekly" => match every.trim() {
            "" => Ok(Frequency::Weeks(1)),
            n => match n.parse::<u32>() {
                Ok(n @ 1..=8) => Ok(Frequency::Weeks(n)),
                _ => Err(("every", "Repeat every 1 to 8 weeks.".to_owned())),
            },
        },
        "monthly_day" => Ok(Frequency::MonthlyByDay),
        "monthly_weekday" => Ok(Frequency::MonthlyByWeekday),
        _ => Err(("repeat", "Choose how the appointment repeats.".to_owned())),
    };
    let end = match ends.trim() {
        "" | "count" => match count.trim().parse::<u32>() {
            Ok(n @ 2..=MAX_OCCURRENCES) => Ok(SeriesEnd::After(n)),
            _ => Err((
                "count",
                format!("A series has 2 to {MAX_OCCURRENCES} appointments."),
            )),
        },
        "until" => match crate::fields::parse_date(until.trim()) {
            None => Err(("until", "Enter the last date as MM/DD/YYYY.".to_owned())),
            Some(d) if d <= first => {
                Err(("until", "The last date comes after the first.".to_owned()))
            }
            Some(d) if d > first + chrono::Duration::days(2 * 366) => {
                Err(("until", "A series ends within two years.".to_owned()))
            }
            Some(d) => Ok(SeriesEnd::On(d)),
        },
        _ => Err(("ends", "Choose when the series ends.".to_owned())),
    };
    match (frequency, end) {
        (Ok(frequency), Ok(end)) => Ok(Some(Repeat {
            first,
            frequency,
            end,
        })),
        (f, e) => Err([f.err(), e.err()].into_iter().flatten().collect()),
    }
}

/// Which of the month's weekdays `day` is: 1–4, or -1 for the last (a fifth one).
pub fn nth_weekday(day: NaiveDate) -> i8 {
    match (day.day() - 1) / 7 + 1 {
        5 => -1,
        n => n as i8,
    }
}

fn ordinal(n: i8) -> &'static str {
    match n {
        1 => "first",
        2 => "second",
        3 => "third",
        4 => "fourth",
        _ => "last",
    }
}

fn weekday_name(d: Weekday) -> &'static str {
    crate::staff::types::weekday_name(d.number_from_monday() as i16)
}

impl Repeat {
    /// "Every 2 weeks on Tuesday, 10 times" — shown on the appointment's panel.
    pub fn summary(&self) -> String {
        let how = match self.frequency {
            Frequency::Weeks(1) => format!("Weekly on {}", weekday_name(self.first.weekday())),
            Frequency::Weeks(n) => {
                format!("Every {n} weeks on {}", weekday_name(self.first.weekday()))
            }
            Frequency::MonthlyByDay => format!("Monthly on day {}", self.first.day()),
            Frequency::MonthlyByWeekday => format!(
                "Monthly on the {} {}",
                ordinal(nth_weekday(self.first)),
                weekday_name(self.first.weekday())
            ),
        };
        match self.end {
            SeriesEnd::After(n) => format!("{how}, {n} times"),
            SeriesEnd::On(d) => format!("{how}, until {}", d.format("%m/%d/%Y")),
        }
    }

    /// The rule without its end: how often.
    pub fn cadence(&self) -> String {
        let day = &format!("{:?}", self.first.weekday()).to_uppercase()[..2];
        match self.frequency {
            Frequency::Weeks(n) => format!("FREQ=WEEKLY;INTERVAL={n};BYDAY={day}"),
            Frequency::MonthlyByDay => format!("FREQ=MONTHLY;BYMONTHDAY={}", self.first.day()),
            Frequency::MonthlyByWeekday => {
                format!("FREQ=MONTHLY;BYDAY={}{day}", nth_weekday(self.first))
            }
        }
    }

    /// The RFC 5545 rule (without its start), e.g. `FREQ=MONTHLY;BYDAY=-1TU;COUNT=6`.
    pub fn rule(&self) -> String {
        let how = self.cadence();
        match self.end {
            SeriesEnd::After(n) => format!("{how};COUNT={n}"),
            // the last day as a floating date-time; the server expands without it and cuts at the date
            SeriesEnd::On(d) => format!("{how};UNTIL={}T235959", d.format("%Y%m%d")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn rules_and_summaries() {
        let tuesday = day(2026, 12, 29);
        let r = parse_repeat(tuesday, "monthly_weekday", "", "count", "6", "")
            .unwrap()
            .unwrap();
        assert_eq!(r.rule(), "FREQ=MONTHLY;BYDAY=-1TU;COUNT=6");
        assert_eq!(r.summary(), "Monthly on the last Tuesday, 6 times");
        let r = parse_repeat(day(2026, 3, 3), "weekly", "2", "until", "06/30/2026", "")
            .map(|_| ())
            .unwrap_err();
        assert_eq!(r[0].0, "until", "the until date is the sixth field");
        let r = parse_repeat(day(2026, 3, 3), "weekly", "2", "until", "", "06/30/2026")
            .unwrap()
            .unwrap();
        assert_eq!(
            r.rule(),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20260630T235959"
        );
        assert_eq!(r.summary(), "Every 2 weeks on Tuesday, until 06/30/2026");
    }

    #[test]
    fn bad_repeat_fields_are_named() {
        let first = day(2026, 3, 3);
        assert_eq!(parse_repeat(first, "", "x", "y", "z", ""), Ok(None));
        let errs = parse_repeat(first, "weekly", "9", "count", "1", "").unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.0).collect();
        assert_eq!(fields, ["every", "count"]);
        let errs = parse_repeat(first, "weekly", "", "until", "", "03/01/2026").unwrap_err();
        assert_eq!(errs[0].1, "The last date comes after the first.");
        assert!(parse_repeat(first, "daily", "", "count", "3", "").is_err());
        assert_eq!(Scope::parse("following"), Ok(Scope::Following));
        assert!(Scope::parse("some").is_err());
    }
}
