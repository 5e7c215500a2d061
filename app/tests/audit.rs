//! The audit trail is append-only and its hash chain finds tampering.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

use app::audit::server::service::verify_chain;
use app::audit::server::{record, AuditEvent};
use app::audit::types::Outcome;
use app::auth::server::RequestMeta;
use sqlx::pool::PoolConnection;
use sqlx::{PgPool, Postgres};

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

#[sqlx::test(migrations = "../migrations")]
async fn an_untouched_chain_verifies(pool: PgPool) {
    append(&pool, 5).await;
    let report = verify_chain(&pool).await.unwrap();
    assert_eq!((report.checked, report.first_broken), (5, None));
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
    sqlx::query("ALTER TABLE audit_events DISABLE TRIGGER audit_events_immutable")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_events SET detail = '{\"n\": 100}' WHERE id = 4")
        .execute(&pool)
        .await
        .unwrap();
    let report = verify_chain(&pool).await.unwrap();
    assert_eq!(report.first_broken.map(|(id, _)| id), Some(4));

    // removing a row is found too
    sqlx::query("UPDATE audit_events SET detail = '{\"n\": 3}' WHERE id = 4")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(verify_chain(&pool).await.unwrap().first_broken, None);
    sqlx::query("DELETE FROM audit_events WHERE id = 2")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        verify_chain(&pool)
            .await
            .unwrap()
            .first_broken
            .map(|(id, _)| id),
        Some(3)
    );
}

/// Two connections whose appends go to different lanes (a lane is the backend pid mod 16).
async fn connections_in_two_lanes(
    pool: &PgPool,
) -> (PoolConnection<Postgres>, PoolConnection<Postgres>) {
    let lane = |pid: i32| pid % 16;
    let mut first = pool.acquire().await.unwrap();
    let first_pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(&mut *first)
        .await
        .unwrap();
    let mut held = Vec::new();
    loop {
        let mut other = pool.acquire().await.unwrap();
        let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
            .fetch_one(&mut *other)
            .await
            .unwrap();
        if lane(pid) != lane(first_pid) {
            return (first, other);
        }
        held.push(other);
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn an_open_transaction_does_not_hold_up_appends_in_other_lanes(pool: PgPool) {
    append(&pool, 3).await;
    let (mut slow, mut other) = connections_in_two_lanes(&pool).await;
    let mut open = sqlx::Connection::begin(&mut *slow).await.unwrap();
    let event = || AuditEvent::new("test.event", Outcome::Success, &RequestMeta::default());
    record(&mut open, event()).await.unwrap();
    // with one global lock this append would wait for `open` to end: it must not
    sqlx::query("SET statement_timeout = '2s'")
        .execute(&mut *other)
        .await
        .unwrap();
    record(&mut other, event()).await.unwrap();
    open.commit().await.unwrap();
    let report = verify_chain(&pool).await.unwrap();
    assert_eq!((report.checked, report.first_broken), (5, None));
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
    sqlx::query("ALTER TABLE audit_events DISABLE TRIGGER audit_events_immutable")
        .execute(&pool)
        .await
        .unwrap();
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
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let pool = pool.clone();
        tasks.push(tokio::spawn(async move { append(&pool, 10).await }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let report = verify_chain(&pool).await.unwrap();
    assert_eq!((report.checked, report.first_broken), (80, None));
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
