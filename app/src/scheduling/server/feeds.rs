//! A clinician's private calendar feed (ICS) for their phone or desktop calendar: a secret URL that
//! can be replaced or turned off. Only the token's SHA-256 is stored. Events carry the time, the kind
//! of appointment, the place and the clients' initials — nothing more.

use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::error::AppError;
use crate::ids::{AppointmentId, UserId};
use crate::scheduling::actions;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use icalendar::{Calendar, Component, Event, EventLike};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::PgPool;

fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn has_calendar(user: &CurrentUser) -> Result<(), AppError> {
    user.require(Permission::OwnCalendar)
}

/// Since when the user's feed is on, if it is.
pub async fn status(pool: &PgPool, user: &CurrentUser) -> Result<Option<DateTime<Utc>>, AppError> {
    has_calendar(user)?;
    Ok(sqlx::query_scalar!(
        "SELECT created_at FROM calendar_feeds WHERE user_id = $1 AND revoked_at IS NULL",
        user.id as _,
    )
    .fetch_optional(pool)
    .await?)
}

/// Turns the feed on with a new secret (an old one stops working) and returns the secret: it is
/// shown once.
pub async fn enable(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
) -> Result<String, AppError> {
    has_calendar(user)?;
    let mut secret = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut secret);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret);
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "UPDATE calendar_feeds SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
        user.id as _,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO calendar_feeds (user_id, token_hash) VALUES ($1, $2)",
        user.id as _,
        hash(&token),
    )
    .execute(&mut *tx)
    .await?;
    record(
        &mut tx,
        AuditEvent::new(actions::FEED_ENABLE, Outcome::Success, meta).by(user),
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

pub async fn revoke(pool: &PgPool, user: &CurrentUser, meta: &RequestMeta) -> Result<(), AppError> {
    has_calendar(user)?;
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "UPDATE calendar_feeds SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
        user.id as _,
    )
    .execute(&mut *tx)
    .await?;
    record(
        &mut tx,
        AuditEvent::new(actions::FEED_REVOKE, Outcome::Success, meta).by(user),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct FeedEvent {
    id: AppointmentId,
    appointment_type: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    place: Option<String>,
    telehealth: bool,
    initials: Option<String>,
}

/// The feed behind a secret: the owner's appointments that hold their time, from 30 days back to
/// 180 ahead. `None` for an unknown or revoked secret. Each read is audited under the owner.
pub async fn ics(
    pool: &PgPool,
    token: &str,
    meta: &RequestMeta,
) -> Result<Option<String>, AppError> {
    let owner: Option<(UserId, String)> = sqlx::query!(
        "SELECT u.id, u.display_name FROM calendar_feeds f JOIN users u ON u.id = f.user_id
          WHERE f.token_hash = $1 AND f.revoked_at IS NULL AND u.active",
        hash(token),
    )
    .map(|r| (UserId(r.id), r.display_name))
    .fetch_optional(pool)
    .await?;
    let Some((owner, name)) = owner else {
        return Ok(None);
    };
    let now = Utc::now();
    let events: Vec<FeedEvent> = sqlx::query_as!(
        FeedEvent,
        r#"SELECT a.id, t.name AS appointment_type, a.starts_at, a.ends_at, concat_ws(' · ', l.name, r.name) AS "place?",
                a.telehealth,
                (SELECT string_agg(left(coalesce(c.preferred_name, c.legal_first_name), 1) || '.' || left(c.legal_last_name, 1) || '.',
                                   ', ' ORDER BY c.legal_last_name)
                   FROM appointment_clients ac JOIN clients c ON c.id = ac.client_id
                  WHERE ac.appointment_id = a.id) AS "initials?"
           FROM appointments a
           JOIN appointment_types t ON t.id = a.appointment_type_id
           LEFT JOIN locations l ON l.id = a.location_id
           LEFT JOIN rooms r ON r.id = a.room_id
          WHERE a.clinician_id = $1 AND a.status NOT IN ('cancelled', 'no_show')
            AND a.starts_at >= $2 AND a.starts_at < $3
          ORDER BY a.starts_at"#,
        owner as _,
        now - Duration::days(30),
        now + Duration::days(180),
    )
    .fetch_all(pool)
    .await?;
    let mut calendar = Calendar::new();
    calendar.name(&format!("{name} · MentalSpace EHR"));
    for e in &events {
        let place = if e.telehealth {
            "Telehealth".to_owned()
        } else {
            e.place.clone().unwrap_or_default()
        };
        calendar.push(
            Event::new()
                .uid(&format!("{}@mentalspace-ehr", e.id))
                .summary(&format!(
                    "{} · {}",
                    e.appointment_type,
                    e.initials.as_deref().unwrap_or("")
                ))
                .starts(e.starts_at)
                .ends(e.ends_at)
                .location(&place)
                .done(),
        );
    }
    record(
        &mut *pool.acquire().await?,
        // read by the owner's calendar program, with the owner's secret
        AuditEvent::new(actions::FEED_READ, Outcome::Success, meta)
            .actor(owner)
            .entity("calendar", owner)
            .detail(serde_json::json!({ "events": events.len() })),
    )
    .await?;
    Ok(Some(calendar.done().to_string()))
}
