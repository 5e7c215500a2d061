//! Server functions of the staff module.

use crate::clients::types::ClinicianOption;
use crate::error::AppError;
use crate::ids::{UserId, WorkingHoursId};
use crate::staff::types::*;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{ctx::Ctx, staff::server::service};

#[server(endpoint = "staff/directory")]
pub async fn staff_directory() -> Result<Vec<StaffSummary>, AppError> {
    let ctx = Ctx::current()?;
    service::directory(&ctx.pool, &ctx.user, &ctx.meta).await
}

#[server(endpoint = "staff/profile")]
pub async fn load_staff_profile(user_id: UserId) -> Result<StaffProfile, AppError> {
    let ctx = Ctx::current()?;
    service::profile(&ctx.pool, &ctx.user, &ctx.meta, user_id).await
}

#[server(endpoint = "staff/update_profile")]
pub async fn update_staff_profile(user_id: UserId, profile: ProfileInput) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    service::update_profile(&ctx.pool, &ctx.user, &ctx.meta, user_id, &profile).await
}

#[server(endpoint = "staff/add_license")]
pub async fn add_license(user_id: UserId, license: LicenseInput) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    service::add_license(&ctx.pool, &ctx.user, &ctx.meta, user_id, &license).await
}

#[server(endpoint = "staff/add_hours")]
pub async fn add_hours(user_id: UserId, hours: HoursInput) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    service::add_hours(&ctx.pool, &ctx.user, &ctx.meta, user_id, &hours).await
}

#[server(endpoint = "staff/remove_hours")]
pub async fn remove_hours(id: WorkingHoursId) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    service::remove_hours(&ctx.pool, &ctx.user, &ctx.meta, id).await
}

#[server(endpoint = "staff/license_alerts")]
pub async fn license_alerts() -> Result<Vec<LicenseAlert>, AppError> {
    let ctx = Ctx::current()?;
    service::license_alerts(
        &ctx.pool,
        &ctx.user,
        &ctx.meta,
        chrono::Utc::now().date_naive(),
    )
    .await
}

#[server(endpoint = "staff/supervisor_options")]
pub async fn supervisor_options() -> Result<Vec<ClinicianOption>, AppError> {
    let ctx = Ctx::current()?;
    service::supervisor_options(&ctx.pool, &ctx.user).await
}
