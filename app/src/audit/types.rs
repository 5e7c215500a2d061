//! The audit trail as the browser sees it.

use crate::ids::{ClientId, UserId};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// How an audited action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Success,
    Failure,
    /// Refused by authorization.
    Denied,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Denied => "denied",
        }
    }
}

/// One row of the audit log page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuditRow {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor_id: Option<UserId>,
    pub actor_email: Option<String>,
    pub action: String,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub client_id: Option<ClientId>,
    pub ip: Option<String>,
    pub outcome: String,
}

/// Filters of the audit log page; all optional. Paging is by id: rows older than `before_id`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub actor_email: Option<String>,
    pub client_id: Option<ClientId>,
    pub action: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub before_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    /// Pass as `before_id` for the next (older) page; `None` on the last page.
    pub next_before_id: Option<i64>,
}

pub const AUDIT_PAGE_SIZE: i64 = 50;

/// One access to a client's record, as the access report lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessRow {
    /// The audit event's number (its place in the trail).
    pub id: i64,
    /// At the practice: "12/07/2026 3:05 PM CST".
    pub when: String,
    pub who: String,
    /// The person's role now (the trail records the person, not the role they had then).
    pub role: String,
    pub what: String,
    pub outcome: String,
    pub emergency: bool,
    pub ip: Option<String>,
}

/// Whether the hash-chained trail checked out when the report was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChainCheck {
    pub verified: bool,
    /// "All 12,345 events of the audit trail verified: none altered, none missing."
    pub summary: String,
}

/// Every access to one client's record over a period (accounting of disclosures).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessReport {
    pub client_id: ClientId,
    pub client_name: String,
    pub chart_number: String,
    /// "12/01/2026 to 12/07/2026"
    pub period: String,
    pub rows: Vec<AccessRow>,
    pub chain: ChainCheck,
}

/// The most events one report lists (a longer period is refused with a sentence).
pub const ACCESS_REPORT_MAX_ROWS: usize = 5000;
