//! The waitlist: clients waiting for a time, what suits them, and the ranked matches for a freed slot.

use crate::ids::{ClientId, UserId};
use serde::{Deserialize, Serialize};

pub use crate::ids::WaitlistEntryId;

pub const MODALITIES: &[(&str, &str)] = &[
    ("either", "In person or telehealth"),
    ("in_person", "In person only"),
    ("telehealth", "Telehealth only"),
];

pub const URGENCIES: &[(&str, &str)] = &[("1", "Routine"), ("2", "Soon"), ("3", "Urgent")];

/// The waitlist form as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WaitlistInput {
    #[serde(default)]
    pub client_id: String,
    /// Empty for any clinician.
    #[serde(default)]
    pub clinician_id: String,
    /// ISO weekdays separated by commas ("1,3"), empty for any day.
    #[serde(default)]
    pub weekdays: String,
    #[serde(default)]
    pub earliest: String,
    #[serde(default)]
    pub latest: String,
    #[serde(default)]
    pub modality: String,
    #[serde(default)]
    pub urgency: String,
    #[serde(default)]
    pub note: String,
}

/// "1,3,5" → [1, 3, 5]; empty means any day.
pub fn parse_weekdays(raw: &str) -> Result<Vec<i16>, String> {
    let mut days = raw
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| match s.parse::<i16>() {
            Ok(d @ 1..=7) => Ok(d),
            _ => Err("Choose days of the week from the list.".to_owned()),
        })
        .collect::<Result<Vec<_>, _>>()?;
    days.sort_unstable();
    days.dedup();
    Ok(days)
}

/// One client waiting, as the front desk sees them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct WaitlistEntry {
    pub id: WaitlistEntryId,
    pub client_id: ClientId,
    pub client_name: String,
    pub clinician_id: Option<UserId>,
    pub clinician_name: Option<String>,
    pub weekdays: Vec<i16>,
    /// "9:00 AM – 1:00 PM"
    pub hours: String,
    pub modality: String,
    pub urgency: i16,
    pub note: Option<String>,
    pub days_waiting: i32,
    /// An open offer's hold end, "3:15 PM", while one is out.
    pub offered_until: Option<String>,
}

impl WaitlistEntry {
    pub fn days_label(&self) -> String {
        if self.weekdays.is_empty() {
            "Any day".into()
        } else {
            self.weekdays
                .iter()
                .map(|d| &crate::staff::types::weekday_name(*d)[..3])
                .collect::<Vec<_>>()
                .join(", ")
        }
    }

    pub fn urgency_label(&self) -> &'static str {
        match self.urgency {
            3 => "Urgent",
            2 => "Soon",
            _ => "Routine",
        }
    }
}

/// A waitlisted client who fits a free slot, with why they rank where they do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlotMatch {
    pub entry: WaitlistEntry,
    /// "Urgent · asked for this clinician · waiting 12 days"
    pub why: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_are_parsed_sorted_and_checked() {
        assert_eq!(parse_weekdays(""), Ok(vec![]));
        assert_eq!(parse_weekdays("5, 1,3,1"), Ok(vec![1, 3, 5]));
        assert!(parse_weekdays("8").is_err());
        assert!(parse_weekdays("mon").is_err());
    }
}
