//! The whole HTTP surface: health checks, server functions, pages and static files.

use crate::middleware;
use app::state::AppState;
use app::{shell, App};
use axum::extract::{Request, State};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use http::{header, HeaderValue, StatusCode};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub fn build(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let page_state = state.clone();
    let options = state.leptos_options.clone();

    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/api/{*endpoint}", get(server_fn).post(server_fn))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(page_state.clone()),
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::gate,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            no_store_unless_asset,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Pages and API answers hold PHI: never cache them (this also keeps them out of the back-forward cache).
fn no_store_unless_asset(res: &axum::response::Response) -> Option<HeaderValue> {
    let is_asset = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            !ct.starts_with("text/html")
                && !ct.starts_with("application/json")
                && !ct.starts_with("text/plain")
        });
    (!is_asset).then(|| HeaderValue::from_static("no-store"))
}

async fn server_fn(State(state): State<AppState>, req: Request) -> impl IntoResponse {
    handle_server_fns_with_context(move || provide_context(state.clone()), req).await
}

async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match sqlx::query_scalar::<_, i32>("SELECT 1")
        .fetch_one(&state.pool)
        .await
    {
        Ok(_) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}
