//! Insurance: everyone who may open the chart reads the client's policies (billers and front desk for
//! every client, clinical staff for their caseload); admin and front desk add and end policies and
//! record prior authorizations.

use super::insurance_repo::{self as repo, NewPolicy, NewPriorAuth};
use super::service::{open_for_reading, record_read};
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::clients::actions;
use crate::clients::types::*;
use crate::error::{AppError, Validator};
use crate::fields::{
    parse_date_of_birth, parse_identifier, parse_name, parse_optional_date, parse_required_date,
};
use crate::ids::{ClientId, PayerId, PolicyId};
use crate::money::Money;
use chrono::NaiveDate;
use sqlx::PgPool;

pub async fn list(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
) -> Result<InsuranceList, AppError> {
    const READ: &str = actions::INSURANCE_VIEW;
    let (mut conn, access) = open_for_reading(pool, user, meta, client, READ).await?;
    let policies = repo::policies(&mut conn, client).await?;
    record_read(&mut conn, user, meta, client, READ, access).await?;
    Ok(InsuranceList {
        policies,
        can_edit: user.role.can(Permission::EditClientDemographics),
    })
}

impl NewPolicy {
    pub fn parse(input: &PolicyInput, today: NaiveDate) -> Result<NewPolicy, AppError> {
        let mut v = Validator::new();
        let payer = v.check(
            "payer_id",
            input
                .payer_id
                .trim()
                .parse::<PayerId>()
                .map_err(|_| "Choose a payer from the list.".to_owned()),
        );
        let priority = v.check("priority", parse_priority(&input.priority));
        let member_id = v.check(
            "member_id",
            parse_identifier(&input.member_id, "member id", 2),
        );
        let group_number = if input.group_number.trim().is_empty() {
            Some(None)
        } else {
            v.check(
                "group_number",
                parse_identifier(&input.group_number, "group number", 1).map(Some),
            )
        };
        let relationship = v.check(
            "subscriber_relationship",
            parse_relationship(&input.subscriber_relationship),
        );
        let someone_else = relationship.as_deref().is_some_and(|r| r != "self");
        let subscriber_name = if someone_else {
            v.check(
                "subscriber_name",
                parse_name(&input.subscriber_name, "subscriber's name").map(Some),
            )
        } else {
            Some(None)
        };
        let subscriber_dob = if someone_else {
            v.check(
                "subscriber_dob",
                parse_date_of_birth(&input.subscriber_dob, today).map(Some),
            )
        } else {
            Some(None)
        };
        let start = v.check(
            "coverage_start",
            parse_required_date(&input.coverage_start, "date coverage starts"),
        );
        let end = v.check("coverage_end", parse_optional_date(&input.coverage_end));
        if let (Some(s), Some(Some(e))) = (start, end) {
            if e < s {
                v.add("coverage_end", "Coverage cannot end before it starts.");
            }
        }
        let copay = v.check("copay", Money::parse_or_zero(&input.copay));
        let deductible = v.check("deductible", Money::parse_or_zero(&input.deductible));
        v.finish_with(|| {
            Some(NewPolicy {
                payer: payer?,
                priority: priority?,
                member_id: member_id?,
                group_number: group_number?,
                subscriber_relationship: relationship?,
                subscriber_name: subscriber_name?,
                subscriber_dob: subscriber_dob?,
                coverage_start: start?,
                coverage_end: end?,
                copay: copay?,
                deductible: deductible?,
            })
        })
    }
}

pub async fn add_policy(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
    input: &PolicyInput,
    today: NaiveDate,
) -> Result<PolicyId, AppError> {
    user.require(Permission::EditClientDemographics)?;
    let policy = NewPolicy::parse(input, today)?;
    let mut tx = pool.begin().await?;
    if !crate::settings::server::service::payer_is_active(&mut tx, policy.payer).await? {
        return Err(AppError::field(
            "payer_id",
            "Choose an active payer from the list.",
        ));
    }
    let id = repo::insert_policy(&mut tx, client, &policy, Some(user.id)).await?;
    record(
        &mut tx,
        AuditEvent::new(actions::POLICY_ADD, Outcome::Success, meta)
            .by(user)
            .entity("insurance_policy", id)
            .client(client)
            .detail(serde_json::json!({ "priority": policy.priority })),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Ends a policy (it stays on the chart, inactive), so another can take its place.
pub async fn end_policy(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: PolicyId,
    end_on: &str,
) -> Result<(), AppError> {
    user.require(Permission::EditClientDemographics)?;
    let end_on = parse_required_date(end_on, "last day of coverage")
        .map_err(|m| AppError::field("end_on", m))?;
    let mut tx = pool.begin().await?;
    let owner = repo::policy_owner(&mut tx, id).await?;
    if !owner.active {
        return Err(AppError::Conflict("This policy has already ended.".into()));
    }
    if end_on < owner.coverage_start {
        return Err(AppError::field(
            "end_on",
            "Coverage cannot end before it starts.",
        ));
    }
    repo::end_policy(&mut tx, id, end_on, user.id).await?;
    record(
        &mut tx,
        AuditEvent::new(actions::POLICY_END, Outcome::Success, meta)
            .by(user)
            .entity("insurance_policy", id)
            .client(owner.client),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

impl NewPriorAuth {
    pub fn parse(input: &PriorAuthInput) -> Result<NewPriorAuth, AppError> {
        let mut v = Validator::new();
        let number = v.check(
            "auth_number",
            parse_identifier(&input.auth_number, "authorization number", 3),
        );
        let authorized = v.check(
            "visits_authorized",
            parse_visits(&input.visits_authorized, "number of visits authorized").and_then(|n| {
                if n == 0 {
                    Err("At least one visit is authorized.".to_owned())
                } else {
                    Ok(n)
                }
            }),
        );
        let used = if input.visits_used.trim().is_empty() {
            Some(0)
        } else {
            v.check(
                "visits_used",
                parse_visits(&input.visits_used, "visits used"),
            )
        };
        if let (Some(a), Some(u)) = (authorized, used) {
            if u > a {
                v.add(
                    "visits_used",
                    "More visits used than authorized: check both numbers.",
                );
            }
        }
        let start = v.check(
            "start_on",
            parse_required_date(&input.start_on, "first authorized date"),
        );
        let end = v.check(
            "end_on",
            parse_required_date(&input.end_on, "last authorized date"),
        );
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                v.add("end_on", "The authorization cannot end before it starts.");
            }
        }
        v.finish_with(|| {
            Some(NewPriorAuth {
                auth_number: number?,
                visits_authorized: authorized?,
                visits_used: used?,
                start_on: start?,
                end_on: end?,
            })
        })
    }
}

pub async fn add_prior_auth(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    policy: PolicyId,
    input: &PriorAuthInput,
) -> Result<(), AppError> {
    user.require(Permission::EditClientDemographics)?;
    let auth = NewPriorAuth::parse(input)?;
    let mut tx = pool.begin().await?;
    let owner = repo::policy_owner(&mut tx, policy).await?;
    if !owner.active {
        return Err(AppError::Conflict(
            "This policy has ended: add the authorization to the current policy.".into(),
        ));
    }
    let id = repo::insert_prior_auth(&mut tx, policy, &auth, Some(user.id)).await?;
    record(
        &mut tx,
        AuditEvent::new(actions::PRIOR_AUTH_ADD, Outcome::Success, meta)
            .by(user)
            .entity("prior_authorization", id)
            .client(owner.client),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Payers to choose from (the active ones), for anyone who edits insurance; the list is not PHI.
pub async fn payer_options(pool: &PgPool, user: &CurrentUser) -> Result<Vec<Payer>, AppError> {
    user.require(Permission::EditClientDemographics)?;
    crate::settings::server::service::payers(pool, false).await
}
