//! Practice settings as both sides see them, and their form inputs.

use crate::clients::types::Payer;
use crate::fields::parse_optional;
use crate::ids::{LocationId, RoomId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PracticeSettings {
    pub name: String,
    pub time_zone: String,
    pub billing_npi: Option<String>,
    pub tax_id: Option<String>,
    pub idle_timeout_minutes: i32,
    /// The format a progress note starts in unless the clinician chooses.
    pub default_note_format: crate::documents::types::NoteFormat,
    /// A progress note is due this many hours after its appointment ends.
    pub note_due_hours: i32,
    /// How long an emergency access ("break the glass") lasts.
    pub emergency_access_minutes: i32,
}

/// The practice form as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PracticeInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub time_zone: String,
    #[serde(default)]
    pub billing_npi: String,
    #[serde(default)]
    pub tax_id: String,
    #[serde(default)]
    pub idle_timeout_minutes: String,
    #[serde(default)]
    pub default_note_format: String,
    #[serde(default)]
    pub note_due_hours: String,
    #[serde(default)]
    pub emergency_access_minutes: String,
}

pub const IDLE_TIMEOUT_RANGE: std::ops::RangeInclusive<i32> = 5..=120;

pub fn parse_idle_timeout(raw: &str) -> Result<i32, String> {
    match raw.trim().parse::<i32>() {
        Ok(n) if IDLE_TIMEOUT_RANGE.contains(&n) => Ok(n),
        _ => Err("Sign out after 5 to 120 idle minutes.".into()),
    }
}

pub const NOTE_DUE_HOURS_RANGE: std::ops::RangeInclusive<i32> = 1..=720;

pub fn parse_note_due_hours(raw: &str) -> Result<i32, String> {
    match raw.trim().parse::<i32>() {
        Ok(n) if NOTE_DUE_HOURS_RANGE.contains(&n) => Ok(n),
        _ => Err("Notes are due 1 to 720 hours (30 days) after the session.".into()),
    }
}

pub const EMERGENCY_ACCESS_MINUTES_RANGE: std::ops::RangeInclusive<i32> = 5..=480;

pub fn parse_emergency_access_minutes(raw: &str) -> Result<i32, String> {
    match raw.trim().parse::<i32>() {
        Ok(n) if EMERGENCY_ACCESS_MINUTES_RANGE.contains(&n) => Ok(n),
        _ => Err("Emergency access lasts 5 to 480 minutes (8 hours).".into()),
    }
}

pub fn parse_practice_name(raw: &str) -> Result<String, String> {
    match parse_optional(raw, 200)? {
        Some(name) => Ok(name),
        None => Err("Enter the practice's name.".into()),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Room {
    pub id: RoomId,
    pub location_id: LocationId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub id: LocationId,
    pub name: String,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub phone: Option<String>,
    pub place_of_service: String,
    pub active: bool,
    pub rooms: Vec<Room>,
}

/// The add-location form as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LocationInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub address_line1: String,
    #[serde(default)]
    pub address_line2: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub zip: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub place_of_service: String,
}

/// Everything the settings page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingsOverview {
    pub practice: PracticeSettings,
    pub billing: BillingIdentity,
    pub locations: Vec<Location>,
    pub payers: Vec<Payer>,
}

/// An active location to choose (working hours, appointments).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct LocationOption {
    pub id: LocationId,
    pub name: String,
}

/// The practice as billing provider and submitter on claims (837P 2010AA and 1000A).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BillingIdentity {
    pub taxonomy: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    /// ZIP+4, `12345-6789`.
    pub zip: Option<String>,
    /// E.164, `+13125550142`.
    pub phone: Option<String>,
    /// The id the clearinghouse gave the practice (ISA06).
    pub submitter_id: Option<String>,
}

/// The billing identity form as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BillingIdentityInput {
    pub taxonomy: String,
    pub address: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub phone: String,
    pub submitter_id: String,
}

/// A ZIP+4 (claims need all nine digits of the billing provider's ZIP); empty is `None`.
pub fn parse_zip_plus_four(raw: &str) -> Result<Option<String>, String> {
    let v = raw.trim();
    let digits: String = v.chars().filter(char::is_ascii_digit).collect();
    if v.is_empty() {
        return Ok(None);
    }
    if digits.len() == 9 && v.chars().all(|c| c.is_ascii_digit() || c == '-') {
        return Ok(Some(format!("{}-{}", &digits[..5], &digits[5..])));
    }
    Err("Claims need the ZIP+4 of the billing address, like 60614-2344.".into())
}

/// The submitter id from the clearinghouse: 2 to 15 letters or digits.
pub fn parse_submitter_id(raw: &str) -> Result<Option<String>, String> {
    let v = raw.trim().to_ascii_uppercase();
    match v.len() {
        0 => Ok(None),
        2..=15 if v.chars().all(|c| c.is_ascii_alphanumeric()) => Ok(Some(v)),
        _ => {
            Err("A submitter id is 2 to 15 letters or digits, as the clearinghouse gave it.".into())
        }
    }
}
