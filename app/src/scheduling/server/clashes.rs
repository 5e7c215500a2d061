//! What refuses a booking or a move before it is written: another appointment holding the time
//! (named in a sentence) and the clinician's working hours.

use super::repo;
use crate::auth::server::CurrentUser;
use crate::error::AppError;
use crate::ids::{AppointmentId, UserId};
use crate::settings::server::clock;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sqlx::PgPool;

use super::repo::Overlap;

/// The sentence for a refused booking, naming the appointment in the way.
pub(super) async fn conflict(
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
pub(super) fn describe(c: &repo::Clash, overlap: Overlap, zone: Tz) -> String {
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
pub(super) async fn refuse_clashes(
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
pub(super) async fn check_working_hours(
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
