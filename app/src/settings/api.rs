//! Server functions of practice settings.

use crate::error::AppError;
use crate::ids::{LocationId, PayerId};
use crate::settings::types::*;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    auth::server::{current_user, request_meta},
    settings::server::service,
    state::app_state,
};

#[server(endpoint = "settings/overview")]
pub async fn load_settings() -> Result<SettingsOverview, AppError> {
    let state = app_state()?;
    service::overview(&state.pool, &current_user()?).await
}

#[server(endpoint = "settings/update_practice")]
pub async fn update_practice(practice: PracticeInput) -> Result<(), AppError> {
    let state = app_state()?;
    service::update_practice(&state.pool, &current_user()?, &request_meta(), &practice).await
}

#[server(endpoint = "settings/add_location")]
pub async fn add_location(location: LocationInput) -> Result<(), AppError> {
    let state = app_state()?;
    service::add_location(&state.pool, &current_user()?, &request_meta(), &location)
        .await
        .map(drop)
}

#[server(endpoint = "settings/add_room")]
pub async fn add_room(location_id: LocationId, room_name: String) -> Result<(), AppError> {
    let state = app_state()?;
    service::add_room(
        &state.pool,
        &current_user()?,
        &request_meta(),
        location_id,
        &room_name,
    )
    .await
}

#[server(endpoint = "settings/add_payer")]
pub async fn add_payer(payer_name: String, payer_code: String) -> Result<(), AppError> {
    let state = app_state()?;
    service::add_payer(
        &state.pool,
        &current_user()?,
        &request_meta(),
        &payer_name,
        &payer_code,
    )
    .await
    .map(drop)
}

#[server(endpoint = "settings/set_payer_active")]
pub async fn set_payer_active(id: PayerId, active: bool) -> Result<(), AppError> {
    let state = app_state()?;
    service::set_payer_active(&state.pool, &current_user()?, &request_meta(), id, active).await
}

#[server(endpoint = "settings/location_options")]
pub async fn location_options() -> Result<Vec<LocationOption>, AppError> {
    let state = app_state()?;
    current_user()?;
    service::location_options(&state.pool).await
}
