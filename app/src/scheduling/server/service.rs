//! Booking, moving and the lifecycle of appointments. Admin and front desk manage the calendar. A
//! double booking is refused by PostgreSQL (no-overlap constraints); the refusal comes back as a
//! sentence naming the appointment in the way.

use super::repo;
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::clients::types::parse_optional;
use crate::error::{AppError, Validator};
use crate::ids::{AppointmentId, AppointmentTypeId, ClientId, LocationId, RoomId, UserId};
use crate::scheduling::types::*;
use crate::settings::server::clock;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use sqlx::PgPool;

/// Which no-overlap rule refused a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlap {
    Clinician,
    Room,
    Client,
}

impl Overlap {
    pub fn as_str(self) -> &'static str {
        match self {
            Overlap::Clinician => "clinician",
            Overlap::Room => "room",
            Overlap::Client => "client",
        }
    }

    fn of(e: &sqlx::Error) -> Option<Overlap> {
        match e.as_database_error()?.constraint()? {
            "appointments_clinician_no_overlap" => Some(Overlap::Clinician),
            "appointments_room_no_overlap" => Some(Overlap::Room),
            "appointments_client_no_overlap" => Some(Overlap::Client),
            _ => None,
        }
    }
}

/// A wall-clock time at the practice as an instant. A time the clocks skip (spring forward) is
/// refused; a time that happens twice (fall back) is the first of the two.
pub fn instant(date: NaiveDate, time: NaiveTime, zone: Tz) -> Result<DateTime<Utc>, String> {
    zone.from_local_datetime(&date.and_time(time))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| "That time does not exist on this day: the clocks move forward.".into())
}

/// A validated booking, its times already in UTC.
#[derive(Debug, Clone)]
pub struct NewAppointment {
    pub appointment_type: AppointmentTypeId,
    pub clinician: UserId,
    pub clients: Vec<ClientId>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub location: Option<LocationId>,
    pub room: Option<RoomId>,
    pub telehealth: bool,
    pub meeting_url: Option<String>,
    pub front_desk_note: Option<String>,
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
                .map(|s| parse_id::<ClientId>(s, "a client").map(|c| c.expect("not empty")))
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
        v.finish()?;
        let ok = "validated above";
        let kind = kind.expect(ok);
        let Some(minutes) = minutes.expect(ok).or_else(|| default_minutes(kind)) else {
            return Err(AppError::field(
                "appointment_type_id",
                "Choose an active appointment type.",
            ));
        };
        let starts_at = starts.expect(ok);
        Ok(NewAppointment {
            appointment_type: kind,
            clinician: clinician.expect(ok),
            clients: clients.expect(ok),
            starts_at,
            ends_at: starts_at + Duration::minutes(i64::from(minutes)),
            location: location.expect(ok),
            room: room.expect(ok),
            telehealth,
            meeting_url: url.expect(ok),
            front_desk_note: note.expect(ok),
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
    let when = format!(
        "{} to {}",
        clock::date_time(c.starts_at, zone),
        c.ends_at.with_timezone(&zone).format("%-I:%M %p")
    );
    AppError::Conflict(match overlap {
        Overlap::Clinician => format!(
            "{} already has {} on {when}.",
            c.clinician_name, c.appointment_type
        ),
        Overlap::Room => format!(
            "{} is taken by {} with {} on {when}.",
            c.room_name.unwrap_or_else(|| "The room".into()),
            c.appointment_type,
            c.clinician_name
        ),
        Overlap::Client => format!(
            "The client already has {} with {} on {when}.",
            c.appointment_type, c.clinician_name
        ),
    })
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
    if !crate::clients::server::repo::is_active_clinician(&mut conn, appointment.clinician).await? {
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
    drop(conn);

    let mut tx = pool.begin().await?;
    let id = match repo::insert(&mut tx, &appointment, user.id).await {
        Ok(id) => id,
        Err(e) => {
            drop(tx);
            return Err(match Overlap::of(&e) {
                Some(overlap) => conflict(pool, zone, overlap, &appointment.slot(), None).await,
                None => e.into(),
            });
        }
    };
    repo::insert_status_change(
        &mut tx,
        id,
        None,
        AppointmentStatus::Scheduled,
        None,
        user.id,
    )
    .await?;
    record(
        &mut tx,
        event("scheduling.book", user, meta, id, &appointment.clients),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Moves an appointment to another time (and length), keeping everything else.
pub async fn reschedule(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: AppointmentId,
    date: &str,
    start_time: &str,
    minutes: &str,
) -> Result<(), AppError> {
    user.require(Permission::ManageSchedule)?;
    let mut v = Validator::new();
    let day = v.check("date", parse_day(date));
    let time = v.check("start_time", parse_start(start_time));
    let length = v.check("minutes", parse_minutes(minutes));
    v.finish()?;
    let mut tx = pool.begin().await?;
    let zone = clock::practice_zone(&mut tx).await?;
    let starts_at = instant(day.expect("validated"), time.expect("validated"), zone)
        .map_err(|m| AppError::field("start_time", m))?;
    let (status, clinician, old_start, old_end) = repo::lock(&mut tx, id).await?;
    if !status.holds_time() || status == AppointmentStatus::Completed {
        return Err(AppError::Conflict(format!(
            "A {} appointment cannot be moved.",
            status.label().to_lowercase()
        )));
    }
    let ends_at = starts_at
        + length
            .expect("validated")
            .map_or(old_end - old_start, |m| Duration::minutes(i64::from(m)));
    let (room, clients) = repo::attendance(&mut tx, id).await?;
    if let Err(e) = repo::move_to(&mut tx, id, starts_at, ends_at).await {
        drop(tx);
        let slot = repo::Slot {
            clinician,
            room,
            clients,
            starts_at,
            ends_at,
        };
        return Err(match Overlap::of(&e) {
            Some(overlap) => conflict(pool, zone, overlap, &slot, Some(id)).await,
            None => e.into(),
        });
    }
    record(
        &mut tx,
        event("scheduling.reschedule", user, meta, id, &clients),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Moves an appointment along its lifecycle. Cancelling needs who cancelled (`cancel_kind`) and a
/// reason; a late cancellation flags the fee.
pub async fn change_status(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: AppointmentId,
    to: &str,
    cancel_kind: &str,
    reason: &str,
) -> Result<(), AppError> {
    user.require(Permission::ManageSchedule)?;
    let to = AppointmentStatus::parse(to).map_err(|m| AppError::field("status", m))?;
    let reason = parse_optional(reason, 300).map_err(|m| AppError::field("reason", m))?;
    let cancel_kind = if to == AppointmentStatus::Cancelled {
        let mut v = Validator::new();
        let kind = v.check(
            "cancel_kind",
            crate::clients::types::parse_choice(cancel_kind, CANCEL_KINDS)
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
    let (from, ..) = repo::lock(&mut tx, id).await?;
    if !from.can_become(to) {
        return Err(AppError::Conflict(format!(
            "A {} appointment cannot become {}.",
            from.label().to_lowercase(),
            to.label().to_lowercase()
        )));
    }
    repo::set_status(&mut tx, id, to, cancel_kind.as_deref(), reason.as_deref()).await?;
    repo::insert_status_change(&mut tx, id, Some(from), to, reason.as_deref(), user.id).await?;
    let (_, clients) = repo::attendance(&mut tx, id).await?;
    record(
        &mut tx,
        event("scheduling.status_change", user, meta, id, &clients)
            .detail(serde_json::json!({ "from": from.as_str(), "to": to.as_str() })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A clinician's week. Admin, front desk and billers see every appointment; clinical staff see their
/// own (and a supervisor their supervisees') and only "busy" on others' calendars. Recorded as a read
/// (the entries carry clients' short names).
pub async fn week(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    clinician: UserId,
    any_day: NaiveDate,
) -> Result<WeekView, AppError> {
    use crate::auth::types::Role;
    let (clinician_name, supervises) = repo::clinician_for(pool, clinician, user.id).await?;
    let details = user.role.can(Permission::ManageSchedule)
        || user.role == Role::Biller
        || user.id == clinician
        || (user.role == Role::Supervisor && supervises);
    let zone = clock::practice_zone(&mut *pool.acquire().await?).await?;
    let monday = monday_of(any_day);
    let midnight = |d: NaiveDate| {
        instant(d, NaiveTime::MIN, zone)
            .or_else(|_| instant(d, NaiveTime::from_hms_opt(1, 0, 0).expect("valid"), zone))
    };
    let from = midnight(monday).map_err(|_| AppError::Internal)?;
    let to = midnight(monday + Duration::days(7)).map_err(|_| AppError::Internal)?;
    let rows = repo::week(pool, clinician, from, to).await?;
    let entries = rows
        .into_iter()
        .map(|r| {
            let local = r.starts_at.with_timezone(&zone);
            let local_end = r.ends_at.with_timezone(&zone);
            let day = (local.date_naive() - monday).num_days().clamp(0, 6) as u8;
            let start_minute = (local.time() - NaiveTime::MIN).num_minutes().max(0) as u16;
            let minutes = (r.ends_at - r.starts_at).num_minutes().clamp(5, 24 * 60) as u16;
            let time_label = format!(
                "{} – {}",
                local.format("%-I:%M %p"),
                local_end.format("%-I:%M %p")
            );
            let (title, place) = if details {
                let clients = r.clients.unwrap_or_default();
                (
                    format!("{} · {clients}", r.appointment_type),
                    if r.telehealth {
                        "Telehealth".to_owned()
                    } else {
                        r.place.unwrap_or_default()
                    },
                )
            } else {
                ("Busy".to_owned(), String::new())
            };
            CalendarEntry {
                id: r.id,
                day,
                start_minute,
                minutes,
                time_label,
                title,
                color: if details { r.color } else { "#8a94a6".into() },
                status: r.status,
                place,
                busy_only: !details,
            }
        })
        .collect();
    record(
        &mut *pool.acquire().await?,
        AuditEvent::new("scheduling.week_view", Outcome::Success, meta)
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
        entries,
    })
}
