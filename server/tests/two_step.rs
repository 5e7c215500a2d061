//! Two-step sign-in over real HTTP: enrolment through the server functions, then the plain-form
//! sign-in (`POST /login`, `POST /login/code`) and `auth/token` with a code. Codes come from the
//! independent TOTP of the app's tests.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

mod common;
#[path = "../../app/tests/common/totp.rs"]
mod totp;

use app::auth::types::Role;
use common::*;
use http::{header, StatusCode};
use sqlx::PgPool;

fn location(r: &Reply) -> &str {
    r.headers.get(header::LOCATION).unwrap().to_str().unwrap()
}

/// Every `name=value` the reply sets, in order.
fn set_cookies(r: &Reply) -> Vec<String> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect()
}

fn cookie_named<'a>(cookies: &'a [String], name: &str) -> Option<&'a str> {
    cookies
        .iter()
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(String::as_str)
}

#[sqlx::test(migrations = "../migrations")]
async fn the_plain_form_sign_in_asks_for_a_code_then_signs_in(pool: PgPool) {
    make_user(&pool, "ann@example.com", Role::Clinician).await;
    let app = router(pool, &[]);

    // enrol through the server functions, as My account does
    let session = login(&app, "ann@example.com").await;
    let begun = send(&app, post("/api/auth/mfa_begin", "", Some(&session))).await;
    assert_eq!(begun.status, StatusCode::OK, "{}", begun.json);
    let secret = totp::base32_decode(begun.json["secret"].as_str().unwrap());
    assert!(begun.json["qr_svg"].as_str().unwrap().contains("<svg"));
    let step = totp::current_step();
    let confirm = format!("code={}", totp::hotp(&secret, step));
    let confirmed = send(
        &app,
        post("/api/auth/mfa_confirm", &confirm, Some(&session)),
    )
    .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.json);
    assert_eq!(
        confirmed.json["recovery_codes"].as_array().unwrap().len(),
        10
    );

    // the password now leads to the code step, with a sign-in cookie and no session
    let form = format!("email=ann%40example.com&password={PASSWORD}");
    let first = send(&app, post("/login", &form, None)).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&first), "/login?step=code");
    let cookies = set_cookies(&first);
    assert!(cookie_named(&cookies, "ms_session").is_none());
    let flags = first.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(flags.contains("HttpOnly") && flags.contains("SameSite=Strict"));
    let max_age: i64 = flags
        .split("Max-Age=")
        .nth(1)
        .and_then(|v| v.split(';').next())
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (590..=600).contains(&max_age),
        "ten minutes, not {max_age} s"
    );
    let sign_in = cookie_named(&cookies, "ms_sign_in").unwrap().to_owned();

    let wrong = send(&app, post("/login/code", "code=000000", Some(&sign_in))).await;
    assert_eq!(location(&wrong), "/login?step=code&error=code");
    let malformed = send(&app, post("/login/code", "code=12", Some(&sign_in))).await;
    assert_eq!(location(&malformed), "/login?step=code&error=code_format");
    let without_cookie = send(&app, post("/login/code", "code=123456", None)).await;
    assert_eq!(location(&without_cookie), "/login?error=ended");

    let right = format!("code={}", totp::hotp(&secret, step + 1));
    let done = send(&app, post("/login/code", &right, Some(&sign_in))).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&done), "/");
    let cookies = set_cookies(&done);
    assert_eq!(
        cookie_named(&cookies, "ms_sign_in"),
        Some("ms_sign_in="),
        "cleared"
    );
    let session = cookie_named(&cookies, "ms_session").unwrap();
    let me = send(&app, post("/api/auth/me", "", Some(session))).await;
    assert_eq!(me.json["user"]["email"], "ann@example.com");
}

#[sqlx::test(migrations = "../migrations")]
async fn scripts_send_the_code_with_the_password(pool: PgPool) {
    make_user(&pool, "ann@example.com", Role::Clinician).await;
    let app = router(pool, &[]);
    let session = login(&app, "ann@example.com").await;
    let begun = send(&app, post("/api/auth/mfa_begin", "", Some(&session))).await;
    let secret = totp::base32_decode(begun.json["secret"].as_str().unwrap());
    let step = totp::current_step();
    let confirm = format!("code={}", totp::hotp(&secret, step));
    send(
        &app,
        post("/api/auth/mfa_confirm", &confirm, Some(&session)),
    )
    .await;

    let credentials = format!("email=ann%40example.com&password={PASSWORD}");
    let no_code = send(&app, post("/api/auth/token", &credentials, None)).await;
    assert_eq!(no_code.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_code.json["fields"]["code"][0]
        .as_str()
        .unwrap()
        .contains("two-step"));
    let with_code = format!("{credentials}&code={}", totp::hotp(&secret, step + 1));
    let token = send(&app, post("/api/auth/token", &with_code, None)).await;
    assert_eq!(token.status, StatusCode::OK, "{}", token.json);
    assert!(token.json["token"].as_str().unwrap().len() > 20);

    // the browser's path: auth/login says what comes next, auth/mfa_verify finishes
    let step_reply = send(&app, post("/api/auth/login", &credentials, None)).await;
    assert_eq!(step_reply.json["step"], "code");
    let cookies = set_cookies(&step_reply);
    let sign_in = cookie_named(&cookies, "ms_sign_in").unwrap();
    // step + 1 was spent by the token: a replay is refused
    let replay = format!("code={}", totp::hotp(&secret, step + 1));
    let refused = send(&app, post("/api/auth/mfa_verify", &replay, Some(sign_in))).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.json["fields"]["code"][0],
        app::auth::mfa::WRONG_CODE
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_stale_download_goes_to_confirm_and_back(pool: PgPool) {
    make_user(&pool, "boss@example.com", Role::Admin).await;
    let app = router(pool.clone(), &[]);
    let session = login(&app, "boss@example.com").await;
    sqlx::query("UPDATE sessions SET proved_at = now() - interval '10 minutes'")
        .execute(&pool)
        .await
        .unwrap();
    let payment = uuid::Uuid::new_v4();
    let path = format!("/billing/payments/{payment}/receipt.pdf");
    let get = |cookie: &str| {
        http::Request::get(path.as_str())
            .header(header::COOKIE, cookie)
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let stale = send(&app, get(&session)).await;
    assert_eq!(stale.status, StatusCode::SEE_OTHER);
    assert_eq!(
        location(&stale),
        format!("/confirm?next=%2Fbilling%2Fpayments%2F{payment}%2Freceipt.pdf")
    );
    let wrong = format!("password=not-{PASSWORD}");
    let refused = send(&app, post("/api/auth/step_up", &wrong, Some(&session))).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let right = format!("password={PASSWORD}");
    let confirmed = send(&app, post("/api/auth/step_up", &right, Some(&session))).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.json);
    // past the step-up now: the made-up payment is simply not found
    let fresh = send(&app, get(&session)).await;
    assert_eq!(fresh.status, StatusCode::NOT_FOUND);

    // a script (bearer token) has no page to confirm on: it hears the error as JSON
    let credentials = format!("email=boss%40example.com&password={PASSWORD}");
    let token = send(&app, post("/api/auth/token", &credentials, None)).await;
    let bearer = format!("Bearer {}", token.json["token"].as_str().unwrap());
    sqlx::query("UPDATE sessions SET proved_at = now() - interval '10 minutes'")
        .execute(&pool)
        .await
        .unwrap();
    let scripted = http::Request::get(path.as_str())
        .header(header::AUTHORIZATION, bearer)
        .body(axum::body::Body::empty())
        .unwrap();
    let refused = send(&app, scripted).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.json["error"], "step_up_required");
}
