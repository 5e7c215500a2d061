//! Staff profiles as both sides see them, their form inputs and parsers.

use crate::auth::types::Role;
use crate::ids::{LicenseId, LocationId, UserId, WorkingHoursId};
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

/// Licenses expiring within this many days raise an alert.
pub const LICENSE_ALERT_DAYS: i64 = 60;

pub const WEEKDAYS: &[(&str, &str)] = &[
    ("1", "Monday"),
    ("2", "Tuesday"),
    ("3", "Wednesday"),
    ("4", "Thursday"),
    ("5", "Friday"),
    ("6", "Saturday"),
    ("7", "Sunday"),
];

pub fn weekday_name(day: i16) -> &'static str {
    WEEKDAYS
        .get(usize::try_from(day - 1).unwrap_or(usize::MAX))
        .map_or("—", |(_, n)| n)
}

/// One row of the staff directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct StaffSummary {
    pub user_id: UserId,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    /// License types held, e.g. "LCSW, LCPC".
    pub credentials: Option<String>,
    pub supervisor_name: Option<String>,
    pub calendar_color: String,
    pub npi: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct License {
    pub id: LicenseId,
    pub license_type: String,
    pub license_number: String,
    pub state: String,
    pub expires_on: NaiveDate,
}

impl License {
    pub fn alert(&self, today: NaiveDate) -> Option<String> {
        expiry_alert(self.expires_on, today)
    }
}

/// A sentence when a license has expired or expires within [`LICENSE_ALERT_DAYS`].
pub fn expiry_alert(expires_on: NaiveDate, today: NaiveDate) -> Option<String> {
    let days = (expires_on - today).num_days();
    let when = expires_on.format("%m/%d/%Y");
    match days {
        d if d < 0 => Some(format!("Expired on {when}.")),
        0 => Some("Expires today.".into()),
        d if d <= LICENSE_ALERT_DAYS => Some(format!(
            "Expires in {d} day{} ({when}).",
            if d == 1 { "" } else { "s" }
        )),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct WorkingHours {
    pub id: WorkingHoursId,
    pub location_id: LocationId,
    pub location_name: String,
    pub weekday: i16,
    pub starts_at: NaiveTime,
    pub ends_at: NaiveTime,
}

/// A staff member's whole profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffProfile {
    pub user_id: UserId,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub npi: Option<String>,
    pub taxonomy_code: Option<String>,
    pub supervisor_id: Option<UserId>,
    pub supervisor_name: Option<String>,
    pub default_session_minutes: i32,
    pub calendar_color: String,
    pub requires_cosign: bool,
    pub licenses: Vec<License>,
    pub hours: Vec<WorkingHours>,
    /// Whether the viewer may change it (admins).
    pub can_edit: bool,
}

/// The profile form as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProfileInput {
    #[serde(default)]
    pub npi: String,
    #[serde(default)]
    pub taxonomy_code: String,
    #[serde(default)]
    pub supervisor_id: String,
    #[serde(default)]
    pub default_session_minutes: String,
    #[serde(default)]
    pub calendar_color: String,
    #[serde(default)]
    pub requires_cosign: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LicenseInput {
    #[serde(default)]
    pub license_type: String,
    #[serde(default)]
    pub license_number: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub expires_on: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HoursInput {
    #[serde(default)]
    pub location_id: String,
    #[serde(default)]
    pub weekday: String,
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub ends_at: String,
}

/// A license that needs attention, for the home page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct LicenseAlert {
    pub user_id: UserId,
    pub display_name: String,
    pub license_type: String,
    pub state: String,
    pub expires_on: NaiveDate,
}

/// Minutes of a session booked by default: 10–240.
pub fn parse_session_minutes(raw: &str) -> Result<i32, String> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(53);
    }
    match v.parse::<i32>() {
        Ok(n) if (10..=240).contains(&n) => Ok(n),
        _ => Err("A session lasts 10 to 240 minutes.".into()),
    }
}

/// A colour as `#rrggbb` (what a colour input gives), stored lower-case.
pub fn parse_color(raw: &str) -> Result<String, String> {
    let v = raw.trim().to_ascii_lowercase();
    if v.is_empty() {
        return Ok("#2f5d8a".into());
    }
    let ok = v.len() == 7 && v.starts_with('#') && v[1..].chars().all(|c| c.is_ascii_hexdigit());
    if ok {
        Ok(v)
    } else {
        Err("Choose a colour like #2f5d8a.".into())
    }
}

/// A license kind such as LCSW, LPC, LMFT, PsyD: a letter, then letters, digits, spaces, dots or
/// hyphens (20 at most).
pub fn parse_license_type(raw: &str) -> Result<String, String> {
    let v = raw.trim();
    let ok = !v.is_empty()
        && v.len() <= 20
        && v.starts_with(|c: char| c.is_ascii_alphabetic())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || " .-".contains(c));
    if ok {
        Ok(v.to_owned())
    } else if v.is_empty() {
        Err("Enter the license type, e.g. LCSW.".into())
    } else {
        Err("Use letters, e.g. LCSW, LPC or PsyD.".into())
    }
}

pub fn parse_license_number(raw: &str) -> Result<String, String> {
    let v = raw.trim().to_ascii_uppercase();
    if v.is_empty() {
        return Err("Enter the license number.".into());
    }
    if v.len() < 2
        || v.len() > 30
        || !v
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-".contains(c))
    {
        return Err("A license number has 2–30 letters, digits, dots or hyphens.".into());
    }
    Ok(v)
}

/// A time of day: `14:30`, `2:30 pm`, `9am`.
pub fn parse_time_of_day(raw: &str) -> Result<NaiveTime, String> {
    let v = raw.trim().to_ascii_lowercase().replace(' ', "");
    let bad = || "Enter a time like 09:00 or 2:30 pm.".to_owned();
    if v.is_empty() {
        return Err("Enter a time.".into());
    }
    let (clock, pm) = match (v.strip_suffix("pm"), v.strip_suffix("am")) {
        (Some(c), _) => (c.to_owned(), Some(true)),
        (_, Some(c)) => (c.to_owned(), Some(false)),
        _ => (v.clone(), None),
    };
    let (h, m) = clock.split_once(':').unwrap_or((&clock, "00"));
    let h: u32 = h.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    let h = match pm {
        Some(_) if !(1..=12).contains(&h) => return Err(bad()),
        Some(true) => h % 12 + 12,
        Some(false) => h % 12,
        None => h,
    };
    NaiveTime::from_hms_opt(h, m, 0).ok_or_else(bad)
}

pub fn parse_weekday(raw: &str) -> Result<i16, String> {
    match raw.trim().parse::<i16>() {
        Ok(d) if (1..=7).contains(&d) => Ok(d),
        _ => Err("Choose a day of the week.".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn times_of_day_in_common_forms() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert_eq!(parse_time_of_day("14:30"), Ok(t(14, 30)));
        assert_eq!(parse_time_of_day("2:30 PM"), Ok(t(14, 30)));
        assert_eq!(parse_time_of_day("9am"), Ok(t(9, 0)));
        assert_eq!(parse_time_of_day("12:15am"), Ok(t(0, 15)));
        assert_eq!(parse_time_of_day("12pm"), Ok(t(12, 0)));
        assert!(parse_time_of_day("25:00").is_err());
        assert!(parse_time_of_day("13pm").is_err());
        assert!(parse_time_of_day("noon").is_err());
    }

    #[test]
    fn licenses_alert_within_sixty_days() {
        let license = |expires_on| License {
            id: LicenseId(uuid::Uuid::nil()),
            license_type: "LCSW".into(),
            license_number: "149-012345".into(),
            state: "IL".into(),
            expires_on,
        };
        let today = d(2026, 11, 25);
        assert_eq!(license(d(2027, 6, 1)).alert(today), None);
        assert_eq!(
            license(d(2027, 1, 24)).alert(today).unwrap(),
            "Expires in 60 days (01/24/2027)."
        );
        assert_eq!(license(d(2027, 1, 25)).alert(today), None);
        assert!(license(d(2026, 11, 1))
            .alert(today)
            .unwrap()
            .starts_with("Expired"));
    }

    #[test]
    fn profile_fields() {
        assert_eq!(parse_color("#AABBCC").unwrap(), "#aabbcc");
        assert!(parse_color("blue").is_err());
        assert!(parse_session_minutes("5").is_err());
        assert_eq!(parse_session_minutes("").unwrap(), 53);
        assert_eq!(parse_license_type("LCSW").unwrap(), "LCSW");
        assert!(parse_license_type("1CSW").is_err());
        assert_eq!(parse_license_number("149-012345").unwrap(), "149-012345");
        assert_eq!(weekday_name(3), "Wednesday");
        assert_eq!(weekday_name(0), "—");
    }
}
