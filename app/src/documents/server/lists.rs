//! Lists of notes: a client's (metadata), the co-signature queue, and sessions still undocumented.

use super::access;
use super::repo::{self, NoteRow};
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::{Permission, Role};
use crate::documents::actions;
use crate::documents::types::{NoteSummary, UndocumentedSession};
use crate::error::AppError;
use crate::ids::{ClientId, NoteId};
use sqlx::PgPool;

/// A client's notes, newest first: dates, kinds, status and authors (no content). Other clinicians'
/// drafts are left out; front desk is refused.
pub async fn for_client(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
) -> Result<Vec<NoteSummary>, AppError> {
    let mut conn = pool.acquire().await?;
    let reach =
        access::reach_client_recorded(pool, &mut conn, user, meta, client, actions::NOTES_LIST)
            .await?;
    let rows = repo::client_notes(&mut conn, client, user.id).await?;
    record(
        &mut conn,
        AuditEvent::new(actions::NOTES_LIST, Outcome::Success, meta)
            .by(user)
            .client(client)
            .detail(serde_json::json!({ "notes": rows.len(), "content": reach.reads_content() }))
            .under(reach.emergency()),
    )
    .await?;
    Ok(rows.iter().map(NoteRow::summary).collect())
}

/// Notes waiting for the caller's co-signature, oldest first.
pub async fn cosign_queue(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
) -> Result<Vec<NoteSummary>, AppError> {
    user.require(Permission::EditClinical)?;
    let mut conn = pool.acquire().await?;
    let rows = repo::awaiting_cosign(&mut conn, user.id).await?;
    // it names clients: recorded as a read
    record(
        &mut conn,
        AuditEvent::new(actions::COSIGN_QUEUE_VIEW, Outcome::Success, meta)
            .by(user)
            .detail(serde_json::json!({ "notes": rows.len() })),
    )
    .await?;
    Ok(rows.iter().map(NoteRow::summary).collect())
}

/// Completed appointments of the caller (a supervisor: and of their supervisees) with no signed
/// progress note, by deadline (`practice.note_due_hours` after the end).
pub async fn undocumented(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
) -> Result<Vec<UndocumentedSession>, AppError> {
    user.require(Permission::EditClinical)?;
    let supervisor = user.role == Role::Supervisor;
    let sessions: Vec<UndocumentedSession> = sqlx::query_as!(
        UndocumentedSession,
        r#"SELECT a.id AS appointment_id, c.id AS client_id,
                coalesce(c.preferred_name, c.legal_first_name) || ' ' || c.legal_last_name AS "client_name!",
                u.display_name AS clinician_name,
                to_char(a.starts_at AT TIME ZONE p.time_zone, 'MM/DD/YYYY FMHH12:MI AM') AS "when!",
                a.ends_at + make_interval(hours => p.note_due_hours) AS "due!",
                a.ends_at + make_interval(hours => p.note_due_hours) < now() AS "overdue!",
                (SELECT n.id FROM clinical_notes n
                  WHERE n.appointment_id = a.id AND n.client_id = c.id AND n.kind = 'progress'
                    AND n.status IN ('draft', 'returned') LIMIT 1) AS "drafted?: NoteId",
                a.clinician_id = $1 AS "mine!"
           FROM appointments a
           CROSS JOIN practice p
           JOIN appointment_clients ac ON ac.appointment_id = a.id
           JOIN clients c ON c.id = ac.client_id
           JOIN users u ON u.id = a.clinician_id
          WHERE a.status = 'completed'
            AND (a.clinician_id = $1
                 OR ($2 AND a.clinician_id IN (SELECT user_id FROM staff_profiles WHERE supervisor_id = $1)))
            AND NOT EXISTS (SELECT 1 FROM clinical_notes n
                             WHERE n.appointment_id = a.id AND n.client_id = c.id AND n.kind = 'progress'
                               AND n.status IN ('awaiting_cosign', 'signed'))
          ORDER BY a.ends_at
          LIMIT 200"#,
        user.id as _,
        supervisor,
    )
    .fetch_all(pool)
    .await?;
    record(
        &mut *pool.acquire().await?,
        AuditEvent::new(actions::UNDOCUMENTED_VIEW, Outcome::Success, meta)
            .by(user)
            .detail(serde_json::json!({ "sessions": sessions.len() })),
    )
    .await?;
    Ok(sessions)
}
