//! Who is asking, and from where: put into request extensions by the session middleware.

use crate::auth::types::{Permission, Role, SessionInfo, SessionUser};
use crate::error::AppError;
use crate::ids::{SessionId, UserId};
use axum::extract::FromRequestParts;
use http::request::Parts;
use leptos::prelude::use_context;
use std::net::IpAddr;

/// The signed-in user of a request, with a live session.
#[derive(Debug, Clone, PartialEq)]
pub struct CurrentUser {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub session_id: SessionId,
    pub must_change_password: bool,
}

impl CurrentUser {
    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        if self.role.can(permission) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn to_session_user(&self) -> SessionUser {
        SessionUser {
            id: self.id,
            email: self.email.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            must_change_password: self.must_change_password,
        }
    }
}

/// Where a request came from, for the audit trail and rate limits.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestMeta {
    pub ip: Option<IpAddr>,
    pub user_agent: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or(AppError::Unauthenticated)
    }
}

/// When a client should try again after a 503 (the pool's acquire timeout is 5 s).
pub const RETRY_AFTER_SECS: &str = "5";

impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let status = http::StatusCode::from_u16(self.status_code())
            .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        let mut res = (status, axum::Json(&self)).into_response();
        if self == AppError::Unavailable {
            res.headers_mut().insert(
                http::header::RETRY_AFTER,
                http::HeaderValue::from_static(RETRY_AFTER_SECS),
            );
        }
        res
    }
}

fn request_parts() -> Result<Parts, AppError> {
    use_context::<Parts>().ok_or_else(|| {
        tracing::error!("request parts missing from context");
        AppError::Internal
    })
}

/// The signed-in user inside a server function.
pub fn current_user() -> Result<CurrentUser, AppError> {
    request_parts()?
        .extensions
        .get::<CurrentUser>()
        .cloned()
        .ok_or(AppError::Unauthenticated)
}

/// What the app shell shows of the current visit (set by the session middleware), if signed in.
pub fn visit_info() -> Option<SessionInfo> {
    request_parts()
        .ok()?
        .extensions
        .get::<SessionInfo>()
        .cloned()
}

pub fn request_meta() -> RequestMeta {
    request_parts()
        .ok()
        .and_then(|p| p.extensions.get::<RequestMeta>().cloned())
        .unwrap_or_default()
}
