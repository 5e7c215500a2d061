//! Server functions of practice settings.

use crate::error::AppError;
use crate::ids::{LocationId, PayerId};
use crate::settings::types::*;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{ctx::Ctx, settings::server::service};

#[server(endpoint = "settings/overview")]
pub async fn load_settings() -> Result<SettingsOverview, AppError> {
    let ctx = Ctx::current()?;
    service::overview(&ctx.pool, &ctx.user).await
}

#[server(endpoint = "settings/update_practice")]
pub async fn update_practice(practice: PracticeInput) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    service::update_practice(&ctx.pool, &ctx.user, &ctx.meta, &practice).await
}

#[server(endpoint = "settings/update_billing_identity")]
pub async fn update_billing_identity(billing: BillingIdentityInput) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    service::update_billing_identity(&ctx.pool, &ctx.user, &ctx.meta, &billing).await
}

#[server(endpoint = "settings/add_location")]
pub async fn add_location(location: LocationInput) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    service::add_location(&ctx.pool, &ctx.user, &ctx.meta, &location)
        .await
        .map(drop)
}

#[server(endpoint = "settings/add_room")]
pub async fn add_room(location_id: LocationId, room_name: String) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    service::add_room(&ctx.pool, &ctx.user, &ctx.meta, location_id, &room_name).await
}

#[server(endpoint = "settings/add_payer")]
pub async fn add_payer(payer_name: String, payer_code: String) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    service::add_payer(&ctx.pool, &ctx.user, &ctx.meta, &payer_name, &payer_code)
        .await
        .map(drop)
}

#[server(endpoint = "settings/set_payer_active")]
pub async fn set_payer_active(id: PayerId, active: bool) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    service::set_payer_active(&ctx.pool, &ctx.user, &ctx.meta, id, active).await
}

#[server(endpoint = "settings/location_options")]
pub async fn location_options() -> Result<Vec<LocationOption>, AppError> {
    let ctx = Ctx::current()?;
    service::location_options(&ctx.pool).await
}
