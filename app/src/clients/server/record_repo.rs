//! SQL for changing a client record: demographics, the care team, and merging a duplicate.

use super::service::NewClient;
use crate::clients::types::ClinicianOption;
use crate::error::AppError;
use crate::ids::{ClientId, UserId};
use sqlx::PgConnection;

/// Rewrites the demographic fields (not the status, which has its own history).
pub async fn update(conn: &mut PgConnection, id: ClientId, c: &NewClient) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE clients SET legal_first_name = $2, legal_last_name = $3, preferred_name = $4, pronouns = $5,
                date_of_birth = $6, sex_assigned_at_birth = $7, gender_identity = $8, phone_mobile = $9,
                phone_home = $10, phone_work = $11, sms_consent = $12, voicemail_consent = $13, email = $14,
                email_consent = $15, address_line1 = $16, address_line2 = $17, city = $18, state = $19,
                zip = $20, preferred_contact = $21, preferred_language = $22, primary_clinician_id = $23,
                referral_source = $24, updated_at = now()
          WHERE id = $1 AND merged_into_id IS NULL
          RETURNING id",
    )
    .bind(id)
    .bind(&c.legal_first_name)
    .bind(&c.legal_last_name)
    .bind(&c.preferred_name)
    .bind(&c.pronouns)
    .bind(c.date_of_birth)
    .bind(&c.sex_assigned_at_birth)
    .bind(&c.gender_identity)
    .bind(&c.phone_mobile)
    .bind(&c.phone_home)
    .bind(&c.phone_work)
    .bind(c.sms_consent)
    .bind(c.voicemail_consent)
    .bind(&c.email)
    .bind(c.email_consent)
    .bind(&c.address_line1)
    .bind(&c.address_line2)
    .bind(&c.city)
    .bind(&c.state)
    .bind(&c.zip)
    .bind(&c.preferred_contact)
    .bind(&c.preferred_language)
    .bind(c.primary_clinician_id)
    .bind(&c.referral_source)
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
          WHERE t.client_id = $1 ORDER BY u.display_name",
    )
    .bind(client)
    .fetch_all(conn)
    .await?)
}

/// Adds a member; false when they already were one.
pub async fn add_care_team(
    conn: &mut PgConnection,
    client: ClientId,
    user: UserId,
) -> Result<bool, AppError> {
    Ok(sqlx::query(
        "INSERT INTO client_care_team (client_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(client)
    .bind(user)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

pub async fn remove_care_team(
    conn: &mut PgConnection,
    client: ClientId,
    user: UserId,
) -> Result<bool, AppError> {
    Ok(
        sqlx::query("DELETE FROM client_care_team WHERE client_id = $1 AND user_id = $2")
            .bind(client)
            .bind(user)
            .execute(conn)
            .await?
            .rows_affected()
            == 1,
    )
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
        "INSERT INTO client_care_team (client_id, user_id)
         SELECT $2, user_id FROM client_care_team WHERE client_id = $1 ON CONFLICT DO NOTHING",
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
