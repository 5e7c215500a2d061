//! Psychotherapy (process) notes: kept apart from the record, read and written only by their author,
//! never in lists, exports or billing views. The author's own reads and writes are audited.

use super::access;
use super::repo::{new_id, row_tag};
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::crypto::Keyring;
use crate::documents::actions;
use crate::documents::types::{parse_prose, ProcessNote};
use crate::error::AppError;
use crate::ids::{ClientId, ProcessNoteId};
use crate::settings::server::clock;
use sqlx::PgPool;

/// Writes a new process note about a client of the author's caseload.
pub async fn write(
    pool: &PgPool,
    keys: &Keyring,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
    text: &str,
) -> Result<ProcessNoteId, AppError> {
    user.require(Permission::EditClinical)?;
    let text = parse_prose(text, "Write the note.").map_err(|m| AppError::field("text", m))?;
    let mut tx = pool.begin().await?;
    let action = actions::PROCESS_NOTE_WRITE;
    access::require_caseload_recorded(pool, &mut tx, user, meta, client, action).await?;
    let id = ProcessNoteId(new_id(&mut tx).await?);
    let sealed = keys.seal(text.as_bytes(), &row_tag("psychotherapy_notes", id.0));
    sqlx::query!(
        "INSERT INTO psychotherapy_notes (id, client_id, author_id, content, key_id) VALUES ($1, $2, $3, $4, $5)",
        id as _,
        client as _,
        user.id as _,
        &sealed.bytes as _,
        &sealed.key_id as _,
    )
    .execute(&mut *tx)
    .await?;
    record(
        &mut tx,
        AuditEvent::new(actions::PROCESS_NOTE_WRITE, Outcome::Success, meta)
            .by(user)
            .client(client)
            .entity("psychotherapy_note", id),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The caller's own process notes about a client, newest first. Nobody else's are ever returned,
/// whatever the caller's role.
pub async fn mine(
    pool: &PgPool,
    keys: &Keyring,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
) -> Result<Vec<ProcessNote>, AppError> {
    user.require(Permission::EditClinical)?;
    let mut conn = pool.acquire().await?;
    let zone = clock::practice_zone(&mut conn).await?;
    type Row = (
        ProcessNoteId,
        Vec<u8>,
        String,
        chrono::DateTime<chrono::Utc>,
    );
    let rows: Vec<Row> = sqlx::query!(
        "SELECT id, content, key_id, created_at FROM psychotherapy_notes
          WHERE author_id = $1 AND client_id = $2 ORDER BY created_at DESC",
        user.id as _,
        client as _,
    )
    .map(|r| (ProcessNoteId(r.id), r.content, r.key_id, r.created_at))
    .fetch_all(&mut *conn)
    .await?;
    let notes = rows
        .into_iter()
        .map(|(id, content, key_id, at)| {
            Ok(ProcessNote {
                id,
                text: keys.open_text(&key_id, &content, &row_tag("psychotherapy_notes", id.0))?,
                written: clock::date_time(at, zone),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    record(
        &mut conn,
        AuditEvent::new(actions::PROCESS_NOTES_VIEW, Outcome::Success, meta)
            .by(user)
            .client(client)
            .detail(serde_json::json!({ "notes": notes.len() })),
    )
    .await?;
    Ok(notes)
}
