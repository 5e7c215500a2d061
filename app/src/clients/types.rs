//! Client records as both sides see them, and the parsers that turn form text into valid values
//! (they run in the browser for instant feedback and again on the server).

use crate::clients::actions;
use crate::ids::{ClientId, UserId};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

mod insurance;
pub use insurance::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "client_status", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum ClientStatus {
    Inquiry,
    Waitlist,
    Active,
    Inactive,
    Discharged,
}

impl ClientStatus {
    pub const ALL: [ClientStatus; 5] = [
        ClientStatus::Inquiry,
        ClientStatus::Waitlist,
        ClientStatus::Active,
        ClientStatus::Inactive,
        ClientStatus::Discharged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClientStatus::Inquiry => "inquiry",
            ClientStatus::Waitlist => "waitlist",
            ClientStatus::Active => "active",
            ClientStatus::Inactive => "inactive",
            ClientStatus::Discharged => "discharged",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ClientStatus::Inquiry => "Inquiry",
            ClientStatus::Waitlist => "Waitlist",
            ClientStatus::Active => "Active",
            ClientStatus::Inactive => "Inactive",
            ClientStatus::Discharged => "Discharged",
        }
    }

    pub fn parse(s: &str) -> Result<ClientStatus, String> {
        ClientStatus::ALL
            .into_iter()
            .find(|st| st.as_str() == s.trim())
            .ok_or_else(|| "Choose one of the listed statuses.".to_owned())
    }
}

/// A required name part: trimmed, 1–80 characters.
pub fn parse_name(raw: &str, what: &str) -> Result<String, String> {
    let v = raw.trim();
    match v.chars().count() {
        0 => Err(format!("Enter the {what}.")),
        1..=80 => Ok(v.to_owned()),
        _ => Err(format!("The {what} is at most 80 characters.")),
    }
}

/// An optional short text: empty becomes `None`.
pub fn parse_optional(raw: &str, max: usize) -> Result<Option<String>, String> {
    let v = raw.trim();
    if v.is_empty() {
        Ok(None)
    } else if v.chars().count() > max {
        Err(format!("At most {max} characters."))
    } else {
        Ok(Some(v.to_owned()))
    }
}

/// A date of birth: ISO (1990-04-23) or US (04/23/1990), not in the future, not before 1900.
pub fn parse_date_of_birth(raw: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let v = raw.trim();
    if v.is_empty() {
        return Err("Enter the date of birth.".into());
    }
    let date = parse_date(v).ok_or("Enter the date as MM/DD/YYYY, e.g. 04/23/1990.")?;
    if date > today {
        return Err("The date of birth cannot be in the future.".into());
    }
    if date.year() < 1900 {
        return Err("The date of birth must be in 1900 or later.".into());
    }
    Ok(date)
}

/// `YYYY-MM-DD` or `MM/DD/YYYY`.
pub fn parse_date(v: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(v, "%m/%d/%Y"))
        .ok()
}

/// A US phone number in any common format, stored as E.164 (`+15551234567`); empty is `None`.
pub fn parse_phone(raw: &str) -> Result<Option<String>, String> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v.chars()
        .any(|c| !(c.is_ascii_digit() || " ()-.+".contains(c)))
    {
        return Err("Use digits only, like (555) 123-4567.".into());
    }
    let digits: String = v.chars().filter(char::is_ascii_digit).collect();
    let national = match digits.len() {
        10 => digits.as_str(),
        11 if digits.starts_with('1') => &digits[1..],
        _ => return Err("A US phone number has 10 digits, like (555) 123-4567.".into()),
    };
    if national.starts_with(['0', '1']) {
        return Err("A US area code cannot start with 0 or 1.".into());
    }
    Ok(Some(format!("+1{national}")))
}

/// `+15551234567` → `(555) 123-4567`.
pub fn format_phone(e164: &str) -> String {
    match e164.strip_prefix("+1") {
        Some(n) if n.len() == 10 => format!("({}) {}-{}", &n[..3], &n[3..6], &n[6..]),
        _ => e164.to_owned(),
    }
}

/// A ZIP or ZIP+4; empty is `None`.
pub fn parse_zip(raw: &str) -> Result<Option<String>, String> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let ok = match v.len() {
        5 => v.chars().all(|c| c.is_ascii_digit()),
        10 => {
            v[..5].chars().all(|c| c.is_ascii_digit())
                && &v[5..6] == "-"
                && v[6..].chars().all(|c| c.is_ascii_digit())
        }
        _ => false,
    };
    if ok {
        Ok(Some(v.to_owned()))
    } else {
        Err("A ZIP code is 5 digits, or ZIP+4 like 60614-1234.".into())
    }
}

/// US states, DC and the territories with USPS codes.
pub const US_STATES: &[(&str, &str)] = &[
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
    ("AS", "American Samoa"),
    ("GU", "Guam"),
    ("MP", "Northern Mariana Islands"),
    ("PR", "Puerto Rico"),
    ("VI", "U.S. Virgin Islands"),
];

pub fn parse_state(raw: &str) -> Result<Option<String>, String> {
    let v = raw.trim().to_ascii_uppercase();
    if v.is_empty() {
        return Ok(None);
    }
    if US_STATES.iter().any(|(code, _)| *code == v) {
        Ok(Some(v))
    } else {
        Err("Choose a US state.".into())
    }
}

pub const SEX_AT_BIRTH: &[(&str, &str)] = &[
    ("female", "Female"),
    ("male", "Male"),
    ("intersex", "Intersex"),
    ("unknown", "Unknown"),
    ("declined", "Declined to answer"),
];

pub const CONTACT_METHODS: &[(&str, &str)] = &[
    ("phone", "Phone call"),
    ("sms", "Text message"),
    ("email", "Email"),
    ("mail", "Mail"),
];

pub fn parse_choice(raw: &str, choices: &[(&str, &str)]) -> Result<Option<String>, String> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    choices
        .iter()
        .find(|(code, _)| *code == v)
        .map(|(code, _)| Some((*code).to_owned()))
        .ok_or_else(|| "Choose one of the listed options.".to_owned())
}

pub fn parse_sex_at_birth(raw: &str) -> Result<Option<String>, String> {
    parse_choice(raw, SEX_AT_BIRTH)
}

pub fn parse_contact_method(raw: &str) -> Result<String, String> {
    Ok(parse_choice(raw, CONTACT_METHODS)?.unwrap_or_else(|| "phone".into()))
}

/// Whole years between a date of birth and `today`.
pub fn age_on(dob: NaiveDate, today: NaiveDate) -> i32 {
    let mut years = today.year() - dob.year();
    if (today.month(), today.day()) < (dob.month(), dob.day()) {
        years -= 1;
    }
    years
}

/// The new-client form, exactly as typed (checkboxes arrive as "on" or not at all).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClientInput {
    pub legal_first_name: String,
    pub legal_last_name: String,
    #[serde(default)]
    pub preferred_name: String,
    #[serde(default)]
    pub pronouns: String,
    pub date_of_birth: String,
    #[serde(default)]
    pub sex_assigned_at_birth: String,
    #[serde(default)]
    pub gender_identity: String,
    #[serde(default)]
    pub phone_mobile: String,
    #[serde(default)]
    pub phone_home: String,
    #[serde(default)]
    pub phone_work: String,
    #[serde(default)]
    pub sms_consent: Option<String>,
    #[serde(default)]
    pub voicemail_consent: Option<String>,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub email_consent: Option<String>,
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
    pub preferred_contact: String,
    #[serde(default)]
    pub preferred_language: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub primary_clinician_id: String,
    #[serde(default)]
    pub referral_source: String,
}

/// One row of the client list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ClientSummary {
    pub id: ClientId,
    pub chart_number: String,
    pub legal_first_name: String,
    pub legal_last_name: String,
    pub preferred_name: Option<String>,
    pub date_of_birth: NaiveDate,
    pub status: ClientStatus,
    pub phone_mobile: Option<String>,
    pub primary_clinician_name: Option<String>,
    /// The most severe active alert the viewer may read: 1 info, 2 warning, 3 critical.
    pub alert_level: Option<i32>,
    pub alert_count: i64,
}

impl ClientSummary {
    /// The alert badge's severity class and text, when the client has alerts.
    pub fn alert_badge(&self) -> Option<(&'static str, String)> {
        let severity = match self.alert_level? {
            3 => "critical",
            2 => "warning",
            _ => "info",
        };
        let n = self.alert_count;
        Some((
            severity,
            format!("{n} alert{}", if n == 1 { "" } else { "s" }),
        ))
    }

    /// "Last, First (Preferred)".
    pub fn display_name(&self) -> String {
        match &self.preferred_name {
            Some(p) if p != &self.legal_first_name => {
                format!("{}, {} ({p})", self.legal_last_name, self.legal_first_name)
            }
            _ => format!("{}, {}", self.legal_last_name, self.legal_first_name),
        }
    }
}

/// Search and filters of the client list. Empty `q` lists everyone the user may see.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClientQuery {
    #[serde(default)]
    pub q: String,
    pub status: Option<ClientStatus>,
    pub clinician_id: Option<UserId>,
    #[serde(default)]
    pub sort: ClientSort,
    #[serde(default)]
    pub page: u32,
}

/// The order of a client list (a name search is ranked by closeness instead).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientSort {
    #[default]
    Name,
    ChartNumber,
    Newest,
}

impl ClientSort {
    pub const ALL: [ClientSort; 3] = [
        ClientSort::Name,
        ClientSort::ChartNumber,
        ClientSort::Newest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClientSort::Name => "name",
            ClientSort::ChartNumber => "chart_number",
            ClientSort::Newest => "newest",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ClientSort::Name => "Name",
            ClientSort::ChartNumber => "Chart number",
            ClientSort::Newest => "Newest first",
        }
    }

    pub fn parse(s: &str) -> ClientSort {
        ClientSort::ALL
            .into_iter()
            .find(|o| o.as_str() == s)
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientPage {
    pub rows: Vec<ClientSummary>,
    pub has_more: bool,
}

pub const CLIENT_PAGE_SIZE: i64 = 25;

/// The whole client record as the chart's overview shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ClientRecord {
    pub id: ClientId,
    pub chart_number: String,
    pub legal_first_name: String,
    pub legal_last_name: String,
    pub preferred_name: Option<String>,
    pub pronouns: Option<String>,
    pub date_of_birth: NaiveDate,
    pub sex_assigned_at_birth: Option<String>,
    pub gender_identity: Option<String>,
    pub phone_mobile: Option<String>,
    pub phone_home: Option<String>,
    pub phone_work: Option<String>,
    pub sms_consent: bool,
    pub voicemail_consent: bool,
    pub email: Option<String>,
    pub email_consent: bool,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
    pub preferred_contact: String,
    pub preferred_language: String,
    pub status: ClientStatus,
    pub primary_clinician_id: Option<UserId>,
    pub primary_clinician_name: Option<String>,
    pub referral_source: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// One status change in the chart's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct StatusChange {
    pub from_status: Option<ClientStatus>,
    pub to_status: ClientStatus,
    pub reason: Option<String>,
    pub changed_by_name: Option<String>,
    pub changed_at: DateTime<Utc>,
    /// The day of the change at the practice.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    #[serde(default)]
    pub changed_on: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientChart {
    pub client: ClientRecord,
    pub history: Vec<StatusChange>,
    /// Staff besides the primary clinician who work with the client.
    pub care_team: Vec<ClinicianOption>,
    /// Set when this record was merged into another (a duplicate): the record it lives in now.
    pub merged_into: Option<ClientId>,
    /// Whether the viewer may change demographics, status and the care team.
    pub can_edit: bool,
    /// Whether the viewer may merge a duplicate into this record.
    pub can_merge: bool,
}

/// A clinician to choose as primary clinician.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ClinicianOption {
    pub id: UserId,
    pub display_name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    #[test]
    fn phones_are_normalised_and_bad_ones_explained() {
        assert_eq!(
            parse_phone("(555) 234-5678").unwrap().as_deref(),
            Some("+15552345678")
        );
        assert_eq!(
            parse_phone("1-555-234-5678").unwrap().as_deref(),
            Some("+15552345678")
        );
        assert_eq!(parse_phone("  ").unwrap(), None);
        assert!(parse_phone("555-1234").unwrap_err().contains("10 digits"));
        assert!(parse_phone("(055) 234-5678")
            .unwrap_err()
            .contains("area code"));
        assert!(parse_phone("call me").unwrap_err().contains("digits"));
        assert_eq!(format_phone("+15552345678"), "(555) 234-5678");
    }

    #[test]
    fn dates_of_birth_accept_two_formats_and_refuse_the_future() {
        let d = NaiveDate::from_ymd_opt(1990, 4, 23).unwrap();
        assert_eq!(parse_date_of_birth("1990-04-23", today()), Ok(d));
        assert_eq!(parse_date_of_birth("04/23/1990", today()), Ok(d));
        assert!(parse_date_of_birth("2027-01-01", today())
            .unwrap_err()
            .contains("future"));
        assert!(parse_date_of_birth("02/30/1990", today())
            .unwrap_err()
            .contains("MM/DD/YYYY"));
        assert!(parse_date_of_birth("1899-12-31", today())
            .unwrap_err()
            .contains("1900"));
        assert!(parse_date_of_birth("", today())
            .unwrap_err()
            .contains("Enter"));
    }

    #[test]
    fn zip_state_and_choices() {
        assert_eq!(parse_zip("60614").unwrap().as_deref(), Some("60614"));
        assert_eq!(
            parse_zip("60614-1234").unwrap().as_deref(),
            Some("60614-1234")
        );
        assert!(
            parse_zip("6061").is_err()
                && parse_zip("60614-12").is_err()
                && parse_zip("ABCDE").is_err()
        );
        assert_eq!(parse_state("il").unwrap().as_deref(), Some("IL"));
        assert!(parse_state("XX").is_err());
        assert!(parse_sex_at_birth("other").is_err());
        assert_eq!(parse_contact_method("").unwrap(), "phone");
    }

    #[test]
    fn age_counts_whole_years() {
        let dob = NaiveDate::from_ymd_opt(2000, 11, 26).unwrap();
        assert_eq!(age_on(dob, today()), 25);
        assert_eq!(
            age_on(NaiveDate::from_ymd_opt(2000, 11, 25).unwrap(), today()),
            26
        );
    }
}

// ---- diagnoses ----

/// An ICD-10-CM code offered by the type-ahead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Icd10Code {
    pub code: String,
    pub description: String,
}

pub const DIAGNOSIS_KINDS: &[(&str, &str)] = &[
    ("primary", "Primary"),
    ("secondary", "Secondary"),
    ("rule_out", "Rule-out"),
];

pub fn parse_diagnosis_kind(raw: &str) -> Result<String, String> {
    parse_choice(raw, DIAGNOSIS_KINDS)?
        .ok_or_else(|| "Choose primary, secondary or rule-out.".to_owned())
}

pub fn diagnosis_kind_label(kind: &str) -> &'static str {
    DIAGNOSIS_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("Other", |(_, l)| l)
}

/// A diagnosis on the chart. Billers get the code without its description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Diagnosis {
    pub id: crate::ids::DiagnosisId,
    pub code: String,
    pub description: Option<String>,
    pub kind: String,
    pub onset_on: Option<NaiveDate>,
    pub resolved_on: Option<NaiveDate>,
    pub recorded_by_name: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiagnosisList {
    pub diagnoses: Vec<Diagnosis>,
    /// Whether the viewer may add and resolve diagnoses (clinical staff on the caseload).
    pub can_edit: bool,
}

// ---- contacts ----

pub const CONTACT_KINDS: &[(&str, &str)] = &[
    ("emergency", "Emergency contact"),
    ("guardian", "Guardian"),
    ("responsible_party", "Responsible party"),
];

pub fn contact_kind_label(kind: &str) -> &'static str {
    CONTACT_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("Contact", |(_, l)| l)
}

/// A contact person on the chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ClientContact {
    pub id: crate::ids::ContactId,
    pub kind: String,
    pub name: String,
    pub relationship: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub may_receive_info: bool,
}

/// The add-contact form as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContactInput {
    pub kind: String,
    pub name: String,
    pub relationship: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub may_receive_info: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactList {
    pub contacts: Vec<ClientContact>,
    pub can_edit: bool,
}

// ---- flags ----

pub const FLAG_CATEGORIES: &[(&str, &str)] = &[
    ("clinical_risk", "Clinical risk"),
    ("billing", "Billing"),
    ("administrative", "Administrative"),
];
pub const FLAG_SEVERITIES: &[(&str, &str)] = &[
    ("info", "Info"),
    ("warning", "Warning"),
    ("critical", "Critical"),
];

pub fn flag_category_label(category: &str) -> &'static str {
    FLAG_CATEGORIES
        .iter()
        .find(|(k, _)| *k == category)
        .map_or("Flag", |(_, l)| l)
}

/// An active alert on a chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ClientFlag {
    pub id: crate::ids::FlagId,
    pub category: String,
    pub severity: String,
    pub text: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlagList {
    pub flags: Vec<ClientFlag>,
    /// The categories the viewer may add.
    pub can_add: Vec<String>,
}

// ---- activity ----

/// One event of the chart's activity history, from the audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ActivityItem {
    pub occurred_at: DateTime<Utc>,
    /// `occurred_at` in the practice's time zone, as people read it.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    #[serde(default)]
    pub when: String,
    pub actor_name: Option<String>,
    pub action: String,
    pub outcome: String,
}

/// What an audited action means, in words.
pub fn activity_label(action: &str) -> &'static str {
    match action {
        actions::CREATE => "Record created",
        actions::UPDATE => "Demographics changed",
        actions::STATUS_CHANGE => "Status changed",
        actions::VIEW => "Chart opened",
        actions::CONTACT_ADD => "Contact added",
        actions::CONTACTS_VIEW => "Contacts viewed",
        actions::FLAG_ADD => "Alert added",
        actions::FLAG_CLEAR => "Alert cleared",
        actions::CONTACT_REMOVE => "Contact removed",
        actions::FLAGS_VIEW => "Alerts viewed",
        actions::DIAGNOSIS_ADD => "Diagnosis added",
        actions::DIAGNOSIS_RESOLVE => "Diagnosis resolved",
        actions::DIAGNOSES_VIEW => "Diagnoses viewed",
        actions::INSURANCE_VIEW => "Insurance viewed",
        actions::POLICY_ADD => "Insurance policy added",
        actions::POLICY_END => "Insurance policy ended",
        actions::PRIOR_AUTH_ADD => "Prior authorization recorded",
        actions::CARE_TEAM_ADD => "Added to the care team",
        actions::CARE_TEAM_REMOVE => "Removed from the care team",
        actions::MERGE => "Duplicate record merged in",
        actions::MERGED_AWAY => "Merged into another record",
        actions::ACTIVITY_VIEW => "Activity viewed",
        _ => "Other activity",
    }
}
