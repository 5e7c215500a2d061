//! Reading a note: its content for those who may (each read audited under its purpose), its
//! version history, and the line that names the documented session.

use super::access;
use super::plans;
use super::repo::{self, row_tag, version_tag, NoteRow};
use super::sealing::{open_content, signature_digest};
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::crypto::Keyring;
use crate::documents::actions;
use crate::documents::types::*;
use crate::error::AppError;
use crate::ids::{AddendumId, AppointmentId, EmergencyAccessId, NoteId, UserId};
use crate::settings::server::clock;
use sqlx::{PgConnection, PgPool};

#[derive(sqlx::FromRow)]
struct AddendumRow {
    id: AddendumId,
    content: Vec<u8>,
    key_id: String,
    author_name: String,
    signed_at: chrono::DateTime<chrono::Utc>,
}

#[derive(sqlx::FromRow)]
struct ReviewRow {
    id: uuid::Uuid,
    decision: String,
    comment: Option<Vec<u8>>,
    key_id: Option<String>,
    reviewer_name: String,
    decided_at: chrono::DateTime<chrono::Utc>,
}

/// Why a note's content is read: each is audited under its own action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Shown in the app.
    View,
    /// Released as a record (PDF): only a signed note, never a draft or one awaiting co-signature.
    Release,
}

impl Purpose {
    fn action(self) -> &'static str {
        match self {
            Purpose::View => actions::NOTE_VIEW,
            Purpose::Release => actions::NOTE_RELEASE,
        }
    }
}

/// A note with its content, for those who may read it (recorded as a read).
pub async fn view(
    pool: &PgPool,
    keys: &Keyring,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: NoteId,
) -> Result<NoteView, AppError> {
    read(pool, keys, user, meta, id, Purpose::View).await
}

/// A note with its content for `purpose`, for those who may read it; the read is recorded.
pub async fn read(
    pool: &PgPool,
    keys: &Keyring,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: NoteId,
    purpose: Purpose,
) -> Result<NoteView, AppError> {
    let mut conn = pool.acquire().await?;
    let row = repo::note(&mut conn, id).await?;
    let emergency = require_content(&mut conn, user, meta, &row, purpose.action()).await?;
    // emergency access reads in the app; releasing a record is never part of it
    if purpose == Purpose::Release && emergency.is_some() {
        return Err(refused(&mut conn, user, meta, &row, purpose.action(), emergency).await);
    }
    // a release then asks for a recent proof of identity, before anything is recorded as released
    if purpose == Purpose::Release {
        crate::auth::server::step_up::require_recent(pool, user).await?;
    }
    if purpose == Purpose::Release && row.status != NoteStatus::Signed {
        return Err(AppError::Conflict(
            "Only a signed note can be released: sign it (and have it co-signed) first.".into(),
        ));
    }
    let zone = clock::practice_zone(&mut conn).await?;
    let content = open_content(keys, &row)?;
    let hash_verified = row
        .content_sha256
        .as_ref()
        .zip(row.signed_by)
        .map(|(stored, signer)| *stored == signature_digest(id, signer, &content));
    // a record is only released as signed: refused (and recorded so) before anything is sent
    if purpose == Purpose::Release && hash_verified != Some(true) {
        record(
            &mut conn,
            AuditEvent::new(purpose.action(), Outcome::Failure, meta)
                .by(user)
                .client(row.client_id)
                .entity("clinical_note", id)
                .detail(serde_json::json!({ "reason": "digest_mismatch" })),
        )
        .await?;
        return Err(AppError::Conflict(
            "This note's content does not match what was signed: it cannot be released. Report it to your administrator.".into(),
        ));
    }
    let names: Vec<(UserId, String)> = sqlx::query!(
        "SELECT id, display_name FROM users WHERE id = ANY($1)",
        [row.signed_by, row.cosigner_id]
            .into_iter()
            .flatten()
            .map(|u| u.0)
            .collect::<Vec<_>>() as _,
    )
    .map(|r| (UserId(r.id), r.display_name))
    .fetch_all(&mut *conn)
    .await?;
    let name_of = |u: Option<UserId>| {
        u.and_then(|u| {
            names
                .iter()
                .find(|(id, _)| *id == u)
                .map(|(_, n)| n.clone())
        })
        .unwrap_or_default()
    };
    let signature = row.signed_at.map(|at| {
        format!(
            "Signed by {} on {}",
            name_of(row.signed_by),
            clock::date_time(at, zone)
        )
    });
    let cosignature = match (row.status, row.cosigned_at) {
        (_, Some(at)) => Some(format!(
            "Co-signed by {} on {}",
            name_of(row.cosigner_id),
            clock::date_time(at, zone)
        )),
        (NoteStatus::AwaitingCosign, None) => Some(format!(
            "Awaiting co-signature by {}",
            name_of(row.cosigner_id)
        )),
        _ => None,
    };
    let addenda: Vec<AddendumRow> = sqlx::query_as!(
        AddendumRow,
        "SELECT d.id, d.content, d.key_id, u.display_name AS author_name, d.signed_at
           FROM note_addenda d JOIN users u ON u.id = d.author_id
          WHERE d.note_id = $1 ORDER BY d.signed_at",
        id as _,
    )
    .fetch_all(&mut *conn)
    .await?;
    let addenda = addenda
        .into_iter()
        .map(|a| {
            Ok(Addendum {
                text: keys.open_text(&a.key_id, &a.content, &row_tag("note_addenda", a.id.0))?,
                signed: format!(
                    "{} · {}",
                    a.author_name,
                    clock::date_time(a.signed_at, zone)
                ),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let reviews: Vec<ReviewRow> = sqlx::query_as!(
        ReviewRow,
        r#"SELECT r.id, r.decision, r.comment AS "comment?", r.key_id AS "key_id?", u.display_name AS reviewer_name, r.decided_at
           FROM note_reviews r JOIN users u ON u.id = r.reviewer_id
          WHERE r.note_id = $1 ORDER BY r.decided_at"#,
        id as _,
    )
    .fetch_all(&mut *conn)
    .await?;
    let reviews = reviews
        .into_iter()
        .map(|r| {
            let comment = match (r.comment, r.key_id) {
                (Some(c), Some(k)) => {
                    format!(
                        ": “{}”",
                        keys.open_text(&k, &c, &row_tag("note_reviews", r.id))?
                    )
                }
                _ => String::new(),
            };
            let verb = if r.decision == "approved" {
                "Approved"
            } else {
                "Returned"
            };
            Ok(format!(
                "{verb} by {} on {}{comment}",
                r.reviewer_name,
                clock::date_time(r.decided_at, zone)
            ))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let diagnoses: Vec<String> = sqlx::query_scalar!(
        r#"SELECT d.code || ' ' || i.description AS "description!" FROM client_diagnoses d
           JOIN icd10_codes i ON i.code = d.code
          WHERE d.client_id = $1 AND d.resolved_on IS NULL ORDER BY d.kind = 'primary' DESC, d.code"#,
        row.client_id as _,
    )
    .fetch_all(&mut *conn)
    .await?;
    let session = match row.appointment_id {
        Some(a) => session_line(&mut conn, a, zone).await?,
        None => None,
    };
    let objectives = match row.kind {
        NoteKind::Progress => plans::objectives(&mut conn, keys, row.client_id).await?,
        _ => Vec::new(),
    };
    // the editor is offered on the same terms as saving (see `require_author_in_caseload`)
    let may_write = access::may_write(&mut conn, user, &row).await?;
    record(
        &mut conn,
        AuditEvent::new(purpose.action(), Outcome::Success, meta)
            .by(user)
            .client(row.client_id)
            .entity("clinical_note", id)
            .under(emergency),
    )
    .await?;
    let status = row.status;
    Ok(NoteView {
        summary: row.summary(),
        author_id: row.author_id,
        content,
        revision: row.revision,
        session,
        diagnoses,
        signature,
        cosignature,
        hash_verified,
        digest: row
            .content_sha256
            .as_ref()
            .map(|d| d.iter().map(|b| format!("{b:02x}")).collect()),
        objectives,
        addenda,
        reviews,
        can_edit: may_write && status.editable(),
        can_cosign: row.cosigner_id == Some(user.id) && status == NoteStatus::AwaitingCosign,
        can_add_addendum: status == NoteStatus::Signed
            && (row.author_id == user.id || row.cosigner_id == Some(user.id)),
        emergency: emergency.is_some(),
    })
}

/// Refuses (and records as denied under `action`) a caller who may not read the note's content;
/// else the emergency access the read happens under, if any.
async fn require_content(
    conn: &mut PgConnection,
    user: &CurrentUser,
    meta: &RequestMeta,
    row: &NoteRow,
    action: &'static str,
) -> Result<Option<EmergencyAccessId>, AppError> {
    match access::reach(conn, user, row).await {
        Ok(reach) if reach.reads_content() => Ok(reach.emergency()),
        Ok(_) | Err(AppError::Forbidden) => Err(refused(conn, user, meta, row, action, None).await),
        Err(e) => Err(e),
    }
}

/// Records the refusal of a read of the note as denied (marked when tried under emergency
/// access), and returns it.
async fn refused(
    conn: &mut PgConnection,
    user: &CurrentUser,
    meta: &RequestMeta,
    row: &NoteRow,
    action: &'static str,
    emergency: Option<EmergencyAccessId>,
) -> AppError {
    let recorded = record(
        conn,
        AuditEvent::new(action, Outcome::Denied, meta)
            .by(user)
            .client(row.client_id)
            .entity("clinical_note", row.id)
            .under(emergency),
    )
    .await;
    match recorded {
        Ok(()) => AppError::Forbidden,
        Err(e) => e,
    }
}

/// The note's saved versions, newest first, for those who may read it (recorded as a read).
pub async fn history(
    pool: &PgPool,
    keys: &Keyring,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: NoteId,
) -> Result<Vec<NoteVersion>, AppError> {
    const ACTION: &str = actions::NOTE_HISTORY_VIEW;
    let mut conn = pool.acquire().await?;
    let row = repo::note(&mut conn, id).await?;
    let emergency = require_content(&mut conn, user, meta, &row, ACTION).await?;
    let zone = clock::practice_zone(&mut conn).await?;
    type VersionRow = (i32, Vec<u8>, String, String, chrono::DateTime<chrono::Utc>);
    let rows: Vec<VersionRow> = sqlx::query!(
        "SELECT v.revision, v.content, v.key_id, u.display_name, v.saved_at
           FROM clinical_note_versions v JOIN users u ON u.id = v.saved_by
          WHERE v.note_id = $1 ORDER BY v.revision DESC",
        id as _,
    )
    .map(|r| (r.revision, r.content, r.key_id, r.display_name, r.saved_at))
    .fetch_all(&mut *conn)
    .await?;
    let versions = rows
        .into_iter()
        .map(|(revision, sealed, key_id, by, at)| {
            let json = keys.open(&key_id, &sealed, &version_tag(id, revision))?;
            Ok(NoteVersion {
                revision,
                saved: format!("{} · {by}", clock::date_time(at, zone)),
                content: serde_json::from_slice(&json).map_err(|_| AppError::Internal)?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    record(
        &mut conn,
        AuditEvent::new(ACTION, Outcome::Success, meta)
            .by(user)
            .client(row.client_id)
            .entity("clinical_note", id)
            .under(emergency),
    )
    .await?;
    Ok(versions)
}

/// "Tuesday 12/01/2026, 10:00 AM – 10:53 AM CST · Telehealth · Ann C."
async fn session_line(
    conn: &mut PgConnection,
    appointment: AppointmentId,
    zone: chrono_tz::Tz,
) -> Result<Option<String>, AppError> {
    type Row = (
        chrono::DateTime<chrono::Utc>,
        chrono::DateTime<chrono::Utc>,
        bool,
        Option<String>,
        String,
    );
    let row: Option<Row> = sqlx::query!(
        r#"SELECT a.starts_at, a.ends_at, a.telehealth, l.name AS "location?",
                (SELECT string_agg(coalesce(c.preferred_name, c.legal_first_name) || ' ' || left(c.legal_last_name, 1) || '.', ', ')
                   FROM appointment_clients ac JOIN clients c ON c.id = ac.client_id WHERE ac.appointment_id = a.id)
                AS "attended!"
           FROM appointments a LEFT JOIN locations l ON l.id = a.location_id WHERE a.id = $1"#,
        appointment as _,
    )
    .map(|r| (r.starts_at, r.ends_at, r.telehealth, r.location, r.attended))
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(start, end, telehealth, location, attended)| {
        let (start, end) = (start.with_timezone(&zone), end.with_timezone(&zone));
        let place = if telehealth {
            "Telehealth".to_owned()
        } else {
            location.unwrap_or_default()
        };
        format!(
            "{}, {} – {} · {place} · attended: {attended}",
            start.format("%A %m/%d/%Y"),
            start.format("%-I:%M %p"),
            end.format("%-I:%M %p %Z")
        )
    }))
}
