//! One appointment as its panel shows it, for those who may see it (the read is audited).

use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::error::AppError;
use crate::ids::{AppointmentId, ClientId, UserId};
use crate::scheduling::actions;
use crate::scheduling::types::*;
use crate::settings::server::clock;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::calendar::sees_details;

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
