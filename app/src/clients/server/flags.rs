//! Chart alerts. Clinical-risk flags: clinical staff of the caseload read and write them. Billing
//! flags: billers, front desk and admin write; everyone with the client reads. Administrative: front
//! desk and admin write; everyone with the client reads.

use super::repo;
use super::service::{
    open_for_reading, readable_flags as readable, record_read, require_in_scope, scope_of,
    writable_flags as writable, ReadAccess,
};
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::fields::parse_choice;

use crate::clients::actions;
use crate::clients::types::*;
use crate::error::{AppError, Validator};
use crate::ids::ClientId;
use sqlx::PgPool;

pub async fn list(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
) -> Result<FlagList, AppError> {
    const READ: &str = actions::FLAGS_VIEW;
    let (mut conn, access) = open_for_reading(pool, user, meta, client, READ).await?;
    let flags = repo::flags(&mut conn, client, &readable(user)).await?;
    record_read(&mut conn, user, meta, client, READ, access).await?;
    // emergency access reads only
    let can_add = match access {
        ReadAccess::InScope => writable(user).into_iter().map(str::to_owned).collect(),
        ReadAccess::Emergency(_) => Vec::new(),
    };
    Ok(FlagList { flags, can_add })
}

pub async fn add(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
    category: &str,
    severity: &str,
    text: &str,
) -> Result<(), AppError> {
    let mut v = Validator::new();
    let category = v.check(
        "category",
        parse_choice(category, FLAG_CATEGORIES)
            .and_then(|c| c.ok_or_else(|| "Choose a category.".into())),
    );
    let severity = v.check(
        "severity",
        parse_choice(severity, FLAG_SEVERITIES)
            .and_then(|s| s.ok_or_else(|| "Choose a severity.".into())),
    );
    let text = v.check(
        "text",
        match text.trim() {
            "" => Err("Write what staff should know.".to_owned()),
            t if t.chars().count() > 200 => Err("At most 200 characters.".to_owned()),
            t => Ok(t.to_owned()),
        },
    );
    let (category, severity, text) = v.finish_with(|| Some((category?, severity?, text?)))?;
    if !writable(user).contains(&category.as_str()) {
        return Err(AppError::Forbidden);
    }
    let scope = scope_of(user)?;
    require_in_scope(
        &mut *pool.acquire().await?,
        user,
        meta,
        scope,
        client,
        actions::FLAG_ADD,
    )
    .await?;
    let mut tx = pool.begin().await?;
    let id = repo::insert_flag(&mut tx, client, &category, &severity, &text, user.id).await?;
    record(
        &mut tx,
        AuditEvent::new(actions::FLAG_ADD, Outcome::Success, meta)
            .by(user)
            .entity("client_flag", id)
            .client(client)
            .detail(serde_json::json!({ "category": category, "severity": severity })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Clears an alert: who may add its category may clear it, within their scope.
pub async fn clear(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: crate::ids::FlagId,
) -> Result<(), AppError> {
    let (client, category) = repo::active_flag(&mut *pool.acquire().await?, id).await?;
    if !writable(user).contains(&category.as_str()) {
        return Err(AppError::Forbidden);
    }
    let scope = scope_of(user)?;
    require_in_scope(
        &mut *pool.acquire().await?,
        user,
        meta,
        scope,
        client,
        actions::FLAG_CLEAR,
    )
    .await?;
    let mut tx = pool.begin().await?;
    repo::clear_flag(&mut tx, id, user.id).await?;
    record(
        &mut tx,
        AuditEvent::new(actions::FLAG_CLEAR, Outcome::Success, meta)
            .by(user)
            .entity("client_flag", id)
            .client(client)
            .detail(serde_json::json!({ "category": category })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
