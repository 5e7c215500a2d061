//! A note's life: started (from an appointment or the chart), drafted with autosave, signed with the
//! author's password and locked (the database refuses changes), co-signed by a supervisor or returned
//! with comments, and amended only by signed addenda. Who may read what is decided in [`super::access`].

use super::access::{self, Reach};
use super::plans;
use super::repo::{self, row_tag, version_tag, NoteRow};
use super::sealing::{content_json, open_content, seal_content, signature_digest};
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::{Permission, Role};
use crate::crypto::Keyring;
use crate::documents::actions;
use crate::documents::types::*;
use crate::error::{AppError, Validator};
use crate::ids::{AddendumId, AppointmentId, ClientId, NoteId, UserId};
use crate::settings::server::clock;
use sha2::{Digest, Sha256};
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
    sqlx::query!(
        "INSERT INTO clinical_notes (id, client_id, appointment_id, author_id, kind, format, service_date, content, key_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        id as _,
        client as _,
        appointment as _,
        user.id as _,
        kind.as_str(),
        format.map(NoteFormat::as_str),
        service_date,
        &sealed.bytes as _,
        &sealed.key_id as _,
    )
    .execute(&mut *tx)
    .await?;
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

fn validation(problems: Vec<(String, String)>) -> AppError {
    AppError::fields(problems)
}

/// Changing a note is its author's, and only while the client is in their caseload: writing follows
/// the caseload, as starting a note does (an author whose client moved on may read the draft but no
/// longer change, sign or discard it). A refusal is recorded as denied under `action`, outside the
/// caller's transaction, which the refusal rolls back.
async fn require_author_in_caseload(
    pool: &PgPool,
    conn: &mut PgConnection,
    user: &CurrentUser,
    meta: &RequestMeta,
    row: &NoteRow,
    action: &'static str,
) -> Result<(), AppError> {
    let allowed = row.author_id == user.id
        && match access::require_caseload(conn, user, row.client_id).await {
            Ok(()) => true,
            Err(AppError::Forbidden) => false,
            Err(e) => return Err(e),
        };
    if allowed {
        return Ok(());
    }
    Err(access::refused(pool, user, meta, action, row.client_id, Some(row.id)).await)
}

fn require_editable(row: &NoteRow) -> Result<(), AppError> {
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
    check_draft(row.kind, row.format, content).map_err(validation)?;
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

/// Checks the caller's password again (signing is an attestation); a wrong one is audited (outside
/// the caller's transaction, which the refusal rolls back).
async fn confirm_password(
    pool: &PgPool,
    conn: &mut PgConnection,
    user: &CurrentUser,
    meta: &RequestMeta,
    password: &str,
    note: &NoteRow,
) -> Result<(), AppError> {
    if crate::auth::server::service::verify_password(conn, user.id, password).await? {
        return Ok(());
    }
    record(
        &mut *pool.acquire().await?,
        AuditEvent::new(actions::SIGNATURE_REFUSED, Outcome::Failure, meta)
            .by(user)
            .client(note.client_id)
            .entity("clinical_note", note.id),
    )
    .await?;
    Err(AppError::field(
        "password",
        "That is not your password: the note was not signed.",
    ))
}

/// Whether the author's notes need a co-signature, and whose: interns always, others when marked.
async fn cosigner_for(
    conn: &mut PgConnection,
    author: &CurrentUser,
) -> Result<Option<UserId>, AppError> {
    let profile: Option<(bool, Option<UserId>)> = sqlx::query!(
        "SELECT requires_cosign, supervisor_id FROM staff_profiles WHERE user_id = $1",
        author.id as _,
    )
    .map(|r| (r.requires_cosign, r.supervisor_id.map(UserId)))
    .fetch_optional(conn)
    .await?;
    let (marked, supervisor) = profile.unwrap_or((false, None));
    if !(marked || author.role == Role::Intern) {
        return Ok(None);
    }
    supervisor.map(Some).ok_or_else(|| {
        AppError::Conflict(
            "Your notes need a supervisor's co-signature, but no supervisor is set for you: ask an administrator."
                .into(),
        )
    })
}

/// Signs the note with the author's password: complete content is locked with its digest, and goes to
/// the supervisor's queue when it needs co-signing. Returns the new status.
pub async fn sign(
    pool: &PgPool,
    keys: &Keyring,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: NoteId,
    password: &str,
) -> Result<NoteStatus, AppError> {
    let mut tx = pool.begin().await?;
    let row = repo::note_for_update(&mut tx, id).await?;
    require_author_in_caseload(pool, &mut tx, user, meta, &row, actions::NOTE_SIGN).await?;
    require_editable(&row)?;
    let content = open_content(keys, &row)?;
    check_complete(row.kind, row.format, &content).map_err(validation)?;
    let cosigner = cosigner_for(&mut tx, user).await?;
    confirm_password(pool, &mut tx, user, meta, password, &row).await?;
    let status = if cosigner.is_some() {
        NoteStatus::AwaitingCosign
    } else {
        NoteStatus::Signed
    };
    sqlx::query!(
        "UPDATE clinical_notes
            SET status = $2, signed_by = $3, signed_at = now(), content_sha256 = $4, cosigner_id = $5, updated_at = now()
          WHERE id = $1",
        id as _,
        if cosigner.is_some() { "awaiting_cosign" } else { "signed" },
        user.id as _,
        signature_digest(id, user.id, &content) as _,
        cosigner as _,
    )
    .execute(&mut *tx)
    .await?;
    let json = content_json(&content);
    let snapshot = keys.seal(&json, &version_tag(id, row.revision));
    repo::snapshot(&mut tx, id, row.revision, &snapshot, user.id, true).await?;
    record(
        &mut tx,
        AuditEvent::new(actions::NOTE_SIGN, Outcome::Success, meta)
            .by(user)
            .client(row.client_id)
            .entity("clinical_note", id)
            .detail(serde_json::json!({ "needs_cosign": cosigner.is_some() })),
    )
    .await?;
    tx.commit().await?;
    Ok(status)
}

/// A supervisor's decision on a note awaiting their co-signature.
#[derive(Debug, Clone, Copy)]
pub enum Decision<'a> {
    /// Co-sign with the supervisor's password: the note becomes final.
    Approve { password: &'a str },
    /// Back to its author, with what should change.
    Return { comment: &'a str },
}

/// The supervisor's decision on a note awaiting their co-signature.
pub async fn review(
    pool: &PgPool,
    keys: &Keyring,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: NoteId,
    decision: Decision<'_>,
) -> Result<NoteStatus, AppError> {
    let (approve, comment, password) = match decision {
        Decision::Approve { password } => (true, "", password),
        Decision::Return { comment } => (false, comment, ""),
    };
    let mut tx = pool.begin().await?;
    let row = repo::note_for_update(&mut tx, id).await?;
    if row.cosigner_id != Some(user.id) {
        let action = if approve {
            actions::NOTE_COSIGN
        } else {
            actions::NOTE_RETURN
        };
        return Err(access::refused(pool, user, meta, action, row.client_id, Some(id)).await);
    }
    if row.status != NoteStatus::AwaitingCosign {
        return Err(AppError::Conflict(
            "This note is not waiting for your co-signature.".into(),
        ));
    }
    let comment = comment.trim();
    if !approve && comment.is_empty() {
        return Err(AppError::field(
            "comment",
            "Say what should change: the author sees this comment.",
        ));
    }
    if comment.chars().count() > 4000 {
        return Err(AppError::field("comment", "At most 4000 characters."));
    }
    if approve {
        confirm_password(pool, &mut tx, user, meta, password, &row).await?;
        sqlx::query!(
            "UPDATE clinical_notes SET status = 'signed', cosigned_at = now(), updated_at = now() WHERE id = $1",
            id as _,
        )
        .execute(&mut *tx)
        .await?;
    } else {
        // the author's signature no longer stands: they change the note and sign again
        sqlx::query!(
            "UPDATE clinical_notes
                SET status = 'returned', signed_by = NULL, signed_at = NULL, content_sha256 = NULL, updated_at = now()
              WHERE id = $1",
            id as _,
        )
        .execute(&mut *tx)
        .await?;
    }
    let review_id = repo::new_id(&mut tx).await?;
    let sealed = (!comment.is_empty())
        .then(|| keys.seal(comment.as_bytes(), &row_tag("note_reviews", review_id)));
    sqlx::query!(
        "INSERT INTO note_reviews (id, note_id, reviewer_id, decision, comment, key_id) VALUES ($1, $2, $3, $4, $5, $6)",
        review_id,
        id as _,
        user.id as _,
        if approve { "approved" } else { "returned" },
        sealed.as_ref().map(|s| &s.bytes) as _,
        sealed.as_ref().map(|s| &s.key_id) as _,
    )
    .execute(&mut *tx)
    .await?;
    record(
        &mut tx,
        AuditEvent::new(
            if approve {
                actions::NOTE_COSIGN
            } else {
                actions::NOTE_RETURN
            },
            Outcome::Success,
            meta,
        )
        .by(user)
        .client(row.client_id)
        .entity("clinical_note", id),
    )
    .await?;
    tx.commit().await?;
    Ok(if approve {
        NoteStatus::Signed
    } else {
        NoteStatus::Returned
    })
}

/// A signed addendum to a signed note (by its author or co-signer).
pub async fn add_addendum(
    pool: &PgPool,
    keys: &Keyring,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: NoteId,
    text: &str,
    password: &str,
) -> Result<AddendumId, AppError> {
    let text = parse_prose(text, "Write the addendum.").map_err(|m| AppError::field("text", m))?;
    let mut tx = pool.begin().await?;
    let row = repo::note(&mut tx, id).await?;
    if row.author_id != user.id && row.cosigner_id != Some(user.id) {
        let action = actions::ADDENDUM_ADD;
        return Err(access::refused(pool, user, meta, action, row.client_id, Some(id)).await);
    }
    if row.status != NoteStatus::Signed {
        return Err(AppError::Conflict(
            "An addendum is added to a signed note; this one can still be edited.".into(),
        ));
    }
    confirm_password(pool, &mut tx, user, meta, password, &row).await?;
    let addendum = AddendumId(repo::new_id(&mut tx).await?);
    let sealed = keys.seal(text.as_bytes(), &row_tag("note_addenda", addendum.0));
    let digest = Sha256::new()
        .chain_update(addendum.0.as_bytes())
        .chain_update(user.id.0.as_bytes())
        .chain_update(text.as_bytes())
        .finalize()
        .to_vec();
    sqlx::query!(
        "INSERT INTO note_addenda (id, note_id, author_id, content, key_id, content_sha256) VALUES ($1, $2, $3, $4, $5, $6)",
        addendum as _,
        id as _,
        user.id as _,
        &sealed.bytes as _,
        &sealed.key_id as _,
        digest as _,
    )
    .execute(&mut *tx)
    .await?;
    record(
        &mut tx,
        AuditEvent::new(actions::ADDENDUM_ADD, Outcome::Success, meta)
            .by(user)
            .client(row.client_id)
            .entity("clinical_note", id),
    )
    .await?;
    tx.commit().await?;
    Ok(addendum)
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
    require_content(&mut conn, user, meta, &row, purpose.action()).await?;
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
    let may_write = row.author_id == user.id
        && match access::require_caseload(&mut conn, user, row.client_id).await {
            Ok(()) => true,
            Err(AppError::Forbidden) => false,
            Err(e) => return Err(e),
        };
    record(
        &mut conn,
        AuditEvent::new(purpose.action(), Outcome::Success, meta)
            .by(user)
            .client(row.client_id)
            .entity("clinical_note", id),
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
    })
}

/// Refuses (and records as denied under `action`) a caller who may not read the note's content.
async fn require_content(
    conn: &mut PgConnection,
    user: &CurrentUser,
    meta: &RequestMeta,
    row: &NoteRow,
    action: &'static str,
) -> Result<(), AppError> {
    let allowed = match access::reach(conn, user, row).await {
        Ok(reach) => reach == Reach::Content,
        Err(AppError::Forbidden) => false,
        Err(e) => return Err(e),
    };
    if allowed {
        return Ok(());
    }
    record(
        conn,
        AuditEvent::new(action, Outcome::Denied, meta)
            .by(user)
            .client(row.client_id)
            .entity("clinical_note", row.id),
    )
    .await?;
    Err(AppError::Forbidden)
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
    require_content(&mut conn, user, meta, &row, ACTION).await?;
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
            .entity("clinical_note", id),
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
