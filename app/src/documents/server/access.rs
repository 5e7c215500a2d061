//! Who may read a note. Clinical content: its author, the author's supervisor (and the co-signer it
//! waits for, who still reads a note they returned), and clinical staff whose caseload holds the
//! client — unsigned notes stay with their author.
//! Billers and administrators see metadata only (date, kind, service, signed or not); front desk
//! sees no notes at all. A clinician or supervisor holding emergency access to a client outside
//! their caseload reads its signed notes, and writes nothing.

use super::repo::NoteRow;
use crate::audit::server::{record_refusal, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Role;
use crate::clients::server::emergency;
use crate::clients::server::service as clients;
use crate::documents::types::NoteStatus;
use crate::error::AppError;
use crate::ids::{ClientId, EmergencyAccessId, NoteId};
use sqlx::{PgConnection, PgPool};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Date, kind, service and status, never the text.
    Metadata,
    Content,
    /// Content, read-only, under this emergency access (outside the caseload).
    Emergency(EmergencyAccessId),
}

impl Reach {
    /// Whether the note's text may be read.
    pub fn reads_content(self) -> bool {
        !matches!(self, Reach::Metadata)
    }

    /// The grant to mark the read's audit event with.
    pub fn emergency(self) -> Option<EmergencyAccessId> {
        match self {
            Reach::Emergency(grant) => Some(grant),
            Reach::Metadata | Reach::Content => None,
        }
    }
}

/// Refuses callers who may not see a client's notes at all.
pub async fn reach_client(
    conn: &mut PgConnection,
    user: &CurrentUser,
    client: ClientId,
) -> Result<Reach, AppError> {
    match user.role {
        Role::FrontDesk => Err(AppError::Forbidden),
        Role::Admin | Role::Biller => Ok(Reach::Metadata),
        Role::Clinician | Role::Intern | Role::Supervisor => {
            if clients::in_scope(conn, user, client).await? {
                Ok(Reach::Content)
            } else if let Some(grant) = emergency::open_grant(conn, user, client).await? {
                Ok(Reach::Emergency(grant))
            } else {
                Err(AppError::Forbidden)
            }
        }
    }
}

/// What the caller may see of one note.
pub async fn reach(
    conn: &mut PgConnection,
    user: &CurrentUser,
    note: &NoteRow,
) -> Result<Reach, AppError> {
    let clinical = matches!(user.role, Role::Clinician | Role::Intern | Role::Supervisor);
    if note.author_id == user.id {
        return Ok(Reach::Content);
    }
    // the supervisor keeps reading a note they returned; only a never-signed draft is the author's alone
    if note.status != NoteStatus::Draft
        && clinical
        && (note.author_supervisor_id == Some(user.id) || note.cosigner_id == Some(user.id))
    {
        return Ok(Reach::Content);
    }
    match reach_client(conn, user, note.client_id).await? {
        // someone else's unsigned note is theirs alone
        Reach::Content | Reach::Emergency(_) if note.status.editable() => Ok(Reach::Metadata),
        reach => Ok(reach),
    }
}

/// Writing a note needs the client in the caller's caseload (clinical staff only).
pub async fn require_caseload(
    conn: &mut PgConnection,
    user: &CurrentUser,
    client: ClientId,
) -> Result<(), AppError> {
    match reach_client(conn, user, client).await? {
        Reach::Content => Ok(()),
        // emergency access reads only
        Reach::Metadata | Reach::Emergency(_) => Err(AppError::Forbidden),
    }
}

/// Whether the caller may change the note: its author, while the client is in their caseload.
pub async fn may_write(
    conn: &mut PgConnection,
    user: &CurrentUser,
    note: &NoteRow,
) -> Result<bool, AppError> {
    if note.author_id != user.id {
        return Ok(false);
    }
    match require_caseload(conn, user, note.client_id).await {
        Ok(()) => Ok(true),
        Err(AppError::Forbidden) => Ok(false),
        Err(e) => Err(e),
    }
}

/// [`reach_client`], with a refusal recorded as denied under `action`.
pub async fn reach_client_recorded(
    pool: &PgPool,
    conn: &mut PgConnection,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
    action: &'static str,
) -> Result<Reach, AppError> {
    match reach_client(conn, user, client).await {
        Err(AppError::Forbidden) => Err(refused(pool, user, meta, action, client, None).await),
        other => other,
    }
}

/// [`require_caseload`], with a refusal recorded as denied under `action`.
pub async fn require_caseload_recorded(
    pool: &PgPool,
    conn: &mut PgConnection,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
    action: &'static str,
) -> Result<(), AppError> {
    match require_caseload(conn, user, client).await {
        Err(AppError::Forbidden) => Err(refused(pool, user, meta, action, client, None).await),
        other => other,
    }
}

/// Records a refusal as denied (on its own connection: the caller's transaction rolls back) and
/// returns it.
pub async fn refused(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    action: &'static str,
    client: ClientId,
    note: Option<NoteId>,
) -> AppError {
    let mut event = AuditEvent::new(action, Outcome::Denied, meta)
        .by(user)
        .client(client);
    if let Some(note) = note {
        event = event.entity("clinical_note", note);
    }
    record_refusal(pool, event, AppError::Forbidden).await
}
