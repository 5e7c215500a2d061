//! Request size limits, per route: a sign-in form is a few hundred bytes, most server functions a few
//! kilobytes, a note's content more, a remittance file megabytes. A request over its limit is answered
//! at once with a sentence (413, or 414/431 for an address or headers that are too long), before any
//! handler reads it; a body without a declared length is read only up to the limit.

use app::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, StatusCode};

/// Sign-in forms and everything not named below.
pub const SMALL_BODY: usize = 16 * 1024;
/// Server functions.
pub const API_BODY: usize = 64 * 1024;
/// Clinical documentation: a note's sections together (each up to 20,000 characters).
pub const NOTE_BODY: usize = 1024 * 1024;
/// An 835 or 999 upload or post: the X12 reader's own limit and room for the form around it.
pub const X12_BODY: usize = app::billing::server::edi::read::MAX_BYTES + 64 * 1024;
pub const MAX_URI: usize = 8 * 1024;
pub const MAX_HEADERS: usize = 32 * 1024;

/// The most a request to `path` may send.
pub fn body_limit(path: &str) -> usize {
    if path == "/billing/eras" || path == "/billing/acks" {
        X12_BODY
    } else if path.starts_with("/api/documents/") {
        NOTE_BODY
    } else if path.starts_with("/api/") {
        API_BODY
    } else {
        SMALL_BODY
    }
}

fn too_large(status: StatusCode, error: AppError) -> Response {
    (status, axum::Json(error)).into_response()
}

pub async fn enforce(req: Request, next: Next) -> Response {
    let uri_len = req.uri().to_string().len();
    if uri_len > MAX_URI {
        return too_large(
            StatusCode::URI_TOO_LONG,
            AppError::TooLarge(format!(
                "This address is too long ({} KB); the server accepts at most {} KB.",
                uri_len.div_ceil(1024),
                MAX_URI / 1024
            )),
        );
    }
    let header_bytes: usize = req
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if header_bytes > MAX_HEADERS {
        return too_large(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            AppError::TooLarge(format!(
                "This request's headers are too large; the server accepts at most {} KB. Clearing \
this site's cookies may help.",
                MAX_HEADERS / 1024
            )),
        );
    }
    let limit = body_limit(req.uri().path());
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let body_too_large = || {
        too_large(
            StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooLarge(format!(
                "This request is too large; here the server accepts at most {}.",
                size_in_words(limit)
            )),
        )
    };
    match declared {
        Some(len) if len > limit as u64 => body_too_large(),
        // hyper holds a body to its declared length
        Some(_) => next.run(req).await,
        // no declared length (chunked): read up to the limit here, so every handler sees the same
        // answer rather than its own reading error
        None => {
            let (parts, body) = req.into_parts();
            match axum::body::to_bytes(body, limit).await {
                Ok(bytes) => {
                    next.run(Request::from_parts(parts, Body::from(bytes)))
                        .await
                }
                Err(e) if is_length_limit(&e) => body_too_large(),
                Err(_) => (
                    StatusCode::BAD_REQUEST,
                    axum::Json(AppError::BadRequest(
                        "the request's body could not be read.".into(),
                    )),
                )
                    .into_response(),
            }
        }
    }
}

fn is_length_limit(error: &axum::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = cause {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        cause = e.source();
    }
    false
}

fn size_in_words(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MB", bytes / (1024 * 1024))
    } else {
        format!("{} KB", bytes / 1024)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_route_has_its_limit() {
        assert_eq!(body_limit("/login"), SMALL_BODY);
        assert_eq!(body_limit("/login/code"), SMALL_BODY);
        assert_eq!(body_limit("/api/auth/login"), API_BODY);
        assert_eq!(body_limit("/api/documents/save_draft"), NOTE_BODY);
        assert_eq!(body_limit("/billing/eras"), X12_BODY);
        assert_eq!(body_limit("/billing/acks"), X12_BODY);
        assert_eq!(size_in_words(X12_BODY), "20 MB");
        assert_eq!(size_in_words(API_BODY), "64 KB");
    }
}
