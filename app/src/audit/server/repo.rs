use super::event::AuditEvent;
use crate::audit::types::{AuditFilter, AuditRow};
use crate::error::AppError;
use crate::ids::ClientId;
use futures_util::stream::BoxStream;
use sqlx::{PgConnection, PgPool, QueryBuilder};

pub async fn insert(conn: &mut PgConnection, e: &AuditEvent) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO audit_events
           (actor_id, action, entity_type, entity_id, client_id, ip, user_agent, outcome, detail, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8,
                 CASE WHEN $10::uuid IS NULL THEN $9::jsonb
                      ELSE $9::jsonb || jsonb_build_object('emergency_access', $10::uuid) END,
                 '', '')",
        e.actor as _,
        e.action,
        e.entity_type,
        &e.entity_id as _,
        e.client_id as _,
        e.meta.ip.map(sqlx::types::ipnetwork::IpNetwork::from),
        e.meta.user_agent.as_deref().map(|ua| truncate(ua, 512)),
        e.outcome.as_str(),
        &e.detail as _,
        e.emergency as _,
    )
    .execute(conn)
    .await?;
    crate::telemetry::audit_event_written(e.action, e.outcome);
    Ok(())
}

fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

pub async fn list(pool: &PgPool, f: &AuditFilter, limit: i64) -> Result<Vec<AuditRow>, AppError> {
    // runtime SQL: which filters apply varies, and each combination gets a plan of its own that can
    // use the client and action indexes (a `$1 IS NULL OR …` predicate would defeat them)
    let mut q = QueryBuilder::new(
        "SELECT e.id, e.occurred_at, e.actor_id, u.email::text AS actor_email, e.action, e.entity_type,
                e.entity_id, e.client_id, host(e.ip) AS ip, e.outcome
           FROM audit_events e LEFT JOIN users u ON u.id = e.actor_id
          WHERE true",
    );
    if let Some(email) = f
        .actor_email
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        q.push(" AND u.email = ")
            .push_bind(email.to_owned())
            .push("::citext");
    }
    if let Some(client) = f.client_id {
        q.push(" AND e.client_id = ").push_bind(client);
    }
    if let Some(action) = f.action.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        // a prefix such as "auth." matches every auth action
        q.push(" AND e.action LIKE ")
            .push_bind(format!("{}%", action.replace(['%', '_'], "")));
    }
    if let Some(from) = f.from {
        q.push(" AND e.occurred_at >= ")
            .push_bind(from.and_hms_opt(0, 0, 0).map(|d| d.and_utc()));
    }
    if let Some(to) = f.to {
        let end = to
            .succ_opt()
            .unwrap_or(to)
            .and_hms_opt(0, 0, 0)
            .map(|d| d.and_utc());
        q.push(" AND e.occurred_at < ").push_bind(end);
    }
    if let Some(before) = f.before_id {
        q.push(" AND e.id < ").push_bind(before);
    }
    q.push(" ORDER BY e.id DESC LIMIT ").push_bind(limit);
    Ok(q.build_query_as().fetch_all(pool).await?)
}

#[derive(sqlx::FromRow)]
pub struct ChainLink {
    pub id: i64,
    pub lane: i16,
    /// The place in its lane (rows from before lanes existed are lane 0, placed by their id).
    pub place: i64,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
    pub recomputed: Vec<u8>,
}

/// Every row lane by lane in chain order, with its hash recomputed by the same function the insert
/// trigger uses.
pub fn chain(pool: &PgPool) -> BoxStream<'_, Result<ChainLink, sqlx::Error>> {
    sqlx::query_as!(
        ChainLink,
        r#"SELECT id, lane, coalesce(lane_seq, id) AS "place!", prev_hash, hash, audit_event_digest(e) AS "recomputed!"
             FROM audit_events e ORDER BY lane, coalesce(lane_seq, id)"#,
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
            -- psychotherapy notes stay out of the record: not even that one was written
            AND e.action NOT LIKE 'documents.process\_note%'
            AND ($2 OR (e.action NOT LIKE '%view' AND e.action NOT LIKE '%search'
                        AND e.action NOT LIKE '%\_list' AND e.outcome = 'success'))
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

/// One audit event about a client, for the access report.
pub struct AccessEventRow {
    pub id: i64,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    pub who: Option<String>,
    pub role: Option<String>,
    pub action: String,
    pub outcome: String,
    pub emergency: bool,
    pub ip: Option<String>,
}

/// Every event naming the client in `[from, to)`, in the order they happened (the index on
/// `(client_id, id DESC)` finds them).
pub async fn client_accesses(
    conn: &mut PgConnection,
    client: ClientId,
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
    limit: i64,
) -> Result<Vec<AccessEventRow>, AppError> {
    Ok(sqlx::query_as!(
        AccessEventRow,
        r#"SELECT e.id, e.occurred_at, u.display_name AS "who?", u.role::text AS "role?", e.action,
                  e.outcome, e.detail ? 'emergency_access' AS "emergency!", host(e.ip) AS "ip?"
             FROM audit_events e LEFT JOIN users u ON u.id = e.actor_id
            WHERE e.client_id = $1 AND e.occurred_at >= $2 AND e.occurred_at < $3
            ORDER BY e.occurred_at, e.id
            LIMIT $4"#,
        client as _,
        from,
        to,
        limit,
    )
    .fetch_all(conn)
    .await?)
}
