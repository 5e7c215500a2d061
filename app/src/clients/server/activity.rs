//! The chart's activity history, from the audit trail. Admins see every event, reads included (who
//! opened the chart); others see the changes, clinical ones only when they are clinical staff.

use super::service::{require_in_scope, scope_of};
use crate::audit::server::{record, repo as audit_repo, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::clients::types::ActivityItem;
use crate::error::AppError;
use crate::ids::ClientId;
use sqlx::PgPool;

/// The newest events shown.
pub const ACTIVITY_LIMIT: i64 = 100;

pub async fn list(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
) -> Result<Vec<ActivityItem>, AppError> {
    let scope = scope_of(user)?;
    let mut conn = pool.acquire().await?;
    require_in_scope(
        &mut conn,
        user,
        meta,
        scope,
        client,
        "clients.activity_view",
    )
    .await?;
    let items = audit_repo::client_activity(
        pool,
        client,
        user.role.can(Permission::ViewAudit),
        user.role.can(Permission::EditClinical),
        ACTIVITY_LIMIT,
    )
    .await?;
    record(
        &mut conn,
        AuditEvent::new("clients.activity_view", Outcome::Success, meta)
            .by(user)
            .entity("client", client)
            .client(client),
    )
    .await?;
    Ok(items)
}
