//! Client records as both sides see them, and the parsers that turn form text into valid values
//! (they run in the browser for instant feedback and again on the server).

use crate::clients::actions;
use crate::fields::parse_choice;
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
    /// Set when the viewer reads this chart under emergency access.
    pub emergency: Option<crate::clients::emergency::ChartEmergency>,
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
    fn client_choices() {
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
    known_activity(action).unwrap_or("Other activity")
}

/// What a client action is called in the chart's activity tab, when it is one of this module's.
pub fn known_activity(action: &str) -> Option<&'static str> {
    Some(match action {
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
        actions::EMERGENCY_ACCESS_START => "Emergency access started",
        actions::EMERGENCY_ACCESS_REVIEW => "Emergency access reviewed",
        actions::EMERGENCY_ACCESS_END => "Emergency access ended early",
        actions::EMERGENCY_ACCESS_LIST => "Named in a list of emergency access",
        _ => return None,
    })
}
