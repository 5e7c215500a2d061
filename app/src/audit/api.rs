//! Server functions of the audit module.

use crate::audit::types::{AuditFilter, AuditPage};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "audit/list_events")]
pub async fn list_events(filter: AuditFilter) -> Result<AuditPage, AppError> {
    let ctx = crate::ctx::Ctx::current()?;
    crate::audit::server::service::list(&ctx.pool, &ctx.user, &ctx.meta, filter).await
}

/// Every recorded access to one client's record over a period (`from`, `to`: MM/DD/YYYY).
#[server(endpoint = "audit/client_access_report")]
pub async fn client_access_report(
    client_id: crate::ids::ClientId,
    from: String,
    to: String,
) -> Result<crate::audit::types::AccessReport, AppError> {
    let ctx = crate::ctx::Ctx::current()?;
    crate::audit::server::access_report::report(
        &ctx.pool, &ctx.user, &ctx.meta, client_id, &from, &to,
    )
    .await
}
