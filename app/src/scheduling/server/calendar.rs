//! The calendar views: a clinician's week and month, and the day of several clinicians, each entry
//! placed in the practice's time zone; details only for those who may see them.

use super::repo;
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::error::AppError;
use crate::ids::UserId;
use crate::scheduling::actions;
use crate::scheduling::types::*;
use crate::settings::server::clock;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use sqlx::PgPool;

use super::booking::*;

/// Whether `user` sees the details of `clinician`'s appointments: admin, front desk and billers see
/// every calendar; clinical staff their own, and a supervisor their supervisees'. Others see "busy".
pub(super) fn sees_details(user: &CurrentUser, clinician: UserId, supervises: bool) -> bool {
    use crate::auth::types::Role;
    user.role.can(Permission::ManageSchedule)
        || user.role == Role::Biller
        || user.id == clinician
        || (user.role == Role::Supervisor && supervises)
}

/// Midnight at the practice on `day` (1 am when the clocks change at midnight).
pub(super) fn midnight(day: NaiveDate, zone: Tz) -> Result<DateTime<Utc>, AppError> {
    instant(day, NaiveTime::MIN, zone)
        .or_else(|_| instant(day, NaiveTime::MIN + Duration::hours(1), zone))
        .map_err(|_| AppError::Internal)
}

/// Places a row on a grid whose first day is `first`, in the practice's zone, with details or "busy".
pub(super) fn place(
    r: repo::WeekRow,
    zone: Tz,
    first: NaiveDate,
    days: i64,
    details: bool,
) -> CalendarEntry {
    let local = r.starts_at.with_timezone(&zone);
    let local_end = r.ends_at.with_timezone(&zone);
    let day = (local.date_naive() - first).num_days().clamp(0, days - 1) as u8;
    let start_minute = (local.time() - NaiveTime::MIN).num_minutes().max(0) as u16;
    let minutes = (r.ends_at - r.starts_at).num_minutes().clamp(5, 24 * 60) as u16;
    let time_label = format!(
        "{} – {}",
        local.format("%-I:%M %p"),
        local_end.format("%-I:%M %p")
    );
    let location = if r.telehealth {
        "Telehealth".to_owned()
    } else {
        r.location.clone().unwrap_or_default()
    };
    if !details {
        return CalendarEntry {
            id: r.id,
            day,
            start_minute,
            minutes,
            time_label,
            title: "Busy".into(),
            color: "#8a94a6".into(),
            status: r.status,
            place: String::new(),
            kind: String::new(),
            location: String::new(),
            busy_only: true,
            undocumented: false,
        };
    }
    CalendarEntry {
        id: r.id,
        day,
        start_minute,
        minutes,
        time_label,
        title: format!("{} · {}", r.appointment_type, r.clients.unwrap_or_default()),
        color: r.color,
        status: r.status,
        place: if r.telehealth {
            "Telehealth".to_owned()
        } else {
            r.place.unwrap_or_default()
        },
        kind: r.appointment_type,
        location,
        busy_only: false,
        undocumented: r.undocumented,
    }
}

/// Where now is on a grid of `days` days from `first`.
pub(super) fn now_mark(zone: Tz, first: NaiveDate, days: i64) -> NowMark {
    let now = Utc::now().with_timezone(&zone);
    let day = (now.date_naive() - first).num_days();
    (0..days).contains(&day).then(|| {
        (
            day as u8,
            (now.time() - NaiveTime::MIN).num_minutes() as u16,
        )
    })
}

/// The appointment types shown (with details), once each, by name.
pub(super) fn legend(entries: &[CalendarEntry]) -> Vec<(String, String)> {
    let mut types: Vec<(String, String)> = entries
        .iter()
        .filter(|e| !e.busy_only)
        .map(|e| (e.kind.clone(), e.color.clone()))
        .collect();
    types.sort();
    types.dedup();
    types
}

/// A clinician's week: one query, placed in the practice's zone. Recorded as a read (the entries
/// carry clients' short names).
pub async fn week(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    clinician: UserId,
    any_day: NaiveDate,
) -> Result<WeekView, AppError> {
    let (clinician_name, supervises) = repo::clinician_for(pool, clinician, user.id).await?;
    let details = sees_details(user, clinician, supervises);
    let zone = clock::practice_zone(&mut *pool.acquire().await?).await?;
    let monday = monday_of(any_day);
    let from = midnight(monday, zone)?;
    let to = midnight(monday + Duration::days(7), zone)?;
    let rows = repo::week(pool, &[clinician], from, to).await?;
    let entries: Vec<CalendarEntry> = rows
        .into_iter()
        .map(|r| place(r, zone, monday, 7, details))
        .collect();
    record(
        &mut *pool.acquire().await?,
        AuditEvent::new(actions::WEEK_VIEW, Outcome::Success, meta)
            .by(user)
            .entity("calendar", clinician)
            .detail(serde_json::json!({ "monday": monday, "details": details })),
    )
    .await?;
    Ok(WeekView {
        clinician_id: clinician,
        clinician_name,
        monday,
        day_labels: (0..7)
            .map(|d| (monday + Duration::days(d)).format("%a %m/%d").to_string())
            .collect(),
        legend: legend(&entries),
        entries,
        now: now_mark(zone, monday, 7),
    })
}

/// A clinician's month in whole weeks, each day with its count and first appointments: one query.
pub async fn month(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    clinician: UserId,
    any_day: NaiveDate,
) -> Result<MonthView, AppError> {
    use chrono::Datelike;
    let (clinician_name, supervises) = repo::clinician_for(pool, clinician, user.id).await?;
    let details = sees_details(user, clinician, supervises);
    let zone = clock::practice_zone(&mut *pool.acquire().await?).await?;
    let first_of_month = crate::scheduling::types::first_of_month(any_day);
    let start = monday_of(first_of_month);
    let next_month = crate::scheduling::types::first_of_next_month(any_day);
    let weeks = ((next_month - start).num_days() + 6) / 7;
    let days = weeks * 7;
    let rows = repo::week(
        pool,
        &[clinician],
        midnight(start, zone)?,
        midnight(start + Duration::days(days), zone)?,
    )
    .await?;
    let mut cells: Vec<MonthDay> = (0..days)
        .map(|d| {
            let date = start + Duration::days(d);
            MonthDay {
                date,
                in_month: date.month() == first_of_month.month(),
                count: 0,
                first: Vec::new(),
            }
        })
        .collect();
    for r in rows {
        let e = place(r, zone, start, days, details);
        if !e.status.holds_time() {
            continue;
        }
        let cell = &mut cells[usize::from(e.day)];
        cell.count += 1;
        if cell.first.len() < 3 {
            let time = e
                .time_label
                .split(" – ")
                .next()
                .unwrap_or_default()
                .to_owned();
            cell.first.push(format!("{time} {}", e.title));
        }
    }
    record(
        &mut *pool.acquire().await?,
        AuditEvent::new(actions::MONTH_VIEW, Outcome::Success, meta)
            .by(user)
            .entity("calendar", clinician)
            .detail(serde_json::json!({ "month": first_of_month, "details": details })),
    )
    .await?;
    Ok(MonthView {
        clinician_id: clinician,
        clinician_name,
        label: first_of_month.format("%B %Y").to_string(),
        days: cells,
    })
}

/// One day for several clinicians (at most `DAY_VIEW_MAX`), side by side, from one query. Nobody
/// chosen: the viewer and their supervisees, or the first clinicians for the front desk.
pub async fn day(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    mut clinicians: Vec<UserId>,
    date: NaiveDate,
) -> Result<DayView, AppError> {
    if clinicians.len() > DAY_VIEW_MAX {
        return Err(AppError::field(
            "clinicians",
            format!("Choose at most {DAY_VIEW_MAX} clinicians."),
        ));
    }
    if clinicians.is_empty() {
        let everyone = user.role.can(Permission::ViewAllClients);
        clinicians =
            repo::default_day_clinicians(pool, user.id, everyone, DAY_VIEW_MAX as i64).await?;
    }
    let who = repo::clinicians_for(pool, &clinicians, user.id).await?;
    let zone = clock::practice_zone(&mut *pool.acquire().await?).await?;
    let from = midnight(date, zone)?;
    let to = midnight(date + Duration::days(1), zone)?;
    let ids: Vec<UserId> = who.iter().map(|w| w.0).collect();
    let mut rows = repo::week(pool, &ids, from, to).await?;
    let columns: Vec<DayColumn> = who
        .into_iter()
        .map(|(id, name, supervises)| {
            let details = sees_details(user, id, supervises);
            let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut rows)
                .into_iter()
                .partition(|r| r.clinician_id == id);
            rows = rest;
            DayColumn {
                clinician_id: id,
                clinician_name: name,
                entries: mine
                    .into_iter()
                    .map(|r| place(r, zone, date, 1, details))
                    .collect(),
            }
        })
        .collect();
    let all: Vec<CalendarEntry> = columns.iter().flat_map(|c| c.entries.clone()).collect();
    record(
        &mut *pool.acquire().await?,
        AuditEvent::new(actions::DAY_VIEW, Outcome::Success, meta)
            .by(user)
            .detail(serde_json::json!({ "date": date, "clinicians": ids })),
    )
    .await?;
    Ok(DayView {
        date,
        label: date.format("%A, %B %-d, %Y").to_string(),
        legend: legend(&all),
        columns,
        now: now_mark(zone, date, 1),
    })
}
