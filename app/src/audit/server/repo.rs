use super::event::AuditEvent;
use crate::audit::types::{AuditFilter, AuditRow};
use crate::error::AppError;
use crate::ids::{ClientId, UserId};
use futures_util::stream::BoxStream;
use sqlx::{PgConnection, PgPool};

pub async fn insert(conn: &mut PgConnection, e: &AuditEvent) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO audit_events
           (actor_id, action, entity_type, entity_id, client_id, ip, user_agent, outcome, detail, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', '')",
        e.actor as _,
        e.action,
        e.entity_type,
        &e.entity_id as _,
        e.client_id as _,
        e.meta.ip.map(sqlx::types::ipnetwork::IpNetwork::from),
        e.meta.user_agent.as_deref().map(|ua| truncate(ua, 512)),
        e.outcome.as_str(),
        &e.detail as _,
    )
    .execute(conn)
    .await?;
    Ok(())
}

fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

pub async fn list(pool: &PgPool, f: &AuditFilter, limit: i64) -> Result<Vec<AuditRow>, AppError> {
    let email = f
        .actor_email
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    // a prefix such as "auth." matches every auth action
    let action = f
        .action
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|a| format!("{}%", a.replace(['%', '_'], "")));
    let midnight = |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    let from = f.from.and_then(midnight);
    let to = f.to.and_then(|to| midnight(to.succ_opt().unwrap_or(to)));
    Ok(sqlx::query_as!(
        AuditRow,
        r#"SELECT e.id, e.occurred_at, e.actor_id AS "actor_id?: UserId", u.email::text AS "actor_email?", e.action,
                  e.entity_type AS "entity_type?", e.entity_id AS "entity_id?", e.client_id AS "client_id?: ClientId", host(e.ip) AS "ip?", e.outcome
             FROM audit_events e LEFT JOIN users u ON u.id = e.actor_id
            WHERE ($1::text IS NULL OR u.email = $1::citext)
              AND ($2::uuid IS NULL OR e.client_id = $2)
              AND ($3::text IS NULL OR e.action LIKE $3)
              AND ($4::timestamptz IS NULL OR e.occurred_at >= $4)
              AND ($5::timestamptz IS NULL OR e.occurred_at < $5)
              AND ($6::bigint IS NULL OR e.id < $6)
            ORDER BY e.id DESC LIMIT $7"#,
        email,
        f.client_id as _,
        action,
        from,
        to,
        f.before_id,
        limit,
    )
    .fetch_all(pool)
    .await?)
}

#[derive(sqlx::FromRow)]
pub struct ChainLink {
    pub id: i64,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
    pub recomputed: Vec<u8>,
}

/// Every row in chain order with its hash recomputed by the same function the insert trigger uses.
pub fn chain(pool: &PgPool) -> BoxStream<'_, Result<ChainLink, sqlx::Error>> {
    sqlx::query_as!(
        ChainLink,
        r#"SELECT id, prev_hash, hash, audit_event_digest(e) AS "recomputed!" FROM audit_events e ORDER BY id"#,
    )
    .fetch(pool)
}

/// The latest events about one client (the index on `(client_id, id DESC)` answers it). `reads`
/// includes chart opens and other reads; `clinical` includes diagnoses and clinical-risk alerts.
pub async fn client_activity(
    conn: &mut PgConnection,
    client: ClientId,
    reads: bool,
    clinical: bool,
    limit: i64,
) -> Result<Vec<crate::clients::types::ActivityItem>, AppError> {
    Ok(sqlx::query_as!(
        crate::clients::types::ActivityItem,
        // the time at the practice (`when`) is the caller's to write
        r#"SELECT e.occurred_at, u.display_name AS "actor_name?", e.action, e.outcome, '' AS "when!"
           FROM audit_events e LEFT JOIN users u ON u.id = e.actor_id
          WHERE e.client_id = $1
            AND ($2 OR (e.action NOT LIKE '%view' AND e.action NOT LIKE '%search'
                        AND e.action NOT LIKE '%\_list' AND e.outcome = 'success'
                        -- psychotherapy notes stay out of the record: not even that one was written
                        AND e.action NOT LIKE 'documents.process\_note%'))
            AND ($3 OR (e.action NOT LIKE 'clients.diagnos%' AND e.action NOT LIKE 'documents.%'
                        AND NOT (e.action IN ('clients.flag_add', 'clients.flag_clear')
                                 AND e.detail->>'category' = 'clinical_risk')))
          ORDER BY e.id DESC LIMIT $4"#,
        client as _,
        reads,
        clinical,
        limit,
    )
    .fetch_all(conn)
    .await?)
}
