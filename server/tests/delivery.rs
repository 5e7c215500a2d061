//! How the site reaches the browser, over the real router on a real PostgreSQL: built assets
//! precompressed and cached for a year, pages compressed on the fly and never stored, and the
//! sign-in form working as a plain form post before the WASM has loaded.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

mod common;

use app::auth::types::{Role, LOGIN_FAILED};
use axum::body::Body;
use common::*;
use http::{header, Request, StatusCode};
use leptos::config::LeptosOptions;
use sqlx::PgPool;
use tower::ServiceExt;

const WASM: &str = "/pkg/split_clients_pages_1.Q29udGVudEhhc2g.wasm";
/// The main WASM: cargo-leptos rewrites it after naming it by its hash.
const ENTRY: &str = "/pkg/mentalspace.RW50cnlIYXNo.wasm";

/// A site folder as a release build leaves it: a hashed file with brotli and gzip copies beside it.
fn built_site() -> std::path::PathBuf {
    let root = std::env::temp_dir().join(format!("ms-site-{}", uuid::Uuid::new_v4()));
    let file = root.join(WASM.trim_start_matches('/'));
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, b"\0asm plain").unwrap();
    std::fs::write(file.with_extension("wasm.br"), b"brotli copy").unwrap();
    std::fs::write(file.with_extension("wasm.gz"), b"gzip copy").unwrap();
    std::fs::write(root.join(ENTRY.trim_start_matches('/')), b"\0asm main").unwrap();
    root
}

async fn get(app: &axum::Router, path: &str, accept_encoding: &str) -> (http::HeaderMap, Vec<u8>) {
    let req = Request::get(path)
        .header(header::ACCEPT_ENCODING, accept_encoding)
        .body(Body::empty())
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    let headers = res.headers().clone();
    let body = axum::body::to_bytes(res.into_body(), 1 << 22)
        .await
        .unwrap();
    (headers, body.to_vec())
}

fn header_of(headers: &http::HeaderMap, name: header::HeaderName) -> &str {
    headers.get(name).map_or("", |v| v.to_str().unwrap())
}

#[sqlx::test(migrations = "../migrations")]
async fn built_assets_go_out_precompressed_and_are_kept_for_a_year(pool: PgPool) {
    let root = built_site();
    let options = LeptosOptions::builder()
        .output_name("mentalspace")
        .site_root(root.to_string_lossy().to_string())
        .hash_files(true)
        .build();
    let app = router_with_site(pool, &[], options);

    for (accept, encoding, body) in [
        ("br, gzip", "br", &b"brotli copy"[..]),
        ("gzip", "gzip", b"gzip copy"),
        ("identity", "", b"\0asm plain"),
    ] {
        let (headers, got) = get(&app, WASM, accept).await;
        assert_eq!(got, body, "Accept-Encoding: {accept}");
        assert_eq!(header_of(&headers, header::CONTENT_ENCODING), encoding);
        assert_eq!(
            header_of(&headers, header::CONTENT_TYPE),
            "application/wasm"
        );
        assert!(header_of(&headers, header::VARY)
            .to_ascii_lowercase()
            .contains("accept-encoding"));
        assert_eq!(
            header_of(&headers, header::CACHE_CONTROL),
            "public, max-age=31536000, immutable"
        );
    }
    // the entry file is checked again on each use (same name, perhaps new content): unchanged,
    // it answers 304 with no body
    let (headers, got) = get(&app, ENTRY, "br").await;
    assert_eq!(got, b"\0asm main");
    assert_eq!(header_of(&headers, header::CACHE_CONTROL), "no-cache");
    let again = Request::get(ENTRY)
        .header(header::ACCEPT_ENCODING, "br")
        .header(
            header::IF_MODIFIED_SINCE,
            header_of(&headers, header::LAST_MODIFIED),
        )
        .body(Body::empty())
        .unwrap();
    let again = app.clone().oneshot(again).await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(
        header_of(again.headers(), header::CACHE_CONTROL),
        "no-cache"
    );
    // a file that is not there is a plain 404, never a page
    let missing = Request::get("/pkg/nothing.Q29udGVudEhhc2g.wasm")
        .body(Body::empty())
        .unwrap();
    let missing = app.clone().oneshot(missing).await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(missing
        .headers()
        .get(header::CACHE_CONTROL)
        .is_none_or(|v| v != "public, max-age=31536000, immutable"));
    std::fs::remove_dir_all(root).unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn unhashed_assets_are_checked_again_before_use(pool: PgPool) {
    let root = built_site();
    let options = LeptosOptions::builder()
        .output_name("mentalspace")
        .site_root(root.to_string_lossy().to_string())
        .build();
    let app = router_with_site(pool, &[], options);
    let (headers, _) = get(&app, WASM, "br").await;
    assert_eq!(header_of(&headers, header::CACHE_CONTROL), "no-cache");
    std::fs::remove_dir_all(root).unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn pages_are_compressed_on_the_fly_and_never_stored(pool: PgPool) {
    let app = router(pool, &[]);
    let (plain_headers, plain) = get(&app, "/login", "identity").await;
    assert_eq!(header_of(&plain_headers, header::CONTENT_ENCODING), "");
    assert!(String::from_utf8_lossy(&plain).contains("Sign in"));

    let (headers, gzipped) = get(&app, "/login", "gzip").await;
    assert_eq!(header_of(&headers, header::CONTENT_ENCODING), "gzip");
    assert_eq!(&gzipped[..2], &[0x1f, 0x8b], "a gzip stream");
    assert!(
        gzipped.len() < plain.len() / 2,
        "{} of {}",
        gzipped.len(),
        plain.len()
    );
    assert!(header_of(&headers, header::VARY)
        .to_ascii_lowercase()
        .contains("accept-encoding"));
    assert_eq!(header_of(&headers, header::CACHE_CONTROL), "no-store");

    // a tiny answer is not worth compressing
    let (small, body) = get(&app, "/healthz", "gzip").await;
    assert_eq!(header_of(&small, header::CONTENT_ENCODING), "");
    assert_eq!(body, b"ok");
}

fn sign_in_form(body: &str, origin: &str) -> Request<Body> {
    Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, origin)
        .header(header::HOST, "127.0.0.1:3000")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn the_sign_in_form_works_as_a_plain_form_post(pool: PgPool) {
    make_user(&pool, "ann@example.com", Role::Clinician).await;
    let app = router(pool.clone(), &[]);

    let ok = send(
        &app,
        sign_in_form(
            &format!("email=Ann%40example.com&password={PASSWORD}"),
            ORIGIN,
        ),
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(header_of(&ok.headers, header::LOCATION), "/");
    let cookie = header_of(&ok.headers, header::SET_COOKIE);
    assert!(
        cookie.starts_with("ms_session=") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let me = send(
        &app,
        post("/api/auth/me", "", Some(cookie.split(';').next().unwrap())),
    )
    .await;
    assert_eq!(me.json["user"]["email"], "ann@example.com");

    for (body, code) in [
        (
            "email=ann%40example.com&password=not-the-password",
            "failed",
        ),
        (
            "email=nobody%40example.com&password=whatever-it-is",
            "failed",
        ),
        ("email=not-an-address&password=whatever-it-is", "email"),
        ("email=ann%40example.com&password=", "password"),
        ("", "email"),
    ] {
        let r = send(&app, sign_in_form(body, ORIGIN)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{body}");
        assert_eq!(
            header_of(&r.headers, header::LOCATION),
            format!("/login?error={code}"),
            "{body}"
        );
        assert!(r.headers.get(header::SET_COOKIE).is_none(), "{body}");
    }
    // the page says the refusal in our words, next to the password
    let (_, page) = get(&app, "/login?error=failed", "identity").await;
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains(&LOGIN_FAILED[..40]), "{page}");

    // both failures are in the audit trail, and the wrong password counted toward the lockout
    let failed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'auth.login' AND outcome = 'failure'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(failed, 2);
    let strikes: i32 =
        sqlx::query_scalar("SELECT failed_logins FROM users WHERE email = 'ann@example.com'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(strikes, 1);

    let cross_site = send(
        &app,
        sign_in_form(
            &format!("email=ann%40example.com&password={PASSWORD}"),
            "https://evil.example",
        ),
    )
    .await;
    assert_eq!(cross_site.status, StatusCode::FORBIDDEN);

    let not_a_form = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ORIGIN, ORIGIN)
        .body(Body::from("{}"))
        .unwrap();
    assert_eq!(send(&app, not_a_form).await.status, StatusCode::BAD_REQUEST);
}
