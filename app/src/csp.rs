//! The nonce of a page's Content-Security-Policy: the server's security middleware makes one per
//! request and sets the matching header; the page shell hands it to Leptos, which writes it on every
//! inline script it emits (hydration, streamed resources).

use leptos::prelude::*;

#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

/// Called in the page shell: the request's nonce becomes the one Leptos uses.
pub fn provide_request_nonce() {
    let nonce = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(nonce)) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(nonce));
    }
}
