//! SQL of clinical notes. Sealed columns come back as bytes; the service opens them.

use crate::documents::types::{NoteFormat, NoteKind, NoteStatus, NoteSummary};
use crate::error::AppError;
use crate::ids::{AppointmentId, ClientId, NoteId, UserId};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

/// The associated data a sealed value is bound to: its table and row.
pub fn row_tag(table: &str, id: uuid::Uuid) -> Vec<u8> {
    let mut tag = table.as_bytes().to_vec();
    tag.push(b':');
    tag.extend_from_slice(id.as_bytes());
    tag
}

/// A version is bound to its note and revision.
pub fn version_tag(note: NoteId, revision: i32) -> Vec<u8> {
    let mut tag = row_tag("clinical_note_versions", note.0);
    tag.extend_from_slice(&revision.to_be_bytes());
    tag
}

/// One note with what the rules need: its author's supervisor and the documented appointment's type.
#[derive(Debug, sqlx::FromRow)]
pub struct NoteRow {
    pub id: NoteId,
    pub client_id: ClientId,
    pub client_name: String,
    pub appointment_id: Option<AppointmentId>,
    pub author_id: UserId,
    pub author_name: String,
    pub author_supervisor_id: Option<UserId>,
    pub kind: String,
    pub format: Option<String>,
    pub service_date: NaiveDate,
    pub status: String,
    /// Left empty by [`NOTE_SUMMARY_SELECT`] (lists never need the sealed text).
    #[sqlx(default)]
    pub content: Vec<u8>,
    #[sqlx(default)]
    pub key_id: String,
    pub revision: i32,
    #[sqlx(default)]
    pub content_sha256: Option<Vec<u8>>,
    pub signed_by: Option<UserId>,
    pub signed_at: Option<DateTime<Utc>>,
    pub cosigner_id: Option<UserId>,
    pub cosigned_at: Option<DateTime<Utc>>,
    pub service: Option<String>,
}

impl NoteRow {
    pub fn kind(&self) -> NoteKind {
        NoteKind::parse(&self.kind).unwrap_or(NoteKind::Contact)
    }

    pub fn format(&self) -> Option<NoteFormat> {
        self.format
            .as_deref()
            .and_then(|f| NoteFormat::parse(f).ok())
    }

    pub fn status(&self) -> NoteStatus {
        NoteStatus::parse(&self.status).unwrap_or(NoteStatus::Draft)
    }

    pub fn summary(&self) -> NoteSummary {
        NoteSummary {
            id: self.id,
            client_id: self.client_id,
            client_name: self.client_name.clone(),
            kind: self.kind(),
            format: self.format(),
            service_date: self.service_date,
            status: self.status(),
            author_name: self.author_name.clone(),
            signed_at: self.signed_at,
            appointment_id: self.appointment_id,
            service: self.service.clone(),
        }
    }
}

/// The columns of [`NoteRow`], with or without the sealed content; callers add WHERE and ORDER BY.
macro_rules! note_select {
    ($content:literal) => {
        concat!(
            "SELECT n.id, n.client_id,
        coalesce(c.preferred_name, c.legal_first_name) || ' ' || c.legal_last_name AS client_name,
        n.appointment_id, n.author_id, au.display_name AS author_name, sp.supervisor_id AS author_supervisor_id,
        n.kind, n.format, n.service_date, n.status, n.revision, ",
            $content,
            "
        n.signed_by, n.signed_at, n.cosigner_id, n.cosigned_at, t.name AS service
   FROM clinical_notes n
   JOIN clients c ON c.id = n.client_id
   JOIN users au ON au.id = n.author_id
   LEFT JOIN staff_profiles sp ON sp.user_id = n.author_id
   LEFT JOIN appointments a ON a.id = n.appointment_id
   LEFT JOIN appointment_types t ON t.id = a.appointment_type_id"
        )
    };
}

/// A note with its sealed content, to open it.
pub const NOTE_SELECT: &str = note_select!("n.content, n.key_id, n.content_sha256,");
/// A note's metadata only, for lists.
pub const NOTE_SUMMARY_SELECT: &str = note_select!("");

pub async fn note(conn: &mut PgConnection, id: NoteId) -> Result<NoteRow, AppError> {
    sqlx::query_as(&format!("{NOTE_SELECT} WHERE n.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// The same, locked for a change.
pub async fn note_for_update(conn: &mut PgConnection, id: NoteId) -> Result<NoteRow, AppError> {
    sqlx::query_as(&format!("{NOTE_SELECT} WHERE n.id = $1 FOR UPDATE OF n"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// A new id for a row whose content is sealed to it before it is written.
pub async fn new_id(conn: &mut PgConnection) -> Result<uuid::Uuid, AppError> {
    Ok(sqlx::query_scalar("SELECT gen_random_uuid()")
        .fetch_one(conn)
        .await?)
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
    sqlx::query(
        "INSERT INTO clinical_note_versions (note_id, revision, content, key_id, saved_by)
         SELECT $1, $2, $3, $4, $5
          WHERE $6 OR NOT EXISTS (SELECT 1 FROM clinical_note_versions
                                   WHERE note_id = $1 AND saved_at > now() - interval '5 minutes')
         ON CONFLICT (note_id, revision) DO NOTHING",
    )
    .bind(note)
    .bind(revision)
    .bind(&sealed.bytes)
    .bind(&sealed.key_id)
    .bind(by)
    .bind(force)
    .execute(conn)
    .await?;
    Ok(())
}
