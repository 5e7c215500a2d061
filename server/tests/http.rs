//! The real router over HTTP (tower `oneshot`) on a real PostgreSQL.

use app::auth::server::policy::{policy_for, Policy};
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

const ORIGIN: &str = "http://127.0.0.1:3000";
const PASSWORD: &str = "quiet-river-lantern-42";

fn router(pool: PgPool, extra: &[(&str, &str)]) -> Router {
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
    let leptos_options = LeptosOptions::builder().output_name("mentalspace").build();
    server::router::build(app::state::AppState {
        leptos_options,
        pool,
        config: Arc::new(config),
        keys: Arc::new(
            app::crypto::Keyring::new(&app::crypto::Keyring::generate_key(), &[]).unwrap(),
        ),
    })
}

struct Reply {
    status: StatusCode,
    headers: http::HeaderMap,
    json: Value,
}

async fn send(app: &Router, req: Request<Body>) -> Reply {
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
fn post(path: &str, form: &str, cookie: Option<&str>) -> Request<Body> {
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

async fn make_user(pool: &PgPool, email: &str, role: Role) {
    app::auth::server::service::upsert_account(pool, email, "Test Person", role, PASSWORD, false)
        .await
        .unwrap();
}

/// Signs in and returns the `name=value` of the session cookie.
async fn login(app: &Router, email: &str) -> String {
    let r = send(
        app,
        post(
            "/api/auth/login",
            &format!("email={email}&password={PASSWORD}"),
            None,
        ),
    )
    .await;
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

#[sqlx::test(migrations = "../migrations")]
async fn login_sets_an_http_only_strict_cookie(pool: PgPool) {
    make_user(&pool, "ann@example.com", Role::Clinician).await;
    let app = router(pool, &[]);
    let r = send(
        &app,
        post(
            "/api/auth/login",
            &format!("email=ann%40example.com&password={PASSWORD}"),
            None,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["role"], "clinician");
    let cookie = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(cookie.starts_with("ms_session="));
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    assert!(!cookie.contains("Secure"), "plain http in tests");

    let me = send(
        &app,
        post("/api/auth/me", "", Some(cookie.split(';').next().unwrap())),
    )
    .await;
    assert_eq!(me.json["user"]["email"], "ann@example.com");
}

#[sqlx::test(migrations = "../migrations")]
async fn protected_endpoints_refuse_the_anonymous_and_the_wrong_role(pool: PgPool) {
    make_user(&pool, "ann@example.com", Role::Clinician).await;
    make_user(&pool, "boss@example.com", Role::Admin).await;
    let app = router(pool, &[]);
    let r = send(&app, post("/api/auth/list_users", "", None)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json["error"], "unauthenticated");

    let clinician = login(&app, "ann@example.com").await;
    let r = send(&app, post("/api/auth/list_users", "", Some(&clinician))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let admin = login(&app, "boss@example.com").await;
    let r = send(&app, post("/api/auth/list_users", "", Some(&admin))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json.as_array().unwrap().len(), 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn bearer_tokens_work_like_the_cookie(pool: PgPool) {
    make_user(&pool, "boss@example.com", Role::Admin).await;
    let app = router(pool, &[]);
    let t = send(
        &app,
        Request::post("/api/auth/token")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "email=boss%40example.com&password={PASSWORD}"
            )))
            .unwrap(),
    )
    .await;
    assert_eq!(t.status, StatusCode::OK);
    let token = t.json["token"].as_str().unwrap();
    // a script: no Origin, no cookie, a bearer token
    let r = send(
        &app,
        Request::post("/api/auth/list_users")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn cross_site_requests_are_refused(pool: PgPool) {
    make_user(&pool, "boss@example.com", Role::Admin).await;
    let app = router(pool, &[]);
    let admin = login(&app, "boss@example.com").await;

    let mut evil = post("/api/auth/list_users", "", Some(&admin));
    evil.headers_mut()
        .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
    assert_eq!(send(&app, evil).await.status, StatusCode::FORBIDDEN);

    let mut no_origin = post("/api/auth/list_users", "", Some(&admin));
    no_origin.headers_mut().remove(header::ORIGIN);
    assert_eq!(send(&app, no_origin).await.status, StatusCode::FORBIDDEN);

    let mut same_site_referer = post("/api/auth/list_users", "", Some(&admin));
    same_site_referer.headers_mut().remove(header::ORIGIN);
    same_site_referer.headers_mut().insert(
        header::REFERER,
        "http://127.0.0.1:3000/admin/users".parse().unwrap(),
    );
    assert_eq!(send(&app, same_site_referer).await.status, StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn login_is_rate_limited_per_ip(pool: PgPool) {
    let app = router(pool, &[("LOGIN_RATE_LIMIT_PER_MINUTE", "3")]);
    let attempt = || {
        post(
            "/api/auth/login",
            "email=x%40example.com&password=whatever-it-is",
            None,
        )
    };
    for _ in 0..3 {
        assert_eq!(
            send(&app, attempt()).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    let r = send(&app, attempt()).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.json["error"], "rate_limited");
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_input_gets_a_message_per_field(pool: PgPool) {
    make_user(&pool, "boss@example.com", Role::Admin).await;
    let app = router(pool, &[]);
    let r = send(&app, post("/api/auth/login", "email=not-an-email", None)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json["fields"]["password"][0], "This field is required.");

    let admin = login(&app, "boss@example.com").await;
    let r = send(
        &app,
        post(
            "/api/auth/create_user",
            "email=nope&display_name=&role=wizard&initial_password=short",
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = r.json["fields"].as_object().unwrap();
    let mut named: Vec<&str> = fields.keys().map(String::as_str).collect();
    named.sort();
    assert_eq!(named, ["display_name", "email", "initial_password", "role"]);
    assert!(r.json["fields"]["email"][0].as_str().unwrap().contains("@"));
}

#[sqlx::test(migrations = "../migrations")]
async fn health_and_readiness(pool: PgPool) {
    let app = router(pool, &[]);
    assert_eq!(
        send(&app, Request::get("/healthz").body(Body::empty()).unwrap())
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        send(&app, Request::get("/readyz").body(Body::empty()).unwrap())
            .await
            .status,
        StatusCode::OK
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn pages_redirect_to_sign_in_without_a_session(pool: PgPool) {
    let app = router(pool, &[]);
    let r = send(
        &app,
        Request::get("/admin/users").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers.get(header::LOCATION).unwrap(), "/login");
}

/// Every server function has a policy, and the gate applies it to every role.
#[sqlx::test(migrations = "../migrations")]
async fn every_server_function_has_a_policy_enforced_for_every_role(pool: PgPool) {
    for role in Role::ALL {
        make_user(&pool, &format!("{}@example.com", role.as_str()), role).await;
    }
    let app = router(pool, &[]);
    let mut cookies = Vec::new();
    for role in Role::ALL {
        cookies.push((
            role,
            login(&app, &format!("{}@example.com", role.as_str())).await,
        ));
    }

    let paths: Vec<&str> = server_fn::axum::server_fn_paths().map(|(p, _)| p).collect();
    assert!(
        paths.len() >= 14,
        "server functions are registered: {paths:?}"
    );
    for path in paths {
        let policy =
            policy_for(path).unwrap_or_else(|| panic!("{path} has no entry in ENDPOINT_POLICIES"));
        let anonymous = send(&app, post(path, "", None)).await.status;
        let expect_anonymous_refused = policy != Policy::Public;
        assert_eq!(
            anonymous == StatusCode::UNAUTHORIZED,
            expect_anonymous_refused,
            "{path} anonymous: {anonymous}"
        );

        for (role, cookie) in &cookies {
            // skip the one endpoint that would end the session the loop keeps using
            if path.ends_with("/logout") || path.ends_with("/sign_out_everywhere") {
                continue;
            }
            let status = send(&app, post(path, "", Some(cookie))).await.status;
            let allowed = match policy {
                Policy::Requires(p) => role.can(p),
                _ => true,
            };
            assert_eq!(
                status == StatusCode::FORBIDDEN,
                !allowed,
                "{path} as {role:?}: {status}"
            );
            assert_ne!(status, StatusCode::UNAUTHORIZED, "{path} as {role:?}");
        }
    }
}

/// The release-of-records download: the session decides; a refusal is a page, not a file.
#[sqlx::test(migrations = "../migrations")]
async fn a_note_pdf_needs_a_session_and_an_existing_note(pool: PgPool) {
    make_user(&pool, "casey@example.com", Role::Clinician).await;
    let app = router(pool, &[]);
    let path = format!("/notes/{}/pdf", uuid::Uuid::new_v4());
    let anonymous = send(&app, Request::get(&path).body(Body::empty()).unwrap()).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(anonymous.headers.get(header::LOCATION).unwrap(), "/login");

    let cookie = login(&app, "casey@example.com").await;
    for (path, status) in [
        (path.as_str(), StatusCode::NOT_FOUND),
        ("/notes/not-a-note/pdf", StatusCode::NOT_FOUND),
    ] {
        let r = send(
            &app,
            Request::get(path)
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(r.status, status, "{path}");
        assert!(r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
    }
}
