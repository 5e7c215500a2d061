//! Server functions of the audit module.

use crate::audit::types::{AuditFilter, AuditPage};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "audit/list_events")]
pub async fn list_events(filter: AuditFilter) -> Result<AuditPage, AppError> {
    let ctx = crate::ctx::Ctx::current()?;
    crate::audit::server::service::list(&ctx.pool, &ctx.user, &ctx.meta, filter).await
}
