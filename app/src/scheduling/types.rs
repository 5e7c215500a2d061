//! Appointments as both sides see them, their form input and the status rules.

use crate::ids::{AppointmentId, AppointmentTypeId, ClientId, UserId};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "appointment_status", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    Scheduled,
    Confirmed,
    CheckedIn,
    Completed,
    NoShow,
    Cancelled,
}

impl AppointmentStatus {
    pub const ALL: [AppointmentStatus; 6] = [
        AppointmentStatus::Scheduled,
        AppointmentStatus::Confirmed,
        AppointmentStatus::CheckedIn,
        AppointmentStatus::Completed,
        AppointmentStatus::NoShow,
        AppointmentStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AppointmentStatus::Scheduled => "scheduled",
            AppointmentStatus::Confirmed => "confirmed",
            AppointmentStatus::CheckedIn => "checked_in",
            AppointmentStatus::Completed => "completed",
            AppointmentStatus::NoShow => "no_show",
            AppointmentStatus::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AppointmentStatus::Scheduled => "Scheduled",
            AppointmentStatus::Confirmed => "Confirmed",
            AppointmentStatus::CheckedIn => "Checked in",
            AppointmentStatus::Completed => "Completed",
            AppointmentStatus::NoShow => "No-show",
            AppointmentStatus::Cancelled => "Cancelled",
        }
    }

    pub fn parse(s: &str) -> Result<AppointmentStatus, String> {
        AppointmentStatus::ALL
            .into_iter()
            .find(|st| st.as_str() == s.trim())
            .ok_or_else(|| "Choose one of the listed statuses.".to_owned())
    }

    /// Whether the appointment still holds its time (what the no-overlap constraints count).
    pub fn holds_time(self) -> bool {
        !matches!(
            self,
            AppointmentStatus::NoShow | AppointmentStatus::Cancelled
        )
    }

    /// The lifecycle: scheduled → confirmed → checked in → completed, or no-show, or cancelled.
    /// Completed, no-show and cancelled are final.
    pub fn can_become(self, to: AppointmentStatus) -> bool {
        use AppointmentStatus::*;
        matches!(
            (self, to),
            (Scheduled, Confirmed | CheckedIn | NoShow | Cancelled)
                | (Confirmed, CheckedIn | NoShow | Cancelled)
                | (CheckedIn, Completed)
        )
    }
}

pub const CANCEL_KINDS: &[(&str, &str)] = &[
    ("client", "Cancelled by the client"),
    ("practice", "Cancelled by the practice"),
    ("late", "Late cancellation"),
];

/// A kind of appointment the practice offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AppointmentType {
    pub id: AppointmentTypeId,
    pub name: String,
    pub default_minutes: i32,
    pub color: String,
    pub max_clients: i32,
}

/// The booking form as typed: times are the practice's wall-clock time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BookingInput {
    #[serde(default)]
    pub appointment_type_id: String,
    #[serde(default)]
    pub clinician_id: String,
    /// One id, or several separated by commas (couples, family, group).
    #[serde(default)]
    pub client_ids: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub start_time: String,
    /// Empty for the appointment type's default length.
    #[serde(default)]
    pub minutes: String,
    #[serde(default)]
    pub location_id: String,
    #[serde(default)]
    pub room_id: String,
    #[serde(default)]
    pub telehealth: Option<String>,
    #[serde(default)]
    pub meeting_url: String,
    #[serde(default)]
    pub front_desk_note: String,
    /// Repeat: "" (does not), "weekly", "monthly_day" or "monthly_weekday"; see `recurrence`.
    #[serde(default)]
    pub repeat: String,
    /// Every how many weeks (weekly).
    #[serde(default)]
    pub every: String,
    /// "count" (after `count` appointments) or "until" (the last date).
    #[serde(default)]
    pub ends: String,
    #[serde(default)]
    pub count: String,
    #[serde(default)]
    pub until: String,
    /// An administrator books outside the clinician's working hours on purpose.
    #[serde(default)]
    pub override_hours: Option<String>,
}

/// One appointment as the calendar shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Appointment {
    pub id: AppointmentId,
    pub appointment_type: String,
    pub color: String,
    pub clinician_id: UserId,
    pub clinician_name: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: AppointmentStatus,
    pub telehealth: bool,
    pub location_name: Option<String>,
    pub room_name: Option<String>,
    pub client_ids: Vec<ClientId>,
}

/// A calendar date as typed: `MM/DD/YYYY` or `YYYY-MM-DD` (what a date input gives).
pub fn parse_day(raw: &str) -> Result<NaiveDate, String> {
    let v = raw.trim();
    if v.is_empty() {
        return Err("Enter the date.".into());
    }
    crate::fields::parse_date(v).ok_or_else(|| "Enter the date as MM/DD/YYYY.".into())
}

/// The length of an appointment: empty for the type's default, else 5–480 minutes.
pub fn parse_minutes(raw: &str) -> Result<Option<i32>, String> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    match v.parse::<i32>() {
        Ok(n) if (5..=480).contains(&n) => Ok(Some(n)),
        _ => Err("An appointment lasts 5 to 480 minutes.".into()),
    }
}

/// A start time, e.g. `10:00` or `2:30 pm`.
pub fn parse_start(raw: &str) -> Result<NaiveTime, String> {
    crate::staff::types::parse_time_of_day(raw)
}

#[cfg(test)]
mod tests {
    use super::*;
    use AppointmentStatus::*;

    #[test]
    fn the_lifecycle_moves_forward_only() {
        assert!(Scheduled.can_become(Confirmed));
        assert!(Confirmed.can_become(CheckedIn));
        assert!(CheckedIn.can_become(Completed));
        assert!(Scheduled.can_become(Cancelled) && Scheduled.can_become(NoShow));
        assert!(!Completed.can_become(Cancelled));
        assert!(!Cancelled.can_become(Scheduled));
        assert!(!Scheduled.can_become(Completed), "check in first");
        assert!(!NoShow.holds_time() && !Cancelled.holds_time() && CheckedIn.holds_time());
    }

    #[test]
    fn lengths_and_dates() {
        assert_eq!(parse_minutes(""), Ok(None));
        assert_eq!(parse_minutes("50"), Ok(Some(50)));
        assert!(parse_minutes("2").is_err());
        assert!(parse_day("2026-13-01").is_err());
        assert_eq!(
            parse_day("03/08/2026").unwrap(),
            NaiveDate::from_ymd_opt(2026, 3, 8).unwrap()
        );
    }
}

/// One appointment placed on the week grid. The server places it (day and minutes in the practice's
/// time zone), so the browser needs no time-zone data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarEntry {
    pub id: AppointmentId,
    /// 0 = the week's first day (Monday).
    pub day: u8,
    /// Minutes after midnight, practice time.
    pub start_minute: u16,
    pub minutes: u16,
    /// "10:00 AM – 10:50 AM"
    pub time_label: String,
    /// The type and the clients ("Individual therapy · Ann C."), or "Busy" for a viewer who may only
    /// see that the time is taken.
    pub title: String,
    pub color: String,
    pub status: AppointmentStatus,
    pub place: String,
    /// The appointment type and the location ("Telehealth"), for the filters; empty when busy-only.
    pub kind: String,
    pub location: String,
    pub busy_only: bool,
    /// Completed without a signed progress note (never shown to a busy-only viewer).
    pub undocumented: bool,
}

/// Where "now" is on the grid: the day (0 = the first shown) and minute, in the practice's zone.
pub type NowMark = Option<(u8, u16)>;

/// A clinician's week as the calendar shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeekView {
    pub clinician_id: UserId,
    pub clinician_name: String,
    /// The Monday that starts the week.
    pub monday: NaiveDate,
    /// "Mon 11/30" … "Sun 12/06"
    pub day_labels: Vec<String>,
    pub entries: Vec<CalendarEntry>,
    pub now: NowMark,
    /// (appointment type, colour) of the types shown.
    pub legend: Vec<(String, String)>,
}

/// One clinician's column of a day view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayColumn {
    pub clinician_id: UserId,
    pub clinician_name: String,
    pub entries: Vec<CalendarEntry>,
}

/// A day with one column per clinician.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayView {
    pub date: NaiveDate,
    /// "Tuesday, December 1, 2026"
    pub label: String,
    pub columns: Vec<DayColumn>,
    pub now: NowMark,
    pub legend: Vec<(String, String)>,
}

/// The most clinicians a day view shows side by side.
pub const DAY_VIEW_MAX: usize = 10;

/// The Monday on or before `day`.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    day - chrono::Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// The 1st of `day`'s month.
pub fn first_of_month(day: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    day - chrono::Duration::days(i64::from(day.day0()))
}

/// The 1st of the month after `day`'s.
pub fn first_of_next_month(day: NaiveDate) -> NaiveDate {
    first_of_month(first_of_month(day) + chrono::Duration::days(32))
}

/// One appointment as its panel shows it (for those who may see its details).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppointmentDetails {
    pub id: AppointmentId,
    pub appointment_type: String,
    pub color: String,
    pub clinician_id: UserId,
    pub clinician_name: String,
    /// Practice time, as the move form wants them: `2026-12-01`, `10:00`.
    pub date: String,
    pub start_time: String,
    pub minutes: i32,
    /// "Tuesday 12/01/2026, 10:00 AM – 10:50 AM CST"
    pub when: String,
    pub status: AppointmentStatus,
    pub place: String,
    pub clients: Vec<(ClientId, String)>,
    /// The series it belongs to ("Weekly on Tuesday, 10 times"), and whether it was changed alone.
    pub series: Option<String>,
    pub exception: bool,
    pub front_desk_note: Option<String>,
    pub cancel_reason: Option<String>,
    pub late_fee: bool,
    /// "12/01/2026 9:05 AM CST · Scheduled · Front Desk"
    pub history: Vec<String>,
    /// Whether the viewer may change it (the panel's actions).
    pub can_manage: bool,
}

/// A message that could not be sent, as admins see it: where it was going, not what it said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OutboxProblem {
    pub kind: String,
    pub channel: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// One day cell of the month view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthDay {
    pub date: NaiveDate,
    pub in_month: bool,
    /// Appointments that hold their time.
    pub count: u16,
    /// The first few: "10:00 AM Individual therapy · Ann C." (or "Busy").
    pub first: Vec<String>,
}

/// A clinician's month: whole weeks from the Monday on or before the 1st.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthView {
    pub clinician_id: UserId,
    pub clinician_name: String,
    /// "December 2026"
    pub label: String,
    pub days: Vec<MonthDay>,
}
