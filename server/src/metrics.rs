//! Prometheus metrics at `GET /metrics` (text format): HTTP requests by route template, method
//! and status class with their latency, requests in flight, the database pool, the reminder
//! outbox, and the counters the app records (sign-in failures, lockouts, audit rows, database
//! errors). Only for a bearer token (`METRICS_TOKEN`) or from an allowed network (`METRICS_ALLOW`,
//! loopback by default): never public.

use app::state::AppState;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, StatusCode};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Instant;

/// Seconds: from a cached page (a few ms) to a slow report.
const LATENCY_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The process's recorder. The `metrics` facade is process-wide by design (every crate records
/// into one recorder), so it is installed once, however many routers are built (tests build
/// several).
pub fn handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new().set_buckets_for_metric(
                Matcher::Full("http_request_duration_seconds".into()),
                LATENCY_BUCKETS,
            );
            let recorder = match builder {
                Ok(b) => b.build_recorder(),
                // only an empty bucket list fails, and the list above is not empty
                Err(_) => PrometheusBuilder::new().build_recorder(),
            };
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!("a metrics recorder was already installed");
            }
            metrics::gauge!("mentalspace_build_info", "version" => env!("CARGO_PKG_VERSION"))
                .set(1.0);
            // counters exist from the start, so a dashboard shows 0 rather than "no data"
            app::telemetry::register_counters();
            handle
        })
        .clone()
}

/// Counts and times every request under its route template (never the address itself: ids,
/// tokens and search text stay out of labels).
pub async fn track(req: Request, next: Next) -> Response {
    let route = route_label(&req);
    let method = method_label(req.method()).to_owned();
    let _in_flight = InFlight::start();
    let started = Instant::now();
    let res = next.run(req).await;
    let status = format!("{}xx", res.status().as_u16() / 100);
    let labels = [("route", route), ("method", method), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    res
}

/// Counts a request in flight until dropped: a request whose client went away mid-way is dropped
/// at its `.await`, and still leaves the count.
struct InFlight(metrics::Gauge);

impl InFlight {
    fn start() -> Self {
        let gauge = metrics::gauge!("http_requests_in_flight");
        gauge.increment(1.0);
        InFlight(gauge)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.decrement(1.0);
    }
}

/// The standard methods by name; anything a client makes up is `OTHER` (a label of its own per
/// invented method would let anyone grow the series without end).
fn method_label(method: &http::Method) -> &'static str {
    use http::Method;
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

/// The route's template: the router's own for pages and files, the endpoint for server functions
/// (a fixed list; an unknown one is `/api/{unknown}`), one label for every built asset.
fn route_label(req: &Request) -> String {
    let path = req.uri().path();
    if path.starts_with("/pkg/") {
        return "/pkg/{file}".to_owned();
    }
    if path.starts_with("/api/") {
        return crate::middleware::route_of(path);
    }
    match req.extensions().get::<MatchedPath>() {
        Some(matched) => matched.as_str().to_owned(),
        None => "{unmatched}".to_owned(),
    }
}

/// `GET /metrics`.
pub async fn scrape(State(state): State<AppState>, req: Request) -> Response {
    if !allowed(&state, &req) {
        return (StatusCode::FORBIDDEN, "Metrics are not public.").into_response();
    }
    record_database(&state).await;
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle().render(),
    )
        .into_response()
}

fn allowed(state: &AppState, req: &Request) -> bool {
    let config = &state.config;
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if let (Some(expected), Some(given)) = (config.metrics_token.as_deref(), bearer) {
        return constant_time_eq(expected.as_bytes(), given.as_bytes());
    }
    // The direct peer only, and never for a request that came through a proxy: a proxy on the
    // same host would make every outside request look like loopback.
    let proxied = ["x-forwarded-for", "forwarded", "x-real-ip"]
        .iter()
        .any(|h| req.headers().contains_key(*h));
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_canonical());
    !proxied && peer.is_some_and(|ip| config.metrics_allow.iter().any(|net| net.contains(ip)))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The pool and the outbox, read at scrape time.
async fn record_database(state: &AppState) {
    let pool = &state.pool;
    metrics::gauge!("db_pool_connections").set(f64::from(pool.size()));
    metrics::gauge!("db_pool_idle_connections").set(pool.num_idle() as f64);
    metrics::gauge!("db_pool_max_connections").set(f64::from(state.config.db_max_connections));
    match app::scheduling::server::outbox::backlog(pool).await {
        Ok(backlog) => {
            metrics::gauge!("outbox_due_messages").set(backlog.due as f64);
            metrics::gauge!("outbox_oldest_due_age_seconds").set(backlog.oldest_due_age_secs);
        }
        Err(_) => tracing::warn!("the outbox backlog could not be read for /metrics"),
    }
}

/// Drains the histograms' samples into their buckets every few seconds, so memory stays flat
/// whether or not anything scrapes (rendering does the same at each scrape).
pub async fn upkeep() {
    let handle = handle();
    loop {
        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        handle.run_upkeep();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }

    #[test]
    fn invented_methods_share_one_label() {
        assert_eq!(method_label(&http::Method::GET), "GET");
        let invented = http::Method::from_bytes(b"FOO1").unwrap();
        assert_eq!(method_label(&invented), "OTHER");
    }
}
