//! Booking on a real PostgreSQL: no double-booking of a clinician, room or client (even with 100
//! concurrent attempts), conflicts named in a sentence, daylight-saving times, the lifecycle.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

mod common;

use app::auth::types::Role;
use app::error::AppError;
use app::scheduling::recurrence::Scope;
use app::scheduling::server::{repo, service as scheduling};
use app::scheduling::types::AppointmentStatus;
use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use common::scheduling::{booking, mv, practice};
use common::{create, input, meta, staff};
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn a_hundred_concurrent_bookings_of_one_slot_make_one_appointment(pool: PgPool) {
    let p = practice(&pool).await;
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let clinician = staff(&pool, "casey@example.com", Role::Clinician).await;
    let mut clients = Vec::new();
    for n in 0..100 {
        clients.push(create(&pool, &desk, input("Client", &format!("Number{n}")), None).await);
    }
    // every attempt overlaps the others by at least 40 minutes
    let mut tasks = Vec::new();
    for (n, client) in clients.iter().enumerate() {
        let (pool, desk) = (pool.clone(), desk.clone());
        let form = booking(
            &p,
            &clinician.id.to_string(),
            &client.to_string(),
            "12/01/2026",
            &format!("10:{:02}", n % 10),
        );
        tasks.push(tokio::spawn(async move {
            scheduling::book(&pool, &desk, &meta(), &form).await
        }));
    }
    let mut booked = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => booked += 1,
            Err(AppError::Conflict(message)) => {
                assert!(
                    message.starts_with(
                        "casey@example.com already has Individual therapy on 12/01/2026"
                    ),
                    "{message}"
                );
            }
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(booked, 1);
    let overlapping: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM appointments a JOIN appointments b ON a.id < b.id
          AND a.clinician_id = b.clinician_id AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(overlapping, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn rooms_and_clients_cannot_be_double_booked_either(pool: PgPool) {
    let p = practice(&pool).await;
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let casey = staff(&pool, "casey@example.com", Role::Clinician).await;
    let sam = staff(&pool, "sam@example.com", Role::Clinician).await;
    let lee = staff(&pool, "lee@example.com", Role::Clinician).await;
    let ann = create(&pool, &desk, input("Ann", "Carter"), None).await;
    let bo = create(&pool, &desk, input("Bo", "Dunn"), None).await;

    let mut first = booking(
        &p,
        &casey.id.to_string(),
        &ann.to_string(),
        "12/01/2026",
        "10:00",
    );
    first.room_id = p.room.to_string();
    let id = scheduling::book(&pool, &desk, &meta(), &first)
        .await
        .unwrap();

    // another clinician, another client, the same room
    let mut room = booking(
        &p,
        &sam.id.to_string(),
        &bo.to_string(),
        "12/01/2026",
        "10:30",
    );
    room.room_id = p.room.to_string();
    let err = scheduling::book(&pool, &desk, &meta(), &room)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        AppError::Conflict(
            "Room 1 is taken by Individual therapy with casey@example.com on 12/01/2026 10:00 AM CST to 10:50 AM."
                .into()
        )
    );
    // the same client with another clinician
    let client = booking(
        &p,
        &lee.id.to_string(),
        &ann.to_string(),
        "12/01/2026",
        "10:45",
    );
    let err = scheduling::book(&pool, &desk, &meta(), &client)
        .await
        .unwrap_err();
    assert!(
        matches!(err, AppError::Conflict(m) if m.starts_with("The client already has Individual therapy"))
    );

    // once cancelled, the time is free again for the room and the client
    scheduling::change_status(
        &pool,
        &desk,
        &meta(),
        id,
        "cancelled",
        "client",
        "Unwell",
        Scope::This,
    )
    .await
    .unwrap();
    scheduling::book(&pool, &desk, &meta(), &room)
        .await
        .unwrap();
    scheduling::book(&pool, &desk, &meta(), &client)
        .await
        .unwrap();
    // back-to-back is not an overlap
    let next = booking(
        &p,
        &casey.id.to_string(),
        &bo.to_string(),
        "12/01/2026",
        "11:20",
    );
    scheduling::book(&pool, &desk, &meta(), &next)
        .await
        .unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn wall_clock_times_hold_across_daylight_saving_changes(pool: PgPool) {
    let p = practice(&pool).await;
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let casey = staff(&pool, "casey@example.com", Role::Clinician).await;
    let ann = create(&pool, &desk, input("Ann", "Carter"), None).await;
    let chicago = chrono_tz::America::Chicago;
    // 10:00 in Chicago is 16:00 UTC in winter and 15:00 UTC in summer
    for (date, utc_hour) in [
        ("03/07/2026", 16),
        ("03/09/2026", 15),
        ("10/31/2026", 15),
        ("11/02/2026", 16),
    ] {
        let id = scheduling::book(
            &pool,
            &desk,
            &meta(),
            &booking(&p, &casey.id.to_string(), &ann.to_string(), date, "10:00"),
        )
        .await
        .unwrap();
        let starts: chrono::DateTime<Utc> =
            sqlx::query_scalar("SELECT starts_at FROM appointments WHERE id = $1")
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(
            starts.format("%H").to_string(),
            format!("{utc_hour}"),
            "{date}"
        );
        assert_eq!(
            starts.with_timezone(&chicago).format("%H:%M").to_string(),
            "10:00"
        );
    }
    // 2:30 am on the spring-forward day does not exist in Chicago
    let err = scheduling::book(
        &pool,
        &desk,
        &meta(),
        &booking(
            &p,
            &casey.id.to_string(),
            &ann.to_string(),
            "03/08/2026",
            "2:30 am",
        ),
    )
    .await
    .unwrap_err();
    assert!(err.field_messages("start_time").unwrap()[0].contains("clocks move forward"));
    let instant = scheduling::instant(
        NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        NaiveTime::from_hms_opt(1, 30, 0).unwrap(),
        chicago,
    )
    .unwrap();
    assert_eq!(
        instant,
        Utc.with_ymd_and_hms(2026, 11, 1, 6, 30, 0).unwrap(),
        "the first 1:30 am"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_lifecycle_is_kept_in_history_and_checked(pool: PgPool) {
    let p = practice(&pool).await;
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let casey = staff(&pool, "casey@example.com", Role::Clinician).await;
    let biller = staff(&pool, "bill@example.com", Role::Biller).await;
    let ann = create(&pool, &desk, input("Ann", "Carter"), None).await;
    let form = booking(
        &p,
        &casey.id.to_string(),
        &ann.to_string(),
        "12/01/2026",
        "10:00",
    );
    assert_eq!(
        scheduling::book(&pool, &biller, &meta(), &form)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    let id = scheduling::book(&pool, &desk, &meta(), &form)
        .await
        .unwrap();

    let err =
        scheduling::change_status(&pool, &desk, &meta(), id, "completed", "", "", Scope::This)
            .await
            .unwrap_err();
    assert!(matches!(err, AppError::Conflict(m) if m.contains("cannot become completed")));
    let err =
        scheduling::change_status(&pool, &desk, &meta(), id, "cancelled", "", "", Scope::This)
            .await
            .unwrap_err();
    assert!(err.field_messages("cancel_kind").is_some() && err.field_messages("reason").is_some());
    for to in ["confirmed", "checked_in", "completed"] {
        scheduling::change_status(&pool, &desk, &meta(), id, to, "", "", Scope::This)
            .await
            .unwrap();
    }
    let history: Vec<AppointmentStatus> = sqlx::query_scalar(
        "SELECT to_status FROM appointment_status_history WHERE appointment_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        history,
        [
            AppointmentStatus::Scheduled,
            AppointmentStatus::Confirmed,
            AppointmentStatus::CheckedIn,
            AppointmentStatus::Completed
        ]
    );
    // a completed appointment stays where it was
    let err = scheduling::reschedule(&pool, &desk, &meta(), id, mv("12/02/2026", "10:00", ""))
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Conflict(_)));
    // every step is in the audit trail, filed under the client
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action LIKE 'scheduling.%' AND client_id = $1",
    )
    .bind(ann)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 4);
}

#[sqlx::test(migrations = "../migrations")]
async fn moving_an_appointment_onto_another_names_the_clash(pool: PgPool) {
    let p = practice(&pool).await;
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let casey = staff(&pool, "casey@example.com", Role::Clinician).await;
    let ann = create(&pool, &desk, input("Ann", "Carter"), None).await;
    let bo = create(&pool, &desk, input("Bo", "Dunn"), None).await;
    scheduling::book(
        &pool,
        &desk,
        &meta(),
        &booking(
            &p,
            &casey.id.to_string(),
            &ann.to_string(),
            "12/01/2026",
            "10:00",
        ),
    )
    .await
    .unwrap();
    let later = scheduling::book(
        &pool,
        &desk,
        &meta(),
        &booking(
            &p,
            &casey.id.to_string(),
            &bo.to_string(),
            "12/01/2026",
            "13:00",
        ),
    )
    .await
    .unwrap();
    let err = scheduling::reschedule(&pool, &desk, &meta(), later, mv("12/01/2026", "10:30", ""))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        AppError::Conflict(
            "casey@example.com already has Individual therapy on 12/01/2026 10:00 AM CST to 10:50 AM."
                .into()
        )
    );
    scheduling::reschedule(
        &pool,
        &desk,
        &meta(),
        later,
        mv("12/01/2026", "10:50", "80"),
    )
    .await
    .unwrap();
    let week = repo::week(
        &pool,
        &[casey.id],
        Utc.with_ymd_and_hms(2026, 11, 30, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 12, 7, 0, 0, 0).unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(week.len(), 2);
    assert_eq!(week[1].clients.as_deref(), Some("Bo D."), "{bo}");
    assert_eq!((week[1].ends_at - week[1].starts_at).num_minutes(), 80);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_week_shows_details_to_who_may_see_them_and_busy_to_others(pool: PgPool) {
    let p = practice(&pool).await;
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let casey = staff(&pool, "casey@example.com", Role::Clinician).await;
    let sam = staff(&pool, "sam@example.com", Role::Clinician).await;
    let ann = create(&pool, &desk, input("Ann", "Carter"), Some(&casey)).await;
    // Sunday 11/29 and Monday 11/30 (the practice is in Chicago): different weeks
    for date in ["11/29/2026", "11/30/2026"] {
        scheduling::book(
            &pool,
            &desk,
            &meta(),
            &booking(&p, &casey.id.to_string(), &ann.to_string(), date, "9:30 am"),
        )
        .await
        .unwrap();
    }
    let monday = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    let own = scheduling::week(&pool, &casey, &meta(), casey.id, monday)
        .await
        .unwrap();
    assert_eq!(own.monday, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
    assert_eq!(own.entries.len(), 1, "Sunday belongs to the week before");
    let e = &own.entries[0];
    assert_eq!((e.day, e.start_minute, e.minutes), (0, 9 * 60 + 30, 50));
    assert_eq!(e.title, "Individual therapy · Ann C.");
    assert_eq!(e.time_label, "9:30 AM – 10:20 AM");

    let other = scheduling::week(&pool, &sam, &meta(), casey.id, monday)
        .await
        .unwrap();
    assert_eq!(other.entries[0].title, "Busy");
    assert!(other.entries[0].busy_only && other.entries[0].place.is_empty());
    let desk_view = scheduling::week(&pool, &desk, &meta(), casey.id, monday)
        .await
        .unwrap();
    assert!(!desk_view.entries[0].busy_only);
    assert_eq!(desk_view.day_labels[0], "Mon 11/30");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_day_shows_several_clinicians_side_by_side_from_one_query(pool: PgPool) {
    let p = practice(&pool).await;
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let casey = staff(&pool, "casey@example.com", Role::Clinician).await;
    let dana = staff(&pool, "dana@example.com", Role::Clinician).await;
    let ann = create(&pool, &desk, input("Ann", "Carter"), None).await;
    let bo = create(&pool, &desk, input("Bo", "Diaz"), None).await;
    for (who, client, time) in [
        (&casey, ann, "9:00"),
        (&dana, bo, "9:00"),
        (&casey, ann, "2:00 pm"),
    ] {
        scheduling::book(
            &pool,
            &desk,
            &meta(),
            &booking(
                &p,
                &who.id.to_string(),
                &client.to_string(),
                "12/01/2026",
                time,
            ),
        )
        .await
        .unwrap();
    }
    // the next day is not shown
    scheduling::book(
        &pool,
        &desk,
        &meta(),
        &booking(
            &p,
            &dana.id.to_string(),
            &bo.to_string(),
            "12/02/2026",
            "9:00",
        ),
    )
    .await
    .unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let day = scheduling::day(&pool, &desk, &meta(), vec![dana.id, casey.id], date)
        .await
        .unwrap();
    let columns: Vec<(&str, usize)> = day
        .columns
        .iter()
        .map(|c| (c.clinician_name.as_str(), c.entries.len()))
        .collect();
    assert_eq!(
        columns,
        [("casey@example.com", 2), ("dana@example.com", 1)],
        "by name"
    );
    assert_eq!(day.columns[0].entries[1].time_label, "2:00 PM – 2:50 PM");
    assert_eq!(
        day.legend,
        [("Individual therapy".to_owned(), "#2f5d8a".to_owned())]
    );
    // a clinician sees their own details and only "busy" for a colleague
    let as_casey = scheduling::day(&pool, &casey, &meta(), vec![], date)
        .await
        .unwrap();
    assert_eq!(as_casey.columns.len(), 1, "by default: their own column");
    let both = scheduling::day(&pool, &casey, &meta(), vec![casey.id, dana.id], date)
        .await
        .unwrap();
    assert!(!both.columns[0].entries[0].busy_only);
    assert_eq!(both.columns[1].entries[0].title, "Busy");
    let eleven: Vec<_> = (0..11).map(|_| casey.id).collect();
    let err = scheduling::day(&pool, &desk, &meta(), eleven, date)
        .await
        .unwrap_err();
    assert!(err.field_messages("clinicians").is_some());
}

#[sqlx::test(migrations = "../migrations")]
async fn a_month_counts_each_day_in_whole_weeks(pool: PgPool) {
    let p = practice(&pool).await;
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let casey = staff(&pool, "casey@example.com", Role::Clinician).await;
    let ann = create(&pool, &desk, input("Ann", "Carter"), None).await;
    let c = casey.id.to_string();
    let mut ids = Vec::new();
    for (date, time) in [
        ("12/01/2026", "9:00"),
        ("12/01/2026", "11:00"),
        ("12/31/2026", "9:00"),
    ] {
        ids.push(
            scheduling::book(
                &pool,
                &desk,
                &meta(),
                &booking(&p, &c, &ann.to_string(), date, time),
            )
            .await
            .unwrap(),
        );
    }
    scheduling::change_status(
        &pool,
        &desk,
        &meta(),
        ids[1],
        "cancelled",
        "client",
        "Unwell",
        Scope::This,
    )
    .await
    .unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 15).unwrap();
    let month = scheduling::month(&pool, &desk, &meta(), casey.id, day)
        .await
        .unwrap();
    assert_eq!(month.label, "December 2026");
    // Monday 11/30 to Sunday 01/03: five weeks
    assert_eq!(month.days.len(), 35);
    assert!(!month.days[0].in_month && month.days[1].in_month);
    assert_eq!(month.days[1].count, 1, "the cancelled one does not count");
    assert_eq!(month.days[1].first, ["9:00 AM Individual therapy · Ann C."]);
    assert_eq!(month.days[31].count, 1);
}
