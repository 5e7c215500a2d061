//! The chart's activity history, from the audit trail. Admins see every event, reads included (who
//! opened the chart); others see the changes, clinical ones only when they are clinical staff.

use super::service::{open_for_reading, record_read};
use crate::audit::server::service as audit;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::clients::actions;
use crate::clients::types::ActivityItem;
use crate::error::AppError;
use crate::ids::ClientId;
use crate::settings::server::clock;
use sqlx::PgPool;

/// The newest events shown.
pub const ACTIVITY_LIMIT: i64 = 100;

pub async fn list(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
) -> Result<Vec<ActivityItem>, AppError> {
    const READ: &str = actions::ACTIVITY_VIEW;
    let (mut conn, access) = open_for_reading(pool, user, meta, client, READ).await?;
    let zone = clock::practice_zone(&mut conn).await?;
    let mut items = audit::client_activity(
        &mut conn,
        client,
        user.role.can(Permission::ViewAudit),
        user.role.can(Permission::EditClinical),
        ACTIVITY_LIMIT,
    )
    .await?;
    for item in &mut items {
        item.when = clock::date_time(item.occurred_at, zone);
    }
    record_read(&mut conn, user, meta, client, READ, access).await?;
    Ok(items)
}
