//! The browser-facing guards over real HTTP: the Content-Security-Policy and its per-response nonce
//! on the page's own scripts, the other security headers, and request size limits per route.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

mod common;

use axum::body::Body;
use common::*;
use http::{header, Request, StatusCode};
use sqlx::PgPool;
use tower::ServiceExt;

async fn page(app: &axum::Router, path: &str) -> (http::HeaderMap, String) {
    let res = app
        .clone()
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let headers = res.headers().clone();
    let body = axum::body::to_bytes(res.into_body(), 1 << 22)
        .await
        .unwrap();
    (headers, String::from_utf8_lossy(&body).into_owned())
}

#[sqlx::test(migrations = "../migrations")]
async fn every_inline_script_of_a_page_carries_the_nonce_its_policy_names(pool: PgPool) {
    let app = router(pool, &[]);
    let (headers, html) = page(&app, "/login").await;
    let csp = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let nonce = nonce_of(&csp);
    let script_src = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .unwrap();
    assert!(!script_src.contains("unsafe-inline"), "{script_src}");
    assert_scripts_carry(&html, &nonce);
    let (again, _) = page(&app, "/login").await;
    assert_ne!(
        again.get(header::CONTENT_SECURITY_POLICY).unwrap(),
        csp.as_str(),
        "a fresh nonce per response"
    );
    assert_eq!(headers["cross-origin-opener-policy"], "same-origin");
    assert!(headers["permissions-policy"]
        .to_str()
        .unwrap()
        .contains("microphone=()"));
    assert!(
        headers.get(header::STRICT_TRANSPORT_SECURITY).is_none(),
        "no HSTS over plain HTTP"
    );
    // API answers are not pages: no page policy on them
    let me = send(&app, post("/api/auth/me", "", None)).await;
    assert!(me.headers.get(header::CONTENT_SECURITY_POLICY).is_none());
}

/// The nonce a policy names.
fn nonce_of(csp: &str) -> String {
    csp.split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap()
        .to_owned()
}

fn assert_scripts_carry(html: &str, nonce: &str) {
    let scripts: Vec<&str> = html.split("<script").skip(1).collect();
    assert!(!scripts.is_empty(), "the page has its hydration script");
    for script in &scripts {
        let tag = script.split('>').next().unwrap();
        assert!(
            tag.contains(&format!("nonce=\"{nonce}\"")),
            "a script without this response's nonce: <script{tag}>"
        );
    }
}

/// A signed-in page streams resources after the shell (Suspense): those scripts carry it too.
#[sqlx::test(migrations = "../migrations")]
async fn streamed_resource_scripts_carry_the_nonce(pool: PgPool) {
    make_user(&pool, "boss@example.com", app::auth::types::Role::Admin).await;
    let app = router(pool, &[]);
    let cookie = login(&app, "boss@example.com").await;
    let res = app
        .clone()
        .oneshot(
            Request::get("/account")
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let csp = res.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    let nonce = nonce_of(&csp);
    let body = axum::body::to_bytes(res.into_body(), 1 << 22)
        .await
        .unwrap();
    let html = String::from_utf8_lossy(&body);
    assert!(
        html.matches("<script").count() > 1,
        "the page streams its resources"
    );
    assert_scripts_carry(&html, &nonce);
}

#[sqlx::test(migrations = "../migrations")]
async fn hsts_is_sent_when_the_public_address_is_https(pool: PgPool) {
    let app = router(pool, &[("PUBLIC_URL", "https://ehr.example.com")]);
    let (headers, _) = page(&app, "/login").await;
    assert!(headers[header::STRICT_TRANSPORT_SECURITY]
        .to_str()
        .unwrap()
        .starts_with("max-age="));
}

#[sqlx::test(migrations = "../migrations")]
async fn requests_over_their_routes_limit_are_refused_with_a_sentence(pool: PgPool) {
    let app = router(pool, &[]);
    // a sign-in of 100 KB: far over the 64 KB of a server function
    let padded = format!("email=a%40example.com&password={}", "x".repeat(100 * 1024));
    // refused on its declared length, and without one (chunked) once read to the limit
    let mut declared = post("/api/auth/login", &padded, None);
    declared
        .headers_mut()
        .insert(header::CONTENT_LENGTH, padded.len().into());
    for request in [declared, post("/api/auth/login", &padded, None)] {
        let r = send(&app, request).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(r.json["error"], "too_large");
        assert!(r.json["message"].as_str().unwrap().contains("64 KB"));
    }
    // the plain sign-in form is smaller still
    let form = format!("email=a%40example.com&password={}", "x".repeat(20 * 1024));
    let r = send(&app, post("/login", &form, None)).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.json["message"].as_str().unwrap().contains("16 KB"));
    // the same 100 KB is within a note's limit: it reaches the server function (which refuses
    // the anonymous caller)
    let r = send(&app, post("/api/documents/note", &padded, None)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.json);

    let long = format!("/clients?q={}", "a".repeat(9 * 1024));
    let r = send(&app, Request::get(long).body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, StatusCode::URI_TOO_LONG);
    assert!(r.json["message"].as_str().unwrap().contains("8 KB"));

    let mut big = Request::get("/login");
    for n in 0..40 {
        big = big.header(format!("x-filler-{n}"), "y".repeat(1024));
    }
    let r = send(&app, big.body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
}
