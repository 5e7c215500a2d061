//! Recurring series on a real PostgreSQL: wall-clock times across daylight saving, every clash
//! reported before anything is written, "this", "this and following" and "all"; working hours;
//! reminders in the outbox (replaced on a move, withdrawn on a cancellation, nothing clinical).
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

mod common;

use app::auth::types::Role;
use app::error::AppError;
use app::ids::{AppointmentId, ClientId};
use app::scheduling::recurrence::Scope;
use app::scheduling::server::service as scheduling;
use app::scheduling::types::BookingInput;
use chrono::{DateTime, Utc};
use common::scheduling::{booking, practice, Practice};
use common::{create, input, meta, staff};
use sqlx::PgPool;

fn weekly(p: &Practice, clinician: &str, client: &str, first: &str, count: &str) -> BookingInput {
    BookingInput {
        repeat: "weekly".into(),
        ends: "count".into(),
        count: count.into(),
        ..booking(p, clinician, client, first, "10:00")
    }
}

/// The client's appointments: local start (Chicago) and status, in time order.
async fn schedule(pool: &PgPool, client: ClientId) -> Vec<(String, String)> {
    let rows: Vec<(DateTime<Utc>, String)> = sqlx::query_as(
        "SELECT a.starts_at, a.status::text FROM appointments a
           JOIN appointment_clients c ON c.appointment_id = a.id
          WHERE c.client_id = $1 ORDER BY a.starts_at",
    )
    .bind(client)
    .fetch_all(pool)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(t, s)| {
            (
                t.with_timezone(&chrono_tz::America::Chicago)
                    .format("%a %m/%d %H:%M")
                    .to_string(),
                s,
            )
        })
        .collect()
}

async fn ids_of(pool: &PgPool, client: ClientId) -> Vec<AppointmentId> {
    sqlx::query_scalar(
        "SELECT a.id FROM appointments a JOIN appointment_clients c ON c.appointment_id = a.id
          WHERE c.client_id = $1 ORDER BY a.starts_at",
    )
    .bind(client)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_weekly_series_keeps_its_wall_clock_time_across_both_dst_changes(pool: PgPool) {
    let p = practice(&pool).await;
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let casey = staff(&pool, "casey@example.com", Role::Clinician).await;
    let ann = create(&pool, &desk, input("Ann", "Carter"), None).await;
    let bo = create(&pool, &desk, input("Bo", "Diaz"), None).await;
    // November 1 2026 and March 14 2027: the US changes clocks
    let (c, a, b) = (casey.id.to_string(), ann.to_string(), bo.to_string());
    scheduling::book(
        &pool,
        &desk,
        &meta(),
        &weekly(&p, &c, &a, "10/27/2026", "3"),
    )
    .await
    .unwrap();
    scheduling::book(
        &pool,
        &desk,
        &meta(),
        &weekly(&p, &c, &b, "03/09/2027", "2"),
    )
    .await
    .unwrap();
    let local: Vec<String> = schedule(&pool, ann)
        .await
        .into_iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(
        local,
        ["Tue 10/27 10:00", "Tue 11/03 10:00", "Tue 11/10 10:00"]
    );
    let local: Vec<String> = schedule(&pool, bo).await.into_iter().map(|r| r.0).collect();
    assert_eq!(local, ["Tue 03/09 10:00", "Tue 03/16 10:00"]);
    let utc_hours: Vec<String> = sqlx::query_scalar(
        "SELECT to_char(starts_at AT TIME ZONE 'UTC', 'HH24') FROM appointments ORDER BY starts_at",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        utc_hours,
        ["15", "16", "16", "16", "15"],
        "CDT, CST, CST, CST, CDT"
    );
    let series: Vec<String> =
        sqlx::query_scalar("SELECT summary FROM appointment_series ORDER BY created_at")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        series,
        ["Weekly on Tuesday, 3 times", "Weekly on Tuesday, 2 times"]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_series_that_clashes_anywhere_is_refused_whole_naming_each_clash(pool: PgPool) {
    let p = practice(&pool).await;
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let casey = staff(&pool, "casey@example.com", Role::Clinician).await;
    let ann = create(&pool, &desk, input("Ann", "Carter"), None).await;
    let bo = create(&pool, &desk, input("Bo", "Diaz"), None).await;
    let c = casey.id.to_string();
    for day in ["12/15/2026", "12/29/2026"] {
        scheduling::book(
            &pool,
            &desk,
            &meta(),
            &booking(&p, &c, &bo.to_string(), day, "10:30"),
        )
        .await
        .unwrap();
    }
    let err = scheduling::book(
        &pool,
        &desk,
        &meta(),
        &weekly(&p, &c, &ann.to_string(), "12/01/2026", "6"),
    )
    .await
    .unwrap_err();
    let AppError::Conflict(message) = err else {
        panic!("{err:?}")
    };
    assert!(
        message.starts_with("2 of the 6 dates clash, so nothing was booked."),
        "{message}"
    );
    assert!(
        message.contains("12/15/2026 10:30 AM CST") && message.contains("12/29/2026 10:30 AM CST"),
        "{message}"
    );
    assert!(
        schedule(&pool, ann).await.is_empty(),
        "nothing half-written"
    );
    let series: i64 = sqlx::query_scalar("SELECT count(*) FROM appointment_series")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(series, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn this_one_this_and_following_and_all(pool: PgPool) {
    let p = practice(&pool).await;
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let casey = staff(&pool, "casey@example.com", Role::Clinician).await;
    let ann = create(&pool, &desk, input("Ann", "Carter"), None).await;
    scheduling::book(
        &pool,
        &desk,
        &meta(),
        &weekly(
            &p,
            &casey.id.to_string(),
            &ann.to_string(),
            "12/01/2026",
            "5",
        ),
    )
    .await
    .unwrap();
    let ids = ids_of(&pool, ann).await;
    let to = |date, time, scope| scheduling::Move {
        date,
        start_time: time,
        minutes: "",
        scope,
        override_hours: false,
    };
    // the second one alone moves to Wednesday: an exception
    scheduling::reschedule(
        &pool,
        &desk,
        &meta(),
        ids[1],
        to("12/09/2026", "10:00", Scope::This),
    )
    .await
    .unwrap();
    // from the third on, a day later at 2 pm (each week moves onto the next one's old day)
    scheduling::reschedule(
        &pool,
        &desk,
        &meta(),
        ids[2],
        to("12/16/2026", "2:00 pm", Scope::Following),
    )
    .await
    .unwrap();
    let local: Vec<String> = schedule(&pool, ann)
        .await
        .into_iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(
        local,
        [
            "Tue 12/01 10:00",
            "Wed 12/09 10:00",
            "Wed 12/16 14:00",
            "Wed 12/23 14:00",
            "Wed 12/30 14:00"
        ]
    );
    // all: back to 11:00 on Tuesdays; the exception stays where it was put
    scheduling::reschedule(
        &pool,
        &desk,
        &meta(),
        ids[3],
        to("12/22/2026", "11:00", Scope::All),
    )
    .await
    .unwrap();
    let local: Vec<String> = schedule(&pool, ann)
        .await
        .into_iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(
        local,
        [
            "Mon 11/30 11:00",
            "Wed 12/09 10:00",
            "Tue 12/15 11:00",
            "Tue 12/22 11:00",
            "Tue 12/29 11:00"
        ]
    );
    // cancelling "this and following" from the fourth
    scheduling::change_status(
        &pool,
        &desk,
        &meta(),
        ids[3],
        "cancelled",
        "client",
        "Moving away",
        Scope::Following,
    )
    .await
    .unwrap();
    let statuses: Vec<String> = schedule(&pool, ann)
        .await
        .into_iter()
        .map(|r| r.1)
        .collect();
    assert_eq!(
        statuses,
        [
            "scheduled",
            "scheduled",
            "scheduled",
            "cancelled",
            "cancelled"
        ]
    );
    let history: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM appointment_status_history WHERE to_status = 'cancelled'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(history, 2, "each cancelled occurrence keeps its history");
}

#[sqlx::test(migrations = "../migrations")]
async fn moving_a_series_reports_clashes_before_moving_anything(pool: PgPool) {
    let p = practice(&pool).await;
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let casey = staff(&pool, "casey@example.com", Role::Clinician).await;
    let ann = create(&pool, &desk, input("Ann", "Carter"), None).await;
    let bo = create(&pool, &desk, input("Bo", "Diaz"), None).await;
    let c = casey.id.to_string();
    scheduling::book(
        &pool,
        &desk,
        &meta(),
        &weekly(&p, &c, &ann.to_string(), "12/01/2026", "3"),
    )
    .await
    .unwrap();
    scheduling::book(
        &pool,
        &desk,
        &meta(),
        &booking(&p, &c, &bo.to_string(), "12/15/2026", "14:00"),
    )
    .await
    .unwrap();
    let before = schedule(&pool, ann).await;
    let ids = ids_of(&pool, ann).await;
    let err = scheduling::reschedule(
        &pool,
        &desk,
        &meta(),
        ids[0],
        scheduling::Move {
            date: "12/01/2026",
            start_time: "2:00 pm",
            minutes: "",
            scope: Scope::All,
            override_hours: false,
        },
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&err, AppError::Conflict(m) if m.starts_with("1 of the 3 dates clash")),
        "{err:?}"
    );
    assert_eq!(schedule(&pool, ann).await, before, "nothing moved");
}

#[sqlx::test(migrations = "../migrations")]
async fn outside_working_hours_only_an_admin_may_book_and_only_on_purpose(pool: PgPool) {
    let p = practice(&pool).await;
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let admin = staff(&pool, "boss@example.com", Role::Admin).await;
    let casey = staff(&pool, "casey@example.com", Role::Clinician).await;
    let ann = create(&pool, &desk, input("Ann", "Carter"), None).await;
    // Tuesdays 9–5
    sqlx::query(
        "INSERT INTO staff_working_hours (user_id, location_id, weekday, starts_at, ends_at) VALUES ($1, $2, 2, '09:00', '17:00')",
    )
    .bind(casey.id)
    .bind(p.office)
    .execute(&pool)
    .await
    .unwrap();
    let early = booking(
        &p,
        &casey.id.to_string(),
        &ann.to_string(),
        "12/01/2026",
        "7:30 am",
    );
    let err = scheduling::book(&pool, &desk, &meta(), &early)
        .await
        .unwrap_err();
    let message = &err.field_messages("start_time").unwrap()[0];
    assert_eq!(
        message,
        "12/01/2026 7:30 AM CST is outside the clinician's hours (working hours on Tuesday: 9:00 AM – 5:00 PM). Only an administrator can book outside them."
    );
    let err = scheduling::book(&pool, &admin, &meta(), &early)
        .await
        .unwrap_err();
    assert!(err.field_messages("start_time").unwrap()[0].ends_with("to book it anyway."));
    let on_purpose = BookingInput {
        override_hours: Some("on".into()),
        ..early.clone()
    };
    let err = scheduling::book(&pool, &desk, &meta(), &on_purpose)
        .await
        .unwrap_err();
    assert!(
        err.field_messages("start_time").is_some(),
        "the front desk cannot override"
    );
    scheduling::book(&pool, &admin, &meta(), &on_purpose)
        .await
        .unwrap();
    let wednesday = booking(
        &p,
        &casey.id.to_string(),
        &ann.to_string(),
        "12/02/2026",
        "10:00",
    );
    let err = scheduling::book(&pool, &desk, &meta(), &wednesday)
        .await
        .unwrap_err();
    assert!(err.field_messages("start_time").unwrap()[0].contains("no working hours on Wednesday"));
    let inside = booking(
        &p,
        &casey.id.to_string(),
        &ann.to_string(),
        "12/08/2026",
        "4:10 pm",
    );
    scheduling::book(&pool, &desk, &meta(), &inside)
        .await
        .unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn reminders_follow_consent_are_replaced_on_a_move_and_say_nothing_clinical(pool: PgPool) {
    let p = practice(&pool).await;
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let casey = staff(&pool, "casey@example.com", Role::Clinician).await;
    sqlx::query("UPDATE users SET display_name = 'Dr. Casey Morgan' WHERE id = $1")
        .bind(casey.id)
        .execute(&pool)
        .await
        .unwrap();
    let mut consenting = input("Annabel", "Quintero");
    consenting.email = "annabel@example.com".into();
    consenting.email_consent = Some("on".into());
    consenting.phone_mobile = "(312) 555-0188".into();
    consenting.sms_consent = Some("on".into());
    let ann = create(&pool, &desk, consenting, None).await;
    let mut silent = input("Bo", "Diaz");
    silent.email = "bo@example.com".into();
    let bo = create(&pool, &desk, silent, None).await;
    let c = casey.id.to_string();
    let id = scheduling::book(
        &pool,
        &desk,
        &meta(),
        &booking(&p, &c, &ann.to_string(), "12/09/2026", "10:00"),
    )
    .await
    .unwrap();
    scheduling::book(
        &pool,
        &desk,
        &meta(),
        &booking(&p, &c, &bo.to_string(), "12/09/2026", "14:00"),
    )
    .await
    .unwrap();
    let pending = |pool: PgPool| async move {
        sqlx::query_as::<_, (String, String, String, DateTime<Utc>)>(
            "SELECT channel, recipient, body, send_after FROM outbox_messages WHERE status = 'pending' ORDER BY channel",
        )
        .fetch_all(&pool)
        .await
        .unwrap()
    };
    let rows = pending(pool.clone()).await;
    assert_eq!(rows.len(), 2, "Bo did not consent: no reminder for him");
    assert_eq!(
        (rows[0].0.as_str(), rows[0].1.as_str()),
        ("email", "annabel@example.com")
    );
    assert_eq!(
        (rows[1].0.as_str(), rows[1].1.as_str()),
        ("sms", "+13125550188")
    );
    let body = &rows[0].2;
    assert_eq!(
        body,
        "Hello, this is a reminder of your appointment with Casey at My practice on Wednesday, December 9 at 10:00 AM. To confirm or cancel: {reply_link}"
    );
    for secret in [
        "Annabel",
        "Quintero",
        "Individual",
        "therapy",
        "Morgan",
        "Room",
    ] {
        assert!(!body.contains(secret), "{secret} in {body}");
    }
    let start: DateTime<Utc> =
        sqlx::query_scalar("SELECT starts_at FROM appointments WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(start - rows[0].3, chrono::Duration::hours(48));
    assert_eq!(start - rows[1].3, chrono::Duration::hours(24));

    scheduling::reschedule(
        &pool,
        &desk,
        &meta(),
        id,
        common::scheduling::mv("12/10/2026", "11:00", ""),
    )
    .await
    .unwrap();
    let rows = pending(pool.clone()).await;
    assert_eq!(rows.len(), 2);
    assert!(
        rows[0].2.contains("Thursday, December 10 at 11:00 AM"),
        "{}",
        rows[0].2
    );
    let superseded: i64 =
        sqlx::query_scalar("SELECT count(*) FROM outbox_messages WHERE status = 'superseded'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(superseded, 2, "the old reminders are replaced");

    scheduling::change_status(
        &pool,
        &desk,
        &meta(),
        id,
        "cancelled",
        "practice",
        "Clinician ill",
        Scope::This,
    )
    .await
    .unwrap();
    assert!(
        pending(pool.clone()).await.is_empty(),
        "no reminder for a cancelled appointment"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_reminder_link_confirms_or_cancels_that_appointment_only(pool: PgPool) {
    use app::scheduling::server::reply;
    let p = practice(&pool).await;
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let casey = staff(&pool, "casey@example.com", Role::Clinician).await;
    let mut consenting = input("Ann", "Carter");
    consenting.email = "ann@example.com".into();
    consenting.email_consent = Some("on".into());
    let ann = create(&pool, &desk, consenting, None).await;
    let c = casey.id.to_string();
    let first = scheduling::book(
        &pool,
        &desk,
        &meta(),
        &booking(&p, &c, &ann.to_string(), "12/09/2026", "10:00"),
    )
    .await
    .unwrap();
    let second = scheduling::book(
        &pool,
        &desk,
        &meta(),
        &booking(&p, &c, &ann.to_string(), "12/16/2026", "10:00"),
    )
    .await
    .unwrap();
    let token = |id: AppointmentId| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, uuid::Uuid>(
                "SELECT reply_token FROM outbox_messages WHERE appointment_id = $1",
            )
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let page = reply::page(&pool, token(first).await)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(page.when, "Wednesday, December 9 at 10:00 AM");
    assert_eq!(
        reply::answer(&pool, token(first).await, true, &meta())
            .await
            .unwrap(),
        "Thank you: your appointment is confirmed."
    );
    reply::answer(&pool, token(second).await, false, &meta())
        .await
        .unwrap();
    let statuses: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT status::text, cancel_kind FROM appointments ORDER BY starts_at")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        statuses,
        [
            ("confirmed".to_owned(), None),
            ("cancelled".to_owned(), Some("client".to_owned()))
        ]
    );
    assert!(reply::page(&pool, uuid::Uuid::new_v4())
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        reply::answer(&pool, uuid::Uuid::new_v4(), true, &meta())
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    let err = reply::answer(&pool, token(second).await, true, &meta())
        .await
        .unwrap_err();
    assert!(
        matches!(err, AppError::Conflict(_)),
        "a cancelled appointment is not confirmed again"
    );
}
