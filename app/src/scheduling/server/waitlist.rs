//! The waitlist (front desk and admin): entries with preferences, the ranked clients who fit a freed
//! slot, and offering that slot in one step — an outbox message and a hold on the time.

use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::error::{AppError, Validator};
use crate::fields::{parse_choice, parse_optional};
use crate::ids::{AppointmentId, ClientId, UserId};
use crate::scheduling::actions;
use crate::scheduling::types::AppointmentStatus;
use crate::scheduling::waitlist::*;
use crate::settings::server::clock;
use chrono::{DateTime, Datelike, NaiveTime, Utc};
use sqlx::PgPool;

/// A checked query for open [`WaitlistEntry`]s, then `$tail` (more conditions, ORDER BY). A macro:
/// query macros take only literals.
macro_rules! open_entries {
    ($tail:tt $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            WaitlistEntry,
            r#"SELECT w.id, w.client_id,
                      coalesce(c.preferred_name, c.legal_first_name) || ' ' || c.legal_last_name AS "client_name!",
                      w.clinician_id AS "clinician_id?: UserId", u.display_name AS "clinician_name?", w.weekdays,
                      to_char(w.earliest, 'FMHH12:MI AM') || ' – ' || to_char(w.latest, 'FMHH12:MI AM') AS "hours!",
                      w.modality, w.urgency, w.note AS "note?", (current_date - w.added_at::date)::int AS "days_waiting!",
                      (SELECT to_char(o.hold_until AT TIME ZONE p.time_zone, 'FMHH12:MI AM') FROM slot_offers o
                        WHERE o.waitlist_entry_id = w.id AND o.status = 'open' AND o.hold_until > now()
                        ORDER BY o.hold_until DESC LIMIT 1) AS "offered_until?"
                 FROM waitlist_entries w
                 JOIN clients c ON c.id = w.client_id
                 LEFT JOIN users u ON u.id = w.clinician_id
                CROSS JOIN practice p
                WHERE w.closed_at IS NULL "# + $tail
            $(, $arg)*
        )
    };
}

/// A validated entry.
struct NewEntry {
    client: ClientId,
    clinician: Option<UserId>,
    weekdays: Vec<i16>,
    earliest: NaiveTime,
    latest: NaiveTime,
    modality: String,
    urgency: i16,
    note: Option<String>,
}

fn parse(input: &WaitlistInput) -> Result<NewEntry, AppError> {
    let mut v = Validator::new();
    let client = v.check(
        "client_id",
        input
            .client_id
            .trim()
            .parse::<ClientId>()
            .map_err(|_| "Choose the client.".to_owned()),
    );
    let clinician = v.check(
        "clinician_id",
        match input.clinician_id.trim() {
            "" => Ok(None),
            c => c
                .parse::<UserId>()
                .map(Some)
                .map_err(|_| "Choose a clinician from the list.".to_owned()),
        },
    );
    let weekdays = v.check("weekdays", parse_weekdays(&input.weekdays));
    let time = |raw: &str, default: &str| {
        crate::staff::types::parse_time_of_day(if raw.trim().is_empty() { default } else { raw })
    };
    let earliest = v.check("earliest", time(&input.earliest, "8:00"));
    let latest = v.check("latest", time(&input.latest, "20:00"));
    if let (Some(e), Some(l)) = (earliest, latest) {
        if l <= e {
            v.add("latest", "The latest time comes after the earliest.");
        }
    }
    let modality = v.check("modality", parse_choice(&input.modality, MODALITIES));
    let urgency = v.check("urgency", parse_choice(&input.urgency, URGENCIES));
    let note = v.check("note", parse_optional(&input.note, 300));
    v.finish_with(|| {
        Some(NewEntry {
            client: client?,
            clinician: clinician?,
            weekdays: weekdays?,
            earliest: earliest?,
            latest: latest?,
            modality: modality?.unwrap_or_else(|| "either".into()),
            urgency: urgency?.and_then(|u| u.parse().ok()).unwrap_or(1),
            note: note?,
        })
    })
}

pub async fn add(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    input: &WaitlistInput,
) -> Result<WaitlistEntryId, AppError> {
    user.require(Permission::ManageSchedule)?;
    let e = parse(input)?;
    let mut tx = pool.begin().await?;
    let id: WaitlistEntryId = sqlx::query_scalar!(
        r#"INSERT INTO waitlist_entries (client_id, clinician_id, weekdays, earliest, latest, modality, urgency, note, added_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id AS "id: WaitlistEntryId""#,
        e.client as _,
        e.clinician as _,
        &e.weekdays,
        e.earliest,
        e.latest,
        &e.modality,
        e.urgency,
        &e.note as _,
        user.id as _,
    )
    .fetch_one(&mut *tx)
    .await?;
    record(
        &mut tx,
        AuditEvent::new(actions::WAITLIST_ADD, Outcome::Success, meta)
            .by(user)
            .client(e.client)
            .entity("waitlist_entry", id),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The open waitlist, most urgent first, then who has waited longest.
pub async fn list(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
) -> Result<Vec<WaitlistEntry>, AppError> {
    user.require(Permission::ManageSchedule)?;
    let rows: Vec<WaitlistEntry> = open_entries!("ORDER BY w.urgency DESC, w.added_at")
        .fetch_all(pool)
        .await?;
    record(
        &mut *pool.acquire().await?,
        AuditEvent::new(actions::WAITLIST_VIEW, Outcome::Success, meta)
            .by(user)
            .detail(serde_json::json!({ "entries": rows.len() })),
    )
    .await?;
    Ok(rows)
}

pub async fn withdraw(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    entry: WaitlistEntryId,
) -> Result<(), AppError> {
    user.require(Permission::ManageSchedule)?;
    let mut tx = pool.begin().await?;
    let client: Option<ClientId> = sqlx::query_scalar!(
        r#"UPDATE waitlist_entries SET closed_at = now(), closed_by = $2, closed_reason = 'withdrawn'
          WHERE id = $1 AND closed_at IS NULL RETURNING client_id AS "client_id: ClientId""#,
        entry as _,
        user.id as _,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let client = client.ok_or(AppError::NotFound)?;
    sqlx::query!(
        "UPDATE slot_offers SET status = 'released' WHERE waitlist_entry_id = $1 AND status = 'open'",
        entry as _,
    )
    .execute(&mut *tx)
    .await?;
    record(
        &mut tx,
        AuditEvent::new(actions::WAITLIST_WITHDRAW, Outcome::Success, meta)
            .by(user)
            .client(client)
            .entity("waitlist_entry", entry),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A slot freed by a cancelled or no-show appointment.
#[derive(sqlx::FromRow)]
struct FreedSlot {
    clinician_id: UserId,
    clinician_name: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    telehealth: bool,
    status: AppointmentStatus,
    /// whether another appointment has taken the time since
    retaken: bool,
}

async fn freed_slot(
    conn: &mut sqlx::PgConnection,
    appointment: AppointmentId,
) -> Result<FreedSlot, AppError> {
    let slot: Option<FreedSlot> = sqlx::query_as!(
        FreedSlot,
        r#"SELECT a.clinician_id, u.display_name AS clinician_name, a.starts_at, a.ends_at, a.telehealth, a.status AS "status: AppointmentStatus",
                EXISTS (SELECT 1 FROM appointments b WHERE b.clinician_id = a.clinician_id AND b.id <> a.id
                          AND b.status NOT IN ('cancelled', 'no_show')
                          AND tstzrange(b.starts_at, b.ends_at) && tstzrange(a.starts_at, a.ends_at)) AS "retaken!"
           FROM appointments a JOIN users u ON u.id = a.clinician_id WHERE a.id = $1"#,
        appointment as _,
    )
    .fetch_optional(&mut *conn)
    .await?;
    let slot = slot.ok_or(AppError::NotFound)?;
    if slot.status.holds_time() {
        return Err(AppError::Conflict(
            "That appointment still holds its time: cancel it first.".into(),
        ));
    }
    if slot.retaken {
        return Err(AppError::Conflict(
            "That time has been booked again since.".into(),
        ));
    }
    Ok(slot)
}

/// Waitlisted clients who fit the time freed by this appointment, best first (at most ten): their
/// clinician (or any), day, hours and modality fit, they are free then and not already holding an
/// offer. Ranked by urgency, then a request for this clinician, then time waited.
pub async fn matches(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    appointment: AppointmentId,
) -> Result<Vec<SlotMatch>, AppError> {
    user.require(Permission::ManageSchedule)?;
    let mut conn = pool.acquire().await?;
    let zone = clock::practice_zone(&mut conn).await?;
    let slot = freed_slot(&mut conn, appointment).await?;
    if slot.starts_at <= Utc::now() {
        return Ok(Vec::new());
    }
    let (start, end) = (
        slot.starts_at.with_timezone(&zone),
        slot.ends_at.with_timezone(&zone),
    );
    let entries: Vec<WaitlistEntry> = open_entries!(
        "AND (w.clinician_id IS NULL OR w.clinician_id = $1)
            AND (cardinality(w.weekdays) = 0 OR $2 = ANY(w.weekdays))
            AND w.earliest <= $3 AND w.latest >= $4
            AND (w.modality = 'either' OR w.modality = CASE WHEN $5 THEN 'telehealth' ELSE 'in_person' END)
            AND NOT EXISTS (SELECT 1 FROM appointment_clients ac WHERE ac.client_id = w.client_id AND ac.holds_time
                              AND tstzrange(ac.starts_at, ac.ends_at) && tstzrange($6, $7))
            AND NOT EXISTS (SELECT 1 FROM slot_offers o WHERE o.waitlist_entry_id = w.id
                              AND o.status = 'open' AND o.hold_until > now())
          ORDER BY w.urgency DESC, (w.clinician_id IS NOT NULL) DESC, w.added_at
          LIMIT 10",
        slot.clinician_id as _,
        start.weekday().number_from_monday() as i16,
        start.time(),
        end.time(),
        slot.telehealth,
        slot.starts_at,
        slot.ends_at,
    )
    .fetch_all(&mut *conn)
    .await?;
    record(
        &mut conn,
        AuditEvent::new(actions::WAITLIST_MATCHES, Outcome::Success, meta)
            .by(user)
            .entity("appointment", appointment)
            .detail(serde_json::json!({ "matches": entries.len() })),
    )
    .await?;
    Ok(entries
        .into_iter()
        .map(|entry| {
            let mut why = vec![entry.urgency_label().to_owned()];
            if entry.clinician_id == Some(slot.clinician_id) {
                why.push(format!("asked for {}", slot.clinician_name));
            }
            why.push(match entry.days_waiting {
                0 => "added today".to_owned(),
                1 => "waiting 1 day".to_owned(),
                n => format!("waiting {n} days"),
            });
            SlotMatch {
                why: why.join(" · "),
                entry,
            }
        })
        .collect())
}

/// Offers the freed slot to a waitlisted client: holds the time for the practice's hold period and
/// writes the offer to the outbox (by email or text, as they consented). Returns what happened, for
/// the front desk.
pub async fn offer(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    appointment: AppointmentId,
    entry: WaitlistEntryId,
) -> Result<String, AppError> {
    user.require(Permission::ManageSchedule)?;
    let mut tx = pool.begin().await?;
    let zone = clock::practice_zone(&mut tx).await?;
    let slot = freed_slot(&mut tx, appointment).await?;
    if slot.starts_at <= Utc::now() {
        return Err(AppError::Conflict("That time has passed.".into()));
    }
    let (client, client_name): (ClientId, String) = sqlx::query!(
        r#"SELECT w.client_id, coalesce(c.preferred_name, c.legal_first_name) || ' ' || c.legal_last_name AS "name!"
           FROM waitlist_entries w JOIN clients c ON c.id = w.client_id
          WHERE w.id = $1 AND w.closed_at IS NULL"#,
        entry as _,
    )
    .map(|r| (ClientId(r.client_id), r.name))
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    // holds that ran out free their time
    sqlx::query!(
        "UPDATE slot_offers SET status = 'released' WHERE status = 'open' AND hold_until <= now()"
    )
    .execute(&mut *tx)
    .await?;
    let offer: Result<(uuid::Uuid, DateTime<Utc>), sqlx::Error> = sqlx::query!(
        "INSERT INTO slot_offers (waitlist_entry_id, clinician_id, starts_at, ends_at, hold_until, offered_by)
         SELECT $1, $2, $3, $4, now() + make_interval(mins => p.offer_hold_minutes), $5 FROM practice p
         RETURNING id, hold_until",
        entry as _,
        slot.clinician_id as _,
        slot.starts_at,
        slot.ends_at,
        user.id as _,
    )
    .map(|r| (r.id, r.hold_until))
    .fetch_one(&mut *tx)
    .await;
    let (offer, hold_until) = match offer {
        Ok(o) => o,
        Err(e)
            if e.as_database_error().and_then(|d| d.constraint())
                == Some("slot_offers_one_hold") =>
        {
            return Err(AppError::Conflict(
                "This time is already offered to another client.".into(),
            ))
        }
        Err(e) => return Err(e.into()),
    };
    let channel: Option<String> = sqlx::query_scalar!(
        "INSERT INTO outbox_messages (kind, channel, recipient, subject, body, client_id, offer_id, send_after, next_attempt_at)
         SELECT 'slot_offer', ch.channel, ch.recipient, 'An appointment time is available at ' || p.name,
                'Hello, an appointment time has opened with '
                  || split_part(regexp_replace(u.display_name, '^(Dr|Mr|Mrs|Ms|Mx)\\.?\\s+', ''), ' ', 1)
                  || ' at ' || p.name || ' on '
                  || to_char($3::timestamptz AT TIME ZONE p.time_zone, 'FMDay, FMMonth FMDD \"at\" FMHH12:MI AM')
                  || '. We are holding it for you until '
                  || to_char($4::timestamptz AT TIME ZONE p.time_zone, 'FMHH12:MI AM')
                  || '. To take it: ' || $5,
                c.id, $6, now(), now()
           FROM clients c CROSS JOIN practice p JOIN users u ON u.id = $2
          CROSS JOIN LATERAL (VALUES (1, 'email', c.email_consent, c.email::text),
                                     (2, 'sms', c.sms_consent, c.phone_mobile)) AS ch(rank, channel, consent, recipient)
          WHERE c.id = $1 AND ch.consent AND ch.recipient IS NOT NULL
          ORDER BY ch.rank LIMIT 1
         RETURNING channel",
        client as _,
        slot.clinician_id as _,
        slot.starts_at,
        hold_until,
        super::reminders::REPLY_LINK,
        offer,
    )
    .fetch_optional(&mut *tx)
    .await?;
    record(
        &mut tx,
        AuditEvent::new(actions::WAITLIST_OFFER, Outcome::Success, meta)
            .by(user)
            .client(client)
            .entity("appointment", appointment)
            .detail(serde_json::json!({ "offer": offer, "channel": channel })),
    )
    .await?;
    tx.commit().await?;
    let until = hold_until.with_timezone(&zone).format("%-I:%M %p");
    Ok(match channel.as_deref() {
        Some("email") => format!("Offered to {client_name} by email; the time is held until {until}."),
        Some(_) => format!("Offered to {client_name} by text; the time is held until {until}."),
        None => format!(
            "{client_name} has not agreed to email or texts: call them. The time is held until {until}."
        ),
    })
}
