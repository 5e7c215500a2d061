//! Why an upload from a plain form was refused, kept on the server for the page the form returns
//! to. The page's address carries only the refusal's id, and the page shows the sentence only to
//! the person it was written for, within the hour: nobody can craft a link that puts their own
//! words under the field.

use crate::auth::server::CurrentUser;
use crate::auth::types::Permission;
use crate::error::AppError;
use crate::ids::UserId;
use sqlx::PgPool;

/// How long a refusal can be shown.
const KEPT_MINUTES: i32 = 60;

/// Keeps `message` for `user` and answers its id (dropping the person's expired refusals).
pub async fn keep(
    pool: &PgPool,
    user: &CurrentUser,
    message: &str,
) -> Result<uuid::Uuid, AppError> {
    let message: String = message.chars().take(2000).collect();
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "DELETE FROM upload_refusals
          WHERE user_id = $1 AND created_at < now() - make_interval(mins => $2)",
        user.id as UserId,
        KEPT_MINUTES,
    )
    .execute(&mut *tx)
    .await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO upload_refusals (user_id, message) VALUES ($1, $2) RETURNING id",
        user.id as UserId,
        message,
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The sentence of refusal `id`, when it was written for `user` within the hour.
pub async fn read(pool: &PgPool, user: &CurrentUser, id: &str) -> Result<Option<String>, AppError> {
    user.require(Permission::ManageBilling)?;
    let Ok(id) = id.trim().parse::<uuid::Uuid>() else {
        return Ok(None);
    };
    Ok(sqlx::query_scalar!(
        "SELECT message FROM upload_refusals
          WHERE id = $1 AND user_id = $2 AND created_at >= now() - make_interval(mins => $3)",
        id,
        user.id as UserId,
        KEPT_MINUTES,
    )
    .fetch_optional(pool)
    .await?)
}
