//! SQL for changing a client record: demographics, the care team, and merging a duplicate.

use super::repo::{with_record, NewClient};
use crate::clients::types::ClinicianOption;
use crate::error::AppError;
use crate::ids::{ClientId, UserId};
use sqlx::PgConnection;

/// Rewrites the demographic fields (not the status, which has its own history).
pub async fn update(conn: &mut PgConnection, id: ClientId, c: &NewClient) -> Result<(), AppError> {
    with_record!(
        "UPDATE clients SET (legal_first_name, legal_last_name, preferred_name, pronouns, date_of_birth,
                sex_assigned_at_birth, gender_identity, phone_mobile, phone_home, phone_work, sms_consent,
                voicemail_consent, email, email_consent, address_line1, address_line2, city, state, zip,
                preferred_contact, preferred_language, primary_clinician_id, referral_source)
              = ROW($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
                    $21, $22, $23), updated_at = now()
          WHERE id = $24 AND merged_into_id IS NULL
          RETURNING id",
        c,
        id as _,
    )
    .fetch_one(conn)
    .await?;
    Ok(())
}

pub async fn care_team(
    conn: &mut PgConnection,
    client: ClientId,
) -> Result<Vec<ClinicianOption>, AppError> {
    Ok(sqlx::query_as!(
        ClinicianOption,
        "SELECT u.id, u.display_name FROM client_care_team t JOIN users u ON u.id = t.user_id
          WHERE t.client_id = $1 AND t.removed_at IS NULL ORDER BY u.display_name",
        client as _,
    )
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
    Ok(sqlx::query!(
        "INSERT INTO client_care_team (client_id, user_id, added_by) VALUES ($1, $2, $3)
         ON CONFLICT (client_id, user_id) DO UPDATE
            SET added_at = now(), added_by = $3, removed_at = NULL, removed_by = NULL
          WHERE client_care_team.removed_at IS NOT NULL",
        client as _,
        user as _,
        by as _,
    )
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
    Ok(sqlx::query!(
        "UPDATE client_care_team SET removed_at = now(), removed_by = $3
          WHERE client_id = $1 AND user_id = $2 AND removed_at IS NULL",
        client as _,
        user as _,
        by as _,
    )
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
    Ok(sqlx::query_scalar!(
        r#"SELECT merged_into_id AS "merged_into_id: ClientId" FROM clients WHERE id = $1"#,
        id as _,
    )
    .fetch_one(conn)
    .await?)
}

/// Locks both records (in id order, so two merges cannot deadlock) and returns their chart numbers.
pub async fn lock_pair(
    conn: &mut PgConnection,
    a: ClientId,
    b: ClientId,
) -> Result<Vec<(ClientId, String, Option<ClientId>)>, AppError> {
    Ok(sqlx::query!(
        "SELECT id, chart_number, merged_into_id FROM clients WHERE id IN ($1, $2) ORDER BY id FOR UPDATE",
        a as _,
        b as _,
    )
    .map(|r| (ClientId(r.id), r.chart_number, r.merged_into_id.map(ClientId)))
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
    // every statement takes `$1` = from, `$2` = into (and `$3` = by, where it says so)
    macro_rules! run {
        ($sql:literal $(, $arg:expr)*) => {
            sqlx::query!($sql, from as _, into as _ $(, $arg)*).execute(&mut *conn).await?
        };
    }
    run!("UPDATE client_contacts SET client_id = $2 WHERE client_id = $1");
    run!("UPDATE client_flags SET client_id = $2 WHERE client_id = $1");
    run!(
        "INSERT INTO client_care_team (client_id, user_id, added_by)
         SELECT $2, user_id, $3 FROM client_care_team WHERE client_id = $1 AND removed_at IS NULL
         ON CONFLICT (client_id, user_id) DO UPDATE SET removed_at = NULL, removed_by = NULL
          WHERE client_care_team.removed_at IS NOT NULL",
        by as _
    );
    run!(
        "UPDATE insurance_policies p SET active = false, ended_at = now(), ended_by = $3
          WHERE p.client_id = $1 AND p.active AND EXISTS (
                SELECT 1 FROM insurance_policies k WHERE k.client_id = $2 AND k.active AND k.priority = p.priority)",
        by as _
    );
    run!("UPDATE insurance_policies SET client_id = $2 WHERE client_id = $1");
    run!(
        "UPDATE client_diagnoses d SET kind = 'secondary'
          WHERE d.client_id = $1 AND d.kind = 'primary' AND d.resolved_on IS NULL AND EXISTS (
                SELECT 1 FROM client_diagnoses k WHERE k.client_id = $2 AND k.kind = 'primary' AND k.resolved_on IS NULL)"
    );
    run!(
        "UPDATE client_diagnoses d SET client_id = $2
          WHERE d.client_id = $1 AND NOT (d.resolved_on IS NULL AND EXISTS (
                SELECT 1 FROM client_diagnoses k WHERE k.client_id = $2 AND k.code = d.code AND k.resolved_on IS NULL))"
    );
    run!("UPDATE clients SET merged_into_id = $2, updated_at = now() WHERE id = $1");
    Ok(())
}

pub async fn by_chart_number(
    conn: &mut PgConnection,
    chart_number: &str,
) -> Result<Option<ClientId>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT id AS "id: ClientId" FROM clients WHERE chart_number = $1"#,
        chart_number,
    )
    .fetch_optional(conn)
    .await?)
}
