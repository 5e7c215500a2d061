//! Signing a note with the password, the supervisor's co-signature or return, and signed addenda.

use super::access;
use super::drafting::{require_author_in_caseload, require_editable};
use super::repo::{self, row_tag, version_tag, NoteRow};
use super::sealing::{content_json, open_content, signature_digest};
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Role;
use crate::crypto::Keyring;
use crate::documents::actions;
use crate::documents::types::*;
use crate::error::AppError;
use crate::ids::{AddendumId, NoteId, UserId};
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool};

/// Checks the caller's password again (signing is an attestation); a wrong one is audited (outside
/// the caller's transaction, which the refusal rolls back).
pub(super) async fn confirm_password(
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
pub(super) async fn cosigner_for(
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
    check_complete(row.kind, row.format, &content).map_err(AppError::fields)?;
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
        status as _,
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
