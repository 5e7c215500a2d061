//! SQL for insurance policies and prior authorizations (the payer list is the settings module's).

use crate::clients::types::{InsurancePolicy, PriorAuth};
use crate::error::AppError;
use crate::ids::{ClientId, PayerId, PolicyId, PriorAuthId, UserId};
use crate::money::Money;
use chrono::NaiveDate;
use sqlx::PgConnection;

/// A client's policies, active first, each with its authorizations (two queries, not one per policy).
pub async fn policies(
    conn: &mut PgConnection,
    client: ClientId,
) -> Result<Vec<InsurancePolicy>, AppError> {
    let mut policies: Vec<InsurancePolicy> = sqlx::query!(
        r#"SELECT p.id, y.name AS payer_name, y.payer_code, p.priority, p.member_id, p.group_number,
                p.subscriber_relationship, p.subscriber_name, p.subscriber_dob, p.coverage_start,
                p.coverage_end, p.copay_cents AS "copay: Money", p.deductible_cents AS "deductible: Money", p.active
           FROM insurance_policies p JOIN payers y ON y.id = p.payer_id
          WHERE p.client_id = $1
          ORDER BY p.active DESC, array_position(ARRAY['primary', 'secondary'], p.priority), p.coverage_start DESC"#,
        client as _,
    )
    .map(|p| InsurancePolicy {
        id: p.id.into(),
        payer_name: p.payer_name,
        payer_code: p.payer_code,
        priority: p.priority,
        member_id: p.member_id,
        group_number: p.group_number,
        subscriber_relationship: p.subscriber_relationship,
        subscriber_name: p.subscriber_name,
        subscriber_dob: p.subscriber_dob,
        coverage_start: p.coverage_start,
        coverage_end: p.coverage_end,
        copay: p.copay,
        deductible: p.deductible,
        active: p.active,
        prior_auths: Vec::new(),
    })
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<uuid::Uuid> = policies.iter().map(|p| p.id.0).collect();
    let auths: Vec<PriorAuth> = sqlx::query_as!(
        PriorAuth,
        "SELECT id, policy_id, auth_number, visits_authorized, visits_used, start_on, end_on
           FROM prior_authorizations WHERE policy_id = ANY($1) ORDER BY end_on DESC",
        &ids,
    )
    .fetch_all(conn)
    .await?;
    for auth in auths {
        if let Some(p) = policies.iter_mut().find(|p| p.id == auth.policy_id) {
            p.prior_auths.push(auth);
        }
    }
    Ok(policies)
}

pub async fn insert_policy(
    conn: &mut PgConnection,
    client: ClientId,
    p: &NewPolicy,
    by: Option<UserId>,
) -> Result<PolicyId, AppError> {
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO insurance_policies (client_id, payer_id, priority, member_id, group_number,
            subscriber_relationship, subscriber_name, subscriber_dob, coverage_start, coverage_end,
            copay_cents, deductible_cents, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id AS "id: PolicyId""#,
        client as _,
        p.payer as _,
        &p.priority,
        &p.member_id,
        &p.group_number as _,
        &p.subscriber_relationship,
        &p.subscriber_name as _,
        p.subscriber_dob,
        p.coverage_start,
        p.coverage_end,
        p.copay as _,
        p.deductible as _,
        by as _,
    )
    .fetch_one(conn)
    .await?)
}

/// The client and coverage dates of a policy.
pub struct PolicyOwner {
    pub client: ClientId,
    pub active: bool,
    pub coverage_start: NaiveDate,
}

pub async fn policy_owner(conn: &mut PgConnection, id: PolicyId) -> Result<PolicyOwner, AppError> {
    Ok(sqlx::query_as!(
        PolicyOwner,
        r#"SELECT client_id AS "client: ClientId", active, coverage_start
             FROM insurance_policies WHERE id = $1"#,
        id as _,
    )
    .fetch_one(conn)
    .await?)
}

/// Ends an active policy on `end_on` (its coverage end, when none was set or it was later).
pub async fn end_policy(
    conn: &mut PgConnection,
    id: PolicyId,
    end_on: NaiveDate,
    by: UserId,
) -> Result<bool, AppError> {
    Ok(sqlx::query!(
        "UPDATE insurance_policies
            SET active = false, ended_at = now(), ended_by = $3,
                coverage_end = LEAST(coalesce(coverage_end, $2), $2)
          WHERE id = $1 AND active AND coverage_start <= $2",
        id as _,
        end_on,
        by as _,
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

pub async fn insert_prior_auth(
    conn: &mut PgConnection,
    policy: PolicyId,
    a: &NewPriorAuth,
    by: Option<UserId>,
) -> Result<PriorAuthId, AppError> {
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO prior_authorizations (policy_id, auth_number, visits_authorized, visits_used,
            start_on, end_on, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id AS "id: PriorAuthId""#,
        policy as _,
        &a.auth_number,
        a.visits_authorized,
        a.visits_used,
        a.start_on,
        a.end_on,
        by as _,
    )
    .fetch_one(conn)
    .await?)
}

/// A validated policy.
#[derive(Debug, Clone)]
pub struct NewPolicy {
    pub payer: PayerId,
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
}

/// A validated prior authorization.
#[derive(Debug, Clone)]
pub struct NewPriorAuth {
    pub auth_number: String,
    pub visits_authorized: i32,
    pub visits_used: i32,
    pub start_on: NaiveDate,
    pub end_on: NaiveDate,
}
