//! Server functions of the audit module.

use crate::audit::types::{AuditFilter, AuditPage};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "audit/list_events")]
pub async fn list_events(filter: AuditFilter) -> Result<AuditPage, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::server::current_user()?;
    let meta = crate::auth::server::request_meta();
    crate::audit::server::service::list(&state.pool, &user, &meta, filter).await
}
