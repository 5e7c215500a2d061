//! Booking, moving and the lifecycle of appointments. Admin and front desk manage the calendar. A
//! double booking is refused by PostgreSQL (no-overlap constraints); the refusal comes back as a
//! sentence naming the appointment in the way.

use super::{holds, reminders, repo, series};
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::error::{AppError, Validator};
use crate::fields::parse_optional;
use crate::ids::{AppointmentId, AppointmentTypeId, ClientId, LocationId, RoomId, UserId};
use crate::scheduling::actions;
use crate::scheduling::recurrence::{parse_repeat, Scope};
use crate::scheduling::types::*;
use crate::settings::server::clock;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use sqlx::PgPool;

pub use super::repo::{NewAppointment, Overlap};

/// A wall-clock time at the practice as an instant. A time the clocks skip (spring forward) is
/// refused; a time that happens twice (fall back) is the first of the two.
pub fn instant(date: NaiveDate, time: NaiveTime, zone: Tz) -> Result<DateTime<Utc>, String> {
    zone.from_local_datetime(&date.and_time(time))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| "That time does not exist on this day: the clocks move forward.".into())
}

fn parse_id<T: std::str::FromStr>(raw: &str, what: &str) -> Result<Option<T>, String> {
    match raw.trim() {
        "" => Ok(None),
        v => v
            .parse()
            .map(Some)
            .map_err(|_| format!("Choose {what} from the list.")),
    }
}

impl NewAppointment {
    /// Parses the form. `default_minutes` gives the length of the chosen appointment type.
    pub fn parse(
        input: &BookingInput,
        zone: Tz,
        default_minutes: impl FnOnce(AppointmentTypeId) -> Option<i32>,
    ) -> Result<NewAppointment, AppError> {
        let mut v = Validator::new();
        let kind = v.check(
            "appointment_type_id",
            parse_id::<AppointmentTypeId>(&input.appointment_type_id, "an appointment type")
                .and_then(|t| t.ok_or_else(|| "Choose an appointment type.".into())),
        );
        let clinician = v.check(
            "clinician_id",
            parse_id::<UserId>(&input.clinician_id, "a clinician")
                .and_then(|c| c.ok_or_else(|| "Choose a clinician.".into())),
        );
        let clients = v.check(
            "client_ids",
            input
                .client_ids
                .split(',')
                .filter(|s| !s.trim().is_empty())
                .filter_map(|s| parse_id::<ClientId>(s, "a client").transpose())
                .collect::<Result<Vec<_>, _>>()
                .and_then(|c| {
                    if c.is_empty() {
                        Err("Choose the client.".to_owned())
                    } else {
                        Ok(c)
                    }
                }),
        );
        let date = v.check("date", parse_day(&input.date));
        let time = v.check("start_time", parse_start(&input.start_time));
        let minutes = v.check("minutes", parse_minutes(&input.minutes));
        let location = v.check(
            "location_id",
            parse_id::<LocationId>(&input.location_id, "a location"),
        );
        let room = v.check("room_id", parse_id::<RoomId>(&input.room_id, "a room"));
        let telehealth = input.telehealth.is_some();
        let url = v.check(
            "meeting_url",
            parse_optional(&input.meeting_url, 300).and_then(|u| match u {
                Some(u) if !u.starts_with("https://") || u.contains(char::is_whitespace) => {
                    Err("A meeting link starts with https://".to_owned())
                }
                u => Ok(u),
            }),
        );
        let note = v.check(
            "front_desk_note",
            parse_optional(&input.front_desk_note, 500),
        );
        if !telehealth && matches!(location, Some(None)) {
            v.add("location_id", "Choose a location, or mark it telehealth.");
        }
        if matches!((&location, &room), (Some(None), Some(Some(_)))) {
            v.add("room_id", "A room needs its location.");
        }
        let starts = match (date, time) {
            (Some(d), Some(t)) => v.check("start_time", instant(d, t, zone)),
            _ => None,
        };
        let (kind, minutes, starts_at, date, time, clinician, clients) =
            v.finish_with(|| Some((kind?, minutes?, starts?, date?, time?, clinician?, clients?)))?;
        let (location, room, meeting_url, front_desk_note) = (
            location.flatten(),
            room.flatten(),
            url.flatten(),
            note.flatten(),
        );
        let Some(minutes) = minutes.or_else(|| default_minutes(kind)) else {
            return Err(AppError::field(
                "appointment_type_id",
                "Choose an active appointment type.",
            ));
        };
        Ok(NewAppointment {
            date,
            time,
            minutes,
            appointment_type: kind,
            clinician,
            clients,
            starts_at,
            ends_at: starts_at + Duration::minutes(i64::from(minutes)),
            location,
            room,
            telehealth,
            meeting_url,
            front_desk_note,
        })
    }
}

impl NewAppointment {
    fn slot(&self) -> repo::Slot {
        repo::Slot {
            clinician: self.clinician,
            room: self.room,
            clients: self.clients.clone(),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
        }
    }
}

/// The sentence for a refused booking, naming the appointment in the way.
async fn conflict(
    pool: &PgPool,
    zone: Tz,
    overlap: Overlap,
    slot: &repo::Slot,
    except: Option<AppointmentId>,
) -> AppError {
    let Ok(Some(c)) = repo::find_clash(pool, overlap, slot, except).await else {
        return AppError::Conflict("That time was just taken: choose another.".into());
    };
    AppError::Conflict(describe(&c, overlap, zone))
}

/// "Dana Reyes already has Individual therapy on 12/01/2026 10:00 AM EST to 10:50 AM."
fn describe(c: &repo::Clash, overlap: Overlap, zone: Tz) -> String {
    let when = format!(
        "{} to {}",
        clock::date_time(c.starts_at, zone),
        c.ends_at.with_timezone(&zone).format("%-I:%M %p")
    );
    match overlap {
        Overlap::Clinician => format!(
            "{} already has {} on {when}.",
            c.clinician_name, c.appointment_type
        ),
        Overlap::Room => format!(
            "{} is taken by {} with {} on {when}.",
            c.room_name.as_deref().unwrap_or("The room"),
            c.appointment_type,
            c.clinician_name
        ),
        Overlap::Client => format!(
            "The client already has {} with {} on {when}.",
            c.appointment_type, c.clinician_name
        ),
    }
}

/// Every clash of a booking or move, checked before anything is written: one sentence, or for a
/// series how many dates clash and which.
async fn refuse_clashes(
    conn: &mut sqlx::PgConnection,
    zone: Tz,
    slot: &repo::Slot,
    times: &[(DateTime<Utc>, DateTime<Utc>)],
    except: &[AppointmentId],
) -> Result<(), AppError> {
    let found = repo::clashes(conn, slot, times, except).await?;
    let sentences: Vec<String> = found
        .iter()
        .map(|f| {
            let overlap = match f.overlap.as_str() {
                "clinician" => Overlap::Clinician,
                "room" => Overlap::Room,
                _ => Overlap::Client,
            };
            describe(&f.clash, overlap, zone)
        })
        .collect();
    match (sentences.len(), times.len()) {
        (0, _) => Ok(()),
        (_, 1) => Err(AppError::Conflict(sentences.concat())),
        (k, n) => Err(AppError::Conflict(format!(
            "{k} of the {n} dates clash, so nothing was booked. {}",
            sentences.join(" ")
        ))),
    }
}

/// When the clinician has working hours, each occurrence must fall inside one block of its day.
/// Outside them, only an administrator who says so may book.
async fn check_working_hours(
    conn: &mut sqlx::PgConnection,
    user: &CurrentUser,
    clinician: UserId,
    times: &[(DateTime<Utc>, DateTime<Utc>)],
    zone: Tz,
    override_hours: bool,
) -> Result<bool, AppError> {
    use chrono::Datelike;
    let hours = repo::working_hours(conn, clinician).await?;
    if hours.is_empty() {
        return Ok(false);
    }
    let outside = times.iter().find(|(s, e)| {
        let (s, e) = (s.with_timezone(&zone), e.with_timezone(&zone));
        let weekday = s.weekday().number_from_monday() as i16;
        !hours.iter().any(|(d, from, to)| {
            *d == weekday
                && s.date_naive() == e.date_naive()
                && s.time() >= *from
                && e.time() <= *to
        })
    });
    let Some((s, _)) = outside else {
        return Ok(false);
    };
    if override_hours && user.role == crate::auth::types::Role::Admin {
        return Ok(true);
    }
    let local = s.with_timezone(&zone);
    let weekday = local.weekday().number_from_monday() as i16;
    let blocks: Vec<String> = hours
        .iter()
        .filter(|(d, ..)| *d == weekday)
        .map(|(_, f, t)| format!("{} – {}", f.format("%-I:%M %p"), t.format("%-I:%M %p")))
        .collect();
    let day = crate::staff::types::weekday_name(weekday);
    let hours_then = if blocks.is_empty() {
        format!("no working hours on {day}")
    } else {
        format!("working hours on {day}: {}", blocks.join(", "))
    };
    let who = if user.role == crate::auth::types::Role::Admin {
        "Tick “Book outside working hours” to book it anyway."
    } else {
        "Only an administrator can book outside them."
    };
    Err(AppError::field(
        "start_time",
        format!(
            "{} is outside the clinician's hours ({hours_then}). {who}",
            clock::date_time(*s, zone)
        ),
    ))
}

fn event(
    action: &'static str,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: AppointmentId,
    clients: &[ClientId],
) -> AuditEvent {
    let event = AuditEvent::new(action, Outcome::Success, meta)
        .by(user)
        .entity("appointment", id);
    // one client: the event is filed under them (group sessions list them in the appointment)
    match clients {
        [one] => event.client(*one),
        _ => event,
    }
}

pub async fn book(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    input: &BookingInput,
) -> Result<AppointmentId, AppError> {
    user.require(Permission::ManageSchedule)?;
    let mut conn = pool.acquire().await?;
    let zone = clock::practice_zone(&mut conn).await?;
    let kind = match parse_id::<AppointmentTypeId>(&input.appointment_type_id, "") {
        Ok(Some(id)) => repo::active_type(&mut conn, id).await?,
        _ => None,
    };
    let appointment =
        NewAppointment::parse(input, zone, |_| kind.as_ref().map(|k| k.default_minutes))?;
    let Some(kind) = kind else {
        return Err(AppError::field(
            "appointment_type_id",
            "Choose an active appointment type.",
        ));
    };
    if appointment.clients.len() > kind.max_clients as usize {
        return Err(AppError::field(
            "client_ids",
            format!(
                "{} is for at most {} client(s).",
                kind.name, kind.max_clients
            ),
        ));
    }
    if !crate::clients::server::service::is_active_clinician(&mut conn, appointment.clinician)
        .await?
    {
        return Err(AppError::field(
            "clinician_id",
            "Choose an active clinician.",
        ));
    }
    if repo::count_current_clients(&mut conn, &appointment.clients).await?
        != appointment.clients.len() as i64
    {
        return Err(AppError::field(
            "client_ids",
            "Choose the client from the list.",
        ));
    }
    if let (Some(room), Some(location)) = (appointment.room, appointment.location) {
        if !repo::room_at(&mut conn, room, location).await? {
            return Err(AppError::field(
                "room_id",
                "Choose a room of that location.",
            ));
        }
    }
    let repeat = parse_repeat(
        appointment.date,
        &input.repeat,
        &input.every,
        &input.ends,
        &input.count,
        &input.until,
    )
    .map_err(AppError::fields)?;
    let days = match &repeat {
        Some(r) => series::dates(r).map_err(|m| AppError::field("repeat", m))?,
        None => vec![appointment.date],
    };
    let length = Duration::minutes(i64::from(appointment.minutes));
    let times = days
        .iter()
        .map(|d| {
            instant(*d, appointment.time, zone)
                .map(|s| (s, s + length))
                .map_err(|m| {
                    AppError::field("start_time", format!("{}: {m}", d.format("%m/%d/%Y")))
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let outside_hours = check_working_hours(
        &mut conn,
        user,
        appointment.clinician,
        &times,
        zone,
        input.override_hours.is_some(),
    )
    .await?;
    let slot = appointment.slot();
    refuse_clashes(&mut conn, zone, &slot, &times, &[]).await?;
    holds::refuse_held(&mut conn, zone, &slot, &times).await?;
    drop(conn);

    // every occurrence or none: the constraints still guard against a booking made meanwhile
    let mut tx = pool.begin().await?;
    let mut ids = Vec::with_capacity(times.len());
    for (starts_at, ends_at) in &times {
        let occurrence = NewAppointment {
            starts_at: *starts_at,
            ends_at: *ends_at,
            ..appointment.clone()
        };
        match repo::insert(&mut tx, &occurrence, user.id).await {
            Ok(id) => ids.push(id),
            Err(e) => {
                drop(tx);
                return Err(match Overlap::of(&e) {
                    Some(overlap) => conflict(pool, zone, overlap, &occurrence.slot(), None).await,
                    None => e.into(),
                });
            }
        }
    }
    if let Some(r) = &repeat {
        let series = repo::insert_series(&mut tx, &r.rule(), &r.summary(), user.id).await?;
        repo::join_series(&mut tx, &ids, series).await?;
    }
    for id in &ids {
        repo::insert_status_change(
            &mut tx,
            *id,
            None,
            AppointmentStatus::Scheduled,
            None,
            user.id,
        )
        .await?;
    }
    reminders::queue(&mut tx, &ids).await?;
    holds::take_up(&mut tx, &slot, &times).await?;
    let first = ids[0];
    record(
        &mut tx,
        event(actions::BOOK, user, meta, first, &appointment.clients).detail(
            serde_json::json!({ "occurrences": ids.len(), "outside_hours": outside_hours }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(first)
}

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

/// Whether `user` sees the details of `clinician`'s appointments: admin, front desk and billers see
/// every calendar; clinical staff their own, and a supervisor their supervisees'. Others see "busy".
fn sees_details(user: &CurrentUser, clinician: UserId, supervises: bool) -> bool {
    use crate::auth::types::Role;
    user.role.can(Permission::ManageSchedule)
        || user.role == Role::Biller
        || user.id == clinician
        || (user.role == Role::Supervisor && supervises)
}

/// Midnight at the practice on `day` (1 am when the clocks change at midnight).
fn midnight(day: NaiveDate, zone: Tz) -> Result<DateTime<Utc>, AppError> {
    instant(day, NaiveTime::MIN, zone)
        .or_else(|_| instant(day, NaiveTime::MIN + Duration::hours(1), zone))
        .map_err(|_| AppError::Internal)
}

/// Places a row on a grid whose first day is `first`, in the practice's zone, with details or "busy".
fn place(r: repo::WeekRow, zone: Tz, first: NaiveDate, days: i64, details: bool) -> CalendarEntry {
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
fn now_mark(zone: Tz, first: NaiveDate, days: i64) -> NowMark {
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
fn legend(entries: &[CalendarEntry]) -> Vec<(String, String)> {
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

#[derive(sqlx::FromRow)]
struct DetailsRow {
    appointment_type: String,
    color: String,
    clinician_id: UserId,
    clinician_name: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    status: AppointmentStatus,
    telehealth: bool,
    place: Option<String>,
    series: Option<String>,
    series_exception: bool,
    front_desk_note: Option<String>,
    cancel_reason: Option<String>,
    late_fee: bool,
    supervises: bool,
    client_ids: Vec<ClientId>,
    client_names: Vec<String>,
}

/// One appointment with its clients, series and history, for the viewers who may see its details
/// (as on the week view). Recorded as a read.
pub async fn details(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: AppointmentId,
) -> Result<AppointmentDetails, AppError> {
    let mut conn = pool.acquire().await?;
    let zone = clock::practice_zone(&mut conn).await?;
    let row: DetailsRow = sqlx::query_as!(
        DetailsRow,
        r#"SELECT t.name AS appointment_type, t.color, a.clinician_id, u.display_name AS clinician_name,
                a.starts_at, a.ends_at, a.status AS "status: AppointmentStatus", a.telehealth, concat_ws(' · ', l.name, r.name) AS "place?",
                s.summary AS "series?", a.series_exception, a.front_desk_note AS "front_desk_note?", a.cancel_reason AS "cancel_reason?", a.late_fee,
                EXISTS (SELECT 1 FROM staff_profiles p WHERE p.user_id = a.clinician_id AND p.supervisor_id = $2) AS "supervises!",
                coalesce(array_agg(c.id ORDER BY c.legal_last_name) FILTER (WHERE c.id IS NOT NULL), '{}') AS "client_ids!: Vec<ClientId>",
                coalesce(array_agg(coalesce(c.preferred_name, c.legal_first_name) || ' ' || c.legal_last_name
                                   ORDER BY c.legal_last_name) FILTER (WHERE c.id IS NOT NULL), '{}') AS "client_names!"
           FROM appointments a
           JOIN appointment_types t ON t.id = a.appointment_type_id
           JOIN users u ON u.id = a.clinician_id
           LEFT JOIN locations l ON l.id = a.location_id
           LEFT JOIN rooms r ON r.id = a.room_id
           LEFT JOIN appointment_series s ON s.id = a.series_id
           LEFT JOIN appointment_clients ac ON ac.appointment_id = a.id
           LEFT JOIN clients c ON c.id = ac.client_id
          WHERE a.id = $1
          GROUP BY a.id, t.id, u.id, l.id, r.id, s.id"#,
        id as _,
        user.id as _,
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let mut may_see = sees_details(user, row.clinician_id, row.supervises);
    // clinical staff also see their own clients' appointments with colleagues
    if !may_see && !row.client_ids.is_empty() {
        may_see =
            crate::clients::server::service::any_in_scope(&mut conn, user, &row.client_ids).await?;
    }
    if !may_see {
        let event = AuditEvent::new(actions::APPOINTMENT_VIEW, Outcome::Denied, meta)
            .by(user)
            .entity("appointment", id);
        return Err(crate::audit::server::record_refusal(pool, event, AppError::Forbidden).await);
    }
    type HistoryRow = (
        DateTime<Utc>,
        AppointmentStatus,
        Option<String>,
        Option<String>,
    );
    let history: Vec<HistoryRow> =
        sqlx::query!(
            r#"SELECT h.changed_at, h.to_status AS "to_status: AppointmentStatus", h.reason, u.display_name AS "by?"
         FROM appointment_status_history h
               LEFT JOIN users u ON u.id = h.changed_by
              WHERE h.appointment_id = $1 ORDER BY h.changed_at, h.id"#,
            id as _,
        )
        .map(|r| (r.changed_at, r.to_status, r.reason, r.by))
        .fetch_all(&mut *conn)
        .await?;
    let clients: Vec<(ClientId, String)> = row
        .client_ids
        .iter()
        .copied()
        .zip(row.client_names)
        .collect();
    let event = AuditEvent::new(actions::APPOINTMENT_VIEW, Outcome::Success, meta)
        .by(user)
        .entity("appointment", id);
    let event = match clients.as_slice() {
        [(one, _)] => event.client(*one),
        _ => event,
    };
    record(&mut conn, event).await?;
    let (start, end) = (
        row.starts_at.with_timezone(&zone),
        row.ends_at.with_timezone(&zone),
    );
    Ok(AppointmentDetails {
        id,
        appointment_type: row.appointment_type,
        color: row.color,
        clinician_id: row.clinician_id,
        clinician_name: row.clinician_name,
        date: start.format("%Y-%m-%d").to_string(),
        start_time: start.format("%H:%M").to_string(),
        minutes: (row.ends_at - row.starts_at).num_minutes() as i32,
        when: format!(
            "{}, {} – {}",
            start.format("%A %m/%d/%Y"),
            start.format("%-I:%M %p"),
            end.format("%-I:%M %p %Z")
        ),
        status: row.status,
        place: if row.telehealth {
            "Telehealth".into()
        } else {
            row.place.unwrap_or_default()
        },
        clients,
        series: row.series,
        exception: row.series_exception,
        front_desk_note: row.front_desk_note,
        cancel_reason: row.cancel_reason,
        late_fee: row.late_fee,
        history: history
            .into_iter()
            .map(|(at, status, reason, by)| {
                let mut line = format!("{} · {}", clock::date_time(at, zone), status.label());
                if let Some(by) = by {
                    line.push_str(&format!(" · {by}"));
                }
                if let Some(reason) = reason {
                    line.push_str(&format!(" · “{reason}”"));
                }
                line
            })
            .collect(),
        can_manage: user.role.can(Permission::ManageSchedule),
    })
}
