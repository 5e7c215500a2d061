//! `GET /metrics` over the real router on a real PostgreSQL: never public, routes named by their
//! template (not the address), the counters the issue asks for, and every metric the Grafana
//! dashboard and the Prometheus alerts query is one a real scrape has.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

mod common;

use axum::body::Body;
use common::*;
use http::{Request, StatusCode};
use sqlx::PgPool;
use std::collections::BTreeSet;
use tower::ServiceExt;

const TOKEN: &str = "metrics-token-for-the-tests-0123456789";

async fn get(app: &axum::Router, path: &str, bearer: Option<&str>) -> (StatusCode, String) {
    let mut req = Request::get(path);
    if let Some(token) = bearer {
        req = req.header("authorization", format!("Bearer {token}"));
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), 1 << 22)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// `GET /metrics` as a direct connection from `peer`, with these extra headers.
async fn get_from(app: &axum::Router, peer: &str, headers: &[(&str, &str)]) -> StatusCode {
    let mut req = Request::get("/metrics");
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let mut req = req.body(Body::empty()).unwrap();
    let addr: std::net::SocketAddr = peer.parse().unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(addr));
    app.clone().oneshot(req).await.unwrap().status()
}

/// The metric names of a scrape's samples (`name{labels} value` or `name value`).
fn sample_names(scrape: &str) -> BTreeSet<String> {
    scrape
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split(['{', ' ']).next())
        .map(str::to_owned)
        .collect()
}

/// The metric names a PromQL expression reads: identifiers left once label matchers, ranges and
/// `by (…)` / `without (…)` groups are dropped, that are not followed by `(` (functions) and are
/// not PromQL's own words. Written here, not shared with the server: it checks the files.
fn queried_metrics(expr: &str) -> BTreeSet<String> {
    const WORDS: &[&str] = &[
        "by",
        "without",
        "on",
        "ignoring",
        "group_left",
        "group_right",
        "bool",
        "and",
        "or",
        "unless",
        "offset",
        // aggregations, which may come before their `by (…)` rather than their `(`
        "sum",
        "min",
        "max",
        "avg",
        "group",
        "stddev",
        "stdvar",
        "count",
        "count_values",
        "bottomk",
        "topk",
        "quantile",
    ];
    // drop {…} and […]
    let mut plain = String::new();
    let mut depth = 0;
    for c in expr.chars() {
        match c {
            '{' | '[' => depth += 1,
            '}' | ']' => depth -= 1,
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let chars: Vec<char> = plain.chars().collect();
    let mut names = BTreeSet::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_alphabetic() || chars[i] == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == ':')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let mut j = i;
            while j < chars.len() && chars[j] == ' ' {
                j += 1;
            }
            let called = j < chars.len() && chars[j] == '(';
            if word == "by" || word == "without" {
                // skip the label list that follows
                if called {
                    while j < chars.len() && chars[j] != ')' {
                        j += 1;
                    }
                    i = j + 1;
                }
                continue;
            }
            if !called && !WORDS.contains(&word.as_str()) {
                names.insert(word);
            }
        } else {
            i += 1;
        }
    }
    names
}

/// Every `"expr"` in a Grafana dashboard.
fn dashboard_exprs(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("expr", serde_json::Value::String(e)) => out.push(e.clone()),
                    _ => dashboard_exprs(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| dashboard_exprs(i, out)),
        _ => {}
    }
}

#[test]
fn promql_reading_finds_metrics_not_functions_or_labels() {
    assert_eq!(
        queried_metrics(
            r#"histogram_quantile(0.99, sum by (route, le) (rate(http_request_duration_seconds_bucket{route!="/x"}[5m])))"#
        ),
        BTreeSet::from(["http_request_duration_seconds_bucket".to_owned()])
    );
    assert_eq!(
        queried_metrics(
            "(db_pool_connections - db_pool_idle_connections) / db_pool_max_connections > 0.9"
        ),
        BTreeSet::from([
            "db_pool_connections".to_owned(),
            "db_pool_idle_connections".to_owned(),
            "db_pool_max_connections".to_owned()
        ])
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn metrics_are_never_public_and_cover_what_the_dashboards_query(pool: PgPool) {
    let app = router(
        pool.clone(),
        &[
            ("METRICS_TOKEN", TOKEN),
            ("LOGIN_RATE_LIMIT_PER_MINUTE", "1000"),
        ],
    );
    // no token and no allowed address (this request has no peer at all), or a wrong token
    assert_eq!(get(&app, "/metrics", None).await.0, StatusCode::FORBIDDEN);
    let wrong = "metrics-token-for-the-tests-0123456780";
    assert_eq!(
        get(&app, "/metrics", Some(wrong)).await.0,
        StatusCode::FORBIDDEN
    );
    // loopback (the default network) may; elsewhere, or through a proxy on this host, may not
    assert_eq!(get_from(&app, "127.0.0.1:40000", &[]).await, StatusCode::OK);
    assert_eq!(
        get_from(&app, "[::ffff:127.0.0.1]:40000", &[]).await,
        StatusCode::OK
    );
    assert_eq!(
        get_from(&app, "203.0.113.9:40000", &[]).await,
        StatusCode::FORBIDDEN
    );
    let proxied = [("x-forwarded-for", "203.0.113.9")];
    assert_eq!(
        get_from(&app, "127.0.0.1:40000", &proxied).await,
        StatusCode::FORBIDDEN
    );

    // traffic: a chart address holding a client's id, a failed sign-in, a server function
    let client = "0b6a3c1e-5f0a-4d8e-9b1c-2a7f00c0ffee";
    get(&app, &format!("/clients/{client}"), None).await;
    make_user(&pool, "ann@example.com", app::auth::types::Role::Clinician).await;
    let failed = send(
        &app,
        post(
            "/api/auth/login",
            "email=ann%40example.com&password=not-the-password",
            None,
        ),
    )
    .await;
    assert!(failed.status.is_client_error(), "{:?}", failed.json);

    let (status, scrape) = get(&app, "/metrics", Some(TOKEN)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(scrape.contains(r#"route="/clients/{id}""#), "{scrape}");
    assert!(!scrape.contains(client), "an id reached a label");
    assert!(scrape.contains(r#"route="/api/auth/login""#));
    assert!(scrape.contains(r#"status="4xx""#));
    // every request above has finished
    assert!(scrape.contains("\nhttp_requests_in_flight 0\n"), "{scrape}");
    let names = sample_names(&scrape);
    for expected in [
        "http_requests_total",
        "http_request_duration_seconds_bucket",
        "http_requests_in_flight",
        "db_pool_connections",
        "db_pool_idle_connections",
        "db_pool_max_connections",
        "outbox_due_messages",
        "outbox_oldest_due_age_seconds",
        "auth_sign_in_failures_total",
        "audit_events_written_total",
        "mentalspace_build_info",
    ] {
        assert!(
            names.contains(expected),
            "{expected} missing from the scrape"
        );
    }

    // the dashboard and the alert rules query only what is really exported (and Prometheus's own `up`)
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy");
    let dashboard: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("grafana/dashboards/mentalspace.json")).unwrap(),
    )
    .unwrap();
    let mut exprs = Vec::new();
    dashboard_exprs(&dashboard, &mut exprs);
    assert!(exprs.len() >= 10, "{} panels' queries", exprs.len());
    let alerts = std::fs::read_to_string(root.join("prometheus/alerts.yml")).unwrap();
    exprs.extend(
        alerts
            .lines()
            .filter_map(|l| l.trim().strip_prefix("expr:"))
            .map(|e| e.trim().to_owned()),
    );
    let mut queried = BTreeSet::new();
    for expr in &exprs {
        let found = queried_metrics(expr);
        assert!(!found.is_empty(), "no metric in {expr}");
        queried.extend(found);
    }
    let missing: Vec<_> = queried
        .iter()
        .filter(|m| *m != "up" && !names.contains(*m))
        .collect();
    assert!(
        missing.is_empty(),
        "queried but never exported: {missing:?}"
    );
}
