//! Server functions of the auth module: thin wrappers that find the caller, call the service and
//! return its result. Endpoints are stable and listed in docs/api.md.

use crate::auth::mfa::*;
use crate::auth::types::*;
use crate::error::AppError;
use crate::ids::UserId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    auth::server::{current_user, mfa, request_meta, service},
    ctx::Ctx,
    state::app_state,
};

#[cfg(feature = "ssr")]
fn set_cookie(value: String) {
    if let (Some(res), Ok(v)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&value),
    ) {
        res.append_header(http::header::SET_COOKIE, v);
    }
}

#[cfg(feature = "ssr")]
async fn sign_in(
    state: &crate::state::AppState,
    email: &str,
    password: &str,
) -> Result<service::LoginStep, AppError> {
    service::login(&state.pool, &state.config, &request_meta(), email, password).await
}

/// Signs in with email and password. Sets the session cookie, or (when the account needs a second
/// step) a short-lived sign-in cookie for `auth/mfa_verify` or enrolment.
#[server(endpoint = "auth/login")]
pub async fn login(email: String, password: String) -> Result<SignInStep, AppError> {
    let state = app_state()?;
    let step = sign_in(&state, &email, &password).await?;
    Ok(hand_over(&state.config, step))
}

/// Sets the cookies of a sign-in step and says what comes next.
#[cfg(feature = "ssr")]
fn hand_over(config: &crate::config::Config, step: service::LoginStep) -> SignInStep {
    use crate::auth::server::mfa_repo::ChallengePurpose;
    match step {
        service::LoginStep::SignedIn(signed_in) => {
            set_signed_in(config, &signed_in);
            SignInStep::Done {
                user: signed_in.user,
            }
        }
        service::LoginStep::SecondStep(challenge) => {
            set_cookie(mfa::challenge_cookie(config, Some(&challenge)));
            match challenge.purpose {
                ChallengePurpose::Verify => SignInStep::Code,
                ChallengePurpose::Enrol => SignInStep::Enrol,
            }
        }
    }
}

#[cfg(feature = "ssr")]
fn set_signed_in(config: &crate::config::Config, signed_in: &service::SignedIn) {
    set_cookie(service::session_cookie(config, Some(signed_in)));
    set_cookie(mfa::challenge_cookie(config, None));
}

/// The sign-in challenge the browser holds, if any.
#[cfg(feature = "ssr")]
fn challenge_token() -> Option<String> {
    use_context::<http::request::Parts>().and_then(|p| {
        crate::auth::server::tokens::cookie_value(
            &p.headers,
            crate::auth::server::tokens::CHALLENGE_COOKIE_NAME,
        )
    })
}

/// For API clients: signs in and returns a bearer token instead of setting a cookie.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TokenResponse {
    pub token: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub user: SessionUser,
}

/// `code` is the current authenticator code (or a recovery code) of an account with two-step sign-in.
#[server(endpoint = "auth/token")]
pub async fn token(
    email: String,
    password: String,
    code: Option<String>,
) -> Result<TokenResponse, AppError> {
    let state = app_state()?;
    let s = match sign_in(&state, &email, &password).await? {
        service::LoginStep::SignedIn(s) => s,
        service::LoginStep::SecondStep(challenge) => {
            if challenge.purpose == crate::auth::server::mfa_repo::ChallengePurpose::Enrol {
                return Err(AppError::Conflict(
                    "Your practice requires two-step sign-in for your role: sign in once in the \
browser to set it up."
                        .into(),
                ));
            }
            let code = code.filter(|c| !c.trim().is_empty()).ok_or_else(|| {
                AppError::field(
                    "code",
                    "This account uses two-step sign-in: send the current code from its \
authenticator app as `code`.",
                )
            })?;
            let keys = &state.keys;
            mfa::verify(
                &state.pool,
                &state.config,
                keys,
                &request_meta(),
                &challenge.token,
                &code,
            )
            .await?
        }
    };
    Ok(TokenResponse {
        token: s.token,
        expires_at: s.expires_at,
        user: s.user,
    })
}

/// The code step of a sign-in (the sign-in cookie from `auth/login`): sets the session cookie.
#[server(endpoint = "auth/mfa_verify")]
pub async fn mfa_verify(code: String) -> Result<SessionUser, AppError> {
    let state = app_state()?;
    let token = challenge_token().ok_or_else(|| AppError::field("code", CHALLENGE_ENDED))?;
    let signed_in = mfa::verify(
        &state.pool,
        &state.config,
        &state.keys,
        &request_meta(),
        &token,
        &code,
    )
    .await?;
    set_signed_in(&state.config, &signed_in);
    Ok(signed_in.user)
}

/// Who is enrolling: the signed-in user, else a sign-in held back until enrolment.
#[cfg(feature = "ssr")]
fn enrollee() -> Result<mfa::Enrollee, AppError> {
    match current_user() {
        Ok(user) => Ok(mfa::Enrollee::User(user)),
        // neither signed in nor part-way through a sign-in: the sign-in to finish has ended
        Err(_) => challenge_token()
            .map(mfa::Enrollee::SignIn)
            .ok_or_else(|| AppError::field("code", CHALLENGE_ENDED)),
    }
}

/// Starts setting up an authenticator: a new secret and its QR code.
#[server(endpoint = "auth/mfa_begin")]
pub async fn mfa_begin() -> Result<MfaEnrolment, AppError> {
    let state = app_state()?;
    mfa::begin(&state.pool, &state.keys, &request_meta(), &enrollee()?).await
}

/// Confirms the new authenticator with its first code; returns the recovery codes (shown once).
/// When enrolment was the last step of a sign-in, sets the session cookie.
#[server(endpoint = "auth/mfa_confirm")]
pub async fn mfa_confirm(code: String) -> Result<MfaConfirmed, AppError> {
    let state = app_state()?;
    let (recovery_codes, signed_in) = mfa::confirm(
        &state.pool,
        &state.config,
        &state.keys,
        &request_meta(),
        &enrollee()?,
        &code,
    )
    .await?;
    if let Some(s) = &signed_in {
        set_signed_in(&state.config, s);
    }
    Ok(MfaConfirmed {
        recovery_codes,
        signed_in: signed_in.map(|s| s.user),
    })
}

/// Confirms it is the signed-in person again (password, and a code when two-step sign-in is on):
/// releases and security settings then work for the next 5 minutes.
#[server(endpoint = "auth/step_up")]
pub async fn step_up(password: String, code: Option<String>) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    let code = code.unwrap_or_default();
    crate::auth::server::step_up::confirm(
        &ctx.pool, &ctx.keys, &ctx.user, &ctx.meta, &password, &code,
    )
    .await
}

#[server(endpoint = "auth/mfa_status")]
pub async fn mfa_status() -> Result<MfaSummary, AppError> {
    let ctx = Ctx::current()?;
    mfa::status(&ctx.pool, &ctx.user).await
}

/// Turns off one's own two-step sign-in (password and a current code).
#[server(endpoint = "auth/mfa_disable")]
pub async fn mfa_disable(password: String, code: String) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    mfa::disable(&ctx.pool, &ctx.keys, &ctx.user, &ctx.meta, &password, &code).await
}

/// An administrator removes someone's authenticator; their sessions end. Returns how many.
#[server(endpoint = "auth/mfa_reset")]
pub async fn mfa_reset(user_id: UserId) -> Result<u64, AppError> {
    let ctx = Ctx::current()?;
    mfa::reset(&ctx.pool, &ctx.user, &ctx.meta, user_id).await
}

#[server(endpoint = "auth/mfa_policy")]
pub async fn mfa_policy() -> Result<MfaRequirement, AppError> {
    let ctx = Ctx::current()?;
    mfa::policy(&ctx.pool, &ctx.user).await
}

/// Sets the roles that must use two-step sign-in.
#[server(endpoint = "auth/set_mfa_policy")]
pub async fn set_mfa_policy(required_roles: Vec<String>) -> Result<MfaRequirement, AppError> {
    let ctx = Ctx::current()?;
    mfa::set_policy(&ctx.pool, &ctx.user, &ctx.meta, &required_roles).await
}

/// The current visit, or `None` when nobody is signed in.
#[server(endpoint = "auth/me")]
pub async fn me() -> Result<Option<SessionInfo>, AppError> {
    Ok(crate::auth::server::current::visit_info())
}

#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    service::logout(&ctx.pool, &ctx.user, &ctx.meta).await?;
    set_cookie(service::session_cookie(&ctx.config, None));
    Ok(())
}

/// Time left before idle and absolute expiry. Does not count as activity.
#[server(endpoint = "auth/session_status")]
pub async fn session_time_left() -> Result<SessionStatus, AppError> {
    current_status()
}

/// Counts as activity ("stay signed in") and returns the renewed time left.
#[server(endpoint = "auth/keep_alive")]
pub async fn keep_alive() -> Result<SessionStatus, AppError> {
    current_status()
}

#[cfg(feature = "ssr")]
fn current_status() -> Result<SessionStatus, AppError> {
    current_user()?;
    use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<SessionStatus>().copied())
        .ok_or(AppError::Unauthenticated)
}

#[server(endpoint = "auth/change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    service::change_password(
        &ctx.pool,
        &ctx.user,
        &ctx.meta,
        &current_password,
        &new_password,
        &confirm_password,
    )
    .await
}

#[server(endpoint = "auth/my_sessions")]
pub async fn my_sessions() -> Result<Vec<SessionSummary>, AppError> {
    let ctx = Ctx::current()?;
    service::my_sessions(&ctx.pool, &ctx.user).await
}

#[server(endpoint = "auth/sign_out_everywhere")]
pub async fn sign_out_everywhere() -> Result<u64, AppError> {
    let ctx = Ctx::current()?;
    let ended = service::sign_out_everywhere(&ctx.pool, &ctx.user, &ctx.meta).await?;
    set_cookie(service::session_cookie(&ctx.config, None));
    Ok(ended)
}

#[server(endpoint = "auth/list_users")]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    let ctx = Ctx::current()?;
    service::list_users(&ctx.pool, &ctx.user).await
}

#[server(endpoint = "auth/create_user")]
pub async fn create_user(
    email: String,
    display_name: String,
    role: String,
    initial_password: String,
) -> Result<UserSummary, AppError> {
    let ctx = Ctx::current()?;
    let input = service::NewUser {
        email: &email,
        display_name: &display_name,
        role: &role,
        initial_password: &initial_password,
    };
    service::create_user(&ctx.pool, &ctx.user, &ctx.meta, input).await
}

#[server(endpoint = "auth/change_role")]
pub async fn change_role(user_id: UserId, role: String) -> Result<UserSummary, AppError> {
    let ctx = Ctx::current()?;
    service::change_role(&ctx.pool, &ctx.user, &ctx.meta, user_id, &role).await
}

#[server(endpoint = "auth/set_user_active")]
pub async fn set_user_active(user_id: UserId, active: bool) -> Result<UserSummary, AppError> {
    let ctx = Ctx::current()?;
    service::set_active(&ctx.pool, &ctx.user, &ctx.meta, user_id, active).await
}
