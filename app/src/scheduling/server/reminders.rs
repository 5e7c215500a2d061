//! Appointment reminders: rows in the outbox, written in the same transaction as the booking or move
//! that caused them, and sent later by the outbox worker (`crate::messaging`). The text names the
//! time, the practice and the clinician's first name only: nothing clinical, not even the kind of
//! appointment.

use crate::error::AppError;
use crate::ids::AppointmentId;
use sqlx::PgConnection;

/// Where the sender puts the confirm-or-cancel link (it knows the practice's public address).
pub const REPLY_LINK: &str = "{reply_link}";

/// Replaces the pending reminders of these appointments with new ones for their current time: one
/// per client and channel they consented to, `reminder_*_hours` before the start (or now, when that
/// moment has passed but the appointment has not).
pub async fn queue(conn: &mut PgConnection, ids: &[AppointmentId]) -> Result<u64, AppError> {
    withdraw(&mut *conn, ids).await?;
    let ids: Vec<uuid::Uuid> = ids.iter().map(|a| a.0).collect();
    let inserted = sqlx::query!(
        "INSERT INTO outbox_messages (kind, channel, recipient, subject, body, client_id, appointment_id,
                                      send_after, next_attempt_at)
         SELECT 'reminder', ch.channel, ch.recipient,
                'Appointment reminder from ' || p.name,
                'Hello, this is a reminder of your appointment with '
                  || split_part(regexp_replace(u.display_name, '^(Dr|Mr|Mrs|Ms|Mx)\\.?\\s+', ''), ' ', 1)
                  || ' at ' || p.name || ' on '
                  || to_char(a.starts_at AT TIME ZONE p.time_zone, 'FMDay, FMMonth FMDD \"at\" FMHH12:MI AM')
                  || '. To confirm or cancel: ' || $2,
                c.id, a.id,
                greatest(now(), a.starts_at - make_interval(hours => ch.hours)),
                greatest(now(), a.starts_at - make_interval(hours => ch.hours))
           FROM appointments a
           JOIN appointment_clients ac ON ac.appointment_id = a.id
           JOIN clients c ON c.id = ac.client_id
           JOIN users u ON u.id = a.clinician_id
          CROSS JOIN practice p
          CROSS JOIN LATERAL (VALUES ('email', p.reminder_email_hours, c.email_consent, c.email::text),
                                     ('sms', p.reminder_sms_hours, c.sms_consent, c.phone_mobile)) AS ch(channel, hours, consent, recipient)
          WHERE a.id = ANY($1) AND a.status IN ('scheduled', 'confirmed') AND a.starts_at > now()
            AND ch.hours > 0 AND ch.consent AND ch.recipient IS NOT NULL",
        &ids,
        REPLY_LINK,
    )
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected())
}

/// Pending reminders of these appointments will not be sent (cancelled, no-show, or replaced).
pub async fn withdraw(conn: &mut PgConnection, ids: &[AppointmentId]) -> Result<(), AppError> {
    let ids: Vec<uuid::Uuid> = ids.iter().map(|a| a.0).collect();
    sqlx::query!(
        "UPDATE outbox_messages SET status = 'superseded'
          WHERE appointment_id = ANY($1) AND kind = 'reminder' AND status = 'pending'",
        &ids,
    )
    .execute(conn)
    .await?;
    Ok(())
}
