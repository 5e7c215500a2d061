//! Two-step sign-in against a real PostgreSQL: enrolment, the code step, replays, recovery codes,
//! lockout, the practice's policy, an admin's reset, turning it off and key rotation. Codes come
//! from an independent TOTP written from the RFCs (tests/common/totp.rs), never from the product.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

mod common;

use app::auth::mfa::{CHALLENGE_ENDED, CODE_LOCKED, WRONG_CODE};
use app::auth::server::mfa::{self, Enrollee, MAX_CODE_FAILURES};
use app::auth::server::mfa_repo::ChallengePurpose;
use app::auth::server::service::{self, LoginStep, SignedIn};
use app::auth::server::CurrentUser;
use app::auth::types::Role;
use app::crypto::Keyring;
use app::error::AppError;
use common::totp::{base32_decode, code, current_step, hotp};
use common::{config, meta, staff, PASSWORD};
use sqlx::PgPool;

fn keys() -> Keyring {
    Keyring::new(&Keyring::generate_key(), &[]).unwrap()
}

fn code_error(e: &AppError) -> String {
    e.field_messages("code").expect("an error on the code")[0].clone()
}

/// A two-step sign-in turned on: the secret (raw), the recovery codes, and the time step whose
/// code confirmed it (spent, so later sign-ins use the next one).
struct Enrolled {
    secret: Vec<u8>,
    recovery: Vec<String>,
    step: u64,
}

impl Enrolled {
    /// The code of the step after the one enrolment spent (accepted while the clock is within a
    /// step of it).
    fn next_code(&self) -> String {
        hotp(&self.secret, self.step + 1)
    }
}

/// Turns on two-step sign-in for a signed-in user.
async fn enrol(pool: &PgPool, keys: &Keyring, user: &CurrentUser) -> Enrolled {
    let cfg = config();
    let who = Enrollee::User(user.clone());
    let shown = mfa::begin(pool, keys, &meta(), &who).await.unwrap();
    let step = current_step();
    let secret = base32_decode(&shown.secret);
    let (recovery, signed_in) = mfa::confirm(pool, &cfg, keys, &meta(), &who, &hotp(&secret, step))
        .await
        .unwrap();
    assert!(
        signed_in.is_none(),
        "a signed-in enrolment opens no session"
    );
    Enrolled {
        secret,
        recovery,
        step,
    }
}

/// The password step, which must ask for a second step.
async fn challenge(pool: &PgPool, email: &str, purpose: ChallengePurpose) -> String {
    match service::login(pool, &config(), &meta(), email, PASSWORD)
        .await
        .unwrap()
    {
        LoginStep::SecondStep(c) => {
            assert_eq!(c.purpose, purpose);
            c.token
        }
        LoginStep::SignedIn(_) => panic!("signed in without a second step"),
    }
}

async fn verify(
    pool: &PgPool,
    keys: &Keyring,
    token: &str,
    code: &str,
) -> Result<SignedIn, AppError> {
    mfa::verify(pool, &config(), keys, &meta(), token, code).await
}

async fn sessions_of(pool: &PgPool, email: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1",
    )
    .bind(email)
    .fetch_one(pool)
    .await
    .unwrap()
}

#[test]
fn the_independent_totp_matches_rfc_6238() {
    // RFC 6238 appendix B (SHA-1): 94287082 at T = 59 s, 07081804 at T = 1111111109 s
    let secret = b"12345678901234567890";
    assert_eq!(hotp(secret, 59 / 30), "287082");
    assert_eq!(hotp(secret, 1_111_111_109 / 30), "081804");
    // RFC 4648 section 10: BASE32("foobar") = "MZXW6YTBOI======"
    assert_eq!(base32_decode("MZXW6YTBOI"), b"foobar");
}

#[sqlx::test(migrations = "../migrations")]
async fn an_enrolled_account_signs_in_only_with_a_right_unused_code(pool: PgPool) {
    let keys = keys();
    let ann = staff(&pool, "ann@example.com", Role::Clinician).await;
    let enrolled = enrol(&pool, &keys, &ann).await;
    let before = sessions_of(&pool, "ann@example.com").await;

    let token = challenge(&pool, "ann@example.com", ChallengePurpose::Verify).await;
    assert_eq!(
        sessions_of(&pool, "ann@example.com").await,
        before,
        "the password alone opens no session"
    );
    let wrong = verify(&pool, &keys, &token, "000000").await.unwrap_err();
    // (a one-in-a-million chance that 000000 is right is accepted)
    assert_eq!(code_error(&wrong), WRONG_CODE);
    // the code of the step used at enrolment is spent
    let replay = verify(&pool, &keys, &token, &hotp(&enrolled.secret, enrolled.step))
        .await
        .unwrap_err();
    assert_eq!(
        code_error(&replay),
        WRONG_CODE,
        "a code is never taken twice"
    );

    let signed_in = verify(&pool, &keys, &token, &enrolled.next_code())
        .await
        .unwrap();
    assert_eq!(signed_in.user.email, "ann@example.com");
    let visit = service::authenticate(&pool, &config(), &signed_in.token, false)
        .await
        .unwrap();
    assert!(visit.is_some(), "the second step opens a live session");
    // the challenge is spent with it
    let again = verify(&pool, &keys, &token, &enrolled.next_code())
        .await
        .unwrap_err();
    assert_eq!(code_error(&again), CHALLENGE_ENDED);

    let how: String = sqlx::query_scalar(
        "SELECT detail->>'second_factor' FROM audit_events WHERE action = 'auth.login' AND outcome = 'success'
          ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(how, "totp");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_recovery_code_works_once(pool: PgPool) {
    let keys = keys();
    let ann = staff(&pool, "ann@example.com", Role::Clinician).await;
    let codes = enrol(&pool, &keys, &ann).await.recovery;
    assert_eq!(codes.len(), 10);

    let token = challenge(&pool, "ann@example.com", ChallengePurpose::Verify).await;
    // typed in capitals without the dash: still the same code
    let typed = codes[3].replace('-', "").to_uppercase();
    verify(&pool, &keys, &token, &typed).await.unwrap();
    let status = mfa::status(&pool, &ann).await.unwrap();
    assert_eq!(status.recovery_codes_left, 9);

    let token = challenge(&pool, "ann@example.com", ChallengePurpose::Verify).await;
    let spent = verify(&pool, &keys, &token, &codes[3]).await.unwrap_err();
    assert_eq!(code_error(&spent), WRONG_CODE);
    verify(&pool, &keys, &token, &codes[4]).await.unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn wrong_codes_in_a_row_lock_the_code_step(pool: PgPool) {
    let keys = keys();
    let ann = staff(&pool, "ann@example.com", Role::Clinician).await;
    let enrolled = enrol(&pool, &keys, &ann).await;
    // spread over two sign-ins: the lockout counts per account, not per challenge
    let first = challenge(&pool, "ann@example.com", ChallengePurpose::Verify).await;
    for _ in 0..2 {
        verify(&pool, &keys, &first, "111111").await.unwrap_err();
    }
    let second = challenge(&pool, "ann@example.com", ChallengePurpose::Verify).await;
    for n in 3..MAX_CODE_FAILURES {
        let e = verify(&pool, &keys, &second, "111111").await.unwrap_err();
        assert_eq!(code_error(&e), WRONG_CODE, "failure {n}");
    }
    let last = verify(&pool, &keys, &second, "111111").await.unwrap_err();
    assert_eq!(code_error(&last), CODE_LOCKED);

    let third = challenge(&pool, "ann@example.com", ChallengePurpose::Verify).await;
    let right_but_locked = verify(&pool, &keys, &third, &enrolled.next_code())
        .await
        .unwrap_err();
    assert_eq!(code_error(&right_but_locked), CODE_LOCKED);
    let lockouts: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'auth.lockout' AND detail->>'step' = 'code'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(lockouts, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_required_role_enrols_before_any_session_exists(pool: PgPool) {
    let keys = keys();
    let cfg = config();
    let admin = staff(&pool, "boss@example.com", Role::Admin).await;
    staff(&pool, "ann@example.com", Role::Clinician).await;
    assert_eq!(sessions_of(&pool, "ann@example.com").await, 1);

    mfa::set_policy(&pool, &admin, &meta(), &["clinician".into()])
        .await
        .unwrap();
    assert_eq!(
        sessions_of(&pool, "ann@example.com").await,
        0,
        "a clinician without two-step sign-in is signed out"
    );
    let token = challenge(&pool, "ann@example.com", ChallengePurpose::Enrol).await;
    // the enrol challenge is not a code step
    let e = verify(&pool, &keys, &token, "123456").await.unwrap_err();
    assert_eq!(code_error(&e), CHALLENGE_ENDED);

    let who = Enrollee::SignIn(token.clone());
    let shown = mfa::begin(&pool, &keys, &meta(), &who).await.unwrap();
    assert_eq!(sessions_of(&pool, "ann@example.com").await, 0);
    let wrong = mfa::confirm(&pool, &cfg, &keys, &meta(), &who, "000000").await;
    assert!(wrong.is_err());
    let (codes, signed_in) =
        mfa::confirm(&pool, &cfg, &keys, &meta(), &who, &code(&shown.secret, 0))
            .await
            .unwrap();
    assert_eq!(codes.len(), 10);
    let signed_in = signed_in.expect("enrolment completes the sign-in");
    assert!(service::authenticate(&pool, &cfg, &signed_in.token, false)
        .await
        .unwrap()
        .is_some());
    // next time: the code step
    challenge(&pool, "ann@example.com", ChallengePurpose::Verify).await;

    // required: it cannot be turned off
    let ann = service::authenticate(&pool, &cfg, &signed_in.token, false)
        .await
        .unwrap()
        .unwrap()
        .user;
    let refused = mfa::disable(&pool, &keys, &ann, &meta(), PASSWORD, &codes[0]).await;
    assert!(matches!(refused, Err(AppError::Conflict(_))), "{refused:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn an_admin_cannot_require_it_for_their_own_role_before_enrolling(pool: PgPool) {
    let keys = keys();
    let admin = staff(&pool, "boss@example.com", Role::Admin).await;
    let refused = mfa::set_policy(&pool, &admin, &meta(), &["admin".into()]).await;
    assert!(refused
        .unwrap_err()
        .field_messages("required_roles")
        .is_some());
    let bad = mfa::set_policy(&pool, &admin, &meta(), &["wizard".into()]).await;
    assert!(bad.unwrap_err().field_messages("required_roles").is_some());

    enrol(&pool, &keys, &admin).await;
    let policy = mfa::set_policy(&pool, &admin, &meta(), &["admin".into(), "admin".into()])
        .await
        .unwrap();
    assert_eq!(policy.required_roles, vec![Role::Admin]);
    assert_eq!(
        sessions_of(&pool, "boss@example.com").await,
        1,
        "an enrolled admin stays signed in"
    );
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    assert!(matches!(
        mfa::set_policy(&pool, &desk, &meta(), &[]).await,
        Err(AppError::Forbidden)
    ));
}

#[sqlx::test(migrations = "../migrations")]
async fn an_admin_reset_ends_sessions_and_the_old_authenticator(pool: PgPool) {
    let keys = keys();
    let admin = staff(&pool, "boss@example.com", Role::Admin).await;
    let ann = staff(&pool, "ann@example.com", Role::Clinician).await;
    let enrolled = enrol(&pool, &keys, &ann).await;
    let waiting = challenge(&pool, "ann@example.com", ChallengePurpose::Verify).await;

    let ended = mfa::reset(&pool, &admin, &meta(), ann.id).await.unwrap();
    assert_eq!(ended, 1);
    assert_eq!(sessions_of(&pool, "ann@example.com").await, 0);
    let e = verify(&pool, &keys, &waiting, &enrolled.next_code())
        .await
        .unwrap_err();
    assert_eq!(
        code_error(&e),
        CHALLENGE_ENDED,
        "a sign-in waiting on the old authenticator ends"
    );
    // with nothing required, the password signs in again
    assert!(
        service::login(&pool, &config(), &meta(), "ann@example.com", PASSWORD)
            .await
            .unwrap()
            .signed_in()
            .is_some()
    );
    assert!(matches!(
        mfa::reset(&pool, &admin, &meta(), ann.id).await,
        Err(AppError::Conflict(_))
    ));
    assert!(matches!(
        mfa::reset(&pool, &ann, &meta(), admin.id).await,
        Err(AppError::Forbidden)
    ));
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_events WHERE action = 'auth.mfa_reset'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(audited, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn turning_it_off_needs_the_password_and_a_code(pool: PgPool) {
    let keys = keys();
    let ann = staff(&pool, "ann@example.com", Role::Clinician).await;
    let enrolled = enrol(&pool, &keys, &ann).await;
    let first_recovery = &enrolled.recovery[0];
    let wrong_password = mfa::disable(
        &pool,
        &keys,
        &ann,
        &meta(),
        "not-my-password",
        first_recovery,
    )
    .await;
    assert!(wrong_password
        .unwrap_err()
        .field_messages("password")
        .is_some());
    let wrong_code = mfa::disable(&pool, &keys, &ann, &meta(), PASSWORD, "123-456").await;
    assert!(wrong_code.unwrap_err().field_messages("code").is_some());
    mfa::disable(&pool, &keys, &ann, &meta(), PASSWORD, &enrolled.next_code())
        .await
        .unwrap();
    assert!(mfa::status(&pool, &ann).await.unwrap().enabled_at.is_none());
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM mfa_recovery_codes")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, 0, "the recovery codes go with it");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_secret_is_sealed_and_moves_with_key_rotation(pool: PgPool) {
    let old_key = Keyring::generate_key();
    let old = Keyring::new(&old_key, &[]).unwrap();
    let ann = staff(&pool, "ann@example.com", Role::Clinician).await;
    let enrolled = enrol(&pool, &old, &ann).await;
    let raw = &enrolled.secret;
    let stored: Vec<u8> = sqlx::query_scalar("SELECT secret FROM user_mfa")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(
        !stored.windows(raw.len()).any(|w| w == raw.as_slice()),
        "the secret is not stored in the clear"
    );

    let new_key = Keyring::generate_key();
    let during = Keyring::new(&new_key, &[&old_key]).unwrap();
    app::documents::server::keys::rotate(&pool, &during)
        .await
        .unwrap();
    let after = Keyring::new(&new_key, &[]).unwrap();
    let key_id: String = sqlx::query_scalar("SELECT key_id FROM user_mfa")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(key_id, after.current_id());
    let token = challenge(&pool, "ann@example.com", ChallengePurpose::Verify).await;
    verify(&pool, &after, &token, &enrolled.next_code())
        .await
        .unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn concurrent_wrong_codes_are_judged_one_after_another(pool: PgPool) {
    let keys = keys();
    let ann = staff(&pool, "ann@example.com", Role::Clinician).await;
    enrol(&pool, &keys, &ann).await;
    let mut tokens = Vec::new();
    for _ in 0..8 {
        tokens.push(challenge(&pool, "ann@example.com", ChallengePurpose::Verify).await);
    }
    // eight sign-ins try a wrong code at the same moment: only five are judged, the rest are locked
    let attempts = tokens.iter().map(|t| verify(&pool, &keys, t, "111111"));
    let answers = futures_util::future::join_all(attempts).await;
    let said = |m: &str| {
        answers
            .iter()
            .filter(|a| a.as_ref().err().map(code_error).as_deref() == Some(m))
            .count()
    };
    assert_eq!(said(WRONG_CODE) + said(CODE_LOCKED), 8);
    assert_eq!(
        said(CODE_LOCKED),
        4,
        "the fifth locks, the last three find it locked"
    );
    let judged: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'auth.login' AND detail->>'reason' = 'wrong_code'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(judged, i64::from(MAX_CODE_FAILURES));
}
