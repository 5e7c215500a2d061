//! SQL for staff profiles, licenses and working hours.

use crate::auth::types::Role;
use crate::error::AppError;
use crate::ids::{LicenseId, LocationId, UserId, WorkingHoursId};
use crate::staff::types::*;
use chrono::{NaiveDate, NaiveTime};
use sqlx::{PgConnection, PgPool};

/// Active staff with their credentials, in one query.
pub async fn directory(pool: &PgPool) -> Result<Vec<StaffSummary>, AppError> {
    Ok(sqlx::query_as!(
        StaffSummary,
        r#"SELECT u.id AS user_id, u.display_name, u.email::text AS "email!", u.role AS "role: Role",
                (SELECT string_agg(DISTINCT l.license_type, ', ') FROM staff_licenses l
                  WHERE l.user_id = u.id AND l.active) AS "credentials?",
                s.display_name AS "supervisor_name?",
                coalesce(p.calendar_color, '#2f5d8a') AS "calendar_color!", p.npi AS "npi?"
           FROM users u
           LEFT JOIN staff_profiles p ON p.user_id = u.id
           LEFT JOIN users s ON s.id = p.supervisor_id
          WHERE u.active
          ORDER BY u.display_name"#,
    )
    .fetch_all(pool)
    .await?)
}

pub async fn profile(conn: &mut PgConnection, user: UserId) -> Result<StaffProfile, AppError> {
    let p = sqlx::query!(
        r#"SELECT u.id, u.display_name, u.email::text AS "email!", u.role AS "role: Role", p.npi AS "npi?",
                  p.taxonomy_code AS "taxonomy_code?", p.supervisor_id AS "supervisor_id?",
                  s.display_name AS "supervisor_name?",
                  coalesce(p.default_session_minutes, 53) AS "default_session_minutes!",
                  coalesce(p.calendar_color, '#2f5d8a') AS "calendar_color!",
                  coalesce(p.requires_cosign, u.role = 'intern') AS "requires_cosign!"
             FROM users u
             LEFT JOIN staff_profiles p ON p.user_id = u.id
             LEFT JOIN users s ON s.id = p.supervisor_id
            WHERE u.id = $1"#,
        user as _,
    )
    .fetch_one(&mut *conn)
    .await?;
    let licenses = sqlx::query_as!(
        License,
        r#"SELECT id, license_type, license_number, state::text AS "state!", expires_on
             FROM staff_licenses WHERE user_id = $1 AND active ORDER BY expires_on"#,
        user as _,
    )
    .fetch_all(&mut *conn)
    .await?;
    let hours = sqlx::query_as!(
        WorkingHours,
        "SELECT h.id, h.location_id, l.name AS location_name, h.weekday, h.starts_at, h.ends_at
           FROM staff_working_hours h JOIN locations l ON l.id = h.location_id
          WHERE h.user_id = $1 ORDER BY h.weekday, h.starts_at",
        user as _,
    )
    .fetch_all(conn)
    .await?;
    Ok(StaffProfile {
        user_id: p.id.into(),
        display_name: p.display_name,
        email: p.email,
        role: p.role,
        npi: p.npi,
        taxonomy_code: p.taxonomy_code,
        supervisor_id: p.supervisor_id.map(UserId),
        supervisor_name: p.supervisor_name,
        default_session_minutes: p.default_session_minutes,
        calendar_color: p.calendar_color,
        requires_cosign: p.requires_cosign,
        licenses,
        hours,
        can_edit: false,
    })
}

pub async fn role_of(
    conn: &mut PgConnection,
    user: UserId,
) -> Result<crate::auth::types::Role, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT role AS "role: Role" FROM users WHERE id = $1"#,
        user as _,
    )
    .fetch_one(conn)
    .await?)
}

/// Whether `user` is an active clinician or supervisor (who may supervise).
pub async fn may_supervise(conn: &mut PgConnection, user: UserId) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND active AND role IN ('clinician', 'supervisor')) AS "exists!""#,
        user as _,
    )
    .fetch_one(conn)
    .await?)
}

pub async fn upsert_profile(
    conn: &mut PgConnection,
    user: UserId,
    p: &NewProfile,
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO staff_profiles (user_id, npi, taxonomy_code, supervisor_id, default_session_minutes,
                                     calendar_color, requires_cosign)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (user_id) DO UPDATE SET npi = $2, taxonomy_code = $3, supervisor_id = $4,
             default_session_minutes = $5, calendar_color = $6, requires_cosign = $7, updated_at = now()",
        user as _,
        &p.npi as _,
        &p.taxonomy_code as _,
        p.supervisor as _,
        p.default_session_minutes,
        &p.calendar_color,
        p.requires_cosign,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert_license(
    conn: &mut PgConnection,
    user: UserId,
    l: &NewLicense,
) -> Result<LicenseId, AppError> {
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO staff_licenses (user_id, license_type, license_number, state, expires_on)
         VALUES ($1, $2, $3, $4, $5) RETURNING id AS "id: LicenseId""#,
        user as _,
        &l.license_type,
        &l.license_number,
        &l.state,
        l.expires_on,
    )
    .fetch_one(conn)
    .await?)
}

pub async fn insert_hours(
    conn: &mut PgConnection,
    user: UserId,
    h: &NewHours,
) -> Result<WorkingHoursId, AppError> {
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO staff_working_hours (user_id, location_id, weekday, starts_at, ends_at)
         SELECT $1, id, $3, $4, $5 FROM locations WHERE id = $2 AND active RETURNING id AS "id: WorkingHoursId""#,
        user as _,
        h.location as _,
        h.weekday,
        h.starts_at,
        h.ends_at,
    )
    .fetch_one(conn)
    .await?)
}

/// Removes a block of hours and returns whose it was.
pub async fn delete_hours(conn: &mut PgConnection, id: WorkingHoursId) -> Result<UserId, AppError> {
    Ok(sqlx::query_scalar!(
        r#"DELETE FROM staff_working_hours WHERE id = $1 RETURNING user_id AS "user_id: UserId""#,
        id as _,
    )
    .fetch_one(conn)
    .await?)
}

/// Active licenses of active staff expiring on or before `until` (expired ones included), optionally
/// of one person.
pub async fn expiring_licenses(
    pool: &PgPool,
    until: NaiveDate,
    only: Option<UserId>,
) -> Result<Vec<LicenseAlert>, AppError> {
    Ok(sqlx::query_as!(
        LicenseAlert,
        r#"SELECT u.id AS user_id, u.display_name, l.license_type, l.state::text AS "state!", l.expires_on
           FROM staff_licenses l JOIN users u ON u.id = l.user_id
          WHERE l.active AND u.active AND l.expires_on <= $1 AND ($2::uuid IS NULL OR u.id = $2)
          ORDER BY l.expires_on, u.display_name"#,
        until,
        only as _,
    )
    .fetch_all(pool)
    .await?)
}

pub async fn supervisor_options(
    pool: &PgPool,
) -> Result<Vec<crate::clients::types::ClinicianOption>, AppError> {
    Ok(sqlx::query_as!(
        crate::clients::types::ClinicianOption,
        "SELECT id, display_name FROM users WHERE active AND role IN ('clinician', 'supervisor')
          ORDER BY display_name",
    )
    .fetch_all(pool)
    .await?)
}

/// A validated profile.
#[derive(Debug, Clone)]
pub struct NewProfile {
    pub npi: Option<String>,
    pub taxonomy_code: Option<String>,
    pub supervisor: Option<UserId>,
    pub default_session_minutes: i32,
    pub calendar_color: String,
    pub requires_cosign: bool,
}

/// A validated license.
#[derive(Debug, Clone)]
pub struct NewLicense {
    pub license_type: String,
    pub license_number: String,
    pub state: String,
    pub expires_on: NaiveDate,
}

/// A validated block of weekly hours.
#[derive(Debug, Clone)]
pub struct NewHours {
    pub location: LocationId,
    pub weekday: i16,
    pub starts_at: NaiveTime,
    pub ends_at: NaiveTime,
}
