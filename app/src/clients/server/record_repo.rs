//! SQL for changing a client record: demographics, the care team, and merging a duplicate.

use super::repo::{bind_record, RECORD_COLUMNS};
use super::service::NewClient;
use crate::clients::types::ClinicianOption;
use crate::error::AppError;
use crate::ids::{ClientId, UserId};
use sqlx::PgConnection;

/// Rewrites the demographic fields (not the status, which has its own history).
pub async fn update(conn: &mut PgConnection, id: ClientId, c: &NewClient) -> Result<(), AppError> {
    // one row per column, `(col1, …) = ROW($1, …)`, in RECORD_COLUMNS order
    let placeholders = (1..=23)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "UPDATE clients SET ({RECORD_COLUMNS}) = ROW({placeholders}), updated_at = now()
          WHERE id = $24 AND merged_into_id IS NULL
          RETURNING id"
    );
    let _: ClientId = bind_record(sqlx::query_scalar(&sql), c)
        .bind(id)
        .fetch_one(conn)
        .await?;
    Ok(())
}

pub async fn care_team(
    conn: &mut PgConnection,
    client: ClientId,
) -> Result<Vec<ClinicianOption>, AppError> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.display_name FROM client_care_team t JOIN users u ON u.id = t.user_id
          WHERE t.client_id = $1 AND t.removed_at IS NULL ORDER BY u.display_name",
    )
    .bind(client)
    .fetch_all(conn)
    .await?)
}

/// Adds a member (again, after an earlier removal); false when they are one already.
pub async fn add_care_team(
    conn: &mut PgConnection,
    client: ClientId,
    user: UserId,
    by: UserId,
) -> Result<bool, AppError> {
    Ok(sqlx::query(
        "INSERT INTO client_care_team (client_id, user_id, added_by) VALUES ($1, $2, $3)
         ON CONFLICT (client_id, user_id) DO UPDATE
            SET added_at = now(), added_by = $3, removed_at = NULL, removed_by = NULL
          WHERE client_care_team.removed_at IS NOT NULL",
    )
    .bind(client)
    .bind(user)
    .bind(by)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Ends a membership (the row stays, with who ended it and when).
pub async fn remove_care_team(
    conn: &mut PgConnection,
    client: ClientId,
    user: UserId,
    by: UserId,
) -> Result<bool, AppError> {
    Ok(sqlx::query(
        "UPDATE client_care_team SET removed_at = now(), removed_by = $3
          WHERE client_id = $1 AND user_id = $2 AND removed_at IS NULL",
    )
    .bind(client)
    .bind(user)
    .bind(by)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// The client a merged record now lives in, if it was merged.
pub async fn merged_into(
    conn: &mut PgConnection,
    id: ClientId,
) -> Result<Option<ClientId>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT merged_into_id FROM clients WHERE id = $1")
            .bind(id)
            .fetch_one(conn)
            .await?,
    )
}

/// Locks both records (in id order, so two merges cannot deadlock) and returns their chart numbers.
pub async fn lock_pair(
    conn: &mut PgConnection,
    a: ClientId,
    b: ClientId,
) -> Result<Vec<(ClientId, String, Option<ClientId>)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, chart_number, merged_into_id FROM clients WHERE id IN ($1, $2) ORDER BY id FOR UPDATE",
    )
    .bind(a)
    .bind(b)
    .fetch_all(conn)
    .await?)
}

/// Moves what belongs to `from` onto `into`, keeping every row: contacts, flags, the care team,
/// insurance (a policy that would be a second active one of its priority is ended first) and
/// diagnoses (a second current primary becomes secondary; a code already current on `into` stays
/// on `from`). Then marks `from` as merged.
pub async fn merge(
    conn: &mut PgConnection,
    from: ClientId,
    into: ClientId,
    by: UserId,
) -> Result<(), AppError> {
    for statement in [
        "UPDATE client_contacts SET client_id = $2 WHERE client_id = $1",
        "UPDATE client_flags SET client_id = $2 WHERE client_id = $1",
        "INSERT INTO client_care_team (client_id, user_id, added_by)
         SELECT $2, user_id, $3 FROM client_care_team WHERE client_id = $1 AND removed_at IS NULL
         ON CONFLICT (client_id, user_id) DO UPDATE SET removed_at = NULL, removed_by = NULL
          WHERE client_care_team.removed_at IS NOT NULL",
        "UPDATE insurance_policies p SET active = false, ended_at = now(), ended_by = $3
          WHERE p.client_id = $1 AND p.active AND EXISTS (
                SELECT 1 FROM insurance_policies k WHERE k.client_id = $2 AND k.active AND k.priority = p.priority)",
        "UPDATE insurance_policies SET client_id = $2 WHERE client_id = $1",
        "UPDATE client_diagnoses d SET kind = 'secondary'
          WHERE d.client_id = $1 AND d.kind = 'primary' AND d.resolved_on IS NULL AND EXISTS (
                SELECT 1 FROM client_diagnoses k WHERE k.client_id = $2 AND k.kind = 'primary' AND k.resolved_on IS NULL)",
        "UPDATE client_diagnoses d SET client_id = $2
          WHERE d.client_id = $1 AND NOT (d.resolved_on IS NULL AND EXISTS (
                SELECT 1 FROM client_diagnoses k WHERE k.client_id = $2 AND k.code = d.code AND k.resolved_on IS NULL))",
        "UPDATE clients SET merged_into_id = $2, updated_at = now() WHERE id = $1",
    ] {
        let mut query = sqlx::query(statement).bind(from).bind(into);
        if statement.contains("$3") {
            query = query.bind(by);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

pub async fn by_chart_number(
    conn: &mut PgConnection,
    chart_number: &str,
) -> Result<Option<ClientId>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM clients WHERE chart_number = $1")
            .bind(chart_number)
            .fetch_optional(conn)
            .await?,
    )
}
