//! Slots held for a waitlisted client while they consider an offer. A held time is refused to
//! anyone else until the hold runs out; booking it for the client it was offered to takes it up
//! (the offer is booked and their waitlist entry closed).

use crate::error::AppError;
use crate::settings::server::clock;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sqlx::PgConnection;

use super::repo::Slot;

fn ranges(times: &[(DateTime<Utc>, DateTime<Utc>)]) -> (Vec<DateTime<Utc>>, Vec<DateTime<Utc>>) {
    times.iter().copied().unzip()
}

/// Refuses times held for another client.
pub async fn refuse_held(
    conn: &mut PgConnection,
    zone: Tz,
    slot: &Slot,
    times: &[(DateTime<Utc>, DateTime<Utc>)],
) -> Result<(), AppError> {
    let (starts, ends) = ranges(times);
    let clients: Vec<uuid::Uuid> = slot.clients.iter().map(|c| c.0).collect();
    let held: Option<(DateTime<Utc>, DateTime<Utc>)> = sqlx::query!(
        "SELECT o.starts_at, o.hold_until
           FROM slot_offers o
           JOIN waitlist_entries w ON w.id = o.waitlist_entry_id
           JOIN unnest($2::timestamptz[], $3::timestamptz[]) AS t(s, e)
             ON tstzrange(o.starts_at, o.ends_at) && tstzrange(t.s, t.e)
          WHERE o.clinician_id = $1 AND o.status = 'open' AND o.hold_until > now()
            AND w.client_id <> ALL($4)
          ORDER BY o.starts_at LIMIT 1",
        slot.clinician as _,
        &starts,
        &ends,
        &clients,
    )
    .map(|r| (r.starts_at, r.hold_until))
    .fetch_optional(conn)
    .await?;
    match held {
        None => Ok(()),
        Some((starts_at, until)) => Err(AppError::Conflict(format!(
            "{} is held for a client on the waitlist until {}. Choose another time, or release the offer.",
            clock::date_time(starts_at, zone),
            until.with_timezone(&zone).format("%-I:%M %p")
        ))),
    }
}

/// Booking a held time for the client it was offered to: the offer is taken up and the client
/// leaves the waitlist.
pub async fn take_up(
    conn: &mut PgConnection,
    slot: &Slot,
    times: &[(DateTime<Utc>, DateTime<Utc>)],
) -> Result<(), AppError> {
    let (starts, ends) = ranges(times);
    let clients: Vec<uuid::Uuid> = slot.clients.iter().map(|c| c.0).collect();
    sqlx::query!(
        "WITH taken AS (
            UPDATE slot_offers o SET status = 'booked'
              FROM waitlist_entries w, unnest($2::timestamptz[], $3::timestamptz[]) AS t(s, e)
             WHERE w.id = o.waitlist_entry_id AND o.clinician_id = $1 AND o.status = 'open'
               AND w.client_id = ANY($4) AND tstzrange(o.starts_at, o.ends_at) && tstzrange(t.s, t.e)
            RETURNING o.waitlist_entry_id)
         UPDATE waitlist_entries SET closed_at = now(), closed_reason = 'booked'
          WHERE id IN (SELECT waitlist_entry_id FROM taken) AND closed_at IS NULL",
        slot.clinician as _,
        &starts,
        &ends,
        &clients,
    )
    .execute(conn)
    .await?;
    Ok(())
}
