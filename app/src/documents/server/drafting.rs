//! Writing a note: starting it (or reopening the open draft), autosaving it from the revision the
//! editor saw, and discarding a draft that was never signed. Writing follows the caseload.

use super::access;
use super::plans;
use super::repo::{self, version_tag, NoteRow};
use super::sealing::{content_json, open_content, seal_content};
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::crypto::Keyring;
use crate::documents::actions;
use crate::documents::types::*;
use crate::error::{AppError, Validator};
use crate::ids::{AppointmentId, ClientId, NoteId, UserId};
use sqlx::{PgConnection, PgPool};

/// What starting a note is asked for, as typed.
#[derive(Debug, Clone, Default)]
pub struct NewNote<'a> {
    pub client_id: &'a str,
    pub kind: &'a str,
    pub appointment_id: &'a str,
    pub format: &'a str,
}

/// The appointment a note documents, as the rules need it.
#[derive(sqlx::FromRow)]
struct Documented {
    clinician_id: UserId,
    service_date: chrono::NaiveDate,
    has_client: bool,
}

/// Starts a note (or opens the caller's unsigned one for the same appointment and kind).
pub async fn start(
    pool: &PgPool,
    keys: &Keyring,
    user: &CurrentUser,
    meta: &RequestMeta,
    input: NewNote<'_>,
) -> Result<NoteId, AppError> {
    user.require(Permission::EditClinical)?;
    let mut v = Validator::new();
    let client = v.check("client_id", parse_client(input.client_id));
    let kind = v.check("kind", NoteKind::parse(input.kind));
    let appointment = v.check(
        "appointment_id",
        match input.appointment_id.trim() {
            "" => Ok(None),
            a => a
                .parse::<AppointmentId>()
                .map(Some)
                .map_err(|_| "Choose the appointment.".to_owned()),
        },
    );
    let format = v.check(
        "format",
        match input.format.trim() {
            "" => Ok(None),
            f => NoteFormat::parse(f).map(Some),
        },
    );
    if let (Some(kind), Some(None)) = (kind, appointment) {
        if kind.needs_appointment() {
            v.add(
                "appointment_id",
                "This kind of note documents an appointment: start it from the appointment.",
            );
        }
    }
    let (client, kind, appointment, format) =
        v.finish_with(|| Some((client?, kind?, appointment?, format?)))?;
    let mut tx = pool.begin().await?;
    access::require_caseload_recorded(pool, &mut tx, user, meta, client, actions::NOTE_CREATE)
        .await?;
    let service_date = match appointment {
        Some(appointment) => {
            let documented = documented(&mut tx, appointment, client).await?;
            if kind == NoteKind::Progress && documented.clinician_id != user.id {
                return Err(AppError::Conflict(
                    "A progress note is written by the appointment's clinician.".into(),
                ));
            }
            let open: Option<NoteId> = sqlx::query_scalar!(
                r#"SELECT id AS "id: NoteId" FROM clinical_notes
                  WHERE appointment_id = $1 AND client_id = $2 AND author_id = $3 AND kind = $4
                    AND status IN ('draft', 'returned')
                  ORDER BY created_at LIMIT 1"#,
                appointment as _,
                client as _,
                user.id as _,
                kind.as_str(),
            )
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(open) = open {
                return Ok(open);
            }
            documented.service_date
        }
        None => {
            sqlx::query_scalar!(
                r#"SELECT (now() AT TIME ZONE time_zone)::date AS "today!" FROM practice"#
            )
            .fetch_one(&mut *tx)
            .await?
        }
    };
    let format = match (kind, format) {
        (NoteKind::Progress, Some(f)) => Some(f),
        (NoteKind::Progress, None) => {
            let default = sqlx::query_scalar!(
                r#"SELECT default_note_format AS "f: NoteFormat" FROM practice"#
            )
            .fetch_one(&mut *tx)
            .await?;
            Some(default)
        }
        _ => None,
    };
    let id = NoteId(repo::new_id(&mut tx).await?);
    let sealed = seal_content(keys, id, &NoteContent::new());
    let draft = repo::NoteInsert::draft(
        id,
        client,
        appointment,
        user.id,
        kind,
        format,
        service_date,
        &sealed,
    );
    repo::insert_note(&mut tx, &draft).await?;
    record(
        &mut tx,
        AuditEvent::new(actions::NOTE_CREATE, Outcome::Success, meta)
            .by(user)
            .client(client)
            .entity("clinical_note", id)
            .detail(serde_json::json!({ "kind": kind.as_str() })),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn documented(
    conn: &mut PgConnection,
    appointment: AppointmentId,
    client: ClientId,
) -> Result<Documented, AppError> {
    let row: Option<Documented> = sqlx::query_as!(
        Documented,
        r#"SELECT a.clinician_id, (a.starts_at AT TIME ZONE p.time_zone)::date AS "service_date!",
                EXISTS (SELECT 1 FROM appointment_clients ac WHERE ac.appointment_id = a.id AND ac.client_id = $2) AS "has_client!"
           FROM appointments a CROSS JOIN practice p WHERE a.id = $1"#,
        appointment as _,
        client as _,
    )
    .fetch_optional(conn)
    .await?;
    let row =
        row.ok_or_else(|| AppError::field("appointment_id", "That appointment was not found."))?;
    if !row.has_client {
        return Err(AppError::field(
            "appointment_id",
            "That appointment is not this client's.",
        ));
    }
    Ok(row)
}

/// Changing a note is its author's, and only while the client is in their caseload: writing follows
/// the caseload, as starting a note does (an author whose client moved on may read the draft but no
/// longer change, sign or discard it). A refusal is recorded as denied under `action`, outside the
/// caller's transaction, which the refusal rolls back.
pub(super) async fn require_author_in_caseload(
    pool: &PgPool,
    conn: &mut PgConnection,
    user: &CurrentUser,
    meta: &RequestMeta,
    row: &NoteRow,
    action: &'static str,
) -> Result<(), AppError> {
    if access::may_write(conn, user, row).await? {
        return Ok(());
    }
    Err(access::refused(pool, user, meta, action, row.client_id, Some(row.id)).await)
}

pub(super) fn require_editable(row: &NoteRow) -> Result<(), AppError> {
    if !row.status.editable() {
        return Err(AppError::Conflict(
            "This note is signed and locked: add an addendum instead.".into(),
        ));
    }
    Ok(())
}

/// Autosave: the whole content, from the revision the editor last saw (a save from an older one —
/// another tab — is refused rather than overwriting it).
pub async fn save(
    pool: &PgPool,
    keys: &Keyring,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: NoteId,
    revision: i32,
    content: &NoteContent,
) -> Result<Saved, AppError> {
    let mut tx = pool.begin().await?;
    let row = repo::note_for_update(&mut tx, id).await?;
    require_author_in_caseload(pool, &mut tx, user, meta, &row, actions::NOTE_SAVE).await?;
    require_editable(&row)?;
    if row.revision != revision {
        return Err(AppError::Conflict(
            "This note was changed in another window: reload it to continue from the latest."
                .into(),
        ));
    }
    check_draft(row.kind, row.format, content).map_err(AppError::fields)?;
    // autosave runs as the clinician types: the plans are read only when the choice of objectives changed
    if row.kind == NoteKind::Progress
        && open_content(keys, &row)?.get(OBJECTIVES_KEY) != content.get(OBJECTIVES_KEY)
    {
        plans::check_objectives(&mut tx, keys, row.client_id, content).await?;
    }
    let sealed = seal_content(keys, id, content);
    let next = revision + 1;
    sqlx::query!(
        "UPDATE clinical_notes SET content = $2, key_id = $3, revision = $4, updated_at = now() WHERE id = $1",
        id as _,
        &sealed.bytes as _,
        &sealed.key_id as _,
        next,
    )
    .execute(&mut *tx)
    .await?;
    let json = content_json(content);
    repo::snapshot(
        &mut tx,
        id,
        next,
        &keys.seal(&json, &version_tag(id, next)),
        user.id,
        false,
    )
    .await?;
    record(
        &mut tx,
        AuditEvent::new(actions::NOTE_SAVE, Outcome::Success, meta)
            .by(user)
            .client(row.client_id)
            .entity("clinical_note", id)
            .detail(serde_json::json!({ "revision": next })),
    )
    .await?;
    tx.commit().await?;
    Ok(Saved { revision: next })
}

/// Discards the author's own draft (never a signed note: the database refuses).
pub async fn discard(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: NoteId,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let row = repo::note_for_update(&mut tx, id).await?;
    require_author_in_caseload(pool, &mut tx, user, meta, &row, actions::NOTE_DISCARD).await?;
    if row.status != NoteStatus::Draft {
        return Err(AppError::Conflict(
            "Only a draft that was never signed can be discarded.".into(),
        ));
    }
    sqlx::query!("DELETE FROM clinical_notes WHERE id = $1", id as _,)
        .execute(&mut *tx)
        .await?;
    record(
        &mut tx,
        AuditEvent::new(actions::NOTE_DISCARD, Outcome::Success, meta)
            .by(user)
            .client(row.client_id)
            .entity("clinical_note", id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
