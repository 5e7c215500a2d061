//! Step-up: releasing records (note PDFs, statements, claim files, receipts) and changing security
//! settings need a proof of identity from the last few minutes. Signing in is one; confirming again
//! (the password, and a code when two-step sign-in is on) renews it for this session only.

use super::current::{CurrentUser, RequestMeta};
use super::{mfa, mfa_repo, repo};
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::actions;
use crate::auth::mfa::parse_second_factor;
use crate::crypto::Keyring;
use crate::error::{AppError, Validator};
use sqlx::PgPool;

/// How long a proof of identity lasts for releases and security settings.
pub const STEP_UP_SECS: i64 = 5 * 60;

/// Refuses with [`AppError::StepUpRequired`] when this session's last proof is too old.
pub async fn require_recent(pool: &PgPool, user: &CurrentUser) -> Result<(), AppError> {
    let mut conn = pool.acquire().await?;
    if repo::proved_within(&mut conn, user.session_id, STEP_UP_SECS).await? {
        Ok(())
    } else {
        Err(AppError::StepUpRequired)
    }
}

/// Confirms the person again: the password, and a code (or recovery code) when two-step sign-in is
/// on. Wrong answers count toward the same lockouts as at sign-in.
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn confirm(
    pool: &PgPool,
    keys: &Keyring,
    user: &CurrentUser,
    meta: &RequestMeta,
    password: &str,
    code: &str,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let enrolment = mfa_repo::enrolment(&mut tx, user.id)
        .await?
        .filter(|e| e.confirmed_at.is_some());
    let mut v = Validator::new();
    if password.is_empty() {
        v.add("password", "Enter your password.");
    }
    let factor = match enrolment {
        Some(_) => v.check("code", parse_second_factor(code)),
        None => None,
    };
    v.finish()?;

    let failure = |reason: &str| {
        AuditEvent::new(actions::STEP_UP, Outcome::Failure, meta)
            .by(user)
            .entity("user", user.id)
            .detail(serde_json::json!({ "reason": reason }))
    };
    let code = enrolment.as_ref().zip(factor.as_ref());
    let proof = mfa::Proof { password, code };
    if let Some(refusal) = mfa::refuse_proof(&mut tx, keys, user, meta, proof, failure).await? {
        tx.commit().await?;
        return Err(refusal);
    }
    repo::reset_failed_logins(&mut tx, user.id).await?;
    repo::touch_proof(&mut tx, user.session_id).await?;
    record(
        &mut tx,
        AuditEvent::new(actions::STEP_UP, Outcome::Success, meta)
            .by(user)
            .entity("session", user.session_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
