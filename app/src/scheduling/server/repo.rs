//! SQL for appointments. Inserts and moves return the raw database error, so that the service can
//! tell which no-overlap constraint refused them and name the appointment in the way.

use crate::error::AppError;
use crate::ids::{AppointmentId, AppointmentTypeId, ClientId, LocationId, RoomId, UserId};
use crate::scheduling::types::*;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sqlx::{PgConnection, PgPool};

pub async fn active_type(
    conn: &mut PgConnection,
    id: AppointmentTypeId,
) -> Result<Option<AppointmentType>, AppError> {
    Ok(sqlx::query_as!(
        AppointmentType,
        "SELECT id, name, default_minutes, color, max_clients FROM appointment_types WHERE id = $1 AND active",
        id as _,
    )
    .fetch_optional(conn)
    .await?)
}

pub async fn active_types(pool: &PgPool) -> Result<Vec<AppointmentType>, AppError> {
    Ok(sqlx::query_as!(
        AppointmentType,
        "SELECT id, name, default_minutes, color, max_clients FROM appointment_types WHERE active ORDER BY name",
    )
    .fetch_all(pool)
    .await?)
}

pub async fn insert_type(
    conn: &mut PgConnection,
    name: &str,
    minutes: i32,
    color: &str,
    max_clients: i32,
) -> Result<AppointmentTypeId, AppError> {
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO appointment_types (name, default_minutes, color, max_clients) VALUES ($1, $2, $3, $4)
         RETURNING id AS "id: AppointmentTypeId""#,
        name,
        minutes,
        color,
        max_clients,
    )
    .fetch_one(conn)
    .await?)
}

/// How many of these clients exist as current (not merged) records.
pub async fn count_current_clients(
    conn: &mut PgConnection,
    clients: &[ClientId],
) -> Result<i64, AppError> {
    let ids: Vec<uuid::Uuid> = clients.iter().map(|c| c.0).collect();
    Ok(sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM clients WHERE id = ANY($1) AND merged_into_id IS NULL"#,
        &ids,
    )
    .fetch_one(conn)
    .await?)
}

/// Whether the room is an active room of the location.
pub async fn room_at(
    conn: &mut PgConnection,
    room: crate::ids::RoomId,
    location: crate::ids::LocationId,
) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM rooms WHERE id = $1 AND location_id = $2 AND active) AS "exists!""#,
        room as _,
        location as _,
    )
    .fetch_one(conn)
    .await?)
}

pub async fn insert(
    conn: &mut PgConnection,
    a: &NewAppointment,
    by: UserId,
) -> Result<AppointmentId, sqlx::Error> {
    let id: AppointmentId = sqlx::query_scalar!(
        r#"INSERT INTO appointments (appointment_type_id, clinician_id, location_id, room_id, telehealth,
            meeting_url, starts_at, ends_at, front_desk_note, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id AS "id: AppointmentId""#,
        a.appointment_type as _,
        a.clinician as _,
        a.location as _,
        a.room as _,
        a.telehealth,
        &a.meeting_url as _,
        a.starts_at,
        a.ends_at,
        &a.front_desk_note as _,
        by as _,
    )
    .fetch_one(&mut *conn)
    .await?;
    let clients: Vec<uuid::Uuid> = a.clients.iter().map(|c| c.0).collect();
    sqlx::query!(
        "INSERT INTO appointment_clients (appointment_id, client_id, starts_at, ends_at, holds_time)
         SELECT $1, c, $2, $3, true FROM unnest($4::uuid[]) AS c",
        id as _,
        a.starts_at,
        a.ends_at,
        &clients,
    )
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn insert_status_change(
    conn: &mut PgConnection,
    id: AppointmentId,
    from: Option<AppointmentStatus>,
    to: AppointmentStatus,
    reason: Option<&str>,
    by: UserId,
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO appointment_status_history (appointment_id, from_status, to_status, reason, changed_by)
         VALUES ($1, $2, $3, $4, $5)",
        id as _,
        from as _,
        to as _,
        reason,
        by as _,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_status(
    conn: &mut PgConnection,
    id: AppointmentId,
    to: AppointmentStatus,
    cancel_kind: Option<&str>,
    reason: Option<&str>,
) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE appointments SET status = $2, cancel_kind = $3, cancel_reason = $4,
                late_fee = ($3 IS NOT DISTINCT FROM 'late'), updated_at = now()
          WHERE id = $1",
        id as _,
        to as _,
        cancel_kind,
        reason,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn move_to(
    conn: &mut PgConnection,
    id: AppointmentId,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE appointments SET starts_at = $2, ends_at = $3, updated_at = now() WHERE id = $1",
        id as _,
        starts_at,
        ends_at,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// What stands in the way of a booking: the earliest appointment that holds its time, overlaps
/// `[starts_at, ends_at)` and shares the clinician, the room or a client. (`except`: the appointment
/// being moved.)
#[derive(sqlx::FromRow)]
pub struct Clash {
    pub appointment_type: String,
    pub clinician_name: String,
    pub room_name: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// The time and resources of an appointment being booked or moved.
pub struct Slot {
    pub clinician: UserId,
    pub room: Option<crate::ids::RoomId>,
    pub clients: Vec<ClientId>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

pub async fn find_clash(
    pool: &PgPool,
    overlap: Overlap,
    a: &Slot,
    except: Option<AppointmentId>,
) -> Result<Option<Clash>, AppError> {
    let clients: Vec<uuid::Uuid> = a.clients.iter().map(|c| c.0).collect();
    Ok(sqlx::query_as!(
        Clash,
        r#"SELECT t.name AS appointment_type, u.display_name AS clinician_name, r.name AS "room_name?",
                    a.starts_at, a.ends_at
               FROM appointments a
               JOIN appointment_types t ON t.id = a.appointment_type_id
               JOIN users u ON u.id = a.clinician_id
               LEFT JOIN rooms r ON r.id = a.room_id
              WHERE a.status NOT IN ('cancelled', 'no_show')
                AND tstzrange(a.starts_at, a.ends_at) && tstzrange($1, $2)
                AND a.id IS DISTINCT FROM $3
                AND CASE $4
                    WHEN 'clinician' THEN a.clinician_id = $5
                    WHEN 'room' THEN a.room_id = $6
                    ELSE EXISTS (SELECT 1 FROM appointment_clients c
                                  WHERE c.appointment_id = a.id AND c.client_id = ANY($7))
                    END
              ORDER BY a.starts_at LIMIT 1"#,
        a.starts_at,
        a.ends_at,
        except as _,
        overlap.as_str(),
        a.clinician as _,
        a.room as _,
        &clients,
    )
    .fetch_optional(pool)
    .await?)
}

/// The room and clients of an appointment.
pub async fn attendance(
    conn: &mut PgConnection,
    id: AppointmentId,
) -> Result<(Option<crate::ids::RoomId>, Vec<ClientId>), AppError> {
    let room = sqlx::query_scalar!(
        r#"SELECT room_id AS "room_id: RoomId" FROM appointments WHERE id = $1"#,
        id as _,
    )
    .fetch_one(&mut *conn)
    .await?;
    let clients = sqlx::query_scalar!(
        r#"SELECT client_id AS "client_id: ClientId" FROM appointment_clients WHERE appointment_id = $1 ORDER BY client_id"#,
        id as _,
    )
    .fetch_all(conn)
    .await?;
    Ok((room, clients))
}

/// Some clinicians' appointments overlapping `[from, to)`, with the clients' short names, in one query
/// (the week and day views).
#[derive(sqlx::FromRow)]
pub struct WeekRow {
    pub id: AppointmentId,
    pub clinician_id: UserId,
    pub location: Option<String>,
    pub appointment_type: String,
    pub color: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: AppointmentStatus,
    pub telehealth: bool,
    pub place: Option<String>,
    /// "Ann C., Bo D."
    pub clients: Option<String>,
    /// Completed, and some client who attended has no signed progress note for it yet.
    pub undocumented: bool,
}

pub async fn week(
    pool: &PgPool,
    clinicians: &[UserId],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<WeekRow>, AppError> {
    let ids: Vec<uuid::Uuid> = clinicians.iter().map(|c| c.0).collect();
    // an appointment lasts at most 12 hours (a CHECK): starts_at bounds the index range both ways
    Ok(sqlx::query_as!(
        WeekRow,
        r#"SELECT a.id, a.clinician_id, l.name AS "location?", t.name AS appointment_type, t.color, a.starts_at, a.ends_at, a.status AS "status: AppointmentStatus", a.telehealth,
                concat_ws(' · ', l.name, r.name) AS "place?",
                (SELECT string_agg(coalesce(c.preferred_name, c.legal_first_name) || ' ' || left(c.legal_last_name, 1) || '.',
                                   ', ' ORDER BY c.legal_last_name)
                   FROM appointment_clients ac JOIN clients c ON c.id = ac.client_id
                  WHERE ac.appointment_id = a.id) AS "clients?",
                a.status = 'completed' AND EXISTS (
                    SELECT 1 FROM appointment_clients ac
                     WHERE ac.appointment_id = a.id
                       AND NOT EXISTS (SELECT 1 FROM clinical_notes n
                                        WHERE n.appointment_id = a.id AND n.client_id = ac.client_id
                                          AND n.kind = 'progress' AND n.status IN ('awaiting_cosign', 'signed'))
                ) AS "undocumented!"
           FROM appointments a
           JOIN appointment_types t ON t.id = a.appointment_type_id
           LEFT JOIN locations l ON l.id = a.location_id
           LEFT JOIN rooms r ON r.id = a.room_id
          WHERE a.clinician_id = ANY($1) AND a.starts_at < $3 AND a.starts_at > $2::timestamptz - interval '12 hours'
            AND a.ends_at > $2
          ORDER BY a.starts_at"#,
        &ids,
        from,
        to,
    )
    .fetch_all(pool)
    .await?)
}

/// The clinician's name, and whether `viewer` supervises them.
pub async fn clinician_for(
    pool: &PgPool,
    clinician: UserId,
    viewer: UserId,
) -> Result<(String, bool), AppError> {
    Ok(sqlx::query!(
        r#"SELECT u.display_name, EXISTS (SELECT 1 FROM staff_profiles p WHERE p.user_id = u.id AND p.supervisor_id = $2) AS "supervised!"
           FROM users u WHERE u.id = $1 AND u.role IN ('clinician', 'intern', 'supervisor')"#,
        clinician as _,
        viewer as _,
    )
    .map(|r| (r.display_name, r.supervised))
    .fetch_one(pool)
    .await?)
}

/// The clash for one occurrence of a booking (its index in the list checked) and which rule it breaks.
pub struct OccurrenceClash {
    pub occurrence: i64,
    pub overlap: String,
    pub clash: Clash,
}

/// Every occurrence of a booking or move that would clash with an appointment holding its time,
/// in one query (one row per clashing occurrence). `except`: the appointments being moved.
pub async fn clashes(
    conn: &mut PgConnection,
    slot: &Slot,
    times: &[(DateTime<Utc>, DateTime<Utc>)],
    except: &[AppointmentId],
) -> Result<Vec<OccurrenceClash>, AppError> {
    let starts: Vec<DateTime<Utc>> = times.iter().map(|t| t.0).collect();
    let ends: Vec<DateTime<Utc>> = times.iter().map(|t| t.1).collect();
    let clients: Vec<uuid::Uuid> = slot.clients.iter().map(|c| c.0).collect();
    let except: Vec<uuid::Uuid> = except.iter().map(|a| a.0).collect();
    // three branches so that each uses its own no-overlap index
    Ok(sqlx::query!(
        r#"WITH o AS (SELECT s, e, n - 1 AS n FROM unnest($1::timestamptz[], $2::timestamptz[]) WITH ORDINALITY AS o(s, e, n)),
              hits AS (
                SELECT o.n, 'clinician' AS overlap, a.id FROM o JOIN appointments a
                    ON a.clinician_id = $3 AND tstzrange(a.starts_at, a.ends_at) && tstzrange(o.s, o.e)
                   AND a.status NOT IN ('cancelled', 'no_show')
                UNION ALL
                SELECT o.n, 'room', a.id FROM o JOIN appointments a
                    ON a.room_id = $4 AND tstzrange(a.starts_at, a.ends_at) && tstzrange(o.s, o.e)
                   AND a.status NOT IN ('cancelled', 'no_show')
                UNION ALL
                SELECT o.n, 'client', c.appointment_id FROM o JOIN appointment_clients c
                    ON c.client_id = ANY($5) AND c.holds_time AND tstzrange(c.starts_at, c.ends_at) && tstzrange(o.s, o.e))
         SELECT DISTINCT ON (h.n) h.n AS "occurrence!", h.overlap AS "overlap!", t.name AS appointment_type,
                u.display_name AS clinician_name, r.name AS "room_name?", a.starts_at, a.ends_at
           FROM hits h
           JOIN appointments a ON a.id = h.id
           JOIN appointment_types t ON t.id = a.appointment_type_id
           JOIN users u ON u.id = a.clinician_id
           LEFT JOIN rooms r ON r.id = a.room_id
          WHERE a.id <> ALL($6)
          ORDER BY h.n, a.starts_at"#,
        &starts,
        &ends,
        slot.clinician as _,
        slot.room as _,
        &clients,
        &except,
    )
    .map(|r| OccurrenceClash {
        occurrence: r.occurrence,
        overlap: r.overlap,
        clash: Clash {
            appointment_type: r.appointment_type,
            clinician_name: r.clinician_name,
            room_name: r.room_name,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
        },
    })
    .fetch_all(conn)
    .await?)
}

/// A clinician's weekly working hours: (ISO weekday, from, to).
pub async fn working_hours(
    conn: &mut PgConnection,
    clinician: UserId,
) -> Result<Vec<(i16, chrono::NaiveTime, chrono::NaiveTime)>, AppError> {
    Ok(sqlx::query!(
        "SELECT weekday, starts_at, ends_at FROM staff_working_hours WHERE user_id = $1 ORDER BY weekday, starts_at",
        clinician as _,
    )
    .map(|r| (r.weekday, r.starts_at, r.ends_at))
    .fetch_all(conn)
    .await?)
}

pub async fn insert_series(
    conn: &mut PgConnection,
    rule: &str,
    summary: &str,
    by: UserId,
) -> Result<uuid::Uuid, AppError> {
    Ok(sqlx::query_scalar!(
        "INSERT INTO appointment_series (rule, summary, created_by) VALUES ($1, $2, $3) RETURNING id",
        rule,
        summary,
        by as _,
    )
    .fetch_one(conn)
    .await?)
}

pub async fn join_series(
    conn: &mut PgConnection,
    ids: &[AppointmentId],
    series: uuid::Uuid,
) -> Result<(), AppError> {
    let ids: Vec<uuid::Uuid> = ids.iter().map(|a| a.0).collect();
    sqlx::query!(
        "UPDATE appointments SET series_id = $2 WHERE id = ANY($1)",
        &ids,
        series,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The appointment being changed, locked.
#[derive(sqlx::FromRow, Clone)]
pub struct Locked {
    pub id: AppointmentId,
    pub status: AppointmentStatus,
    pub clinician_id: UserId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub series_id: Option<uuid::Uuid>,
    pub series_exception: bool,
}

pub async fn lock_one(conn: &mut PgConnection, id: AppointmentId) -> Result<Locked, AppError> {
    Ok(sqlx::query_as!(
        Locked,
        r#"SELECT id, status AS "status: AppointmentStatus", clinician_id, starts_at, ends_at, series_id AS "series_id?", series_exception
           FROM appointments WHERE id = $1 FOR UPDATE"#,
        id as _,
    )
    .fetch_one(conn)
    .await?)
}

/// The occurrences of a series (from `from` on, if given) that still wait to happen (scheduled or
/// confirmed), locked, in time order.
pub async fn lock_series_from(
    conn: &mut PgConnection,
    series: uuid::Uuid,
    from: Option<DateTime<Utc>>,
) -> Result<Vec<Locked>, AppError> {
    Ok(sqlx::query_as!(
        Locked,
        r#"SELECT id, status AS "status: AppointmentStatus", clinician_id, starts_at, ends_at, series_id AS "series_id?", series_exception
           FROM appointments
          WHERE series_id = $1 AND starts_at >= coalesce($2::timestamptz, '-infinity') AND status IN ('scheduled', 'confirmed')
          ORDER BY starts_at FOR UPDATE"#,
        series,
        from,
    )
    .fetch_all(conn)
    .await?)
}

pub async fn mark_exception(conn: &mut PgConnection, id: AppointmentId) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE appointments SET series_exception = true WHERE id = $1 AND series_id IS NOT NULL",
        id as _,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Clinicians by id with their names and whether `viewer` supervises them, in name order.
pub async fn clinicians_for(
    pool: &PgPool,
    clinicians: &[UserId],
    viewer: UserId,
) -> Result<Vec<(UserId, String, bool)>, AppError> {
    let ids: Vec<uuid::Uuid> = clinicians.iter().map(|c| c.0).collect();
    Ok(sqlx::query!(
        r#"SELECT u.id, u.display_name, EXISTS (SELECT 1 FROM staff_profiles p WHERE p.user_id = u.id AND p.supervisor_id = $2) AS "supervised!"
           FROM users u WHERE u.id = ANY($1) AND u.role IN ('clinician', 'intern', 'supervisor')
          ORDER BY u.display_name"#,
        &ids,
        viewer as _,
    )
    .map(|r| (UserId(r.id), r.display_name, r.supervised))
    .fetch_all(pool)
    .await?)
}

/// Whom a day view shows when nobody was chosen: the viewer and their supervisees (clinical staff),
/// or the first active clinicians by name (everyone else).
pub async fn default_day_clinicians(
    pool: &PgPool,
    viewer: UserId,
    everyone: bool,
    limit: i64,
) -> Result<Vec<UserId>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT u.id AS "id: UserId" FROM users u
          WHERE u.active AND u.role IN ('clinician', 'intern', 'supervisor')
            AND ($2 OR u.id = $1 OR EXISTS (SELECT 1 FROM staff_profiles p WHERE p.user_id = u.id AND p.supervisor_id = $1))
          ORDER BY u.id = $1 DESC, u.display_name LIMIT $3"#,
        viewer as _,
        everyone,
        limit,
    )
    .fetch_all(pool)
    .await?)
}

/// Which no-overlap rule refused a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlap {
    Clinician,
    Room,
    Client,
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
    /// The first (or only) day and the wall-clock start at the practice, and the length.
    pub date: NaiveDate,
    pub time: NaiveTime,
    pub minutes: i32,
}

impl Overlap {
    pub fn as_str(self) -> &'static str {
        match self {
            Overlap::Clinician => "clinician",
            Overlap::Room => "room",
            Overlap::Client => "client",
        }
    }

    /// The rule a refused write broke, from the constraint that refused it.
    pub fn of(e: &sqlx::Error) -> Option<Overlap> {
        match e.as_database_error()?.constraint()? {
            "appointments_clinician_no_overlap" => Some(Overlap::Clinician),
            "appointments_room_no_overlap" => Some(Overlap::Room),
            "appointments_client_no_overlap" => Some(Overlap::Client),
            _ => None,
        }
    }
}
