//! SQL of clinical notes. Sealed columns come back as bytes; the service opens them.

use crate::documents::types::{NoteFormat, NoteKind, NoteStatus, NoteSummary};
use crate::error::AppError;
use crate::ids::{AppointmentId, ClientId, NoteId, UserId};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

/// The associated data a sealed value is bound to: its table and row.
pub use crate::crypto::row_tag;

/// A version is bound to its note and revision.
pub fn version_tag(note: NoteId, revision: i32) -> Vec<u8> {
    let mut tag = row_tag("clinical_note_versions", note.0);
    tag.extend_from_slice(&revision.to_be_bytes());
    tag
}

/// One note with what the rules need: its author's supervisor and the documented appointment's type.
#[derive(Debug)]
pub struct NoteRow {
    pub id: NoteId,
    pub client_id: ClientId,
    pub client_name: String,
    pub appointment_id: Option<AppointmentId>,
    pub author_id: UserId,
    pub author_name: String,
    pub author_supervisor_id: Option<UserId>,
    pub kind: NoteKind,
    pub format: Option<NoteFormat>,
    pub service_date: NaiveDate,
    pub status: NoteStatus,
    /// Left empty by the metadata queries (lists never need the sealed text).
    pub content: Vec<u8>,
    pub key_id: String,
    pub revision: i32,
    pub content_sha256: Option<Vec<u8>>,
    pub signed_by: Option<UserId>,
    pub signed_at: Option<DateTime<Utc>>,
    pub cosigner_id: Option<UserId>,
    pub cosigned_at: Option<DateTime<Utc>>,
    pub service: Option<String>,
}

impl NoteRow {
    pub fn summary(&self) -> NoteSummary {
        NoteSummary {
            id: self.id,
            client_id: self.client_id,
            client_name: self.client_name.clone(),
            kind: self.kind,
            format: self.format,
            service_date: self.service_date,
            status: self.status,
            author_name: self.author_name.clone(),
            signed_at: self.signed_at,
            appointment_id: self.appointment_id,
            service: self.service.clone(),
        }
    }
}

/// A checked query for [`NoteRow`]s: one column list and its joins, then `$tail` (WHERE, ORDER BY).
/// `content` selects the sealed columns, `metadata` leaves them empty. A macro because the query
/// macros take only string literals.
macro_rules! note_rows {
    (content, $tail:tt $(, $arg:expr)* $(,)?) => {
        note_rows!(@query "n.content, n.key_id, n.content_sha256,", $tail $(, $arg)*)
    };
    (metadata, $tail:tt $(, $arg:expr)* $(,)?) => {
        note_rows!(@query r#"'\x'::bytea AS "content!", '' AS "key_id!", NULL::bytea AS content_sha256,"#, $tail $(, $arg)*)
    };
    (@query $content:tt, $tail:tt $(, $arg:expr)*) => {
        sqlx::query_as!(
            NoteRow,
            r#"SELECT n.id, n.client_id,
                      coalesce(c.preferred_name, c.legal_first_name) || ' ' || c.legal_last_name AS "client_name!",
                      n.appointment_id AS "appointment_id?: AppointmentId", n.author_id, au.display_name AS author_name,
                      sp.supervisor_id AS "author_supervisor_id?: UserId",
                      n.kind AS "kind: NoteKind", n.format AS "format?: NoteFormat", n.service_date,
                      n.status AS "status: NoteStatus", n.revision, "#
            + $content
            + r#" n.signed_by AS "signed_by: UserId", n.signed_at, n.cosigner_id AS "cosigner_id: UserId",
                      n.cosigned_at, t.name AS "service?"
                 FROM clinical_notes n
                 JOIN clients c ON c.id = n.client_id
                 JOIN users au ON au.id = n.author_id
                 LEFT JOIN staff_profiles sp ON sp.user_id = n.author_id
                 LEFT JOIN appointments a ON a.id = n.appointment_id
                 LEFT JOIN appointment_types t ON t.id = a.appointment_type_id "#
            + $tail
            $(, $arg)*
        )
    };
}

pub async fn note(conn: &mut PgConnection, id: NoteId) -> Result<NoteRow, AppError> {
    note_rows!(content, "WHERE n.id = $1", id as _)
        .fetch_optional(conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// The same, locked for a change.
pub async fn note_for_update(conn: &mut PgConnection, id: NoteId) -> Result<NoteRow, AppError> {
    note_rows!(content, "WHERE n.id = $1 FOR UPDATE OF n", id as _)
        .fetch_optional(conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// A client's notes without content, newest first; drafts only the viewer's own.
pub async fn client_notes(
    conn: &mut PgConnection,
    client: ClientId,
    viewer: UserId,
) -> Result<Vec<NoteRow>, AppError> {
    Ok(note_rows!(
        metadata,
        "WHERE n.client_id = $1 AND (n.status NOT IN ('draft', 'returned') OR n.author_id = $2)
         ORDER BY n.service_date DESC, n.created_at DESC",
        client as _,
        viewer as _,
    )
    .fetch_all(conn)
    .await?)
}

/// Notes waiting for this co-signer, oldest first, without content.
pub async fn awaiting_cosign(
    conn: &mut PgConnection,
    cosigner: UserId,
) -> Result<Vec<NoteRow>, AppError> {
    Ok(note_rows!(
        metadata,
        "WHERE n.cosigner_id = $1 AND n.status = 'awaiting_cosign' ORDER BY n.signed_at",
        cosigner as _,
    )
    .fetch_all(conn)
    .await?)
}

/// The client's latest `limit` signed treatment plans, with content.
pub async fn signed_plans(
    conn: &mut PgConnection,
    client: ClientId,
    limit: i64,
) -> Result<Vec<NoteRow>, AppError> {
    Ok(note_rows!(
        content,
        "WHERE n.client_id = $1 AND n.kind = 'treatment_plan' AND n.status = 'signed'
         ORDER BY n.signed_at DESC LIMIT $2",
        client as _,
        limit,
    )
    .fetch_all(conn)
    .await?)
}

/// A note as it is written to `clinical_notes`: a new draft (the app), or for the demo practice one
/// already signed, and co-signed, at an earlier time.
pub struct NoteInsert<'a> {
    pub id: NoteId,
    pub client: ClientId,
    pub appointment: Option<AppointmentId>,
    pub author: UserId,
    pub kind: NoteKind,
    pub format: Option<NoteFormat>,
    pub service_date: NaiveDate,
    pub status: NoteStatus,
    pub sealed: &'a crate::crypto::Sealed,
    pub content_sha256: Option<Vec<u8>>,
    pub signed_by: Option<UserId>,
    pub signed_at: Option<DateTime<Utc>>,
    pub cosigner: Option<UserId>,
    pub cosigned_at: Option<DateTime<Utc>>,
    /// When it was written (now, unless given).
    pub created_at: Option<DateTime<Utc>>,
}

impl<'a> NoteInsert<'a> {
    /// A new, empty draft.
    #[allow(clippy::too_many_arguments)]
    pub fn draft(
        id: NoteId,
        client: ClientId,
        appointment: Option<AppointmentId>,
        author: UserId,
        kind: NoteKind,
        format: Option<NoteFormat>,
        service_date: NaiveDate,
        sealed: &'a crate::crypto::Sealed,
    ) -> Self {
        NoteInsert {
            id,
            client,
            appointment,
            author,
            kind,
            format,
            service_date,
            status: NoteStatus::Draft,
            sealed,
            content_sha256: None,
            signed_by: None,
            signed_at: None,
            cosigner: None,
            cosigned_at: None,
            created_at: None,
        }
    }
}

pub async fn insert_note(conn: &mut PgConnection, n: &NoteInsert<'_>) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO clinical_notes (id, client_id, appointment_id, author_id, kind, format, service_date,
                                     status, content, key_id, content_sha256, signed_by, signed_at,
                                     cosigner_id, cosigned_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                 coalesce($16, now()), coalesce($16, now()))",
        n.id as _,
        n.client as _,
        n.appointment as _,
        n.author as _,
        n.kind as _,
        n.format as _,
        n.service_date,
        n.status as _,
        &n.sealed.bytes as _,
        &n.sealed.key_id as _,
        n.content_sha256.as_deref() as _,
        n.signed_by as _,
        n.signed_at,
        n.cosigner as _,
        n.cosigned_at,
        n.created_at,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A new id for a row whose content is sealed to it before it is written.
pub async fn new_id(conn: &mut PgConnection) -> Result<uuid::Uuid, AppError> {
    Ok(
        sqlx::query_scalar!(r#"SELECT gen_random_uuid() AS "gen_random_uuid!""#)
            .fetch_one(conn)
            .await?,
    )
}

/// Keeps a snapshot of the content unless one was kept in the last few minutes (autosave runs every
/// few seconds of typing: history wants moments, not keystrokes). `force` keeps one regardless.
pub async fn snapshot(
    conn: &mut PgConnection,
    note: NoteId,
    revision: i32,
    sealed: &crate::crypto::Sealed,
    by: UserId,
    force: bool,
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO clinical_note_versions (note_id, revision, content, key_id, saved_by)
         SELECT $1, $2, $3, $4, $5
          WHERE $6 OR NOT EXISTS (SELECT 1 FROM clinical_note_versions
                                   WHERE note_id = $1 AND saved_at > now() - interval '5 minutes')
         ON CONFLICT (note_id, revision) DO NOTHING",
        note as _,
        revision,
        &sealed.bytes as _,
        &sealed.key_id as _,
        by as _,
        force,
    )
    .execute(conn)
    .await?;
    Ok(())
}
