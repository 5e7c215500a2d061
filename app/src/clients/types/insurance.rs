//! Insurance policies and prior authorizations: DTOs, form inputs and the parsers both sides run.

use crate::fields::parse_choice;
use crate::ids::{PayerId, PolicyId, PriorAuthId};
use crate::money::Money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub const POLICY_PRIORITIES: &[(&str, &str)] =
    &[("primary", "Primary"), ("secondary", "Secondary")];

pub const SUBSCRIBER_RELATIONSHIPS: &[(&str, &str)] = &[
    ("self", "Self"),
    ("spouse", "Spouse"),
    ("child", "Child (subscriber is parent)"),
    ("other", "Other"),
];

/// A whole number of visits, 0–1000.
pub fn parse_visits(raw: &str, what: &str) -> Result<i32, String> {
    let v = raw.trim();
    if v.is_empty() {
        return Err(format!("Enter the {what}."));
    }
    match v.parse::<i32>() {
        Ok(n) if (0..=1000).contains(&n) => Ok(n),
        Ok(_) => Err("Enter a number from 0 to 1000.".into()),
        Err(_) => Err("Enter a whole number of visits.".into()),
    }
}

pub fn parse_priority(raw: &str) -> Result<String, String> {
    parse_choice(raw, POLICY_PRIORITIES)?.ok_or_else(|| "Choose primary or secondary.".to_owned())
}

pub fn parse_relationship(raw: &str) -> Result<String, String> {
    parse_choice(raw, SUBSCRIBER_RELATIONSHIPS)?
        .ok_or_else(|| "Choose the client's relationship to the subscriber.".to_owned())
}

/// A payer on the practice's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Payer {
    pub id: PayerId,
    pub name: String,
    pub payer_code: String,
    pub active: bool,
}

/// The add-policy form as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PolicyInput {
    #[serde(default)]
    pub payer_id: String,
    #[serde(default)]
    pub priority: String,
    #[serde(default)]
    pub member_id: String,
    #[serde(default)]
    pub group_number: String,
    #[serde(default)]
    pub subscriber_relationship: String,
    #[serde(default)]
    pub subscriber_name: String,
    #[serde(default)]
    pub subscriber_dob: String,
    #[serde(default)]
    pub coverage_start: String,
    #[serde(default)]
    pub coverage_end: String,
    #[serde(default)]
    pub copay: String,
    #[serde(default)]
    pub deductible: String,
}

/// The add-authorization form as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PriorAuthInput {
    #[serde(default)]
    pub auth_number: String,
    #[serde(default)]
    pub visits_authorized: String,
    #[serde(default)]
    pub visits_used: String,
    #[serde(default)]
    pub start_on: String,
    #[serde(default)]
    pub end_on: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PriorAuth {
    pub id: PriorAuthId,
    pub policy_id: PolicyId,
    pub auth_number: String,
    pub visits_authorized: i32,
    pub visits_used: i32,
    pub start_on: NaiveDate,
    pub end_on: NaiveDate,
}

/// Warn when this few visits or days are left.
pub const AUTH_FEW_VISITS: i32 = 3;
pub const AUTH_FEW_DAYS: i64 = 14;

impl PriorAuth {
    pub fn visits_left(&self) -> i32 {
        self.visits_authorized - self.visits_used
    }

    /// What the front desk should know before booking against this authorization, if anything.
    pub fn warning(&self, today: NaiveDate) -> Option<String> {
        let fmt = |d: NaiveDate| d.format("%m/%d/%Y").to_string();
        if today > self.end_on {
            return Some(format!("Expired on {}.", fmt(self.end_on)));
        }
        if today < self.start_on {
            return None;
        }
        let left = self.visits_left();
        if left <= 0 {
            return Some(format!("All {} visits used.", self.visits_authorized));
        }
        let days = (self.end_on - today).num_days();
        let mut parts = Vec::new();
        if left <= AUTH_FEW_VISITS {
            parts.push(format!(
                "Only {left} visit{} left.",
                if left == 1 { "" } else { "s" }
            ));
        }
        if days <= AUTH_FEW_DAYS {
            parts.push(format!(
                "Ends in {days} day{} ({}).",
                if days == 1 { "" } else { "s" },
                fmt(self.end_on)
            ));
        }
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

/// A policy as the chart's insurance tab shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InsurancePolicy {
    pub id: PolicyId,
    pub payer_name: String,
    pub payer_code: String,
    pub priority: String,
    pub member_id: String,
    pub group_number: Option<String>,
    pub subscriber_relationship: String,
    pub subscriber_name: Option<String>,
    pub subscriber_dob: Option<NaiveDate>,
    pub coverage_start: NaiveDate,
    pub coverage_end: Option<NaiveDate>,
    pub copay: Money,
    pub deductible: Money,
    pub active: bool,
    pub prior_auths: Vec<PriorAuth>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InsuranceList {
    pub policies: Vec<InsurancePolicy>,
    /// Whether the viewer may add and end policies and authorizations.
    pub can_edit: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::parse_payer_code;
    use crate::fields::parse_identifier;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn auth(used: i32, end: NaiveDate) -> PriorAuth {
        PriorAuth {
            id: PriorAuthId(uuid::Uuid::nil()),
            policy_id: PolicyId(uuid::Uuid::nil()),
            auth_number: "A1".into(),
            visits_authorized: 12,
            visits_used: used,
            start_on: d(2026, 1, 1),
            end_on: end,
        }
    }

    #[test]
    fn authorizations_warn_when_few_visits_or_days_remain() {
        let today = d(2026, 11, 25);
        assert_eq!(auth(2, d(2027, 6, 30)).warning(today), None);
        assert_eq!(
            auth(10, d(2027, 6, 30)).warning(today).unwrap(),
            "Only 2 visits left."
        );
        assert_eq!(
            auth(2, d(2026, 12, 1)).warning(today).unwrap(),
            "Ends in 6 days (12/01/2026)."
        );
        assert_eq!(
            auth(12, d(2027, 6, 30)).warning(today).unwrap(),
            "All 12 visits used."
        );
        assert!(auth(0, d(2026, 11, 24))
            .warning(today)
            .unwrap()
            .starts_with("Expired"));
    }

    #[test]
    fn identifiers_are_upper_cased_and_checked() {
        assert_eq!(
            parse_identifier(" xyz-123 ", "member id", 2).unwrap(),
            "XYZ-123"
        );
        assert!(parse_identifier("", "member id", 2)
            .unwrap_err()
            .contains("Enter the member id"));
        assert!(parse_identifier("AB 12", "member id", 2)
            .unwrap_err()
            .contains("only letters"));
        assert_eq!(parse_payer_code("bcbsi").unwrap(), "BCBSI");
        assert!(parse_payer_code("B").is_err());
        assert_eq!(parse_visits("12", "visits").unwrap(), 12);
        assert!(parse_visits("1.5", "visits").unwrap_err().contains("whole"));
        assert!(parse_visits("5000", "visits").unwrap_err().contains("1000"));
    }
}
