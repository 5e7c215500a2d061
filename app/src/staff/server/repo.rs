//! SQL for staff profiles, licenses and working hours.

use super::service::{NewHours, NewLicense, NewProfile};
use crate::error::AppError;
use crate::ids::{LicenseId, UserId, WorkingHoursId};
use crate::staff::types::*;
use chrono::NaiveDate;
use sqlx::{PgConnection, PgPool};

/// Active staff with their credentials, in one query.
pub async fn directory(pool: &PgPool) -> Result<Vec<StaffSummary>, AppError> {
    Ok(sqlx::query_as(
        "SELECT u.id AS user_id, u.display_name, u.email::text AS email, u.role,
                (SELECT string_agg(DISTINCT l.license_type, ', ') FROM staff_licenses l
                  WHERE l.user_id = u.id AND l.active) AS credentials,
                s.display_name AS supervisor_name,
                coalesce(p.calendar_color, '#2f5d8a') AS calendar_color, p.npi
           FROM users u
           LEFT JOIN staff_profiles p ON p.user_id = u.id
           LEFT JOIN users s ON s.id = p.supervisor_id
          WHERE u.active
          ORDER BY u.display_name",
    )
    .fetch_all(pool)
    .await?)
}

pub async fn profile(conn: &mut PgConnection, user: UserId) -> Result<StaffProfile, AppError> {
    let mut profile: StaffProfile = sqlx::query_as(
        "SELECT u.id AS user_id, u.display_name, u.email::text AS email, u.role, p.npi, p.taxonomy_code,
                p.supervisor_id, s.display_name AS supervisor_name,
                coalesce(p.default_session_minutes, 53) AS default_session_minutes,
                coalesce(p.calendar_color, '#2f5d8a') AS calendar_color,
                coalesce(p.requires_cosign, u.role = 'intern') AS requires_cosign
           FROM users u
           LEFT JOIN staff_profiles p ON p.user_id = u.id
           LEFT JOIN users s ON s.id = p.supervisor_id
          WHERE u.id = $1",
    )
    .bind(user)
    .fetch_one(&mut *conn)
    .await?;
    profile.licenses = sqlx::query_as(
        "SELECT id, license_type, license_number, state::text AS state, expires_on
           FROM staff_licenses WHERE user_id = $1 AND active ORDER BY expires_on",
    )
    .bind(user)
    .fetch_all(&mut *conn)
    .await?;
    profile.hours = sqlx::query_as(
        "SELECT h.id, h.location_id, l.name AS location_name, h.weekday, h.starts_at, h.ends_at
           FROM staff_working_hours h JOIN locations l ON l.id = h.location_id
          WHERE h.user_id = $1 ORDER BY h.weekday, h.starts_at",
    )
    .bind(user)
    .fetch_all(conn)
    .await?;
    Ok(profile)
}

pub async fn role_of(
    conn: &mut PgConnection,
    user: UserId,
) -> Result<crate::auth::types::Role, AppError> {
    Ok(sqlx::query_scalar("SELECT role FROM users WHERE id = $1")
        .bind(user)
        .fetch_one(conn)
        .await?)
}

/// Whether `user` is an active clinician or supervisor (who may supervise).
pub async fn may_supervise(conn: &mut PgConnection, user: UserId) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND active AND role IN ('clinician', 'supervisor'))",
    )
    .bind(user)
    .fetch_one(conn)
    .await?)
}

pub async fn upsert_profile(
    conn: &mut PgConnection,
    user: UserId,
    p: &NewProfile,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO staff_profiles (user_id, npi, taxonomy_code, supervisor_id, default_session_minutes,
                                     calendar_color, requires_cosign)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (user_id) DO UPDATE SET npi = $2, taxonomy_code = $3, supervisor_id = $4,
             default_session_minutes = $5, calendar_color = $6, requires_cosign = $7, updated_at = now()",
    )
    .bind(user)
    .bind(&p.npi)
    .bind(&p.taxonomy_code)
    .bind(p.supervisor)
    .bind(p.default_session_minutes)
    .bind(&p.calendar_color)
    .bind(p.requires_cosign)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert_license(
    conn: &mut PgConnection,
    user: UserId,
    l: &NewLicense,
) -> Result<LicenseId, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO staff_licenses (user_id, license_type, license_number, state, expires_on)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(user)
    .bind(&l.license_type)
    .bind(&l.license_number)
    .bind(&l.state)
    .bind(l.expires_on)
    .fetch_one(conn)
    .await?)
}

pub async fn insert_hours(
    conn: &mut PgConnection,
    user: UserId,
    h: &NewHours,
) -> Result<WorkingHoursId, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO staff_working_hours (user_id, location_id, weekday, starts_at, ends_at)
         SELECT $1, id, $3, $4, $5 FROM locations WHERE id = $2 AND active RETURNING id",
    )
    .bind(user)
    .bind(h.location)
    .bind(h.weekday)
    .bind(h.starts_at)
    .bind(h.ends_at)
    .fetch_one(conn)
    .await?)
}

/// Removes a block of hours and returns whose it was.
pub async fn delete_hours(conn: &mut PgConnection, id: WorkingHoursId) -> Result<UserId, AppError> {
    Ok(
        sqlx::query_scalar("DELETE FROM staff_working_hours WHERE id = $1 RETURNING user_id")
            .bind(id)
            .fetch_one(conn)
            .await?,
    )
}

/// Active licenses of active staff expiring on or before `until` (expired ones included), optionally
/// of one person.
pub async fn expiring_licenses(
    pool: &PgPool,
    until: NaiveDate,
    only: Option<UserId>,
) -> Result<Vec<LicenseAlert>, AppError> {
    Ok(sqlx::query_as(
        "SELECT u.id AS user_id, u.display_name, l.license_type, l.state::text AS state, l.expires_on
           FROM staff_licenses l JOIN users u ON u.id = l.user_id
          WHERE l.active AND u.active AND l.expires_on <= $1 AND ($2::uuid IS NULL OR u.id = $2)
          ORDER BY l.expires_on, u.display_name",
    )
    .bind(until)
    .bind(only)
    .fetch_all(pool)
    .await?)
}

pub async fn supervisor_options(
    pool: &PgPool,
) -> Result<Vec<crate::clients::types::ClinicianOption>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, display_name FROM users WHERE active AND role IN ('clinician', 'supervisor')
          ORDER BY display_name",
    )
    .fetch_all(pool)
    .await?)
}
