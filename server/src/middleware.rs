//! The request gate: who is asking and from where, CSRF, sessions, endpoint policy, page guards,
//! and HTTP statuses for server-function errors.

use app::auth::server::policy::{decide, policy_for, Decision};
use app::auth::server::{service, tokens, CurrentUser, RequestMeta};
use app::error::AppError;
use app::state::AppState;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http::{header, HeaderValue, Method, StatusCode};
use std::net::{IpAddr, SocketAddr};

/// Server functions answer with this header on error (set by the server_fn crate).
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";

pub async fn gate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    if is_static_asset(req.method(), &path) {
        // JS, WASM, CSS and public files hold no PHI: no session look-up for them
        let caching = asset_caching(
            &path,
            state.leptos_options.hash_files,
            &state.leptos_options.output_name,
        );
        let mut res = next.run(req).await;
        if res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED {
            let headers = res.headers_mut();
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(caching));
            // the brotli or gzip copy was chosen by Accept-Encoding: caches must key on it
            if !headers.contains_key(header::VARY) {
                headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
            }
        }
        return res;
    }
    let meta = request_meta(&req, state.config.trust_proxy_headers);
    let token = tokens::from_headers(req.headers());

    // a sign-in waiting for its code is a cookie credential too
    let cookie_credential = token.is_some()
        || tokens::cookie_value(req.headers(), tokens::CHALLENGE_COOKIE_NAME).is_some();
    if let Err(refusal) = check_csrf(&req, &state.config.public_origin, cookie_credential) {
        tracing::warn!(route = %route_of(&path), reason = refusal, "refused a cross-site request");
        return (StatusCode::FORBIDDEN, axum::Json(AppError::Forbidden)).into_response();
    }

    // The idle-warning poll must not itself count as activity.
    let touch = path != "/api/auth/session_status";
    let user = match token {
        Some(t) => match service::authenticate(&state.pool, &state.config, &t, touch).await {
            Ok(found) => found,
            Err(e) => return e.into_response(),
        },
        None => None,
    };
    if let Some(visit) = &user {
        req.extensions_mut().insert(visit.user.clone());
        req.extensions_mut().insert(visit.status);
        req.extensions_mut().insert(visit.info.clone());
    }
    req.extensions_mut().insert(meta);
    let caller = user.as_ref().map(|v| &v.user);

    if path.starts_with("/api/") {
        if let Some(refusal) = check_endpoint(&path, caller) {
            return refusal.into_response();
        }
        return with_error_status(next.run(req).await).await;
    }
    if is_page(req.method(), &path) {
        if let Some(redirect) = guard_page(&path, caller) {
            return redirect.into_response();
        }
    }
    let address = req.uri().path_and_query().map(|p| p.as_str().to_owned());
    // a script (bearer token) has no page to confirm on: it hears the error
    let browser = !req.headers().contains_key(header::AUTHORIZATION);
    let res = next.run(req).await;
    match (res.extensions().get::<NeedsStepUp>(), address) {
        (Some(_), Some(address)) if browser => {
            Redirect::to(&confirm_address(&address)).into_response()
        }
        (Some(_), _) => AppError::StepUpRequired.into_response(),
        _ => res,
    }
}

/// Marks a download refused for want of a recent proof of identity: the gate answers it with the
/// confirmation page, which returns to the download.
#[derive(Debug, Clone, Copy)]
pub struct NeedsStepUp;

/// `/confirm?next=<this address>`.
pub fn confirm_address(back_to: &str) -> String {
    let query = serde_urlencoded::to_string([("next", back_to)]).unwrap_or_default();
    format!("/confirm?{query}")
}

fn request_meta(req: &Request, trust_proxy: bool) -> RequestMeta {
    let forwarded = trust_proxy
        .then(|| {
            req.headers()
                .get("x-forwarded-for")?
                .to_str()
                .ok()?
                .split(',')
                .next()?
                .trim()
                .parse::<IpAddr>()
                .ok()
        })
        .flatten();
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    RequestMeta {
        ip: forwarded.or(peer),
        user_agent: req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(512).collect()),
    }
}

/// State-changing requests must come from our own origin. A request with neither Origin nor Referer
/// is accepted only when it carries no session cookie (a script with a bearer token, or a sign-in).
fn check_csrf(req: &Request, public_origin: &str, has_token: bool) -> Result<(), &'static str> {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    let headers = req.headers();
    let host_origin = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| h.to_ascii_lowercase());
    let same = |origin: &str| {
        let origin = origin.to_ascii_lowercase();
        origin == public_origin
            || host_origin.as_deref().is_some_and(|host| {
                origin
                    .split_once("://")
                    .is_some_and(|(_, rest)| rest == host)
            })
    };
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        return if origin != "null" && same(origin) {
            Ok(())
        } else {
            Err("origin mismatch")
        };
    }
    if let Some(referer) = headers.get(header::REFERER).and_then(|v| v.to_str().ok()) {
        return match app::config::origin_of(referer) {
            Some(o) if same(&o) => Ok(()),
            _ => Err("referer mismatch"),
        };
    }
    let uses_cookie = has_token && headers.get(header::AUTHORIZATION).is_none();
    if uses_cookie {
        Err("no origin on a cookie-authenticated request")
    } else {
        Ok(())
    }
}

fn check_endpoint(path: &str, caller: Option<&CurrentUser>) -> Option<AppError> {
    let Some(policy) = policy_for(path) else {
        // Fail closed: a server function without a policy answers to nobody. The path is the
        // caller's to choose, so it is not logged (a missing policy fails the HTTP tests).
        tracing::warn!("refused a server-function path that has no authorization policy");
        return Some(AppError::Forbidden);
    };
    match decide(policy, caller.map(|u| (u.role, u.must_change_password))) {
        Decision::Allow => None,
        Decision::Unauthenticated => Some(AppError::Unauthenticated),
        Decision::Forbidden => Some(AppError::Forbidden),
        Decision::PasswordChangeRequired => Some(AppError::Conflict(
            "Choose a new password on the My account page before continuing.".into(),
        )),
    }
}

/// The files of `public/`, served at the site root.
pub const PUBLIC_FILES: &[&str] = &["/favicon.svg"];

/// The built JS, WASM and CSS and the public files: nothing else skips the gate.
pub fn is_static_asset(method: &Method, path: &str) -> bool {
    matches!(*method, Method::GET | Method::HEAD)
        && (path.starts_with("/pkg/") || PUBLIC_FILES.contains(&path))
}

/// How long browsers and CDNs may keep a static asset. A built file's name carries a hash of its
/// content when the build hashed names (release builds), so it can be kept for a year and never
/// asked for again — except the entry files: cargo-leptos names the main JS and WASM and the split
/// manifest by their hash and then rewrites them to point at the other files' hashed names, so the
/// same name can come back with new content; those are checked again on each use (a 304 when
/// unchanged). Without hashes (development) every built file is checked again. Public files keep
/// their names across releases: a day.
fn asset_caching(path: &str, hashed_names: bool, output_name: &str) -> &'static str {
    let Some(file) = path.strip_prefix("/pkg/") else {
        return "public, max-age=86400";
    };
    let entry = file.starts_with("__wasm_split_manifest.")
        || file.strip_prefix(output_name).is_some_and(|rest| {
            rest.starts_with('.') && (rest.ends_with(".js") || rest.ends_with(".wasm"))
        });
    if hashed_names && !entry {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// A browser navigation to an app page (not an asset, not the API).
fn is_page(method: &Method, path: &str) -> bool {
    *method == Method::GET
        && !is_static_asset(method, path)
        && path != "/healthz"
        && path != "/readyz"
        // a client's answer to a reminder and a calendar feed: the secret in the address is the
        // credential (calendar apps send no cookie)
        && !path.starts_with("/r/")
        && !path.starts_with("/feeds/")
}

/// What a log line may say of a path: server functions by name, anything else by its first
/// segment only (`/r/{…}`, `/feeds/{…}`, `/clients/{…}`), since the rest can be a reminder token, a
/// feed secret or a record id.
pub fn route_of(path: &str) -> String {
    if policy_for(path).is_some() || PUBLIC_FILES.contains(&path) || path.starts_with("/pkg/") {
        return path.to_owned();
    }
    if path.starts_with("/api/") {
        return "/api/{unknown}".to_owned();
    }
    let mut segments = path.trim_start_matches('/').splitn(2, '/');
    match (segments.next(), segments.next()) {
        (Some(first), Some(_)) => format!("/{first}/{{…}}"),
        _ => path.to_owned(),
    }
}

fn guard_page(path: &str, caller: Option<&CurrentUser>) -> Option<Redirect> {
    match (path, caller) {
        ("/login", Some(u)) if !u.must_change_password => Some(Redirect::to("/")),
        ("/login", _) => None,
        (_, None) => Some(Redirect::to("/login")),
        ("/account", Some(_)) => None,
        (_, Some(u)) if u.must_change_password => Some(Redirect::to("/account?first=1")),
        _ => None,
    }
}

/// server_fn answers every error with 500; give each its real status from the error's kind.
async fn with_error_status(res: Response) -> Response {
    if !res.headers().contains_key(SERVER_FN_ERROR_HEADER) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            axum::Json(AppError::Internal),
        )
            .into_response();
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(err.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        parts.headers.insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("application/json"),
        );
        if err == AppError::Unavailable {
            parts.headers.insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(app::auth::server::current::RETRY_AFTER_SECS),
            );
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_built_assets_and_public_files_skip_the_gate() {
        let get = Method::GET;
        assert!(is_static_asset(&get, "/pkg/mentalspace.wasm"));
        assert!(is_static_asset(&get, "/favicon.svg"));
        for gated in [
            "/api/clients/search.json",
            "/feeds/abc.ics",
            "/clients/a.b",
            "/notes/1/pdf",
            "/r/token.x",
        ] {
            assert!(!is_static_asset(&get, gated), "{gated}");
        }
        assert!(!is_static_asset(&Method::POST, "/pkg/mentalspace.js"));
    }

    #[test]
    fn the_public_file_list_is_the_public_folder() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../public");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| format!("/{}", e.file_name().to_string_lossy()))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        let mut listed: Vec<String> = PUBLIC_FILES.iter().map(|f| f.to_string()).collect();
        listed.sort();
        assert_eq!(files, listed);
    }

    #[test]
    fn only_hashed_built_files_that_are_never_rewritten_are_kept_for_a_year() {
        let year = "public, max-age=31536000, immutable";
        let cached = |path| asset_caching(path, true, "mentalspace");
        assert_eq!(cached("/pkg/split_billing_pages_1.Zk3x.wasm"), year);
        assert_eq!(cached("/pkg/chunk_7.Zk3x.wasm"), year);
        assert_eq!(cached("/pkg/__wasm_split.Zk3x.js"), year);
        assert_eq!(cached("/pkg/mentalspace.Zk3x.css"), year);
        // the entry files are rewritten after they were named
        assert_eq!(cached("/pkg/mentalspace.Zk3x.wasm"), "no-cache");
        assert_eq!(cached("/pkg/mentalspace.Zk3x.js"), "no-cache");
        assert_eq!(cached("/pkg/__wasm_split_manifest.Zk3x.json"), "no-cache");
        assert_eq!(
            asset_caching("/pkg/chunk_7.wasm", false, "mentalspace"),
            "no-cache"
        );
        assert_eq!(cached("/favicon.svg"), "public, max-age=86400");
    }

    #[test]
    fn feeds_and_reminder_links_are_not_pages_that_need_a_session() {
        assert!(!is_page(&Method::GET, "/feeds/abc.ics"));
        assert!(!is_page(&Method::GET, "/r/token"));
        assert!(is_page(&Method::GET, "/clients/a.b"));
    }

    #[test]
    fn log_lines_name_routes_not_secrets() {
        assert_eq!(route_of("/r/6f1c9a"), "/r/{…}");
        assert_eq!(route_of("/feeds/secretsecret.ics"), "/feeds/{…}");
        assert_eq!(route_of("/notes/42/pdf"), "/notes/{…}");
        assert_eq!(route_of("/api/clients/search"), "/api/clients/search");
        assert_eq!(route_of("/api/whatever/ann-smith"), "/api/{unknown}");
        assert_eq!(route_of("/calendar"), "/calendar");
    }
}
