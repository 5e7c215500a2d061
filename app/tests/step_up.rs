//! Step-up on a real PostgreSQL: releasing a note and changing security settings need a proof of
//! identity from the last 5 minutes; confirming again (password, and a code when two-step sign-in
//! is on) renews it for that session only.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

mod common;

use app::auth::server::mfa::{self, Enrollee};
use app::auth::server::step_up;
use app::auth::server::CurrentUser;
use app::auth::types::Role;
use app::documents::server::release::note_pdf;
use app::error::AppError;
use common::documents::*;
use common::totp::{base32_decode, current_step, hotp};
use common::{config, meta, staff, PASSWORD};
use sqlx::PgPool;

/// Pretends the session proved its person's identity `minutes` ago.
async fn proved_minutes_ago(pool: &PgPool, user: &CurrentUser, minutes: i32) {
    sqlx::query("UPDATE sessions SET proved_at = now() - make_interval(mins => $2) WHERE id = $1")
        .bind(user.session_id.0)
        .bind(minutes)
        .execute(pool)
        .await
        .unwrap();
}

async fn step_ups(pool: &PgPool, outcome: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'auth.step_up' AND outcome::text = $1",
    )
    .bind(outcome)
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_release_after_five_minutes_asks_for_the_password_again(pool: PgPool) {
    let d = desk(&pool).await;
    let note = start_progress(&pool, &d.keys, &d.casey, d.ann, d.appointment).await;
    write_and_sign(&pool, &d.keys, &d.casey, note, &full_soap()).await;

    // four minutes after signing in: still fresh
    proved_minutes_ago(&pool, &d.casey, 4).await;
    note_pdf(&pool, &d.keys, &d.casey, &meta(), note)
        .await
        .unwrap();

    proved_minutes_ago(&pool, &d.casey, 6).await;
    let releases_before: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'documents.note_release'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let stale = note_pdf(&pool, &d.keys, &d.casey, &meta(), note).await;
    assert!(matches!(stale, Err(AppError::StepUpRequired)), "{stale:?}");
    let releases_after: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'documents.note_release'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        releases_before, releases_after,
        "nothing released, nothing recorded as released"
    );

    let wrong = step_up::confirm(&pool, &d.keys, &d.casey, &meta(), "not-the-password", "").await;
    assert!(wrong.unwrap_err().field_messages("password").is_some());
    assert!(matches!(
        note_pdf(&pool, &d.keys, &d.casey, &meta(), note).await,
        Err(AppError::StepUpRequired)
    ));
    step_up::confirm(&pool, &d.keys, &d.casey, &meta(), PASSWORD, "")
        .await
        .unwrap();
    note_pdf(&pool, &d.keys, &d.casey, &meta(), note)
        .await
        .unwrap();
    assert_eq!(
        (
            step_ups(&pool, "failure").await,
            step_ups(&pool, "success").await
        ),
        (1, 1)
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn with_two_step_sign_in_confirming_needs_a_code_too(pool: PgPool) {
    let keys = keys();
    let admin = staff(&pool, "boss@example.com", Role::Admin).await;
    let who = Enrollee::User(admin.clone());
    let shown = mfa::begin(&pool, &keys, &meta(), &who).await.unwrap();
    let secret = base32_decode(&shown.secret);
    let step = current_step();
    mfa::confirm(&pool, &config(), &keys, &meta(), &who, &hotp(&secret, step))
        .await
        .unwrap();

    proved_minutes_ago(&pool, &admin, 10).await;
    let stale = mfa::set_policy(&pool, &admin, &meta(), &["admin".into()]).await;
    assert!(matches!(stale, Err(AppError::StepUpRequired)), "{stale:?}");

    let no_code = step_up::confirm(&pool, &keys, &admin, &meta(), PASSWORD, "").await;
    assert!(no_code.unwrap_err().field_messages("code").is_some());
    // the code enrolment spent does not count twice
    let replay = step_up::confirm(
        &pool,
        &keys,
        &admin,
        &meta(),
        PASSWORD,
        &hotp(&secret, step),
    )
    .await;
    assert!(replay.unwrap_err().field_messages("code").is_some());
    step_up::confirm(
        &pool,
        &keys,
        &admin,
        &meta(),
        PASSWORD,
        &hotp(&secret, step + 1),
    )
    .await
    .unwrap();
    mfa::set_policy(&pool, &admin, &meta(), &["admin".into()])
        .await
        .unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn a_proof_counts_for_its_own_session_only(pool: PgPool) {
    let keys = keys();
    let admin = staff(&pool, "boss@example.com", Role::Admin).await;
    let ann = staff(&pool, "ann@example.com", Role::Clinician).await;
    // a second session of the same admin, signed in long ago
    let other = staff(&pool, "boss@example.com", Role::Admin).await;
    proved_minutes_ago(&pool, &admin, 30).await;
    proved_minutes_ago(&pool, &other, 30).await;
    step_up::confirm(&pool, &keys, &other, &meta(), PASSWORD, "")
        .await
        .unwrap();
    let stale =
        app::auth::server::service::change_role(&pool, &admin, &meta(), ann.id, "supervisor").await;
    assert!(matches!(stale, Err(AppError::StepUpRequired)), "{stale:?}");
    app::auth::server::service::change_role(&pool, &other, &meta(), ann.id, "supervisor")
        .await
        .unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn confirming_cannot_be_used_to_guess_the_password(pool: PgPool) {
    let keys = keys();
    let ann = staff(&pool, "ann@example.com", Role::Clinician).await;
    let locked = app::auth::server::mfa::PASSWORD_LOCKED;
    for n in 1..=5 {
        let e = step_up::confirm(&pool, &keys, &ann, &meta(), "guess-guess-guess", "")
            .await
            .unwrap_err();
        let said = e.field_messages("password").unwrap()[0].clone();
        assert_eq!(said == locked, n == 5, "attempt {n}: {said}");
    }
    // locked: even the right password is refused, and the sign-in lockout is the same one
    let right = step_up::confirm(&pool, &keys, &ann, &meta(), PASSWORD, "").await;
    assert_eq!(
        right.unwrap_err().field_messages("password").unwrap()[0],
        locked
    );
    let lockouts: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'auth.lockout' AND detail->>'step' = 'confirm'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(lockouts, 1);
}
