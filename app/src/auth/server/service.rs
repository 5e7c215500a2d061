//! Sign-in, sessions, passwords and staff accounts: the rules, the authorization and the audit.

use super::current::{CurrentUser, RequestMeta};
use super::mfa::{self, Challenge};
use super::{password, repo, tokens};
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::actions;
use crate::auth::types::*;
use crate::config::Config;
use crate::error::{AppError, Validator};
use crate::fields::parse_email;
use crate::ids::UserId;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

/// Wrong passwords in a row before an account locks, and for how long.
pub const MAX_FAILED_LOGINS: i32 = 5;
pub const LOCKOUT_MINUTES: i64 = 15;

pub use crate::auth::types::LOGIN_FAILED;

/// Where a sign-in stands once the password was right: signed in, or waiting for a second step.
#[derive(Debug)]
pub enum LoginStep {
    SignedIn(SignedIn),
    SecondStep(Challenge),
}

impl LoginStep {
    /// The session, for callers that cannot go on to a second step (tests, scripts).
    pub fn signed_in(self) -> Option<SignedIn> {
        match self {
            LoginStep::SignedIn(s) => Some(s),
            LoginStep::SecondStep(_) => None,
        }
    }
}

pub struct SignedIn {
    pub user: SessionUser,
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for SignedIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // never print the token
        f.debug_struct("SignedIn")
            .field("user", &self.user.id)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

#[tracing::instrument(skip_all)]
pub async fn login(
    pool: &PgPool,
    config: &Config,
    meta: &RequestMeta,
    email: &str,
    password_input: &str,
) -> Result<LoginStep, AppError> {
    let mut v = Validator::new();
    let email = v.check("email", parse_email(email));
    if password_input.is_empty() {
        v.add("password", "Enter your password.");
    }
    let email = v.finish_with(|| email)?;

    let mut conn = pool.acquire().await?;
    let attempts = repo::count_login_attempt(&mut conn, meta.ip).await?;
    if attempts > i64::from(config.login_attempts_per_minute) {
        record(
            &mut conn,
            AuditEvent::new(actions::LOGIN_RATE_LIMITED, Outcome::Denied, meta),
        )
        .await?;
        return Err(AppError::RateLimited);
    }

    let account = repo::find_for_login(&mut conn, &email).await?;
    let matches = password::verify(
        password_input,
        account.as_ref().map(|a| a.password_hash.as_str()),
    )
    .await;
    let fail = || AppError::field("password", LOGIN_FAILED);

    let Some(account) = account else {
        record(
            &mut conn,
            AuditEvent::new(actions::LOGIN, Outcome::Failure, meta)
                .detail(serde_json::json!({ "reason": "unknown_email" })),
        )
        .await?;
        return Err(fail());
    };
    let failure = |reason: &str| {
        AuditEvent::new(actions::LOGIN, Outcome::Failure, meta)
            .actor(account.id)
            .entity("user", account.id)
            .detail(serde_json::json!({ "reason": reason }))
    };
    if !account.active {
        record(&mut conn, failure("inactive")).await?;
        return Err(fail());
    }
    if account.locked {
        record(&mut conn, failure("locked")).await?;
        return Err(fail());
    }
    if !matches {
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        let locked = repo::record_failed_login(
            &mut tx,
            account.id,
            MAX_FAILED_LOGINS,
            chrono::Duration::minutes(LOCKOUT_MINUTES),
        )
        .await?;
        record(&mut tx, failure("wrong_password")).await?;
        if locked {
            record(
                &mut tx,
                AuditEvent::new(actions::LOCKOUT, Outcome::Success, meta)
                    .actor(account.id)
                    .entity("user", account.id),
            )
            .await?;
        }
        tx.commit().await?;
        return Err(fail());
    }

    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    repo::reset_failed_logins(&mut tx, account.id).await?;
    let step = match mfa::second_step_needed(&mut tx, account.id, account.role).await? {
        Some(purpose) => {
            LoginStep::SecondStep(mfa::open_challenge(&mut tx, meta, account.id, purpose).await?)
        }
        None => LoginStep::SignedIn(
            open_session(&mut tx, config, meta, account.id, serde_json::json!({})).await?,
        ),
    };
    tx.commit().await?;
    Ok(step)
}

/// Opens a session for a sign-in whose every step succeeded, and audits it (`detail` says how).
/// Part of the caller's transaction: the token is good once that commits.
pub async fn open_session(
    conn: &mut PgConnection,
    config: &Config,
    meta: &RequestMeta,
    user: UserId,
    detail: serde_json::Value,
) -> Result<SignedIn, AppError> {
    let expires_at = Utc::now() + config.session_absolute;
    let (session, created_at) =
        repo::insert_session(conn, user, expires_at, meta.ip, meta.user_agent.as_deref()).await?;
    record(
        conn,
        AuditEvent::new(actions::LOGIN, Outcome::Success, meta)
            .actor(user)
            .entity("session", session)
            .detail(detail),
    )
    .await?;
    let account = repo::get_user(conn, user).await?;
    let token = tokens::issue(
        &config.jwt_secret,
        user,
        session,
        created_at.timestamp(),
        expires_at.timestamp(),
    )?;
    Ok(SignedIn {
        user: SessionUser {
            id: account.id,
            email: account.email,
            display_name: account.display_name,
            role: account.role,
            must_change_password: account.must_change_password,
        },
        token,
        expires_at,
    })
}

/// A signed-in request: who, how long the session has left, and what the app shell shows.
#[derive(Debug, Clone)]
pub struct Visit {
    pub user: CurrentUser,
    pub status: SessionStatus,
    pub info: SessionInfo,
}

/// The live visit behind a token; `None` for a bad, expired, idle, signed-out or deactivated session.
/// With `touch`, the request counts as activity for the idle timeout. One query.
pub async fn authenticate(
    pool: &PgPool,
    config: &Config,
    token: &str,
    touch: bool,
) -> Result<Option<Visit>, AppError> {
    let Some((user, session)) = tokens::verify(&config.jwt_secret, token) else {
        return Ok(None);
    };
    Ok(repo::live_session(pool, session, user, touch)
        .await?
        .map(|s| {
            let user = CurrentUser {
                id: s.user_id,
                email: s.email,
                display_name: s.display_name,
                role: s.role,
                session_id: s.session_id,
                must_change_password: s.must_change_password,
            };
            Visit {
                info: SessionInfo {
                    user: user.to_session_user(),
                    practice_name: s.practice_name,
                    idle_timeout_secs: i64::from(s.idle_timeout_minutes) * 60,
                    utc_offset_minutes: s.utc_offset_minutes,
                },
                status: SessionStatus {
                    idle_remaining_secs: s.idle_remaining_secs,
                    absolute_remaining_secs: s.absolute_remaining_secs,
                },
                user,
            }
        }))
}

pub async fn logout(pool: &PgPool, user: &CurrentUser, meta: &RequestMeta) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    repo::delete_session(&mut tx, user.session_id).await?;
    record(
        &mut tx,
        AuditEvent::new(actions::LOGOUT, Outcome::Success, meta)
            .by(user)
            .entity("session", user.session_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn change_password(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<(), AppError> {
    let mut v = Validator::new();
    if current.is_empty() {
        v.add("current_password", "Enter your current password.");
    }
    v.check(
        "new_password",
        password::check_strength(new, &[&user.email, &user.display_name]),
    );
    if new != confirm {
        v.add("confirm_password", "The two new passwords do not match.");
    }
    if !current.is_empty() && current == new {
        v.add(
            "new_password",
            "Choose a password different from the current one.",
        );
    }
    v.finish()?;

    let mut tx = pool.begin().await?;
    let stored = repo::password_hash(&mut tx, user.id).await?;
    if !password::verify(current, Some(&stored)).await {
        record(
            &mut tx,
            AuditEvent::new(actions::PASSWORD_CHANGE, Outcome::Failure, meta)
                .by(user)
                .entity("user", user.id),
        )
        .await?;
        tx.commit().await?;
        return Err(AppError::field(
            "current_password",
            "The current password is not right.",
        ));
    }
    let hash = password::hash(new).await?;
    repo::set_password(&mut tx, user.id, &hash, false).await?;
    let ended = repo::delete_user_sessions(&mut tx, user.id, Some(user.session_id)).await?;
    record(
        &mut tx,
        AuditEvent::new(actions::PASSWORD_CHANGE, Outcome::Success, meta)
            .by(user)
            .entity("user", user.id)
            .detail(serde_json::json!({ "other_sessions_ended": ended })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn my_sessions(
    pool: &PgPool,
    user: &CurrentUser,
) -> Result<Vec<SessionSummary>, AppError> {
    repo::list_sessions(pool, user.id, user.session_id).await
}

/// Ends every session of the current user, this one included.
pub async fn sign_out_everywhere(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
) -> Result<u64, AppError> {
    let mut tx = pool.begin().await?;
    let ended = repo::delete_user_sessions(&mut tx, user.id, None).await?;
    record(
        &mut tx,
        AuditEvent::new(actions::SIGN_OUT_EVERYWHERE, Outcome::Success, meta)
            .by(user)
            .entity("user", user.id)
            .detail(serde_json::json!({ "sessions_ended": ended })),
    )
    .await?;
    tx.commit().await?;
    Ok(ended)
}

// ---- staff accounts (admin) ----

pub async fn list_users(pool: &PgPool, user: &CurrentUser) -> Result<Vec<UserSummary>, AppError> {
    user.require(Permission::ManageUsers)?;
    repo::list_users(pool).await
}

/// What an admin types to create an account.
pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub initial_password: &'a str,
}

#[tracing::instrument(skip_all, fields(by = %user.id))]
pub async fn create_user(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    input: NewUser<'_>,
) -> Result<UserSummary, AppError> {
    user.require(Permission::ManageUsers)?;
    super::step_up::require_recent(pool, user).await?;
    let mut v = Validator::new();
    let email = v.check("email", parse_email(input.email));
    let name = v.check("display_name", parse_display_name(input.display_name));
    let role = v.check("role", Role::parse(input.role));
    let personal: Vec<&str> = [email.as_deref(), name.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    v.check(
        "initial_password",
        password::check_strength(input.initial_password, &personal),
    );
    let (email, name, role) = v.finish_with(|| Some((email?, name?, role?)))?;

    let hash = password::hash(input.initial_password).await?;
    let mut tx = pool.begin().await?;
    let id = repo::insert_user(
        &mut tx,
        repo::NewUserRow {
            email: &email,
            display_name: &name,
            role,
            password_hash: &hash,
            must_change_password: true,
        },
    )
    .await?;
    record(
        &mut tx,
        AuditEvent::new(actions::USER_CREATE, Outcome::Success, meta)
            .by(user)
            .entity("user", id)
            .detail(serde_json::json!({ "role": role.as_str() })),
    )
    .await?;
    let created = repo::get_user(&mut tx, id).await?;
    tx.commit().await?;
    Ok(created)
}

pub async fn change_role(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    target: UserId,
    role: &str,
) -> Result<UserSummary, AppError> {
    user.require(Permission::ManageUsers)?;
    super::step_up::require_recent(pool, user).await?;
    let role = Role::parse(role).map_err(|m| AppError::field("role", m))?;
    if target == user.id {
        return Err(AppError::field(
            "role",
            "You cannot change your own role; ask another administrator.",
        ));
    }
    let mut tx = pool.begin().await?;
    let previous = repo::set_role(&mut tx, target, role).await?;
    // permissions changed: make the person sign in again under the new role
    repo::delete_user_sessions(&mut tx, target, None).await?;
    record(
        &mut tx,
        AuditEvent::new(actions::USER_ROLE_CHANGE, Outcome::Success, meta)
            .by(user)
            .entity("user", target)
            .detail(serde_json::json!({ "from": previous.as_str(), "to": role.as_str() })),
    )
    .await?;
    let changed = repo::get_user(&mut tx, target).await?;
    tx.commit().await?;
    Ok(changed)
}

/// Deactivates (ending every session at once) or reactivates an account.
pub async fn set_active(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    target: UserId,
    active: bool,
) -> Result<UserSummary, AppError> {
    user.require(Permission::ManageUsers)?;
    super::step_up::require_recent(pool, user).await?;
    if target == user.id && !active {
        return Err(AppError::Conflict(
            "You cannot deactivate your own account.".into(),
        ));
    }
    let mut tx = pool.begin().await?;
    repo::set_active(&mut tx, target, active).await?;
    let ended = if active {
        0
    } else {
        repo::delete_user_sessions(&mut tx, target, None).await?
    };
    let action = if active {
        actions::USER_REACTIVATE
    } else {
        actions::USER_DEACTIVATE
    };
    record(
        &mut tx,
        AuditEvent::new(action, Outcome::Success, meta)
            .by(user)
            .entity("user", target)
            .detail(serde_json::json!({ "sessions_ended": ended })),
    )
    .await?;
    let changed = repo::get_user(&mut tx, target).await?;
    tx.commit().await?;
    Ok(changed)
}

/// Creates or updates an account from the command line or the demo seed (no session, no strength
/// check beyond length: the operator chose the password).
pub async fn upsert_account(
    pool: &PgPool,
    email: &str,
    display_name: &str,
    role: Role,
    password_input: &str,
    overwrite_password: bool,
) -> Result<(UserId, bool), AppError> {
    let email = parse_email(email).map_err(|m| AppError::field("email", m))?;
    check_password_length(password_input).map_err(|m| AppError::field("password", m))?;
    let mut tx = pool.begin().await?;
    let existing: Option<UserId> = sqlx::query_scalar!(
        r#"SELECT id AS "id: UserId" FROM users WHERE email = $1::citext"#,
        &email,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let meta = RequestMeta::default();
    let (id, created) = match existing {
        Some(id) => {
            if overwrite_password {
                repo::set_password(&mut tx, id, &password::hash(password_input).await?, false)
                    .await?;
                repo::set_active(&mut tx, id, true).await?;
                record(
                    &mut tx,
                    AuditEvent::new(actions::PASSWORD_RESET_CLI, Outcome::Success, &meta)
                        .entity("user", id),
                )
                .await?;
            }
            (id, false)
        }
        None => {
            let hash = password::hash(password_input).await?;
            let id = repo::insert_user(
                &mut tx,
                repo::NewUserRow {
                    email: &email,
                    display_name,
                    role,
                    password_hash: &hash,
                    must_change_password: false,
                },
            )
            .await?;
            record(
                &mut tx,
                AuditEvent::new(actions::USER_CREATE, Outcome::Success, &meta)
                    .entity("user", id)
                    .detail(serde_json::json!({ "role": role.as_str(), "via": "cli" })),
            )
            .await?;
            (id, true)
        }
    };
    tx.commit().await?;
    Ok((id, created))
}

pub fn session_cookie(config: &Config, signed_in: Option<&SignedIn>) -> String {
    match signed_in {
        Some(s) => tokens::cookie(
            Some(&s.token),
            (s.expires_at - Utc::now()).num_seconds().max(0),
            config.cookie_secure,
        ),
        None => tokens::cookie(None, 0, config.cookie_secure),
    }
}

/// Checks a user's password again (signing a note is an attestation).
pub async fn verify_password(
    conn: &mut PgConnection,
    user: UserId,
    password: &str,
) -> Result<bool, AppError> {
    let hash = repo::password_hash(conn, user).await?;
    Ok(super::password::verify(password, Some(&hash)).await)
}

/// Deletes expired sessions and old sign-in attempts (any replica may run it: plain deletes).
pub async fn prune(pool: &PgPool) -> Result<(), AppError> {
    repo::prune_login_attempts(pool).await?;
    mfa::prune(pool).await?;
    repo::prune_expired_sessions(pool).await
}
