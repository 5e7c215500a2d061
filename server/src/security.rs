//! Browser security headers: a strict Content-Security-Policy with a fresh nonce on every page (the
//! page's inline scripts — Leptos's hydration and streamed resources — carry it), and the headers
//! that switch off what an EHR never uses.

use app::csp::CspNonce;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use http::{header, HeaderValue};
use rand::RngCore;

/// The policy of an HTML page. Scripts only from our origin or with this response's nonce (no
/// `unsafe-inline`); WebAssembly compiled from our own files; no plugins, no `<base>`, no framing,
/// forms only to us. Inline `style` attributes stay allowed (the calendar places entries with them;
/// styles cannot run code).
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

const PERMISSIONS_POLICY: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
/// Two years, as the HSTS preload list asks.
const HSTS: &str = "max-age=63072000; includeSubDomains";

fn new_nonce() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Gives the request a nonce (the page shell reads it) and puts the matching policy on an HTML
/// answer; the other headers go on every answer. HSTS only when the public address is HTTPS (TLS
/// here or at a proxy): over plain HTTP it would be ignored, or lock a development host out.
pub async fn headers(State(https): State<bool>, mut req: Request, next: Next) -> Response {
    // built files and public files are never pages: no nonce to draw for them
    let nonce =
        (!crate::middleware::is_static_asset(req.method(), req.uri().path())).then(new_nonce);
    if let Some(nonce) = &nonce {
        req.extensions_mut().insert(CspNonce(nonce.clone()));
    }
    let mut res = next.run(req).await;
    let is_page = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    let headers = res.headers_mut();
    if let (true, Some(nonce)) = (is_page, &nonce) {
        if let Ok(policy) = HeaderValue::from_str(&page_policy(nonce)) {
            headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        }
    }
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static(PERMISSIONS_POLICY),
    );
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_policy_allows_no_inline_script_without_the_nonce() {
        let p = page_policy("abc");
        let script = p
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("script-src"))
            .unwrap();
        assert_eq!(script, "script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'");
        for directive in [
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ] {
            assert!(p.contains(directive), "{directive}");
        }
    }

    #[test]
    fn nonces_are_fresh_and_long_enough() {
        let (a, b) = (new_nonce(), new_nonce());
        assert_ne!(a, b);
        // 16 random bytes
        assert_eq!(
            base64::engine::general_purpose::STANDARD
                .decode(&a)
                .unwrap()
                .len(),
            16
        );
    }
}
