//! Server functions of scheduling (the calendar pages come next).

use crate::error::AppError;
use crate::ids::AppointmentId;
use crate::scheduling::recurrence::Scope;
use crate::scheduling::types::*;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    auth::server::{current_user, request_meta},
    scheduling::server::service,
    state::app_state,
};

#[server(endpoint = "scheduling/appointment_types")]
pub async fn appointment_types() -> Result<Vec<AppointmentType>, AppError> {
    let state = app_state()?;
    current_user()?;
    crate::scheduling::server::repo::active_types(&state.pool).await
}

#[server(endpoint = "scheduling/book")]
pub async fn book_appointment(booking: BookingInput) -> Result<AppointmentId, AppError> {
    let state = app_state()?;
    service::book(&state.pool, &current_user()?, &request_meta(), &booking).await
}

#[server(endpoint = "scheduling/reschedule")]
pub async fn reschedule_appointment(
    id: AppointmentId,
    date: String,
    start_time: String,
    #[server(default)] minutes: String,
    /// "this" (default), "following" or "all" occurrences of its series.
    #[server(default)]
    scope: String,
    #[server(default)] override_hours: Option<String>,
) -> Result<(), AppError> {
    let state = app_state()?;
    let scope = Scope::parse(&scope).map_err(|m| AppError::field("scope", m))?;
    service::reschedule(
        &state.pool,
        &current_user()?,
        &request_meta(),
        id,
        service::Move {
            date: &date,
            start_time: &start_time,
            minutes: &minutes,
            scope,
            override_hours: override_hours.is_some(),
        },
    )
    .await
}

#[server(endpoint = "scheduling/change_status")]
pub async fn change_appointment_status(
    id: AppointmentId,
    status: String,
    #[server(default)] cancel_kind: String,
    #[server(default)] reason: String,
    #[server(default)] scope: String,
) -> Result<(), AppError> {
    let state = app_state()?;
    let scope = Scope::parse(&scope).map_err(|m| AppError::field("scope", m))?;
    service::change_status(
        &state.pool,
        &current_user()?,
        &request_meta(),
        id,
        &status,
        &cancel_kind,
        &reason,
        scope,
    )
    .await
}

/// A clinician's week; `day` is any day of it (MM/DD/YYYY or YYYY-MM-DD).
#[server(endpoint = "scheduling/week")]
pub async fn load_week(
    clinician_id: crate::ids::UserId,
    day: String,
) -> Result<WeekView, AppError> {
    let state = app_state()?;
    let day = parse_day(&day).map_err(|m| AppError::field("day", m))?;
    service::week(
        &state.pool,
        &current_user()?,
        &request_meta(),
        clinician_id,
        day,
    )
    .await
}
