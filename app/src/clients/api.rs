//! Server functions of the clients module.

use crate::clients::types::*;
use crate::error::AppError;
use crate::ids::ClientId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    auth::server::{current_user, request_meta},
    clients::server::service,
    state::app_state,
};

/// Today in the practice's time zone would be better; UTC is within a day of it for US zones and only
/// bounds the "not in the future" check of a date of birth.
#[cfg(feature = "ssr")]
fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

#[server(endpoint = "clients/search")]
pub async fn search_clients(query: ClientQuery) -> Result<ClientPage, AppError> {
    let state = app_state()?;
    service::search(&state.pool, &current_user()?, &request_meta(), &query).await
}

#[server(endpoint = "clients/create")]
pub async fn create_client(client: ClientInput) -> Result<ClientId, AppError> {
    let state = app_state()?;
    service::create(
        &state.pool,
        &current_user()?,
        &request_meta(),
        &client,
        today(),
    )
    .await
}

#[server(endpoint = "clients/chart")]
pub async fn open_client_chart(id: ClientId) -> Result<ClientChart, AppError> {
    let state = app_state()?;
    service::chart(&state.pool, &current_user()?, &request_meta(), id).await
}

#[server(endpoint = "clients/change_status")]
pub async fn change_client_status(
    id: ClientId,
    status: String,
    reason: String,
) -> Result<(), AppError> {
    let state = app_state()?;
    service::change_status(
        &state.pool,
        &current_user()?,
        &request_meta(),
        id,
        &status,
        &reason,
    )
    .await
}

#[server(endpoint = "clients/clinician_options")]
pub async fn clinician_options() -> Result<Vec<ClinicianOption>, AppError> {
    let state = app_state()?;
    service::clinician_options(&state.pool, &current_user()?).await
}
