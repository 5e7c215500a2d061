//! The real router on a real PostgreSQL, driven over HTTP with tower `oneshot`: set-up shared by the
//! HTTP test files.
#![allow(dead_code)] // each test file uses its own part

use app::auth::types::Role;
use app::config::Config;
use axum::body::Body;
use axum::Router;
use http::{header, Request, StatusCode};
use leptos::config::LeptosOptions;
use serde_json::Value;
use sqlx::PgPool;
use std::sync::Arc;
use tower::ServiceExt;

pub const ORIGIN: &str = "http://127.0.0.1:3000";
pub const PASSWORD: &str = "quiet-river-lantern-42";

pub fn router(pool: PgPool, extra: &[(&str, &str)]) -> Router {
    let leptos_options = LeptosOptions::builder().output_name("mentalspace").build();
    router_with_site(pool, extra, leptos_options)
}

/// The router serving the site (built files) these options name.
pub fn router_with_site(
    pool: PgPool,
    extra: &[(&str, &str)],
    leptos_options: LeptosOptions,
) -> Router {
    let extra: Vec<(String, String)> = extra
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let config = Config::from_lookup(move |k| {
        extra
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .or_else(|| match k {
                "JWT_SECRET" => Some("http-test-secret-http-test-secret".into()),
                _ => None,
            })
    })
    .unwrap();
    server::router::build(app::state::AppState {
        leptos_options,
        pool,
        config: Arc::new(config),
        keys: Arc::new(
            app::crypto::Keyring::new(&app::crypto::Keyring::generate_key(), &[]).unwrap(),
        ),
    })
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub json: Value,
}

pub async fn send(app: &Router, req: Request<Body>) -> Reply {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .unwrap();
    Reply {
        status,
        headers,
        json: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    }
}

/// A form POST as the browser's server-function client makes it.
pub fn post(path: &str, form: &str, cookie: Option<&str>) -> Request<Body> {
    let mut b = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::ORIGIN, ORIGIN)
        .header(header::HOST, "127.0.0.1:3000");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::from(form.to_owned())).unwrap()
}

pub async fn make_user(pool: &PgPool, email: &str, role: Role) {
    app::auth::server::service::upsert_account(pool, email, "Test Person", role, PASSWORD, false)
        .await
        .unwrap();
}

/// The `auth/login` call with the test password.
pub fn login_request(email: &str) -> Request<Body> {
    post(
        "/api/auth/login",
        &format!("email={email}&password={PASSWORD}"),
        None,
    )
}

/// Signs in and returns the `name=value` of the session cookie.
pub async fn login(app: &Router, email: &str) -> String {
    let r = send(app, login_request(email)).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.json);
    let set_cookie = r
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    set_cookie.split(';').next().unwrap().to_owned()
}
