//! Server functions of scheduling: the calendar views, booking and changes, the waitlist and feeds.

use crate::error::AppError;
use crate::ids::AppointmentId;
#[cfg(feature = "ssr")]
use crate::scheduling::recurrence::Scope;
use crate::scheduling::types::*;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{ctx::Ctx, scheduling::server::service};

#[server(endpoint = "scheduling/appointment_types")]
pub async fn appointment_types() -> Result<Vec<AppointmentType>, AppError> {
    let ctx = Ctx::current()?;
    crate::scheduling::server::repo::active_types(&ctx.pool).await
}

#[server(endpoint = "scheduling/book")]
pub async fn book_appointment(booking: BookingInput) -> Result<AppointmentId, AppError> {
    let ctx = Ctx::current()?;
    service::book(&ctx.pool, &ctx.user, &ctx.meta, &booking).await
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
    let ctx = Ctx::current()?;
    let scope = Scope::parse(&scope).map_err(|m| AppError::field("scope", m))?;
    service::reschedule(
        &ctx.pool,
        &ctx.user,
        &ctx.meta,
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
    let ctx = Ctx::current()?;
    let scope = Scope::parse(&scope).map_err(|m| AppError::field("scope", m))?;
    service::change_status(
        &ctx.pool,
        &ctx.user,
        &ctx.meta,
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
    let ctx = Ctx::current()?;
    let day = parse_day(&day).map_err(|m| AppError::field("day", m))?;
    service::week(&ctx.pool, &ctx.user, &ctx.meta, clinician_id, day).await
}

/// One appointment for its panel (clients, series, history).
#[server(endpoint = "scheduling/appointment")]
pub async fn load_appointment(id: AppointmentId) -> Result<AppointmentDetails, AppError> {
    let ctx = Ctx::current()?;
    service::details(&ctx.pool, &ctx.user, &ctx.meta, id).await
}

#[server(endpoint = "scheduling/waitlist")]
pub async fn load_waitlist() -> Result<Vec<crate::scheduling::waitlist::WaitlistEntry>, AppError> {
    let ctx = Ctx::current()?;
    crate::scheduling::server::waitlist::list(&ctx.pool, &ctx.user, &ctx.meta).await
}

#[server(endpoint = "scheduling/waitlist_add")]
pub async fn add_to_waitlist(
    entry: crate::scheduling::waitlist::WaitlistInput,
) -> Result<crate::scheduling::waitlist::WaitlistEntryId, AppError> {
    let ctx = Ctx::current()?;
    crate::scheduling::server::waitlist::add(&ctx.pool, &ctx.user, &ctx.meta, &entry).await
}

#[server(endpoint = "scheduling/waitlist_withdraw")]
pub async fn withdraw_from_waitlist(
    entry: crate::scheduling::waitlist::WaitlistEntryId,
) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    crate::scheduling::server::waitlist::withdraw(&ctx.pool, &ctx.user, &ctx.meta, entry).await
}

/// Waitlisted clients who fit the time a cancelled or no-show appointment freed, best first.
#[server(endpoint = "scheduling/waitlist_matches")]
pub async fn waitlist_matches(
    appointment: AppointmentId,
) -> Result<Vec<crate::scheduling::waitlist::SlotMatch>, AppError> {
    let ctx = Ctx::current()?;
    crate::scheduling::server::waitlist::matches(&ctx.pool, &ctx.user, &ctx.meta, appointment).await
}

/// Offers the freed time to a waitlisted client: a message in the outbox and a hold on the time.
#[server(endpoint = "scheduling/offer_slot")]
pub async fn offer_slot(
    appointment: AppointmentId,
    entry: crate::scheduling::waitlist::WaitlistEntryId,
) -> Result<String, AppError> {
    let ctx = Ctx::current()?;
    crate::scheduling::server::waitlist::offer(&ctx.pool, &ctx.user, &ctx.meta, appointment, entry)
        .await
}

/// Messages that failed or had no transport (admins).
#[server(endpoint = "scheduling/outbox_problems")]
pub async fn outbox_problems() -> Result<Vec<OutboxProblem>, AppError> {
    let ctx = Ctx::current()?;
    crate::scheduling::server::outbox::problems(&ctx.pool, &ctx.user).await
}

/// One day for several clinicians (comma-separated ids, at most ten; empty: a sensible default).
#[server(endpoint = "scheduling/day")]
pub async fn load_day(
    day: String,
    #[server(default)] clinicians: String,
) -> Result<DayView, AppError> {
    let ctx = Ctx::current()?;
    let day = parse_day(&day).map_err(|m| AppError::field("day", m))?;
    let clinicians = clinicians
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| c.parse::<crate::ids::UserId>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| AppError::field("clinicians", "Choose clinicians from the list."))?;
    service::day(&ctx.pool, &ctx.user, &ctx.meta, clinicians, day).await
}

/// Whether the caller's private calendar feed is on (since when).
#[server(endpoint = "scheduling/feed_status")]
pub async fn feed_status() -> Result<Option<chrono::DateTime<chrono::Utc>>, AppError> {
    let ctx = Ctx::current()?;
    crate::scheduling::server::feeds::status(&ctx.pool, &ctx.user).await
}

/// Turns the caller's feed on with a new secret address (shown once; an older one stops working).
#[server(endpoint = "scheduling/feed_enable")]
pub async fn enable_feed() -> Result<String, AppError> {
    let ctx = Ctx::current()?;
    let token = crate::scheduling::server::feeds::enable(&ctx.pool, &ctx.user, &ctx.meta).await?;
    Ok(format!("{}/feeds/{token}.ics", ctx.config.public_origin))
}

#[server(endpoint = "scheduling/feed_revoke")]
pub async fn revoke_feed() -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    crate::scheduling::server::feeds::revoke(&ctx.pool, &ctx.user, &ctx.meta).await
}

/// A clinician's month; `day` is any day of it.
#[server(endpoint = "scheduling/month")]
pub async fn load_month(
    clinician_id: crate::ids::UserId,
    day: String,
) -> Result<MonthView, AppError> {
    let ctx = Ctx::current()?;
    let day = parse_day(&day).map_err(|m| AppError::field("day", m))?;
    service::month(&ctx.pool, &ctx.user, &ctx.meta, clinician_id, day).await
}
