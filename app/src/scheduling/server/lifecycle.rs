//! Moving an appointment (this one, this and following, or the whole series) and its status steps.

use super::{holds, reminders, repo};
use crate::audit::server::record;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::error::{AppError, Validator};
use crate::fields::parse_optional;
use crate::ids::AppointmentId;
use crate::scheduling::actions;
use crate::scheduling::recurrence::Scope;
use crate::scheduling::types::*;
use crate::settings::server::clock;
use chrono::Duration;
use sqlx::PgPool;

use super::booking::*;
use super::clashes::*;
use super::repo::Overlap;

/// What a move asks for: the new day and start of the appointment chosen, an optional new length,
/// and which occurrences of its series follow it.
pub struct Move<'a> {
    pub date: &'a str,
    pub start_time: &'a str,
    pub minutes: &'a str,
    pub scope: Scope,
    pub override_hours: bool,
}

/// Moves an appointment (and, for "this and following" or "all", the other occurrences of its series
/// that have not happened yet, by the same number of days and to the same wall-clock time). Every
/// clash is reported before anything moves. An occurrence moved alone becomes an exception that
/// later series moves leave where it is.
pub async fn reschedule(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: AppointmentId,
    to: Move<'_>,
) -> Result<(), AppError> {
    user.require(Permission::ManageSchedule)?;
    let mut v = Validator::new();
    let day = v.check("date", parse_day(to.date));
    let time = v.check("start_time", parse_start(to.start_time));
    let length = v.check("minutes", parse_minutes(to.minutes));
    let (day, time, length) = v.finish_with(|| Some((day?, time?, length?)))?;
    let mut tx = pool.begin().await?;
    let zone = clock::practice_zone(&mut tx).await?;
    let chosen = repo::lock_one(&mut tx, id).await?;
    if !matches!(
        chosen.status,
        AppointmentStatus::Scheduled | AppointmentStatus::Confirmed
    ) {
        return Err(AppError::Conflict(format!(
            "A {} appointment cannot be moved.",
            chosen.status.label().to_lowercase()
        )));
    }
    let length = length.map_or(chosen.ends_at - chosen.starts_at, |m| {
        Duration::minutes(i64::from(m))
    });
    let shift = day - chosen.starts_at.with_timezone(&zone).date_naive();
    let moving = match (to.scope, chosen.series_id) {
        (Scope::This, _) | (_, None) => vec![chosen.clone()],
        (scope, Some(series)) => {
            let from = (scope == Scope::Following).then_some(chosen.starts_at);
            let mut rest = repo::lock_series_from(&mut tx, series, from).await?;
            rest.retain(|o| o.id == id || !o.series_exception);
            rest
        }
    };
    let times = moving
        .iter()
        .map(|o| {
            let d = o.starts_at.with_timezone(&zone).date_naive() + shift;
            instant(d, time, zone)
                .map(|s| (s, s + length))
                .map_err(|m| {
                    AppError::field("start_time", format!("{}: {m}", d.format("%m/%d/%Y")))
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let ids: Vec<AppointmentId> = moving.iter().map(|o| o.id).collect();
    let outside_hours = check_working_hours(
        &mut tx,
        user,
        chosen.clinician_id,
        &times,
        zone,
        to.override_hours,
    )
    .await?;
    let (room, clients) = repo::attendance(&mut tx, id).await?;
    let mut slot = repo::Slot {
        clinician: chosen.clinician_id,
        room,
        clients: clients.clone(),
        starts_at: times[0].0,
        ends_at: times[0].1,
    };
    refuse_clashes(&mut tx, zone, &slot, &times, &ids).await?;
    holds::refuse_held(&mut tx, zone, &slot, &times).await?;
    // in the direction of the move, so that no occurrence lands on one that has not moved yet
    let mut order: Vec<usize> = (0..moving.len()).collect();
    let chosen_at = moving.iter().position(|o| o.id == id).unwrap_or(0);
    if times[chosen_at].0 > chosen.starts_at {
        order.reverse();
    }
    for i in order {
        if let Err(e) = repo::move_to(&mut tx, moving[i].id, times[i].0, times[i].1).await {
            drop(tx);
            (slot.starts_at, slot.ends_at) = times[i];
            return Err(match Overlap::of(&e) {
                Some(overlap) => conflict(pool, zone, overlap, &slot, Some(moving[i].id)).await,
                None => e.into(),
            });
        }
    }
    if to.scope == Scope::This {
        repo::mark_exception(&mut tx, id).await?;
    }
    reminders::queue(&mut tx, &ids).await?;
    record(
        &mut tx,
        event(actions::RESCHEDULE, user, meta, id, &clients).detail(serde_json::json!({
            "scope": to.scope, "moved": ids.len(), "outside_hours": outside_hours
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Moves an appointment along its lifecycle. Cancelling needs who cancelled (`cancel_kind`) and a
/// reason; a late cancellation flags the fee. A cancellation may cover the following occurrences of
/// its series, or all of them that have not happened yet.
#[allow(clippy::too_many_arguments)]
pub async fn change_status(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: AppointmentId,
    to: &str,
    cancel_kind: &str,
    reason: &str,
    scope: Scope,
) -> Result<(), AppError> {
    user.require(Permission::ManageSchedule)?;
    let to = AppointmentStatus::parse(to).map_err(|m| AppError::field("status", m))?;
    let reason = parse_optional(reason, 300).map_err(|m| AppError::field("reason", m))?;
    let cancel_kind = if to == AppointmentStatus::Cancelled {
        let mut v = Validator::new();
        let kind = v.check(
            "cancel_kind",
            crate::fields::parse_choice(cancel_kind, CANCEL_KINDS)
                .and_then(|k| k.ok_or_else(|| "Say who cancelled.".into())),
        );
        if reason.is_none() {
            v.add("reason", "Give the reason for the cancellation.");
        }
        v.finish()?;
        kind
    } else {
        None
    };
    let mut tx = pool.begin().await?;
    let chosen = repo::lock_one(&mut tx, id).await?;
    if !chosen.status.can_become(to) {
        return Err(AppError::Conflict(format!(
            "A {} appointment cannot become {}.",
            chosen.status.label().to_lowercase(),
            to.label().to_lowercase()
        )));
    }
    let changing = match (to, scope, chosen.series_id) {
        (AppointmentStatus::Cancelled, Scope::Following | Scope::All, Some(series)) => {
            let from = (scope == Scope::Following).then_some(chosen.starts_at);
            let mut rest = repo::lock_series_from(&mut tx, series, from).await?;
            if !rest.iter().any(|o| o.id == id) {
                rest.push(chosen.clone());
            }
            rest
        }
        _ => vec![chosen.clone()],
    };
    for o in &changing {
        repo::set_status(&mut tx, o.id, to, cancel_kind.as_deref(), reason.as_deref()).await?;
        repo::insert_status_change(
            &mut tx,
            o.id,
            Some(o.status),
            to,
            reason.as_deref(),
            user.id,
        )
        .await?;
    }
    let ids: Vec<AppointmentId> = changing.iter().map(|o| o.id).collect();
    if !to.holds_time() {
        reminders::withdraw(&mut tx, &ids).await?;
    }
    let (_, clients) = repo::attendance(&mut tx, id).await?;
    record(
        &mut tx,
        event(actions::STATUS_CHANGE, user, meta, id, &clients).detail(serde_json::json!({
            "from": chosen.status.as_str(), "to": to.as_str(), "scope": scope, "changed": ids.len()
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
