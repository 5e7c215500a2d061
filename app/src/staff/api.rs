//! Server functions of the staff module.

use crate::clients::types::ClinicianOption;
use crate::error::AppError;
use crate::ids::{UserId, WorkingHoursId};
use crate::staff::types::*;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    auth::server::{current_user, request_meta},
    staff::server::service,
    state::app_state,
};

#[server(endpoint = "staff/directory")]
pub async fn staff_directory() -> Result<Vec<StaffSummary>, AppError> {
    let state = app_state()?;
    service::directory(&state.pool, &current_user()?, &request_meta()).await
}

#[server(endpoint = "staff/profile")]
pub async fn load_staff_profile(user_id: UserId) -> Result<StaffProfile, AppError> {
    let state = app_state()?;
    service::profile(&state.pool, &current_user()?, &request_meta(), user_id).await
}

#[server(endpoint = "staff/update_profile")]
pub async fn update_staff_profile(user_id: UserId, profile: ProfileInput) -> Result<(), AppError> {
    let state = app_state()?;
    service::update_profile(
        &state.pool,
        &current_user()?,
        &request_meta(),
        user_id,
        &profile,
    )
    .await
}

#[server(endpoint = "staff/add_license")]
pub async fn add_license(user_id: UserId, license: LicenseInput) -> Result<(), AppError> {
    let state = app_state()?;
    service::add_license(
        &state.pool,
        &current_user()?,
        &request_meta(),
        user_id,
        &license,
    )
    .await
}

#[server(endpoint = "staff/add_hours")]
pub async fn add_hours(user_id: UserId, hours: HoursInput) -> Result<(), AppError> {
    let state = app_state()?;
    service::add_hours(
        &state.pool,
        &current_user()?,
        &request_meta(),
        user_id,
        &hours,
    )
    .await
}

#[server(endpoint = "staff/remove_hours")]
pub async fn remove_hours(id: WorkingHoursId) -> Result<(), AppError> {
    let state = app_state()?;
    service::remove_hours(&state.pool, &current_user()?, &request_meta(), id).await
}

#[server(endpoint = "staff/license_alerts")]
pub async fn license_alerts() -> Result<Vec<LicenseAlert>, AppError> {
    let state = app_state()?;
    service::license_alerts(
        &state.pool,
        &current_user()?,
        &request_meta(),
        chrono::Utc::now().date_naive(),
    )
    .await
}

#[server(endpoint = "staff/supervisor_options")]
pub async fn supervisor_options() -> Result<Vec<ClinicianOption>, AppError> {
    let state = app_state()?;
    service::supervisor_options(&state.pool, &current_user()?).await
}
