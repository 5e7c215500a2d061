//! SQL for emergency access grants.

use crate::clients::emergency::EmergencyReason;
use crate::error::AppError;
use crate::ids::{ClientId, EmergencyAccessId, UserId};
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// The holder's open grant for the client, if any (the newest, should there be two).
pub async fn open_grant(
    conn: &mut PgConnection,
    user: UserId,
    client: ClientId,
) -> Result<Option<EmergencyAccessId>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT id AS "id: EmergencyAccessId" FROM emergency_access
            WHERE user_id = $1 AND client_id = $2 AND expires_at > now()
            ORDER BY expires_at DESC LIMIT 1"#,
        user as _,
        client as _,
    )
    .fetch_optional(conn)
    .await?)
}

pub async fn expires_at(
    conn: &mut PgConnection,
    id: EmergencyAccessId,
) -> Result<DateTime<Utc>, AppError> {
    Ok(sqlx::query_scalar!(
        "SELECT expires_at FROM emergency_access WHERE id = $1",
        id as _
    )
    .fetch_one(conn)
    .await?)
}

pub async fn client_exists(conn: &mut PgConnection, client: ClientId) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM clients WHERE id = $1) AS "exists!""#,
        client as _,
    )
    .fetch_one(conn)
    .await?)
}

/// A new grant, lasting the practice's `emergency_access_minutes` from now.
pub struct NewGrantRow<'a> {
    pub user: UserId,
    pub client: ClientId,
    pub reason: EmergencyReason,
    pub explanation: &'a str,
}

/// Inserts the grant; its id and when it ends.
pub async fn insert_grant(
    conn: &mut PgConnection,
    g: NewGrantRow<'_>,
) -> Result<(EmergencyAccessId, DateTime<Utc>), AppError> {
    let row = sqlx::query!(
        r#"INSERT INTO emergency_access (user_id, client_id, reason, explanation, expires_at)
           SELECT $1, $2, $3, $4, now() + make_interval(mins => p.emergency_access_minutes) FROM practice p
           RETURNING id AS "id: EmergencyAccessId", expires_at"#,
        g.user as _,
        g.client as _,
        g.reason as _,
        g.explanation,
    )
    .fetch_one(conn)
    .await?;
    Ok((row.id, row.expires_at))
}

/// A grant with the names a person reads.
pub struct GrantRow {
    pub id: EmergencyAccessId,
    pub holder_name: String,
    pub client_id: ClientId,
    pub client_name: String,
    pub chart_number: String,
    pub reason: EmergencyReason,
    pub explanation: String,
    pub started_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub open: bool,
    pub reads: i64,
    pub reviewer_name: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub review_comment: Option<String>,
}

/// One of the holder's open grants.
pub struct OpenGrantRow {
    pub id: EmergencyAccessId,
    pub client_id: ClientId,
    pub client_name: String,
    pub chart_number: String,
    pub expires_at: DateTime<Utc>,
}

/// The holder's open grants, soonest to end first.
pub async fn open_grants_of(
    conn: &mut PgConnection,
    user: UserId,
) -> Result<Vec<OpenGrantRow>, AppError> {
    Ok(sqlx::query_as!(
        OpenGrantRow,
        r#"SELECT e.id AS "id: EmergencyAccessId", c.id AS "client_id: ClientId",
                  c.legal_first_name || ' ' || c.legal_last_name AS "client_name!", c.chart_number,
                  e.expires_at
             FROM emergency_access e JOIN clients c ON c.id = e.client_id
            WHERE e.user_id = $1 AND e.expires_at > now()
            ORDER BY e.expires_at"#,
        user as _,
    )
    .fetch_all(conn)
    .await?)
}

/// Every grant for review: those not yet reviewed first, then the newest; with the number of
/// audited events recorded under each.
pub async fn grants_for_review(
    conn: &mut PgConnection,
    limit: i64,
) -> Result<Vec<GrantRow>, AppError> {
    Ok(sqlx::query_as!(
        GrantRow,
        r#"SELECT e.id AS "id: EmergencyAccessId", h.display_name AS holder_name,
                  c.id AS "client_id: ClientId", c.legal_first_name || ' ' || c.legal_last_name AS "client_name!",
                  c.chart_number, e.reason AS "reason: EmergencyReason", e.explanation,
                  e.started_at, e.expires_at, e.expires_at > now() AS "open!",
                  (SELECT count(*) FROM audit_events a
                    WHERE a.detail ? 'emergency_access'
                      AND a.detail->>'emergency_access' = e.id::text) AS "reads!",
                  r.display_name AS "reviewer_name?", e.reviewed_at, e.review_comment
             FROM emergency_access e
             JOIN users h ON h.id = e.user_id
             JOIN clients c ON c.id = e.client_id
             LEFT JOIN users r ON r.id = e.reviewed_by
            ORDER BY e.reviewed_at IS NOT NULL, e.started_at DESC
            LIMIT $1"#,
        limit,
    )
    .fetch_all(conn)
    .await?)
}

pub async fn unreviewed_count(conn: &mut PgConnection) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM emergency_access WHERE reviewed_at IS NULL"#
    )
    .fetch_one(conn)
    .await?)
}

/// Ends the holder's grant now, if it is still open; the client it was for.
pub async fn end_grant(
    conn: &mut PgConnection,
    id: EmergencyAccessId,
    holder: UserId,
) -> Result<Option<ClientId>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"UPDATE emergency_access SET expires_at = greatest(now(), started_at + interval '1 millisecond')
            WHERE id = $1 AND user_id = $2 AND expires_at > now()
            RETURNING client_id AS "client_id: ClientId""#,
        id as _,
        holder as _,
    )
    .fetch_optional(conn)
    .await?)
}

/// Whether a grant is still open, or `None` when there is no such grant.
pub async fn is_open(
    conn: &mut PgConnection,
    id: EmergencyAccessId,
) -> Result<Option<bool>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT expires_at > now() AS "open!" FROM emergency_access WHERE id = $1"#,
        id as _,
    )
    .fetch_optional(conn)
    .await?)
}

/// Records the review of a grant that has ended and was not reviewed yet; the client it was for,
/// or `None` when there is no such grant, it is still open, or it was reviewed already.
pub async fn review(
    conn: &mut PgConnection,
    id: EmergencyAccessId,
    reviewer: UserId,
    comment: &str,
) -> Result<Option<ClientId>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"UPDATE emergency_access SET reviewed_by = $2, reviewed_at = now(), review_comment = $3
            WHERE id = $1 AND reviewed_at IS NULL AND expires_at <= now()
            RETURNING client_id AS "client_id: ClientId""#,
        id as _,
        reviewer as _,
        comment,
    )
    .fetch_optional(conn)
    .await?)
}
