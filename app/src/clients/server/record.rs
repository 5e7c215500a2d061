//! Changing a client record: demographics, the care team, and (admins) merging a duplicate into the
//! record that stays. Admin and front desk; every change audited.

use super::service::NewClient;
use super::{record_repo as repo, repo as clients_repo};
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::clients::actions;
use crate::clients::types::*;
use crate::error::AppError;
use crate::ids::{ClientId, UserId};
use chrono::NaiveDate;
use sqlx::PgPool;

fn event(
    action: &'static str,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
) -> AuditEvent {
    AuditEvent::new(action, Outcome::Success, meta)
        .by(user)
        .entity("client", client)
        .client(client)
}

/// Saves the demographics form. The status is not changed here (it has its own history).
pub async fn update(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: ClientId,
    input: &ClientInput,
    today: NaiveDate,
) -> Result<(), AppError> {
    user.require(Permission::EditClientDemographics)?;
    let client = NewClient::parse(input, today)?;
    let mut tx = pool.begin().await?;
    if let Some(clinician) = client.primary_clinician_id {
        if !clients_repo::is_active_clinician(&mut tx, clinician).await? {
            return Err(AppError::field(
                "primary_clinician_id",
                "Choose an active clinician from the list.",
            ));
        }
    }
    repo::update(&mut tx, id, &client).await?;
    record(&mut tx, event(actions::UPDATE, user, meta, id)).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_to_care_team(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
    member: UserId,
) -> Result<(), AppError> {
    user.require(Permission::EditClientDemographics)?;
    let mut tx = pool.begin().await?;
    if !clients_repo::is_active_clinician(&mut tx, member).await? {
        return Err(AppError::field(
            "user_id",
            "Choose an active clinician from the list.",
        ));
    }
    if !repo::add_care_team(&mut tx, client, member, user.id).await? {
        return Err(AppError::field("user_id", "Already on the care team."));
    }
    record(
        &mut tx,
        event(actions::CARE_TEAM_ADD, user, meta, client)
            .detail(serde_json::json!({ "member": member })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_from_care_team(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
    member: UserId,
) -> Result<(), AppError> {
    user.require(Permission::EditClientDemographics)?;
    let mut tx = pool.begin().await?;
    if !repo::remove_care_team(&mut tx, client, member, user.id).await? {
        return Err(AppError::NotFound);
    }
    record(
        &mut tx,
        event(actions::CARE_TEAM_REMOVE, user, meta, client)
            .detail(serde_json::json!({ "member": member })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Merges the record `duplicate` (given by the admin as a chart number or id) into `keep`. Both rows
/// and both histories stay: the duplicate's contacts, insurance, diagnoses, alerts and care team move
/// to the kept record, the duplicate is marked merged (hidden from lists, its chart points to the
/// kept one), and each record's status history says so.
pub async fn merge(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    keep: ClientId,
    duplicate: ClientId,
) -> Result<(), AppError> {
    user.require(Permission::MergeClients)?;
    if keep == duplicate {
        return Err(AppError::field(
            "duplicate",
            "Choose a different record: a record cannot be merged into itself.",
        ));
    }
    let mut tx = pool.begin().await?;
    let rows = repo::lock_pair(&mut tx, keep, duplicate).await?;
    if rows.len() != 2 {
        return Err(AppError::field(
            "duplicate",
            "No client has that chart number.",
        ));
    }
    let find = |id: ClientId| rows.iter().find(|r| r.0 == id).ok_or(AppError::NotFound);
    let (_, keep_chart, keep_merged) = find(keep)?;
    let (_, dup_chart, dup_merged) = find(duplicate)?;
    if keep_merged.is_some() || dup_merged.is_some() {
        return Err(AppError::Conflict(
            "One of these records was already merged: merge into the record it now lives in."
                .into(),
        ));
    }
    let (keep_chart, dup_chart) = (keep_chart.clone(), dup_chart.clone());
    repo::merge(&mut tx, duplicate, keep, user.id).await?;
    // the status stays what it was; the history rows record the merge on both charts
    for (id, reason) in [
        (
            duplicate,
            format!("Merged into {keep_chart} (duplicate record)"),
        ),
        (keep, format!("Record {dup_chart} merged into this one")),
    ] {
        let status = clients_repo::get(&mut tx, id).await?.status;
        clients_repo::insert_status_change(
            &mut tx,
            id,
            Some(status),
            status,
            Some(&reason),
            Some(user.id),
        )
        .await?;
    }
    record(
        &mut tx,
        event(actions::MERGE, user, meta, keep).detail(serde_json::json!({ "merged": duplicate })),
    )
    .await?;
    record(
        &mut tx,
        event(actions::MERGED_AWAY, user, meta, duplicate)
            .detail(serde_json::json!({ "into": keep })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The id of the client with this chart number (for the merge form).
pub async fn find_by_chart_number(pool: &PgPool, chart_number: &str) -> Result<ClientId, AppError> {
    repo::by_chart_number(
        &mut *pool.acquire().await?,
        &chart_number.trim().to_ascii_uppercase(),
    )
    .await?
    .ok_or_else(|| AppError::field("duplicate", "No client has that chart number."))
}
