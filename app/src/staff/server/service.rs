//! Staff profiles: everyone signed in sees the directory; a person reads their own profile and admins
//! read and change everyone's. Every read and write of this personnel data is audited.

use super::repo::{self, NewHours, NewLicense, NewProfile};
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::{Permission, Role};
use crate::codes::{parse_optional_npi, parse_taxonomy};
use crate::error::{AppError, Validator};
use crate::fields::{parse_required_date, parse_state};
use crate::ids::{LocationId, UserId, WorkingHoursId};
use crate::staff::actions;
use crate::staff::types::*;
use chrono::{Duration, NaiveDate};
use sqlx::PgPool;

fn event(
    action: &'static str,
    user: &CurrentUser,
    meta: &RequestMeta,
    about: UserId,
) -> AuditEvent {
    AuditEvent::new(action, Outcome::Success, meta)
        .by(user)
        .entity("staff", about)
}

pub async fn directory(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
) -> Result<Vec<StaffSummary>, AppError> {
    let rows = repo::directory(pool).await?;
    record(
        &mut *pool.acquire().await?,
        AuditEvent::new(actions::DIRECTORY_VIEW, Outcome::Success, meta).by(user),
    )
    .await?;
    Ok(rows)
}

pub async fn profile(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    of: UserId,
) -> Result<StaffProfile, AppError> {
    let mut conn = pool.acquire().await?;
    let admin = user.role.can(Permission::ManageStaff);
    if !admin && user.id != of {
        record(
            &mut conn,
            AuditEvent::new(actions::PROFILE_VIEW, Outcome::Denied, meta)
                .by(user)
                .entity("staff", of),
        )
        .await?;
        return Err(AppError::Forbidden);
    }
    let mut profile = repo::profile(&mut conn, of).await?;
    profile.can_edit = admin;
    record(&mut conn, event(actions::PROFILE_VIEW, user, meta, of)).await?;
    Ok(profile)
}

impl NewProfile {
    /// `role` is the role of the person the profile belongs to: interns always need a supervisor
    /// and a co-signature.
    pub fn parse(input: &ProfileInput, role: Role) -> Result<NewProfile, AppError> {
        let mut v = Validator::new();
        let npi = v.check("npi", parse_optional_npi(&input.npi));
        let taxonomy = v.check("taxonomy_code", parse_taxonomy(&input.taxonomy_code));
        let supervisor = match input.supervisor_id.trim() {
            "" if role == Role::Intern => {
                v.add("supervisor_id", "An intern needs a supervisor.");
                None
            }
            "" => Some(None),
            id => v.check(
                "supervisor_id",
                id.parse::<UserId>()
                    .map(Some)
                    .map_err(|_| "Choose a supervisor from the list.".to_owned()),
            ),
        };
        let minutes = v.check(
            "default_session_minutes",
            parse_session_minutes(&input.default_session_minutes),
        );
        let color = v.check("calendar_color", parse_color(&input.calendar_color));
        v.finish_with(|| {
            Some(NewProfile {
                npi: npi?,
                taxonomy_code: taxonomy?,
                supervisor: supervisor?,
                default_session_minutes: minutes?,
                calendar_color: color?,
                requires_cosign: role == Role::Intern || input.requires_cosign.is_some(),
            })
        })
    }
}

pub async fn update_profile(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    of: UserId,
    input: &ProfileInput,
) -> Result<(), AppError> {
    user.require(Permission::ManageStaff)?;
    let mut tx = pool.begin().await?;
    let role = repo::role_of(&mut tx, of).await?;
    let profile = NewProfile::parse(input, role)?;
    if let Some(supervisor) = profile.supervisor {
        if supervisor == of {
            return Err(AppError::field(
                "supervisor_id",
                "Nobody supervises themselves.",
            ));
        }
        if !repo::may_supervise(&mut tx, supervisor).await? {
            return Err(AppError::field(
                "supervisor_id",
                "Choose an active clinician or supervisor.",
            ));
        }
    }
    repo::upsert_profile(&mut tx, of, &profile).await?;
    record(&mut tx, event(actions::PROFILE_UPDATE, user, meta, of)).await?;
    tx.commit().await?;
    Ok(())
}

impl NewLicense {
    pub fn parse(input: &LicenseInput) -> Result<NewLicense, AppError> {
        let mut v = Validator::new();
        let kind = v.check("license_type", parse_license_type(&input.license_type));
        let number = v.check(
            "license_number",
            parse_license_number(&input.license_number),
        );
        let state = v.check(
            "state",
            parse_state(&input.state)
                .and_then(|s| s.ok_or_else(|| "Choose the issuing state.".into())),
        );
        let expires = v.check(
            "expires_on",
            parse_required_date(&input.expires_on, "expiry date"),
        );
        v.finish_with(|| {
            Some(NewLicense {
                license_type: kind?,
                license_number: number?,
                state: state?,
                expires_on: expires?,
            })
        })
    }
}

pub async fn add_license(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    of: UserId,
    input: &LicenseInput,
) -> Result<(), AppError> {
    user.require(Permission::ManageStaff)?;
    let license = NewLicense::parse(input)?;
    let mut tx = pool.begin().await?;
    let id = repo::insert_license(&mut tx, of, &license).await?;
    record(
        &mut tx,
        event(actions::LICENSE_ADD, user, meta, of).detail(serde_json::json!({ "license": id })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

impl NewHours {
    pub fn parse(input: &HoursInput) -> Result<NewHours, AppError> {
        let mut v = Validator::new();
        let location = v.check(
            "location_id",
            input
                .location_id
                .trim()
                .parse::<LocationId>()
                .map_err(|_| "Choose a location.".to_owned()),
        );
        let weekday = v.check("weekday", parse_weekday(&input.weekday));
        let starts = v.check("starts_at", parse_time_of_day(&input.starts_at));
        let ends = v.check("ends_at", parse_time_of_day(&input.ends_at));
        if let (Some(s), Some(e)) = (starts, ends) {
            if e <= s {
                v.add("ends_at", "The end is after the start.");
            }
        }
        v.finish_with(|| {
            Some(NewHours {
                location: location?,
                weekday: weekday?,
                starts_at: starts?,
                ends_at: ends?,
            })
        })
    }
}

pub async fn add_hours(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    of: UserId,
    input: &HoursInput,
) -> Result<(), AppError> {
    user.require(Permission::ManageStaff)?;
    let hours = NewHours::parse(input)?;
    let mut tx = pool.begin().await?;
    let id = repo::insert_hours(&mut tx, of, &hours)
        .await
        .map_err(|e| match e {
            AppError::NotFound => AppError::field("location_id", "Choose an active location."),
            other => other,
        })?;
    record(
        &mut tx,
        event(actions::HOURS_ADD, user, meta, of).detail(serde_json::json!({ "hours": id })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_hours(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: WorkingHoursId,
) -> Result<(), AppError> {
    user.require(Permission::ManageStaff)?;
    let mut tx = pool.begin().await?;
    let of = repo::delete_hours(&mut tx, id).await?;
    record(
        &mut tx,
        event(actions::HOURS_REMOVE, user, meta, of).detail(serde_json::json!({ "hours": id })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Licenses expired or expiring within 60 days: every active person's for admins, one's own for the
/// rest.
pub async fn license_alerts(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    today: NaiveDate,
) -> Result<Vec<LicenseAlert>, AppError> {
    let only = (!user.role.can(Permission::ManageStaff)).then_some(user.id);
    let alerts =
        repo::expiring_licenses(pool, today + Duration::days(LICENSE_ALERT_DAYS), only).await?;
    // personnel data about others is a read worth recording; one's own alerts are not
    if alerts.iter().any(|a| a.user_id != user.id) {
        record(
            &mut *pool.acquire().await?,
            AuditEvent::new(actions::LICENSE_ALERTS_VIEW, Outcome::Success, meta)
                .by(user)
                .detail(serde_json::json!({ "alerts": alerts.len() })),
        )
        .await?;
    }
    Ok(alerts)
}

/// People who may supervise, for the profile form.
pub async fn supervisor_options(
    pool: &PgPool,
    user: &CurrentUser,
) -> Result<Vec<crate::clients::types::ClinicianOption>, AppError> {
    user.require(Permission::ManageStaff)?;
    repo::supervisor_options(pool).await
}
