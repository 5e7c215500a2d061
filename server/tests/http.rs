//! The real router over HTTP (tower `oneshot`) on a real PostgreSQL: sessions, CSRF, rate limits,
//! errors, health and pages. Who may call which server function is in `authorization.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

mod common;

use app::auth::types::Role;
use axum::body::Body;
use common::*;
use http::{header, Request, StatusCode};
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn login_sets_an_http_only_strict_cookie(pool: PgPool) {
    make_user(&pool, "ann@example.com", Role::Clinician).await;
    let app = router(pool, &[]);
    let r = send(&app, login_request("ann%40example.com")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["step"], "done");
    assert_eq!(r.json["user"]["role"], "clinician");
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

/// The 837P and CMS-1500 downloads: billers and admins only; a clinician gets a page saying no.
#[sqlx::test(migrations = "../migrations")]
async fn a_batch_file_is_for_billers_only(pool: PgPool) {
    make_user(&pool, "casey@example.com", Role::Clinician).await;
    make_user(&pool, "billie@example.com", Role::Biller).await;
    let app = router(pool, &[]);
    let path = format!("/billing/batches/{}/837p", uuid::Uuid::new_v4());
    let anonymous = send(&app, Request::get(&path).body(Body::empty()).unwrap()).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    let casey = login(&app, "casey@example.com").await;
    let billie = login(&app, "billie@example.com").await;
    let paper = format!("/billing/claims/{}/cms1500.pdf", uuid::Uuid::new_v4());
    for (cookie, path, status) in [
        (&casey, path.as_str(), StatusCode::FORBIDDEN),
        (&billie, path.as_str(), StatusCode::NOT_FOUND),
        (&billie, "/billing/batches/nope/837p", StatusCode::NOT_FOUND),
        (&casey, paper.as_str(), StatusCode::FORBIDDEN),
        (&billie, paper.as_str(), StatusCode::NOT_FOUND),
        (
            &billie,
            "/billing/claims/nope/cms1500.pdf",
            StatusCode::NOT_FOUND,
        ),
    ] {
        let r = send(
            &app,
            Request::get(path)
                .header(header::COOKIE, cookie)
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

#[sqlx::test(migrations = "../migrations")]
async fn a_999_is_posted_raw_or_through_the_form_and_refused_with_a_reason(pool: PgPool) {
    make_user(&pool, "casey@example.com", Role::Clinician).await;
    make_user(&pool, "billie@example.com", Role::Biller).await;
    let pool2 = pool.clone();
    let app = router(pool, &[]);
    let anonymous = send(&app, post("/billing/acks", "ISA", None)).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let casey = login(&app, "casey@example.com").await;
    let billie = login(&app, "billie@example.com").await;
    let refused = send(&app, post("/billing/acks", "ISA", Some(&casey))).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let garbage = send(&app, post("/billing/acks", "hello", Some(&billie))).await;
    assert_eq!(garbage.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        garbage.json["fields"]["file"][0],
        "The file does not start with an ISA segment."
    );
    // a well-formed 999 for a batch nobody sent: refused whole, naming the group
    let ack = "ISA*00*          *00*          *ZZ*CLEARINGHOUSE  *ZZ*MSEHR          *261220*0900*^*00501*000000001*0*P*:~\
               GS*FA*CLEARINGHOUSE*MSEHR*20261220*0900*1*X*005010X231A1~ST*999*0001*005010X231A1~\
               AK1*HC*4242*005010X222A1~AK9*A*1*1*1~SE*4*0001~GE*1*1~IEA*1*000000001~";
    let unknown = send(&app, post("/billing/acks", ack, Some(&billie))).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    let said = unknown.json["fields"]["file"][0].as_str().unwrap();
    assert!(said.contains("group 000004242"), "{said}");
    // the Batches page's form goes back to the page with the reason
    let boundary = "XBOUNDARY";
    let form = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.999\"\r\n\r\nhello\r\n--{boundary}--\r\n"
    );
    let r = send(
        &app,
        Request::post("/billing/acks")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::ORIGIN, ORIGIN)
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::COOKIE, &billie)
            .body(Body::from(form))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // the address carries only the id of the sentence the server kept, for Billie alone
    let location = r.headers[header::LOCATION].to_str().unwrap();
    let id = location
        .strip_prefix("/billing/batches?refused=")
        .expect(location);
    let said = send(
        &app,
        post(
            "/api/billing/upload_refusal",
            &format!("id={id}"),
            Some(&billie),
        ),
    )
    .await;
    assert_eq!(said.json, "The file does not start with an ISA segment.");
    make_user(&pool2, "bob@example.com", Role::Biller).await;
    let bob = login(&app, "bob@example.com").await;
    let other = send(
        &app,
        post(
            "/api/billing/upload_refusal",
            &format!("id={id}"),
            Some(&bob),
        ),
    )
    .await;
    assert_eq!(
        other.json,
        serde_json::Value::Null,
        "another biller's refusal is not shown"
    );
    let crafted = send(
        &app,
        post(
            "/api/billing/upload_refusal",
            "id=Call%20555",
            Some(&billie),
        ),
    )
    .await;
    assert_eq!(crafted.json, serde_json::Value::Null);
}

/// Every connection busy: requests are answered 503 with Retry-After within the pool's acquire
/// timeout, not left hanging, and served again once a connection is free.
#[sqlx::test(migrations = "../migrations")]
async fn an_exhausted_pool_answers_503_at_once(pool: PgPool) {
    make_user(&pool, "ann@example.com", Role::Clinician).await;
    let small = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(std::time::Duration::from_millis(500))
        .connect_with((*pool.connect_options()).clone())
        .await
        .unwrap();
    let app = router(small.clone(), &[]);
    let cookie = login(&app, "ann@example.com").await;

    let busy = small.acquire().await.unwrap();
    let started = std::time::Instant::now();
    let r = send(&app, post("/api/auth/me", "", Some(&cookie))).await;
    assert!(
        started.elapsed() < std::time::Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{:?}", r.json);
    assert_eq!(r.json["error"], "unavailable");
    assert_eq!(r.headers.get(header::RETRY_AFTER).unwrap(), "5");
    // a server function that reaches the pool itself says so too
    let r = send(&app, login_request("ann%40example.com")).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{:?}", r.json);
    assert_eq!(r.headers.get(header::RETRY_AFTER).unwrap(), "5");

    drop(busy);
    let r = send(&app, post("/api/auth/me", "", Some(&cookie))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["user"]["email"], "ann@example.com");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_api_is_rate_limited_per_person_with_searches_held_tighter(pool: PgPool) {
    make_user(&pool, "ann@example.com", Role::Clinician).await;
    let app = router(
        pool,
        &[
            ("API_RATE_BURST", "3"),
            ("API_RATE_PER_SECOND", "1"),
            ("API_BULK_RATE_BURST", "1"),
            ("API_BULK_RATE_PER_SECOND", "1"),
        ],
    );
    let ann = login(&app, "ann@example.com").await;
    for _ in 0..3 {
        let r = send(&app, post("/api/auth/my_sessions", "", Some(&ann))).await;
        assert_eq!(r.status, StatusCode::OK);
    }
    let r = send(&app, post("/api/auth/my_sessions", "", Some(&ann))).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.json["error"], "rate_limited");
    let wait: u64 = r.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&wait), "{wait}");

    // searches have their own, smaller allowance: one, then a wait
    let search = || post("/api/clients/search", "query=ca", Some(&ann));
    assert_ne!(
        send(&app, search()).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        send(&app, search()).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}
