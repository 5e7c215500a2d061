//! Server functions of the auth module: thin wrappers that find the caller, call the service and
//! return its result. Endpoints are stable and listed in docs/api.md.

use crate::auth::types::*;
use crate::error::AppError;
use crate::ids::UserId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    auth::server::{current_user, request_meta, service},
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
) -> Result<service::SignedIn, AppError> {
    service::login(&state.pool, &state.config, &request_meta(), email, password).await
}

/// Signs in with email and password; sets the session cookie.
#[server(endpoint = "auth/login")]
pub async fn login(email: String, password: String) -> Result<SessionUser, AppError> {
    let state = app_state()?;
    let signed_in = sign_in(&state, &email, &password).await?;
    set_cookie(service::session_cookie(&state.config, Some(&signed_in)));
    Ok(signed_in.user)
}

/// For API clients: signs in and returns a bearer token instead of setting a cookie.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TokenResponse {
    pub token: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub user: SessionUser,
}

#[server(endpoint = "auth/token")]
pub async fn token(email: String, password: String) -> Result<TokenResponse, AppError> {
    let state = app_state()?;
    let s = sign_in(&state, &email, &password).await?;
    Ok(TokenResponse {
        token: s.token,
        expires_at: s.expires_at,
        user: s.user,
    })
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
