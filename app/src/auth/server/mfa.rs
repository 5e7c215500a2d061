//! Two-step sign-in: enrolment, the code step of a sign-in, turning it off, an admin's reset, and the
//! practice's policy. A sign-in whose account needs a second step gets a challenge, never a session;
//! the session is opened only by the step that completes it.

use super::current::{CurrentUser, RequestMeta};
use super::mfa_repo::{self as repo, ChallengePurpose, EnrolmentRow};
use super::service::{open_session, SignedIn};
use super::{repo as users, totp};
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::actions;
use crate::auth::mfa::*;
use crate::auth::types::{Permission, Role};
use crate::config::Config;
use crate::crypto::{row_tag, Keyring};
use crate::error::{AppError, Validator};
use crate::ids::UserId;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// How long the second step of a sign-in may wait (scanning a QR code included).
pub const CHALLENGE_MINUTES: i64 = 10;
/// Wrong codes one challenge takes before it ends.
pub const MAX_CHALLENGE_FAILURES: i32 = 5;
/// Wrong codes in a row (across challenges) before the code step locks, and for how long.
pub const MAX_CODE_FAILURES: i32 = 5;
pub const CODE_LOCKOUT_MINUTES: i64 = 15;

pub const ALREADY_ON: &str =
    "Two-step sign-in is already on. Turn it off first to move it to a new authenticator.";
pub const PASSWORD_LOCKED: &str =
    "Too many wrong passwords: this account is locked for 15 minutes.";
pub const NOT_ON: &str = "Two-step sign-in is not on for this account.";
pub const REQUIRED: &str =
    "Your practice requires two-step sign-in for your role, so it cannot be turned off.";

fn secret_tag(enrolment: Uuid) -> Vec<u8> {
    row_tag("user_mfa", enrolment)
}

/// A sign-in waiting for its second step. The token goes to the browser (a cookie) or the script;
/// only its hash is stored.
pub struct Challenge {
    pub token: String,
    pub purpose: ChallengePurpose,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for Challenge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // never print the token
        f.debug_struct("Challenge")
            .field("purpose", &self.purpose)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Called by the password step once the password is right: what the account needs next.
pub async fn second_step_needed(
    conn: &mut PgConnection,
    user: UserId,
    role: Role,
) -> Result<Option<ChallengePurpose>, AppError> {
    if repo::status(conn, user).await?.is_some() {
        return Ok(Some(ChallengePurpose::Verify));
    }
    if repo::required_roles(conn).await?.contains(&role) {
        return Ok(Some(ChallengePurpose::Enrol));
    }
    Ok(None)
}

pub async fn open_challenge(
    conn: &mut PgConnection,
    meta: &RequestMeta,
    user: UserId,
    purpose: ChallengePurpose,
) -> Result<Challenge, AppError> {
    let (token, hash) = totp::new_challenge_token();
    let expires_at = Utc::now() + chrono::Duration::minutes(CHALLENGE_MINUTES);
    repo::insert_challenge(conn, user, &hash, purpose, expires_at).await?;
    let step = match purpose {
        ChallengePurpose::Verify => "code",
        ChallengePurpose::Enrol => "enrol",
    };
    record(
        conn,
        AuditEvent::new(actions::MFA_CHALLENGE, Outcome::Success, meta)
            .actor(user)
            .entity("user", user)
            .detail(serde_json::json!({ "next": step })),
    )
    .await?;
    Ok(Challenge {
        token,
        purpose,
        expires_at,
    })
}

/// Who is setting up an authenticator: a signed-in person, or a sign-in held back until enrolment.
pub enum Enrollee {
    User(CurrentUser),
    /// The challenge token of the sign-in.
    SignIn(String),
}

/// The person behind an enrollee, and the challenge when enrolment completes a sign-in.
async fn resolve(
    conn: &mut PgConnection,
    who: &Enrollee,
) -> Result<(UserId, Option<Uuid>), AppError> {
    match who {
        // binding an authenticator to an account is a security setting: a session alone (a
        // borrowed screen, a stolen cookie) must not lock its owner out
        Enrollee::User(u) => {
            let recent = super::step_up::STEP_UP_SECS;
            if !super::repo::proved_within(conn, u.session_id, recent).await? {
                return Err(AppError::StepUpRequired);
            }
            Ok((u.id, None))
        }
        Enrollee::SignIn(token) => match repo::challenge(conn, &totp::challenge_hash(token)).await?
        {
            Some(c) if c.purpose == ChallengePurpose::Enrol => Ok((c.user_id, Some(c.id))),
            _ => Err(AppError::field("code", CHALLENGE_ENDED)),
        },
    }
}

/// Makes a new secret (replacing one still waiting for its first code) and shows it as a QR code.
#[tracing::instrument(skip_all)]
pub async fn begin(
    pool: &PgPool,
    keys: &Keyring,
    meta: &RequestMeta,
    who: &Enrollee,
) -> Result<MfaEnrolment, AppError> {
    let mut tx = pool.begin().await?;
    let (user, _) = resolve(&mut tx, who).await?;
    if repo::enrolment(&mut tx, user)
        .await?
        .is_some_and(|e| e.confirmed_at.is_some())
    {
        return Err(AppError::Conflict(ALREADY_ON.into()));
    }
    let account = users::get_user(&mut tx, user).await?;
    let id = Uuid::new_v4();
    let secret = totp::new_secret();
    repo::start_enrolment(&mut tx, id, user, &keys.seal(&secret, &secret_tag(id))).await?;
    let shown = totp::enrolment(&secret, &account.email)?;
    record(
        &mut tx,
        AuditEvent::new(actions::MFA_BEGIN, Outcome::Success, meta)
            .actor(user)
            .entity("user", user),
    )
    .await?;
    tx.commit().await?;
    Ok(shown)
}

/// Confirms an enrolment with its first code; returns the recovery codes (shown once) and, when
/// this completes a sign-in, the new session.
#[tracing::instrument(skip_all)]
pub async fn confirm(
    pool: &PgPool,
    config: &Config,
    keys: &Keyring,
    meta: &RequestMeta,
    who: &Enrollee,
    code: &str,
) -> Result<(Vec<String>, Option<SignedIn>), AppError> {
    let code =
        match parse_second_factor(code) {
            Ok(SecondFactor::Totp(code)) => code,
            Ok(SecondFactor::Recovery(_)) => return Err(AppError::field(
                "code",
                "Enter the 6-digit code your app shows now: recovery codes work only at sign-in.",
            )),
            Err(message) => return Err(AppError::field("code", message)),
        };
    let mut tx = pool.begin().await?;
    let (user, challenge) = resolve(&mut tx, who).await?;
    let enrolment = match repo::enrolment(&mut tx, user).await? {
        Some(e) if e.confirmed_at.is_some() => return Err(AppError::Conflict(ALREADY_ON.into())),
        Some(e) => e,
        None => {
            return Err(AppError::Conflict(
                "No new authenticator is waiting for its first code: start the set-up again."
                    .into(),
            ))
        }
    };
    let secret = keys.open(
        &enrolment.key_id,
        &enrolment.secret,
        &secret_tag(enrolment.id),
    )?;
    let Some(step) = totp::matching_step(&secret, &code, totp::unix_now())? else {
        record(
            &mut tx,
            AuditEvent::new(actions::MFA_ENROL, Outcome::Failure, meta)
                .actor(user)
                .entity("user", user)
                .detail(serde_json::json!({ "reason": "wrong_code" })),
        )
        .await?;
        if let Some(challenge) = challenge {
            repo::fail_challenge(&mut tx, challenge, MAX_CHALLENGE_FAILURES).await?;
        }
        tx.commit().await?;
        return Err(AppError::field(
            "code",
            "That code does not match the new authenticator. Check that your phone sets its time \
automatically, then enter the newest code.",
        ));
    };
    repo::confirm(&mut tx, enrolment.id, step_number(step)?).await?;
    let codes = totp::new_recovery_codes();
    let hashes: Vec<Vec<u8>> = codes
        .iter()
        .map(|c| totp::recovery_hash(enrolment.id, c))
        .collect();
    repo::insert_recovery_codes(&mut tx, enrolment.id, &hashes).await?;
    record(
        &mut tx,
        AuditEvent::new(actions::MFA_ENROL, Outcome::Success, meta)
            .actor(user)
            .entity("user", user),
    )
    .await?;
    let signed_in = match challenge {
        Some(challenge) => {
            repo::delete_challenge(&mut tx, challenge).await?;
            repo::reset_code_failures(&mut tx, user).await?;
            let detail = serde_json::json!({ "second_factor": "enrolled" });
            Some(open_session(&mut tx, config, meta, user, detail).await?)
        }
        None => None,
    };
    tx.commit().await?;
    let shown = codes.iter().map(|c| format_recovery_code(c)).collect();
    Ok((shown, signed_in))
}

fn step_number(step: u64) -> Result<i64, AppError> {
    i64::try_from(step).map_err(|_| AppError::Internal)
}

/// Checks a code against a confirmed enrolment and spends it: a TOTP step is taken (so it cannot be
/// replayed), a recovery code is used up.
pub(super) async fn spend_code(
    conn: &mut PgConnection,
    keys: &Keyring,
    enrolment: &EnrolmentRow,
    factor: &SecondFactor,
) -> Result<bool, AppError> {
    match factor {
        SecondFactor::Totp(code) => {
            let secret = keys.open(
                &enrolment.key_id,
                &enrolment.secret,
                &secret_tag(enrolment.id),
            )?;
            match totp::matching_step(&secret, code, totp::unix_now())? {
                Some(step) => repo::take_step(conn, enrolment.id, step_number(step)?).await,
                None => Ok(false),
            }
        }
        SecondFactor::Recovery(code) => {
            let hash = totp::recovery_hash(enrolment.id, code);
            repo::use_recovery_code(conn, enrolment.id, &hash).await
        }
    }
}

/// What a signed-in person offers to prove it is them again: the password, and the code of their
/// authenticator when they have one.
pub(super) struct Proof<'a> {
    pub password: &'a str,
    pub code: Option<(&'a EnrolmentRow, &'a SecondFactor)>,
}

/// Checks a proof, counting a wrong password or code toward the same lockouts as at sign-in and
/// auditing it with `failure`. Returns the refusal to answer, after which the caller commits (so the
/// counts stay); `None` when the proof holds.
pub(super) async fn refuse_proof(
    conn: &mut PgConnection,
    keys: &Keyring,
    user: &CurrentUser,
    meta: &RequestMeta,
    proof: Proof<'_>,
    failure: impl Fn(&str) -> AuditEvent,
) -> Result<Option<AppError>, AppError> {
    // the same lockout as at sign-in: a session cannot be used to guess its owner's password
    if users::password_locked(conn, user.id).await? {
        record(conn, failure("locked")).await?;
        return Ok(Some(AppError::field("password", PASSWORD_LOCKED)));
    }
    if !super::service::verify_password(conn, user.id, proof.password).await? {
        let lock_for = chrono::Duration::minutes(super::service::LOCKOUT_MINUTES);
        let max = super::service::MAX_FAILED_LOGINS;
        let locked = users::record_failed_login(conn, user.id, max, lock_for).await?;
        record(conn, failure("wrong_password")).await?;
        if locked {
            let lockout = AuditEvent::new(actions::LOCKOUT, Outcome::Success, meta)
                .by(user)
                .entity("user", user.id)
                .detail(serde_json::json!({ "step": "confirm" }));
            record(conn, lockout).await?;
            return Ok(Some(AppError::field("password", PASSWORD_LOCKED)));
        }
        return Ok(Some(AppError::field(
            "password",
            "The password is not right.",
        )));
    }
    let Some((enrolment, factor)) = proof.code else {
        return Ok(None);
    };
    if repo::code_locked(conn, user.id).await? {
        record(conn, failure("code_locked")).await?;
        return Ok(Some(AppError::field("code", CODE_LOCKED)));
    }
    if !spend_code(conn, keys, enrolment, factor).await? {
        let locked = count_wrong_code(conn, meta, user.id).await?;
        record(conn, failure("wrong_code")).await?;
        let message = if locked { CODE_LOCKED } else { WRONG_CODE };
        return Ok(Some(AppError::field("code", message)));
    }
    repo::reset_code_failures(conn, user.id).await?;
    Ok(None)
}

fn factor_name(factor: &SecondFactor) -> &'static str {
    match factor {
        SecondFactor::Totp(_) => "totp",
        SecondFactor::Recovery(_) => "recovery_code",
    }
}

/// The code step of a sign-in: a right code opens the session; a wrong one counts against the
/// challenge and against the account's code lockout.
#[tracing::instrument(skip_all)]
pub async fn verify(
    pool: &PgPool,
    config: &Config,
    keys: &Keyring,
    meta: &RequestMeta,
    challenge_token: &str,
    code: &str,
) -> Result<SignedIn, AppError> {
    let factor = parse_second_factor(code).map_err(|m| AppError::field("code", m))?;
    let mut tx = pool.begin().await?;
    let challenge = match repo::challenge(&mut tx, &totp::challenge_hash(challenge_token)).await? {
        Some(c) if c.purpose == ChallengePurpose::Verify => c,
        _ => return Err(AppError::field("code", CHALLENGE_ENDED)),
    };
    let user = challenge.user_id;
    let failure = |reason: &str| {
        AuditEvent::new(actions::LOGIN, Outcome::Failure, meta)
            .actor(user)
            .entity("user", user)
            .detail(serde_json::json!({ "reason": reason, "second_factor": factor_name(&factor) }))
    };
    if repo::code_locked(&mut tx, user).await? {
        record(&mut tx, failure("code_locked")).await?;
        tx.commit().await?;
        return Err(AppError::field("code", CODE_LOCKED));
    }
    let Some(enrolment) = repo::enrolment(&mut tx, user)
        .await?
        .filter(|e| e.confirmed_at.is_some())
    else {
        // reset by an administrator while this sign-in waited
        repo::delete_challenge(&mut tx, challenge.id).await?;
        tx.commit().await?;
        return Err(AppError::field("code", CHALLENGE_ENDED));
    };
    if !spend_code(&mut tx, keys, &enrolment, &factor).await? {
        let ended = repo::fail_challenge(&mut tx, challenge.id, MAX_CHALLENGE_FAILURES).await?;
        let locked = count_wrong_code(&mut tx, meta, user).await?;
        record(&mut tx, failure("wrong_code")).await?;
        tx.commit().await?;
        return Err(AppError::field(
            "code",
            match (locked, ended) {
                (true, _) => CODE_LOCKED,
                (false, true) => CHALLENGE_ENDED,
                (false, false) => WRONG_CODE,
            },
        ));
    }
    repo::delete_challenge(&mut tx, challenge.id).await?;
    repo::reset_code_failures(&mut tx, user).await?;
    let detail = serde_json::json!({ "second_factor": factor_name(&factor) });
    let signed_in = open_session(&mut tx, config, meta, user, detail).await?;
    tx.commit().await?;
    Ok(signed_in)
}

/// Counts a wrong code toward the account's code lockout; true when this one locked it.
pub(super) async fn count_wrong_code(
    conn: &mut PgConnection,
    meta: &RequestMeta,
    user: UserId,
) -> Result<bool, AppError> {
    let lock_for = chrono::Duration::minutes(CODE_LOCKOUT_MINUTES);
    let locked = repo::record_code_failure(conn, user, MAX_CODE_FAILURES, lock_for).await?;
    if locked {
        record(
            conn,
            AuditEvent::new(actions::LOCKOUT, Outcome::Success, meta)
                .actor(user)
                .entity("user", user)
                .detail(serde_json::json!({ "step": "code" })),
        )
        .await?;
    }
    Ok(locked)
}

/// The current user's two-step sign-in.
pub async fn status(pool: &PgPool, user: &CurrentUser) -> Result<MfaSummary, AppError> {
    let mut conn = pool.acquire().await?;
    let enrolled = repo::status(&mut conn, user.id).await?;
    let required = repo::required_roles(&mut conn).await?.contains(&user.role);
    Ok(MfaSummary {
        enabled_at: enrolled.map(|(at, _)| at),
        recovery_codes_left: enrolled.map_or(0, |(_, left)| left),
        required,
    })
}

/// Turns off one's own two-step sign-in, proved by the password and a current code.
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn disable(
    pool: &PgPool,
    keys: &Keyring,
    user: &CurrentUser,
    meta: &RequestMeta,
    password: &str,
    code: &str,
) -> Result<(), AppError> {
    let mut v = Validator::new();
    if password.is_empty() {
        v.add("password", "Enter your password.");
    }
    let factor = v.check("code", parse_second_factor(code));
    let factor = v.finish_with(|| factor)?;

    let mut tx = pool.begin().await?;
    if repo::required_roles(&mut tx).await?.contains(&user.role) {
        return Err(AppError::Conflict(REQUIRED.into()));
    }
    let Some(enrolment) = repo::enrolment(&mut tx, user.id)
        .await?
        .filter(|e| e.confirmed_at.is_some())
    else {
        return Err(AppError::Conflict(NOT_ON.into()));
    };
    let failure = |reason: &str| {
        AuditEvent::new(actions::MFA_DISABLE, Outcome::Failure, meta)
            .by(user)
            .entity("user", user.id)
            .detail(serde_json::json!({ "reason": reason }))
    };
    let proof = Proof {
        password,
        code: Some((&enrolment, &factor)),
    };
    if let Some(refusal) = refuse_proof(&mut tx, keys, user, meta, proof, failure).await? {
        tx.commit().await?;
        return Err(refusal);
    }
    repo::remove(&mut tx, user.id).await?;
    record(
        &mut tx,
        AuditEvent::new(actions::MFA_DISABLE, Outcome::Success, meta)
            .by(user)
            .entity("user", user.id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An administrator removes someone's authenticator (lost phone): their sessions end, and their
/// next sign-in sets up a new one when the policy requires it.
#[tracing::instrument(skip_all, fields(by = %admin.id))]
pub async fn reset(
    pool: &PgPool,
    admin: &CurrentUser,
    meta: &RequestMeta,
    target: UserId,
) -> Result<u64, AppError> {
    admin.require(Permission::ManageUsers)?;
    super::step_up::require_recent(pool, admin).await?;
    if target == admin.id {
        return Err(AppError::Conflict(
            "You cannot reset your own two-step sign-in: turn it off on My account, or ask another \
administrator."
                .into(),
        ));
    }
    let mut tx = pool.begin().await?;
    users::get_user(&mut tx, target).await?;
    // the person's row first, as the code step locks it (users, then user_mfa): no deadlock
    repo::code_locked(&mut tx, target).await?;
    if !repo::remove(&mut tx, target).await? {
        return Err(AppError::Conflict(
            "This person has not set up two-step sign-in: there is nothing to reset.".into(),
        ));
    }
    repo::delete_user_challenges(&mut tx, target).await?;
    repo::reset_code_failures(&mut tx, target).await?;
    let ended = users::delete_user_sessions(&mut tx, target, None).await?;
    record(
        &mut tx,
        AuditEvent::new(actions::MFA_RESET, Outcome::Success, meta)
            .by(admin)
            .entity("user", target)
            .detail(serde_json::json!({ "sessions_ended": ended })),
    )
    .await?;
    tx.commit().await?;
    Ok(ended)
}

pub async fn policy(pool: &PgPool, admin: &CurrentUser) -> Result<MfaRequirement, AppError> {
    admin.require(Permission::ManageUsers)?;
    let mut conn = pool.acquire().await?;
    Ok(MfaRequirement {
        required_roles: repo::required_roles(&mut conn).await?,
    })
}

/// Sets the roles that must use two-step sign-in. Members of a newly covered role who have not set
/// it up are signed out: they get back in only through enrolment.
#[tracing::instrument(skip_all, fields(by = %admin.id))]
pub async fn set_policy(
    pool: &PgPool,
    admin: &CurrentUser,
    meta: &RequestMeta,
    roles: &[String],
) -> Result<MfaRequirement, AppError> {
    admin.require(Permission::ManageUsers)?;
    super::step_up::require_recent(pool, admin).await?;
    let mut required = Vec::new();
    for raw in roles {
        let role = Role::parse(raw).map_err(|m| AppError::field("required_roles", m))?;
        if !required.contains(&role) {
            required.push(role);
        }
    }
    required.sort_by_key(|r| r.as_str());
    let mut tx = pool.begin().await?;
    repo::lock_policy(&mut tx).await?;
    if required.contains(&admin.role) && repo::status(&mut tx, admin.id).await?.is_none() {
        return Err(AppError::field(
            "required_roles",
            "Set up two-step sign-in for yourself first (on My account): requiring it for your own \
role would sign you out.",
        ));
    }
    let before = repo::required_roles(&mut tx).await?;
    repo::set_required_roles(&mut tx, &required).await?;
    let ended = repo::end_sessions_of_unenrolled(&mut tx, &required).await?;
    let names = |roles: &[Role]| roles.iter().map(|r| r.as_str()).collect::<Vec<_>>();
    record(
        &mut tx,
        AuditEvent::new(actions::MFA_POLICY_CHANGE, Outcome::Success, meta)
            .by(admin)
            .detail(serde_json::json!({
                "from": names(&before),
                "to": names(&required),
                "sessions_ended": ended,
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(MfaRequirement {
        required_roles: required,
    })
}

/// The `Set-Cookie` value that hands a challenge to the browser, or (with `None`) clears it.
pub fn challenge_cookie(config: &Config, challenge: Option<&Challenge>) -> String {
    match challenge {
        Some(c) => super::tokens::challenge_cookie(
            Some(&c.token),
            (c.expires_at - Utc::now()).num_seconds().max(0),
            config.cookie_secure,
        ),
        None => super::tokens::challenge_cookie(None, 0, config.cookie_secure),
    }
}

pub async fn prune(pool: &PgPool) -> Result<(), AppError> {
    repo::prune_challenges(pool).await
}
