//! SQL for two-step sign-in: enrolments, recovery codes, sign-in challenges and the practice's policy.

use crate::auth::types::Role;
use crate::crypto::Sealed;
use crate::error::AppError;
use crate::ids::UserId;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// A person's enrolment, confirmed or waiting for its first code.
#[derive(Debug, sqlx::FromRow)]
pub struct EnrolmentRow {
    pub id: Uuid,
    pub secret: Vec<u8>,
    pub key_id: String,
    pub confirmed_at: Option<DateTime<Utc>>,
}

pub async fn enrolment(
    conn: &mut PgConnection,
    user: UserId,
) -> Result<Option<EnrolmentRow>, AppError> {
    Ok(sqlx::query_as!(
        EnrolmentRow,
        r#"SELECT id, secret, key_id, confirmed_at AS "confirmed_at?" FROM user_mfa WHERE user_id = $1
           FOR UPDATE"#,
        user as _,
    )
    .fetch_optional(conn)
    .await?)
}

/// Replaces an unconfirmed enrolment with a new secret (the caller checked none is confirmed).
pub async fn start_enrolment(
    conn: &mut PgConnection,
    id: Uuid,
    user: UserId,
    secret: &Sealed,
) -> Result<(), AppError> {
    sqlx::query!(
        "DELETE FROM user_mfa WHERE user_id = $1 AND confirmed_at IS NULL",
        user as _
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO user_mfa (id, user_id, secret, key_id) VALUES ($1, $2, $3, $4)",
        id,
        user as _,
        &secret.bytes,
        &secret.key_id,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn confirm(conn: &mut PgConnection, id: Uuid, step: i64) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE user_mfa SET confirmed_at = now(), last_used_step = $2 WHERE id = $1",
        id,
        step,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes a code's time step if it is later than every step taken before: false for a replay.
pub async fn take_step(conn: &mut PgConnection, id: Uuid, step: i64) -> Result<bool, AppError> {
    Ok(sqlx::query!(
        "UPDATE user_mfa SET last_used_step = $2
          WHERE id = $1 AND confirmed_at IS NOT NULL AND (last_used_step IS NULL OR last_used_step < $2)",
        id,
        step,
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

pub async fn insert_recovery_codes(
    conn: &mut PgConnection,
    enrolment: Uuid,
    hashes: &[Vec<u8>],
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO mfa_recovery_codes (user_mfa_id, code_hash) SELECT $1, h FROM unnest($2::bytea[]) h",
        enrolment,
        hashes,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Spends a recovery code: false when it is not one of the enrolment's unused codes.
pub async fn use_recovery_code(
    conn: &mut PgConnection,
    enrolment: Uuid,
    hash: &[u8],
) -> Result<bool, AppError> {
    Ok(sqlx::query!(
        "UPDATE mfa_recovery_codes SET used_at = now()
          WHERE user_mfa_id = $1 AND code_hash = $2 AND used_at IS NULL",
        enrolment,
        hash,
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// A person's confirmed enrolment: since when, and how many recovery codes are left.
pub async fn status(
    conn: &mut PgConnection,
    user: UserId,
) -> Result<Option<(DateTime<Utc>, i64)>, AppError> {
    Ok(sqlx::query!(
        r#"SELECT m.confirmed_at AS "confirmed_at!",
                  (SELECT count(*) FROM mfa_recovery_codes r WHERE r.user_mfa_id = m.id AND r.used_at IS NULL) AS "left!"
             FROM user_mfa m WHERE m.user_id = $1 AND m.confirmed_at IS NOT NULL"#,
        user as _,
    )
    .fetch_optional(conn)
    .await?
    .map(|r| (r.confirmed_at, r.left)))
}

/// Removes a person's enrolment (and with it the recovery codes). Returns whether one was confirmed.
pub async fn remove(conn: &mut PgConnection, user: UserId) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"DELETE FROM user_mfa WHERE user_id = $1 RETURNING confirmed_at IS NOT NULL AS "confirmed!""#,
        user as _,
    )
    .fetch_optional(conn)
    .await?
    .unwrap_or(false))
}

// ---- sign-in challenges ----

/// Why a sign-in is waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum ChallengePurpose {
    Verify,
    Enrol,
}

#[derive(Debug, sqlx::FromRow)]
pub struct ChallengeRow {
    pub id: Uuid,
    pub user_id: UserId,
    pub purpose: ChallengePurpose,
}

pub async fn insert_challenge(
    conn: &mut PgConnection,
    user: UserId,
    token_hash: &[u8],
    purpose: ChallengePurpose,
    expires_at: DateTime<Utc>,
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO mfa_challenges (user_id, token_hash, purpose, expires_at) VALUES ($1, $2, $3, $4)",
        user as _,
        token_hash,
        purpose as _,
        expires_at,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The live challenge a token names, locked for this transaction.
pub async fn challenge(
    conn: &mut PgConnection,
    token_hash: &[u8],
) -> Result<Option<ChallengeRow>, AppError> {
    Ok(sqlx::query_as!(
        ChallengeRow,
        r#"SELECT c.id, c.user_id AS "user_id: UserId", c.purpose AS "purpose: ChallengePurpose"
             FROM mfa_challenges c JOIN users u ON u.id = c.user_id
            WHERE c.token_hash = $1 AND c.expires_at > now() AND u.active
            FOR UPDATE OF c"#,
        token_hash,
    )
    .fetch_optional(conn)
    .await?)
}

/// Counts a wrong code against a challenge; the `max`-th ends it. Returns true when it ended.
pub async fn fail_challenge(conn: &mut PgConnection, id: Uuid, max: i32) -> Result<bool, AppError> {
    let failures = sqlx::query_scalar!(
        "UPDATE mfa_challenges SET failures = failures + 1 WHERE id = $1 RETURNING failures",
        id,
    )
    .fetch_one(&mut *conn)
    .await?;
    if failures >= max {
        delete_challenge(conn, id).await?;
        return Ok(true);
    }
    Ok(false)
}

pub async fn delete_challenge(conn: &mut PgConnection, id: Uuid) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM mfa_challenges WHERE id = $1", id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete_user_challenges(conn: &mut PgConnection, user: UserId) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM mfa_challenges WHERE user_id = $1", user as _)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn prune_challenges(pool: &PgPool) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM mfa_challenges WHERE expires_at < now()")
        .execute(pool)
        .await?;
    Ok(())
}

// ---- the code step's own lockout ----

/// Whether the code step is locked. Locks the person's row for the transaction, so concurrent code
/// attempts (several sign-ins at once) are judged one after another against the same count.
pub async fn code_locked(conn: &mut PgConnection, user: UserId) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT coalesce(mfa_locked_until > now(), false) AS "locked!" FROM users WHERE id = $1
           FOR UPDATE"#,
        user as _,
    )
    .fetch_one(conn)
    .await?)
}

/// Counts a wrong code; the `max`-th in a row locks the code step. Returns true when this one locked it.
pub async fn record_code_failure(
    conn: &mut PgConnection,
    user: UserId,
    max: i32,
    lock_for: chrono::Duration,
) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"UPDATE users SET
            mfa_failures     = CASE WHEN mfa_failures + 1 >= $2 THEN 0 ELSE mfa_failures + 1 END,
            mfa_locked_until = CASE WHEN mfa_failures + 1 >= $2 THEN now() + $3 ELSE mfa_locked_until END
          WHERE id = $1
         RETURNING mfa_failures = 0 AS "locked!""#,
        user as _,
        max,
        lock_for as _,
    )
    .fetch_one(conn)
    .await?)
}

pub async fn reset_code_failures(conn: &mut PgConnection, user: UserId) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE users SET mfa_failures = 0, mfa_locked_until = NULL WHERE id = $1",
        user as _,
    )
    .execute(conn)
    .await?;
    Ok(())
}

// ---- the practice's policy ----

/// The roles that must use two-step sign-in. Share-locked for the transaction: a sign-in deciding
/// on it and a policy change (which then ends the sessions it covers) cannot pass each other.
pub async fn required_roles(conn: &mut PgConnection) -> Result<Vec<Role>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT mfa_required_roles AS "roles: Vec<Role>" FROM practice FOR SHARE"#
    )
    .fetch_one(conn)
    .await?)
}

/// Locks the policy for a change (taken before reading it, so two changes queue rather than deadlock
/// upgrading their share locks).
pub async fn lock_policy(conn: &mut PgConnection) -> Result<(), AppError> {
    sqlx::query!("SELECT id FROM practice FOR UPDATE")
        .fetch_one(conn)
        .await?;
    Ok(())
}

pub async fn set_required_roles(conn: &mut PgConnection, roles: &[Role]) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE practice SET mfa_required_roles = $1, updated_at = now()",
        roles as _,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Members of `roles` without a confirmed enrolment, and their sessions ended (a policy that now
/// covers them admits them only through enrolment). Returns how many sessions ended.
pub async fn end_sessions_of_unenrolled(
    conn: &mut PgConnection,
    roles: &[Role],
) -> Result<u64, AppError> {
    Ok(sqlx::query!(
        "DELETE FROM sessions s USING users u
          WHERE u.id = s.user_id AND u.role = ANY($1)
            AND NOT EXISTS (SELECT 1 FROM user_mfa m WHERE m.user_id = u.id AND m.confirmed_at IS NOT NULL)",
        roles as _,
    )
    .execute(conn)
    .await?
    .rows_affected())
}
