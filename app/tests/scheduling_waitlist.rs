//! The waitlist, slot offers and the outbox worker on a real PostgreSQL; who may see an
//! appointment's details.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

mod common;

use app::auth::types::Role;
use app::error::AppError;
use app::ids::ClientId;
use app::scheduling::recurrence::Scope;
use app::scheduling::server::outbox::{self, Transport};
use app::scheduling::server::{service as scheduling, waitlist};
use app::scheduling::waitlist::WaitlistInput;
use common::scheduling::{booking, practice};
use common::{create, input, meta, staff};
use sqlx::PgPool;

fn wants(
    client: ClientId,
    clinician: &str,
    days: &str,
    from: &str,
    to: &str,
    urgency: &str,
) -> WaitlistInput {
    WaitlistInput {
        client_id: client.to_string(),
        clinician_id: clinician.into(),
        weekdays: days.into(),
        earliest: from.into(),
        latest: to.into(),
        urgency: urgency.into(),
        ..Default::default()
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_freed_slot_lists_fitting_clients_ranked_and_an_offer_holds_it(pool: PgPool) {
    let p = practice(&pool).await;
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let casey = staff(&pool, "casey@example.com", Role::Clinician).await;
    let other = staff(&pool, "other@example.com", Role::Clinician).await;
    let c = casey.id.to_string();
    let leaving = create(&pool, &desk, input("Lee", "Leaving"), None).await;
    // the slot: Tuesday 12/08/2026 10:00–10:50 Chicago, in person
    let id = scheduling::book(
        &pool,
        &desk,
        &meta(),
        &booking(&p, &c, &leaving.to_string(), "12/08/2026", "10:00"),
    )
    .await
    .unwrap();

    let mut email = input("Ema", "Early");
    email.email = "ema@example.com".into();
    email.email_consent = Some("on".into());
    let ema = create(&pool, &desk, email, None).await;
    let uri = create(&pool, &desk, input("Uri", "Urgent"), None).await;
    let any = create(&pool, &desk, input("Ann", "Anyone"), None).await;
    let wed = create(&pool, &desk, input("Wes", "Wednesday"), None).await;
    let eve = create(&pool, &desk, input("Eve", "Evening"), None).await;
    let oth = create(&pool, &desk, input("Otto", "Other"), None).await;
    let tele = create(&pool, &desk, input("Tia", "Tele"), None).await;
    let busy = create(&pool, &desk, input("Bea", "Busy"), None).await;
    for w in [
        wants(ema, &c, "2", "9:00", "12:00", "1"),
        wants(uri, "", "", "", "", "3"),
        wants(any, "", "1,2,3", "8:00", "18:00", "1"),
        wants(wed, "", "3", "", "", "3"),
        wants(eve, "", "", "17:00", "20:00", "3"),
        wants(oth, &other.id.to_string(), "", "", "", "3"),
        WaitlistInput {
            modality: "telehealth".into(),
            ..wants(tele, "", "", "", "", "3")
        },
        wants(busy, "", "", "", "", "3"),
    ] {
        waitlist::add(&pool, &desk, &meta(), &w).await.unwrap();
    }
    scheduling::book(
        &pool,
        &desk,
        &meta(),
        &booking(
            &p,
            &other.id.to_string(),
            &busy.to_string(),
            "12/08/2026",
            "10:30",
        ),
    )
    .await
    .unwrap();
    // a second entry for a waiting client is refused
    let err = waitlist::add(&pool, &desk, &meta(), &wants(ema, "", "", "", "", "1"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, AppError::Conflict(_) | AppError::Validation { .. }),
        "{err:?}"
    );

    let err = waitlist::matches(&pool, &desk, &meta(), id)
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Conflict(m) if m.contains("cancel it first")));
    scheduling::change_status(
        &pool,
        &desk,
        &meta(),
        id,
        "cancelled",
        "client",
        "Moved away",
        Scope::This,
    )
    .await
    .unwrap();
    let found = waitlist::matches(&pool, &desk, &meta(), id).await.unwrap();
    let names: Vec<&str> = found.iter().map(|m| m.entry.client_name.as_str()).collect();
    // urgent first; then asking for this clinician; then the longest wait
    assert_eq!(names, ["Uri Urgent", "Ema Early", "Ann Anyone"]);
    assert_eq!(
        found[1].why,
        "Routine · asked for casey@example.com · added today"
    );

    let said = waitlist::offer(&pool, &desk, &meta(), id, found[1].entry.id)
        .await
        .unwrap();
    assert!(
        said.starts_with("Offered to Ema Early by email; the time is held until"),
        "{said}"
    );
    let body: String =
        sqlx::query_scalar("SELECT body FROM outbox_messages WHERE kind = 'slot_offer'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(body.starts_with("Hello, an appointment time has opened with casey@example.com at My practice on Tuesday, December 8 at 10:00 AM."), "{body}");
    assert!(!body.contains("Early") && !body.contains("Individual"));
    // the held time is refused to others, and a second offer of it too
    let err = scheduling::book(
        &pool,
        &desk,
        &meta(),
        &booking(&p, &c, &uri.to_string(), "12/08/2026", "10:00"),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&err, AppError::Conflict(m) if m.contains("held for a client on the waitlist")),
        "{err:?}"
    );
    let err = waitlist::offer(&pool, &desk, &meta(), id, found[0].entry.id)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AppError::Conflict(m) if m.contains("already offered")),
        "{err:?}"
    );
    assert_eq!(
        waitlist::matches(&pool, &desk, &meta(), id)
            .await
            .unwrap()
            .len(),
        2,
        "Ema holds an offer"
    );
    // booking it for Ema takes the offer up and closes her entry
    scheduling::book(
        &pool,
        &desk,
        &meta(),
        &booking(&p, &c, &ema.to_string(), "12/08/2026", "10:00"),
    )
    .await
    .unwrap();
    let open: Vec<String> = waitlist::list(&pool, &desk, &meta())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.client_name)
        .collect();
    assert!(
        !open.contains(&"Ema Early".to_owned()) && open.len() == 7,
        "{open:?}"
    );
    let status: String = sqlx::query_scalar("SELECT status FROM slot_offers")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "booked");

    let clinician_err = waitlist::list(&pool, &casey, &meta()).await.unwrap_err();
    assert_eq!(clinician_err, AppError::Forbidden);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_worker_marks_messages_without_a_transport_and_retries_failures(pool: PgPool) {
    let p = practice(&pool).await;
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let admin = staff(&pool, "boss@example.com", Role::Admin).await;
    let casey = staff(&pool, "casey@example.com", Role::Clinician).await;
    let mut consenting = input("Ann", "Carter");
    consenting.email = "ann@example.com".into();
    consenting.email_consent = Some("on".into());
    consenting.phone_mobile = "(312) 555-0188".into();
    consenting.sms_consent = Some("on".into());
    let ann = create(&pool, &desk, consenting, None).await;
    // tomorrow night: the email reminder is due now
    let soon = (chrono::Utc::now() + chrono::Duration::days(1))
        .with_timezone(&chrono_tz::America::Chicago);
    let mut form = booking(
        &p,
        &casey.id.to_string(),
        &ann.to_string(),
        &soon.format("%m/%d/%Y").to_string(),
        "",
    );
    form.start_time = "11:00 pm".into();
    scheduling::book(&pool, &desk, &meta(), &form)
        .await
        .unwrap();
    // the text reminder is due a day before: pretend that moment has come
    sqlx::query("UPDATE outbox_messages SET next_attempt_at = now()")
        .execute(&pool)
        .await
        .unwrap();

    assert_eq!(
        outbox::run_once(&pool, &Transport::None, "https://ehr.example.com", 10)
            .await
            .unwrap(),
        2
    );
    let statuses: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT channel, status, last_error FROM outbox_messages ORDER BY channel")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(statuses[0].1, "no_transport");
    assert_eq!(
        statuses[0].2.as_deref(),
        Some("No email transport configured (SMTP_URL).")
    );
    assert_eq!(statuses[1].1, "no_transport");

    // a mail server that is not there: the send fails, is retried later, then given up
    sqlx::query("UPDATE outbox_messages SET status = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL WHERE channel = 'email'")
        .execute(&pool)
        .await
        .unwrap();
    let config = app::config::Config::from_lookup(|k| match k {
        "JWT_SECRET" => Some("test-secret-test-secret-test-secret!".into()),
        "SMTP_URL" => Some("smtp://127.0.0.1:9".into()),
        _ => None,
    })
    .unwrap();
    let smtp = Transport::from_config(&config).unwrap();
    assert_eq!(
        outbox::run_once(&pool, &smtp, "https://ehr.example.com", 10)
            .await
            .unwrap(),
        1
    );
    let (status, attempts, wait): (String, i32, f64) = sqlx::query_as(
        "SELECT status, attempts, extract(epoch FROM next_attempt_at - now())::float8 FROM outbox_messages WHERE channel = 'email'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((status.as_str(), attempts), ("pending", 1));
    assert!(
        (50.0..=61.0).contains(&wait),
        "retried in a minute, not {wait}"
    );
    assert_eq!(
        outbox::run_once(&pool, &smtp, "https://ehr.example.com", 10)
            .await
            .unwrap(),
        0,
        "not due yet"
    );
    sqlx::query(
        "UPDATE outbox_messages SET attempts = $1, next_attempt_at = now() WHERE channel = 'email'",
    )
    .bind(outbox::MAX_ATTEMPTS - 1)
    .execute(&pool)
    .await
    .unwrap();
    outbox::run_once(&pool, &smtp, "https://ehr.example.com", 10)
        .await
        .unwrap();
    let problems = outbox::problems(&pool, &admin).await.unwrap();
    assert_eq!(problems.len(), 2);
    assert!(problems
        .iter()
        .any(|p| p.status == "failed" && p.channel == "email"));
    assert_eq!(
        outbox::problems(&pool, &desk).await.unwrap_err(),
        AppError::Forbidden
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn appointment_details_for_who_may_see_them(pool: PgPool) {
    let p = practice(&pool).await;
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let casey = staff(&pool, "casey@example.com", Role::Clinician).await;
    let other = staff(&pool, "other@example.com", Role::Clinician).await;
    let biller = staff(&pool, "biller@example.com", Role::Biller).await;
    let ann = create(&pool, &desk, input("Ann", "Carter"), None).await;
    let mut form = booking(
        &p,
        &casey.id.to_string(),
        &ann.to_string(),
        "12/01/2026",
        "10:00",
    );
    form.repeat = "weekly".into();
    form.count = "3".into();
    let id = scheduling::book(&pool, &desk, &meta(), &form)
        .await
        .unwrap();
    let d = scheduling::details(&pool, &casey, &meta(), id)
        .await
        .unwrap();
    assert_eq!(d.when, "Tuesday 12/01/2026, 10:00 AM – 10:50 AM CST");
    assert_eq!(d.clients, vec![(ann, "Ann Carter".to_owned())]);
    assert_eq!(d.series.as_deref(), Some("Weekly on Tuesday, 3 times"));
    assert!(!d.can_manage);
    assert_eq!(d.history.len(), 1);
    assert!(
        scheduling::details(&pool, &desk, &meta(), id)
            .await
            .unwrap()
            .can_manage
    );
    scheduling::details(&pool, &biller, &meta(), id)
        .await
        .unwrap();
    assert_eq!(
        scheduling::details(&pool, &other, &meta(), id)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    // a clinician whose caseload holds the client sees their appointments with colleagues too
    let mine = create(&pool, &desk, input("Cy", "Dunn"), Some(&other)).await;
    let with_casey = scheduling::book(
        &pool,
        &desk,
        &meta(),
        &booking(
            &p,
            &casey.id.to_string(),
            &mine.to_string(),
            "12/03/2026",
            "10:00",
        ),
    )
    .await
    .unwrap();
    scheduling::details(&pool, &other, &meta(), with_casey)
        .await
        .unwrap();
    let outcomes: Vec<String> = sqlx::query_scalar(
        "SELECT outcome FROM audit_events WHERE action = 'scheduling.appointment_view' ORDER BY outcome",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    // four reads, and the one refusal recorded as such
    assert_eq!(
        outcomes,
        ["denied", "success", "success", "success", "success"]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_calendar_feed_shows_initials_only_and_stops_when_replaced_or_revoked(pool: PgPool) {
    use app::scheduling::server::feeds;
    let p = practice(&pool).await;
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let casey = staff(&pool, "casey@example.com", Role::Clinician).await;
    let ann = create(&pool, &desk, input("Annabel", "Quintero"), None).await;
    let soon = (chrono::Utc::now() + chrono::Duration::days(3))
        .with_timezone(&chrono_tz::America::Chicago);
    scheduling::book(
        &pool,
        &desk,
        &meta(),
        &booking(
            &p,
            &casey.id.to_string(),
            &ann.to_string(),
            &soon.format("%m/%d/%Y").to_string(),
            "10:00",
        ),
    )
    .await
    .unwrap();
    assert_eq!(
        feeds::enable(&pool, &desk, &meta()).await.unwrap_err(),
        AppError::Forbidden,
        "no calendar of their own"
    );
    assert!(feeds::status(&pool, &casey).await.unwrap().is_none());
    let first = feeds::enable(&pool, &casey, &meta()).await.unwrap();
    assert_eq!(first.len(), 43, "32 random bytes, base64url");
    let ics = feeds::ics(&pool, &first, &meta()).await.unwrap().unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
    assert!(ics.contains("SUMMARY:Individual therapy · A.Q."), "{ics}");
    assert!(!ics.contains("Annabel") && !ics.contains("Quintero"));
    let stored: Vec<u8> = sqlx::query_scalar("SELECT token_hash FROM calendar_feeds")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_ne!(stored, first.as_bytes(), "only the hash is kept");
    let second = feeds::enable(&pool, &casey, &meta()).await.unwrap();
    assert!(
        feeds::ics(&pool, &first, &meta()).await.unwrap().is_none(),
        "the old address stops"
    );
    assert!(feeds::ics(&pool, &second, &meta()).await.unwrap().is_some());
    feeds::revoke(&pool, &casey, &meta()).await.unwrap();
    assert!(feeds::ics(&pool, &second, &meta()).await.unwrap().is_none());
    assert!(feeds::status(&pool, &casey).await.unwrap().is_none());
    let reads: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'scheduling.feed_read'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(reads, 2);
}
