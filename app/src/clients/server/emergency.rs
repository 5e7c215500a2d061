//! Emergency access ("break the glass"): a clinician or supervisor states why, and may then read a
//! chart outside their caseload for the practice's set time (60 minutes unless changed). Reading
//! only: every write still asks for the caseload. Each read under a grant is audited with the
//! grant's id, and administrators review every grant afterwards.

use super::emergency_repo::{self as repo, GrantRow, NewGrantRow, OpenGrantRow};
use super::service::in_scope;
use crate::audit::server::{record, record_refusal, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::clients::actions;
use crate::clients::emergency::*;
use crate::error::{AppError, Validator};
use crate::ids::{ClientId, EmergencyAccessId};
use crate::settings::server::clock;
use chrono_tz::Tz;
use sqlx::{PgConnection, PgPool};

/// How many grants the review page lists.
const REVIEW_LIST_LIMIT: i64 = 200;

/// The caller's open emergency access to the client, if they hold one (never for other roles).
pub async fn open_grant(
    conn: &mut PgConnection,
    user: &CurrentUser,
    client: ClientId,
) -> Result<Option<EmergencyAccessId>, AppError> {
    if !role_may_break_glass(user.role) {
        return Ok(None);
    }
    repo::open_grant(conn, user.id, client).await
}

/// Breaks the glass: records why, and opens the chart to the caller (read-only) until the grant
/// ends.
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn start(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    input: &EmergencyAccessInput,
) -> Result<EmergencyGrant, AppError> {
    if !role_may_break_glass(user.role) {
        let event =
            AuditEvent::new(actions::EMERGENCY_ACCESS_START, Outcome::Denied, meta).by(user);
        return Err(record_refusal(pool, event, AppError::Forbidden).await);
    }
    let mut v = Validator::new();
    let reason = v.check("reason", EmergencyReason::parse(&input.reason));
    let explanation = v.check("explanation", parse_explanation(&input.explanation));
    let mut conn = pool.acquire().await?;
    let client = match find_client(&mut conn, &input.client).await? {
        Ok(client) => Some(client),
        Err(message) => {
            v.add("client", message);
            None
        }
    };
    if let Some(client) = client {
        if in_scope(&mut conn, user, client).await? {
            v.add(
                "client",
                "This client is in your caseload: open the chart from your client list.",
            );
        }
    }
    let (reason, explanation, client) = v.finish_with(|| Some((reason?, explanation?, client?)))?;
    drop(conn);

    let mut tx = pool.begin().await?;
    let (id, expires_at) = repo::insert_grant(
        &mut tx,
        NewGrantRow {
            user: user.id,
            client,
            reason,
            explanation: &explanation,
        },
    )
    .await?;
    // the explanation is the holder's free text about the client: it stays in its table
    record(
        &mut tx,
        AuditEvent::new(actions::EMERGENCY_ACCESS_START, Outcome::Success, meta)
            .by(user)
            .entity("emergency_access", id)
            .client(client)
            .detail(serde_json::json!({ "reason": reason.as_str() })),
    )
    .await?;
    let zone = clock::practice_zone(&mut tx).await?;
    let (client_name, chart_number) = super::service::identity(&mut tx, client).await?;
    tx.commit().await?;
    let grant = EmergencyGrant {
        id,
        client_id: client,
        client_name,
        chart_number,
        until: time_of_day(expires_at, zone),
    };
    tracing::info!(grant = %id, "emergency access started");
    Ok(grant)
}

/// A chart's id (from a link) or its chart number ("C1042"), or why neither names a client.
async fn find_client(
    conn: &mut PgConnection,
    typed: &str,
) -> Result<Result<ClientId, String>, AppError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(Err(
            "Enter the client's chart number (such as C1042).".into()
        ));
    }
    if let Ok(id) = typed.parse::<ClientId>() {
        return Ok(if repo::client_exists(conn, id).await? {
            Ok(id)
        } else {
            Err("There is no such client.".into())
        });
    }
    let number = typed.to_uppercase();
    if number.chars().count() > 16 {
        return Ok(Err(
            "A chart number is a C and a few digits, such as C1042.".into(),
        ));
    }
    Ok(super::record_repo::by_chart_number(conn, &number)
        .await?
        .ok_or_else(|| format!("No client has chart number {number}.")))
}

/// The caller's open grants (they name clients: each is recorded as a read).
pub async fn my_open_grants(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
) -> Result<Vec<EmergencyGrant>, AppError> {
    if !role_may_break_glass(user.role) {
        return Ok(Vec::new());
    }
    let mut conn = pool.acquire().await?;
    let zone = clock::practice_zone(&mut conn).await?;
    let rows = repo::open_grants_of(&mut conn, user.id).await?;
    for g in &rows {
        record(
            &mut conn,
            AuditEvent::new(actions::EMERGENCY_ACCESS_LIST, Outcome::Success, meta)
                .by(user)
                .entity("emergency_access", g.id)
                .client(g.client_id),
        )
        .await?;
    }
    Ok(rows.into_iter().map(|g| grant(g, zone)).collect())
}

/// Ends the caller's own open grant now (they are done, or opened the wrong chart).
#[tracing::instrument(skip_all, fields(user = %user.id, grant = %id))]
pub async fn end(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: EmergencyAccessId,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let Some(client) = repo::end_grant(&mut tx, id, user.id).await? else {
        return Err(AppError::Conflict(
            "This emergency access has already ended.".into(),
        ));
    };
    record(
        &mut tx,
        AuditEvent::new(actions::EMERGENCY_ACCESS_END, Outcome::Success, meta)
            .by(user)
            .entity("emergency_access", id)
            .client(client),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn grant(g: OpenGrantRow, zone: Tz) -> EmergencyGrant {
    EmergencyGrant {
        id: g.id,
        client_id: g.client_id,
        client_name: g.client_name,
        chart_number: g.chart_number,
        until: time_of_day(g.expires_at, zone),
    }
}

/// When a grant ends, at the practice ("3:45 PM CST").
pub async fn ends(
    conn: &mut PgConnection,
    id: EmergencyAccessId,
    zone: Tz,
) -> Result<String, AppError> {
    Ok(time_of_day(repo::expires_at(conn, id).await?, zone))
}

fn time_of_day(at: chrono::DateTime<chrono::Utc>, zone: Tz) -> String {
    at.with_timezone(&zone).format("%-I:%M %p %Z").to_string()
}

/// Every grant for the administrators' review (it names clients: recorded as a read).
pub async fn review_list(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
) -> Result<Vec<EmergencyAccessItem>, AppError> {
    user.require(Permission::ViewAudit)?;
    let mut conn = pool.acquire().await?;
    let zone = clock::practice_zone(&mut conn).await?;
    let rows = repo::grants_for_review(&mut conn, REVIEW_LIST_LIMIT).await?;
    record(
        &mut conn,
        AuditEvent::new(actions::EMERGENCY_ACCESS_LIST, Outcome::Success, meta)
            .by(user)
            .detail(serde_json::json!({ "grants": rows.len() })),
    )
    .await?;
    Ok(rows.into_iter().map(|g| item(g, zone)).collect())
}

fn item(g: GrantRow, zone: Tz) -> EmergencyAccessItem {
    let start = g.started_at.with_timezone(&zone);
    let end = g.expires_at.with_timezone(&zone);
    let end_format = if start.date_naive() == end.date_naive() {
        "%-I:%M %p %Z"
    } else {
        "%m/%d/%Y %-I:%M %p %Z"
    };
    EmergencyAccessItem {
        id: g.id,
        holder_name: g.holder_name,
        client_id: g.client_id,
        client_name: g.client_name,
        chart_number: g.chart_number,
        reason: g.reason,
        explanation: g.explanation,
        period: format!(
            "{} – {}",
            start.format("%m/%d/%Y %-I:%M %p"),
            end.format(end_format)
        ),
        open: g.open,
        reads: g.reads,
        reviewed: g.reviewed_at.map(|at| {
            format!(
                "Reviewed by {} on {}",
                g.reviewer_name.unwrap_or_default(),
                clock::date_time(at, zone)
            )
        }),
        review_comment: g.review_comment,
    }
}

/// How many grants wait for review (the administrators' alert on the home page).
pub async fn unreviewed_count(pool: &PgPool, user: &CurrentUser) -> Result<i64, AppError> {
    user.require(Permission::ViewAudit)?;
    repo::unreviewed_count(&mut *pool.acquire().await?).await
}

/// Records an administrator's review of a grant, once.
#[tracing::instrument(skip_all, fields(user = %user.id, grant = %id))]
pub async fn review(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: EmergencyAccessId,
    comment: &str,
) -> Result<(), AppError> {
    user.require(Permission::ViewAudit)?;
    let comment = parse_review_comment(comment).map_err(|m| AppError::field("comment", m))?;
    let mut tx = pool.begin().await?;
    let Some(client) = repo::review(&mut tx, id, user.id, &comment).await? else {
        return Err(match repo::is_open(&mut tx, id).await? {
            None => AppError::NotFound,
            Some(true) => AppError::Conflict(
                "This emergency access is still open: review it once it has ended, so every read it covers is in view."
                    .into(),
            ),
            Some(false) => AppError::Conflict(
                "This emergency access was reviewed already: reload the list.".into(),
            ),
        });
    };
    record(
        &mut tx,
        AuditEvent::new(actions::EMERGENCY_ACCESS_REVIEW, Outcome::Success, meta)
            .by(user)
            .entity("emergency_access", id)
            .client(client),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
