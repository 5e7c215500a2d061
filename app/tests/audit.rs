//! The audit trail is append-only and its hash chain finds tampering.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

use app::audit::server::service::verify_chain;
use app::audit::server::{record, AuditEvent};
use app::audit::types::Outcome;
use app::auth::server::RequestMeta;
use sqlx::{Connection, PgConnection, PgPool};

async fn append(pool: &PgPool, n: usize) {
    let mut conn = pool.acquire().await.unwrap();
    for i in 0..n {
        record(
            &mut conn,
            AuditEvent::new("test.event", Outcome::Success, &RequestMeta::default())
                .detail(serde_json::json!({ "n": i })),
        )
        .await
        .unwrap();
    }
}

async fn run(pool: &PgPool, statement: &str) {
    sqlx::query(statement).execute(pool).await.unwrap();
}

/// The id of the first row `verify_chain` finds broken.
async fn first_broken(pool: &PgPool) -> Option<i64> {
    verify_chain(pool)
        .await
        .unwrap()
        .first_broken
        .map(|(id, _)| id)
}

/// `tasks` appenders side by side, `n` events each.
async fn append_concurrently(pool: &PgPool, tasks: usize, n: usize) {
    let running: Vec<_> = (0..tasks)
        .map(|_| {
            let pool = pool.clone();
            tokio::spawn(async move { append(&pool, n).await })
        })
        .collect();
    for t in running {
        t.await.unwrap();
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn an_untouched_chain_verifies(pool: PgPool) {
    append(&pool, 5).await;
    let report = verify_chain(&pool).await.unwrap();
    assert_eq!((report.checked, report.first_broken), (5, None));
    // one connection, one lane: its head is the newest row
    let (lane, hash): (i16, Vec<u8>) =
        sqlx::query_as("SELECT lane, hash FROM audit_events ORDER BY id DESC LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        report.heads,
        [app::audit::server::service::LaneHead {
            lane,
            place: 5,
            hash
        }]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn rows_cannot_be_changed_or_removed(pool: PgPool) {
    append(&pool, 2).await;
    let update = sqlx::query("UPDATE audit_events SET outcome = 'failure' WHERE id = 1")
        .execute(&pool)
        .await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = sqlx::query("DELETE FROM audit_events WHERE id = 2")
        .execute(&pool)
        .await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    let truncate = sqlx::query("TRUNCATE audit_events").execute(&pool).await;
    assert!(truncate.unwrap_err().to_string().contains("append-only"));
    // and a row cannot choose its own place or hash
    sqlx::query("INSERT INTO audit_events (id, action, outcome, prev_hash, hash) VALUES (99, 'x.y', 'success', 'a', 'b')")
        .execute(&pool).await.unwrap();
    let (id, ok): (i64, bool) = sqlx::query_as(
        "SELECT id, hash = audit_event_digest(e) FROM audit_events e ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((id, ok), (3, true));
}

#[sqlx::test(migrations = "../migrations")]
async fn verify_reports_the_first_tampered_row(pool: PgPool) {
    append(&pool, 6).await;
    // a superuser switches the guard off and edits history
    run(
        &pool,
        "ALTER TABLE audit_events DISABLE TRIGGER audit_events_immutable",
    )
    .await;
    run(
        &pool,
        "UPDATE audit_events SET detail = '{\"n\": 100}' WHERE id = 4",
    )
    .await;
    let report = verify_chain(&pool).await.unwrap();
    assert_eq!(report.first_broken.map(|(id, _)| id), Some(4));

    // removing a row is found too
    run(
        &pool,
        "UPDATE audit_events SET detail = '{\"n\": 3}' WHERE id = 4",
    )
    .await;
    assert_eq!(verify_chain(&pool).await.unwrap().first_broken, None);
    run(&pool, "DELETE FROM audit_events WHERE id = 2").await;
    assert_eq!(first_broken(&pool).await, Some(3));
}

/// A connection of its own (outside the test's small pool) and its backend pid.
async fn connection(pool: &PgPool) -> (i32, PgConnection) {
    let mut conn = PgConnection::connect_with(&pool.connect_options())
        .await
        .unwrap();
    let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    (pid, conn)
}

/// Two connections whose backend pids fall in the same lane (pid mod 16), where a transaction's
/// first append tries first.
async fn connections_in_one_lane(pool: &PgPool) -> (PgConnection, PgConnection) {
    let mut held: Vec<(i32, PgConnection)> = Vec::new();
    loop {
        let (pid, conn) = connection(pool).await;
        if let Some(at) = held.iter().position(|(other, _)| other % 16 == pid % 16) {
            return (held.swap_remove(at).1, conn);
        }
        held.push((pid, conn));
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn an_open_transaction_holds_up_no_other_append(pool: PgPool) {
    append(&pool, 3).await;
    // even a connection whose first choice of lane is the open transaction's does not wait
    let (mut slow, mut other) = connections_in_one_lane(&pool).await;
    let mut open = slow.begin().await.unwrap();
    let event = || AuditEvent::new("test.event", Outcome::Success, &RequestMeta::default());
    record(&mut open, event()).await.unwrap();
    // with one global lock (or one lane per connection) this append would wait for `open`
    sqlx::query("SET statement_timeout = '2s'")
        .execute(&mut other)
        .await
        .unwrap();
    record(&mut other, event()).await.unwrap();
    record(&mut open, event()).await.unwrap();
    open.commit().await.unwrap();
    let report = verify_chain(&pool).await.unwrap();
    assert_eq!((report.checked, report.first_broken), (6, None));
    // the open transaction kept to one lane for both its rows, the other append took another
    let lanes: Vec<i16> =
        sqlx::query_scalar("SELECT lane FROM audit_events ORDER BY id DESC LIMIT 3")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(lanes[0], lanes[2], "{lanes:?}");
    assert_ne!(lanes[0], lanes[1], "{lanes:?}");
}

/// Two connections whose appends go to different lanes (each takes its first choice when free).
async fn connections_in_two_lanes(pool: &PgPool) -> (PgConnection, PgConnection) {
    let (first_pid, first) = connection(pool).await;
    loop {
        let (pid, other) = connection(pool).await;
        if pid % 16 != first_pid % 16 {
            return (first, other);
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn with_every_lane_taken_an_append_waits_a_while_then_says_unavailable(pool: PgPool) {
    let (_, mut holder) = connection(&pool).await;
    for lane in 0..16 {
        sqlx::query("SELECT pg_advisory_lock(hashtext('audit_events_chain'), $1)")
            .bind(lane)
            .execute(&mut holder)
            .await
            .unwrap();
    }
    let (_, mut other) = connection(&pool).await;
    let started = std::time::Instant::now();
    let refused = record(
        &mut other,
        AuditEvent::new("test.event", Outcome::Success, &RequestMeta::default()),
    )
    .await
    .unwrap_err();
    assert_eq!(refused, app::error::AppError::Unavailable);
    let waited = started.elapsed();
    assert!((4.5..15.0).contains(&waited.as_secs_f64()), "{waited:?}");
    // the connection's own lock timeout is as it was
    let timeout: String = sqlx::query_scalar("SHOW lock_timeout")
        .fetch_one(&mut other)
        .await
        .unwrap();
    assert_eq!(timeout, "0");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_place_in_a_lane_is_taken_once(pool: PgPool) {
    append(&pool, 2).await;
    // a superuser without the trigger cannot fork a lane's chain either
    run(
        &pool,
        "ALTER TABLE audit_events DISABLE TRIGGER audit_events_chain",
    )
    .await;
    let fork = sqlx::query(
        "INSERT INTO audit_events (id, lane, lane_seq, action, outcome, prev_hash, hash)
         SELECT 1000, lane, lane_seq, 'x.y', 'success', '', '' FROM audit_events ORDER BY id DESC LIMIT 1",
    )
    .execute(&pool)
    .await;
    assert!(fork
        .unwrap_err()
        .to_string()
        .contains("audit_events_lane_place"));
}

/// Rows appended before lanes existed stay verifiable, and lane 0 goes on from them.
#[sqlx::test(migrations = false)]
async fn rows_from_before_lanes_stay_in_the_chain(pool: PgPool) {
    let all = sqlx::migrate!("../migrations");
    let mut before_lanes = sqlx::migrate!("../migrations");
    before_lanes.migrations = all
        .migrations
        .iter()
        .filter(|m| m.version < 20261203000001)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    before_lanes.run(&pool).await.unwrap();
    for n in 0..3 {
        sqlx::query("INSERT INTO audit_events (action, outcome, detail, prev_hash, hash) VALUES ('test.old', 'success', $1, '', '')")
            .bind(serde_json::json!({ "n": n }))
            .execute(&pool)
            .await
            .unwrap();
    }
    all.run(&pool).await.unwrap();
    let report = verify_chain(&pool).await.unwrap();
    assert_eq!((report.checked, report.first_broken), (3, None));
    // lane 0 goes on from the old rows: the next place, pointing at the last old row
    let mut lane_zero = None;
    for _ in 0..1000 {
        let (pid, conn) = connection(&pool).await;
        if pid % 16 == 0 {
            lane_zero = Some(conn);
            break;
        }
    }
    let mut lane_zero = lane_zero.expect("a backend pid divisible by 16 within 1000 connections");
    record(
        &mut lane_zero,
        AuditEvent::new("test.event", Outcome::Success, &RequestMeta::default()),
    )
    .await
    .unwrap();
    let (lane, place, points_at_last_old): (i16, i64, bool) = sqlx::query_as(
        "SELECT lane, lane_seq, prev_hash = (SELECT hash FROM audit_events WHERE id = 3)
           FROM audit_events ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((lane, place, points_at_last_old), (0, 4, true));
    // and rows in other lanes beside it
    append_concurrently(&pool, 20, 3).await;
    let report = verify_chain(&pool).await.unwrap();
    assert_eq!((report.checked, report.first_broken), (64, None));
    // an old row altered is still found
    run(
        &pool,
        "ALTER TABLE audit_events DISABLE TRIGGER audit_events_immutable",
    )
    .await;
    run(
        &pool,
        "UPDATE audit_events SET detail = '{\"n\": 9}' WHERE id = 2",
    )
    .await;
    assert_eq!(first_broken(&pool).await, Some(2));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_row_missing_from_any_lane_is_found(pool: PgPool) {
    let (mut one, mut two) = connections_in_two_lanes(&pool).await;
    for _ in 0..3 {
        for conn in [&mut one, &mut two] {
            record(
                conn,
                AuditEvent::new("test.event", Outcome::Success, &RequestMeta::default()),
            )
            .await
            .unwrap();
        }
    }
    drop((one, two));
    assert_eq!(verify_chain(&pool).await.unwrap().first_broken, None);
    // the middle row of the lane that does not hold the first row
    let (victim, next): (i64, i64) = sqlx::query_as(
        "SELECT id, lead(id) OVER (ORDER BY id) FROM audit_events
          WHERE lane <> (SELECT lane FROM audit_events ORDER BY id LIMIT 1)
          ORDER BY id OFFSET 1 LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    run(
        &pool,
        "ALTER TABLE audit_events DISABLE TRIGGER audit_events_immutable",
    )
    .await;
    sqlx::query("DELETE FROM audit_events WHERE id = $1")
        .bind(victim)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        verify_chain(&pool).await.unwrap().first_broken,
        Some((next, "a row is missing before this one"))
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn concurrent_appends_keep_every_lane_chained(pool: PgPool) {
    append_concurrently(&pool, 8, 10).await;
    let report = verify_chain(&pool).await.unwrap();
    assert_eq!((report.checked, report.first_broken), (80, None));
    // every lane's head counts its rows: together, all of them
    assert_eq!(report.heads.iter().map(|h| h.place).sum::<i64>(), 80);
}

async fn admin(pool: &PgPool) -> app::auth::server::CurrentUser {
    use app::auth::server::service;
    service::upsert_account(
        pool,
        "boss@example.com",
        "Boss",
        app::auth::types::Role::Admin,
        "quiet-river-lantern-42",
        false,
    )
    .await
    .unwrap();
    let cfg = app::config::Config::from_lookup(|k| {
        (k == "JWT_SECRET").then(|| "test-secret-test-secret-test-secret!".to_owned())
    })
    .unwrap();
    let s = service::login(
        pool,
        &cfg,
        &RequestMeta::default(),
        "boss@example.com",
        "quiet-river-lantern-42",
    )
    .await
    .unwrap()
    .signed_in()
    .unwrap();
    service::authenticate(pool, &cfg, &s.token, false)
        .await
        .unwrap()
        .unwrap()
        .user
}

#[sqlx::test(migrations = "../migrations")]
async fn the_log_pages_filters_and_records_that_it_was_read(pool: PgPool) {
    use app::audit::server::service::list;
    use app::audit::types::{AuditFilter, AUDIT_PAGE_SIZE};
    let boss = admin(&pool).await;
    append(&pool, 60).await;
    let meta = RequestMeta::default();

    let first = list(&pool, &boss, &meta, AuditFilter::default())
        .await
        .unwrap();
    assert_eq!(first.rows.len() as i64, AUDIT_PAGE_SIZE);
    assert!(
        first.rows.windows(2).all(|w| w[0].id > w[1].id),
        "newest first"
    );
    let second = list(
        &pool,
        &boss,
        &meta,
        AuditFilter {
            before_id: first.next_before_id,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(second
        .rows
        .iter()
        .all(|r| r.id < first.rows.last().unwrap().id));

    let auth_only = list(
        &pool,
        &boss,
        &meta,
        AuditFilter {
            action: Some("auth.".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(
        !auth_only.rows.is_empty() && auth_only.rows.iter().all(|r| r.action.starts_with("auth."))
    );
    let by_boss = list(
        &pool,
        &boss,
        &meta,
        AuditFilter {
            actor_email: Some("BOSS@example.com".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(by_boss
        .rows
        .iter()
        .all(|r| r.actor_email.as_deref() == Some("boss@example.com")));

    let views: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_events WHERE action = 'audit.view'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(views, 4);

    let bad_range = AuditFilter {
        from: Some("2026-02-01".parse().unwrap()),
        to: Some("2026-01-01".parse().unwrap()),
        ..Default::default()
    };
    assert!(list(&pool, &boss, &meta, bad_range)
        .await
        .unwrap_err()
        .field_messages("to")
        .is_some());

    let clerk = app::auth::server::CurrentUser {
        role: app::auth::types::Role::FrontDesk,
        ..boss
    };
    assert_eq!(
        list(&pool, &clerk, &meta, AuditFilter::default())
            .await
            .unwrap_err(),
        app::error::AppError::Forbidden
    );
}
