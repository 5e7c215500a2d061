//! The audit trail's names for what happens in client records, their contacts, alerts, diagnoses,
//! insurance and care team: every event of this module is recorded under one of these (reports and
//! the activity tab read them back).

pub const ACTIVITY_VIEW: &str = "clients.activity_view";
pub const CARE_TEAM_ADD: &str = "clients.care_team_add";
pub const CARE_TEAM_REMOVE: &str = "clients.care_team_remove";
pub const CONTACT_ADD: &str = "clients.contact_add";
pub const CONTACT_REMOVE: &str = "clients.contact_remove";
pub const CONTACTS_VIEW: &str = "clients.contacts_view";
pub const CREATE: &str = "clients.create";
pub const DIAGNOSES_VIEW: &str = "clients.diagnoses_view";
pub const DIAGNOSIS_ADD: &str = "clients.diagnosis_add";
pub const DIAGNOSIS_RESOLVE: &str = "clients.diagnosis_resolve";
pub const EMERGENCY_ACCESS_END: &str = "clients.emergency_access_end";
pub const EMERGENCY_ACCESS_LIST: &str = "clients.emergency_access_list";
pub const EMERGENCY_ACCESS_REVIEW: &str = "clients.emergency_access_review";
pub const EMERGENCY_ACCESS_START: &str = "clients.emergency_access_start";
pub const FLAG_ADD: &str = "clients.flag_add";
pub const FLAG_CLEAR: &str = "clients.flag_clear";
pub const FLAGS_VIEW: &str = "clients.flags_view";
pub const INSURANCE_VIEW: &str = "clients.insurance_view";
pub const MERGE: &str = "clients.merge";
pub const MERGED_AWAY: &str = "clients.merged_away";
pub const POLICY_ADD: &str = "clients.policy_add";
pub const POLICY_END: &str = "clients.policy_end";
pub const PRIOR_AUTH_ADD: &str = "clients.prior_auth_add";
pub const SEARCH: &str = "clients.search";
pub const STATUS_CHANGE: &str = "clients.status_change";
pub const UPDATE: &str = "clients.update";
pub const VIEW: &str = "clients.view";
