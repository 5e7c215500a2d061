//! SQL for users and sessions.

use crate::auth::types::{Role, SessionSummary, UserSummary};
use crate::error::AppError;
use crate::ids::{SessionId, UserId};
use chrono::{DateTime, Utc};
use sqlx::types::ipnetwork::IpNetwork;
use sqlx::{PgConnection, PgPool};
use std::net::IpAddr;

#[derive(Debug, sqlx::FromRow)]
pub struct LoginRow {
    pub id: UserId,
    pub password_hash: String,
    pub role: Role,
    pub active: bool,
    pub locked: bool,
}

pub async fn find_for_login(
    conn: &mut PgConnection,
    email: &str,
) -> Result<Option<LoginRow>, AppError> {
    Ok(sqlx::query_as!(
        LoginRow,
        r#"SELECT id, password_hash, role AS "role: Role", active, coalesce(locked_until > now(), false) AS "locked!"
           FROM users WHERE email = $1::citext"#,
        email,
    )
    .fetch_optional(conn)
    .await?)
}

/// Counts a wrong password; the `max_failures`-th in a row locks the account. Returns true when
/// this failure locked it.
pub async fn record_failed_login(
    conn: &mut PgConnection,
    user: UserId,
    max_failures: i32,
    lock_for: chrono::Duration,
) -> Result<bool, AppError> {
    let locked: bool = sqlx::query_scalar!(
        r#"UPDATE users SET
            failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
            locked_until  = CASE WHEN failed_logins + 1 >= $2 THEN now() + $3 ELSE locked_until END
          WHERE id = $1
         RETURNING failed_logins = 0 AS "failed_logins0!""#,
        user as _,
        max_failures,
        lock_for as _,
    )
    .fetch_one(conn)
    .await?;
    Ok(locked)
}

/// Whether wrong passwords have locked the account for now.
pub async fn password_locked(conn: &mut PgConnection, user: UserId) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT coalesce(locked_until > now(), false) AS "locked!" FROM users WHERE id = $1"#,
        user as _,
    )
    .fetch_one(conn)
    .await?)
}

pub async fn reset_failed_logins(conn: &mut PgConnection, user: UserId) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1",
        user as _,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Records an attempt from `ip` and returns how many it made in the last minute, this one included.
pub async fn count_login_attempt(
    conn: &mut PgConnection,
    ip: Option<IpAddr>,
) -> Result<i64, AppError> {
    let ip = ip.map(IpNetwork::from);
    sqlx::query!("INSERT INTO login_attempts (ip) VALUES ($1)", ip,)
        .execute(&mut *conn)
        .await?;
    Ok(sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM login_attempts
          WHERE ip IS NOT DISTINCT FROM $1 AND attempted_at > now() - interval '1 minute'"#,
        ip,
    )
    .fetch_one(conn)
    .await?)
}

pub async fn prune_login_attempts(pool: &PgPool) -> Result<u64, AppError> {
    Ok(
        sqlx::query!("DELETE FROM login_attempts WHERE attempted_at < now() - interval '1 hour'")
            .execute(pool)
            .await?
            .rows_affected(),
    )
}

pub async fn insert_session(
    conn: &mut PgConnection,
    user: UserId,
    expires_at: DateTime<Utc>,
    ip: Option<IpAddr>,
    user_agent: Option<&str>,
) -> Result<(SessionId, DateTime<Utc>), AppError> {
    Ok(sqlx::query!(
        "INSERT INTO sessions (user_id, expires_at, ip, user_agent) VALUES ($1, $2, $3, left($4, 512))
         RETURNING id, created_at",
        user as _,
        expires_at,
        ip.map(IpNetwork::from),
        user_agent,
    )
    .map(|r| (SessionId(r.id), r.created_at))
    .fetch_one(conn)
    .await?)
}

#[derive(Debug, sqlx::FromRow)]
pub struct LiveSession {
    pub user_id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub must_change_password: bool,
    pub session_id: SessionId,
    pub idle_remaining_secs: i64,
    pub absolute_remaining_secs: i64,
    pub practice_name: String,
    pub idle_timeout_minutes: i32,
    /// The practice's time zone's offset from UTC now, in minutes (-360 for CST).
    pub utc_offset_minutes: i32,
}

/// How often a session's activity is written at most.
pub const TOUCH_EVERY_SECS: f64 = 30.0;

/// The session if it is still live (not signed out, not idle too long, not past its lifetime, user
/// active). With `touch`, counts this request as activity — written at most once per
/// `TOUCH_EVERY_SECS`, so a busy tab does not rewrite its session row on every request (the idle
/// timeout may then end a session up to that much early, never late).
pub async fn live_session(
    pool: &PgPool,
    session: SessionId,
    user: UserId,
    touch: bool,
) -> Result<Option<LiveSession>, AppError> {
    Ok(sqlx::query_as!(
        LiveSession,
        r#"WITH live AS (
            SELECT s.id FROM sessions s
              JOIN users u ON u.id = s.user_id
              CROSS JOIN practice p
             WHERE s.id = $1 AND s.user_id = $2 AND u.active
               AND s.expires_at > now()
               AND s.last_seen_at > now() - make_interval(mins => p.idle_timeout_minutes)
         ), touched AS (
            UPDATE sessions SET last_seen_at = now()
             WHERE $3 AND id IN (SELECT id FROM live)
               AND last_seen_at < now() - make_interval(secs => $4)
            RETURNING id, last_seen_at
         )
         SELECT u.id AS user_id, u.email::text AS "email!", u.display_name, u.role AS "role: Role", u.must_change_password,
                s.id AS session_id,
                extract(epoch FROM coalesce(t.last_seen_at, s.last_seen_at)
                    + make_interval(mins => p.idle_timeout_minutes) - now())::bigint AS "idle_remaining_secs!",
                extract(epoch FROM s.expires_at - now())::bigint AS "absolute_remaining_secs!",
                p.name AS practice_name, p.idle_timeout_minutes,
                (extract(epoch FROM (now() AT TIME ZONE p.time_zone) - (now() AT TIME ZONE 'UTC')) / 60)::integer
                    AS "utc_offset_minutes!"
           FROM live
           JOIN sessions s ON s.id = live.id
           JOIN users u ON u.id = s.user_id
           CROSS JOIN practice p
           LEFT JOIN touched t ON t.id = s.id"#,
        session as _,
        user as _,
        touch,
        TOUCH_EVERY_SECS,
    )
    .fetch_optional(pool)
    .await?)
}

/// Whether this session proved its person's identity within the last `secs` seconds.
pub async fn proved_within(
    conn: &mut PgConnection,
    session: SessionId,
    secs: i64,
) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT proved_at > now() - make_interval(secs => $2) AS "recent!" FROM sessions WHERE id = $1"#,
        session as _,
        secs as f64,
    )
    .fetch_optional(conn)
    .await?
    .unwrap_or(false))
}

pub async fn touch_proof(conn: &mut PgConnection, session: SessionId) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE sessions SET proved_at = now() WHERE id = $1",
        session as _
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn delete_session(conn: &mut PgConnection, session: SessionId) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM sessions WHERE id = $1", session as _,)
        .execute(conn)
        .await?;
    Ok(())
}

/// Signs a user out of every session, or every one but `keep`. Returns how many ended.
pub async fn delete_user_sessions(
    conn: &mut PgConnection,
    user: UserId,
    keep: Option<SessionId>,
) -> Result<u64, AppError> {
    Ok(sqlx::query!(
        "DELETE FROM sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2",
        user as _,
        keep as _,
    )
    .execute(conn)
    .await?
    .rows_affected())
}

pub async fn list_sessions(
    pool: &PgPool,
    user: UserId,
    current: SessionId,
) -> Result<Vec<SessionSummary>, AppError> {
    Ok(sqlx::query_as!(
        SessionSummary,
        r#"SELECT s.id, s.created_at, s.last_seen_at, host(s.ip) AS "ip?", s.user_agent AS "user_agent?", s.id = $2 AS "current!"
           FROM sessions s CROSS JOIN practice p
          WHERE s.user_id = $1 AND s.expires_at > now()
            AND s.last_seen_at > now() - make_interval(mins => p.idle_timeout_minutes)
          ORDER BY s.last_seen_at DESC"#,
        user as _,
        current as _,
    )
    .fetch_all(pool)
    .await?)
}

pub async fn password_hash(conn: &mut PgConnection, user: UserId) -> Result<String, AppError> {
    Ok(
        sqlx::query_scalar!("SELECT password_hash FROM users WHERE id = $1", user as _,)
            .fetch_one(conn)
            .await?,
    )
}

pub async fn set_password(
    conn: &mut PgConnection,
    user: UserId,
    hash: &str,
    must_change: bool,
) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE users SET password_hash = $2, must_change_password = $3, password_changed_at = now(),
                failed_logins = 0, locked_until = NULL, updated_at = now()
          WHERE id = $1",
        user as _,
        hash,
        must_change,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A checked query for [`UserSummary`] rows, then `$tail` (a macro: query macros take only literals).
macro_rules! user_summaries {
    ($tail:tt $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            UserSummary,
            r#"SELECT id, email::text AS "email!", display_name, role AS "role: Role", active,
                      coalesce(locked_until > now(), false) AS "locked!", must_change_password, created_at,
                      EXISTS (SELECT 1 FROM user_mfa m WHERE m.user_id = users.id AND m.confirmed_at IS NOT NULL)
                        AS "mfa_enabled!"
                 FROM users "# + $tail
            $(, $arg)*
        )
    };
}

pub async fn list_users(pool: &PgPool) -> Result<Vec<UserSummary>, AppError> {
    Ok(user_summaries!("ORDER BY active DESC, display_name, email")
        .fetch_all(pool)
        .await?)
}

pub async fn get_user(conn: &mut PgConnection, user: UserId) -> Result<UserSummary, AppError> {
    Ok(user_summaries!("WHERE id = $1", user as _)
        .fetch_one(conn)
        .await?)
}

pub struct NewUserRow<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
    pub must_change_password: bool,
}

pub async fn insert_user(conn: &mut PgConnection, u: NewUserRow<'_>) -> Result<UserId, AppError> {
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO users (email, display_name, role, password_hash, must_change_password)
         VALUES ($1, $2, $3, $4, $5) RETURNING id AS "id: UserId""#,
        u.email,
        u.display_name,
        u.role as _,
        u.password_hash,
        u.must_change_password,
    )
    .fetch_one(conn)
    .await?)
}

pub async fn set_role(conn: &mut PgConnection, user: UserId, role: Role) -> Result<Role, AppError> {
    Ok(sqlx::query_scalar!(
        r#"UPDATE users n SET role = $2, updated_at = now() FROM users o
          WHERE n.id = $1 AND o.id = n.id RETURNING o.role AS "role: Role""#,
        user as _,
        role as _,
    )
    .fetch_one(conn)
    .await?)
}

pub async fn set_active(
    conn: &mut PgConnection,
    user: UserId,
    active: bool,
) -> Result<(), AppError> {
    let done = sqlx::query!(
        "UPDATE users SET active = $2, updated_at = now() WHERE id = $1",
        user as _,
        active,
    )
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

pub async fn prune_expired_sessions(pool: &PgPool) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM sessions WHERE expires_at < now()")
        .execute(pool)
        .await?;
    Ok(())
}
