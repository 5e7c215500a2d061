//! Sign-in, lockout, sessions and revocation against a real PostgreSQL (a fresh database per test).
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

use app::auth::server::service::{self, NewUser, MAX_FAILED_LOGINS};
use app::auth::server::{CurrentUser, RequestMeta};
use app::auth::types::Role;
use app::config::Config;
use app::error::AppError;
use sqlx::PgPool;

const PASSWORD: &str = "quiet-river-lantern-42";

fn config() -> Config {
    Config::from_lookup(|k| match k {
        "JWT_SECRET" => Some("test-secret-test-secret-test-secret!".into()),
        "LOGIN_RATE_LIMIT_PER_MINUTE" => Some("1000".into()),
        _ => None,
    })
    .unwrap()
}

fn meta() -> RequestMeta {
    RequestMeta {
        ip: Some("10.0.0.7".parse().unwrap()),
        user_agent: Some("test".into()),
    }
}

async fn account(pool: &PgPool, email: &str, role: Role) {
    service::upsert_account(pool, email, "Test Person", role, PASSWORD, false)
        .await
        .unwrap();
}

async fn sign_in(pool: &PgPool, cfg: &Config, email: &str) -> (CurrentUser, String) {
    let s = service::login(pool, cfg, &meta(), email, PASSWORD)
        .await
        .unwrap()
        .signed_in()
        .expect("no second step");
    let visit = service::authenticate(pool, cfg, &s.token, true)
        .await
        .unwrap()
        .expect("live session");
    (visit.user, s.token)
}

async fn try_login(
    pool: &PgPool,
    cfg: &Config,
    password: &str,
) -> Result<service::SignedIn, AppError> {
    let step = service::login(pool, cfg, &meta(), "ann@example.com", password).await?;
    Ok(step.signed_in().expect("no second step"))
}

async fn is_live(pool: &PgPool, cfg: &Config, token: &str) -> bool {
    service::authenticate(pool, cfg, token, false)
        .await
        .unwrap()
        .is_some()
}

async fn audit_actions(pool: &PgPool) -> Vec<String> {
    sqlx::query_scalar("SELECT action || ':' || outcome FROM audit_events ORDER BY id")
        .fetch_all(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn login_issues_a_live_session_and_is_audited(pool: PgPool) {
    let cfg = config();
    account(&pool, "ann@example.com", Role::Clinician).await;
    let (user, token) = sign_in(&pool, &cfg, "ANN@example.com ").await;
    assert_eq!(user.role, Role::Clinician);
    assert!(is_live(&pool, &cfg, &token).await);
    assert!(audit_actions(&pool)
        .await
        .contains(&"auth.login:success".to_string()));
}

#[sqlx::test(migrations = "../migrations")]
async fn failures_do_not_reveal_whether_the_email_exists(pool: PgPool) {
    let cfg = config();
    account(&pool, "ann@example.com", Role::Clinician).await;
    let unknown = service::login(&pool, &cfg, &meta(), "nobody@example.com", PASSWORD)
        .await
        .unwrap_err();
    let wrong = try_login(&pool, &cfg, "wrong-password-xyz")
        .await
        .unwrap_err();
    assert_eq!(unknown, wrong);
    assert_eq!(
        audit_actions(&pool)
            .await
            .iter()
            .filter(|a| *a == "auth.login:failure")
            .count(),
        2
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn five_wrong_passwords_lock_the_account_until_it_expires(pool: PgPool) {
    let cfg = config();
    account(&pool, "ann@example.com", Role::Clinician).await;
    for _ in 0..MAX_FAILED_LOGINS {
        try_login(&pool, &cfg, "wrong-password-xyz")
            .await
            .unwrap_err();
    }
    // locked: even the right password fails
    assert!(try_login(&pool, &cfg, PASSWORD).await.is_err());
    assert!(audit_actions(&pool)
        .await
        .contains(&"auth.lockout:success".to_string()));

    // the lock runs out
    sqlx::query("UPDATE users SET locked_until = now() - interval '1 second'")
        .execute(&pool)
        .await
        .unwrap();
    assert!(try_login(&pool, &cfg, PASSWORD).await.is_ok());
}

#[sqlx::test(migrations = "../migrations")]
async fn four_failures_then_success_resets_the_count(pool: PgPool) {
    let cfg = config();
    account(&pool, "ann@example.com", Role::Clinician).await;
    for _ in 0..MAX_FAILED_LOGINS - 1 {
        try_login(&pool, &cfg, "wrong-password-xyz")
            .await
            .unwrap_err();
    }
    sign_in(&pool, &cfg, "ann@example.com").await;
    try_login(&pool, &cfg, "wrong-password-xyz")
        .await
        .unwrap_err();
    assert!(try_login(&pool, &cfg, PASSWORD).await.is_ok());
}

#[sqlx::test(migrations = "../migrations")]
async fn idle_and_absolute_expiry_end_the_session(pool: PgPool) {
    let cfg = config();
    account(&pool, "ann@example.com", Role::Clinician).await;
    let (user, token) = sign_in(&pool, &cfg, "ann@example.com").await;

    // 14 minutes idle: still live (the practice's idle timeout is 15)
    sqlx::query("UPDATE sessions SET last_seen_at = now() - interval '14 minutes'")
        .execute(&pool)
        .await
        .unwrap();
    assert!(is_live(&pool, &cfg, &token).await);
    // the untouched check did not count as activity; 16 minutes idle ends it
    sqlx::query("UPDATE sessions SET last_seen_at = now() - interval '16 minutes'")
        .execute(&pool)
        .await
        .unwrap();
    assert!(!is_live(&pool, &cfg, &token).await);

    // a fresh session past its absolute lifetime is dead however active
    let (_, token2) = sign_in(&pool, &cfg, "ann@example.com").await;
    sqlx::query("UPDATE sessions SET created_at = now() - interval '13 hours', expires_at = now() - interval '1 hour' WHERE id <> $1")
        .bind(user.session_id).execute(&pool).await.unwrap();
    assert!(!is_live(&pool, &cfg, &token2).await);
}

#[sqlx::test(migrations = "../migrations")]
async fn activity_is_written_at_most_every_thirty_seconds(pool: PgPool) {
    let cfg = config();
    account(&pool, "ann@example.com", Role::Clinician).await;
    let (_, token) = sign_in(&pool, &cfg, "ann@example.com").await;
    let idle_secs = || async {
        sqlx::query_scalar::<_, f64>(
            "SELECT extract(epoch FROM now() - last_seen_at)::float8 FROM sessions",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let seen = |ago: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query(&format!(
                "UPDATE sessions SET last_seen_at = now() - interval '{ago}'"
            ))
            .execute(&pool)
            .await
            .unwrap();
        }
    };
    // seen 10 s ago: a request within the 30 s leaves the row alone
    seen("10 seconds").await;
    assert!(service::authenticate(&pool, &cfg, &token, true)
        .await
        .unwrap()
        .is_some());
    assert!((9.0..12.0).contains(&idle_secs().await));
    // seen 40 s ago: the request counts as activity again
    seen("40 seconds").await;
    let visit = service::authenticate(&pool, &cfg, &token, true)
        .await
        .unwrap()
        .unwrap();
    assert!(idle_secs().await < 2.0);
    assert!(visit.status.idle_remaining_secs > 15 * 60 - 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_idle_timeout_is_a_practice_setting(pool: PgPool) {
    let cfg = config();
    account(&pool, "ann@example.com", Role::Clinician).await;
    let (_, token) = sign_in(&pool, &cfg, "ann@example.com").await;
    sqlx::query("UPDATE practice SET idle_timeout_minutes = 30")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE sessions SET last_seen_at = now() - interval '20 minutes'")
        .execute(&pool)
        .await
        .unwrap();
    assert!(is_live(&pool, &cfg, &token).await);
}

#[sqlx::test(migrations = "../migrations")]
async fn logout_ends_only_that_session(pool: PgPool) {
    let cfg = config();
    account(&pool, "ann@example.com", Role::Clinician).await;
    let (user, token) = sign_in(&pool, &cfg, "ann@example.com").await;
    let (_, other) = sign_in(&pool, &cfg, "ann@example.com").await;
    service::logout(&pool, &user, &meta()).await.unwrap();
    assert!(!is_live(&pool, &cfg, &token).await);
    assert!(is_live(&pool, &cfg, &other).await);
}

#[sqlx::test(migrations = "../migrations")]
async fn password_change_needs_the_current_one_and_ends_other_sessions(pool: PgPool) {
    let cfg = config();
    account(&pool, "ann@example.com", Role::Clinician).await;
    let (user, token) = sign_in(&pool, &cfg, "ann@example.com").await;
    let (_, other) = sign_in(&pool, &cfg, "ann@example.com").await;
    let new = "amber-fjord-tulip-castle-9";

    let wrong = service::change_password(&pool, &user, &meta(), "not-current-pw", new, new)
        .await
        .unwrap_err();
    assert!(wrong.field_messages("current_password").is_some());
    let weak = service::change_password(
        &pool,
        &user,
        &meta(),
        PASSWORD,
        "password1234",
        "password1234",
    )
    .await
    .unwrap_err();
    assert!(weak.field_messages("new_password").is_some());
    let mismatch =
        service::change_password(&pool, &user, &meta(), PASSWORD, new, "something-else-x")
            .await
            .unwrap_err();
    assert!(mismatch.field_messages("confirm_password").is_some());

    service::change_password(&pool, &user, &meta(), PASSWORD, new, new)
        .await
        .unwrap();
    assert!(
        is_live(&pool, &cfg, &token).await,
        "the session that changed it stays"
    );
    assert!(!is_live(&pool, &cfg, &other).await, "other sessions end");
    assert!(service::login(&pool, &cfg, &meta(), "ann@example.com", new)
        .await
        .is_ok());
}

#[sqlx::test(migrations = "../migrations")]
async fn deactivation_ends_sessions_at_once_and_blocks_login(pool: PgPool) {
    let cfg = config();
    account(&pool, "admin@example.com", Role::Admin).await;
    account(&pool, "ann@example.com", Role::Clinician).await;
    let (admin, _) = sign_in(&pool, &cfg, "admin@example.com").await;
    let (ann, token) = sign_in(&pool, &cfg, "ann@example.com").await;

    service::set_active(&pool, &admin, &meta(), ann.id, false)
        .await
        .unwrap();
    assert!(!is_live(&pool, &cfg, &token).await);
    assert!(try_login(&pool, &cfg, PASSWORD).await.is_err());
    service::set_active(&pool, &admin, &meta(), ann.id, true)
        .await
        .unwrap();
    assert!(try_login(&pool, &cfg, PASSWORD).await.is_ok());

    assert_eq!(
        service::set_active(&pool, &ann, &meta(), admin.id, false)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    assert!(matches!(
        service::set_active(&pool, &admin, &meta(), admin.id, false).await,
        Err(AppError::Conflict(_))
    ));
}

#[sqlx::test(migrations = "../migrations")]
async fn admins_create_users_with_validated_fields(pool: PgPool) {
    let cfg = config();
    account(&pool, "admin@example.com", Role::Admin).await;
    let (admin, _) = sign_in(&pool, &cfg, "admin@example.com").await;

    let bad = service::create_user(
        &pool,
        &admin,
        &meta(),
        NewUser {
            email: "not-an-email",
            display_name: " ",
            role: "wizard",
            initial_password: "short",
        },
    )
    .await
    .unwrap_err();
    for field in ["email", "display_name", "role", "initial_password"] {
        assert!(
            bad.field_messages(field).is_some(),
            "{field} should be reported"
        );
    }
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(before, 1, "nothing was written");

    let made = service::create_user(
        &pool,
        &admin,
        &meta(),
        NewUser {
            email: "Bo@Example.com",
            display_name: "Bo Park",
            role: "intern",
            initial_password: "saffron-glacier-pebble-71",
        },
    )
    .await
    .unwrap();
    assert_eq!(
        (made.email.as_str(), made.role, made.must_change_password),
        ("bo@example.com", Role::Intern, true)
    );

    let dup = service::create_user(
        &pool,
        &admin,
        &meta(),
        NewUser {
            email: "bo@example.com",
            display_name: "Bo Again",
            role: "intern",
            initial_password: "saffron-glacier-pebble-71",
        },
    )
    .await
    .unwrap_err();
    assert!(dup.field_messages("email").unwrap()[0].contains("already exists"));

    let changed = service::change_role(&pool, &admin, &meta(), made.id, "clinician")
        .await
        .unwrap();
    assert_eq!(changed.role, Role::Clinician);
    assert!(
        service::change_role(&pool, &admin, &meta(), admin.id, "biller")
            .await
            .is_err()
    );

    let biller = CurrentUser {
        role: Role::Biller,
        ..admin.clone()
    };
    assert_eq!(
        service::list_users(&pool, &biller).await.unwrap_err(),
        AppError::Forbidden
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn each_page_learns_the_practices_offset_from_utc(pool: PgPool) {
    use chrono::Offset;
    let cfg = config();
    account(&pool, "ann@example.com", Role::Clinician).await;
    let (_, token) = sign_in(&pool, &cfg, "ann@example.com").await;
    for zone in [
        chrono_tz::America::Chicago,
        chrono_tz::America::Phoenix,
        chrono_tz::Pacific::Honolulu,
    ] {
        sqlx::query("UPDATE practice SET time_zone = $1")
            .bind(zone.name())
            .execute(&pool)
            .await
            .unwrap();
        let visit = service::authenticate(&pool, &cfg, &token, false)
            .await
            .unwrap()
            .unwrap();
        // worked out by chrono-tz's own tables, not by the database's
        let expected = chrono::Utc::now()
            .with_timezone(&zone)
            .offset()
            .fix()
            .local_minus_utc()
            / 60;
        assert_eq!(visit.info.utc_offset_minutes, expected, "{zone}");
    }
}
