//! Emergency access ("break the glass") as both sides see it: why a clinician opens a chart outside
//! their caseload, the grant they get, and the administrators' review list.

use crate::auth::types::Role;
use crate::ids::{ClientId, EmergencyAccessId};
use serde::{Deserialize, Serialize};

/// Clinicians and supervisors may break the glass; interns work under supervision, and front
/// desk, billers and administrators never read clinical records this way.
pub fn role_may_break_glass(role: Role) -> bool {
    matches!(role, Role::Clinician | Role::Supervisor)
}

/// Why the glass was broken: one of these, plus the holder's own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "emergency_reason", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum EmergencyReason {
    ImminentRisk,
    CrisisCoverage,
    TreatingClinicianUnavailable,
    ContinuityOfCare,
    Other,
}

impl EmergencyReason {
    pub const ALL: [EmergencyReason; 5] = [
        EmergencyReason::ImminentRisk,
        EmergencyReason::CrisisCoverage,
        EmergencyReason::TreatingClinicianUnavailable,
        EmergencyReason::ContinuityOfCare,
        EmergencyReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EmergencyReason::ImminentRisk => "imminent_risk",
            EmergencyReason::CrisisCoverage => "crisis_coverage",
            EmergencyReason::TreatingClinicianUnavailable => "treating_clinician_unavailable",
            EmergencyReason::ContinuityOfCare => "continuity_of_care",
            EmergencyReason::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EmergencyReason::ImminentRisk => "Imminent risk of harm to the client or others",
            EmergencyReason::CrisisCoverage => "Covering a crisis call or walk-in",
            EmergencyReason::TreatingClinicianUnavailable => {
                "The client's clinician cannot be reached"
            }
            EmergencyReason::ContinuityOfCare => "Urgent continuity of care",
            EmergencyReason::Other => "Other (explain below)",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == raw.trim())
            .ok_or_else(|| "Choose why you need emergency access.".into())
    }
}

pub const EXPLANATION_CHARS: std::ops::RangeInclusive<usize> = 10..=1000;

/// The holder's own words: what is happening and why the chart is needed now.
pub fn parse_explanation(raw: &str) -> Result<String, String> {
    let text = raw.trim();
    match text.chars().count() {
        0 => Err("Say in a sentence what is happening and why you need the chart now.".into()),
        n if n < *EXPLANATION_CHARS.start() => {
            Err("Say a little more: at least 10 characters.".into())
        }
        n if n > *EXPLANATION_CHARS.end() => Err("At most 1,000 characters.".into()),
        _ => Ok(text.to_owned()),
    }
}

/// The break-the-glass form as typed. `client` is the chart's id (from a link) or its chart number.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmergencyAccessInput {
    pub client: String,
    pub reason: String,
    pub explanation: String,
}

/// An open grant, as its holder sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmergencyGrant {
    pub id: EmergencyAccessId,
    pub client_id: ClientId,
    pub client_name: String,
    pub chart_number: String,
    /// The end of the grant at the practice ("3:45 PM CST").
    pub until: String,
}

/// The grant a chart is being read under.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartEmergency {
    pub id: EmergencyAccessId,
    /// When it ends, at the practice ("3:45 PM CST").
    pub until: String,
}

/// One grant on the administrators' review list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmergencyAccessItem {
    pub id: EmergencyAccessId,
    pub holder_name: String,
    pub client_id: ClientId,
    pub client_name: String,
    pub chart_number: String,
    pub reason: EmergencyReason,
    pub explanation: String,
    /// "12/07/2026 3:05 PM – 4:05 PM CST", at the practice.
    pub period: String,
    pub open: bool,
    /// Audited events recorded under the grant (each read of the chart during it).
    pub reads: i64,
    /// "Reviewed by Ada Admin on 12/07/2026 4:30 PM CST", once reviewed.
    pub reviewed: Option<String>,
    pub review_comment: Option<String>,
}

pub const REVIEW_COMMENT_CHARS: usize = 1000;

/// What the reviewer concluded ("Confirmed with the on-call supervisor: appropriate.").
pub fn parse_review_comment(raw: &str) -> Result<String, String> {
    let text = raw.trim();
    match text.chars().count() {
        0 => Err("Write what you found: whether the access was appropriate, and why.".into()),
        n if n > REVIEW_COMMENT_CHARS => Err("At most 1,000 characters.".into()),
        _ => Ok(text.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_back_and_unknown_ones_are_refused() {
        for r in EmergencyReason::ALL {
            assert_eq!(EmergencyReason::parse(r.as_str()), Ok(r));
        }
        assert!(EmergencyReason::parse("curiosity").is_err());
        assert!(EmergencyReason::parse("").is_err());
    }

    #[test]
    fn an_explanation_is_a_real_sentence_of_bounded_length() {
        assert!(parse_explanation("   ").is_err());
        assert!(parse_explanation("help").is_err());
        assert_eq!(
            parse_explanation("  Client called the crisis line.  ").as_deref(),
            Ok("Client called the crisis line.")
        );
        assert!(parse_explanation(&"é".repeat(1000)).is_ok());
        assert!(parse_explanation(&"é".repeat(1001)).is_err());
    }

    #[test]
    fn a_review_says_something() {
        assert!(parse_review_comment(" ").is_err());
        assert_eq!(parse_review_comment(" Fine. ").as_deref(), Ok("Fine."));
        assert!(parse_review_comment(&"x".repeat(1001)).is_err());
    }
}
