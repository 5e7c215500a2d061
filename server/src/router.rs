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
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub fn build(state: AppState) -> Router {
    // what the router and the app count goes to the process's one recorder
    crate::metrics::handle();
    let routes = generate_route_list(App);
    let page_state = state.clone();
    let options = state.leptos_options.clone();

    static_files(&options, Router::new())
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/login", axum::routing::post(crate::sign_in::submit))
        .route(
            "/login/code",
            axum::routing::post(crate::sign_in::submit_code),
        )
        .route("/api/{*endpoint}", get(server_fn).post(server_fn))
        .route("/feeds/{file}", get(calendar_feed))
        .route("/r/{token}", get(reply_page).post(reply_answer))
        .route("/notes/{id}/pdf", get(note_pdf))
        .route("/billing/batches/{id}/837p", get(batch_837p))
        .route("/billing/claims/{id}/cms1500.pdf", get(claim_cms1500))
        .route("/billing/payments/{id}/receipt.pdf", get(payment_receipt))
        .route("/billing/clients/{id}/{paper}", get(client_paper))
        .route(
            "/audit/clients/{id}/access-report.pdf",
            get(access_report_pdf),
        )
        .route(
            "/billing/eras",
            axum::routing::post(crate::uploads::import_era).layer(
                axum::extract::DefaultBodyLimit::max(crate::limits::X12_BODY),
            ),
        )
        .route(
            "/billing/acks",
            axum::routing::post(crate::uploads::import_ack).layer(
                axum::extract::DefaultBodyLimit::max(crate::limits::X12_BODY),
            ),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(page_state.clone()),
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        // inside the gate: it knows who is calling
        .layer(axum::middleware::from_fn_with_state(
            crate::rate::ApiLimits::new(&state.config.api_rate),
            crate::rate::limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::gate,
        ))
        // sizes first: an oversized request is refused before its session is even looked up
        .layer(axum::middleware::from_fn(crate::limits::enforce))
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
        .layer(axum::middleware::from_fn_with_state(
            state.config.public_origin.starts_with("https://"),
            crate::security::headers,
        ))
        // pages, API answers and files without a precompressed copy; built assets arrive already
        // compressed (brotli or gzip beside each file, chosen by Accept-Encoding) and pass through
        .layer(
            CompressionLayer::new().compress_when(
                SizeAbove::new(COMPRESS_ABOVE_BYTES)
                    .and(NotForContentType::GRPC)
                    .and(NotForContentType::IMAGES)
                    .and(NotForContentType::SSE),
            ),
        )
        // the span names the route, never the full address (tokens, feed secrets, search text)
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            tracing::info_span!(
                "request",
                method = %req.method(),
                route = %middleware::route_of(req.uri().path()),
            )
        }))
        .layer(axum::middleware::from_fn(crate::metrics::track))
        // outside the gate and the counting: Prometheus has no session; the handler checks its
        // token or address itself
        .route("/metrics", get(crate::metrics::scrape))
        .with_state(state)
}

/// The built files under `/pkg/` and the public files at the root, as the brotli or gzip copy
/// beside each when the browser takes it. Served here rather than by the pages' fallback, which
/// passes on only the address and Accept-Encoding and so could never answer a revalidation with
/// 304 Not Modified.
fn static_files(
    options: &leptos::config::LeptosOptions,
    router: Router<AppState>,
) -> Router<AppState> {
    let site = std::path::Path::new(options.site_root.as_ref());
    let pkg = ServeDir::new(site.join(options.site_pkg_dir.as_ref()))
        .precompressed_br()
        .precompressed_gzip();
    middleware::PUBLIC_FILES.iter().fold(
        router.nest_service(&format!("/{}", options.site_pkg_dir), pkg),
        |router, file| {
            let served = ServeFile::new(site.join(file.trim_start_matches('/')))
                .precompressed_br()
                .precompressed_gzip();
            router.route_service(file, served)
        },
    )
}

/// Below about a kilobyte compression saves less than its own framing and time.
const COMPRESS_ABOVE_BYTES: u16 = 1024;

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

/// A clinician's private calendar feed: `/feeds/<secret>.ics` (the secret is the only credential).
async fn calendar_feed(
    State(state): State<AppState>,
    meta: Option<axum::Extension<app::auth::server::RequestMeta>>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> axum::response::Response {
    let Some(token) = file.strip_suffix(".ics").filter(|t| t.len() == 43) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    // the gate recorded where the request came from, for the audit trail
    let meta = meta.map(|m| m.0).unwrap_or_default();
    match app::scheduling::server::feeds::ics(&state.pool, token, &meta).await {
        Ok(Some(ics)) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            ics,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => e.into_response(),
    }
}

/// The page behind a reminder's link: when, and two buttons. Plain HTML, no script.
async fn reply_page(
    State(state): State<AppState>,
    axum::extract::Path(token): axum::extract::Path<String>,
) -> axum::response::Response {
    let Ok(token) = token.parse::<uuid::Uuid>() else {
        return reply_html(StatusCode::NOT_FOUND, "This link is not valid.", None);
    };
    match app::scheduling::server::reply::page(&state.pool, token).await {
        Ok(Some(p)) if p.upcoming => {
            let text = format!(
                "Your appointment at {} is on {} ({}).",
                p.practice,
                p.when,
                p.status.label().to_lowercase()
            );
            reply_html(StatusCode::OK, &text, Some(&token.to_string()))
        }
        Ok(Some(_)) => reply_html(StatusCode::OK, "This appointment has passed.", None),
        Ok(None) => reply_html(StatusCode::NOT_FOUND, "This link is not valid.", None),
        Err(e) => e.into_response(),
    }
}

#[derive(serde::Deserialize)]
struct ReplyForm {
    answer: String,
}

async fn reply_answer(
    State(state): State<AppState>,
    axum::extract::Path(token): axum::extract::Path<String>,
    axum::Form(form): axum::Form<ReplyForm>,
) -> axum::response::Response {
    let Ok(token) = token.parse::<uuid::Uuid>() else {
        return reply_html(StatusCode::NOT_FOUND, "This link is not valid.", None);
    };
    let confirm = match form.answer.as_str() {
        "confirm" => true,
        "cancel" => false,
        _ => return reply_html(StatusCode::BAD_REQUEST, "Choose confirm or cancel.", None),
    };
    let meta = app::auth::server::RequestMeta::default();
    match app::scheduling::server::reply::answer(&state.pool, token, confirm, &meta).await {
        Ok(sentence) => reply_html(StatusCode::OK, &sentence, None),
        Err(app::error::AppError::NotFound) => {
            reply_html(StatusCode::NOT_FOUND, "This link is not valid.", None)
        }
        Err(app::error::AppError::Conflict(m)) => reply_html(StatusCode::CONFLICT, &m, None),
        Err(e) => e.into_response(),
    }
}

/// A signed note as a PDF for release of records: the session decides who may (the service audits
/// it); a refusal is a short page saying why.
async fn note_pdf(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    user: Option<axum::Extension<app::auth::server::CurrentUser>>,
    axum::Extension(meta): axum::Extension<app::auth::server::RequestMeta>,
) -> axum::response::Response {
    let (user, id) =
        match caller_and_id::<app::ids::NoteId>(user, &id, "Note", "There is no such note.") {
            Ok(found) => found,
            Err(page) => return *page,
        };
    let released =
        app::documents::server::release::note_pdf(&state.pool, &state.keys, &user, &meta, id)
            .await
            .map(|r| (r.filename, r.pdf));
    download(released, "application/pdf", "Note")
}

/// A batch's 837P exactly as stored when it was made (billers and admins; the service audits it).
async fn batch_837p(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    user: Option<axum::Extension<app::auth::server::CurrentUser>>,
    axum::Extension(meta): axum::Extension<app::auth::server::RequestMeta>,
) -> axum::response::Response {
    let (user, id) =
        match caller_and_id::<app::ids::BatchId>(user, &id, "Batch", "There is no such batch.") {
            Ok(found) => found,
            Err(page) => return *page,
        };
    let file = app::billing::server::batches::batch_file(&state.pool, &user, &meta, id).await;
    download(file, "application/edi-x12", "Batch")
}

/// A claim on the CMS-1500 paper form (billers and admins; the service audits it).
async fn claim_cms1500(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    user: Option<axum::Extension<app::auth::server::CurrentUser>>,
    axum::Extension(meta): axum::Extension<app::auth::server::RequestMeta>,
) -> axum::response::Response {
    let (user, id) =
        match caller_and_id::<app::ids::ClaimId>(user, &id, "Claim", "There is no such claim.") {
            Ok(found) => found,
            Err(page) => return *page,
        };
    let file = app::billing::server::claims::claim_pdf(&state.pool, &user, &meta, id).await;
    download(file, "application/pdf", "Claim")
}

/// A payment's receipt (front desk, billers and admins; the service audits it).
async fn payment_receipt(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    user: Option<axum::Extension<app::auth::server::CurrentUser>>,
    axum::Extension(meta): axum::Extension<app::auth::server::RequestMeta>,
) -> axum::response::Response {
    let (user, id) = match caller_and_id::<app::ids::PaymentId>(
        user,
        &id,
        "Receipt",
        "There is no such payment.",
    ) {
        Ok(found) => found,
        Err(page) => return *page,
    };
    let pdf = app::billing::server::ledger::receipt_pdf(&state.pool, &user, &meta, id).await;
    download(pdf, "application/pdf", "Receipt")
}

#[derive(serde::Deserialize)]
struct Period {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// A client's statement (`statement.pdf`) or superbill (`superbill.pdf`) for `?from=&to=`
/// (front desk, billers and admins; the service audits it).
async fn client_paper(
    State(state): State<AppState>,
    axum::extract::Path((id, paper)): axum::extract::Path<(String, String)>,
    axum::extract::Query(period): axum::extract::Query<Period>,
    user: Option<axum::Extension<app::auth::server::CurrentUser>>,
    axum::Extension(meta): axum::Extension<app::auth::server::RequestMeta>,
) -> axum::response::Response {
    use app::billing::server::statements;
    let title = match paper.as_str() {
        "statement.pdf" => "Statement",
        "superbill.pdf" => "Superbill",
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let (user, id) =
        match caller_and_id::<app::ids::ClientId>(user, &id, title, "There is no such client.") {
            Ok(found) => found,
            Err(page) => return *page,
        };
    let pdf = if title == "Statement" {
        statements::statement_pdf(&state.pool, &user, &meta, id, &period.from, &period.to).await
    } else {
        statements::superbill_pdf(&state.pool, &user, &meta, id, &period.from, &period.to).await
    };
    download(pdf, "application/pdf", title)
}

/// A client's access report for `?from=&to=` as a PDF (administrators; the service audits it and
/// asks for a recent proof of identity).
async fn access_report_pdf(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    axum::extract::Query(period): axum::extract::Query<Period>,
    user: Option<axum::Extension<app::auth::server::CurrentUser>>,
    axum::Extension(meta): axum::Extension<app::auth::server::RequestMeta>,
) -> axum::response::Response {
    const TITLE: &str = "Access report";
    let (user, id) =
        match caller_and_id::<app::ids::ClientId>(user, &id, TITLE, "There is no such client.") {
            Ok(found) => found,
            Err(page) => return *page,
        };
    let pdf = app::audit::server::access_report::report_pdf(
        &state.pool,
        &user,
        &meta,
        id,
        &period.from,
        &period.to,
    )
    .await;
    download(pdf, "application/pdf", TITLE)
}

/// The signed-in caller and the record id of a download's address: without a session, the way to
/// sign-in; with an id that is not one, a page saying there is no such record.
fn caller_and_id<I: std::str::FromStr>(
    user: Option<axum::Extension<app::auth::server::CurrentUser>>,
    id: &str,
    title: &str,
    missing: &str,
) -> Result<(app::auth::server::CurrentUser, I), Box<axum::response::Response>> {
    let Some(axum::Extension(user)) = user else {
        return Err(Box::new(
            axum::response::Redirect::to("/login").into_response(),
        ));
    };
    let id = id
        .parse::<I>()
        .map_err(|_| Box::new(message_page(StatusCode::NOT_FOUND, title, missing)))?;
    Ok((user, id))
}

/// A file as an uncached attachment, or a short page saying why not.
fn download(
    file: Result<(String, Vec<u8>), app::error::AppError>,
    content_type: &'static str,
    title: &str,
) -> axum::response::Response {
    match file {
        Ok((filename, bytes)) => (
            [
                (header::CONTENT_TYPE, content_type.to_owned()),
                (header::CACHE_CONTROL, "no-store".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{filename}\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(app::error::AppError::StepUpRequired) => {
            // the gate sends the person to confirm it is them, then back here
            let mut res = StatusCode::FORBIDDEN.into_response();
            res.extensions_mut().insert(middleware::NeedsStepUp);
            res
        }
        Err(e) => {
            let status =
                StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            // a refused input says what was wrong with it, not only that something was
            let text = match &e {
                app::error::AppError::Validation { fields } => fields
                    .values()
                    .flatten()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" "),
                other => other.to_string(),
            };
            let mut page = message_page(status, title, &text);
            if status == StatusCode::SERVICE_UNAVAILABLE {
                page.headers_mut().insert(
                    header::RETRY_AFTER,
                    HeaderValue::from_static(app::auth::server::current::RETRY_AFTER_SECS),
                );
            }
            page
        }
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn reply_html(status: StatusCode, text: &str, token: Option<&str>) -> axum::response::Response {
    let buttons = token
        .map(|t| {
            format!(
                r#"<form method="post" action="/r/{t}"><button name="answer" value="confirm">Confirm</button> <button name="answer" value="cancel">Cancel the appointment</button></form>"#
            )
        })
        .unwrap_or_default();
    plain_page(status, "Your appointment", text, &buttons)
}

fn message_page(status: StatusCode, heading: &str, text: &str) -> axum::response::Response {
    plain_page(status, heading, text, "")
}

/// A small self-contained page: a heading, a sentence, and optional markup after it.
fn plain_page(
    status: StatusCode,
    heading: &str,
    text: &str,
    after: &str,
) -> axum::response::Response {
    let heading = escape(heading);
    let html = format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{heading}</title><style>body{{font:1.1rem/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1d2733}}button{{font:inherit;padding:.5rem 1rem;margin:.25rem 0}}</style></head><body><main><h1>{heading}</h1><p>{}</p>{after}</main></body></html>"#,
        escape(text)
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

async fn server_fn(State(state): State<AppState>, req: Request) -> impl IntoResponse {
    handle_server_fns_with_context(move || provide_context(state.clone()), req).await
}

async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match sqlx::query_scalar!("SELECT 1").fetch_one(&state.pool).await {
        Ok(_) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}
