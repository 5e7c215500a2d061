//! The confirm-or-cancel link in a reminder: `/r/<token>`. The token is the only credential (random,
//! one per message); the page shows only what the reminder said, and acts on that one appointment.

use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::RequestMeta;
use crate::error::AppError;
use crate::ids::{AppointmentId, ClientId};
use crate::scheduling::actions;
use crate::scheduling::types::AppointmentStatus;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// What the reply page shows.
pub struct ReplyPage {
    pub practice: String,
    /// "Tuesday, December 1 at 10:00 AM"
    pub when: String,
    pub status: AppointmentStatus,
    pub upcoming: bool,
}

#[derive(sqlx::FromRow)]
struct Found {
    appointment_id: AppointmentId,
    client_id: ClientId,
    practice: String,
    when_text: String,
    status: AppointmentStatus,
    starts_at: DateTime<Utc>,
}

async fn find(pool: &PgPool, token: uuid::Uuid) -> Result<Option<Found>, AppError> {
    Ok(sqlx::query_as!(
        Found,
        r#"SELECT a.id AS appointment_id, m.client_id, p.name AS practice,
                to_char(a.starts_at AT TIME ZONE p.time_zone, 'FMDay, FMMonth FMDD "at" FMHH12:MI AM') AS "when_text!",
                a.status AS "status: AppointmentStatus", a.starts_at
           FROM outbox_messages m JOIN appointments a ON a.id = m.appointment_id CROSS JOIN practice p
          WHERE m.reply_token = $1 AND m.kind = 'reminder'"#,
        token,
    )
    .fetch_optional(pool)
    .await?)
}

pub async fn page(pool: &PgPool, token: uuid::Uuid) -> Result<Option<ReplyPage>, AppError> {
    Ok(find(pool, token).await?.map(|f| ReplyPage {
        practice: f.practice,
        when: f.when_text,
        status: f.status,
        upcoming: f.starts_at > Utc::now(),
    }))
}

/// Confirms or cancels the appointment the reminder was about; returns the sentence to show.
/// A cancellation less than 24 hours ahead is a late one (the practice decides about the fee).
pub async fn answer(
    pool: &PgPool,
    token: uuid::Uuid,
    confirm: bool,
    meta: &RequestMeta,
) -> Result<String, AppError> {
    let found = find(pool, token).await?.ok_or(AppError::NotFound)?;
    if found.starts_at <= Utc::now() {
        return Err(AppError::Conflict("This appointment has passed.".into()));
    }
    let to = if confirm {
        AppointmentStatus::Confirmed
    } else {
        AppointmentStatus::Cancelled
    };
    let mut tx = pool.begin().await?;
    let status: AppointmentStatus =
        sqlx::query_scalar!(
            r#"SELECT status AS "status: AppointmentStatus" FROM appointments WHERE id = $1 FOR UPDATE"#,
            found.appointment_id as _,
        )
            .fetch_one(&mut *tx)
            .await?;
    if status == to {
        return Ok(already(to));
    }
    if !status.can_become(to) {
        return Err(AppError::Conflict(
            "This appointment can no longer be changed here: please call the practice.".into(),
        ));
    }
    let late = found.starts_at - Utc::now() < chrono::Duration::hours(24);
    let kind = (!confirm).then_some(if late { "late" } else { "client" });
    let reason = (!confirm).then_some("Cancelled from the reminder link");
    super::repo::set_status(&mut tx, found.appointment_id, to, kind, reason).await?;
    sqlx::query!(
        "INSERT INTO appointment_status_history (appointment_id, from_status, to_status, reason) VALUES ($1, $2, $3, $4)",
        found.appointment_id as _,
        status as _,
        to as _,
        reason.unwrap_or("Confirmed from the reminder link"),
    )
    .execute(&mut *tx)
    .await?;
    if !confirm {
        super::reminders::withdraw(&mut tx, &[found.appointment_id]).await?;
    }
    record(
        &mut tx,
        AuditEvent::new(actions::CLIENT_REPLY, Outcome::Success, meta)
            .client(found.client_id)
            .entity("appointment", found.appointment_id)
            .detail(serde_json::json!({ "to": to.as_str(), "late": late && !confirm })),
    )
    .await?;
    tx.commit().await?;
    Ok(already(to))
}

fn already(to: AppointmentStatus) -> String {
    if to == AppointmentStatus::Confirmed {
        "Thank you: your appointment is confirmed.".into()
    } else {
        "Your appointment is cancelled. Call the practice to book another time.".into()
    }
}
