//! A booking: the form parsed into a checked appointment (or series) at the practice's wall-clock
//! time, and written with its reminders; clashes and working hours are checked first.

use super::{holds, reminders, repo, series};
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::error::{AppError, Validator};
use crate::fields::parse_optional;
use crate::ids::{AppointmentId, AppointmentTypeId, ClientId, LocationId, RoomId, UserId};
use crate::scheduling::actions;
use crate::scheduling::recurrence::parse_repeat;
use crate::scheduling::types::*;
use crate::settings::server::clock;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use sqlx::PgPool;

use super::clashes::*;
use super::repo::{NewAppointment, Overlap};

/// A wall-clock time at the practice as an instant. A time the clocks skip (spring forward) is
/// refused; a time that happens twice (fall back) is the first of the two.
pub fn instant(date: NaiveDate, time: NaiveTime, zone: Tz) -> Result<DateTime<Utc>, String> {
    zone.from_local_datetime(&date.and_time(time))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| "That time does not exist on this day: the clocks move forward.".into())
}

pub(super) fn parse_id<T: std::str::FromStr>(raw: &str, what: &str) -> Result<Option<T>, String> {
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

/// An audit event about an appointment, filed under its client when there is one.
pub(super) fn event(
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
