//! The outbox worker: sends due messages (reminders, slot offers) through the configured transport.
//! Several servers may run it: each claims its batch with `FOR UPDATE SKIP LOCKED`. A failed send is
//! retried with a growing delay and, after the last try, marked failed for the admins to see.

use crate::error::AppError;
use chrono::{DateTime, Duration, Utc};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::PgPool;

/// Sends after the first failure are tried this many times in all.
pub const MAX_ATTEMPTS: i32 = 5;

/// How messages leave the practice.
pub enum Transport {
    /// No `SMTP_URL`: messages are marked "no transport configured".
    None,
    Smtp {
        // boxed: the mailer is large beside `None`
        mailer: Box<AsyncSmtpTransport<Tokio1Executor>>,
        from: Mailbox,
    },
}

impl Transport {
    pub fn from_config(config: &crate::config::Config) -> Result<Transport, String> {
        let Some(url) = &config.smtp_url else {
            return Ok(Transport::None);
        };
        let mailer = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("SMTP_URL is not usable: {e}"))?
            .build()
            .into();
        let from = config
            .smtp_from
            .parse()
            .map_err(|e| format!("SMTP_FROM is not an address: {e}"))?;
        Ok(Transport::Smtp { mailer, from })
    }
}

#[derive(sqlx::FromRow)]
struct Due {
    id: uuid::Uuid,
    channel: String,
    recipient: String,
    subject: String,
    body: String,
    attempts: i32,
    reply_token: uuid::Uuid,
}

/// What happened to one message.
enum Sent {
    Yes,
    NoTransport(&'static str),
    Failed(String),
}

async fn send(transport: &Transport, m: &Due, text: String) -> Sent {
    match (transport, m.channel.as_str()) {
        (Transport::Smtp { mailer, from }, "email") => {
            let to: Mailbox = match m.recipient.parse() {
                Ok(to) => to,
                Err(e) => return Sent::Failed(format!("bad address: {e}")),
            };
            let message = Message::builder()
                .from(from.clone())
                .to(to)
                .subject(m.subject.clone())
                .body(text);
            match message {
                Err(e) => Sent::Failed(e.to_string()),
                Ok(message) => match mailer.send(message).await {
                    Ok(_) => Sent::Yes,
                    Err(e) => Sent::Failed(e.to_string()),
                },
            }
        }
        (Transport::None, "email") => {
            Sent::NoTransport("No email transport configured (SMTP_URL).")
        }
        _ => Sent::NoTransport("No text-message transport configured."),
    }
}

/// The wait before the next try: 1, 2, 4, 8 … minutes.
pub fn backoff(attempts: i32) -> Duration {
    Duration::minutes(1 << attempts.clamp(0, 10))
}

/// Sends up to `batch` due messages; returns how many were handled. `origin` is the practice's
/// public address, put in front of each reply link.
pub async fn run_once(
    pool: &PgPool,
    transport: &Transport,
    origin: &str,
    batch: i64,
) -> Result<usize, AppError> {
    sqlx::query!(
        "UPDATE slot_offers SET status = 'released' WHERE status = 'open' AND hold_until <= now()"
    )
    .execute(pool)
    .await?;
    // Claim a batch by pushing its next attempt past the send (a lease), so no transaction or row lock
    // is held while a mail server answers; a worker that dies mid-batch leaves them due again later.
    let due: Vec<Due> = sqlx::query_as!(
        Due,
        "UPDATE outbox_messages SET next_attempt_at = now() + interval '10 minutes'
          WHERE id IN (SELECT id FROM outbox_messages
                        WHERE status = 'pending' AND next_attempt_at <= now()
                        ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING id, channel, recipient, subject, body, attempts, reply_token",
        batch,
    )
    .fetch_all(pool)
    .await?;
    for m in &due {
        // (a message superseded while it was being sent keeps that status unless it did go out)
        let link = format!("{origin}/r/{}", m.reply_token);
        let text = m.body.replace(super::reminders::REPLY_LINK, &link);
        let (status, error, next): (&str, Option<String>, DateTime<Utc>) =
            match send(transport, m, text).await {
                Sent::Yes => ("sent", None, Utc::now()),
                Sent::NoTransport(why) => ("no_transport", Some(why.to_owned()), Utc::now()),
                Sent::Failed(e) if m.attempts + 1 >= MAX_ATTEMPTS => {
                    ("failed", Some(e), Utc::now())
                }
                Sent::Failed(e) => ("pending", Some(e), Utc::now() + backoff(m.attempts)),
            };
        let error = error.map(|e| e.chars().take(500).collect::<String>());
        sqlx::query!(
            "UPDATE outbox_messages SET status = $2, last_error = $3, next_attempt_at = $4, attempts = attempts + 1,
                    sent_at = CASE WHEN $2 = 'sent' THEN now() END
              WHERE id = $1 AND (status = 'pending' OR $2 = 'sent')",
            m.id,
            status,
            error,
            next,
        )
        .execute(pool)
        .await?;
    }
    Ok(due.len())
}

/// What waits to be sent now, for monitoring.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backlog {
    /// Pending messages whose time has come.
    pub due: i64,
    /// How long the oldest of them has been due (0 when none is).
    pub oldest_due_age_secs: f64,
}

/// The outbox's backlog (the partial index on due pending messages answers it).
pub async fn backlog(pool: &PgPool) -> Result<Backlog, AppError> {
    let row = sqlx::query!(
        r#"SELECT count(*) AS "due!",
                  coalesce(extract(epoch FROM now() - min(next_attempt_at)), 0)::float8 AS "oldest!"
             FROM outbox_messages WHERE status = 'pending' AND next_attempt_at <= now()"#
    )
    .fetch_one(pool)
    .await?;
    Ok(Backlog {
        due: row.due,
        oldest_due_age_secs: row.oldest,
    })
}

/// Runs the worker until the server stops: every few seconds, or at once while there is more.
pub async fn run(pool: PgPool, transport: Transport, origin: String) {
    loop {
        match run_once(&pool, &transport, &origin, 50).await {
            Ok(50) => continue,
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "outbox worker"),
        }
        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    }
}

/// Messages that failed or had no transport, newest first (admins).
pub async fn problems(
    pool: &PgPool,
    user: &crate::auth::server::CurrentUser,
) -> Result<Vec<crate::scheduling::types::OutboxProblem>, AppError> {
    user.require(crate::auth::types::Permission::ManageSettings)?;
    Ok(sqlx::query_as!(
        crate::scheduling::types::OutboxProblem,
        r#"SELECT kind, channel, status, attempts, last_error AS "last_error?", created_at FROM outbox_messages
          WHERE status IN ('failed', 'no_transport') OR (status = 'pending' AND attempts > 0)
          ORDER BY created_at DESC LIMIT 100"#,
    )
    .fetch_all(pool)
    .await?)
}
